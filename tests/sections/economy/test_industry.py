"""Which places have industry figures, read or summed from districts (diagnostics.sections.economy.industry)."""

from __future__ import annotations

import pandas as pd
from helpers.tiny import tiny_tables

from diagnostics.sections.economy.industry import place_industry
from diagnostics.store.store import open_store, write_store


def test_a_region_is_summed_from_the_finest_layer_when_the_table_also_holds_the_country(tmp_path):
    tables, boundaries = tiny_tables()
    rows = [(code, 2023, "C", jobs, 1.0) for code, jobs in (("D1", 10), ("D2", 20), ("D3", 30), ("D4", 40), ("C1", 100))]
    tables["industry"] = pd.DataFrame(rows, columns=["area_code", "year", "sic_section", "employment", "gva"]).assign(
        source="hand-made", vintage="test"
    )
    store = open_store(write_store(tmp_path / "s", tables, boundaries, source="synthetic", vintage="synthetic",
                                   attribution="SYNTHETIC DATA: test."))
    region = place_industry(store, "R1")
    assert region.available and region.members == ("D1", "D2") and region.table["employment"].sum() == 30
    assert place_industry(store, "C1").method == "published for the country"


def test_a_district_reads_its_own_rows(industry_store):
    own = place_industry(industry_store, "D1")
    assert own.available and own.members == ("D1",) and own.years == [2022, 2023]
    assert own.method == "published for the district" and own.source == "hand-made"


def test_a_region_is_the_sum_of_its_whole_districts(industry_store):
    region = place_industry(industry_store, "R1")
    assert region.available and region.members == ("D1", "D2") and region.method == "the sum of its 2 districts"
    a_2022 = region.table.query("year == 2022 and sic_section == 'A'")["employment"].item()
    assert a_2022 == 100 * 1 + 100 * 2


def test_a_year_some_district_lacks_is_left_out_and_said(industry_store):
    country = place_industry(industry_store, "C1")
    assert country.available and country.years == [2023] and country.incomplete_years == (2022,)


def test_a_place_cutting_across_districts_gets_the_reason(industry_store):
    health = place_industry(industry_store, "H1")  # S1-S3: all of D1 and half of D2
    assert not health.available and health.table.empty
    assert "does not follow district boundaries" in health.reason
    assert "1 of them only in part (Brackley Vale)" in health.reason and "not apportioned" in health.reason


def test_a_store_without_industry_says_so(tiny_store):
    own = place_industry(tiny_store, "D2")
    assert not own.available and "no industry table" in own.reason
