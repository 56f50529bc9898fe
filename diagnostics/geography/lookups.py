"""Lookups: small areas are the building blocks of every layer.

The store's ``lookups`` table gives, for every small area and layer, the area(s) it belongs to with
the share (weight) of its population in each. Everything here is built from those links and the
latest year of small-area populations: residents of every small area and every area, a place's small
areas, the lookup weights as a sparse matrix, and sums of small-area counts to any layer. Each is
built once per store version and reused, so a batch over many places repeats no work.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from diagnostics.cache import cached, per_store
from diagnostics.exceptions import InvalidParameter
from diagnostics.store.places import Place, resolve_place
from diagnostics.store.store import Store

__all__ = [
    "aggregate_small_areas",
    "small_area_population",
    "population_basis",
    "layer_links",
    "small_area_weights",
    "area_population",
    "overlap_layers",
    "place_small_areas",
    "small_area_points",
]



# --------------------------------------------------------------------------------------------------
# Building blocks: small-area populations and the links of each layer
# --------------------------------------------------------------------------------------------------


def small_area_population(store: Store, year: int | None = None) -> pd.Series:
    """Residents of every small area in one year (all ages and both sexes).

    Parameters
    ----------
    store : Store
    year : int, optional
        Default: the latest year of the ``population`` table.

    Returns
    -------
    Series
        Persons, indexed by small-area code (every small area of the store; 0 where the table has
        none), named ``population``; its ``attrs["year"]`` is the year used and ``attrs["basis"]``
        is ``"residents"``. A store without a ``population`` table (real stores may declare it
        absent) gives 1 for every small area, ``attrs["basis"] == "small areas"`` and no year:
        every overlap is then a count of small areas, not of people.
    """

    def compute() -> pd.Series:
        codes = store.areas_in_layer("small_area")["code"]
        if not store.has_table("population"):
            # Real stores may declare the table absent: LSOAs are built to hold similar numbers of
            # people (1,000 to 3,000), so counting each once is the honest stand-in, and says so.
            out = pd.Series(1.0, index=pd.Index(codes.to_numpy(), name="small_area_code"), name="population")
            out.attrs.update(year=None, basis="small areas")
            return out
        pop = store.population
        chosen = int(pop["year"].max()) if year is None and not pop.empty else year
        rows = pop.loc[(pop["year"] == chosen) & pop["area_code"].isin(set(codes))]
        totals = rows.groupby("area_code")["population"].sum().astype(float)
        out = totals.reindex(codes.to_numpy(), fill_value=0.0).rename("population")
        out.index.name = "small_area_code"
        out.attrs.update(year=chosen, basis="residents")
        return out

    return cached(per_store(store, "small_area_population", year), compute)


def population_basis(store: Store) -> str:
    """What the overlaps count: ``"residents"``, or ``"small areas"`` when the store has no populations."""
    return "residents" if store.has_table("population") else "small areas"


def layer_links(store: Store, layer: str) -> pd.DataFrame:
    """The links from small areas to the areas of one layer.

    Parameters
    ----------
    store : Store
    layer : str
        Any layer of the store; ``"small_area"`` links each small area to itself.

    Returns
    -------
    DataFrame
        ``small_area_code``, ``area_code``, ``weight`` (the share of the small area's population in
        the area; the weights of one small area sum to 1).

    Raises
    ------
    InvalidParameter
        If the store has no lookup to ``layer``; the message lists the layers it has.
    """

    def compute() -> pd.DataFrame:
        if layer == "small_area":
            codes = store.areas_in_layer("small_area")["code"].to_numpy()
            return pd.DataFrame({"small_area_code": codes, "area_code": codes, "weight": 1.0})
        return _links_to(store, layer).reset_index(drop=True)

    return cached(per_store(store, "layer_links", layer), compute)


def overlap_layers(store: Store) -> list[str]:
    """The layers a place can be compared with: those with lookups from small areas, in store order."""
    with_links = store.lookup_layers
    return [layer for layer in store.layers if layer in with_links]


def area_population(store: Store) -> pd.Series:
    """Residents of every area of every layer, from small-area populations and the lookups' weights.

    Returns
    -------
    Series
        Persons indexed by area code (small areas included), latest year.
    """

    def compute() -> pd.Series:
        pop = small_area_population(store)
        lookups = store.lookups
        people = lookups["small_area_code"].map(pop).fillna(0.0) * lookups["weight"]
        totals = people.groupby(lookups["area_code"]).sum()
        return pd.concat([totals, pop]).rename("population")

    return cached(per_store(store, "area_population"), compute)


def _as_place(store: Store, place) -> Place:
    if isinstance(place, Place):
        return place
    return resolve_place(place, store)


def place_small_areas(store: Store, place) -> pd.Series:
    """The small areas of a place with the share (weight) of each one's population in it.

    Returns
    -------
    Series
        Weight in (0, 1], indexed by small-area code.
    """
    place = _as_place(store, place)
    links = layer_links(store, place.layer)
    mine = links.loc[links["area_code"] == place.code]
    return pd.Series(mine["weight"].to_numpy(), index=mine["small_area_code"].to_numpy(), name="weight")


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
        ``area_code``, the ``by`` columns and the weighted sums of ``value_columns`` (float), one row
        per area and key combination that some row reaches through a lookup, sorted by them.

    Notes
    -----
    One sparse product per value column, :math:`S = W V`, with :math:`W` the (areas) x (small areas)
    lookup weights (:func:`small_area_weights`) and :math:`V` the (small areas) x (key combinations)
    counts, instead of a merge of every row with the lookups (which was slow at England scale).
    """
    links = _links_to(store, layer)
    if codes is not None:
        links = links[links["area_code"].isin(list(codes))]
    small_of_row, small_codes = pd.factorize(frame["area_code"])
    weights, targets = small_area_weights(store, layer, small_codes, links=links)
    keys = list(by)
    if keys:
        group_of_row = frame.groupby(keys, sort=False, observed=True).ngroup().fillna(-1).to_numpy(np.int64)
        group_ids, first_rows = np.unique(group_of_row, return_index=True)
        groups = frame[keys].iloc[first_rows[group_ids >= 0]].reset_index(drop=True)
    else:
        group_of_row, groups = np.zeros(len(frame), np.int64), pd.DataFrame(index=[0])
    valid = (small_of_row >= 0) & (group_of_row >= 0)  # rows with a missing key are left out, as in a groupby
    shape = (len(small_codes), len(groups))
    cells = (small_of_row[valid], group_of_row[valid])
    # the (area, group) pairs that at least one row reaches through a link: rows even where the sum is 0
    linked = weights.copy()
    linked.data[:] = 1.0
    reached = sparse.csr_matrix((np.ones(valid.sum()), cells), shape=shape)
    pattern = (linked @ reached).tocoo()
    out = groups.iloc[pattern.col].reset_index(drop=True) if keys else pd.DataFrame(index=range(pattern.nnz))
    out.insert(0, "area_code", targets[pattern.row])
    for column in value_columns:
        values = frame[column].to_numpy(dtype=float)[valid]
        sums = (weights @ sparse.csr_matrix((values, cells), shape=shape)).tocsr()
        out[column] = np.asarray(sums[pattern.row, pattern.col]).ravel()
    return out.sort_values(["area_code", *keys], kind="stable").reset_index(drop=True)


def _links_to(store: Store, layer: str) -> pd.DataFrame:
    """The lookup rows (``small_area_code``, ``area_code``, ``weight``) of ``layer``.

    Raises
    ------
    InvalidParameter
        When the store has no lookup to ``layer`` (the message lists the layers it has).
    """
    lookups = store.lookups
    links = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]]
    if links.empty:
        raise InvalidParameter(
            f"The store has no lookup from small areas to the layer {layer!r}; layers with "
            f"lookups: {', '.join(overlap_layers(store))}."
        )
    return links


def small_area_weights(
    store: Store, layer: str, small_codes: Sequence[str], *, links: pd.DataFrame | None = None
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The lookup weights of ``layer`` as a sparse (areas of ``layer``) x (``small_codes``) matrix.

    Multiplying a (small areas) x (anything) array of counts by it sums them to the layer, each small
    area's count split in proportion to its weights: one sparse product, a fraction of a second for a
    country of 33 000 small areas.

    Parameters
    ----------
    store : Store
    layer : str
        The target layer.
    small_codes : sequence of str
        The small areas of the columns, in order; lookup rows of other small areas are left out.
    links : DataFrame, optional
        Lookup rows to use instead of all of ``layer``'s (a subset of them).

    Returns
    -------
    (scipy.sparse.csr_matrix, ndarray of str)
        The matrix, and the area code of each row (sorted; only areas with a lookup row).

    Raises
    ------
    InvalidParameter
        When the store has no lookup to ``layer``.
    """
    links = _links_to(store, layer) if links is None else links
    codes = pd.Index(np.sort(links["area_code"].unique()))
    rows = codes.get_indexer(links["area_code"])
    cols = pd.Index(small_codes).get_indexer(links["small_area_code"])
    ok = cols >= 0
    matrix = sparse.csr_matrix(
        (links["weight"].to_numpy(dtype=float)[ok], (rows[ok], cols[ok])), shape=(len(codes), len(small_codes))
    )
    return matrix, codes.to_numpy()


# --------------------------------------------------------------------------------------------------
# Best-fit lookups
# --------------------------------------------------------------------------------------------------


def small_area_points(store: Store) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every small area's code, a point standing in for its population-weighted centroid, and its shape.

    Returns
    -------
    (ndarray of str, ndarray of shapely Point, ndarray of shapely geometry)
        In the order of the store's small-area boundaries, in EPSG:27700 (metres); the point is the
        shape's representative point (always inside it). Built once per store version.
    """

    def compute():
        shapes = store.boundaries("small_area")
        return shapes["code"].to_numpy(), shapes.geometry.representative_point().values, shapes.geometry.values

    return cached(per_store(store, "small_area_points"), compute)
