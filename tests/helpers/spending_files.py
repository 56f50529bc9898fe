"""Writers of public-spending files in the publishers' real layouts for the tiny England of
:mod:`helpers.england_files`.

- :func:`write_rsx_workbook`: MHCLG's RSX "individual local authority data" sheet as the 2024-25
  workbook lays it out (sheets Front_Page, Notes, RSX_LA_Data_YYYYZZ; six title rows, the header on
  row 7, one row per body, the England row, a blank row, then the class-aggregate table under a
  repeated header), written as .xlsx (the reader is the same for the published .ods).
- :func:`write_table9_workbook`: the council tax Table 9 workbook (Data_Billing with its four title
  rows, class aggregates and lines 2-9 and 16; Precepting_Bodies with MHCLG's short names).
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
    ("E7042", "E23000002", "Alpha-Beta Police", "O", "Police"),
    ("E6101", "E31000001", "Shire Fire and Rescue Authority", "O", "Fire"),
    ("E6102", "E31000002", "Shire & Delta Fire and Rescue Authority", "O", "Fire"),
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


#: Council tax of the tiny England's billing authorities (Table 9 of 2024-25), £: (E-code, ONS code, name,
#: class, requirement excl. parishes, parish precepts, tax base, Band D incl. parishes, Band D excl. parishes,
#: Band D of county, police, fire, combined authority).
BILLING_2024 = [
    ("E4601", "E08000001", "Alpha", "MD", 150_000_000.0, 0.0, 100_000.0, 1500.0, 1500.0, 0.0, 250.0, 0.0, 100.0),
    ("E4602", "E08000002", "Beta", "MD", 80_000_000.0, 0.0, 50_000.0, 1600.0, 1600.0, 0.0, 250.0, 0.0, 100.0),
    ("E1031", "E07000001", "Gamma", "SD", 6_000_000.0, 500_000.0, 25_000.0, 260.0, 240.0, 1600.0, 280.0, 80.0, 0.0),
    ("E4403", "E08000016", "Delta", "MD", 70_000_000.0, 0.0, 40_000.0, 1750.0, 1750.0, 0.0, 280.0, 90.0, 0.0),
]
#: Each billing authority's preceptors as Precepting_Bodies names them (MHCLG's short names).
PRECEPTORS_2024 = {
    "E08000001": ("-", "Alpha-Beta Combined Authority - PCC functions", "-", "Alpha-Beta Combined Authority - General functions"),
    "E08000002": ("-", "Alpha-Beta Combined Authority - PCC functions", "-", "Alpha-Beta Combined Authority - General functions"),
    "E07000001": ("Shire", "Shire PCC", "Shire Fire", "-"),
    "E08000016": ("-", "Shire PCC", "Shire & Delta Fire", "-"),
}


def _billing_header() -> list[str]:
    """Data_Billing's headings as the 2024-25 workbook words them (the lines the import reads, and some others)."""
    pair = [
        "1. Council Tax Requirement for billing authority including special expenses, local precepts and Adult Social Care Precept",
        "2. Parish precepts",
        "3. Council Tax Requirement for billing authority (including special expenses and Adult Social Care precept, but excluding local precepts)",
        "4. Tax base (after council tax reduction scheme)",
        "7. Council tax base for council tax setting purposes",
        "8. Average (Band D 2 Adult equivalent) council tax (including Adult Social Care precept and local precepts)",
        "9. Average (Band D 2 Adult equivalent) council tax (including Adult Social Care precept and excluding local precepts)",
    ]
    heads = [f"{text}\n(previous year)" if k == 0 else f"{text}\n(current year)" for text in pair for k in (0, 1)]
    heads += [f"16. Average council tax of major precepting authorities in the billing authority's area ({role})"
              for role in ("county or GLA", "police", "fire", "combined authority")]
    return ["E-code", "ONS Code", "Authority", "Region", "Class", "Notes\n\n(cell will be blank if there are no notes)", *heads]


def write_table9_workbook(folder: Path, start: int = 2024) -> Path:
    """Council tax Table 9 of ``start``-(``start`` + 1) (sheets Data_Billing, Data_Precepting, Precepting_Bodies)."""
    period, previous = f"{start}-{(start + 1) % 100:02d}", f"{start - 1}-{start % 100:02d}"
    book = Workbook()
    book.active.title = "Cover"
    data = book.create_sheet("Data_Billing")
    for line in (f"Table 1: Council Tax Requirement (CTR) data for Billing Authorities in England, {previous} and {period}",
                 "This worksheet contains 1 table. The data are in £ unless stated otherwise in the column title.",
                 "This table contains data as reported by billing authorities.",
                 f"The current year that this table refers to relates to financial year {period}. This covers the period "
                 f"1 April {start} to 31 March {start + 1}."):
        data.append([line])
    data.append(_billing_header())
    data.append(["TE", "TE", "England", "Eng", "Eng", None] + [9e9] * 18)
    data.append(["MD", "MD", "Metropolitan Districts", "[z]", "MD", None] + [8e8] * 18)
    for e_code, code, name, klass, req, parish, base, with_p, band, *preceptors in BILLING_2024:
        lines = [req + parish, req + parish, parish, parish, req, req, base, base, base, base, with_p, with_p, band, band]
        data.append([e_code, code, name, "N", klass, None, *lines, *preceptors])
    precepting = book.create_sheet("Data_Precepting")
    precepting.append([f"Table 2: Council Tax Requirement (CTR) data for major precepting authorities, {period}"])
    bodies = book.create_sheet("Precepting_Bodies")
    bodies.append([None, None, None, None, "County", "Police", "Fire", "Combined Authorities"])
    bodies.append(["No.", "Local Authority", "ONS Codes", "Ecodes", 2, 3, 4, 5])
    bodies.append([])
    bodies.append([])
    for i, (e_code, code, name, *_rest) in enumerate(BILLING_2024):
        bodies.append([i + 1, name, code, e_code, *PRECEPTORS_2024[code]])
    bodies.append([len(BILLING_2024) + 1, "ZZZZ", "-", "EZZZZ"])
    bodies.append([None, None, None, "Eng", "-", "-", "-", "-"])
    path = folder / "spending" / f"mhclg_ct_table9_la_level_data_{start}_{(start + 1) % 100:02d}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


#: NHS England's ICBs of the tiny England (NHS code -> name as the allocation workbook writes it), the
#: last one matching no ICB boundary; each part of 2024-25 in £k: core, primary medical, other primary, running.
ICB_ALLOCATIONS_2024 = {
    "QAA": ("NHS West ICB", 1000.0, 100.0, 50.0, 10.0),
    "QBB": ("NHS East ICB", 2000.0, 200.0, 80.0, 20.0),
    "QZZ": ("NHS Nowhere ICB", 500.0, 50.0, 25.0, 5.0),
}


def write_icb_allocations(folder: Path) -> Path:
    """NHS England's ICB allocation workbook of 2023-24 to 2024-25, 2024-25 figures only (a title row, a blank
    row, the R23 header, a blank row, the ICB rows, then an NHS region total row)."""
    book = Workbook()
    book.remove(book.active)

    def sheet(name: str, title: str, headings: list[str], part: int | None, values_of=None) -> None:
        ws = book.create_sheet(name)
        ws.append([title, None, None, None, "Allocations 2024/25"])
        ws.append([])
        ws.append(["R23", "Region", "ICB23", "System Name", *headings])
        ws.append([])
        for code, (icb, *parts) in ICB_ALLOCATIONS_2024.items():
            ws.append(["Y60", "Tiny", code, icb, *(values_of(parts) if values_of else [parts[part] * 0.9, parts[part], 0.01])])
        ws.append([None, "Total by NHS Region", "Y60", "Tiny", 9e9, 9e9, 9e9])

    allocation = ["2023/24 Adjusted recurrent baseline (£k)", "2024/25 Recurrent allocation (£k)", "2024/25 Recurrent allocation growth (%)"]
    sheet("ICB Core Baseline 2024-25", "Allocations (ICB core services)", allocation, 0)
    sheet("ICB Core Allocations 2024-25", "Allocations (ICB core services)", allocation, 0)
    sheet("PMC Allocations 2024-25", "Allocations (primary medical care)", allocation, 1)
    sheet("Other Primary Care", "Allocations (other primary care)",
          ["2022/23 Recurrent baseline £k", "2024/25 Base growth £k", "2024/25 Recurrent allocation £k"], None,
          lambda parts: [parts[2] * 0.8, parts[2] * 0.1, parts[2]])
    sheet("ICB running cost allowance", "ICB_running_cost_allowance", ["2024/25 £k", "2025/26 £k"], None,
          lambda parts: [parts[3], parts[3] * 0.9])
    path = folder / "spending" / "nhse_icb_allocations_2024_25.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


#: HM Treasury's Country and Regional Analysis for the tiny England's region ("North", E12000001), England,
#: a region the tiny store lacks and Scotland: £ million of function k (0-9) in year y = 100 x (k + 1) + y - 2018;
#: £ per head = the £ million x 10.
CRA_REGIONS = ["North", "North West", "England", "Scotland"]
CRA_FUNCTIONS = ["General public services", "Defence", "Public order and safety", "Economic affairs", "Environment protection",
                 "Housing and community amenities", "Health", "Recreation, culture and religion", "Education", "Social protection"]
CRA_YEARS = ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]


def cra_million(function: int, period: str) -> float:
    """The tiny CRA's £ million of COFOG function ``function`` (0-9) in ``period`` (every region alike)."""
    return 100.0 * (function + 1) + int(period[:4]) - 2018


def write_cra_workbook(folder: Path) -> Path:
    """PESA 2024 chapter 9 as HM Treasury lays it out (sheets 9.1a, 9.1b, 9.5-9.14, 9.15, 9.19, 9.20)."""
    book = Workbook()
    book.remove(book.active)
    years = [f"{p}\noutturn" for p in CRA_YEARS]

    def block(name: str, title: str, function: str | None, values) -> None:
        ws = book.create_sheet(name)
        ws.append([title])
        ws.append([None, None, None, None, None, "£ million"])
        ws.append([None, function or "National Statistics", None, None, None, None, "of which: current"])
        ws.append([None, "National Statistics"])
        ws.append([None, *years, *years, *years])
        for region in CRA_REGIONS:
            ws.append([region, *[values(p) for p in CRA_YEARS], *[1.0] * 10])
        ws.append([])
        ws.append(["(1) Higher expenditure seen from 2020-21 reflects the response to the Covid-19 pandemic."])

    def total(period: str) -> float:
        return sum(cra_million(k, period) for k in range(10))

    block("9.1a", "Table 9.1a  Total identifiable expenditure on services, 2018-19 to 2022-23", None, total)
    block("9.1b", "Table 9.1b  Total UK identifiable expenditure on services, per head 2018-19 to 2022-23 (1)", None,
          lambda p: 10 * total(p))
    for k, function in enumerate(CRA_FUNCTIONS):
        block(f"9.{k + 5}", f"Table 9.{k + 5}  Identifiable expenditure on {function.lower()}, 2018-19 to 2022-23", function,
              lambda p, k=k: cra_million(k, p))
    block("9.19", "Table 9.19  Total identifiable expenditure on services excluding local government (1)", None,
          lambda p: total(p) / 2)
    block("9.20", "Table 9.20  UK identifiable expenditure excluding local government (1) per head (2)", None,
          lambda p: 10 * total(p) / 2)
    ws = book.create_sheet("9.15")
    ws.append(["Table 9.15  UK identifiable expenditure on services by function per head (1), 2018-19 to 2022-23"])
    ws.append(["Data in this table from 2018-19 to 2022-23 are National Statistics"])
    for period in CRA_YEARS:
        ws.append([None, *[f"{k + 1}. {f}" for k, f in enumerate(CRA_FUNCTIONS)], "Total"])
        ws.append([])
        ws.append([period])
        for region in CRA_REGIONS:
            ws.append([region, *[10 * cra_million(k, period) for k in range(10)], 10 * total(period)])
    path = folder / "spending" / "hmt_pesa2024_ch9_country_regional_analysis.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
