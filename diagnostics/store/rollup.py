"""Values and intervals of indicator rows from their numerators and denominators, and roll-ups.

Shared by every source that writes the ``indicators`` table: a source gives counts, this module
turns them into values with intervals by the catalogue's value type, and aggregates them up a
hierarchy by summing counts (never by averaging rates).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from diagnostics.stats import proportion_ci, rate_ci
from diagnostics.store.schema import INDICATORS

#: The columns of the contract's ``indicators`` table, in order.
INDICATOR_COLUMNS: list[str] = list(INDICATORS.columns)

__all__ = ["INDICATOR_COLUMNS", "finalise_indicators", "roll_up", "roll_up_ancestors"]

_RATIO_OF_SUMS = ("currency", "score", "mean", "years", "ratio", "dsr")


def finalise_indicators(rows: pd.DataFrame, catalogue: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Fill ``value``, ``lower_ci``, ``upper_ci`` and ``confidence`` from counts, by value type.

    Parameters
    ----------
    rows : DataFrame
        Columns indicator_id, area_code, period, year, numerator, denominator, and optionally value,
        lower_ci, upper_ci, note (rows that already have a value and no numerator keep it).
    catalogue : DataFrame
        The catalogue (indicator_id, value_type, multiplier).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        ``rows`` with value and interval columns filled:

        - ``proportion``: Wilson score interval, times the multiplier (100 for percentages);
        - ``rate``: Byar's interval (exact Poisson below 10 events), per multiplier;
        - ``count``: the numerator (or the value) with no interval;
        - other types with a numerator: numerator / denominator times the multiplier, no interval.
    """
    out = rows.copy()
    for column in ("value", "lower_ci", "upper_ci", "confidence", "note"):
        if column not in out:
            out[column] = np.nan if column != "note" else None
    info = catalogue.set_index("indicator_id")[["value_type", "multiplier"]]
    kind = out["indicator_id"].map(info["value_type"])
    mult = out["indicator_id"].map(info["multiplier"]).astype(float)
    has_counts = out["numerator"].notna() & out["denominator"].notna() & (out["denominator"] > 0)

    sel = has_counts & (kind == "proportion")
    if sel.any():
        v, lo, hi = proportion_ci(out.loc[sel, "numerator"], out.loc[sel, "denominator"], confidence)
        out.loc[sel, ["value", "lower_ci", "upper_ci"]] = np.column_stack(
            [v * mult[sel], lo * mult[sel], hi * mult[sel]]
        )
        out.loc[sel, "confidence"] = confidence
    sel = has_counts & (kind == "rate")
    if sel.any():
        v, lo, hi = rate_ci(out.loc[sel, "numerator"], out.loc[sel, "denominator"], 1.0, confidence)
        out.loc[sel, ["value", "lower_ci", "upper_ci"]] = np.column_stack(
            [v * mult[sel], lo * mult[sel], hi * mult[sel]]
        )
        out.loc[sel, "confidence"] = confidence
    sel = has_counts & kind.isin(_RATIO_OF_SUMS)
    out.loc[sel, "value"] = out.loc[sel, "numerator"] / out.loc[sel, "denominator"] * mult[sel]
    sel = (kind == "count") & out["numerator"].notna()
    out.loc[sel, "value"] = out.loc[sel, "numerator"]
    return out


def roll_up(
    rows: pd.DataFrame,
    parent_of: Mapping[str, str] | pd.Series,
    catalogue: pd.DataFrame,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Aggregate indicator rows from areas to their parents, one level.

    Parameters
    ----------
    rows : DataFrame
        Indicator rows of child areas (indicator_id, area_code, period, year, value, numerator,
        denominator, source, vintage).
    parent_of : mapping or Series
        Child code -> parent code. Children without a parent are dropped.
    catalogue : DataFrame
        For value types and multipliers.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per indicator, parent and period. Where children carry numerators, the parent's are
        their sums and its value and interval are recomputed (:func:`finalise_indicators`); where they
        carry only values (medians, ready-made estimates), the parent's value is their mean weighted by
        the denominators, with no interval and a note saying so.
    """
    parents = pd.Series(parent_of) if not isinstance(parent_of, pd.Series) else parent_of
    work = rows.assign(area_code=rows["area_code"].map(parents)).dropna(subset=["area_code"])
    keys = ["indicator_id", "area_code", "period", "year"]
    with_counts = work["numerator"].notna()

    summed = (
        work.loc[with_counts]
        .groupby(keys, as_index=False, observed=True)[["numerator", "denominator"]]
        .sum(min_count=1)
    )
    values_only = work.loc[~with_counts].copy()
    values_only["weight"] = values_only["denominator"].fillna(1.0)
    values_only["weighted"] = values_only["value"] * values_only["weight"]
    averaged = values_only.groupby(keys, as_index=False, observed=True).agg(
        weighted=("weighted", "sum"), weight=("weight", "sum"), denominator=("denominator", "sum")
    )
    averaged["value"] = averaged["weighted"] / averaged["weight"]
    averaged["numerator"] = np.nan
    averaged["denominator"] = averaged["denominator"].where(averaged["denominator"] > 0)
    averaged["note"] = "weighted mean of the component areas' values"
    averaged = averaged.drop(columns=["weighted", "weight"])

    provenance = rows[["indicator_id", "source", "vintage"]].drop_duplicates("indicator_id")
    result = pd.concat([finalise_indicators(summed, catalogue, confidence), averaged], ignore_index=True)
    return result.merge(provenance, on="indicator_id", how="left")


def roll_up_ancestors(
    rows: pd.DataFrame, areas: pd.DataFrame, catalogue: pd.DataFrame, confidence: float = 0.95
) -> pd.DataFrame:
    """Aggregate indicator rows to every ancestor of their areas, level by level.

    Parameters
    ----------
    rows : DataFrame
        Indicator rows of areas of one layer (e.g. districts).
    areas : DataFrame
        The contract's ``areas`` table (code, parent_code).
    catalogue : DataFrame
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        The rows of the parents, the grandparents and so on up to the top of the hierarchy (the
        input rows themselves are not included). Each level is :func:`roll_up` of the one below,
        which for sums of counts and for denominator-weighted means equals aggregating the
        original rows directly.
    """
    parents = areas.dropna(subset=["parent_code"]).set_index("code")["parent_code"]
    levels, current = [], rows
    while True:
        current = roll_up(current, parents, catalogue, confidence)
        if current.empty:
            break
        levels.append(current)
    return pd.concat(levels, ignore_index=True) if levels else current
