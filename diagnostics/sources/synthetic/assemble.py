"""Codes, names and the contract's geography tables (areas, boundaries, lookups) of the synthetic country."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from diagnostics.sources.synthetic.model import SOURCE, VINTAGE
from diagnostics.sources.synthetic.names import (
    COUNTRY_NAME,
    LAYER_PREFIXES,
    codes,
    compass_name,
    unique_names,
)
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["name_nested", "district_table", "areas_table", "boundaries_by_layer", "lookups_table", "LAYER_ORDER"]

#: Every layer of the synthetic country, in the order the tables list them.
LAYER_ORDER = tuple(LAYER_PREFIXES)
_REGION_SUFFIXES = ("", " Midlands", " Coast", " Uplands", " Lowlands", " Borders", " Moors")


def _order_groups(label: np.ndarray, points: np.ndarray, parent_rank: np.ndarray | None) -> np.ndarray:
    """Rank of each group (0 first): by parent's rank, then north to south, then west to east."""
    k = label.max() + 1
    count = np.bincount(label, minlength=k)
    cx = np.bincount(label, points[:, 0], k) / count
    cy = np.bincount(label, points[:, 1], k) / count
    parent = np.zeros(k) if parent_rank is None else parent_rank
    order = np.lexsort((cx, -np.round(cy, -3), parent))
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank


def _parent_rank_of(child: np.ndarray, parent_rank_sa: np.ndarray) -> np.ndarray:
    """For each child group, the rank of its parent (taken from any of its small areas)."""
    k = child.max() + 1
    out = np.zeros(k, dtype=np.int64)
    out[child] = parent_rank_sa
    return out


def name_nested(labels: dict[str, np.ndarray], points: np.ndarray, population: np.ndarray, rng: np.random.Generator) -> dict:
    """Codes and names of the nested layers, ordered like ONS codes (by parent, then north to south).

    Parameters
    ----------
    labels : dict of str to ndarray of int
        Group number of each small area for district, county, region, neighbourhood and ward.
    points : ndarray of shape (n, 2)
        Small-area generator points (metres).
    population : ndarray
        Small-area residents.
    rng : numpy.random.Generator

    Returns
    -------
    dict of str to DataFrame
        ``country``, ``region``, ``county``, ``district``, ``neighbourhood``, ``ward`` (code, name,
        parent_code) and ``small_area`` (code, name and the code of each nested layer).
    """
    n = len(points)
    rank = {}
    rank["region"] = _order_groups(labels["region"], points, None)[labels["region"]]
    rank["county"] = _order_groups(labels["county"], points, _parent_rank_of(labels["county"], rank["region"]))[labels["county"]]
    rank["district"] = _order_groups(labels["district"], points, _parent_rank_of(labels["district"], rank["county"]))[labels["district"]]
    for layer in ("neighbourhood", "ward"):
        rank[layer] = _order_groups(labels[layer], points, _parent_rank_of(labels[layer], rank["district"]))[labels[layer]]

    sizes = {layer: int(r.max()) + 1 for layer, r in rank.items()}
    pool = unique_names(sizes["district"] + sizes["county"] + sizes["ward"] + 16, rng)
    district_names = np.array(pool[: sizes["district"]], dtype=object)
    county_pool = pool[sizes["district"] : sizes["district"] + sizes["county"]]
    ward_names = np.array(pool[sizes["district"] + sizes["county"] :][: sizes["ward"]], dtype=object)

    frames: dict[str, pd.DataFrame] = {}
    country_code = codes("country", 1)[0]
    frames["country"] = pd.DataFrame({"code": [country_code], "name": [COUNTRY_NAME], "parent_code": [None]})

    centre = points.mean(axis=0)
    r_code = codes("region", sizes["region"])
    r_names, seen = [], {}
    for r in range(sizes["region"]):
        sel = rank["region"] == r
        base = compass_name(*(points[sel].mean(axis=0) - centre) * (np.hypot(*(points[sel].mean(axis=0) - centre)) > 15_000))
        i = seen.get(base, 0)
        seen[base] = i + 1
        r_names.append(base + _REGION_SUFFIXES[i % len(_REGION_SUFFIXES)] + (f" {i // len(_REGION_SUFFIXES) + 1}" if i >= len(_REGION_SUFFIXES) else ""))
    frames["region"] = pd.DataFrame({"code": r_code, "name": r_names, "parent_code": country_code})

    def parents(child: str, parent: str) -> np.ndarray:
        out = np.empty(sizes[child], dtype=np.int64)
        out[rank[child]] = rank[parent]
        return out

    c_code = codes("county", sizes["county"])
    c_pop = np.bincount(rank["county"], population, sizes["county"])
    big = c_pop >= np.quantile(c_pop, 0.75)
    c_names = [("Greater " + nm) if b else (nm + "shire") for nm, b in zip(county_pool, big)]
    frames["county"] = pd.DataFrame({"code": c_code, "name": c_names, "parent_code": r_code[parents("county", "region")]})

    d_code = codes("district", sizes["district"])
    frames["district"] = pd.DataFrame({"code": d_code, "name": district_names, "parent_code": c_code[parents("district", "county")]})

    # Neighbourhoods: "<district> 001" numbered within their district (like MSOA names).
    nb_district = parents("neighbourhood", "district")
    nb_number = pd.Series(nb_district).groupby(nb_district).cumcount().to_numpy() + 1
    nb_names = np.array([f"{district_names[d]} {i:03d}" for d, i in zip(nb_district, nb_number)], dtype=object)
    nb_code = codes("neighbourhood", sizes["neighbourhood"])
    frames["neighbourhood"] = pd.DataFrame({"code": nb_code, "name": nb_names, "parent_code": d_code[nb_district]})

    w_code = codes("ward", sizes["ward"])
    frames["ward"] = pd.DataFrame({"code": w_code, "name": ward_names, "parent_code": d_code[parents("ward", "district")]})

    # Small areas: ordered by neighbourhood, lettered within it ("<district> 001A", like LSOA names).
    order = np.lexsort((points[:, 0], -points[:, 1], rank["neighbourhood"]))
    sa_rank = np.empty(n, dtype=np.int64)
    sa_rank[order] = np.arange(n)
    letter_index = pd.Series(rank["neighbourhood"][order]).groupby(rank["neighbourhood"][order]).cumcount().to_numpy()
    letters = np.empty(n, dtype=object)
    letters[order] = [_letters(i) for i in letter_index]
    sa_code = codes("small_area", n)[sa_rank]
    frames["small_area"] = pd.DataFrame(
        {
            "code": sa_code,
            "name": nb_names[rank["neighbourhood"]] + letters,
            "neighbourhood_code": nb_code[rank["neighbourhood"]],
            "ward_code": w_code[rank["ward"]],
            "district_code": d_code[rank["district"]],
            "county_code": c_code[rank["county"]],
            "region_code": r_code[rank["region"]],
            "country_code": country_code,
        }
    )
    return frames


def _letters(i: int) -> str:
    up = string.ascii_uppercase
    return up[i] if i < 26 else up[i // 26 - 1] + up[i % 26]


def district_table(small_areas, districts: pd.DataFrame) -> pd.DataFrame:
    """One row per district: code, name, county_code, region_code, urban_share, deprivation_score."""
    sa = pd.DataFrame(small_areas.drop(columns="geometry"))
    pop = sa["base_population"].astype(float)
    g = sa.assign(urban_pop=pop * sa["urban"], dep_pop=pop * sa["deprivation_score"], pop=pop).groupby("district_code")
    agg = g.agg(urban_pop=("urban_pop", "sum"), dep_pop=("dep_pop", "sum"), pop=("pop", "sum"),
                county_code=("county_code", "first"), region_code=("region_code", "first"))
    out = districts[["code", "name"]].merge(agg, left_on="code", right_index=True)
    out["urban_share"] = out["urban_pop"] / out["pop"]
    out["deprivation_score"] = out["dep_pop"] / out["pop"]
    return out[["code", "name", "county_code", "region_code", "urban_share", "deprivation_score"]].reset_index(drop=True)


def areas_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The contract's ``areas`` table (code, name, layer, parent_code, source, vintage)."""
    parts = []
    for layer in LAYER_ORDER:
        df = frames[layer]
        parent = df["parent_code"] if layer != "small_area" else df["neighbourhood_code"]
        parts.append(pd.DataFrame({"code": df["code"], "name": df["name"], "layer": layer, "parent_code": parent}))
    out = pd.concat(parts, ignore_index=True)
    out["parent_code"] = out["parent_code"].astype(object).where(out["parent_code"].notna(), None)
    return out.assign(source=SOURCE, vintage=VINTAGE)


def boundaries_by_layer(small_areas, frames: dict[str, pd.DataFrame]) -> dict:
    """Boundaries of every layer (code, name, geometry; EPSG:27700): unions of small-area cells."""
    import geopandas as gpd
    import shapely

    out = {"small_area": gpd.GeoDataFrame(small_areas[["code", "name"]], geometry=small_areas.geometry.values, crs=BOUNDARY_CRS)}
    geoms = small_areas.geometry.values
    for layer in LAYER_ORDER[1:]:
        column = small_areas[f"{layer}_code"].to_numpy()
        names = frames[layer].set_index("code")["name"]
        order = np.argsort(column, kind="stable")
        keys, starts = np.unique(column[order], return_index=True)
        bounds = list(starts[1:]) + [len(order)]
        unions = []
        for s, e in zip(starts, bounds):
            part = np.asarray(geoms[order[s:e]])
            merged = shapely.coverage_union_all(part) if len(part) > 1 else part[0]
            unions.append(merged)
        unions = np.asarray(unions, dtype=object)
        bad = ~shapely.is_valid(unions)
        if bad.any():
            unions[bad] = shapely.make_valid(unions[bad])
        out[layer] = gpd.GeoDataFrame({"code": keys, "name": names.loc[keys].to_numpy()}, geometry=unions, crs=BOUNDARY_CRS)
    return out


def lookups_table(small_areas, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Small area -> every other layer, weight 1.0 (every layer is a grouping of whole small areas)."""
    parts = [
        pd.DataFrame({"small_area_code": small_areas["code"].to_numpy(), "layer": layer,
                      "area_code": small_areas[f"{layer}_code"].to_numpy(), "weight": 1.0})
        for layer in LAYER_ORDER[1:]
    ]
    return pd.concat(parts, ignore_index=True).assign(source=SOURCE, vintage=VINTAGE)
