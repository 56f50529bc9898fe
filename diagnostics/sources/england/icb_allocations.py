"""NHS England's allocations to integrated care boards (ICB allocation workbooks), £ thousand.

Each workbook has one sheet per allocation and year ("ICB Core Allocations 2024-25", "PMC
Allocations 2024-25" / "PMC Allocation 2025-26", "Other Primary Care" (2023-24 and 2024-25 side
by side) / "POD Allocation 2025-26", "ICB running cost allowance" (one column per year), and, from
2025-26, "Specialised Allocations"). In each: a title row or two, the header row starting ``R23,
Region, ICB23``, then one row per ICB (its NHS code ``QOQ`` and name "NHS Humber and North Yorkshire
ICB") and NHS region and England totals below (codes ``Y56``...). The column read is the year's
"Recurrent allocation (£k)" (running costs: the year's "£k" column).

Like with like across years, an ICB's allocation here is core services + primary medical care +
other primary care (pharmacy, optometry and dental: "Other Primary Care" to 2024-25, "POD" from
2025-26) + running costs. Specialised services, delegated only from 2025-26, are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.workbooks import WorkbookUnreadable, sheet_names, sheets_rows

__all__ = ["ICB_PARTS", "COMPOSITION", "IcbAllocations", "sniff_icb_allocations", "read_icb_allocations", "icb_place_name"]

#: The parts summed, by the sheet that holds each (a year's sheets end in " YYYY-YY").
ICB_PARTS = ("core", "primary_medical", "other_primary", "running_costs")
_ICB_CODE = re.compile(r"^Q[A-Z0-9]{2}$")
_CORE = re.compile(r"^ICB Core Allocations? (\d{4})-(\d\d)$", re.I)
COMPOSITION = ("core services + primary medical care + other primary care (pharmacy, optometry, dental; 'POD' "
               "from 2025-26) + running costs; specialised services (delegated from 2025-26) left out, like with like")


def icb_place_name(name: str) -> str:
    """An ICB's name without "NHS" and "ICB"/"Integrated Care Board", folded: joins NHS England's "NHS Humber and
    North Yorkshire ICB" to ONS's "NHS Humber and North Yorkshire Integrated Care Board"."""
    text = " ".join(str(name).replace("&", " and ").split()).lower()
    text = re.sub(r"\b(integrated care board|icb)\b", "", text)
    return " ".join(text.removeprefix("nhs ").split())


@dataclass
class IcbAllocations:
    """One workbook read: one row per ICB and financial year (icb_code, icb_name, period, year, and each part
    of :data:`ICB_PARTS` and ``total`` in £ thousand)."""

    table: pd.DataFrame
    source: str
    vintage: str


def sniff_icb_allocations(path: str | Path) -> str | None:
    """The financial years of an ICB allocation workbook ("2023-24,2024-25"), known by its sheets; None otherwise."""
    try:
        names = sheet_names(path)
    except (WorkbookUnreadable, OSError):
        return None
    years = [f"{m.group(1)}-{m.group(2)}" for n in names if (m := _CORE.match(n.strip()))]
    has_pmc = any(n.strip().lower().startswith("pmc allocation") for n in names)
    return ",".join(years) if years and has_pmc else None


def _fold(text) -> str:
    return " ".join(str(text or "").split()).lower()


def _column(rows: list[list], wanted, path: Path, sheet: str) -> tuple[int, int]:
    """(header row, column) of the first heading ``wanted`` (a predicate of the folded heading) accepts."""
    header = next((i for i, r in enumerate(rows) if r and _fold(r[0]) == "r23"), None)
    if header is not None:
        column = next((j for j, c in enumerate(rows[header]) if c and wanted(_fold(c))), None)
        if column is not None:
            return header, column
    raise ImportFailed(str(path), f"its sheet {sheet!r} has no 'R23, Region, ICB23' header with the allocation column "
                                  "this reader needs; use NHS England's ICB allocation workbook unchanged")


def _values(rows, header: int, column: int) -> dict[str, tuple[str, float]]:
    out = {}
    for row in rows[header + 1:]:
        code = str(row[2] or "").strip() if len(row) > 2 else ""
        if _ICB_CODE.match(code) and column < len(row) and isinstance(row[column], (int, float)):
            out[code] = (str(row[3]).strip(), float(row[column]))
    return out


def read_icb_allocations(path: str | Path) -> IcbAllocations:
    """Read an ICB allocation workbook: each ICB's allocation per financial year, by part and in total.

    Raises
    ------
    ImportFailed
        When a part's sheet or column is missing for a year of the workbook.
    """
    path = Path(path)
    try:
        names = list(sheet_names(path))
    except WorkbookUnreadable as err:
        raise ImportFailed(str(path), f"it cannot be read as an ICB allocation workbook ({err})") from err
    years = [(m.group(1), m.group(2)) for n in names if (m := _CORE.match(n.strip()))]
    by_lower = {n.strip().lower(): n for n in names}
    sheets = sheets_rows(path, [n for n in names if "baseline" not in n.lower()], max_columns=60)
    rows = []
    for start, end in years:
        period, slash = f"{start}-{end}", f"{start}/{end}"

        def allocation(heading: str, s: str = slash) -> bool:
            return heading.startswith(f"{s} recurrent allocation") and "£k" in heading and "growth" not in heading

        def running(heading: str, s: str = slash) -> bool:
            return heading.startswith(s) and "£k" in heading

        sources = {
            "core": (f"icb core allocations {period}", allocation),
            "primary_medical": (next((k for k in by_lower if k.startswith("pmc allocation") and k.endswith(period)), ""), allocation),
            "other_primary": ((f"pod allocation {period}" if f"pod allocation {period}" in by_lower else "other primary care"), allocation),
            "running_costs": ("icb running cost allowance", running),
        }
        parts = {}
        for part, (sheet_key, wanted) in sources.items():
            if sheet_key not in by_lower:
                raise ImportFailed(str(path), f"it has no sheet for the {part.replace('_', ' ')} allocation of {period}; "
                                              "use NHS England's ICB allocation workbook unchanged")
            sheet = by_lower[sheet_key]
            header, column = _column(sheets[sheet], wanted, path, sheet)
            parts[part] = _values(sheets[sheet], header, column)
        for code, (name, _) in parts["core"].items():
            values = {part: parts[part].get(code, (name, None))[1] for part in ICB_PARTS}
            total = sum(values.values()) if all(v is not None for v in values.values()) else None
            rows.append({"icb_code": code, "icb_name": name, "period": period, "year": int(start) + 1, **values, "total": total})
    if not rows:
        raise ImportFailed(str(path), "it has no ICB row (an NHS code such as QOQ in the ICB23 column); use NHS England's "
                                      "ICB allocation workbook unchanged")
    table = pd.DataFrame(rows)
    label = ", ".join(sorted(table["period"].unique()))
    return IcbAllocations(table, f"NHS England ICB allocations {label}: {COMPOSITION}", f"allocations as published ({path.name})")
