"""ONS mid-year estimates read in every layout ONS published them: the mid-2014 CSV exports, the
.xlsx workbooks (written here in the mid-2022 layout), the mid-2024 persons CSV and, when the real
downloads are present, ONS's own .xls workbooks (python-calamine reads them; no library here writes .xls)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import england_population_files as pf

from diagnostics.sources.england.mye import read_mid_year_estimates, sniff_mid_year_estimates, to_age_bands
from diagnostics.sources.england.recognise import Dataset, Ignored, recognise

UKDATA = Path("/work/shared/ukdata/population")


def test_the_2014_csv_exports_are_recognised_with_their_sex_and_year(tmp_path):
    persons, males, females = pf.write_mye_2014_csvs(tmp_path)
    found = {p.name: sniff_mid_year_estimates(p) for p in (persons, males, females)}
    assert [(f.year, sorted(f.sexes), f.year_from_name) for f in found.values()] == [
        (2014, ["P"], False), (2014, ["M"], False), (2014, ["F"], False)]
    assert recognise(females) == Dataset("population", females, "mid-2014:F")


def test_the_2014_csv_is_read_as_single_years_with_thousands_separators_removed(tmp_path):
    _, males, _ = pf.write_mye_2014_csvs(tmp_path)
    table = read_mid_year_estimates(sniff_mid_year_estimates(males))
    alpha = table.loc[table["code"] == "E08000001"]
    assert len(alpha) == 91 and alpha["age"].tolist() == list(range(91))
    assert alpha["population"].sum() == sum(pf.population(a, "M", 1.0) for a in range(91))
    assert set(table["code"]) >= {"K02000001", "E92000001", "E07000099"}


def test_an_xlsx_workbook_in_the_mid_2022_layout_is_read_sheet_by_sex(tmp_path):
    path = pf.write_mye_xlsx(tmp_path)
    found = sniff_mid_year_estimates(path)
    assert found.year == 2022 and {(lay.sex, lay.sheet, lay.header) for lay in found.layouts} == {
        ("P", "MYE2 - Persons", 7), ("F", "MYE2 - Females", 7), ("M", "MYE2 - Males", 7)}
    table = read_mid_year_estimates(found, ("F",))
    gamma = table.loc[table["code"] == "E07000001"]
    assert set(gamma["sex"]) == {"F"} and gamma.loc[gamma["age"] == 90, "population"].item() == pf.population(90, "F", 1.5)


def test_the_2024_csv_takes_its_year_from_the_file_name_and_says_so(tmp_path):
    path = pf.write_mye_2024_csv(tmp_path)
    found = sniff_mid_year_estimates(path)
    assert (found.year, found.sexes, found.year_from_name) == (2024, {"P"}, True)
    assert recognise(path).detail == "mid-2024:P:year-from-name"


def test_a_csv_with_no_year_anywhere_is_ignored_saying_how_to_fix_it(tmp_path):
    path = pf.write_mye_2024_csv(tmp_path).rename(tmp_path / "persons_estimates.csv")
    result = recognise(path)
    assert isinstance(result, Ignored) and "no year" in result.reason and "add the year to the file name" in result.reason


def test_a_workbook_of_another_layout_is_ignored_naming_what_was_expected(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Local authority", "Council tax"])
    book.save(tmp_path / "ctr.xlsx")
    result = recognise(tmp_path / "ctr.xlsx")
    assert isinstance(result, Ignored) and "ONS MYE2" in result.reason and "export the table as CSV" in result.reason


def test_a_damaged_workbook_is_ignored_not_fatal(tmp_path):
    (tmp_path / "broken.xls").write_bytes(b"not a workbook")
    assert isinstance(recognise(tmp_path / "broken.xls"), Ignored)


def test_single_years_fall_into_the_stores_age_bands():
    import pandas as pd

    assert to_age_bands(pd.Series([0, 1, 14, 15, 89, 90])).tolist() == ["0", "1-4", "10-14", "15-19", "85-89", "90+"]


@pytest.mark.skipif(not (UKDATA / "ons_mye_uk_mid2018_lad2019codes.xls").is_file(),
                    reason="ONS's .xls workbooks are read from the real downloads (no library here writes .xls); absent")
def test_onss_xls_workbooks_are_read_whatever_their_sheet_names_and_header_rows():
    # 'Persons UK' with the header on row 3 (mid-2015); 'MYE2-All' on row 5 (mid-2018); 'MYE2 - Persons' on row 8 (mid-2020)
    for name, sheet, header in (("ons_mye_uk_mid2015_lad2015.xls", "Females UK ", 2),
                                ("ons_mye_uk_mid2018_lad2019codes.xls", "MYE2 - Females", 4),
                                ("ons_mye_uk_mid2020_lad2021geog.xls", "MYE2 - Females", 7)):
        found = sniff_mid_year_estimates(UKDATA / name)
        assert found.sexes == {"P", "F", "M"}
        assert next(lay for lay in found.layouts if lay.sex == "F") .sheet == sheet
        assert next(lay for lay in found.layouts if lay.sex == "F").header == header
    table = read_mid_year_estimates(sniff_mid_year_estimates(UKDATA / "ons_mye_uk_mid2015_lad2015.xls"), ("P",))
    assert table.loc[table["code"] == "E92000001", "population"].sum() == 54786327  # England, mid-2015 (SOURCES.md)


def test_a_workbook_whose_sheet_cannot_be_parsed_is_ignored_not_fatal(tmp_path):
    import zipfile

    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="MYE2 - Persons" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="worksheet"/></Relationships>')
    with zipfile.ZipFile(tmp_path / "mye_truncated.xlsx", "w") as book:
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", rels)
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r='1'><c")
    assert isinstance(recognise(tmp_path / "mye_truncated.xlsx"), Ignored)
