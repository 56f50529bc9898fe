"""ONS "Deaths registered by area of usual residence" reference tables (CSV exports of the workbook):
Table 2, deaths by sex and age band for every area, and Table 1a, ONS's own age-standardised
mortality rates (ESP2013) for the same areas, used to check the rates computed here.

Both name areas and give no codes (:mod:`diagnostics.sources.england.area_names` matches them), mark
footnotes by digits glued to a name ("ENGLAND AND WALES1"), write commas inside names as "‚"
(U+201A) and thousands with separators ("1,460"). A table is recognised by its title line
("Table 2 Deaths (numbers): area of usual residence, by age and sex, 2014 registrations").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.conventions import AGE_BANDS
from diagnostics.sources.england.workbooks import csv_rows

__all__ = ["DeathsTable", "sniff_deaths_table", "read_deaths_by_age", "read_published_rates", "DEATHS_LAYOUT"]

#: What the import expects of the deaths tables, for messages.
DEATHS_LAYOUT = ("ONS 'Deaths registered by area of usual residence' Table 2 (a title 'Table 2 Deaths (numbers): ... by age "
                 "and sex, YYYY registrations', a row 'Area of usual residence, All Ages, Under 1, 1-4, ..., 90 and over' "
                 "and a row of Males/Females under each band)")

_TITLE = re.compile(r"^Table\s*(2|1a)\b.*?deaths.*?((?:19|20)\d\d)\s+registrations", re.I)


@dataclass(frozen=True)
class DeathsTable:
    """A recognised deaths table: which one ("2" or "1a") and the registration year."""

    path: Path
    table: str
    year: int


def sniff_deaths_table(path: str | Path) -> DeathsTable | None:
    """Recognise ONS's deaths Table 2 or Table 1a (CSV) by its title line within the first 5 rows."""
    path = Path(path)
    for row in csv_rows(path, max_rows=5):
        m = _TITLE.search(row[0].strip()) if row else None
        if m:
            return DeathsTable(path, m.group(1).lower(), int(m.group(2)))
    return None


def _count(text: str) -> float:
    text = (text or "").replace(",", "").strip()
    if text in ("", "-", ":", "z", ".."):
        return 0.0 if text in ("", "-") else np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


def _clean_name(text: str) -> str:
    """An area's name without trailing spaces and footnote digits ("ENGLAND AND WALES1" -> "ENGLAND AND WALES")."""
    return re.sub(r"(?<=[A-Za-z)])\d+$", "", text.strip()).strip()


def _band_of(label: str) -> str | None:
    """'Under 1' -> '0', ' 1 ­ 4' (soft hyphen) -> '1-4', '90 and over' -> '90+', 'All Ages' -> None."""
    text = re.sub(r"[\s\u00ad\u2010-\u2015-]+", " ", label).strip().lower()
    if text.startswith("under 1"):
        return "0"
    if re.fullmatch(r"90 and over|90\+", text):
        return "90+"
    m = re.fullmatch(r"(\d+) (\d+)", text)
    if m and f"{m.group(1)}-{m.group(2)}" in AGE_BANDS:
        return f"{m.group(1)}-{m.group(2)}"
    return None


def read_deaths_by_age(path: str | Path) -> pd.DataFrame:
    """Deaths by area name, sex and age band from ONS's Table 2.

    Returns
    -------
    DataFrame
        name (as printed, cleaned of footnote digits), sex ("F", "M"), age_band (the 20 bands of
        :data:`~diagnostics.conventions.AGE_BANDS`), deaths (registrations in the year).

    Raises
    ------
    ValueError
        When the header rows are not found or do not hold every age band for both sexes
        (the message says what was expected: :data:`DEATHS_LAYOUT`).
    """
    path = Path(path)
    rows = list(csv_rows(path))
    header = next((i for i, r in enumerate(rows[:20]) if r and r[0].strip().lower() == "area of usual residence"), None)
    if header is None or header + 1 >= len(rows):
        raise ValueError(f"{path.name}: no row starting 'Area of usual residence' in the first 20 rows (expected {DEATHS_LAYOUT})")
    bands, sexes = rows[header], rows[header + 1]
    columns: dict[tuple[str, str], int] = {}
    band = None
    for i in range(1, len(bands)):
        if bands[i].strip():
            band = _band_of(bands[i])
        sex = {"males": "M", "females": "F"}.get(sexes[i].strip().lower() if i < len(sexes) else "")
        if band and sex:
            columns[(band, sex)] = i
    missing = [f"{b} {s}" for b in AGE_BANDS for s in ("M", "F") if (b, s) not in columns]
    if missing:
        raise ValueError(f"{path.name}: no column for {', '.join(missing[:4])} (expected {DEATHS_LAYOUT})")
    records = []
    for row in rows[header + 2:]:
        name = _clean_name(row[0]) if row else ""
        if not name or len(row) <= max(columns.values()) or not row[1].strip() or np.isnan(_count(row[1])):
            continue  # blank spacers, footnotes and the "Source:" line
        for (band_label, sex), i in columns.items():
            records.append((name, sex, band_label, _count(row[i])))
    out = pd.DataFrame.from_records(records, columns=["name", "sex", "age_band", "deaths"])
    return out.dropna(subset=["deaths"]).reset_index(drop=True)


def read_published_rates(path: str | Path) -> pd.DataFrame:
    """ONS's published deaths and age-standardised mortality rates by area name, from Table 1a.

    Returns
    -------
    DataFrame
        name, sex ("P", "M", "F"), deaths (registrations), population (mid-year, people: ONS
        prints thousands to one decimal), asmr (per 100 000, ESP2013, all ages), low_reliability
        (ONS's "u" flag).
    """
    path = Path(path)
    rows = list(csv_rows(path))
    header_rows = rows[:15]
    asmr_col = next((i for r in header_rows for i, c in enumerate(r) if re.search(r"age.?standardised", c, re.I)), None)
    deaths_col = next((i for r in header_rows for i, c in enumerate(r) if c.strip().lower().startswith("deaths")), None)
    labels_row = next((r for r in header_rows if sum(c.strip() in ("Persons", "Males", "Females") for c in r) >= 6), None)
    if asmr_col is None or deaths_col is None or labels_row is None:
        raise ValueError(f"{path.name}: the 'Deaths (numbers)', 'Age-standardised mortality rate' and Persons/Males/Females "
                         "header cells of ONS Table 1a were not found in the first 15 rows")

    def first(label: str, start: int) -> int:
        return next(i for i in range(start, len(labels_row)) if labels_row[i].strip() == label)

    cols = {sex: (first(label, 1), first(label, deaths_col), first(label, asmr_col))
            for sex, label in (("P", "Persons"), ("M", "Males"), ("F", "Females"))}
    rate_columns = {c[2] for c in cols.values()}
    records = []
    for row in rows[15:]:
        name = _clean_name(row[0]) if row else ""
        if not name or len(row) <= asmr_col + 3 or not row[asmr_col].strip():
            continue
        for sex, (pop, deaths, asmr) in cols.items():
            flagged = asmr + 1 not in rate_columns and asmr + 1 < len(row)
            flag = flagged and row[asmr + 1].strip().lower() == "u"
            records.append((name, sex, _count(row[deaths]), _count(row[pop]) * 1000, _count(row[asmr]), flag))
    return pd.DataFrame.from_records(records, columns=["name", "sex", "deaths", "population", "asmr", "low_reliability"])
