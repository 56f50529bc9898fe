"""Recognise the public-spending downloads by their content: MHCLG's RSX (workbook or CSV export) and
council tax Table 9, NHS England's ICB allocation workbook and HM Treasury's PESA chapter 9 workbook;
and say why the other publications of the same series are left out (:func:`unread_spending`).

A workbook's sheet names are read once and tell which reader's title check to run, so a workbook that
is none of these is opened once more at most.
"""

from __future__ import annotations

import re
from pathlib import Path

from diagnostics.sources.england.council_tax_table9 import TABLE9_SHEETS, sniff_table9
from diagnostics.sources.england.country_regional_analysis import sniff_cra
from diagnostics.sources.england.icb_allocations import sniff_icb_allocations
from diagnostics.sources.england.revenue_outturn import sniff_rsx
from diagnostics.sources.england.workbooks import WorkbookUnreadable, csv_rows, sheet_names

__all__ = ["SPENDING_KINDS", "sniff_spending", "unread_spending"]

#: What each kind of spending file is, for the import report.
SPENDING_KINDS: dict[str, str] = {
    "rsx": "MHCLG Revenue Outturn Service Expenditure Summary (RSX): spend by body and service",
    "council_tax_table9": "MHCLG council tax Table 9 (Band D and requirement by billing and precepting authority)",
    "icb_allocations": "NHS England ICB allocation workbook (core, primary care and running cost allocations, £k)",
    "cra": "HM Treasury Country and Regional Analysis (PESA chapter 9: spending by region and function)",
}


def sniff_spending(path: str | Path) -> tuple[str, str] | None:
    """(kind, detail) of a spending file (detail: its financial year or years), or None for any other file."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        period = sniff_rsx(path)
        return ("rsx", period) if period else None
    try:
        names = {str(n).strip() for n in sheet_names(path)}
    except (WorkbookUnreadable, OSError):
        return None
    checks = (
        ("rsx", any(n.lower().startswith("rsx_la_data") for n in names), sniff_rsx),
        ("council_tax_table9", set(TABLE9_SHEETS) <= names, sniff_table9),
        ("icb_allocations", any(n.lower().startswith("icb core allocation") for n in names), sniff_icb_allocations),
        ("cra", {"9.1a", "9.15"} <= names, sniff_cra),
    )
    for kind, likely, sniff in checks:
        if likely and (detail := sniff(path)):
            return kind, detail
    return None


_RA_TITLE = re.compile(r"Revenue Account Budget \(RA\)", re.I)
_TABLE9 = "Table 9 (local authority level data, 2023-24 onward)"
#: Publications of the same series that the import knows and leaves out: (test of the sheet names, why).
_UNREAD_WORKBOOKS = (
    (lambda names: {"billing authorities", "precepting bodies", "data"} <= names,
     "MHCLG council tax requirement (CTR) local authority data before 2023-24: not read, so council tax "
     "before 2023-24 is not in the store; these workbooks name authorities by MHCLG's own E-codes only "
     f"(no ONS codes); council tax is read from {_TABLE9}"),
    (lambda names: any(n.startswith("table_7") for n in names),
     f"MHCLG council tax Table 7 (Band D by authority): the same Band D figures are read from {_TABLE9}"),
    (lambda names: "table_8" in names,
     "MHCLG council tax Table 8 (area council tax by band): bands other than D are not used; "
     f"Band D is read from {_TABLE9}"),
    (lambda names: any(n.startswith("ro3_la_data") for n in names),
     "MHCLG Revenue Outturn RO3 (social care and public health lines): not read; spending by service, "
     "these services' totals included, is read from RSX"),
    (lambda names: any(n.startswith("rs la data") or n.startswith("rs_la_data") for n in names),
     "MHCLG Revenue Outturn Summary (RS: how net spending is financed): not read; spending by service is read from RSX"),
)


def unread_spending(path: str | Path) -> str | None:
    """Why a publication of the spending series that the import does not read is left out, naming what
    is read instead (for the import report); None for any other file.

    Known: the council tax requirement workbooks before Table 9 (2015-16 to 2022-23), council tax
    Tables 7 and 8, Revenue Outturn RO3 and RS workbooks and the Revenue Account budget (RA) CSV
    export (budgets, where the diagnostic reports outturn).
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        try:
            head = " ".join(str(cell) for row in csv_rows(path, 3) for cell in row)
        except (OSError, UnicodeDecodeError):
            return None
        if _RA_TITLE.search(head):
            return ("MHCLG Revenue Account budget (RA): budgets, not read; the diagnostic reports what was spent "
                    "(outturn, from RSX)")
        return None
    try:
        names = {str(n).strip().lower() for n in sheet_names(path)}
    except (WorkbookUnreadable, OSError):
        return None
    return next((why for test, why in _UNREAD_WORKBOOKS if test(names)), None)
