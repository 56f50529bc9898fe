"""ONS Explore Local Statistics (ELS) indicator files: ready-made figures with published intervals.

Two layouts are read: the current tidy one (``areacd, areanm, geography, indicator, period,
observation, measure, unit, lci_95, uci_95, status, notes``; periods as ISO 8601 intervals such
as ``2020-01-01/P3Y``) and the older one (``AREACD, AREANM, Geography, Indicator, Observation,
Unit, Measure, Period, Lower/Upper Confidence Interval (95%), Observation Status``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import read_csv

__all__ = ["read_els", "period_label", "ELS_COLUMNS"]

#: Columns of :func:`read_els`.
ELS_COLUMNS = ["area_code", "area_name", "indicator", "period", "year", "value", "lower_ci", "upper_ci", "status", "notes"]

_INTERVAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P(\d+)([YM]))?$")


def period_label(text: str) -> tuple[str, int]:
    """The label people read and the last year of an ELS period.

    ``2023-01-01/P1Y`` -> ("2023", 2023); ``2020-01-01/P3Y`` -> ("2020-22", 2022);
    ``2015-04-01/P1Y`` -> ("2015/16", 2016); ``2025-04-30`` (a date) -> ("2025", 2025);
    ``2019`` -> ("2019", 2019).

    Raises
    ------
    ValueError
        For text that is none of these.
    """
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return text, int(text)
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(f"not an ISO 8601 period: {text!r}")
    year, month, day, n, unit = m.groups()
    y = int(year)
    if n is None:
        return year, y
    n = int(n)
    if unit == "M":
        months = int(month) - 1 + n - 1
        end = y + months // 12
        return (year if end == y else f"{year}/{str(end)[2:]}"), end
    if month == "01" and day == "01":
        end = y + n - 1
        return (year if n == 1 else f"{year}-{str(end)[2:]}"), end
    end = y + n
    return f"{year}/{str(end)[2:]}", end


def read_els(path: Path, layout: str) -> pd.DataFrame:
    """Read one ELS indicator file into :data:`ELS_COLUMNS` (values and 95% limits as published).

    Raises
    ------
    ImportFailed
        If the file cannot be read, or a period or value cannot be understood.
    """
    df = read_csv(path)
    if layout == "legacy":
        rename = {
            "AREACD": "area_code", "AREANM": "area_name", "Indicator": "indicator", "Observation": "value",
            "Period": "period", "Lower Confidence Interval (95%)": "lower_ci",
            "Upper Confidence Interval (95%)": "upper_ci", "Observation Status": "status",
        }
    else:
        rename = {
            "areacd": "area_code", "areanm": "area_name", "indicator": "indicator", "observation": "value",
            "period": "period", "lci_95": "lower_ci", "uci_95": "upper_ci", "status": "status", "notes": "notes",
        }
    missing = [c for c in rename if c not in df.columns and c not in ("notes", "status", "Observation Status")]
    if missing:
        raise ImportFailed(str(path), f"the Explore Local Statistics columns {missing} are missing")
    df = df.rename(columns=rename)
    for column in ("status", "notes"):
        if column not in df.columns:
            df[column] = None
    try:
        labels = df["period"].map(period_label)
    except ValueError as err:
        raise ImportFailed(str(path), f"column period: {err}") from err
    df["year"] = labels.map(lambda t: t[1]).astype(int)
    df["period"] = labels.map(lambda t: t[0])
    for column in ("value", "lower_ci", "upper_ci"):
        raw = df[column].astype("string").str.replace(",", "", regex=False).str.strip()
        numbers = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & (raw != "") & numbers.isna() & ~raw.str.fullmatch(r"[xX.:*\-]|n/?a", na=False)
        if bad.any():
            raise ImportFailed(str(path), f"column {column} has values that are not numbers, e.g. {raw[bad].iloc[0]!r} (row {int(np.flatnonzero(bad)[0]) + 2})")
        df[column] = numbers
    return df[ELS_COLUMNS].reset_index(drop=True)
