"""Moving counts, rates and proportions from one layer's areas to another's.

A value published for one layer (districts) is wanted for another (health areas) whose boundaries do
not follow it. :func:`allocation_matrix` says how much of each source area's weight, its residents
(from the small-area lookups) or its land (the intersections of their boundaries), falls in each
target area; :func:`apportion` moves values with it, and :func:`compare_methods` shows how much the
choice matters against a build from small-area counts.

Allocation matrices are built once per store version and reused (:func:`diagnostics.geography.lookups`'s
cache). Everything here is also importable from :mod:`diagnostics.geography.lookups`, where it began.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.lookups import (
    layer_links,
    overlap_layers,
    small_area_population,
)
from diagnostics.store.store import Store

__all__ = ["Allocation", "allocation_matrix", "apportion", "compare_methods", "METHODS"]

_WEIGHTS = ("population", "area")


@dataclass(frozen=True)
class Allocation:
    """How the weight (residents or land) of each source area is shared among target areas.

    Attributes
    ----------
    source_codes, target_codes : numpy arrays of str
        Row and column labels of ``table``.
    table : scipy.sparse.csr_matrix
        ``table[i, j]``: residents (persons) or land (m²) shared by source ``i`` and target ``j``.
        For land it has the form of tobler's area table (:func:`tobler.area_weighted.area_interpolate`'s
        ``table`` argument).
    weights : str
        ``"population"`` or ``"area"``.
    """

    source_codes: np.ndarray
    target_codes: np.ndarray
    table: sparse.csr_matrix
    weights: str
    from_layer: str
    to_layer: str

    @property
    def shares(self) -> sparse.csr_matrix:
        """Row-standardised table: the share of each source's weight in each target (rows sum to 1)."""
        total = np.asarray(self.table.sum(axis=1)).ravel()
        return sparse.diags(1.0 / np.where(total > 0, total, 1.0)) @ self.table

    @property
    def split_sources(self) -> np.ndarray:
        """Whether each source area is shared between two or more targets."""
        largest = np.asarray(self.shares.max(axis=1).todense()).ravel()
        return largest < 1 - 1e-6


def _population_table(store: Store, from_layer: str, to_layer: str):
    pop = small_area_population(store)
    src = layer_links(store, from_layer)
    tgt = layer_links(store, to_layer)
    sa_codes = pop.index.to_numpy()
    sa_index = pd.Index(sa_codes)
    src_codes = np.sort(src["area_code"].unique())
    tgt_codes = np.sort(tgt["area_code"].unique())
    a = sparse.csr_matrix(
        (
            src["weight"].to_numpy() * src["small_area_code"].map(pop).fillna(0.0).to_numpy(),
            (np.searchsorted(src_codes, src["area_code"].to_numpy()), sa_index.get_indexer(src["small_area_code"])),
        ),
        shape=(len(src_codes), len(sa_codes)),
    )
    b = sparse.csr_matrix(
        (
            tgt["weight"].to_numpy(),
            (sa_index.get_indexer(tgt["small_area_code"]), np.searchsorted(tgt_codes, tgt["area_code"].to_numpy())),
        ),
        shape=(len(sa_codes), len(tgt_codes)),
    )
    return src_codes, tgt_codes, (a @ b).tocsr()


def _area_table(store: Store, from_layer: str, to_layer: str):
    """Land (m²) shared by each source and target area: the intersections of the two layers' boundaries.

    The pairs that touch come from the spatial index of the layer with more areas, queried with the
    other's shapes; only those pairs are intersected. The areas are kept as float32, as tobler's
    ``area_interpolate`` builds its own table, so land weights give tobler's numbers to the last bit.
    """
    import shapely

    source = store.boundaries(from_layer)
    target = store.boundaries(to_layer)
    if len(source) > len(target):
        target_at, source_at = source.sindex.query(target.geometry, predicate="intersects")
    else:
        source_at, target_at = target.sindex.query(source.geometry, predicate="intersects")
    land = shapely.area(shapely.intersection(source.geometry.values[source_at], target.geometry.values[target_at]))
    table = sparse.coo_matrix((land, (source_at, target_at)), shape=(len(source), len(target)), dtype=np.float32)
    return source["code"].to_numpy(), target["code"].to_numpy(), table.tocsr()


def allocation_matrix(store: Store, from_layer: str, to_layer: str, weights: str = "population") -> Allocation:
    """The sparse table sharing each area of ``from_layer`` among the areas of ``to_layer``.

    Built once per store version, pair of layers and weighting, and reused by every call of
    :func:`apportion`.

    Parameters
    ----------
    store : Store
    from_layer, to_layer : str
        Layers of the store.
    weights : {"population", "area"}
        Share by residents (small-area populations through the lookups' weights) or by land (the
        intersections of the two layers' boundaries).

    Returns
    -------
    Allocation

    Raises
    ------
    InvalidParameter
        For an unknown weighting, or a layer the store has no lookups (population) or boundaries
        (area) for.
    """
    if weights not in _WEIGHTS:
        raise InvalidParameter(f"The 'weights' parameter of apportion must be one of {list(_WEIGHTS)}; got {weights!r}.")
    build = _population_table if weights == "population" else _area_table
    key = per_store(store, "allocation", from_layer, to_layer, weights)
    for argument, layer in (("from_layer", from_layer), ("to_layer", to_layer)):
        available = overlap_layers(store) if weights == "population" else store.boundary_layers()
        if layer not in available and layer != "small_area":
            raise InvalidParameter(
                f"The '{argument}' parameter of apportion must be a layer the store has "
                f"{'lookups' if weights == 'population' else 'boundaries'} for ({', '.join(available)}); got {layer!r}."
            )
    return cached(key, lambda: Allocation(*build(store, from_layer, to_layer), weights, from_layer, to_layer))


def _interpolate(store: Store, allocation: Allocation, values: np.ndarray, intensive: bool) -> np.ndarray:
    """Move columns of source values (NaN-free, one row per source code) to the targets.

    Extensive: :math:`v_t = \\sum_s v_s w_{st} / \\sum_k w_{sk}`; intensive:
    :math:`v_t = \\sum_s v_s w_{st} / \\sum_k w_{kt}`; :math:`w` the allocation table. Land weights go
    through :func:`tobler.area_weighted.area_interpolate` with the cached table.
    """
    if values.shape[1] == 0:
        return np.zeros((len(allocation.target_codes), 0))
    if allocation.weights == "area":
        import geopandas as gpd
        from tobler.area_weighted import area_interpolate

        names = [f"v{i}" for i in range(values.shape[1])]
        source = store.boundaries(allocation.from_layer)
        source = gpd.GeoDataFrame(
            pd.DataFrame(values, columns=names), geometry=source.geometry.to_numpy(), crs=source.crs
        )
        target = store.boundaries(allocation.to_layer)[["geometry"]]
        estimates = area_interpolate(
            source,
            target,
            extensive_variables=None if intensive else names,
            intensive_variables=names if intensive else None,
            table=allocation.table,
        )
        return estimates[names].to_numpy(float)
    table = allocation.table
    if intensive:
        total = np.asarray(table.sum(axis=0)).ravel()
        weights = table @ sparse.diags(1.0 / np.where(total > 0, total, 1.0))
    else:
        weights = allocation.shares
    return np.asarray(weights.T @ values)


def _received(allocation: Allocation, flags: np.ndarray) -> np.ndarray:
    """Share of each target's weight that came from sources where ``flags`` is true (per column)."""
    table = allocation.table
    total = np.asarray(table.sum(axis=0)).ravel()
    got = np.asarray(table.T @ flags.astype(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return got / total.reshape(-1, 1) if got.ndim == 2 else got / total


def apportion(
    values: pd.DataFrame,
    from_layer: str,
    to_layer: str,
    weights: str = "population",
    *,
    store: Store,
    extensive: Sequence[str] | None = None,
    intensive: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Move data published for one layer's areas onto another layer's, by residents or by land.

    Parameters
    ----------
    values : DataFrame
        Either indicator rows (the ``indicators`` table's columns: ``indicator_id``, ``area_code``,
        ``period``, ``year``, ``value``, ``numerator``, ``denominator``...), or any table with an
        ``area_code`` column and the columns named in ``extensive`` / ``intensive``. Rows of areas
        outside ``from_layer`` are ignored.
    from_layer, to_layer : str
        The layer the data is published on and the one wanted.
    weights : {"population", "area"}, default "population"
        Share each source area among targets by its residents (small-area populations through the
        lookups) or by land (boundary intersections, through tobler's ``area_interpolate``).
    store : Store
        Supplies the lookups, populations, boundaries and catalogue.
    extensive, intensive : sequence of str, optional
        For a plain table: columns of counts (split in proportion to the weights) and of rates or
        means (averaged, weighted by the weights shared). Ignored for indicator rows.
    confidence : float, default 0.95
        Confidence level of the recomputed intervals.

    Returns
    -------
    DataFrame
        For indicator rows: one row per indicator, target area and period, with the contract's
        indicator columns. Rows carrying numerators and denominators have both apportioned as
        counts and their value and interval recomputed on the target
        (:func:`diagnostics.store.rollup.finalise_indicators`: Wilson for proportions, Byar for
        rates); rows carrying only a value get the weighted mean of the sources' values and no
        interval. For a plain table: ``area_code`` and the columns. Both add

        - ``split_share``: share of the target's weight (residents or land) that came from source
          areas split between targets, 0-1: 0 means the target is made of whole source areas
          and its figure is exact; the higher, the more it rests on the assumption that what is
          counted is spread like the weights;
        - ``coverage``: share of the target's weight whose source had a value, 0-1;
        - ``method``: what was done, in words.

    Raises
    ------
    InvalidParameter
        For an unknown weighting or layer, values with no rows of ``from_layer``, or a plain table
        without ``extensive``/``intensive`` columns.

    Notes
    -----
    With :math:`w_{st}` the residents (or land, m²) shared by source :math:`s` and target :math:`t`,
    a count moves as :math:`v_t = \\sum_s v_s\\, w_{st} / \\sum_k w_{sk}` and a rate or mean as
    :math:`v_t = \\sum_s v_s\\, w_{st} / \\sum_k w_{kt}` (tobler's extensive and intensive estimators,
    Goodchild & Lam 1980). A proportion moved with its numerator and denominator is the ratio of two
    moved counts, so its interval reflects the target's own denominator. The allocation table is built
    once per store version (:func:`allocation_matrix`).
    """
    allocation = allocation_matrix(store, from_layer, to_layer, weights)
    if not isinstance(values, pd.DataFrame) or "area_code" not in values.columns:
        raise InvalidParameter(
            "The 'values' parameter of apportion must be a DataFrame with an 'area_code' column; "
            f"got {type(values).__name__}."
        )
    rows = values.loc[values["area_code"].isin(set(allocation.source_codes))]
    if rows.empty:
        raise InvalidParameter(
            f"The 'values' parameter of apportion has no rows for areas of the from_layer {from_layer!r}; "
            f"its area codes start {sorted(values['area_code'].astype(str).unique())[:3]}."
        )
    method = f"apportioned from {layer_label(from_layer).lower()} to {layer_label(to_layer).lower()} by {weights}"
    if "indicator_id" in rows.columns:
        return _apportion_indicators(store, allocation, rows, method, confidence)
    columns = list(extensive or []) + list(intensive or [])
    missing = [c for c in columns if c not in rows.columns]
    if not columns or missing:
        raise InvalidParameter(
            "The 'extensive' and 'intensive' parameters of apportion must name columns of 'values' "
            f"when it is not a table of indicators; got {columns}{' (missing: ' + str(missing) + ')' if missing else ''}."
        )
    wide = rows.groupby("area_code")[columns].sum(min_count=1).reindex(allocation.source_codes)
    out = pd.DataFrame({"area_code": allocation.target_codes})
    coverage = []
    for names, is_intensive in ((list(extensive or []), False), (list(intensive or []), True)):
        if names:
            out[names] = _move(store, allocation, wide[names].to_numpy(float), is_intensive)
            coverage.append(_received(allocation, wide[names].notna().to_numpy()))
    out["split_share"] = _received(allocation, allocation.split_sources)
    out["coverage"] = np.column_stack(coverage).min(axis=1)
    out["method"] = method
    return out.loc[out["coverage"] > 0].reset_index(drop=True)


def _move(store: Store, allocation: Allocation, matrix: np.ndarray, intensive: bool) -> np.ndarray:
    """:func:`_interpolate` with missing source values left out (not counted as zeros)."""
    present = ~np.isnan(matrix)
    filled = np.where(present, matrix, 0.0)
    if not intensive:
        return _interpolate(store, allocation, filled, intensive=False)
    both = _interpolate(store, allocation, np.hstack([filled, present.astype(float)]), intensive=True)
    k = matrix.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(both[:, k:] > 0, both[:, :k] / both[:, k:], np.nan)


def _apportion_indicators(
    store: Store, allocation: Allocation, rows: pd.DataFrame, method: str, confidence: float
) -> pd.DataFrame:
    from diagnostics.store.rollup import INDICATOR_COLUMNS, finalise_indicators

    keys = ["indicator_id", "period", "year"]
    counted = rows["numerator"].notna() & rows["denominator"].notna()
    is_count = rows["indicator_id"].map(store.catalogue["value_type"]).eq("count")
    has_value = rows["value"].notna() & ~counted
    kinds = (
        ("counts", rows.loc[counted], ["numerator", "denominator"], False),
        ("totals", rows.loc[has_value & is_count], ["value"], False),
        ("values", rows.loc[has_value & ~is_count], ["value"], True),
    )
    parts = []
    split = _received(allocation, allocation.split_sources)
    targets = allocation.target_codes
    source_index = pd.Index(allocation.source_codes)
    for kind, subset, measures, intensive in kinds:
        if subset.empty:
            continue
        series = pd.MultiIndex.from_frame(subset[keys].drop_duplicates())
        rows_at = source_index.get_indexer(subset["area_code"])
        cols_at = series.get_indexer(pd.MultiIndex.from_frame(subset[keys]))
        matrix = np.full((len(source_index), len(series) * len(measures)), np.nan)
        for i, measure in enumerate(measures):
            matrix[rows_at, cols_at + i * len(series)] = subset[measure].to_numpy(float)
        moved = _move(store, allocation, matrix, intensive=intensive)
        covered = _received(allocation, ~np.isnan(matrix[:, : len(series)]))
        n_targets, n_series = len(targets), len(series)
        long = pd.DataFrame({"area_code": np.repeat(targets, n_series)})
        for level, name in enumerate(keys):
            long[name] = np.tile(series.get_level_values(level).to_numpy(), n_targets)
        for i, measure in enumerate(measures):
            long[measure] = moved[:, i * n_series : (i + 1) * n_series].ravel()
        long["coverage"] = covered.ravel()
        long = long.loc[long["coverage"] > 0]
        if kind == "counts":
            long = long.loc[long["denominator"] > 0]
            long = finalise_indicators(long.assign(value=np.nan), store.catalogue.reset_index(drop=True), confidence)
            long["note"] = method
        else:
            long = long.assign(
                numerator=long["value"] if kind == "totals" else np.nan,
                denominator=np.nan,
                lower_ci=np.nan,
                upper_ci=np.nan,
                confidence=np.nan,
                note=method if kind == "totals" else method + "; weighted mean of the source values",
            )
        parts.append(long)
    if not parts:
        raise InvalidParameter("The 'values' parameter of apportion has no numerators, denominators or values to move.")
    out = pd.concat(parts, ignore_index=True)
    provenance = rows.drop_duplicates("indicator_id").set_index("indicator_id")
    for column in ("source", "vintage"):
        out[column] = out["indicator_id"].map(provenance[column]) if column in provenance else None
    out["split_share"] = out["area_code"].map(pd.Series(split, index=targets))
    out["method"] = method
    out["year"] = out["year"].astype(int)
    columns = [c for c in INDICATOR_COLUMNS if c in out.columns] + ["split_share", "coverage", "method"]
    return out[columns].sort_values(["indicator_id", "area_code", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# How much the method matters
# --------------------------------------------------------------------------------------------------

#: The ways :func:`compare_methods` builds an indicator on the target layer, in the order shown.
METHODS: dict[str, str] = {
    "published": "published for the area",
    "small_areas": "built from small areas",
    "population": "apportioned from {from_layer} by residents",
    "area": "apportioned from {from_layer} by land area",
}


def compare_methods(
    store: Store,
    indicator_id: str,
    from_layer: str = "district",
    to_layer: str = "health_area",
    codes: Sequence[str] | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """One indicator on one layer built four ways: published, from small areas, and apportioned.

    Parameters
    ----------
    store : Store
    indicator_id : str
        An indicator the store holds for small areas and for ``from_layer`` (with numerators and
        denominators where it is a proportion or rate).
    from_layer, to_layer : str, default "district", "health_area"
    codes : sequence of str, optional
        Only these areas of ``to_layer``.
    year : int, optional
        Default: the latest year the small-area rows cover.

    Returns
    -------
    DataFrame
        One row per target area and method (:data:`METHODS` keys in ``method``, its words in
        ``method_label``): ``area_code``, ``area_name``, ``period``, ``value``, ``lower_ci``,
        ``upper_ci``, ``numerator``, ``denominator``, ``split_share``, and ``difference`` (value minus
        the value built from small areas, in the indicator's unit). Methods the store cannot
        support (no published rows, no boundaries) are left out.

    Notes
    -----
    Built from small areas, a figure counts each small area's numerator and denominator where its
    residents are (the lookups' weights), the most faithful of the four when small areas nest in the
    target layer. Apportioned figures assume that what is counted is spread like the residents (or
    the land) of each source area, and differ where the source areas straddle the target's boundary.
    """
    everywhere = cached(per_store(store, "compare_methods", indicator_id, from_layer, to_layer, year, disk=TABLE),
                         lambda: _compare_methods_everywhere(store, indicator_id, from_layer, to_layer, year))
    if codes is None:
        return everywhere.copy()
    return everywhere.loc[everywhere["area_code"].isin(set(codes))].reset_index(drop=True)


def _compare_methods_everywhere(store: Store, indicator_id: str, from_layer: str, to_layer: str,
                                year: int | None) -> pd.DataFrame:
    """:func:`compare_methods` for every area of ``to_layer`` (computed once per store version)."""
    rows = store.indicator_values(indicator_id)
    if rows.empty:
        raise InvalidParameter(
            f"The 'indicator_id' parameter of compare_methods must be an indicator of the store; got {indicator_id!r}."
        )
    small = rows.loc[rows["area_code"].isin(store.areas_in_layer("small_area")["code"])]
    if small.empty:
        raise InvalidParameter(
            f"The store holds no small-area rows of {indicator_id!r}, so it cannot be built from small areas."
        )
    year = int(small["year"].max()) if year is None else int(year)
    rows = rows.loc[rows["year"] == year]
    targets = store.areas_in_layer(to_layer)["code"]
    frames = []
    published = rows.loc[rows["area_code"].isin(set(targets))]
    if not published.empty:
        frames.append(published.assign(method="published", split_share=np.nan))
    frames.append(apportion(rows, "small_area", to_layer, store=store).assign(method="small_areas"))
    for weights in ("population", "area"):
        if weights == "area" and not {from_layer, to_layer} <= set(store.boundary_layers()):
            continue
        source = rows.loc[rows["area_code"].isin(store.areas_in_layer(from_layer)["code"])]
        if not source.empty:
            frames.append(apportion(source, from_layer, to_layer, weights, store=store).assign(method=weights))
    out = pd.concat(frames, ignore_index=True)
    out = out.loc[out["area_code"].isin(set(targets))].copy()
    base = out.loc[out["method"] == "small_areas"].set_index("area_code")["value"]
    out["difference"] = out["value"] - out["area_code"].map(base)
    out["area_name"] = out["area_code"].map(store.name_of)
    label = {key: text.format(from_layer=layer_label(from_layer).lower()) for key, text in METHODS.items()}
    out["method_label"] = out["method"].map(label)
    out["_order"] = out["method"].map({key: i for i, key in enumerate(METHODS)})
    out = out.sort_values(["area_code", "_order"])
    columns = ["area_code", "area_name", "indicator_id", "period", "method", "method_label", "value",
               "lower_ci", "upper_ci", "numerator", "denominator", "split_share", "difference"]
    return out[columns].reset_index(drop=True)
