"""ONS "UK business: activity, size and location" workbooks: business counts by district.

The annual workbook (``ukbusinessworkbookYYYY.xls``/``.xlsx``; the publication behind Nomis's UK
Business Counts) holds, among its 24-30 tables, five by area: enterprises by broad industry group
(Table 1), by employment size band (Table 10) and by turnover band (Table 11), and local units by
broad industry group (Table 16) and by employment size band (Table 22). Each of those sheets has a
title row, a "UK, YYYY" row, the column headings on a row of their own (the bands or "01-03 :
Agriculture, forestry & fishing"...), then one row per area (code, name, counts) for the UK, its
countries, regions, counties and districts, and notes below. Sheet names may carry a trailing space
("Table 10 "). Counts are rounded to 5 by ONS.

:func:`is_business_workbook` recognises one by its sheets and its first table's title;
:func:`read_business_workbook` reads the district rows of the five tables into one long table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from diagnostics.conventions import BROAD_INDUSTRY_GROUPS
from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.workbooks import sheet_names

__all__ = ["BUSINESS_TABLES", "is_business_workbook", "read_business_workbook"]

#: The workbook's tables by area: sheet name -> (unit, breakdown).
BUSINESS_TABLES: dict[str, tuple[str, str]] = {
    "Table 1": ("enterprises", "industry"),
    "Table 10": ("enterprises", "employment_size"),
    "Table 11": ("enterprises", "turnover_size"),
    "Table 16": ("local_units", "industry"),
    "Table 22": ("local_units", "employment_size"),
}
#: The column headings each breakdown must have (the industry groups by their SIC divisions).
_EXPECTED = {
    "industry": tuple(BROAD_INDUSTRY_GROUPS),
    "employment_size": ("0-4", "5-9", "10-19", "20-49", "50-99", "100-249", "250+"),
    "turnover_size": ("0-49", "50-99", "100-249", "250-499", "500-999", "1000-1999", "2000-4999", "5000-9999",
                      "10000-49999", "50000+"),
}
_DISTRICT = re.compile(r"^E0[6-9]\d{6}$")
_TITLE = re.compile(r"VAT and/or PAYE based enterprises", re.I)


def _open(path: Path) -> pd.ExcelFile:
    """The workbook, read by python-calamine (either format; a sheet's cells are read when it is parsed)."""
    return pd.ExcelFile(path, engine="calamine")


def _sheets(book: pd.ExcelFile) -> dict[str, str]:
    """The workbook's sheet names by their stripped form ("Table 10 " -> "Table 10")."""
    return {str(name).strip(): name for name in book.sheet_names}


def is_business_workbook(path: str | Path) -> bool:
    """Whether a spreadsheet is an ONS "UK business: activity, size and location" workbook.

    True when it has the sheets "Table 1", "Table 16" and "Table 22" and its Table 1's first rows
    title it "Number of VAT and/or PAYE based enterprises ..." (the other tables are checked when it
    is read). A file that cannot be opened as a workbook is not one.
    """
    path = Path(path)
    try:
        if not {"Table 1", "Table 16", "Table 22"} <= {name.strip() for name in sheet_names(path)}:
            return False
        book = _open(path)
        head = pd.read_excel(book, _sheets(book)["Table 1"], header=None, nrows=3)
    except Exception:  # noqa: BLE001 - calamine raises several types for a non-workbook
        return False
    return any(_TITLE.search(str(v)) for v in head.to_numpy().ravel())


def _heading(label) -> str:
    """A column heading's key: an industry group's SIC divisions ("01-03 : Agriculture..." -> "01-03"),
    or a band as written ("0-4", "250+")."""
    text = str(label).strip()
    return text.split(":")[0].strip() if ":" in text else text


def _year(frame: pd.DataFrame, path: Path) -> int:
    for value in frame.iloc[:, :4].to_numpy().ravel():
        m = re.search(r"(?:UK, |March )((?:19|20)\d\d)\b", str(value))
        if m:
            return int(m.group(1))
    raise ImportFailed(str(path), "its Table 1 names no year (a 'UK, YYYY' row or 'Data as at March YYYY'); "
                                  "use the workbook as ONS publishes it")


def _read_table(book: pd.ExcelFile, sheet: str, breakdown: str, path: Path) -> pd.DataFrame:
    frame = pd.read_excel(book, sheet, header=None)
    expected = _EXPECTED[breakdown]
    header_row = next((i for i in range(min(15, len(frame)))
                       if _heading(frame.iloc[i, 2] if frame.shape[1] > 2 else "") == expected[0]), None)
    if header_row is None:
        raise ImportFailed(str(path), f"sheet {sheet.strip()!r} has no heading row starting {expected[0]!r} in its "
                                      "first 15 rows (a layout this import does not know); use the workbook as ONS "
                                      "publishes it")
    headings = [_heading(v) for v in frame.iloc[header_row, 2:]]
    missing = [h for h in expected if h not in headings]
    if missing:
        raise ImportFailed(str(path), f"sheet {sheet.strip()!r} lacks the columns {missing} (found {headings[:6]} ...); "
                                      "use the workbook as ONS publishes it")
    body = frame.iloc[header_row + 1:]
    codes = body.iloc[:, 0].astype(str).str.strip()
    body = body.loc[codes.str.match(_DISTRICT)]
    columns = {h: 2 + i for i, h in enumerate(headings) if h in expected}
    counts = body.iloc[:, list(columns.values())].apply(pd.to_numeric, errors="coerce")
    counts.columns = list(columns)
    counts.insert(0, "area_code", codes.loc[body.index].to_numpy())
    long = counts.melt(id_vars="area_code", var_name="category", value_name="count").dropna(subset=["count"])
    return long.assign(breakdown=breakdown)


def read_business_workbook(path: str | Path) -> pd.DataFrame:
    """The district rows of a "UK business: activity, size and location" workbook, in long form.

    Parameters
    ----------
    path : path-like
        The ``.xls`` or ``.xlsx`` workbook as ONS publishes it.

    Returns
    -------
    DataFrame
        area_code (the district code of the snapshot's year, E06-E09), year (of the March snapshot),
        unit ("enterprises" or "local_units"), breakdown ("industry", "employment_size" or
        "turnover_size"), category (an industry group's SIC divisions, "01-03"; an employment band,
        "0-4"; a turnover band in £ thousand, "0-49"), count (businesses, rounded to 5 by ONS).
        Rows of the UK, countries, regions and counties, and each table's Total column, are left out:
        totals are summed from districts, on current codes.

    Raises
    ------
    ImportFailed
        Naming the file, when a table is missing, its headings are not where ONS puts them, or it
        names no year.
    """
    path = Path(path)
    try:
        book = _open(path)
    except Exception as err:  # noqa: BLE001 - calamine raises several types for a damaged file
        raise ImportFailed(str(path), f"it cannot be opened as a workbook ({type(err).__name__}: {err}); download it again") from err
    sheets = _sheets(book)
    missing = [name for name in BUSINESS_TABLES if name not in sheets]
    if missing:
        raise ImportFailed(str(path), f"the sheets {missing} are missing (expected {list(BUSINESS_TABLES)}: enterprises "
                                      "and local units by district); use the full workbook as ONS publishes it")
    year = _year(pd.read_excel(book, sheets["Table 1"], header=None, nrows=8), path)
    tables = []
    for name, (unit, breakdown) in BUSINESS_TABLES.items():
        tables.append(_read_table(book, sheets[name], breakdown, path).assign(unit=unit))
    out = pd.concat(tables, ignore_index=True).assign(year=year)
    out["count"] = out["count"].round().astype(int)
    return out[["area_code", "year", "unit", "breakdown", "category", "count"]]
