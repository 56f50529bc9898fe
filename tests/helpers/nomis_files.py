"""Recorded Nomis responses for the tiny England: BRES (NM_189_1) ``data.csv`` answers in Nomis's CSV
layout (the columns of the ``select`` that ``data fetch --nomis`` sends, as Nomis writes them)."""

from __future__ import annotations

import csv
from pathlib import Path

#: Jobs ("Employment": employees plus working owners) by district and section, per year; the old codes
#: are summed onto their successors by the import (Old Gamma -> Gamma, E08000016 -> E08000038).
BRES_JOBS = {
    "E08000001": {"C": 4000, "G": 9000, "M": 6000, "Q": 12000},
    "E08000002": {"C": 1000, "G": 3000, "M": 500, "Q": 2500},
    "E07000001": {"A": 300, "C": 2000, "G": 1500, "Q": 1000},
    "E07000099": {"A": 200, "C": 500, "G": 500},
    "E08000016": {"C": 700, "G": 1200, "Q": 900},
    "W06000001": {"C": 999},  # Nomis's districts include Wales's: left out, not reported lost
}
NAMES = {"E08000001": "Alpha", "E08000002": "Beta", "E07000001": "Gamma", "E07000099": "Old Gamma",
         "E08000016": "Delta", "W06000001": "Isle of Anglesey"}
SECTION_NAMES = {"A": "A : Agriculture, forestry and fishing", "C": "C : Manufacturing",
                 "G": "G : Wholesale and retail trade; repair of motor vehicles and motorcycles",
                 "M": "M : Professional, scientific and technical activities",
                 "Q": "Q : Human health and social work activities"}
#: The same jobs by SIC division (as a Nomis query for divisions answers), split evenly between the divisions.
DIVISION_NAMES = {"A": ["01 : Crop and animal production, hunting and related service activities"],
                  "C": ["10 : Manufacture of food products", "25 : Manufacture of fabricated metal products, except machinery and equipment"],
                  "G": ["47 : Retail trade, except of motor vehicles and motorcycles"],
                  "M": ["70 : Activities of head offices; management consultancy activities"],
                  "Q": ["86 : Human health activities"]}
BRES_COLUMNS = ["DATE", "DATE_NAME", "GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "INDUSTRY_NAME", "EMPLOYMENT_STATUS_NAME",
                "MEASURE_NAME", "MEASURES_NAME", "OBS_VALUE", "OBS_STATUS_NAME"]


def bres_rows(years=(2022, 2023), statuses=("Employees", "Employment"), divisions: bool = False) -> list[list]:
    """The rows of a BRES answer: every status asked for (employees are 90% of employment), a Total row and
    an industry-percent row that the import must leave out, and a suppressed (empty) cell; by SIC division
    (and a five-digit subclass the import must leave out) when ``divisions``."""
    rows = []
    for year in years:
        grow = 1.0 + 0.1 * (year - years[0])
        for code, sections in BRES_JOBS.items():
            for status in statuses:
                share = 1.0 if status == "Employment" else 0.9
                for letter, jobs in sections.items():
                    value = round(jobs * grow * share)
                    names = DIVISION_NAMES[letter] if divisions else [SECTION_NAMES[letter]]
                    for number, name in enumerate(names):
                        part = value // len(names) + (value % len(names) if number == 0 else 0)
                        rows.append([year, year, code, NAMES[code], name, status, "Count", "Value", part, "Normal Value"])
                if divisions:
                    rows.append([year, year, code, NAMES[code], "10110 : Processing and preserving of meat", status, "Count",
                                 "Value", 5000, "Normal Value"])
                total = round(sum(sections.values()) * grow * share)
                rows.append([year, year, code, NAMES[code], "Total", status, "Count", "Value", total, "Normal Value"])
                rows.append([year, year, code, NAMES[code], SECTION_NAMES["C"], status, "Industry percent", "Value", 12.5,
                             "Normal Value"])
            rows.append([year, year, code, NAMES[code], "B : Mining and quarrying", statuses[-1], "Count", "Value", "",
                         "These figures are suppressed as statistically unreliable"])
    return rows


def write_bres(folder: Path, name: str = "bres_jobs_by_section.csv", **kwargs) -> Path:
    """A Nomis BRES answer saved where ``data fetch --nomis`` saves it (``nomis/<name>``)."""
    path = Path(folder) / "nomis" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(BRES_COLUMNS)
        writer.writerows(bres_rows(**kwargs))
    return path
