"""Writers of public-spending files in the publishers' real layouts for the tiny England of
:mod:`helpers.england_files`.

- :func:`write_rsx_workbook`: MHCLG's RSX "individual local authority data" sheet as the 2024-25
  workbook lays it out (sheets Front_Page, Notes, RSX_LA_Data_YYYYZZ; six title rows, the header on
  row 7, one row per body, the England row, a blank row, then the class-aggregate table under a
  repeated header), written as .xlsx (the reader is the same for the published .ods).
- :func:`write_rsx_csv`: the 2021-22 "save as CSV" export (title rows, four hidden reference rows,
  the header on record 11 with line breaks in its cells and one label missing its service's name,
  thousands separators, ``...`` for a missing return).

Spend is chosen so that every figure can be worked by hand: see :func:`rsx_value`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

#: RSX service groups as the header names them, in the form's order.
RSX_GROUPS = [
    "Education services", "Highways and transport services", "Children Social Care", "Adult Social Care",
    "Public Health", "Housing services (GFRA only)", "Cultural and related services",
    "Environmental and regulatory services", "Planning and development services", "Police services",
    "Fire and rescue services", "Central services", "Other services", "Total Service Expenditure",
]
_MEASURES = ["Employees (C1)", "Running Expenses (C2)", "Total Expenditure (C3 = C1 + C2)",
             "Sales, Fees and Charges (C4)", "Other Income (C5)", "Total Income (C6 = C4 + C5)",
             "Net Current Expenditure (C7 = C3 - C6)"]

#: (E-code, ONS code, name, class, detailed class) of the tiny England's spending bodies, 2024-25.
BODIES_2024 = [
    ("E4601", "E08000001", "Alpha", "MD", "MD"),
    ("E4602", "E08000002", "Beta", "MD", "MD"),
    ("E1031", "E07000001", "Gamma", "SD", "SD"),
    ("E4403", "E08000016", "Delta", "MD", "MD"),
    ("E1020", "E10000001", "Shire", "SC", "SC"),
    ("E7001", "E23000001", "Shire Police and Crime Commissioner", "O", "Police"),
    ("E6101", "E31000001", "Shire Fire and Rescue Authority", "O", "Fire"),
    ("E6348", "E47000001", "Alpha-Beta Combined Authority", "O", "Combined Authority"),
    ("E6901", "E26000001", "Peak National Park Authority", "O", "Park"),
    ("E6803", "E6803", "Lee Valley Regional Park Authority", "O", "Park"),
]
#: 2021-22: before Old Gamma merged into Gamma (pre-2023 structure).
BODIES_2021 = [*BODIES_2024[:3], ("E1032", "E07000099", "Old Gamma", "SD", "SD"), *BODIES_2024[3:]]
#: The body without a return in each file.
NOT_RETURNED = {"2024-25": "E08000002", "2021-22": "E07000099"}


def rsx_value(code: str, service: int, measure: int, year: int) -> float:
    """The tiny England's RSX cell: body ``code``, service group ``service`` (0-12), measure ``measure``
    (0-6 = C1..C7), financial year ending ``year``. Gross (C3) = 10 x (service + 1) + the code's last digit
    + (year - 2022); income (C6) = service + 1; net (C7) = gross - income; C1 = C3 - 1, C2 = 1; C4 = C6, C5 = 0."""
    gross = 10.0 * (service + 1) + int(code[-1]) + (year - 2022)
    income = float(service + 1)
    return [gross - 1, 1.0, gross, income, 0.0, income, gross - income][measure]


def _values(code: str, year: int) -> list[float]:
    cells = [rsx_value(code, s, m, year) for s in range(13) for m in range(7)]
    totals = [sum(cells[s * 7 + m] for s in range(13)) for m in range(7)]
    return cells + totals


def _header(csv_export: bool) -> list[str]:
    labels = []
    for group in RSX_GROUPS:
        for measure in _MEASURES:
            text, form = measure.split(" (")
            label = f"{group} - {text}\n ({form}" if csv_export else f"{group} - {measure}"
            if csv_export and group.startswith("Environmental") and form.startswith("C7"):
                label = f"{text}\n ({form}"  # as the 2021-22 export has it: no service name
            labels.append(label)
    return labels


def write_rsx_workbook(folder: Path, start: int = 2024) -> Path:
    """The RSX workbook of financial year ``start``-(``start`` + 1) under ``folder/spending/``."""
    period = f"{start}-{(start + 1) % 100:02d}"
    book = Workbook()
    book.active.title = "Front_Page"
    book.active["A1"] = f"Revenue Outturn (RO) {period}"
    notes = book.create_sheet("Notes")
    for row in (["Notes"], ["This worksheet contains one table."], ["Note number", "Note text"],
                ["[note 3]", "Combined authorities chose to submit a separate return for their police functions."],
                ["M", "RO return not received in time for publication."]):
        notes.append(row)
    ws = book.create_sheet(f"RSX_LA_Data_{start}{(start + 1) % 100:02d}")
    for line in (f"Worksheet 2: Revenue Outturn (RO) {period}: Service Expenditure Summary (RSX) data",
                 "This worksheet contains two tables. Data are reported in £ thousand.",
                 "This table contains notes, which can be found in the Notes worksheet.",
                 "Blank cells indicate that there is no note in that row.", "Row 431 is hidden.",
                 f"Source: Ministry of Housing, Communities & Local Government Revenue account Outturn (RO) returns {period} - RSX data"):
        ws.append([line])
    ids = ["E-code", "ONS Code", "Local authority", "Notes", "Class", "Detailed Class", "Certification"]
    ws.append(ids + _header(False))
    missing = NOT_RETURNED.get(period)
    for e_code, code, name, klass, detailed in BODIES_2024:
        if code == missing:
            ws.append([e_code, code, name, "M", klass, detailed, "[x]"] + ["[x]"] * 98)
        else:
            note = "[note 3]" if code.startswith("E47") else None
            ws.append([e_code, code, name, note, klass, detailed, "Y"] + _values(code, start + 1))
    ws.append(["Eng", "E92000001", "ENGLAND", None, "Eng", "Eng", 9.0] + [99999.0] * 98)
    ws.append([])
    ws.append(ids)
    ws.append(["[Y]", "E08", "Metropolitan Districts", None, "MD", "MD", 3.0] + [88888.0] * 98)
    ws.append(["E5100", "E12000007", "Greater London Authority", "[note 4]", "O", "GLA", 0.0] + [77777.0] * 98)
    path = folder / "spending" / f"mhclg_rsx_service_expenditure_{start}_{(start + 1) % 100:02d}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_rsx_csv(folder: Path, start: int = 2021) -> Path:
    """The RSX of ``start``-(``start`` + 1) as the 2021-22 spreadsheet CSV export lays it out."""
    period = f"{start}-{(start + 1) % 100:02d}"
    width = 6 + 98
    rows = [[line] + [""] * (width - 1) for line in (
        f"Worksheet 2: Revenue Outturn (RO) {period} Final: Service Expenditure Summary (RSX) data",
        "This worksheet contains 1 table. Some cells refer to notes which can be found on the notes worksheet.",
        "Data is reported in £ thousand. ", 'Produced on a non-IAS19 and PFI "Off Balance Sheet" basis unless stated otherwise.',
        f"Source: Department for Levelling Up, Housing and Communities Revenue Outturn (RO) returns {period}",
        "Last updated: 23 November 2023")]
    rows.append([""] * 6 + [f"RSX-x-{i}" for i in range(98)])
    rows.append([""] * 6 + [f"C{i % 7 + 1}R190" for i in range(98)])
    rows.append(["Hide ", "", "", "", "", "Row_no"] + ["190"] * 98)
    rows.append(["", "", "", "", "", "Col_no"] + [str(i % 7 + 1) for i in range(98)])
    rows.append(["E-code", "ONS Code", "Local authority", "Notes", "Class", "Detailed Class"] + _header(True))
    missing = NOT_RETURNED.get(period)
    for e_code, code, name, klass, detailed in BODIES_2021:
        if code == missing:
            rows.append([e_code, code, name, "M", klass, detailed] + ["..."] * 98)
        else:
            rows.append([e_code, code, name, "", klass, detailed] + [f"{v:,.0f}" for v in _values(code, start + 1)])
    rows.append(["Eng", "E92000001", "ENGLAND", "", "Eng", "Eng"] + ["99,999"] * 98)
    rows += [[""] * width, [""] * width]
    path = folder / "spending" / f"mhclg_rsx_service_expenditure_{start}_{(start + 1) % 100:02d}_csvexport.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path
