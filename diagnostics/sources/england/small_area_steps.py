"""The small-area step of an England import: LSOA (2011) polygons for the small-area layer, and
electoral wards as a layer of their own, each LSOA placed in one ward by best fit.

ONS publishes no single national LSOA or ward file small enough to share, so the polygons come as
one generalised (BGC, 20 m) GeoJSON per district (``boundaries/england_by_lad/lsoa11_bgc/``,
``wd25_bgc/``): files recognised by their first feature's properties (``LSOA11CD``, ``WD25CD``).
Only the layers the store uses are read: LSOAs of 2011 (the IoD2019's small areas) and wards.
MSOA (2021) polygons are not read: 2021 MSOAs do not nest the 2011 LSOAs the store's figures are
built from, so no figure could be given for them.

Best fit of an LSOA to a ward (the ONS method for its LSOA-to-ward lookups): the ward containing
the LSOA's population-weighted centroid (2021, when its code survived into 2021), else the ward
containing a point inside the LSOA's polygon; an LSOA is always put in a ward of its own district
(a point that falls over a district boundary, where generalised outlines disagree, goes to the
nearest ward of its district). Ward figures are then sums (population) and MHCLG's summaries
(deprivation) over each ward's LSOAs: a ward is not exactly the sum of whole LSOAs, and every ward
figure says it is a best fit.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.ons_geography import assign_points
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["read_small_area_polygons", "read_polygon_files", "best_fit_wards"]

#: The code properties of the polygon sets the store uses: LSOA 2011 (IoD2019's small areas), and wards.
LSOA_PROPERTY = "LSOA11CD"


def read_polygon_files(paths: list[Path], code_property: str, extra: tuple[str, ...] = ()):
    """Many ONS boundary files of one layer as one GeoDataFrame in EPSG:27700.

    Parameters
    ----------
    paths : list of Path
        GeoJSON files (plain or gzip), WGS84, each a FeatureCollection with the same properties.
    code_property : str
        The code property (``LSOA11CD``); the name is the matching ``..NM``.
    extra : tuple of str
        Further properties to keep (``LAD25CD``), under their own names.

    Returns
    -------
    GeoDataFrame
        code, name, the extra columns, geometry; English codes only, each code once (a feature
        repeated across files is kept once), invalid geometry repaired.

    Raises
    ------
    ImportFailed
        Naming the first file that cannot be read or lacks the properties.
    """
    import geopandas as gpd
    from shapely import make_valid

    name_property = code_property[:-2] + "NM"
    frames = []
    for path in paths:
        source = f"/vsigzip/{path}" if str(path).endswith(".gz") else str(path)
        try:
            frame = gpd.read_file(source, columns=[code_property, name_property, *extra])
        except Exception as err:  # geopandas' engine raises several types for damaged files and missing fields
            raise ImportFailed(str(path), f"it cannot be read as GeoJSON with {code_property} and {name_property} ({err}); "
                                          "the download is probably truncated") from err
        frames.append(frame)
    crs = frames[0].crs or "EPSG:4326"
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
    gdf = gdf.rename(columns={code_property: "code", name_property: "name"})
    gdf = gdf.loc[gdf["code"].astype(str).str.startswith("E") & gdf.geometry.notna()].drop_duplicates("code")
    gdf = gdf.to_crs(BOUNDARY_CRS)
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf.loc[invalid, "geometry"] = gdf.loc[invalid, "geometry"].apply(make_valid)
    return gdf.reset_index(drop=True)


def best_fit_wards(points: pd.DataFrame, district_of: pd.Series, wards) -> tuple[pd.Series, int]:
    """The ward of each small area by best fit, always a ward of the small area's district.

    Parameters
    ----------
    points : DataFrame
        x, y (EPSG:27700 metres) of each small area's best-fit point, indexed by its code.
    district_of : Series
        Each small area's district code (same index).
    wards : GeoDataFrame
        code, district_code, geometry.

    Returns
    -------
    (Series, int)
        The ward code of each small area (index of ``points``), and how many small areas were moved
        to the nearest ward of their own district because their point fell in another district's ward.
    """
    import geopandas as gpd

    ward = assign_points(points, wards)
    ward_district = wards.set_index("code")["district_code"]
    wrong = ward.map(ward_district).to_numpy() != district_of.reindex(points.index).to_numpy()
    moved = 0
    wrong_codes = points.index[wrong]
    for district, codes in pd.Series(wrong_codes, index=wrong_codes).groupby(district_of.reindex(wrong_codes).to_numpy()):
        own = wards.loc[wards["district_code"] == district, ["code", "geometry"]]
        if own.empty:
            continue
        at = points.loc[codes.index]
        pts = gpd.GeoDataFrame(index=codes.index, geometry=gpd.points_from_xy(at["x"], at["y"]), crs=BOUNDARY_CRS)
        near = gpd.sjoin_nearest(pts, own, how="left")
        near = near[~near.index.duplicated()]
        ward.loc[near.index] = near["code"].to_numpy()
        moved += len(near)
    return ward, moved


def _by_folder(datasets) -> dict[tuple[Path, str], list]:
    """Files grouped by folder and layer (one line of the import report per group)."""
    groups = defaultdict(list)
    for d in datasets:
        groups[(d.path.parent, d.detail)].append(d)
    return groups


def read_small_area_polygons(ctx: ImportContext) -> None:
    """LSOA (2011) polygons for the small-area layer; wards as a layer, with each LSOA's best-fit ward."""
    started = time.perf_counter()
    files = ctx.all_of("small_area_boundaries")
    if not files:
        return
    lsoa = [d for d in files if d.detail == f"lsoa:{LSOA_PROPERTY}"]
    wards = [d for d in files if d.detail.startswith("ward:")]
    for (folder, detail), group in _by_folder([d for d in files if d not in lsoa and d not in wards]).items():
        what = detail.split(":")[1]
        ctx.set_aside(folder, f"{len(group)} files of {what} polygons: the store's small areas are the 2011 LSOAs of "
                      "IoD2019, which these do not nest; not read")
    if ctx.small_areas.empty:
        for (folder, _), group in _by_folder(lsoa + wards).items():
            ctx.set_aside(folder, f"{len(group)} files: small-area polygons need IoD2019's small areas (File 1, 2 or 6)")
        return
    points = ctx.geography.points.copy()
    district_of = ctx.small_areas.set_index("code")["district_code"]
    if lsoa:
        polygons = read_polygon_files([d.path for d in lsoa], LSOA_PROPERTY)
        polygons = polygons.loc[polygons["code"].isin(set(ctx.small_areas["code"]))]
        ctx.geography.add_polygons("small_area", polygons[["code", "name", "geometry"]])
        for (folder, _), group in _by_folder(lsoa).items():
            ctx.use(folder, f"LSOA (2011) polygons ({len(group)} files): maps of small areas, "
                    "small areas split by a boundary, a user's own boundary fitted from small areas", "ONS")
        lacking = len(ctx.small_areas) - len(polygons)
        if lacking:
            ctx.leave_out(f"Small-area maps: {lacking:,} LSOAs (2011) have no polygon in the files given, so they are "
                          "left blank on maps.")
        # an LSOA without its own population-weighted centroid is placed by a point inside its polygon
        inside = polygons.set_index("code").geometry.representative_point()
        weak = points.index[(points["fit"] != "own_centroid") & points.index.isin(inside.index)]
        points.loc[weak, ["x", "y"]] = np.column_stack([inside.loc[weak].x, inside.loc[weak].y])
    if wards:
        code_property = wards[0].detail.split(":")[1]
        district_property = next((c for c in wards[0].columns if re.fullmatch(r"LAD\d\dCD", c.upper())), None)
        if district_property is None:
            raise ImportFailed(str(wards[0].path), "a ward file needs its district's code (a LADyyCD property) to place wards in districts")
        wards = [d for d in wards if d.detail == wards[0].detail]  # one vintage of wards
        ward_polygons = read_polygon_files([d.path for d in wards], code_property, extra=(district_property,))
        ward_polygons["district_code"] = ward_polygons[district_property].map(ctx.changes.current)
        ward_polygons = ward_polygons.loc[ward_polygons["district_code"].isin(set(ctx.hierarchy["district_code"]))]
        known = points.dropna(subset=["x", "y"])
        members, moved = best_fit_wards(known, district_of, ward_polygons)
        areas = ward_polygons.rename(columns={"district_code": "parent_code"})[["code", "name", "parent_code"]]
        ctx.geography.add_layer("ward", ward_polygons[["code", "name", "geometry"]], areas, members)
        ctx.manifest["best_fit_ward"] = {"small_areas": int(len(members)), "moved_into_own_district": int(moved),
                                         "wards": int(len(ward_polygons)), "vintage": code_property}
        for (folder, _), group in _by_folder(wards).items():
            ctx.use(folder, f"{len(group)} files; {len(ward_polygons):,} electoral wards in all ({code_property[2:4]}) as a "
                    "layer: each LSOA (2011) in one ward by best fit; ward population and deprivation summed from LSOAs",
                    "ONS")
    ctx.manifest["small_area_polygons_seconds"] = round(time.perf_counter() - started, 1)
