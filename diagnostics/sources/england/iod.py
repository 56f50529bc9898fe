"""MHCLG English Indices of Deprivation 2019: small-area ranks, scores and population denominators.

Files 1 and 2 give each LSOA (2011) its rank (1 = most deprived of 32,844) and decile for the IMD
and the seven domains; Files 5 and 7 their scores; File 6 the mid-2015 population denominators
(excluding prisoners) that MHCLG uses to weight its local-authority summaries. Numbers may carry
thousands separators ("29,199").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import read_csv

__all__ = ["DOMAINS", "read_iod_measures", "read_iod_population"]

#: The IMD and its seven domains: short id -> the label that starts MHCLG's column headers.
DOMAINS: dict[str, str] = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_environment": "Living Environment",
}

_KEY_COLUMNS = {
    "LSOA code (2011)": "small_area_code",
    "LSOA name (2011)": "small_area_name",
    "Local Authority District code (2019)": "district_code_2019",
    "Local Authority District name (2019)": "district_name_2019",
}


def _numbers(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    raw = df[column].astype("string").str.replace(",", "", regex=False).str.strip()
    out = pd.to_numeric(raw, errors="coerce")
    if out.isna().any():
        row = int(out.isna().to_numpy().nonzero()[0][0])
        raise ImportFailed(str(path), f"column {column!r} has a value that is not a number in row {row + 2}: {raw.iloc[row]!r}")
    return out


def read_iod_measures(path: Path, measure: str) -> pd.DataFrame:
    """The ranks (Files 1/2) or scores (Files 5/7) of every domain the file holds, long form.

    Parameters
    ----------
    measure : {"rank", "score"}

    Returns
    -------
    DataFrame
        small_area_code, small_area_name, district_code_2019, domain (a key of :data:`DOMAINS`),
        ``measure`` ("rank" or "score"), value.
    """
    df = read_csv(path)
    missing = [c for c in _KEY_COLUMNS if c not in df.columns]
    if missing:
        raise ImportFailed(str(path), f"the IoD2019 columns {missing} are missing")
    frames = []
    for domain, label in DOMAINS.items():
        pattern = re.compile(rf"^{re.escape(label)} {measure.capitalize()}\b", re.I)
        column = next((c for c in df.columns if pattern.match(c)), None)
        if column is None:
            continue
        frames.append(pd.DataFrame({
            "small_area_code": df["LSOA code (2011)"],
            "small_area_name": df["LSOA name (2011)"],
            "district_code_2019": df["Local Authority District code (2019)"],
            "domain": domain,
            "measure": measure,
            "value": _numbers(df, column, path),
        }))
    if not frames:
        raise ImportFailed(str(path), f"no IMD or domain {measure} column found")
    out = pd.concat(frames, ignore_index=True)
    if measure == "rank" and (out["value"] < 1).any():
        raise ImportFailed(str(path), "ranks must be 1 or more (1 = most deprived)")
    return out


def read_iod_population(path: Path) -> pd.DataFrame:
    """File 6: mid-2015 populations (excluding prisoners) by LSOA (2011).

    Returns
    -------
    DataFrame
        small_area_code, small_area_name, district_code_2019, total, aged_0_15, aged_16_59,
        aged_60_plus, working_age (counts of people).
    """
    df = read_csv(path)
    missing = [c for c in _KEY_COLUMNS if c not in df.columns]
    if missing:
        raise ImportFailed(str(path), f"the IoD2019 columns {missing} are missing")
    pick = {
        "total": "Total population",
        "aged_0_15": "Dependent Children aged 0-15",
        "aged_16_59": "Population aged 16-59",
        "aged_60_plus": "Older population aged 60 and over",
        "working_age": "Working age population",
    }
    out = pd.DataFrame({v: df[k] for k, v in _KEY_COLUMNS.items() if v != "district_name_2019"})
    for name, prefix in pick.items():
        column = next((c for c in df.columns if c.startswith(prefix)), None)
        if column is None:
            raise ImportFailed(str(path), f"no column starting {prefix!r}")
        out[name] = _numbers(df, column, path)
    return out
