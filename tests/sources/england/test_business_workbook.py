"""Reading ONS "UK business: activity, size and location" workbooks (written in the real layout by
helpers.business_files), recognising them, and the messages for a workbook of another layout."""

from __future__ import annotations

import pytest
from helpers import business_files as bf
from openpyxl import Workbook

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.business_workbook import is_business_workbook, read_business_workbook
from diagnostics.sources.england.recognise import recognise


def test_the_district_rows_of_the_five_tables_are_read_in_long_form(tmp_path):
    table = read_business_workbook(bf.write_business_workbook(tmp_path, 2020))
    assert set(table["year"]) == {2020}
    assert set(table["area_code"]) == set(bf.LOCAL_UNITS[2020])  # no UK, England, region or county rows
    units = table.loc[(table["unit"] == "local_units") & (table["breakdown"] == "industry")]
    assert units.set_index(["area_code", "category"]).loc[("E08000001", "47"), "count"] == 30
    assert "Total" not in set(table["category"])
    sizes = table.loc[(table["unit"] == "enterprises") & (table["breakdown"] == "employment_size")]
    assert sizes.loc[sizes["area_code"] == "E08000002"].set_index("category")["count"].to_dict() == bf.SIZE_BANDS
    assert set(table.groupby(["unit", "breakdown"]).size().index) == {
        ("enterprises", "industry"), ("enterprises", "employment_size"), ("enterprises", "turnover_size"),
        ("local_units", "industry"), ("local_units", "employment_size")}


def test_a_workbook_is_recognised_by_its_first_table_not_its_name(tmp_path):
    path = bf.write_business_workbook(tmp_path, 2021)
    renamed = path.rename(tmp_path / "anything.xlsx")
    assert is_business_workbook(renamed)
    assert recognise(renamed).kind == "business_counts"
    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    assert not is_business_workbook(other)
    assert "a workbook with no sheet in a layout the import reads" in recognise(other).reason


def test_a_missing_table_is_named_with_the_fix(tmp_path):
    path = bf.write_business_workbook(tmp_path, 2020, drop_sheet="Table 22")
    with pytest.raises(ImportFailed, match=r"ukbusinessworkbook2020.xlsx: the sheets \['Table 22'\] are missing .*as ONS publishes it"):
        read_business_workbook(path)


def test_headings_moved_from_where_ons_puts_them_are_an_unknown_layout(tmp_path):
    path = bf.write_business_workbook(tmp_path, 2020)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Table 11"].delete_cols(3)  # the first turnover band gone: the headings no longer start with 0-49
    book.save(path)
    with pytest.raises(ImportFailed, match=r"sheet 'Table 11' has no heading row starting '0-49'"):
        read_business_workbook(path)


def test_a_damaged_workbook_is_named(tmp_path):
    path = tmp_path / "ukbusinessworkbook2020.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert not is_business_workbook(path)
    with pytest.raises(ImportFailed, match="cannot be opened as a workbook"):
        read_business_workbook(path)
