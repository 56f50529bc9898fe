"""The synthetic country's public money: plausible, complete, labelled synthetic, and drawn from its own
generator so no other table of the country moves."""

from __future__ import annotations

import numpy as np
import pytest

from diagnostics.sources.synthetic.spending import MISSING_RETURN_NOTE, SPEND_PERIODS, financial_year
from diagnostics.sources.synthetic.spending_calibration import BAND_D, NET_PER_HEAD
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def store(small_store):
    return open_store(small_store)


def test_the_spending_generator_is_a_new_child_seed_so_earlier_components_draw_the_same_numbers():
    five = np.random.SeedSequence(42).spawn(5)
    six = np.random.SeedSequence(42).spawn(6)
    for a, b in zip(five, six):
        assert np.random.default_rng(a).integers(0, 2**32, 4).tolist() == np.random.default_rng(b).integers(0, 2**32, 4).tolist()


def test_every_district_is_served_by_a_council_police_fire_and_an_icb(store):
    bodies = store.table("spend_bodies")
    areas = store.table("spend_body_areas").merge(bodies[["body_code", "period", "body_type"]], on=["body_code", "period"])
    latest = areas.loc[areas["period"] == SPEND_PERIODS[-1]]
    for district, rows in latest.groupby("district_code"):
        kinds = set(rows["body_type"])
        assert {"police", "fire", "icb"} <= kinds, district
        assert kinds & {"district", "unitary", "metropolitan"}, district
        icb = rows.loc[rows["body_type"] == "icb", "share"].sum()
        assert icb == pytest.approx(1.0), district  # a district split between ICBs is wholly covered
    assert set(bodies["source"]) == {"synthetic"} and set(store.table("spend")["vintage"]) == {"synthetic"}


def test_spending_per_head_is_near_the_english_medians_it_was_calibrated_on(store):
    from diagnostics.sections.public_money.attribution import body_residents

    spend = store.table("spend").merge(store.table("spend_bodies")[["body_code", "period", "body_type"]])
    first = spend.loc[spend["period"] == SPEND_PERIODS[0]].merge(body_residents(store), on=["body_code", "period"])
    first["per_head"] = 1000 * first["net"] / first["residents"]
    police = first.loc[(first["body_type"] == "police") & (first["service"] == "police"), "per_head"]
    assert police.median() == pytest.approx(NET_PER_HEAD["police"]["police"][0], rel=0.5)
    assert (spend["gross"] >= spend["net"]).all()
    assert np.allclose(spend["net"], spend["gross"] - spend["income"], atol=0.11)  # each rounded to £100


def test_missing_returns_keep_their_body_row_and_have_no_spend(store):
    bodies = store.table("spend_bodies")
    missing = bodies.loc[~bodies["returned"]]
    assert len(missing) >= 1 and set(missing["note"]) == {MISSING_RETURN_NOTE}
    spend = store.table("spend")
    for row in missing.itertuples():
        assert spend.loc[(spend["body_code"] == row.body_code) & (spend["period"] == row.period)].empty


def test_each_billing_area_pays_its_council_police_and_fire_with_plausible_band_d(store):
    tax = store.table("council_tax")
    latest = tax.loc[tax["period"] == SPEND_PERIODS[-1]]
    for billing, rows in latest.groupby("billing_code"):
        assert {"police", "fire"} <= set(rows["body_type"]), billing
    police = latest.loc[latest["body_type"] == "police", "band_d"]
    assert police.median() == pytest.approx(BAND_D["police"][0] * 1.05**2, rel=0.5)
    assert (tax["requirement"] > 0).all()


def test_regional_spending_covers_every_region_and_the_country(store):
    regional = store.table("regional_spend")
    assert set(store.areas_in_layer("region")["code"]) | set(store.areas_in_layer("country")["code"]) == set(regional["region_code"])
    assert (regional["per_head"] > 0).all()


def test_financial_year_is_the_calendar_year_it_ends_in():
    assert financial_year("2023-24") == 2024
