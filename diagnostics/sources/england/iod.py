"""MHCLG English Indices of Deprivation 2019: small-area ranks, scores and population denominators.

Files 1 and 2 give each LSOA (2011) its rank (1 = most deprived of 32,844) and decile for the IMD
and the seven domains, File 3 for the two supplementary indices (IDACI, IDAOPI); Files 5 and 7
their scores; File 6 the mid-2015 population denominators
(excluding prisoners) that MHCLG uses to weight its local-authority summaries. Numbers may carry
thousands separators ("29,199").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import read_csv

__all__ = ["DOMAINS", "SUMMARY_LABELS", "read_iod_measures", "read_iod_population", "read_iod_district_summaries"]

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
    "idaci": "Income Deprivation Affecting Children Index (IDACI)",
    "idaopi": "Income Deprivation Affecting Older People (IDAOPI)",
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
    """The ranks (Files 1-3) or scores (Files 5/7) of every domain the file holds, long form.

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


#: MHCLG's local-authority summary tables (IoD2019 File 10) name each domain by these labels.
SUMMARY_LABELS: dict[str, str] = {
    "imd": "IMD", "income": "Income", "employment": "Employment", "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability", "crime": "Crime", "barriers": "Barriers to Housing and Services",
    "living_environment": "Living Environment", "idaci": "IDACI", "idaopi": "IDAOPI",
}
_SUMMARY_MEASURES = {
    "average rank": "average_rank",
    "rank of average rank": "rank_of_average_rank",
    "average score": "average_score",
    "rank of average score": "rank_of_average_score",
    "proportion of lsoas in most deprived 10% nationally": "most_deprived_10pct",
    "rank of proportion of lsoas in most deprived 10% nationally": "rank_of_most_deprived_10pct",
}


def read_iod_district_summaries(path: Path) -> pd.DataFrame:
    """MHCLG's published local-authority summaries (IoD2019 File 10, lower tier), long form.

    Parameters
    ----------
    path : Path
        The workbook as MHCLG publishes it (one sheet per domain) or a CSV export of its columns
        ("Local Authority District code (2019)", "IMD - Average rank ", "Employment - Rank of
        average rank "...). Headers are matched without case or surrounding spaces.

    Returns
    -------
    DataFrame
        district_code_2019, domain (a key of :data:`SUMMARY_LABELS`), measure (``average_rank``,
        ``rank_of_average_rank``, ``average_score``, ``rank_of_average_score``,
        ``most_deprived_10pct`` (a fraction), ``rank_of_most_deprived_10pct``), value.

    Raises
    ------
    ImportFailed
        If the file has no district code column or no summary column.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        sheets = pd.read_excel(path, sheet_name=None)
        frames = [s.set_index(_code_column(s, path)) for s in sheets.values() if _code_column(s, path, required=False)]
        if not frames:
            raise ImportFailed(str(path), "no sheet has a 'Local Authority District code (2019)' column")
        wide = pd.concat(frames, axis=1)
        wide = wide.loc[:, ~wide.columns.duplicated()]
    else:
        table = read_csv(path)
        wide = table.set_index(_code_column(table, path))
    labels = {label.lower(): domain for domain, label in SUMMARY_LABELS.items()}
    rows = []
    for column in wide.columns:
        head, _, tail = str(column).strip().partition(" - ")
        domain = labels.get(re.sub(r"\s+20\d\d$", "", head.strip().lower()))
        measure = _SUMMARY_MEASURES.get(re.sub(r"\s+", " ", tail.strip().lower()))
        if domain and measure:
            values = pd.to_numeric(wide[column].astype("string").str.replace(",", "", regex=False), errors="coerce")
            rows.append(pd.DataFrame({"district_code_2019": wide.index.astype(str), "domain": domain, "measure": measure,
                                      "value": values.to_numpy()}))
    if not rows:
        raise ImportFailed(str(path), "no column of the form '<domain> - Average rank' was found (IoD2019 File 10 layout)")
    return pd.concat(rows, ignore_index=True).dropna(subset=["value"])


def _code_column(table: pd.DataFrame, path: Path, required: bool = True) -> str | None:
    column = next((c for c in table.columns if str(c).strip().lower().startswith("local authority district code")), None)
    if column is None and required:
        raise ImportFailed(str(path), "no 'Local Authority District code (2019)' column")
    return column
