"""The place's public money: bodies, per head, comparisons and the years, on the tiny store."""

from __future__ import annotations

import pytest

from diagnostics.sections.public_money.analysis import (
    per_head_comparison,
    place_spending,
    spending_over_years,
)


def test_every_body_covering_the_place_is_listed_with_its_attributed_spend(session_of):
    spending = place_spending(session_of("H1"))
    latest = spending.bodies.loc[spending.bodies["period"] == "2022-23"].set_index("body_code")
    assert set(latest.index) == {"H1", "K1", "P1", "D1", "D2"}
    assert latest.loc["K1", "net"] == pytest.approx(5280.0)
    assert latest.loc["D2", "net"] == pytest.approx(752 * 1840 / 3760)
    assert latest.loc["D2", "place_share"] == pytest.approx(1840 / 5280)
    assert spending.residents["2022-23"] == pytest.approx(5280.0)
    assert spending.split_share == pytest.approx(1840 / 5280)
    assert spending.coverage == pytest.approx(1.0)


def test_a_missing_return_is_named_and_never_read_as_zero(session_of):
    spending = place_spending(session_of("D3"))
    own = spending.bodies.loc[(spending.bodies["body_code"] == "D3") & (spending.bodies["period"] == "2022-23")]
    assert not own["returned"].iloc[0] and own["net"].isna().all()
    assert any("Caddington Council made no return for 2022-23" in note for note in spending.notes)


def test_bodies_that_changed_between_years_and_bodies_without_an_area_are_noted(session_of):
    notes = " ".join(place_spending(session_of("D1")).notes)
    assert "Tinyland covers the place in 2022-23 only" in notes
    assert "(Tiny National Park)" in notes


def test_per_head_is_net_spend_over_the_place_s_residents_against_region_and_country(session_of):
    table = per_head_comparison(session_of("D1")).set_index("service")
    assert table.loc["education", "place"] == pytest.approx(1000.0)  # £3,440k over 3,440 residents
    assert table.loc["nhs", "place"] == pytest.approx(2000.0)  # £6,880k of the ICB's £10,560k
    assert table.loc["nhs", "region"] == pytest.approx(1000 * 10560 / 7200)
    assert table.loc["nhs", "comparators_median"] == pytest.approx(1000 * 3680 / 3760)  # D2, its region's other district
    assert table.loc["total", "rank"] == 1 and table.loc["total", "n_ranked"] == 4


def test_spending_over_years_gives_cash_per_head_and_no_real_terms_without_deflators(session_of):
    years = spending_over_years(session_of("D1"))
    education = years.loc[years["service"] == "education"].set_index("period")["per_head"]
    assert education.to_dict() == pytest.approx({"2021-22": 900.0, "2022-23": 1000.0})
    assert years["real_per_head"].isna().all()


def test_a_store_without_spending_says_which_datasets_would_fill_the_section(tiny_store):
    from diagnostics.sections.session import start

    spending = place_spending(start("D2", tiny_store))
    assert "spend_bodies, spend_body_areas, spend missing" in spending.problem
    assert "Revenue Outturn" in spending.problem
    assert per_head_comparison(start("D2", tiny_store)).empty


def test_with_deflators_the_years_are_also_in_real_terms_at_the_latest_year_s_prices(money_store, tmp_path, monkeypatch):
    """The ``deflators`` table (period, year, index: HM Treasury's GDP deflators) is another branch's; a
    stand-in schema here checks that the section uses it when the contract has it."""
    import shutil

    import pandas as pd
    import pandera.pandas as pa

    from diagnostics.sections.public_money.narrative import data_notes_sentences
    from diagnostics.sections.session import start
    from diagnostics.store.schema import TABLE_SCHEMAS
    from diagnostics.store.store import open_store

    monkeypatch.setitem(TABLE_SCHEMAS, "deflators", pa.DataFrameSchema(
        {"period": pa.Column(str), "year": pa.Column(int), "index": pa.Column(float),
         "source": pa.Column(str), "vintage": pa.Column(str)}, name="deflators"))
    copy = shutil.copytree(money_store.path, tmp_path / "money")
    pd.DataFrame({"period": ["2021-22", "2022-23"], "year": [2022, 2023], "index": [90.0, 100.0],
                  "source": "HM Treasury GDP deflators", "vintage": "test"}).to_parquet(copy / "deflators.parquet")
    dx = start("D1", open_store(copy), "region")
    years = spending_over_years(dx)
    education = years.loc[years["service"] == "education"].set_index("period")["real_per_head"]
    assert education.to_dict() == pytest.approx({"2021-22": 1000.0, "2022-23": 1000.0})  # £900 at 90 = £1,000 at 100
    assert "Real terms: in the prices of the latest year of HM Treasury's GDP deflators." in data_notes_sentences(dx)
