"""Writers of ONS mid-year estimates and deaths tables in their real layouts, for the tiny England of
:mod:`helpers.england_files` (districts Alpha, Beta, Gamma and Delta; Gamma absorbed Old Gamma
E07000099 in 2023, Delta was re-coded from E08000016 to E08000038 in 2025).

Layouts copied from the real files: the mid-2014 CSV exports (two title lines, quoted thousands),
the mid-2022/2023 .xlsx workbooks (seven note rows above the header, sheets "MYE2 - Persons",
"MYE2 - Females", "MYE2 - Males", "90+"), the mid-2024 CSV (BOM, no title, persons only) and the
deaths Table 2 CSV (title rows, "Under 1", soft hyphens in " 1 ­ 4", Males/Females pairs, footnote
digits glued to names, "‚" for a comma, quoted thousands).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import openpyxl

AGES = list(range(91))
#: District code of 2014 -> name, and a size factor: Old Gamma is half a district.
DISTRICTS_2014 = {
    "E08000001": ("Alpha", 1.0),
    "E08000002": ("Beta", 1.0),
    "E07000001": ("Gamma", 1.0),
    "E07000099": ("Old Gamma", 0.5),
    "E08000016": ("Delta", 1.0),
}
DISTRICTS_2022 = {"E08000001": ("Alpha", 1.0), "E08000002": ("Beta", 1.0), "E07000001": ("Gamma", 1.5), "E08000016": ("Delta", 1.0)}


def population(age: int, sex: str, size: float) -> int:
    """People of one single year of age: 1,000 at each age to 89 (women 5% more), 600 aged 90+."""
    base = 600 if age == 90 else 1000
    return round(base * size * (1.05 if sex == "F" else 1.0))


def death_rate(age_band_start: int, sex: str) -> float:
    """A Gompertz-like yearly death rate by age (men 30% higher), for deaths that give a life expectancy near 80."""
    return 0.0003 * math.exp(0.085 * age_band_start) * (1.3 if sex == "M" else 1.0)


def _rows(districts: dict, sex: str) -> list[list]:
    out = []
    for code, (name, size) in districts.items():
        ages = [population(a, sex, size) if sex != "P" else population(a, "F", size) + population(a, "M", size) for a in AGES]
        out.append([code, name, sum(ages), *ages])
    totals = [sum(r[i] for r in out) for i in range(2, 3 + len(AGES))]
    return [["K02000001", "UNITED KINGDOM", *totals], ["E92000001", "ENGLAND", *totals], ["E12000001", "NORTH", *totals], *out]


def _thousands(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def write_mye_2014_csvs(folder: Path) -> list[Path]:
    """The mid-2014 CSV exports: one file per sex, two title lines, header 'CODE, NAME, ALL AGES, 0 ... 90'."""
    paths = []
    folder.mkdir(parents=True, exist_ok=True)
    for sex, label, word in (("P", "ALL PERSONS", "persons"), ("M", "MALES", "males"), ("F", "FEMALES", "females")):
        path = folder / f"ons_mye2_uk_mid2014_{word}_syoa.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            width = 3 + len(AGES)
            writer.writerow(["MYE2: Population Estimates by single year of age and sex for local authorities in the UK, mid-2014"] + [""] * (width - 1))
            writer.writerow([label] + [""] * (width - 1))
            writer.writerow(["CODE", "NAME", "ALL AGES", *[str(a) for a in AGES]])
            for row in _rows(DISTRICTS_2014, sex):
                writer.writerow([row[0], row[1], *[_thousands(v) for v in row[2:]]])
                writer.writerow([""] * width)
        paths.append(path)
    return paths


def write_mye_xlsx(folder: Path, year: int = 2022, sheets: tuple[str, ...] = ("Persons", "Females", "Males"),
                   name: str | None = None) -> Path:
    """An .xlsx workbook in the mid-2022 layout: cover sheets, then one MYE2 sheet per sex, header on row 8."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.title = "Cover sheet"
    book["Cover sheet"]["A1"] = f"Mid-Year Population Estimates, UK, June {year}"
    for word in sheets:
        sheet = book.create_sheet(f"MYE2 - {word}")
        sex = {"Persons": "P", "Females": "F", "Males": "M"}[word]
        sheet.append([f"MYE2: {word} by single year of age and sex for local authorities in the UK, mid-{year}"])
        sheet.append(["This worksheet contains one table. Freeze panes are turned on. "])
        for note in ("To turn off freeze panes ...", "Please choose from the links ...", "This met my needs",
                     "I need something slightly different", "This is not what I need at all"):
            sheet.append([note])
        sheet.append(["Code", "Name", "Geography", "All ages", *[str(a) for a in range(90)], "90+"])
        for row in _rows(DISTRICTS_2022, sex):
            sheet.append([row[0], row[1], "Metropolitan District" if row[0].startswith("E08") else "Region", *row[2:]])
    book.create_sheet("MYE4")["A1"] = "MYE4: other figures"
    path = folder / (name or f"ons_mye_uk_mid{year}.xlsx")
    book.save(path)
    return path


def write_mye_2024_csv(folder: Path) -> Path:
    """The mid-2024 persons CSV: BOM, a clean header, no title, no year inside (only in the file name)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ons_mye2_persons_ew_mid2024_lad2023geog.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["Code", "Name", "Geography", "All ages", *[str(a) for a in range(90)], "90+"])
        for row in _rows(DISTRICTS_2022, "P"):
            writer.writerow([row[0], row[1], "Region", *[int(v * 1.02) for v in row[2:]]])
    return path


#: Table 2's band labels as printed (soft hyphens, stray spaces).
BAND_LABELS = ["Under 1", " 1 \u00ad 4", "5\u00ad9", " 10-14"] + [f"{a}-{a + 4}" for a in range(15, 90, 5)] + ["90 and over"]
BAND_STARTS = [0, 1] + list(range(5, 95, 5))
#: Table 2's names of the tiny England's 2014 areas, spelt as ONS prints them.
DEATHS_NAMES = {"E08000001": "Alpha1", "E08000002": "Beta  ", "E07000001": "Gamma", "E07000099": "Old Gamma", "E08000016": "Delta"}


def band_population(code: str, sex: str, band: int) -> int:
    """Mid-2014 people of one district, sex and band of Table 2 (the sum of the single years)."""
    size = DISTRICTS_2014[code][1]
    start, end = BAND_STARTS[band], (BAND_STARTS[band + 1] if band + 1 < len(BAND_STARTS) else 91)
    return sum(population(a, sex, size) for a in range(start, end))


def band_deaths(code: str, sex: str, band: int) -> int:
    return round(band_population(code, sex, band) * death_rate(BAND_STARTS[band], sex))


def write_deaths_table2(folder: Path, names: dict | None = None) -> Path:
    """Table 2 of 'Deaths registered by area of usual residence, 2014' as Statistics NZ exported it."""
    names = names or DEATHS_NAMES
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ons_deaths_by_area_2014_table2_lad_sex_agegroup_ew.csv"
    width = 1 + 2 * (1 + len(BAND_LABELS))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["contents"] + [""] * (width - 1))
        writer.writerow(["Table 2 Deaths (numbers): area of usual residence, by age and sex, 2014 registrations,"] + [""] * (width - 2) + ["England and Wales"])
        writer.writerow(["England and Wales, England, regions, unitary authorities/counties/districts"] + [""] * (width - 1))
        writer.writerow([""] * width)
        writer.writerow(["", "Age group"] + [""] * (width - 2))
        header = ["Area of usual residence", "All Ages", ""]
        for label in BAND_LABELS:
            header += [label, ""]
        writer.writerow(header)
        writer.writerow([""] + ["Males", "Females"] * (1 + len(BAND_LABELS)))
        writer.writerow([""] * width)

        def area_row(label: str, codes: list[str]) -> list[str]:
            cells = []
            per_band = [[sum(band_deaths(c, sex, b) for c in codes) for sex in ("M", "F")] for b in range(len(BAND_LABELS))]
            totals = [sum(p[0] for p in per_band), sum(p[1] for p in per_band)]
            for m, f in [totals, *per_band]:
                cells += [_thousands(m), _thousands(f)]
            return [label, *cells]

        writer.writerow(area_row("ENGLAND AND WALES1       ", list(DISTRICTS_2014)))
        writer.writerow([""] * width)
        writer.writerow(area_row("NORTH", list(DISTRICTS_2014)))
        for code, label in names.items():
            writer.writerow(area_row(label, [code]))
        writer.writerow([""] * width)
        writer.writerow(area_row("Usual residence outside England and Wales", ["E08000001"]))
        writer.writerow(["1  The deaths of those whose usual residence is outside England and Wales are included in total figures."] + [""] * 15)
        writer.writerow(["Source: Office for National Statistics", "", "", "", "", "Released: ", "Wednesday, January 27, 2016"])
    return path
