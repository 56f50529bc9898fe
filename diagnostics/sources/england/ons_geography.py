"""ONS Open Geography Portal files: boundaries (GeoJSON, WGS84) and population-weighted centroids.

Boundaries are reprojected to British National Grid (EPSG:27700), repaired where generalisation
left them invalid, and kept for England only (codes starting ``E``). Small areas with no national
polygons are placed in any polygon layer by their population-weighted centroid: the ONS best-fit
method (an area belongs wholly to the polygon containing its population-weighted centroid).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.recognise import open_text
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["read_boundaries", "read_centroids", "assign_points", "dissolve"]


def read_boundaries(path: Path, code_property: str, england_only: bool = True):
    """One ONS boundary file as a GeoDataFrame (code, name, geometry) in EPSG:27700.

    Parameters
    ----------
    path : Path
        A GeoJSON FeatureCollection in WGS84 (as the Open Geography Portal serves them).
    code_property : str
        The property holding each area's code (``LAD24CD``); the name is the matching ``..NM``.
    england_only : bool, default True
        Keep codes starting with ``E`` only.

    Raises
    ------
    ImportFailed
        If the file cannot be read or has no polygons.
    """
    import geopandas as gpd
    from shapely import make_valid

    try:
        gdf = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for damaged files
        raise ImportFailed(str(path), f"it cannot be read as GeoJSON ({err}); the download is probably truncated") from err
    name_property = code_property[:-2] + "NM"
    if code_property not in gdf.columns or name_property not in gdf.columns:
        raise ImportFailed(str(path), f"the properties {code_property} and {name_property} are both needed")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    gdf = gdf.rename(columns={code_property: "code", name_property: "name"})[["code", "name", "geometry"]]
    if england_only:
        gdf = gdf.loc[gdf["code"].astype(str).str.startswith("E")]
    gdf = gdf.loc[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        raise ImportFailed(str(path), "it holds no English polygons")
    gdf = gdf.to_crs(BOUNDARY_CRS)
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf.loc[invalid, "geometry"] = gdf.loc[invalid, "geometry"].apply(make_valid)
    return gdf.reset_index(drop=True)


def read_centroids(path: Path) -> pd.DataFrame:
    """Population-weighted centroids (newline-delimited GeoJSON points, property ``areacd``).

    Returns
    -------
    DataFrame
        code, x, y (EPSG:27700 metres).
    """
    from pyproj import Transformer

    codes, lon, lat = [], [], []
    try:
        with open_text(Path(path)) as fh:
            for number, line in enumerate(fh, start=1):  # noqa: B007 - the except clause names the line
                if not line.strip():
                    continue
                feature = json.loads(line)
                codes.append(feature["properties"]["areacd"])
                x, y = feature["geometry"]["coordinates"][:2]
                lon.append(x)
                lat.append(y)
    except (OSError, EOFError, UnicodeDecodeError, KeyError, TypeError) as err:
        raise ImportFailed(str(path), f"it cannot be read as centroid points ({type(err).__name__}: {err})") from err
    except json.JSONDecodeError as err:
        raise ImportFailed(str(path), f"line {number} is not a GeoJSON feature ({err}); the file is probably truncated") from err
    transformer = Transformer.from_crs("EPSG:4326", BOUNDARY_CRS, always_xy=True)
    x, y = transformer.transform(np.asarray(lon), np.asarray(lat))
    return pd.DataFrame({"code": codes, "x": x, "y": y})


def assign_points(points: pd.DataFrame, polygons) -> pd.Series:
    """The code of the polygon containing each point (best fit), indexed like ``points``.

    A point on no polygon (on the coast, beyond a generalised outline) goes to the nearest polygon.
    """
    import geopandas as gpd

    n = len(points)
    gpts = gpd.GeoDataFrame({"_i": range(n)}, geometry=gpd.points_from_xy(points["x"], points["y"]), crs=BOUNDARY_CRS)
    targets = gpd.GeoDataFrame({"_area": polygons["code"].to_numpy()}, geometry=polygons.geometry.to_numpy(), crs=BOUNDARY_CRS)
    joined = gpd.sjoin(gpts, targets, how="left", predicate="within").drop_duplicates("_i")
    result = pd.Series(joined.sort_values("_i")["_area"].to_numpy(), index=points.index, dtype=object)
    outside = result.isna().to_numpy()
    if outside.any():
        near = gpd.sjoin_nearest(gpts.loc[outside], targets, how="left").drop_duplicates("_i")
        result.iloc[near["_i"].to_numpy()] = near["_area"].to_numpy()
    return result


def dissolve(districts, groups: pd.DataFrame, code: str, name: str):
    """Polygons of a layer made of whole districts: the union of its districts' polygons.

    Parameters
    ----------
    districts : GeoDataFrame
        code, name, geometry of the districts.
    groups : DataFrame
        district_code and the layer's ``code`` and ``name`` columns.
    """
    import geopandas as gpd
    from shapely import make_valid

    merged = districts.merge(groups[["district_code", code, name]].dropna(), left_on="code", right_on="district_code")
    out = merged.dissolve(by=code, aggfunc={name: "first"}).reset_index()
    out = gpd.GeoDataFrame({"code": out[code], "name": out[name]}, geometry=out.geometry.apply(make_valid), crs=BOUNDARY_CRS)
    return out
