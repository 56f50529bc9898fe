"""The business steps of an England import on the tiny England plus business files in ONS's layouts:
business counts summed onto current codes, high-growth enterprises with Wilson intervals, and what
the report says when codes cannot be placed or a count is missing."""

from __future__ import annotations

import pytest
from helpers import business_files as bf
from helpers import england_files as ef

from diagnostics.sources.england import import_folder
from diagnostics.sources.england.business_steps import HIGH_GROWTH_ID
from diagnostics.stats import proportion_ci
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def business_store(tmp_path_factory):
    downloads = ef.write_tiny_england(tmp_path_factory.mktemp("business") / "downloads")
    bf.write_business_workbook(downloads, 2020)
    bf.write_business_workbook(downloads, 2021)
    bf.write_business_demography(downloads)
    target = tmp_path_factory.mktemp("business") / "store"
    report = import_folder(downloads, target)
    return report, open_store(target)


def _count(store, code, year, unit, breakdown, category):
    t = store.table("business_counts")
    rows = t.loc[(t["area_code"] == code) & (t["year"] == year) & (t["unit"] == unit) & (t["breakdown"] == breakdown)
                 & (t["category"] == category)]
    return int(rows["count"].sum()) if len(rows) else None


def test_counts_of_merged_and_recoded_districts_are_summed_onto_current_codes(business_store):
    report, store = business_store
    t = store.table("business_counts")
    assert set(t["area_code"]) == set(ef.CURRENT)  # districts only, current codes
    assert _count(store, "E07000001", 2020, "local_units", "industry", "69-75") == 30 + 50  # Gamma + Old Gamma
    assert _count(store, "E08000038", 2021, "local_units", "industry", "47") == 40  # Delta, re-coded
    assert _count(store, "E08000001", 2020, "enterprises", "employment_size", "250+") == 5
    assert "+ ukbusinessworkbook2020.xlsx: enterprises and local units by district, March 2020 (5 districts of then" in report.text()


def test_high_growth_enterprises_are_a_share_of_the_10plus_base_with_wilson_intervals(business_store):
    _, store = business_store
    rows = store.indicator_values(HIGH_GROWTH_ID, ["E07000001", "E92000001", "E10000001"]).set_index(["area_code", "period"])
    gamma = rows.loc[("E07000001", "2021")]
    assert (gamma["numerator"], gamma["denominator"]) == (10, 200)  # Gamma + Old Gamma
    value, lower, upper = proportion_ci(10, 200)
    assert gamma["value"] == pytest.approx(100 * value) and gamma["value"] == pytest.approx(5.0)
    assert (gamma["lower_ci"], gamma["upper_ci"]) == pytest.approx((100 * lower, 100 * upper))
    england = rows.loc[("E92000001", "2020")]
    assert (england["numerator"], england["denominator"]) == (25, 550)  # the Scottish row is not England's
    assert rows.loc[("E10000001", "2020"), "denominator"] == 200  # the county: Gamma alone
    assert store.catalogue.loc[HIGH_GROWTH_ID, "method"].startswith("Computed:")


def test_district_codes_no_current_district_succeeds_are_reported_and_left_out(tmp_path):
    downloads = ef.write_tiny_england(tmp_path / "downloads")
    workbook = bf.write_business_workbook(downloads, 2020)
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    for name in ("Table 1", "Table 10 ", "Table 11", "Table 16", "Table 22"):
        book[name]["A15"] = "E07000777"  # Old Gamma's row under a code the code-change list does not know
    book.save(workbook)
    report = import_folder(downloads, tmp_path / "store")
    assert any("Business counts of March 2020 of 1 district code(s) of ukbusinessworkbook2020.xlsx that no current "
               "district succeeds (E07000777): add ONS's code-change list" in line for line in report.left_out)
    assert _count(open_store(tmp_path / "store"), "E07000001", 2020, "local_units", "industry", "69-75") == 30


def test_a_high_growth_count_without_its_base_is_left_out_and_said(tmp_path):
    downloads = ef.write_tiny_england(tmp_path / "downloads")
    bf.write_business_demography(downloads)[1].unlink()
    report = import_folder(downloads, tmp_path / "store")
    assert any(line.startswith("High-growth enterprises with intervals: both") for line in report.left_out)
    assert HIGH_GROWTH_ID not in open_store(tmp_path / "store").indicator_ids
