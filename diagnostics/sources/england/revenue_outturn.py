"""MHCLG's Revenue Outturn Service Expenditure Summary (RSX): every spending body's gross spend,
income and net current expenditure by service area, £ thousand.

The RSX "individual local authority data" sheet (``RSX_LA_Data_2024-25`` in the published .ods;
2021-22 also as a spreadsheet's CSV export of it) has title and notes rows, hidden reference rows
(asset IDs, form line numbers), then a header row starting ``E-code, ONS Code, Local authority,
Notes, Class, Detailed Class`` (2022-23 onward also ``Certified``/``Certification``), then one row
per spending body: districts (class SD), counties (SC), unitaries (UA), metropolitan districts (MD),
London boroughs (LB) and, of class O, police and crime commissioners (E23), fire and rescue
authorities (E31), combined authorities (E47), the GLA (E12000007), national parks (E26), waste
authorities (E50) and the Lee Valley Regional Park (E-code only). Then the England row (E92000001),
and below it a second table of class aggregates (E-code ``[Y]``) under a repeated header: both are
aggregates and are dropped. Each service group has seven columns (C1 employees ... C7 net current
expenditure = C3 - C6); this reader keeps C3 (gross), C6 (income) and C7 (net) of the 13 services.

A body whose return was not received has ``M`` in Notes and ``[x]`` (CSV export: ``...``) in every
value: it is kept, with ``returned`` False and the reason, and has no spend rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.workbooks import WorkbookUnreadable, csv_rows, sheet_names, sheet_rows

__all__ = ["RSX_SERVICES", "RsxReturn", "sniff_rsx", "read_rsx", "financial_year"]

#: RSX service group (the header's text before " - ", case and spaces folded) -> contract service key.
RSX_SERVICES: dict[str, str] = {
    "education services": "education",
    "highways and transport services": "highways_transport",
    "children social care": "childrens_social_care",
    "adult social care": "adult_social_care",
    "public health": "public_health",
    "housing services (gfra only)": "housing",
    "cultural and related services": "cultural",
    "environmental and regulatory services": "environmental_regulatory",
    "planning and development services": "planning_development",
    "police services": "police",
    "fire and rescue services": "fire_rescue",
    "central services": "central",
    "other services": "other",
}
#: The RSX measure columns kept: form column -> contract column.
_MEASURES = {"C3": "gross", "C6": "income", "C7": "net"}
#: Class (and, for class O, Detailed Class) -> contract body type; ``Eng`` is the England aggregate.
_CLASSES = {"SD": "district", "SC": "county", "UA": "unitary", "MD": "metropolitan", "LB": "london_borough"}
_DETAILED = {
    "police": "police", "p": "police", "fire": "fire", "fr": "fire", "combined authority": "combined_authority",
    "ca": "combined_authority", "gla": "gla", "park": "national_park", "npa": "national_park", "waste": "waste",
    "wa": "waste",
}
_TITLE = re.compile(r"Revenue Outturn \(RO\) (\d{4})-(\d\d)\b.*Service Expenditure Summary \(RSX\)", re.I)
_UPDATED = re.compile(r"Last updated:?\s*(.+)", re.I)
_ONS_CODE = re.compile(r"^E\d{8}$")
_E_CODE = re.compile(r"^E\d{4}$")
_MISSING_VALUES = {"[x]", "...", "..", "[z]", "[y]", "-", ""}
_SHEET = re.compile(r"^RSX_LA_Data", re.I)
NOT_RETURNED = ("no Revenue Outturn return was received in time for publication (MHCLG's 'M', values '[x]'): "
                "its spend is unknown, not zero")


def financial_year(start: int) -> tuple[str, int]:
    """The contract's label and year of the financial year starting in April of ``start``: 2024 -> ("2024-25", 2025)."""
    return f"{start}-{(start + 1) % 100:02d}", start + 1


@dataclass
class RsxReturn:
    """One RSX file read: its year, the bodies (returned or not) and their spend.

    Attributes
    ----------
    period : str
        The financial year, "2024-25".
    bodies : DataFrame
        The contract's spend_bodies columns but provenance, and ``e_code`` (MHCLG's own code of the body).
    spend : DataFrame
        The contract's spend columns but provenance; £ thousand.
    source, vintage : str
        Provenance for both tables.
    aggregates : list of str
        The aggregate rows dropped (England), for the report.
    """

    period: str
    bodies: pd.DataFrame
    spend: pd.DataFrame
    source: str
    vintage: str
    aggregates: list[str] = field(default_factory=list)


def _rows(path: Path, max_rows: int | None = None) -> list[list]:
    """The RSX sheet's rows (workbook) or the CSV export's rows, as lists of cells."""
    if path.suffix.lower() == ".csv":
        return [[c if c != "" else None for c in row] for row in csv_rows(path, max_rows)]
    sheet = next((s for s in sheet_names(path) if _SHEET.match(s)), None)
    if sheet is None:
        return []
    return sheet_rows(path, sheet, max_rows=max_rows, max_columns=120)


def sniff_rsx(path: str | Path) -> str | None:
    """The financial year ("2024-25") of an RSX file (workbook or CSV export), known by its title row; None
    for any other file (or one that cannot be read as a workbook or CSV)."""
    try:
        rows = _rows(Path(path), max_rows=12)
    except (WorkbookUnreadable, OSError, UnicodeDecodeError):
        return None
    for row in rows[:6]:
        found = _TITLE.search(str(row[0] or "")) if row else None
        if found:
            return financial_year(int(found.group(1)))[0]
    return None


def _fold(text) -> str:
    return " ".join(str(text or "").split()).lower()


def _columns(header: list) -> dict[tuple[str, str], int]:
    """(service key, contract measure) -> column index, from the header row's labels. A label without its
    service's name (the 2021-22 export has "Net Current Expenditure (C7 ...)" alone once) belongs to the
    group of the column before it: each service's seven columns are side by side."""
    found = {}
    service = None
    for i, label in enumerate(header):
        text = _fold(label)
        measure = re.search(r"\((c\d)\b", text)
        if not measure:
            continue
        named = re.split(r"\s*-\s*(?=(?:employees|running|total|sales|other income|net))", text)[0].strip(" -")
        if named in RSX_SERVICES or named.startswith("total service"):
            service = RSX_SERVICES.get(named)
        if service and measure.group(1).upper() in _MEASURES:
            found[(service, _MEASURES[measure.group(1).upper()])] = i
    return found


def _number(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "")
    if text.lower() in _MISSING_VALUES:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _body_type(klass: str, detailed: str, code: str) -> str | None:
    """The contract's body type of an RSX row's class; None for the England aggregate."""
    klass = (klass or "").strip()
    if klass.lower() == "eng":
        return None
    if klass in _CLASSES:
        return _CLASSES[klass]
    kind = _DETAILED.get(_fold(detailed), "other_authority")
    if kind == "national_park" and not code.startswith("E26"):
        return "other_authority"  # Lee Valley Regional Park: classed with the parks, not one
    return kind


def read_rsx(path: str | Path, notes: dict[str, str] | None = None) -> RsxReturn:
    """Read one RSX file (the .ods/.xlsx sheet or its CSV export) into spend bodies and spend.

    Parameters
    ----------
    path : path-like
        The RSX workbook or CSV export.
    notes : dict, optional
        Note marker -> text (``"[note 3]"`` -> ...), to carry a body's note into ``note``;
        read from the workbook's Notes sheet when not given.

    Returns
    -------
    RsxReturn
        Bodies (one row per spending body, aggregates dropped; ``returned`` False with the reason for a
        missing return) and spend (13 services per returned body: gross = C3, income = C6, net = C7,
        £ thousand).

    Raises
    ------
    ImportFailed
        When the file has no RSX title, no ``E-code`` header row, or lacks a service's C3, C6 or C7 column.
    """
    path = Path(path)
    try:
        rows = _rows(path)
    except WorkbookUnreadable as err:
        raise ImportFailed(str(path), f"it cannot be read as the RSX workbook ({err}); download it again") from err
    title = next((_TITLE.search(str(r[0] or "")) for r in rows[:6] if r and _TITLE.search(str(r[0] or ""))), None)
    header_at = next((i for i, r in enumerate(rows) if r and _fold(r[0]) == "e-code"), None)
    if title is None or header_at is None:
        raise ImportFailed(str(path), "it is not an RSX sheet: no 'Revenue Outturn (RO) YYYY-YY ... Service Expenditure "
                                      "Summary (RSX)' title or no 'E-code' header row; use MHCLG's RSX individual LA data file")
    period, year = financial_year(int(title.group(1)))
    columns = _columns(rows[header_at])
    wanted = [(s, m) for s in RSX_SERVICES.values() for m in _MEASURES.values()]
    lacking = [f"{s} {m}" for s, m in wanted if (s, m) not in columns]
    if lacking:
        raise ImportFailed(str(path), f"its header row lacks the RSX columns for {', '.join(lacking[:4])}"
                                      + (" ..." if len(lacking) > 4 else "") + "; use MHCLG's RSX individual LA data file unchanged")
    notes = notes if notes is not None else _notes(path)
    updated = next((m.group(1).strip() for r in rows[:header_at] if r and (m := _UPDATED.search(str(r[0] or "")))), None)
    bodies, spend, aggregates = [], [], []
    for row in rows[header_at + 1:]:
        row = list(row) + [None] * (max(columns.values()) + 1 - len(row))
        e_code, ons_code = str(row[0] or "").strip(), str(row[1] or "").strip()
        if not e_code or _fold(e_code) == "e-code":
            break  # the end of the first table: a blank row or the class-aggregate table's header
        code = ons_code if _ONS_CODE.match(ons_code) else (e_code if _E_CODE.match(e_code) else None)
        body_type = _body_type(str(row[4] or ""), str(row[5] or ""), code or "") if code else None
        if body_type is None:
            aggregates.append(f"{row[2]} ({ons_code or e_code})")
            continue
        values = {key: _number(row[i]) for key, i in columns.items()}
        returned = _fold(row[3]) != "m" and any(v is not None for v in values.values())
        marker = str(row[3] or "").strip()
        note = NOT_RETURNED if not returned else notes.get(marker)
        bodies.append({"body_code": code, "period": period, "year": year, "body_name": str(row[2]).strip(),
                       "body_type": body_type, "returned": returned, "note": note, "e_code": e_code})
        if returned:
            for service in RSX_SERVICES.values():
                spend.append({"body_code": code, "period": period, "year": year, "service": service,
                              **{m: values[(service, m)] for m in _MEASURES.values()}})
    if not bodies:
        raise ImportFailed(str(path), "it has the RSX header but no row of a spending body under it (ONS code "
                                      "'E' and eight digits); use MHCLG's RSX individual LA data file unchanged")
    source = f"MHCLG Revenue Outturn {period}: Service Expenditure Summary (RSX), individual local authority data"
    vintage = f"{period} outturn" + (f", last updated {updated}" if updated else "") + f" ({path.name})"
    return RsxReturn(period, pd.DataFrame(bodies), pd.DataFrame(spend), source, vintage, aggregates)


def _notes(path: Path) -> dict[str, str]:
    """Note marker -> text from a workbook's Notes sheet (none for a CSV export or a workbook without one)."""
    if path.suffix.lower() == ".csv":
        return {}
    try:
        sheet = next((s for s in sheet_names(path) if s.strip().lower() == "notes"), None)
        rows = sheet_rows(path, sheet, max_columns=2) if sheet else []
    except WorkbookUnreadable:
        return {}
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) > 1 and r[0] and r[1] and str(r[0]).startswith("[note")}
