"""Overlaps and coterminosity: how a place sits in every other layer, both ways, by residents and by land.

:func:`overlap_table` lists the areas of each layer the place shares residents (and land, from the
boundaries in EPSG:27700) with; :func:`coterminosity` scores how well each layer's boundaries line
up with the place's; :func:`split_small_areas` names the small areas a boundary cuts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.lookups import (
    _as_place,
    area_population,
    layer_links,
    overlap_layers,
    place_small_areas,
    small_area_population,
)
from diagnostics.store.places import Place
from diagnostics.store.store import Store

__all__ = [
    "overlap_table",
    "coterminosity",
    "split_small_areas",
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


def _land_area(store: Store, layer: str) -> pd.Series:
    """Land area (square metres) of each area of a layer, from its boundaries."""

    def compute() -> pd.Series:
        shapes = store.boundaries(layer)
        return pd.Series(shapes.geometry.area.to_numpy(), index=shapes["code"].to_numpy())

    return cached(per_store(store, "land_area", layer), compute)


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
