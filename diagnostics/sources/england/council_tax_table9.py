"""MHCLG's council tax "Table 9" workbook (local authority level data): Band D and council tax
requirement of every billing authority, and the bodies that levy on each (county or GLA, police,
fire, combined authority).

Three sheets are read. ``Data_Billing``: four title rows (the fourth names "the current year ...
financial year 2024-25"), the header on the row starting ``E-code``, class aggregates (E-code
``TE``, ``ILB``, ``MD``...) then one row per billing authority, in £: line 2 parish precepts, line 3
council tax requirement excluding local precepts, line 7 the tax base for tax setting, lines 8 and
9 the average Band D including and excluding local precepts, and line 16 the Band D of each major
preceptor in the authority's area (county or GLA, police, fire, combined authority), each "previous
year" and "current year" (line 16 current only). ``Precepting_Bodies``: one row per billing authority
with the *names* (MHCLG's short names, "Cambridgeshire PCC", "Derbyshire Fire", "-" for none) of its
county, police, fire and combined authority. Money is converted to £ thousand for requirements;
Band D stays in £.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.workbooks import WorkbookUnreadable, sheet_names, sheets_rows

__all__ = ["TABLE9_SHEETS", "Table9", "sniff_table9", "read_table9", "PRECEPTOR_ROLES", "body_key"]

#: The sheets that make a workbook a Table 9.
TABLE9_SHEETS = ("Data_Billing", "Data_Precepting", "Precepting_Bodies")
#: Precepting_Bodies column heading -> the role it names (and the line-16 column's bracket).
PRECEPTOR_ROLES = {"county": "county or gla", "police": "police", "fire": "fire", "combined authorities": "combined authority"}
_CURRENT = re.compile(r"current year .* financial year (\d{4})-(\d\d)", re.I)
_ONS_CODE = re.compile(r"^E0[6-9]\d{6}$")
_CLASSES = {"SD": "district", "UA": "unitary", "MD": "metropolitan", "ILB": "london_borough", "OLB": "london_borough", "LB": "london_borough"}
_ROLE_WORDS = re.compile(r"\b(pcc|pcfc|pfcc|police|fire|combined|mayoral|authority|authorities|and crime|council|cc|ua)\b")


def body_key(name: str) -> str:
    """A body's place name, the part of its name before the first word saying what it is: "Devon & Somerset
    Fire" and "Devon and Somerset Fire and Rescue Authority" -> "devon and somerset"."""
    text = re.sub(r"[^a-z ]", " ", str(name).lower().replace("&", " and "))
    text = " ".join(text.split()).removeprefix("the ").replace(" iow ", " isle of wight ")
    found = _ROLE_WORDS.search(text)
    return (text[: found.start()] if found else text).strip()


@dataclass
class Table9:
    """One Table 9 workbook read.

    Attributes
    ----------
    period : str
        The workbook's current financial year, "2024-25".
    billing : DataFrame
        One row per billing authority: billing_code, e_code, name, body_type, requirement (£ thousand,
        excluding local precepts), parish_requirement (£ thousand), tax_base (Band D equivalents), band_d (£,
        excluding local precepts), band_d_with_parishes (£), and band_d_<role> (£) for each of county, police,
        fire and combined authority (0 where none levies).
    preceptors : DataFrame
        billing_code, role (county, police, fire, combined authorities), preceptor_name (MHCLG's short name).
    source, vintage : str
    """

    period: str
    billing: pd.DataFrame
    preceptors: pd.DataFrame
    source: str
    vintage: str


def sniff_table9(path: str | Path) -> str | None:
    """The current financial year ("2024-25") of a Table 9 workbook, known by its sheets and title rows;
    None for any other file."""
    try:
        if not set(TABLE9_SHEETS) <= set(sheet_names(path)):
            return None
        rows = sheets_rows(path, ["Data_Billing"], max_rows=6, max_columns=2)["Data_Billing"]
    except (WorkbookUnreadable, OSError):
        return None
    for row in rows:
        found = _CURRENT.search(str(row[0] or "")) if row else None
        if found:
            return f"{found.group(1)}-{found.group(2)}"
    return None


def _fold(text) -> str:
    return " ".join(str(text or "").split()).lower()


def _number(value) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


#: Data_Billing columns: contract name -> (line number, what else the heading must say).
_BILLING_LINES = {
    "parish_requirement": ("2.", "(current year)"),
    "requirement": ("3.", "(current year)"),
    "tax_base": ("7.", "(current year)"),
    "band_d_with_parishes": ("8.", "(current year)"),
    "band_d": ("9.", "(current year)"),
    **{f"band_d_{role.split()[0]}": ("16.", f"({bracket})") for role, bracket in PRECEPTOR_ROLES.items()},
}


def _billing_columns(header: list, path: Path) -> dict[str, int]:
    found = {}
    for name, (line, also) in _BILLING_LINES.items():
        found[name] = next((i for i, h in enumerate(header) if _fold(h).startswith(line) and also in _fold(h)), None)
    lacking = [f"line {_BILLING_LINES[n][0].rstrip('.')} {_BILLING_LINES[n][1]}" for n, i in found.items() if i is None]
    if lacking:
        raise ImportFailed(str(path), f"its Data_Billing header lacks {', '.join(lacking)}; use MHCLG's Table 9 workbook unchanged")
    return found


def read_table9(path: str | Path) -> Table9:
    """Read one Table 9 workbook (.ods or .xlsx).

    Returns
    -------
    Table9
        The billing authorities' own figures and their preceptors' Band D (the current year only), and
        which county, police, fire and combined authority levy on each (by MHCLG's short names).

    Raises
    ------
    ImportFailed
        When a sheet lacks its header row or a column this reader needs, or the current year is not said.
    """
    path = Path(path)
    try:
        sheets = sheets_rows(path, ["Data_Billing", "Precepting_Bodies"], max_columns=60)
    except WorkbookUnreadable as err:
        raise ImportFailed(str(path), f"it cannot be read as the council tax Table 9 workbook ({err})") from err
    data, bodies = sheets["Data_Billing"], sheets["Precepting_Bodies"]
    year = next((m for r in data[:6] if r and (m := _CURRENT.search(str(r[0] or "")))), None)
    header_at = next((i for i, r in enumerate(data) if r and _fold(r[0]) == "e-code"), None)
    if year is None or header_at is None:
        raise ImportFailed(str(path), "its Data_Billing sheet has no 'current year ... financial year YYYY-YY' title or no "
                                      "'E-code' header row; use MHCLG's Table 9 workbook unchanged")
    period = f"{year.group(1)}-{year.group(2)}"
    columns = _billing_columns(data[header_at], path)
    billing = []
    for row in data[header_at + 1:]:
        code = str(row[1] or "").strip()
        if not _ONS_CODE.match(code):
            continue  # class aggregates and England
        values = {name: _number(row[i]) for name, i in columns.items()}
        for money in ("requirement", "parish_requirement"):
            values[money] = values[money] / 1000 if values[money] is not None else None
        billing.append({"billing_code": code, "e_code": str(row[0]).strip(), "name": str(row[2]).strip(),
                        "body_type": _CLASSES.get(str(row[4]).strip(), "district"), **values})
    if not billing:
        raise ImportFailed(str(path), "its Data_Billing sheet has no billing authority row (an ONS code E06-E09); use "
                                      "MHCLG's Table 9 workbook unchanged")
    roles_at = next((i for i, r in enumerate(bodies) if r and any(_fold(c) in PRECEPTOR_ROLES for c in r if c)), None)
    if roles_at is None:
        raise ImportFailed(str(path), "its Precepting_Bodies sheet has no 'County, Police, Fire, Combined Authorities' "
                                      "heading row; use MHCLG's Table 9 workbook unchanged")
    role_columns = {_fold(c): i for i, c in enumerate(bodies[roles_at]) if c and _fold(c) in PRECEPTOR_ROLES}
    preceptors = []
    for row in bodies[roles_at + 1:]:
        code = str(row[2] or "").strip() if len(row) > 2 else ""
        if not _ONS_CODE.match(code):
            continue
        for role, i in role_columns.items():
            name = str(row[i] or "").strip() if i < len(row) else ""
            if name and name not in ("-", "None"):
                preceptors.append({"billing_code": code, "role": role, "preceptor_name": name})
    source = f"MHCLG Council Tax levels set by local authorities {period}, Table 9 (local authority level data)"
    return Table9(period, pd.DataFrame(billing), pd.DataFrame(preceptors, columns=["billing_code", "role", "preceptor_name"]),
                  source, f"{period} as set in March ({path.name})")
