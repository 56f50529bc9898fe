"""Attribution by residents, worked by hand on the tiny store (see conftest.py)."""

from __future__ import annotations

import pytest
from helpers.money import D2_IN_H1

from diagnostics.sections.public_money.attribution import (
    body_fractions,
    body_residents,
    district_residents,
    layer_spend,
    place_district_shares,
)


def test_district_residents_sum_the_small_areas_of_each_district(money_store):
    people = district_residents(money_store, 2023)
    assert people.to_dict() == {"D1": 3440.0, "D2": 3760.0, "D3": 4080.0, "D4": 4400.0}
    assert people.attrs["year"] == 2023


def test_a_body_s_residents_count_only_its_share_of_a_split_district(money_store):
    residents = body_residents(money_store).set_index(["body_code", "period"])["residents"]
    assert residents["K1", "2022-23"] == pytest.approx(3440 + 3760)
    assert residents["H1", "2022-23"] == pytest.approx(3440 + 1840)


def test_a_county_over_two_districts_is_shared_by_their_residents(money_store):
    fractions = body_fractions(money_store, "district")
    county = fractions.loc[(fractions["body_code"] == "K1") & (fractions["period"] == "2022-23")]
    assert county.set_index("area_code")["fraction"].to_dict() == pytest.approx({"D1": 3440 / 7200, "D2": 3760 / 7200})
    spend = layer_spend(money_store, "district")
    education = spend.loc[(spend["service"] == "education") & (spend["period"] == "2022-23")].set_index("area_code")
    assert education["net"].to_dict() == pytest.approx({"D1": 3440.0, "D2": 3760.0})  # £7,200k x residents share


def test_a_place_splitting_a_district_takes_the_share_of_its_residents_living_there(money_store):
    from diagnostics.store.places import resolve_place

    made_of = place_district_shares(money_store, resolve_place("H1", money_store))
    assert made_of.shares.to_dict() == pytest.approx({"D1": 1.0, "D2": D2_IN_H1})
    assert made_of.split_share == pytest.approx(1840 / 5280)  # D2's residents in H1 over H1's
    spend = layer_spend(money_store, "health_area")
    county = spend.loc[(spend["service"] == "education") & (spend["period"] == "2022-23") & (spend["area_code"] == "H1")]
    assert county["net"].iloc[0] == pytest.approx(7200 * (3440 + 1840) / 7200)


def test_a_body_that_is_a_store_area_is_overlapped_through_small_areas_not_districts(money_store):
    fractions = body_fractions(money_store, "health_area")
    icb = fractions.loc[(fractions["body_code"] == "H1") & (fractions["period"] == "2022-23")]
    # through districts the ICB would leak into H2 (D2's other half); through small areas it does not
    assert icb.set_index("area_code")["fraction"].to_dict() == pytest.approx({"H1": 1.0})


def test_a_body_with_no_known_districts_is_attributed_nowhere(money_store):
    assert "N1" not in set(body_fractions(money_store, "district")["body_code"])
