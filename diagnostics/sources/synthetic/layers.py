"""The synthetic country's layers that do not nest in districts, built the way the real ones are.

- ``health_area`` (like integrated care boards): groups of districts, with some border districts
  split between two health areas along a line across the district.
- ``police_force``: groups of counties (some merged), with one border district moved to the
  neighbouring force, so forces and counties do not match.
- ``ttwa`` (travel-to-work areas): grown from small areas around urban cores, sized by the core,
  ignoring district lines.
- ``economic_partnership``: groups of districts grown independently of counties.
- ``university_catchment``: a full partition of the country by nearest university town.

Every layer is a partition of the whole country into whole small areas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from diagnostics.sources.synthetic.regions import (
    group_adjacency,
    grow_groups,
    spread_seeds,
)

__all__ = ["NON_NESTED_LAYERS", "build_non_nested_layers"]

NON_NESTED_LAYERS = ("health_area", "police_force", "ttwa", "economic_partnership", "university_catchment")


def build_non_nested_layers(sa: pd.DataFrame, points, population, adjacency, cores: pd.DataFrame,
                            n_universities: int, rng: np.random.Generator) -> dict:
    """Build the non-nested layers from small areas.

    Parameters
    ----------
    sa : DataFrame
        One row per small area with district_code, county_code and name, in point order.
    points : ndarray of shape (n, 2)
        Small-area generator points (metres, EPSG:27700).
    population : ndarray
        Residents per small area.
    adjacency : scipy.sparse.csr_matrix
        Small-area adjacency.
    cores : DataFrame
        Urban cores (x, y, weight), largest first.
    n_universities : int
        Number of university towns (at least 2).
    rng : numpy.random.Generator

    Returns
    -------
    dict
        ``layers``: layer -> (group number of each small area, list of group names);
        ``default_place``: the code of a district split between two health areas.
    """
    district, d_codes = pd.factorize(sa["district_code"], sort=True)
    county, _ = pd.factorize(sa["county_code"], sort=True)
    n_d = len(d_codes)
    d_names = sa.groupby("district_code")["name"].first().str.rsplit(" ", n=1).str[0].loc[d_codes].to_numpy()
    d_adj = group_adjacency(adjacency, district, n_d)
    d_pop = np.bincount(district, population, n_d)
    d_xy = np.column_stack([np.bincount(district, population * points[:, 0], n_d),
                            np.bincount(district, population * points[:, 1], n_d)]) / d_pop[:, None]
    county_of_d = np.zeros(n_d, dtype=np.int64)
    county_of_d[district] = county

    layers: dict[str, tuple[np.ndarray, list[str]]] = {}
    health, split = _health_areas(district, d_adj, d_xy, d_pop, points, rng)
    layers["health_area"] = (health, _names_from_districts(health, district, population, d_names, "{} Health Area", "{} and {} Health Area"))
    police = _police_forces(county_of_d, d_adj, rng)[district]
    layers["police_force"] = (police, _names_from_districts(police, district, population, d_names, "{} Constabulary", "{} and {} Police"))
    ttwa = _ttwas(points, population, adjacency, cores, max(2, int(round(n_d * 0.75))), rng)
    layers["ttwa"] = (ttwa, _names_from_districts(ttwa, district, population, d_names, "{}", "{} and {}"))
    ep_of_d = grow_groups(d_adj, spread_seeds(d_xy, max(2, int(round(n_d / 8))), rng), d_pop, xy=d_xy)
    ep = ep_of_d[district]
    layers["economic_partnership"] = (ep, _names_from_districts(ep, district, population, d_names, "{} Enterprise Partnership", "{} and {} Enterprise Partnership"))
    uni = _university_catchments(points, cores, n_universities)
    layers["university_catchment"] = (uni, _names_from_districts(uni, district, population, d_names, "University of {} catchment", "University of {} catchment"))
    # The demo's place: the most populous district split between two health areas.
    default = split[np.argmax(d_pop[split])]
    return {"layers": layers, "default_place": str(d_codes[default])}


def _health_areas(district, d_adj, d_xy, d_pop, points, rng):
    """Health areas from districts, then a few border districts split across a line between two."""
    n_d = len(d_pop)
    k = max(2, int(round(n_d / 7)))
    ha_of_d = grow_groups(d_adj, spread_seeds(d_xy, k, rng), d_pop, xy=d_xy)
    health = ha_of_d[district].copy()
    adj = d_adj.tocoo()
    border = adj.row[ha_of_d[adj.row] != ha_of_d[adj.col]]
    counts = np.bincount(district, minlength=n_d)
    candidates = np.unique(border[counts[border] >= 4])
    n_split = min(len(candidates), max(2, int(round(0.1 * n_d))))
    split = rng.choice(candidates, n_split, replace=False) if n_split else np.array([], dtype=np.int64)
    for d in split:
        neighbours = adj.col[(adj.row == d) & (ha_of_d[adj.col] != ha_of_d[d])]
        e = neighbours[np.argmax(d_pop[neighbours])]
        members = np.flatnonzero(district == d)
        direction = d_xy[e] - d_xy[d]
        along = (points[members] - d_xy[d]) @ direction
        cut = np.quantile(along, rng.uniform(0.55, 0.75))
        moved = members[along > cut]
        if 0 < len(moved) < len(members):
            health[moved] = ha_of_d[e]
    return _renumber(health), np.sort(split)


def _police_forces(county_of_d, d_adj, rng) -> np.ndarray:
    """Police forces by district: counties, a quarter of them merged with a neighbour, one district moved."""
    force = county_of_d.copy()
    c_adj = group_adjacency(d_adj, county_of_d, county_of_d.max() + 1).tocoo()
    n_merge = int(round((county_of_d.max() + 1) / 4))
    pairs = np.column_stack([c_adj.row, c_adj.col])[c_adj.row < c_adj.col]
    rng.shuffle(pairs)
    merged: set[int] = set()
    for a, b in pairs:
        if n_merge == 0:
            break
        if a in merged or b in merged:
            continue
        force[force == b] = a
        merged.update((a, b))
        n_merge -= 1
    # One border district of a multi-district force joins the neighbouring force.
    adj = d_adj.tocoo()
    sizes = np.bincount(force)
    movable = (force[adj.row] != force[adj.col]) & (sizes[force[adj.row]] >= 2)
    if movable.any():
        i = rng.choice(np.flatnonzero(movable))
        force[adj.row[i]] = force[adj.col[i]]
    return _renumber(force)


def _ttwas(points, population, adjacency, cores, k, rng) -> np.ndarray:
    """Travel-to-work areas grown from urban cores (plus rural centres), sized by the core."""
    tree = cKDTree(points)
    n_cores = min(k, len(cores))
    _, seeds = tree.query(cores[["x", "y"]].to_numpy()[:n_cores])
    seeds = np.unique(seeds)
    targets = np.r_[cores["weight"].to_numpy()[: len(seeds)] * 4, np.zeros(0)]
    if len(seeds) < k:
        extra = np.setdiff1d(spread_seeds(points, 3 * k, rng), seeds)[: k - len(seeds)]
        seeds = np.r_[seeds, extra]
        targets = np.r_[targets, np.full(len(extra), np.median(targets) if len(targets) else 1.0)]
    targets = np.maximum(targets, 0.25 * targets.max() / 4) if len(targets) else targets
    return _renumber(grow_groups(adjacency, seeds, population, targets, xy=points))


def _university_catchments(points, cores, n_universities) -> np.ndarray:
    """Nearest of the largest ``n_universities`` urban cores (a Voronoi partition of small areas)."""
    towns = cores[["x", "y"]].to_numpy()[: max(2, min(n_universities, len(cores)))]
    _, nearest = cKDTree(towns).query(points)
    return _renumber(nearest)


def _renumber(label: np.ndarray) -> np.ndarray:
    _, out = np.unique(label, return_inverse=True)
    return out.astype(np.int64)


def _names_from_districts(label, district, population, d_names, single: str, double: str) -> list[str]:
    """Name each group after its one or two most populous districts; unique within the layer."""
    frame = pd.DataFrame({"g": label, "d": district, "p": population}).groupby(["g", "d"], as_index=False)["p"].sum()
    frame = frame.sort_values(["g", "p"], ascending=[True, False])
    names, used = [], set()
    for _, rows in frame.groupby("g", sort=True):
        ds = rows["d"].to_numpy()
        share = rows["p"].to_numpy() / rows["p"].sum()
        name = double.format(d_names[ds[0]], d_names[ds[1]]) if len(ds) > 1 and share[1] > 0.25 else single.format(d_names[ds[0]])
        base, i = name, 2
        while name in used:
            name = f"{base} {i}"
            i += 1
        used.add(name)
        names.append(name)
    return names
