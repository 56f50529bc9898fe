"""OHID Fingertips indicator data: the API's CSV export, and the column layout of extracts of it.

The API export (``/api/all_data/csv/by_indicator_id``) has ``Indicator ID, Indicator Name, Area
Code, Area Type, Sex, Age, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit, Count,
Denominator, Value note...``. Extracts such as Trafford Data Lab's keep ``area_code, area_name,
area_type, period, indicator, measure, unit, value, compared_to_England, inequality`` (the sex),
without intervals or counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import read_csv

__all__ = ["read_fingertips", "fingertips_period", "FINGERTIPS_COLUMNS"]

#: Columns of :func:`read_fingertips`.
FINGERTIPS_COLUMNS = [
    "indicator", "area_code", "area_name", "sex", "period", "year", "value", "lower_ci", "upper_ci",
    "numerator", "denominator", "notes",
]


def fingertips_period(text: str) -> tuple[str, int]:
    """Fingertips' period text as (label, last year): ``2015 - 17`` -> ("2015-17", 2017);
    ``2019/20`` -> ("2019/20", 2020); ``2021`` -> ("2021", 2021).

    Raises
    ------
    ValueError
        For any other text.
    """
    text = str(text).strip()
    m = re.fullmatch(r"(\d{4})\s*([-/])\s*(\d{2})", text)
    if m:
        start, sep, end = m.groups()
        last = int(start[:2] + end)
        if last < int(start):
            last += 100
        return f"{start}{sep}{end}", last
    if re.fullmatch(r"\d{4}", text):
        return text, int(text)
    raise ValueError(f"not a Fingertips period: {text!r}")


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype("string").str.replace(",", "", regex=False), errors="coerce")


def read_fingertips(path: Path, layout: str) -> pd.DataFrame:
    """Read a Fingertips export into :data:`FINGERTIPS_COLUMNS`.

    ``indicator`` is the indicator's name (as Fingertips spells it);
    ``sex`` is Female, Male or Persons.

    Raises
    ------
    ImportFailed
        If the file cannot be read or a period cannot be understood.
    """
    df = read_csv(path)
    if layout == "api":
        out = pd.DataFrame({
            "indicator": df["Indicator Name"].astype(str).str.strip(),
            "area_code": df["Area Code"],
            "area_name": df.get("Area Name"),
            "sex": df.get("Sex", "Persons"),
            "period": df["Time period"],
            "value": _num(df["Value"]),
            "lower_ci": _num(df["Lower CI 95.0 limit"]),
            "upper_ci": _num(df["Upper CI 95.0 limit"]),
            "numerator": _num(df["Count"]) if "Count" in df else None,
            "denominator": _num(df["Denominator"]) if "Denominator" in df else None,
            "notes": df.get("Value note"),
        })
        if "Category Type" in df.columns:  # keep the whole-area rows, not the deprivation breakdowns
            out = out.loc[df["Category Type"].isna().to_numpy()]
    else:
        out = pd.DataFrame({
            "indicator": df["indicator"],
            "area_code": df["area_code"],
            "area_name": df["area_name"],
            # the sex is in 'inequality'; some extracts put it in 'unit' instead
            "sex": df["inequality"].where(~df["inequality"].isin(["NA", ""]) & df["inequality"].notna(),
                                          df["unit"].where(df["unit"].isin(["Male", "Female", "Persons"]), "Persons")),
            "period": df["period"],
            "value": _num(df["value"]),
            "lower_ci": float("nan"),
            "upper_ci": float("nan"),
            "numerator": float("nan"),
            "denominator": float("nan"),
            "notes": None,
        })
    try:
        labels = out["period"].map(fingertips_period)
    except ValueError as err:
        raise ImportFailed(str(path), f"column period: {err}") from err
    out["period"] = labels.map(lambda t: t[0])
    out["year"] = labels.map(lambda t: t[1]).astype(int)
    return out[FINGERTIPS_COLUMNS].reset_index(drop=True)
