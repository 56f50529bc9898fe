"""HM Treasury's Country and Regional Analysis (PESA chapter 9 workbook): identifiable public spending
by English region (ITL1) and COFOG function, £ million and £ per head, cash terms.

Sheets read: ``9.5`` to ``9.14`` (one COFOG function each: the function's name on the third row, then
a row of year labels "2018-19\\noutturn"... whose first five columns are the function's total, the
next five its current and the last five its capital spend; one row per region, England, the other
countries and UK totals), ``9.15`` (£ per head by function: a block per year, the year alone on a
row, then the regions; the function's column headed "1. General public services"...), ``9.1a``/``9.1b``
(all functions, £ million / £ per head) and ``9.19``/``9.20`` (all functions excluding local
government, £ million / £ per head; what central government spends, which council outturn does not
already count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.workbooks import WorkbookUnreadable, sheet_names, sheets_rows

__all__ = ["COFOG_SHEETS", "TOTALS", "CountryRegionalAnalysis", "sniff_cra", "read_cra", "region_key"]

#: The sheets of one COFOG function each (their function is named in the sheet).
COFOG_SHEETS = ("9.5", "9.6", "9.7", "9.8", "9.9", "9.10", "9.11", "9.12", "9.13", "9.14")
#: Function label -> (sheet of £ million, sheet of £ per head) for the all-function totals.
TOTALS = {"Total": ("9.1a", "9.1b"), "Total excluding local government": ("9.19", "9.20")}
_YEAR = re.compile(r"^(\d{4})-(\d\d)")
_TITLE = re.compile(r"identifiable expenditure", re.I)


def region_key(name: str) -> str:
    """A region's name folded so HM Treasury's and ONS's spellings meet ("East" and "East of England")."""
    text = " ".join(str(name).lower().replace("&", "and").split())
    return {"east": "east of england", "total england": "england"}.get(text, text)


@dataclass
class CountryRegionalAnalysis:
    """The workbook read: ``table`` has region_name, period, year, function, spend_million, per_head."""

    table: pd.DataFrame
    source: str
    vintage: str


def sniff_cra(path: str | Path) -> str | None:
    """The years of a PESA chapter 9 workbook ("2018-19 to 2022-23"), known by its sheets and first title; None otherwise."""
    try:
        names = sheet_names(path)
        if not {"9.1a", "9.15", *COFOG_SHEETS} <= {n.strip() for n in names}:
            return None
        title = sheets_rows(path, ["9.1a"], max_rows=1, max_columns=1)["9.1a"]
    except (WorkbookUnreadable, OSError):
        return None
    text = str(title[0][0] or "") if title and title[0] else ""
    found = re.search(r"(\d{4}-\d\d) to (\d{4}-\d\d)", text)
    return f"{found.group(1)} to {found.group(2)}" if _TITLE.search(text) and found else None


def _label(text) -> str:
    return " ".join(str(text or "").split())


def _block(rows: list[list], path: Path, sheet: str) -> pd.DataFrame:
    """The first five year columns of a sheet's first table: region_name, period, value."""
    header = next((i for i, r in enumerate(rows) if len(r) > 1 and _YEAR.match(_label(r[1]))), None)
    if header is None:
        raise ImportFailed(str(path), f"its sheet {sheet!r} has no row of years ('2018-19 outturn'...); use HM Treasury's "
                                      "PESA chapter 9 workbook unchanged")
    years = {j: _YEAR.match(_label(c)) for j, c in enumerate(rows[header][:6]) if _YEAR.match(_label(c))}
    out = []
    for row in rows[header + 1:]:
        name = _label(row[0]) if row else ""
        if not name:
            break
        for j, found in years.items():
            value = row[j] if j < len(row) else None
            out.append({"region_name": name, "period": f"{found.group(1)}-{found.group(2)}",
                        "value": float(value) if isinstance(value, (int, float)) else None})
    return pd.DataFrame(out)


def _per_head_by_function(rows: list[list]) -> pd.DataFrame:
    """Table 9.15: region_name, period, function, per_head, from its blocks of one year each."""
    out, period, columns = [], None, {}
    for row in rows:
        first = _label(row[0]) if row else ""
        named = {j: re.sub(r"^\d+\.\s*", "", _label(c)) for j, c in enumerate(row) if j and re.match(r"^\d+\.\s", _label(c))}
        if named:
            columns = named
        elif _YEAR.fullmatch(first):
            period = first
        elif first and period and columns:
            for j, function in columns.items():
                value = row[j] if j < len(row) else None
                out.append({"region_name": first, "period": period, "function": function,
                            "per_head": float(value) if isinstance(value, (int, float)) else None})
    return pd.DataFrame(out)


def read_cra(path: str | Path) -> CountryRegionalAnalysis:
    """Read the PESA chapter 9 workbook into one row per region (as HM Treasury names it), year and function.

    Returns
    -------
    CountryRegionalAnalysis
        table: region_name, period ("2022-23"), year (2023), function (the ten COFOG functions as HM Treasury
        names them, "Total" and "Total excluding local government"), spend_million (£ million, cash), per_head
        (£ per head, cash).

    Raises
    ------
    ImportFailed
        When a sheet lacks its row of years.
    """
    path = Path(path)
    wanted = [*COFOG_SHEETS, "9.15", *(s for pair in TOTALS.values() for s in pair)]
    try:
        sheets = sheets_rows(path, wanted, max_columns=40)
    except WorkbookUnreadable as err:
        raise ImportFailed(str(path), f"it cannot be read as the PESA chapter 9 workbook ({err})") from err
    frames = []
    for sheet in COFOG_SHEETS:
        function = _label(sheets[sheet][2][1]) if len(sheets[sheet]) > 2 and len(sheets[sheet][2]) > 1 else sheet
        frames.append(_block(sheets[sheet], path, sheet).rename(columns={"value": "spend_million"}).assign(function=function))
    per_head = _per_head_by_function(sheets["9.15"])
    table = pd.concat(frames, ignore_index=True).merge(per_head, on=["region_name", "period", "function"], how="left")
    for function, (money, head) in TOTALS.items():
        both = _block(sheets[money], path, money).rename(columns={"value": "spend_million"}).merge(
            _block(sheets[head], path, head).rename(columns={"value": "per_head"}), on=["region_name", "period"], how="left")
        table = pd.concat([table, both.assign(function=function)], ignore_index=True)
    table["year"] = table["period"].str[:4].astype(int) + 1
    periods = sorted(table["period"].unique())
    source = ("HM Treasury Public Expenditure Statistical Analyses, chapter 9: Country and Regional Analysis "
              "(identifiable expenditure on services by region and COFOG function, cash)")
    return CountryRegionalAnalysis(table, source, f"{periods[0]} to {periods[-1]} outturn ({path.name})")
