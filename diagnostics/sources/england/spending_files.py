"""Recognise the public-spending downloads by their content: MHCLG's RSX (workbook or CSV export) and
council tax Table 9, NHS England's ICB allocation workbook and HM Treasury's PESA chapter 9 workbook.

A workbook's sheet names are read once and tell which reader's title check to run, so a workbook that
is none of these is opened once more at most.
"""

from __future__ import annotations

from pathlib import Path

from diagnostics.sources.england.council_tax_table9 import TABLE9_SHEETS, sniff_table9
from diagnostics.sources.england.country_regional_analysis import sniff_cra
from diagnostics.sources.england.icb_allocations import sniff_icb_allocations
from diagnostics.sources.england.revenue_outturn import sniff_rsx
from diagnostics.sources.england.workbooks import WorkbookUnreadable, sheet_names

__all__ = ["SPENDING_KINDS", "sniff_spending"]

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
