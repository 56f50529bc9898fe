"""Writers of business files in ONS's real layouts for the tiny England of :mod:`helpers.england_files`.

- :func:`write_business_workbook`: a "UK business: activity, size and location" workbook (.xlsx): the
  sheets "Table 1", "Table 10 " (with ONS's trailing space), "Table 11", "Table 16" and "Table 22",
  each with its title row, "UK, YYYY" row, band row, headings on row 6, one row per area (UK,
  England, region, county, districts; districts under the codes of the snapshot's year), and the
  notes below, as the real 2020 and 2021 workbooks lay them out.
- :func:`write_business_demography`: the harmonised Business Demography counts (code, region, years).

Counts are chosen so that location quotients and sums can be worked by hand: see :data:`LOCAL_UNITS`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from diagnostics.conventions import BROAD_INDUSTRY_GROUPS

#: Local units by industry group (only retail "47" and professional "69-75" non-zero), by the codes of
#: the snapshot's year: Gamma's predecessor E07000099 merged into E07000001; Delta was E08000016.
#: Worked by hand for 2020, on current codes: England 47 = 30+10+20+0+40 = 100 of 400 (25%);
#: Alpha 30/100 -> LQ 1.2; Delta 40/100 -> LQ 1.6; Gamma (20+0)/(50+50) -> LQ 0.8.
LOCAL_UNITS = {
    2020: {"E08000001": {"47": 30, "69-75": 70}, "E08000002": {"47": 10, "69-75": 90},
           "E07000001": {"47": 20, "69-75": 30}, "E07000099": {"47": 0, "69-75": 50},
           "E08000016": {"47": 40, "69-75": 60}},
    2021: {"E08000001": {"47": 35, "69-75": 85}, "E08000002": {"47": 10, "69-75": 95},
           "E07000001": {"47": 20, "69-75": 35}, "E07000099": {"47": 5, "69-75": 50},
           "E08000016": {"47": 40, "69-75": 60}},
}
#: Enterprises by employment band, every district and year alike: 100 enterprises, 90% micro, 5% small, 5% large.
SIZE_BANDS = {"0-4": 80, "5-9": 10, "10-19": 5, "20-49": 0, "50-99": 0, "100-249": 0, "250+": 5}
_TURNOVER = ["0-49", "50-99", "100-249", "250-499", "500-999", "1000-1999", "2000-4999", "5000-9999", "10000-49999", "50000+"]
_GROUP_HEADINGS = {  # as ONS writes them in the 2021 workbook
    "01-03": "01-03 : Agriculture, forestry & fishing", "05-39": "05-39 : Production", "41-43": "41-43 : Construction",
    "45": "45 : Motor trades", "46": "46 : Wholesale", "47": "47 : Retail",
    "49-53": "49-53 : Transport & Storage (inc postal)", "55-56": "55-56 : Accommodation & food services",
    "58-63": "58-63 : Information & communication", "64-66": "64-66 : Finance & insurance", "68": "68 : Property",
    "69-75": "69-75 : Professional, scientific & technical", "77-82": "77-82 : Business administration & support services",
    "84": "84 : Public administration & defence", "85": "85 : Education", "86-88": "86-88 : Health",
    "90-99": "90-99 : Arts, entertainment, recreation & other services",
}
_NAMES = {"E08000001": "Alpha", "E08000002": "Beta", "E07000001": "Gamma", "E07000099": "Old Gamma", "E08000016": "Delta"}
_TITLES = {
    "Table 1": "Table 1 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by broad industry group",
    "Table 10 ": "Table 10 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by employment sizebands",
    "Table 11": "Table 11 - Number of VAT and/or PAYE based enterprises in districts, counties and unitary authorities within region and country by turnover sizebands        \n        \n",
    "Table 16": "Table 16 - Number of VAT and/or PAYE based local units in districts, counties and unitay authorities within region and country by broad industry group \n      \n",
    "Table 22": "Table 22 - Number of VAT and/or PAYE based local units in districts, counties and unitary authorities within region and country by employment sizebands",
}


def _sheet(book: Workbook, name: str, year: int, band: str, headings: list[str], rows: dict[str, list]) -> None:
    ws = book.create_sheet(name)
    ws.cell(1, 3, _TITLES[name])
    ws.cell(2, 3, f"UK, {year}")
    ws.cell(5, 3, band)
    for j, heading in enumerate([*headings, "Total"]):
        ws.cell(6, 3 + j, heading)
    area_rows = [("K02000001", "UNITED KINGDOM"), ("E92000001", "ENGLAND"), (None, None), ("E12000001", "NORTH"),
                 ("E10000001", "Shire")] + [(code, _NAMES[code]) for code in rows]
    for i, (code, name) in enumerate(area_rows):
        if code is None:
            continue
        values = rows.get(code) or [999] * len(headings)  # published totals the import must not use
        ws.cell(7 + i, 1, code)
        ws.cell(7 + i, 2, name)
        for j, v in enumerate([*values, sum(values)]):
            ws.cell(7 + i, 3 + j, v)
    last = 7 + len(area_rows) + 2
    ws.cell(last, 1, "Note: All figures are rounded to avoid disclosure.")
    ws.cell(last + 2, 1, f"Data as at March {year}")
    ws.cell(last + 4, 1, "Source: Office for National Statistics")


def write_business_workbook(folder: Path, year: int, *, drop_sheet: str | None = None) -> Path:
    """The workbook of March ``year`` (2020 or 2021) under ``folder/economy/``; ``drop_sheet`` leaves one out."""
    book = Workbook()
    book.active.title = "Notes"
    book.create_sheet("Contents")
    groups = list(BROAD_INDUSTRY_GROUPS)
    units = {code: [counts.get(g, 0) for g in groups] for code, counts in LOCAL_UNITS[year].items()}
    sizes = {code: list(SIZE_BANDS.values()) for code in units}
    turnover = {code: [50, 30, 10, 5, 5, 0, 0, 0, 0, 0] for code in units}
    specs = {
        "Table 1": ("Broad Industry Group", [_GROUP_HEADINGS[g] for g in groups], units),
        "Table 10 ": ("Employment Size Band", list(SIZE_BANDS), sizes),
        "Table 11": ("Turnover Size Band (£000's)", _TURNOVER, turnover),
        "Table 16": ("Broad Industry Group", [_GROUP_HEADINGS[g] for g in groups], units),
        "Table 22": ("Employment Size Band", list(SIZE_BANDS), sizes),
    }
    for name, (band, headings, rows) in specs.items():
        if name.strip() != drop_sheet:
            _sheet(book, name, year, band, headings, rows)
    path = folder / "economy" / f"ukbusinessworkbook{year}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


#: High-growth enterprises and active enterprises with 10+ employees, by the codes of ~2023
#: (Delta still E08000016; Old Gamma still apart): Gamma 2021 = (5 + 5) / (100 + 100) = 5%.
HIGH_GROWTH = {"E08000001": (10, 20), "E08000002": (5, 5), "E07000001": (5, 5), "E07000099": (5, 5), "E08000016": (0, 10)}
ACTIVE_10PLUS = {"E08000001": (200, 200), "E08000002": (100, 100), "E07000001": (100, 100), "E07000099": (100, 100),
                 "E08000016": (50, 50)}


def write_business_demography(folder: Path) -> list[Path]:
    """The harmonised high-growth and active 10+ counts (wide, 2020 and 2021) under ``folder/economy/``."""
    paths = []
    for stem, counts in (("highgrowth", HIGH_GROWTH), ("active10plus", ACTIVE_10PLUS)):
        path = folder / "economy" / f"{stem}_firmdemography_2020_2021.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["code,region,2020,2021"] + [f"{code},{_NAMES[code]},{a},{b}" for code, (a, b) in counts.items()]
        lines.append("S12000033,Aberdeen City,35,40")
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths
