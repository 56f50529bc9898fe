"""HM Treasury's PESA chapter 9 workbook read: £ million by region and COFOG function with £ per head
(a tiny workbook in the real layout, and the published one when present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import spending_files as sf
from openpyxl import load_workbook

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.country_regional_analysis import read_cra, region_key, sniff_cra

UKDATA = Path("/work/shared/ukdata/spending/regional/hmt_pesa2024_ch9_country_regional_analysis.xlsx")


def test_each_function_region_and_year_has_its_total_and_per_head(tmp_path):
    cra = read_cra(sf.write_cra_workbook(tmp_path)).table.set_index(["region_name", "period", "function"]).sort_index()
    row = cra.loc[("North", "2020-21", "Education")]  # function 8: 900 + 2; the current and capital blocks are not read
    assert (row["spend_million"], row["per_head"], row["year"]) == (902.0, 9020.0, 2021)
    assert len(cra.loc[("North", "2020-21")]) == 12  # ten functions, the total and the total excluding local government
    assert "(1) Higher expenditure seen from 2020-21 reflects the response to the Covid-19 pandemic." not in cra.index.get_level_values(0)


def test_region_names_of_hm_treasury_and_ons_meet():
    assert region_key("East") == region_key("East of England") and region_key("Total England") == "england"
    assert region_key("Yorkshire and The Humber") == region_key("Yorkshire and the Humber")


def test_a_sheet_without_its_row_of_years_is_refused_naming_it(tmp_path):
    path = sf.write_cra_workbook(tmp_path)
    book = load_workbook(path)
    for cell in book["9.11"][5][1:]:
        cell.value = None
    book.save(path)
    with pytest.raises(ImportFailed, match=r"its sheet '9.11' has no row of years"):
        read_cra(path)


def test_the_workbook_is_recognised_by_its_sheets_and_title(tmp_path):
    assert sniff_cra(sf.write_cra_workbook(tmp_path)) == "2018-19 to 2022-23"
    assert sniff_cra(sf.write_icb_allocations(tmp_path)) is None


@pytest.mark.skipif(not UKDATA.is_file(), reason=f"the real PESA workbook is not at {UKDATA}")
def test_the_published_workbook_gives_the_north_wests_figures_as_printed():
    cra = read_cra(UKDATA).table.set_index(["region_name", "period", "function"])
    assert cra.loc[("North West", "2022-23", "Health"), ["spend_million", "per_head"]].tolist() == [24763.0, 3295.0]
    assert cra.loc[("North West", "2022-23", "Total"), ["spend_million", "per_head"]].tolist() == [96545.0, 12845.0]
    assert cra.loc[("London", "2018-19", "Total excluding local government"), "spend_million"] > 0
