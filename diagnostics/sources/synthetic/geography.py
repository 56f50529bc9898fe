"""The synthetic country's places and shapes: small areas, the administrative hierarchy, deprivation.

Small areas are the cells of a Voronoi tessellation of seeded points clipped to an invented
coastline, with points packed densely in urban cores (cells of about 0.3-1 km2) and sparsely in the
countryside (about 10-50 km2). Every other layer is grown from whole small areas over the graph of
their shared borders, so every layer is contiguous and its polygons are unions of small areas.
The layers that do not nest in districts (health areas, police forces, travel-to-work areas,
economic partnerships, university catchments) are built in :mod:`.layers`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import shapely
from scipy.cluster.vq import kmeans2
from scipy.spatial import cKDTree

from diagnostics.exceptions import InvalidParameter
from diagnostics.sources.synthetic import calibration as cal
from diagnostics.sources.synthetic.assemble import (
    areas_table,
    boundaries_by_layer,
    district_table,
    lookups_table,
    name_nested,
)
from diagnostics.sources.synthetic.layers import build_non_nested_layers
from diagnostics.sources.synthetic.model import SyntheticGeography
from diagnostics.sources.synthetic.names import codes
from diagnostics.sources.synthetic.regions import (
    group_adjacency,
    grow_groups,
    small_area_adjacency,
    spread_seeds,
)
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["SCALES", "build_geography", "NESTED_LAYERS"]

#: Sizes of the synthetic country. ``small`` is for fast tests, ``default`` for the demo and
#: ``england`` has England's numbers of districts and small areas.
SCALES: dict[str, dict[str, int]] = {
    "small": {"small_areas": 400, "districts": 8, "counties": 3, "regions": 2, "universities": 2},
    "default": {"small_areas": 3000, "districts": 50, "counties": 14, "regions": 5, "universities": 4},
    "england": {"small_areas": 33000, "districts": 300, "counties": 85, "regions": 9, "universities": 12},
}
#: The layers that nest (finest first); each area's parent is in the next layer.
NESTED_LAYERS = ("small_area", "neighbourhood", "district", "county", "region", "country")

#: Centre of the invented country on the British National Grid (metres).
_CENTRE = np.array([420_000.0, 330_000.0])
_URBAN_POINT_SHARE = 0.70
_URBAN_DENSITY = 600.0  # residents per km2 above which a small area counts as urban


def resolve_scale(scale: str | Mapping[str, int]) -> dict[str, int]:
    """The sizes for a scale name of :data:`SCALES` (or a mapping with the same keys)."""
    if isinstance(scale, Mapping):
        return {**SCALES["default"], **scale}
    if scale not in SCALES:
        raise InvalidParameter(
            f"The 'scale' parameter of build_synthetic must be one of {sorted(SCALES)}; got {scale!r}."
        )
    return dict(SCALES[scale])


def build_geography(scale: str | Mapping[str, int], rng: np.random.Generator) -> SyntheticGeography:
    """Build the synthetic country's areas, boundaries and lookups.

    Parameters
    ----------
    scale : str or mapping
        A key of :data:`SCALES` (``"small"``, ``"default"``, ``"england"``) or a mapping of sizes
        (small_areas, districts, counties, regions, universities).
    rng : numpy.random.Generator
        The only source of randomness: the same generator state gives the same country.

    Returns
    -------
    SyntheticGeography
        See :class:`.model.SyntheticGeography`; lengths in metres, areas in EPSG:27700.
    """
    import geopandas as gpd

    sizes = resolve_scale(scale)
    n = sizes["small_areas"]
    outline = _country_outline(n, rng)
    points, cores = _seed_points(outline, n, sizes["districts"], rng)
    cells = _voronoi_cells(points, outline)
    area_km2 = shapely.area(cells) / 1e6
    population = np.clip(
        rng.normal(cal.SMALL_AREA_POPULATION_MEAN, cal.SMALL_AREA_POPULATION_SD, n),
        cal.SMALL_AREA_POPULATION_MIN,
        cal.SMALL_AREA_POPULATION_MAX,
    ).round()
    density = population / area_km2
    adjacency = small_area_adjacency(points, cells)

    district = _grow_districts(points, population, adjacency, sizes["districts"], rng)
    n_d = sizes["districts"]
    d_adj = group_adjacency(adjacency, district, n_d)
    d_xy = _group_centroids(points, population, district, n_d)
    d_pop = np.bincount(district, population, n_d)
    county_of_d = _grow_on_groups(d_adj, d_xy, d_pop, min(sizes["counties"], n_d), rng)
    n_c = county_of_d.max() + 1
    c_adj = group_adjacency(d_adj, county_of_d, n_c)
    c_xy = _group_centroids(d_xy, d_pop, county_of_d, n_c)
    c_pop = np.bincount(county_of_d, d_pop, n_c)
    region_of_c = _grow_on_groups(c_adj, c_xy, c_pop, min(sizes["regions"], n_c), rng)

    neighbourhood = _subdivide(adjacency, points, district, 6.5, rng)
    ward = _subdivide(adjacency, points, district, 3.0, rng)

    latent = _deprivation_latent(points, density, district, rng)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(-latent, kind="stable")] = np.arange(1, n + 1)  # 1 = most deprived
    quantile = 1.0 - (rank - 0.5) / n  # 1 = most deprived, 0 = least
    knots = np.array(list(cal.IMD_SCORE_QUANTILES.items()))
    score = np.round(np.interp(quantile, knots[:, 0], knots[:, 1]), 3)

    labels = {
        "district": district,
        "county": county_of_d[district],
        "region": region_of_c[county_of_d][district],
        "neighbourhood": neighbourhood,
        "ward": ward,
    }
    frames = name_nested(labels, points, population, rng)
    sa = frames["small_area"]
    sa["deprivation_score"] = score
    sa["deprivation_rank"] = rank
    sa["deprivation_quantile"] = quantile
    sa["urban"] = density >= _URBAN_DENSITY
    sa["density"] = density.round(1)
    sa["area_km2"] = area_km2
    sa["base_population"] = population.astype(np.int64)
    sa["x"], sa["y"] = points[:, 0], points[:, 1]

    extra = build_non_nested_layers(sa, points, population, adjacency, cores, sizes["universities"], rng)
    for layer, (labels_sa, names) in extra["layers"].items():
        layer_codes = codes(layer, len(names))
        sa[f"{layer}_code"] = layer_codes[labels_sa]
        frames[layer] = pd.DataFrame({"code": layer_codes, "name": names, "parent_code": sa["country_code"].iloc[0]})

    small_areas = gpd.GeoDataFrame(sa, geometry=cells, crs=BOUNDARY_CRS)
    districts = district_table(small_areas, frames["district"])
    areas = areas_table(frames)
    boundaries = boundaries_by_layer(small_areas, frames)
    lookups = lookups_table(small_areas, frames)
    return SyntheticGeography(
        small_areas=small_areas,
        districts=districts,
        areas=areas,
        boundaries=boundaries,
        lookups=lookups,
        default_place=extra["default_place"],
    )


# -- shapes --------------------------------------------------------------------------------------
def _country_outline(n: int, rng: np.random.Generator):
    """A wobbly island whose area is ``n`` times the mean small-area area (metres)."""
    target = n * cal.SMALL_AREA_MEAN_AREA_KM2 * 1e6
    theta = np.linspace(0, 2 * np.pi, 361)[:-1]
    r = np.ones_like(theta)
    for k in range(2, 8):
        r += rng.uniform(0.02, 0.10) / k * 2 * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    ring = np.column_stack([np.cos(theta) * r, np.sin(theta) * r * 1.3])
    unit = shapely.Polygon(ring)
    scale = np.sqrt(target / unit.area)
    return shapely.Polygon(ring * scale + _CENTRE)


def _uniform_in(outline, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = outline.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        xy = rng.uniform([minx, miny], [maxx, maxy], size=(2 * (n - len(out)) + 16, 2))
        out = np.vstack([out, xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]])
    return out[:n]


def _seed_points(outline, n: int, n_districts: int, rng: np.random.Generator):
    """Voronoi generators: clusters around urban cores plus a uniform rural scatter.

    Returns the points (n x 2, metres) and a table of cores (x, y, weight).
    """
    n_cores = max(3, int(round(n_districts * 0.8)))
    inner = shapely.buffer(outline, -0.12 * np.sqrt(outline.area))
    candidates = _uniform_in(inner, 40 * n_cores, rng)
    core_xy = candidates[spread_seeds(candidates, n_cores, rng)]
    weight = rng.pareto(1.1, n_cores) + 1.0
    weight = np.minimum(weight / weight.sum(), 0.2)
    weight /= weight.sum()
    n_urban = int(_URBAN_POINT_SHARE * n)
    per_core = rng.multinomial(n_urban, weight)
    # Spread each core so that its cells average ~0.6 km2: area pi*(2 sd)^2 = 0.6 km2 * points.
    sd = np.sqrt(0.6e6 * np.maximum(per_core, 1) / (4 * np.pi))
    which = np.repeat(np.arange(n_cores), per_core)
    urban = core_xy[which] + rng.normal(size=(n_urban, 2)) * sd[which, None]
    outside = ~shapely.contains_xy(outline, urban[:, 0], urban[:, 1])
    while outside.any():
        k = int(outside.sum())
        urban[outside] = core_xy[which[outside]] + rng.normal(size=(k, 2)) * sd[which[outside], None]
        outside = ~shapely.contains_xy(outline, urban[:, 0], urban[:, 1])
    rural = _uniform_in(outline, n - n_urban, rng)
    points = np.vstack([urban, rural])
    points = points[rng.permutation(n)]
    cores = pd.DataFrame({"x": core_xy[:, 0], "y": core_xy[:, 1], "weight": weight})
    return points, cores.sort_values("weight", ascending=False, ignore_index=True)


def _voronoi_cells(points: np.ndarray, outline) -> np.ndarray:
    """Each point's Voronoi cell clipped to the outline, snapped to a 1 m grid, in point order."""
    envelope = shapely.buffer(shapely.envelope(outline), 50_000)
    regions = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=envelope, ordered=True)
    cells = shapely.get_parts(regions)
    cells = shapely.intersection(cells, outline, grid_size=1.0)
    bad = ~shapely.is_valid(cells)
    if bad.any():
        cells[bad] = shapely.make_valid(cells[bad])
    return polygonal(cells)


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Drop the points and lines that clipping or snapping can leave beside a polygon."""
    mixed = ~np.isin(shapely.get_type_id(geoms), (3, 6))  # neither Polygon nor MultiPolygon
    for i in np.flatnonzero(mixed):
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        geoms[i] = shapely.union_all(parts) if parts else shapely.Polygon()
    return geoms


# -- groupings -----------------------------------------------------------------------------------
def _grow_districts(points, population, adjacency, n_districts, rng) -> np.ndarray:
    """Districts of lognormal target populations, grown from k-means seeds (small where dense)."""
    centroids, _ = kmeans2(points, n_districts, minit="++", iter=8, seed=rng)
    _, seeds = cKDTree(points).query(centroids)
    seeds = np.unique(seeds)
    if len(seeds) < n_districts:  # two centroids shared a nearest point: top up with far points
        extra = np.setdiff1d(spread_seeds(points, 3 * n_districts, rng), seeds)
        seeds = np.concatenate([seeds, extra[: n_districts - len(seeds)]])
    targets = np.exp(rng.normal(0, cal.DISTRICT_POPULATION_LOG_SD, n_districts))
    return grow_groups(adjacency, seeds, population, targets, xy=points)


def _grow_on_groups(adj, xy, weight, k, rng) -> np.ndarray:
    seeds = spread_seeds(xy, k, rng)
    targets = np.exp(rng.normal(0, 0.3, k))
    return grow_groups(adj, seeds, weight, targets, xy=xy)


def _group_centroids(xy, weight, label, k) -> np.ndarray:
    w = np.bincount(label, weight, k)
    return np.column_stack([np.bincount(label, weight * xy[:, 0], k), np.bincount(label, weight * xy[:, 1], k)]) / w[:, None]


def _subdivide(adjacency, points, district, per_group: float, rng) -> np.ndarray:
    """Split every district into contiguous groups of about ``per_group`` small areas."""
    inner = adjacency.tocoo()
    keep = district[inner.row] == district[inner.col]
    from scipy.sparse import coo_matrix

    within = coo_matrix((inner.data[keep], (inner.row[keep], inner.col[keep])), shape=adjacency.shape).tocsr()
    seeds = []
    for d in np.unique(district):
        members = np.flatnonzero(district == d)
        k = max(1, int(round(len(members) / per_group)))
        seeds.append(members[spread_seeds(points[members], k, rng)])
    seeds = np.concatenate(seeds)
    label = grow_groups(within, seeds, np.ones(len(points)), xy=points)
    stray = district[seeds[label]] != district  # nearest-group fallback crossed a district line
    if stray.any():
        for i in np.flatnonzero(stray):
            same = seeds[district[seeds] == district[i]]
            label[i] = np.flatnonzero(np.isin(seeds, same))[np.argmin(((points[same] - points[i]) ** 2).sum(1))]
    return label


def _deprivation_latent(points, density, district, rng) -> np.ndarray:
    """A spatially clustered latent deprivation: smooth random field + urban-core effect + noise."""
    k = 48
    wavelength = rng.uniform(8_000, 60_000, k)
    angle = rng.uniform(0, np.pi, k)
    freq = (2 * np.pi / wavelength)[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    phase = rng.uniform(0, 2 * np.pi, k)
    field = np.sqrt(2.0 / k) * np.cos(points @ freq.T + phase).sum(axis=1)
    logd = np.log(density)
    z_density = (logd - logd.mean()) / logd.std()
    district_effect = rng.normal(0, 0.45, district.max() + 1)[district]
    return field + 0.55 * z_density + district_effect + rng.normal(0, 0.55, len(points))
