"""The indicator listing behind ``place-diagnostic indicators``: the store's figures for one place.

The same rows (values, intervals, periods, sources) that the report shows, for analysts to take into
their own spreadsheets.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.store.places import Place, resolve_place
from diagnostics.store.store import as_store

__all__ = ["place_indicators"]


def place_indicators(place: str | Place, store, latest_only: bool = True) -> pd.DataFrame:
    """Every indicator the store holds for a place.

    Parameters
    ----------
    place : str or Place
        A code or name (any case).
    store : Store or path-like
    latest_only : bool, default True
        Only each indicator's latest period.

    Returns
    -------
    DataFrame
        indicator_id, name, period, value, lower_ci, upper_ci, confidence, unit, numerator,
        denominator, source, vintage, note; sorted by domain then indicator.
    """
    store = as_store(store)
    place = resolve_place(place, store)
    rows = store.indicator_values(area_codes=[place.code])
    if latest_only and not rows.empty:
        rows = rows.loc[rows["year"] == rows.groupby("indicator_id")["year"].transform("max")]
    catalogue = store.catalogue[["indicator_id", "name", "unit", "domain"]].reset_index(drop=True)
    table = rows.merge(catalogue, on="indicator_id", how="left")
    columns = [
        "indicator_id", "name", "period", "value", "lower_ci", "upper_ci", "confidence", "unit",
        "numerator", "denominator", "source", "vintage", "note",
    ]
    table = table.sort_values(["domain", "indicator_id", "year"])
    return table[columns].reset_index(drop=True)
