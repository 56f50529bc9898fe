"""NHS England's ICB allocation workbooks read: core + primary medical + other primary care (POD) +
running costs per ICB and year (a tiny workbook in the real layout, and the published ones when present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import spending_files as sf
from openpyxl import load_workbook

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.icb_allocations import icb_place_name, read_icb_allocations, sniff_icb_allocations

UKDATA = Path("/work/shared/ukdata/spending/nhs")


def test_an_icbs_allocation_is_the_sum_of_its_four_parts_in_pounds_thousand(tmp_path):
    allocations = read_icb_allocations(sf.write_icb_allocations(tmp_path))
    west = allocations.table.set_index(["icb_code", "period"]).loc[("QAA", "2024-25")]
    assert (west["core"], west["primary_medical"], west["other_primary"], west["running_costs"]) == (1000.0, 100.0, 50.0, 10.0)
    assert west["total"] == 1160.0 and west["year"] == 2025 and west["icb_name"] == "NHS West ICB"
    assert set(allocations.table["icb_code"]) == set(sf.ICB_ALLOCATIONS_2024)  # no NHS region totals
    assert "specialised services (delegated from 2025-26) left out" in allocations.source


def test_icb_names_of_nhs_england_and_ons_join_on_their_place_name():
    assert icb_place_name("NHS Humber and North Yorkshire ICB") == icb_place_name("NHS Humber and North Yorkshire Integrated Care Board")
    assert icb_place_name("NHS Bath and North East Somerset, Swindon and Wiltshire ICB") == "bath and north east somerset, swindon and wiltshire"


def test_a_workbook_without_a_years_primary_medical_allocation_is_refused_naming_it(tmp_path):
    path = sf.write_icb_allocations(tmp_path)
    book = load_workbook(path)
    book["PMC Allocations 2024-25"].title = "PMC Allocations 2023-24"
    book.save(path)
    with pytest.raises(ImportFailed, match="it has no sheet for the primary medical allocation of 2024-25"):
        read_icb_allocations(path)


def test_a_workbook_without_icb_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sf, "ICB_ALLOCATIONS_2024", {})
    with pytest.raises(ImportFailed, match="it has no ICB row"):
        read_icb_allocations(sf.write_icb_allocations(tmp_path))


def test_the_workbook_is_recognised_by_its_sheets(tmp_path):
    assert sniff_icb_allocations(sf.write_icb_allocations(tmp_path)) == "2024-25"
    assert sniff_icb_allocations(sf.write_table9_workbook(tmp_path, 2024)) is None


@pytest.mark.skipif(not UKDATA.is_dir(), reason=f"the real NHS allocation downloads are not at {UKDATA}")
def test_published_workbooks_give_42_icbs_a_year_like_with_like():
    early = read_icb_allocations(UKDATA / "nhse_icb_allocations_2023_24_to_2024_25.xlsx").table
    late = read_icb_allocations(UKDATA / "nhse_icb_allocations_2025_26.xlsx").table
    assert early.groupby("period")["icb_code"].nunique().to_dict() == {"2023-24": 42, "2024-25": 42}
    assert late["icb_code"].nunique() == 42 and late["total"].notna().all()
    humber = early.set_index(["icb_code", "period"]).loc[("QOQ", "2023-24")]
    assert (humber["core"], humber["primary_medical"], humber["running_costs"]) == (2964813.0, 325088.0, 33523.0)
