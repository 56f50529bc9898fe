"""Best-fit lookups: every small area assigned wholly to one area of another layer, as ONS does,
with the residents each assignment misplaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.geography.lookups import (
    layer_links,
    small_area_points,
    small_area_population,
)
from diagnostics.store.store import Store

__all__ = [
    "best_fit_lookup",
    "best_fit_lookups",
]




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
        cached(per_store(store, "best_fit", layer), lambda layer=layer: best_fit_lookup(store, layer)).assign(layer=layer)
        for layer in chosen
    ]
    return pd.concat(frames, ignore_index=True)
