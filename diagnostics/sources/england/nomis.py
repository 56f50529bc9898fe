"""Nomis's CSV layout (``https://www.nomisweb.co.uk/api/v01/dataset/NM_xxx_1.data.csv``): what the
import reads from it, and the queries ``place-diagnostic data fetch --nomis`` sends.

Nomis answers a ``data.csv`` query with one row per observation: ``DATE``/``DATE_NAME``, the
geography (``GEOGRAPHY_CODE``, ``GEOGRAPHY_NAME``...), one ``<DIMENSION>_NAME`` column per dimension
of the dataset (``INDUSTRY_NAME``, ``EMPLOYMENT_STATUS_NAME``, ``MEASURE_NAME``...), ``MEASURES_NAME``
and the figure, ``OBS_VALUE``. BRES (Business Register and Employment Survey, open access, dataset
NM_189_1 from 2015) names each SIC 2007 section ``"A : Agriculture, forestry and fishing"``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import read_csv

__all__ = ["read_bres", "BRES_QUERY", "BRES_SOURCE", "BRES_STATUSES"]

#: The BRES query: every English and Welsh district (Nomis's TYPE424, districts and unitaries as of
#: April 2023), the latest five years, the 21 SIC sections (Nomis industry codes 150994945-150994965),
#: counts (measure 1) as values (measures 20100), the columns the import reads.
BRES_QUERY = (
    "NM_189_1.data.csv?geography=TYPE424&date=latestMINUS4-latest&industry=150994945...150994965"
    "&employment_status=1,4&measure=1&measures=20100"
    "&select=DATE,DATE_NAME,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_NAME,EMPLOYMENT_STATUS_NAME,MEASURE_NAME,"
    "MEASURES_NAME,OBS_VALUE,OBS_STATUS_NAME"
)
BRES_SOURCE = "ONS Business Register and Employment Survey (BRES, open access), via Nomis"
#: The employment statuses read, best first: employment (employees plus working owners), else employees.
BRES_STATUSES = ("Employment", "Employees")

_SECTION = re.compile(r"^\s*([A-U])\s*:")
_DIVISION = re.compile(r"^\s*(\d\d)\s*:")
#: SIC 2007 sections by their divisions' first and last two-digit codes.
_SECTION_DIVISIONS = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43), "G": (45, 47),
    "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68), "M": (69, 75), "N": (77, 82),
    "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93), "S": (94, 96), "T": (97, 98), "U": (99, 99),
}
_DIVISION_SECTION = {d: s for s, (first, last) in _SECTION_DIVISIONS.items() for d in range(first, last + 1)}


def read_bres(path: Path) -> tuple[pd.DataFrame, str]:
    """Jobs by district, year and SIC section from a Nomis BRES CSV.

    Rows other than counts of SIC sections (totals, finer industries, industry percentages) are left
    out; a file of SIC divisions (``"10 : Manufacture of food products"``) and no sections has its
    divisions summed into their sections. Of the employment statuses given, the first of
    :data:`BRES_STATUSES` is used for every row.

    Returns
    -------
    (DataFrame, str)
        ``area_code``, ``year`` (September of the BRES year), ``sic_section``, ``employment`` (jobs,
        as Nomis publishes them: rounded), and the status used (``"Employment"`` or ``"Employees"``).

    Raises
    ------
    ImportFailed
        When the file has no counts by SIC section for any status read, naming the query that has them.
    """
    frame = read_csv(path)
    frame.columns = [c.upper() for c in frame.columns]
    for name, wanted in (("MEASURE_NAME", "Count"), ("MEASURES_NAME", "Value")):
        if name in frame.columns:
            frame = frame.loc[frame[name].str.strip().str.lower() == wanted.lower()]
    sections = frame["INDUSTRY_NAME"].str.extract(_SECTION, expand=False)
    if not (sections.isin(SIC_SECTIONS) & frame["OBS_VALUE"].notna()).any():  # divisions only: each summed into its section
        divisions = pd.to_numeric(frame["INDUSTRY_NAME"].str.extract(_DIVISION, expand=False), errors="coerce")
        sections = divisions.map(_DIVISION_SECTION)
    frame = frame.assign(sic_section=sections)
    frame = frame.loc[frame["sic_section"].isin(SIC_SECTIONS)]
    statuses = set(frame["EMPLOYMENT_STATUS_NAME"].str.strip())
    status = next((s for s in BRES_STATUSES if s in statuses), None)
    if status is None:
        raise ImportFailed(str(path), (
            f"a Nomis BRES file with no counts by SIC section of {' or '.join(BRES_STATUSES).lower()} (statuses found: "
            f"{sorted(statuses)[:4]}); download it again with `place-diagnostic data fetch --nomis`, or ask Nomis for "
            f"industry=150994945...150994965&employment_status=1,4&measure=1"))
    frame = frame.loc[frame["EMPLOYMENT_STATUS_NAME"].str.strip() == status]
    year_column = "DATE" if "DATE" in frame.columns else "DATE_NAME"
    years = pd.to_numeric(frame[year_column].str.extract(r"((?:19|20)\d\d)", expand=False), errors="coerce")
    table = pd.DataFrame({
        "area_code": frame["GEOGRAPHY_CODE"].str.strip(),
        "year": years,
        "sic_section": frame["sic_section"],
        "employment": pd.to_numeric(frame["OBS_VALUE"], errors="coerce"),
    }).dropna(subset=["year", "employment"])
    table = table.groupby(["area_code", "year", "sic_section"], as_index=False)["employment"].sum()
    return table.astype({"year": int}), status
