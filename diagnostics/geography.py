"""Messy geographies: how a place sits in every other layer, and moving data between layers.

Small areas are the building blocks: the store's ``lookups`` table gives, for every small area and
layer, the area(s) it belongs to with the share (weight) of its population in each.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .exceptions import InvalidParameter
from .store import Store

__all__ = ["aggregate_small_areas"]


def aggregate_small_areas(
    store: Store,
    frame: pd.DataFrame,
    layer: str,
    value_columns: Sequence[str],
    by: Sequence[str] = (),
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sum small-area counts to the areas of another layer, weighting by the lookup's population shares.

    Parameters
    ----------
    store : Store
        Supplies the ``lookups`` table.
    frame : DataFrame
        Small-area rows with an ``area_code`` column (a small-area code), the ``by`` columns and the
        ``value_columns`` (counts: people, deaths, firms).
    layer : str
        The target layer (``"health_area"``, ``"district"``...).
    value_columns : sequence of str
        Extensive columns to sum. Each small area's count is split between the areas it belongs to
        in proportion to its lookup weights (all weights are 1 when small areas nest exactly).
    by : sequence of str
        Further columns to keep as keys (``year``, ``sex``, ``age_band``...).
    codes : sequence of str, optional
        Only these target areas.

    Returns
    -------
    DataFrame
        ``area_code``, the ``by`` columns and the weighted sums of ``value_columns``.
    """
    lookups = store.lookups
    links = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]]
    if links.empty:
        raise InvalidParameter(
            f"The store has no lookup from small areas to the layer {layer!r}; "
            f"layers with lookups: {', '.join(sorted(lookups['layer'].unique()))}."
        )
    if codes is not None:
        links = links[links["area_code"].isin(list(codes))]
    merged = frame.merge(
        links.rename(columns={"area_code": "target"}), left_on="area_code", right_on="small_area_code"
    )
    weighted = merged[list(value_columns)].multiply(merged["weight"], axis=0)
    keys = ["target", *by]
    result = pd.concat([merged[keys], weighted], axis=1).groupby(keys, as_index=False, observed=True).sum()
    return result.rename(columns={"target": "area_code"})
