"""Messy geographies: how a place sits in every other layer, and moving data between layers.

Small areas are the building blocks: the store's ``lookups`` table gives, for every small area and
layer, the area(s) it belongs to with the share (weight) of its population in each. Everything here
is computed from those links, the latest year of small-area populations and the layers' boundaries
(EPSG:27700, metres):

- :func:`overlap_table` and :func:`coterminosity`: a place against every other layer, both ways,
  by population and by land area;
- :func:`best_fit_lookup`: the ONS best-fit assignment of small areas to another layer's areas, with
  the population each assignment misplaces;
- :func:`apportion`: counts, rates and proportions moved from one layer to another by population or
  by area (area weighting through :func:`tobler.area_weighted.area_interpolate`).

Analyses that are asked for repeatedly (populations, lookups, allocation matrices) are built once
per store version and reused, so a batch over many places does no repeated overlays.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .exceptions import InvalidParameter
from .places import Place, resolve_place
from .schema import KNOWN_LAYERS
from .store import Store

__all__ = [
    "aggregate_small_areas",
    "small_area_population",
    "population_basis",
    "layer_links",
    "area_population",
    "overlap_layers",
    "overlap_table",
    "coterminosity",
    "split_small_areas",
    "place_small_areas",
    "best_fit_lookup",
    "best_fit_lookups",
    "allocation_matrix",
    "Allocation",
    "apportion",
    "OVERLAP_COLUMNS",
    "COTERMINOSITY_COLUMNS",
    "SLIVER_SHARE",
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

_CACHE: dict[tuple, object] = {}
_CACHE_LOCK = threading.RLock()


def _cached(store: Store, key: tuple, compute):
    """``compute()`` once per store version and key (the store's tables never change in place)."""
    full = (str(store.path), store.version, *key)
    with _CACHE_LOCK:
        if full not in _CACHE:
            _CACHE[full] = compute()
        return _CACHE[full]


#: Labels of layers real stores add beyond the contract's known ones.
_MORE_LAYER_LABELS = {"nhs_region": "NHS region", "sub_icb": "Sub-ICB location", "economic_partnership":
                      "Local enterprise partnership"}


def _layer_label(layer: str) -> str:
    return KNOWN_LAYERS.get(layer) or _MORE_LAYER_LABELS.get(layer) or layer.replace("_", " ").capitalize()


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

    return _cached(store, ("small_area_population", year), compute)


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
        lookups = store.lookups
        links = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]]
        if links.empty:
            raise InvalidParameter(
                f"The store has no lookup from small areas to the layer {layer!r}; layers with "
                f"lookups: {', '.join(overlap_layers(store))}."
            )
        return links.reset_index(drop=True)

    return _cached(store, ("layer_links", layer), compute)


def overlap_layers(store: Store) -> list[str]:
    """The layers a place can be compared with: those with lookups from small areas, in store order."""
    with_links = set(store.lookups["layer"].unique())
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

    return _cached(store, ("area_population",), compute)


def _land_area(store: Store, layer: str) -> pd.Series:
    """Land area (square metres) of each area of a layer, from its boundaries."""

    def compute() -> pd.Series:
        shapes = store.boundaries(layer)
        return pd.Series(shapes.geometry.area.to_numpy(), index=shapes["code"].to_numpy())

    return _cached(store, ("land_area", layer), compute)


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
    table["layer_label"] = table["layer"].map(_layer_label)
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
                "layer_label": _layer_label(layer),
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


# --------------------------------------------------------------------------------------------------
# Best-fit lookups
# --------------------------------------------------------------------------------------------------


def _small_area_points(store: Store):
    """One point per small area standing in for its population-weighted centroid (EPSG:27700)."""

    def compute():
        shapes = store.boundaries("small_area")
        return shapes["code"].to_numpy(), shapes.geometry.representative_point().values, shapes.geometry.values

    return _cached(store, ("small_area_points",), compute)


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

    codes, points, shapes = _small_area_points(store)
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
    if layer is not None and layer in set(store.lookups["layer"].unique()):
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
        _cached(store, ("best_fit", layer), lambda layer=layer: best_fit_lookup(store, layer)).assign(layer=layer)
        for layer in chosen
    ]
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Apportioning between layers
# --------------------------------------------------------------------------------------------------

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
        For land it is tobler's own area table (:func:`tobler.area_weighted.area_interpolate`'s
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
    from tobler.area_weighted.area_interpolate import _area_tables_binning

    source = store.boundaries(from_layer)
    target = store.boundaries(to_layer)
    table = _area_tables_binning(source, target, "auto")
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
        intersections of the two layers' boundaries, built by tobler).

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
    key = ("allocation", from_layer, to_layer, weights)
    for argument, layer in (("from_layer", from_layer), ("to_layer", to_layer)):
        available = overlap_layers(store) if weights == "population" else store.boundary_layers()
        if layer not in available and layer != "small_area":
            raise InvalidParameter(
                f"The '{argument}' parameter of apportion must be a layer the store has "
                f"{'lookups' if weights == 'population' else 'boundaries'} for ({', '.join(available)}); got {layer!r}."
            )
    return _cached(
        store, key, lambda: Allocation(*build(store, from_layer, to_layer), weights, from_layer, to_layer)
    )


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
        (:func:`diagnostics.indicator_math.finalise_indicators`: Wilson for proportions, Byar for
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
    method = f"apportioned from {_layer_label(from_layer).lower()} to {_layer_label(to_layer).lower()} by {weights}"
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
    from .indicator_math import INDICATOR_COLUMNS, finalise_indicators

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
    wanted = set(codes) if codes is not None else set(targets)
    frames = []
    published = rows.loc[rows["area_code"].isin(wanted) & rows["area_code"].isin(set(targets))]
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
    out = out.loc[out["area_code"].isin(wanted)].copy()
    base = out.loc[out["method"] == "small_areas"].set_index("area_code")["value"]
    out["difference"] = out["value"] - out["area_code"].map(base)
    out["area_name"] = out["area_code"].map(store.name_of)
    label = {key: text.format(from_layer=_layer_label(from_layer).lower()) for key, text in METHODS.items()}
    out["method_label"] = out["method"].map(label)
    out["_order"] = out["method"].map({key: i for i, key in enumerate(METHODS)})
    out = out.sort_values(["area_code", "_order"])
    columns = ["area_code", "area_name", "indicator_id", "period", "method", "method_label", "value",
               "lower_ci", "upper_ci", "numerator", "denominator", "split_share", "difference"]
    return out[columns].reset_index(drop=True)
