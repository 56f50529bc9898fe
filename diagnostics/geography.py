"""Messy geographies: how a place sits in every other layer, and moving data between layers.

Small areas are the building blocks: the store's ``lookups`` table gives, for every small area and
layer, the area(s) it belongs to with the share (weight) of its population in each. Everything here
is computed from those links, the latest year of small-area populations and the layers' boundaries
(EPSG:27700, metres):

- :func:`overlap_table` and :func:`coterminosity`: a place against every other layer, both ways,
  by population and by land area;
- :func:`best_fit_lookup`: the ONS best-fit assignment of small areas to another layer's areas, with
  the population each assignment misplaces;
- :func:`~diagnostics.apportion.apportion` (in :mod:`diagnostics.apportion`, importable from here too):
  counts, rates and proportions moved from one layer to another by population or by area (area
  weighting through :func:`tobler.area_weighted.area_interpolate`).

Analyses that are asked for repeatedly (populations, lookups, allocation matrices) are built once
per store version and reused, so a batch over many places does no repeated overlays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .exceptions import InvalidParameter
from .places import Place, resolve_place
from .schema import KNOWN_LAYERS
from .store import Store, cached_analysis

__all__ = [
    "aggregate_small_areas",
    "small_area_population",
    "population_basis",
    "layer_links",
    "small_area_weights",
    "area_population",
    "overlap_layers",
    "overlap_table",
    "coterminosity",
    "split_small_areas",
    "place_small_areas",
    "small_area_points",
    "best_fit_lookup",
    "best_fit_lookups",
    "allocation_matrix",
    "Allocation",
    "apportion",
    "OVERLAP_COLUMNS",
    "COTERMINOSITY_COLUMNS",
    "SLIVER_SHARE",
    "layer_label",
]

#: Columns of :func:`overlap_table`, in order.
OVERLAP_COLUMNS: list[str] = [
    "layer",
    "layer_label",
    "area_code",
    "area_name",
    "population",
    "place_population",
    "area_population",
    "place_share",
    "area_share",
    "fit",
    "land_place_share",
    "land_area_share",
    "n_small_areas",
    "n_split_small_areas",
    "year",
]

#: Columns of :func:`coterminosity`, in order.
COTERMINOSITY_COLUMNS: list[str] = [
    "layer",
    "layer_label",
    "coterminosity",
    "land_coterminosity",
    "n_areas",
    "main_area_code",
    "main_area_name",
    "main_place_share",
    "main_area_share",
    "population_outside_main",
    "n_split_small_areas",
    "relationship",
]

#: Land overlaps smaller than this share of both the place and the area are slivers from digitising
#: (boundaries drawn at different resolutions), not real overlaps, and are left out.
SLIVER_SHARE = 1e-4

#: Labels of layers real stores add beyond the contract's known ones.
_MORE_LAYER_LABELS = {"nhs_region": "NHS region", "sub_icb": "Sub-ICB location", "economic_partnership":
                      "Local enterprise partnership"}


def layer_label(layer: str) -> str:
    """The layer's name for people ("Local authority district"), from the contract or the layer id."""
    return KNOWN_LAYERS.get(layer) or _MORE_LAYER_LABELS.get(layer) or layer.replace("_", " ").capitalize()


_layer_label = layer_label  # its name while it was private (health_views imports it)


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

    return cached_analysis(store, ("small_area_population", year), compute)


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

    return cached_analysis(store, ("layer_links", layer), compute)


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

    return cached_analysis(store, ("area_population",), compute)


def _land_area(store: Store, layer: str) -> pd.Series:
    """Land area (square metres) of each area of a layer, from its boundaries."""

    def compute() -> pd.Series:
        shapes = store.boundaries(layer)
        return pd.Series(shapes.geometry.area.to_numpy(), index=shapes["code"].to_numpy())

    return cached_analysis(store, ("land_area", layer), compute)


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


# --------------------------------------------------------------------------------------------------
# Overlaps of a place with every other layer
# --------------------------------------------------------------------------------------------------


def _default_layers(store: Store, place: Place, layers) -> list[str]:
    available = overlap_layers(store)
    if layers is None:
        return [layer for layer in available if layer not in ("small_area", place.layer)]
    chosen = [layers] if isinstance(layers, str) else list(layers)
    unknown = [layer for layer in chosen if layer not in available and layer != "small_area"]
    if unknown:
        raise InvalidParameter(
            f"The 'layers' parameter names {unknown}, which the store has no lookups for; "
            f"choose from {available}."
        )
    return chosen


def _land_overlaps(store: Store, place: Place, layer: str) -> pd.DataFrame:
    """Land shared by the place and each area of ``layer`` it touches (square metres)."""
    import shapely

    if place.layer not in store.boundary_layers() or layer not in store.boundary_layers():
        return pd.DataFrame(columns=["area_code", "land"])
    own = store.boundaries(place.layer)
    geometry = own.geometry[own["code"] == place.code]
    if geometry.empty:
        return pd.DataFrame(columns=["area_code", "land"])
    geometry = geometry.iloc[0]
    shapes = store.boundaries(layer)
    hits = shapes.sindex.query(geometry, predicate="intersects")
    land = shapely.area(shapely.intersection(geometry, shapes.geometry.values[hits]))
    return pd.DataFrame({"area_code": shapes["code"].to_numpy()[hits], "land": np.asarray(land, float)})


def overlap_table(store: Store, place, layers: Sequence[str] | str | None = None) -> pd.DataFrame:
    """How a place overlaps the areas of every other layer, by residents and by land, both ways.

    Parameters
    ----------
    store : Store
    place : Place or str
        The place, or its code or name.
    layers : sequence of str, optional
        The layers to compare with; default every layer with lookups except small areas and the
        place's own layer.

    Returns
    -------
    DataFrame
        One row per layer and area sharing residents (or more than :data:`SLIVER_SHARE` of land)
        with the place, columns :data:`OVERLAP_COLUMNS`:

        - ``population``: residents shared by the place and the area (persons, latest year);
        - ``place_population`` / ``area_population``: residents of each;
        - ``place_share``: share of the place's residents living in the area (0-1);
        - ``area_share``: share of the area's residents living in the place (0-1);
        - ``fit``: ``max(place_share, area_share)``, the share of the smaller of the two that the
          overlap covers (1 when one lies wholly inside the other);
        - ``land_place_share`` / ``land_area_share``: the same two shares by land area (NaN when
          the store lacks either boundary);
        - ``n_small_areas``: small areas contributing residents to the overlap;
        - ``n_split_small_areas``: those of them split by the place's or the area's boundary
          (a lookup weight below 1);
        - ``year``: the population year.

        Sorted messiest first: layers by ascending :func:`coterminosity`, then areas by descending
        shared population.

    Notes
    -----
    With :math:`p_s` the residents of small area :math:`s`, :math:`w_{sP}` and :math:`w_{sA}` its
    lookup weights in the place and in area :math:`A`, the shared population is
    :math:`\\sum_s p_s w_{sP} w_{sA}`: within a small area split by both boundaries its residents are
    taken to be spread independently of the two splits (exact whenever either weight is 1).
    Land shares come from the intersection of the boundaries themselves (EPSG:27700, m²).
    """
    place = _as_place(store, place)
    layers = _default_layers(store, place, layers)
    pop = small_area_population(store)
    totals = area_population(store)
    own = place_small_areas(store, place)
    place_population = float((pop.reindex(own.index).fillna(0.0) * own).sum())

    lookups = pd.concat(
        [layer_links(store, layer).assign(layer=layer) for layer in layers], ignore_index=True
    )
    links = lookups.loc[lookups["small_area_code"].isin(own.index)].copy()
    own_weight = links["small_area_code"].map(own)
    links["population"] = links["small_area_code"].map(pop).fillna(0.0) * own_weight * links["weight"]
    links["split"] = (links["weight"] < 1 - 1e-9) | (own_weight < 1 - 1e-9)
    grouped = links.groupby(["layer", "area_code"], as_index=False, sort=False).agg(
        population=("population", "sum"),
        n_small_areas=("small_area_code", "size"),
        n_split_small_areas=("split", "sum"),
    )

    land_frames = []
    place_land = None
    if place.layer in store.boundary_layers():
        place_land = _land_area(store, place.layer).get(place.code)
    for layer in layers:
        land = _land_overlaps(store, place, layer)
        if not land.empty:
            land_frames.append(land.assign(layer=layer))
    if land_frames and place_land:
        land = pd.concat(land_frames, ignore_index=True)
        area_land = pd.concat([_land_area(store, layer) for layer in land["layer"].unique()])
        land["land_place_share"] = land["land"] / place_land
        land["land_area_share"] = land["land"] / land["area_code"].map(area_land)
        land = land.loc[
            (land["land_place_share"] >= SLIVER_SHARE) | (land["land_area_share"] >= SLIVER_SHARE)
        ]
        table = grouped.merge(land.drop(columns="land"), on=["layer", "area_code"], how="outer")
    else:
        table = grouped.assign(land_place_share=np.nan, land_area_share=np.nan)
    table["population"] = table["population"].fillna(0.0)
    table = table.loc[(table["population"] > 0) | table["land_place_share"].notna()].copy()
    table[["n_small_areas", "n_split_small_areas"]] = (
        table[["n_small_areas", "n_split_small_areas"]].fillna(0).astype(int)
    )
    table["layer_label"] = table["layer"].map(layer_label)
    table["area_name"] = table["area_code"].map(store.name_of)
    table["place_population"] = place_population
    table["area_population"] = table["area_code"].map(totals).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["place_share"] = table["population"] / place_population if place_population > 0 else np.nan
        table["area_share"] = (table["population"] / table["area_population"]).where(
            table["area_population"] > 0
        )
    table["fit"] = table[["place_share", "area_share"]].max(axis=1)
    table["year"] = pop.attrs.get("year")

    scores = _scores(table)
    order = {layer: i for i, layer in enumerate(scores["layer"])}
    table["_order"] = table["layer"].map(order)
    table = table.sort_values(["_order", "population", "land_place_share", "area_code"],
                              ascending=[True, False, False, True])
    return table[OVERLAP_COLUMNS].reset_index(drop=True)


def _relationship(n_areas: int, main_place_share: float, score: float) -> str:
    if n_areas == 0:
        return "no overlap"
    if score >= 1 - 1e-9 and n_areas == 1 and main_place_share >= 1 - 1e-9:
        return "inside one area"
    if score >= 1 - 1e-9:
        return "made of whole areas"
    return f"split between {n_areas} areas"


def _scores(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for layer, part in table.groupby("layer", sort=False):
        people = part.loc[part["population"] > 0]
        main = people.sort_values(["population", "area_code"], ascending=[False, True]).head(1)
        score = float((people["place_share"] * people["fit"]).sum()) if not people.empty else np.nan
        land = part.dropna(subset=["land_place_share"])
        land_fit = land[["land_place_share", "land_area_share"]].max(axis=1)
        land_score = float((land["land_place_share"] * land_fit).sum()) if not land.empty else np.nan
        main_share = float(main["place_share"].iloc[0]) if not main.empty else np.nan
        rows.append(
            {
                "layer": layer,
                "layer_label": layer_label(layer),
                "coterminosity": score,
                "land_coterminosity": land_score,
                "n_areas": int(len(people)),
                "main_area_code": main["area_code"].iloc[0] if not main.empty else None,
                "main_area_name": main["area_name"].iloc[0] if not main.empty else None,
                "main_place_share": main_share,
                "main_area_share": float(main["area_share"].iloc[0]) if not main.empty else np.nan,
                "population_outside_main": float(people["population"].sum() - main["population"].sum()),
                "n_split_small_areas": int(part["n_split_small_areas"].sum()),
                "relationship": _relationship(len(people), main_share, score),
            }
        )
    scores = pd.DataFrame(rows, columns=COTERMINOSITY_COLUMNS)
    return scores.sort_values(["coterminosity", "n_areas", "layer"], ascending=[True, False, True],
                              na_position="last").reset_index(drop=True)


def coterminosity(
    store: Store, place, layers: Sequence[str] | str | None = None, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One coterminosity score per layer: how well the place's boundary lines up with the layer's.

    Parameters
    ----------
    store : Store
    place : Place or str
    layers : sequence of str, optional
        As for :func:`overlap_table`.
    table : DataFrame, optional
        A ready :func:`overlap_table` for the place (saves recomputing it).

    Returns
    -------
    DataFrame
        One row per layer, columns :data:`COTERMINOSITY_COLUMNS`, messiest (lowest score) first:

        - ``coterminosity``: the score by residents, in [0, 1] (see Notes); 1 = perfectly coterminous;
        - ``land_coterminosity``: the same by land area;
        - ``n_areas``: areas of the layer sharing residents with the place;
        - ``main_area_code`` / ``main_area_name`` / ``main_place_share`` / ``main_area_share``: the
          area holding most of the place's residents and the two shares of their overlap;
        - ``population_outside_main``: the place's residents in its other areas of the layer;
        - ``n_split_small_areas``: small areas split by a boundary between the two;
        - ``relationship``: "inside one area", "made of whole areas" or "split between N areas".

    Notes
    -----
    With :math:`P` the place's residents and, for each area :math:`a` of the layer, :math:`s_a` the
    residents they share, :math:`A_a` the area's residents,

    .. math:: C = \\sum_a \\frac{s_a}{P} \\cdot \\frac{s_a}{\\min(P, A_a)}

    the residents-weighted mean, over the place's residents, of the share of the *smaller* of the
    place and their area that the overlap covers. :math:`C = 1` exactly when every area meeting the
    place either contains it whole or lies wholly inside it: the boundaries line up (a district inside
    its region, a county made of whole districts, an area equal to the place). A place split 70/30
    between two much larger areas scores :math:`0.7^2 + 0.3^2 = 0.58`; split evenly between
    :math:`n` such areas it scores :math:`1/n`.
    """
    if table is None:
        table = overlap_table(store, place, layers)
    return _scores(table)


def split_small_areas(store: Store, place, layer: str) -> pd.DataFrame:
    """The small areas of a place that a boundary splits: those the place or an area of ``layer`` holds only part of.

    Returns
    -------
    DataFrame
        ``small_area_code``, ``small_area_name``, ``area_code`` (of ``layer``), ``place_weight``,
        ``area_weight`` (lookup weights), ``population`` (the small area's residents).
    """
    place = _as_place(store, place)
    own = place_small_areas(store, place)
    links = layer_links(store, layer)
    links = links.loc[links["small_area_code"].isin(own.index)].copy()
    links["place_weight"] = links["small_area_code"].map(own)
    split = links.loc[(links["weight"] < 1 - 1e-9) | (links["place_weight"] < 1 - 1e-9)]
    pop = small_area_population(store)
    return pd.DataFrame(
        {
            "small_area_code": split["small_area_code"].to_numpy(),
            "small_area_name": split["small_area_code"].map(store.name_of).to_numpy(),
            "area_code": split["area_code"].to_numpy(),
            "place_weight": split["place_weight"].to_numpy(),
            "area_weight": split["weight"].to_numpy(),
            "population": split["small_area_code"].map(pop).to_numpy(),
        }
    )


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

    return cached_analysis(store, ("small_area_points",), compute)


_small_area_points = small_area_points  # its name while it was private


def best_fit_lookup(store: Store, target) -> pd.DataFrame:
    """Assign every small area wholly to the area of another layer holding its centroid (ONS best fit).

    Parameters
    ----------
    store : Store
        Supplies small-area boundaries and populations.
    target : str or GeoDataFrame
        A boundary layer of the store, or areas of one's own (``code``, optional ``name``,
        ``geometry`` in EPSG:27700), such as a user's boundary.

    Returns
    -------
    DataFrame
        One row per small area whose point falls in an area: ``small_area_code``, ``area_code``,
        ``population`` (its residents, latest year), ``inside_share`` (share of its residents inside
        the area it is assigned to, 0-1), ``misplaced_population`` (residents assigned to an area
        they do not live in: ``population * (1 - inside_share)``) and ``method``.

    Notes
    -----
    The ONS best-fit method assigns each small area to the area containing its population-weighted
    centroid. Stores here hold small-area *polygons*, not their residents' addresses, so the point
    used is the small area's representative point (a point guaranteed inside it; shapely's
    ``representative_point``), the usual stand-in when population-weighted centroids are not
    published. Where the store's lookups give the population share of a small area in the assigned
    area (layers of the store), ``inside_share`` is that weight; otherwise (a user's own areas) it is
    the share of the small area's land inside the area, assuming its residents are spread evenly.
    """
    import shapely

    codes, points, shapes = small_area_points(store)
    layer = target if isinstance(target, str) else None
    areas = store.boundaries(target) if layer else target
    area_codes = areas["code"].to_numpy()
    geoms = areas.geometry.values
    point_idx, area_idx = areas.sindex.query(points, predicate="intersects")
    order = np.lexsort((area_idx, point_idx))  # a point on a shared edge goes to the first area listed
    point_idx, area_idx = point_idx[order], area_idx[order]
    first = ~pd.Series(point_idx).duplicated().to_numpy()
    point_idx, area_idx = point_idx[first], area_idx[first]
    pop = small_area_population(store)
    out = pd.DataFrame(
        {"small_area_code": codes[point_idx], "area_code": area_codes[area_idx]}
    )
    out["population"] = out["small_area_code"].map(pop).fillna(0.0).to_numpy()
    links = None
    if layer is not None and layer in store.lookup_layers:
        links = layer_links(store, layer)
    if links is not None:
        weights = links.set_index(["small_area_code", "area_code"])["weight"]
        keys = pd.MultiIndex.from_arrays([out["small_area_code"], out["area_code"]])
        out["inside_share"] = weights.reindex(keys).fillna(0.0).to_numpy()
        out["method"] = "representative point; residents inside from the lookup weights"
    else:
        shapely.prepare(geoms)
        inside = np.ones(len(out))
        covered = shapely.covers(geoms[area_idx], shapes[point_idx])
        cut = np.flatnonzero(~covered)
        if len(cut):
            part = shapely.area(shapely.intersection(geoms[area_idx[cut]], shapes[point_idx[cut]]))
            inside[cut] = part / shapely.area(shapes[point_idx[cut]])
        out["inside_share"] = np.clip(inside, 0.0, 1.0)
        out["method"] = "representative point; residents inside by land share"
    out["misplaced_population"] = out["population"] * (1 - out["inside_share"])
    return out[["small_area_code", "area_code", "population", "inside_share", "misplaced_population", "method"]]


def best_fit_lookups(store: Store, layers: Sequence[str] | None = None) -> pd.DataFrame:
    """Best-fit lookups from small areas to every layer with boundaries (see :func:`best_fit_lookup`).

    Built once per store version and layer and reused.

    Returns
    -------
    DataFrame
        The columns of :func:`best_fit_lookup` plus ``layer``.
    """
    chosen = list(layers) if layers is not None else [
        layer for layer in store.boundary_layers() if layer != "small_area"
    ]
    frames = [
        cached_analysis(store, ("best_fit", layer), lambda layer=layer: best_fit_lookup(store, layer)).assign(layer=layer)
        for layer in chosen
    ]
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Apportioning between layers: in diagnostics.apportion, still importable from here
# --------------------------------------------------------------------------------------------------

_IN_APPORTION = frozenset({"Allocation", "allocation_matrix", "apportion", "compare_methods", "METHODS"})


def __getattr__(name: str):
    # loaded on first use: diagnostics.apportion itself imports this module's building blocks
    if name in _IN_APPORTION:
        from . import apportion as module

        return getattr(module, name)
    raise AttributeError(f"module 'diagnostics.geography' has no attribute {name!r}")
