"""Publications of the spending series that the import knows but does not read are named in the
import report with what is read instead, never mistaken for another dataset (tiny files with the
publishers' sheet names and title rows; the real downloads when present)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from diagnostics.sources.england.recognise import Dataset, Ignored, recognise

SPENDING = Path("/work/shared/ukdata/spending")


def _workbook(path: Path, sheets: list[str]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        book.create_sheet(name).append(["a title row"])
    book.save(path)
    return path


@pytest.mark.parametrize(("sheets", "says"), [
    (["Billing Authorities", "Precepting Authorities", "GLA", "Data", "List", "Precepting Bodies"],
     r"council tax requirement \(CTR\) .* before 2023-24: not read.*E-codes only.*read from Table 9"),
    (["Contents", "Notes", "Table_7a", "Table_7b"], r"Table 7 \(Band D by authority\).*read from Table 9"),
    (["Table_8", "Notes"], r"Table 8 .*bands other than D are not used"),
    (["Front_Page", "Notes", "LA_drop-down", "RO3_LA_Data_202425"], r"RO3 .*not read.*read from RSX"),
    (["Front Page", "LA drop-down", "RS LA Data 2017-18"], r"Outturn Summary \(RS.*not read"),
])
def test_a_known_workbook_the_import_does_not_read_is_named_with_what_is_read_instead(tmp_path, sheets, says):
    found = recognise(_workbook(tmp_path / "book.xlsx", sheets))
    assert isinstance(found, Ignored)
    assert re.search(says, found.reason), found.reason


def test_a_revenue_account_budget_export_is_named_as_budgets_not_outturn(tmp_path):
    path = tmp_path / "ra.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Revenue Account Budget (RA) 2021-22: Revenue Account data", "", ""])
        writer.writerow(["Net current expenditure (£ thousand)", "", "4"])
        writer.writerow(["", "", "1"])
    found = recognise(path)
    assert isinstance(found, Ignored) and "budgets, not read" in found.reason and "RSX" in found.reason


def test_an_unrelated_workbook_still_gets_the_general_message(tmp_path):
    found = recognise(_workbook(tmp_path / "other.xlsx", ["Sheet1"]))
    assert isinstance(found, Ignored) and "MYE2" in found.reason


@pytest.mark.skipif(not SPENDING.is_dir(), reason=f"the real spending downloads are not at {SPENDING}")
def test_every_real_spending_download_is_read_or_named_as_not_read_for_its_own_reason():
    for path in sorted(p for p in SPENDING.rglob("*") if p.is_file()):
        found = recognise(path)
        if isinstance(found, Dataset):
            continue
        assert "MYE2" not in found.reason and "columns not recognised" not in found.reason, (path.name, found.reason)
