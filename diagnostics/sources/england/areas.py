"""The geography of an England store: small areas (LSOA 2011) with their best-fit points, the area
hierarchy on current codes, the boundaries of each layer and the lookups from small areas to every
layer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.ons_geography import assign_points, dissolve
from diagnostics.sources.england.provenance import SOURCE
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["GeographyBuilder", "small_area_table", "small_area_points"]


# -- geography ------------------------------------------------------------------------------------
def small_area_table(measures, population, changes, hierarchy) -> pd.DataFrame:
    """LSOAs (2011) with name and current district: code, name, district_code."""
    frames = []
    if not measures.empty:
        frames.append(measures[["small_area_code", "small_area_name", "district_code_2019"]].drop_duplicates("small_area_code"))
    if population is not None:
        frames.append(population[["small_area_code", "small_area_name", "district_code_2019"]])
    if not frames:
        return pd.DataFrame(columns=["code", "name", "district_code"])
    small = pd.concat(frames).drop_duplicates("small_area_code")
    small = small.loc[small["small_area_code"].str.startswith("E")]
    small["district_code"] = small["district_code_2019"].map(changes.current)
    unknown = sorted(set(small["district_code"]) - set(hierarchy["district_code"]))
    if unknown:
        raise ImportFailed("(IoD2019 files)", f"their district codes {unknown[:5]} are not current districts and no code change maps them; add ONS's code-change list")
    return small.rename(columns={"small_area_code": "code", "small_area_name": "name"})[["code", "name", "district_code"]].reset_index(drop=True)


def small_area_points(small, centroid_files, oa) -> tuple[pd.DataFrame, dict]:
    """A best-fit point for each LSOA (2011): its own 2021 population-weighted centroid when its code
    survived into 2021 (an unchanged LSOA keeps its code), else its MSOA's; NaN when neither is known.
    Columns x, y (EPSG:27700 metres) and fit (``own_centroid``, ``msoa_centroid``, ``district_majority``)."""
    cents = pd.concat(centroid_files.values(), ignore_index=True).drop_duplicates("code").set_index("code") if centroid_files else pd.DataFrame(columns=["x", "y"])
    pts = cents.reindex(small["code"]).reset_index(drop=True)
    own = pts["x"].notna()
    via_msoa = pd.Series(False, index=pts.index)
    if oa is not None and (~own).any():
        msoa = small["code"].map(oa.set_index("small_area_code")["msoa_code"])
        fill = cents.reindex(msoa).reset_index(drop=True)
        via_msoa = ~own & fill["x"].notna()
        pts.loc[via_msoa, ["x", "y"]] = fill.loc[via_msoa, ["x", "y"]].to_numpy()
    pts["fit"] = np.where(own, "own_centroid", np.where(via_msoa, "msoa_centroid", "district_majority"))
    pts.index = small["code"].to_numpy()
    fit = {"own_centroid": int(own.sum()), "msoa_centroid": int(via_msoa.sum()), "district_majority": int((~own & ~via_msoa).sum())}
    return pts, fit


class GeographyBuilder:
    """Collects areas, polygons and best-fit lookups layer by layer."""

    def __init__(self, hierarchy: pd.DataFrame, districts):
        self.h = hierarchy
        self.polygons = {"district": districts}
        self.small = pd.DataFrame(columns=["code", "name", "district_code"])
        self.extra_areas: list[pd.DataFrame] = []
        self.members: list[pd.DataFrame] = []  # small_area_code, layer, area_code
        self.fit_counts: dict[str, int] = {}
        self._whole_district: dict[str, pd.DataFrame] = {}  # layer -> district_code, code, name
        self.points = pd.DataFrame(columns=["x", "y", "fit"])  # best-fit point of each small area

        h = hierarchy
        self.polygons["county"] = dissolve(districts, h, "county_code", "county_name")
        self.polygons["combined_authority"] = dissolve(districts, h, "cauth_code", "cauth_name")
        self.polygons["region"] = dissolve(districts, h, "region_code", "region_name")
        self.polygons["country"] = dissolve(districts, h, "country_code", "country_name")

    def add_polygons(self, layer: str, gdf) -> None:
        self.polygons[layer] = gdf

    def add_police(self, table: pd.DataFrame) -> None:
        table = table.loc[table["district_code"].isin(self.h["district_code"])]
        self.polygons["police_force"] = dissolve(self.polygons["district"], table, "police_code", "police_name")
        self._whole_district["police_force"] = table.rename(columns={"police_code": "code", "police_name": "name"})

    def add_small_areas(self, small: pd.DataFrame) -> None:
        self.small = small
        h = self.h.set_index("district_code")
        for layer, column in (("district", None), ("county", "county_code"), ("combined_authority", "cauth_code"), ("region", "region_code"), ("country", "country_code")):
            codes = small["district_code"] if column is None else small["district_code"].map(h[column])
            self.members.append(pd.DataFrame({"small_area_code": small["code"], "layer": layer, "area_code": codes}).dropna())
        for layer, table in self._whole_district.items():
            codes = small["district_code"].map(table.set_index("district_code")["code"])
            self.members.append(pd.DataFrame({"small_area_code": small["code"], "layer": layer, "area_code": codes}).dropna())

    def assign_by_points(self, points: pd.DataFrame, fit: dict) -> None:
        self.fit_counts = fit
        self.points = points
        known = points.dropna(subset=["x", "y"])
        for layer in ("health_area", "sub_icb", "nhs_region"):
            if layer not in self.polygons:
                continue
            codes = pd.Series(np.nan, index=points.index, dtype=object)
            if not known.empty:
                codes.loc[known.index] = assign_points(known, self.polygons[layer]).to_numpy()
            missing = codes.isna()
            if missing.any():  # no centroid: the area holding most of the district's other LSOAs
                district = pd.Series(self.small["district_code"].to_numpy(), index=self.small["code"].to_numpy())
                majority = codes.dropna().groupby(district.reindex(codes.dropna().index)).agg(lambda s: s.value_counts().index[0])
                codes.loc[missing] = district.reindex(codes.index[missing]).map(majority).to_numpy()
            self.members.append(pd.DataFrame({"small_area_code": codes.index, "layer": layer, "area_code": codes.to_numpy()}).dropna())

    def add_layer(self, layer: str, polygons, areas: pd.DataFrame, members: pd.Series) -> None:
        """A layer of polygons not made of whole districts (wards): its areas (code, name,
        parent_code) and each small area's area (``members``: small-area code -> area code)."""
        self.polygons[layer] = polygons
        self.extra_areas.append(areas.assign(layer=layer)[["code", "name", "layer", "parent_code"]])
        self.members.append(pd.DataFrame({"small_area_code": members.index, "layer": layer, "area_code": members.to_numpy()}).dropna())

    def add_lookup_layer(self, layer: str, table: pd.DataFrame) -> None:
        table = table.loc[table["small_area_code"].isin(self.small["code"])]
        self.members.append(pd.DataFrame({"small_area_code": table["small_area_code"], "layer": layer, "area_code": table["area_code"]}))
        names = table.drop_duplicates("area_code")
        self.extra_areas.append(pd.DataFrame({"code": names["area_code"], "name": names["area_name"], "layer": layer, "parent_code": None}))

    def tables(self):
        import geopandas as gpd

        h = self.h
        # a combined authority spanning two regions (Greater Lincolnshire) belongs to the country
        regions_of = h.dropna(subset=["cauth_code"]).groupby("cauth_code")["region_code"].unique()
        cauth_parents = regions_of.map(lambda r: r[0] if len(r) == 1 else "E92000001")
        rows = [
            pd.DataFrame({"code": ["E92000001"], "name": [h["country_name"].iloc[0]], "layer": "country", "parent_code": [None]}),
            h.drop_duplicates("region_code").pipe(lambda d: pd.DataFrame({"code": d["region_code"], "name": d["region_name"], "layer": "region", "parent_code": "E92000001"})),
            h.dropna(subset=["county_code"]).drop_duplicates("county_code").pipe(lambda d: pd.DataFrame({"code": d["county_code"], "name": d["county_name"], "layer": "county", "parent_code": d["region_code"]})),
            h.dropna(subset=["cauth_code"]).drop_duplicates("cauth_code").pipe(lambda d: pd.DataFrame({"code": d["cauth_code"], "name": d["cauth_name"], "layer": "combined_authority", "parent_code": d["cauth_code"].map(cauth_parents)})),
            pd.DataFrame({"code": h["district_code"], "name": h["district_name"], "layer": "district", "parent_code": h["county_code"].fillna(h["region_code"])}),
        ]
        for layer, parent_layer in (("nhs_region", None), ("health_area", "nhs_region"), ("sub_icb", "health_area")):
            if layer not in self.polygons:
                continue
            gdf = self.polygons[layer]
            parent = None
            if parent_layer in self.polygons:
                parent = gdf.geometry.representative_point().to_frame("geometry").pipe(lambda p: gpd.GeoDataFrame(p, geometry="geometry", crs=BOUNDARY_CRS))
                joined = gpd.sjoin(parent, self.polygons[parent_layer][["code", "geometry"]], how="left", predicate="within")
                parent = joined[~joined.index.duplicated()]["code"].to_numpy()
            rows.append(pd.DataFrame({"code": gdf["code"], "name": gdf["name"], "layer": layer, "parent_code": parent if parent is not None else "E92000001"}))
        if "police_force" in self.polygons:
            p = self.polygons["police_force"]
            rows.append(pd.DataFrame({"code": p["code"], "name": p["name"], "layer": "police_force", "parent_code": "E92000001"}))
        rows += self.extra_areas
        if not self.small.empty:
            rows.append(pd.DataFrame({"code": self.small["code"], "name": self.small["name"], "layer": "small_area", "parent_code": self.small["district_code"]}))
        areas = pd.concat(rows, ignore_index=True).drop_duplicates("code")
        areas["parent_code"] = areas["parent_code"].where(areas["parent_code"].isin(areas["code"]))
        areas = areas.assign(source=SOURCE, vintage="current codes (2025); small areas LSOA 2011").reset_index(drop=True)
        lookups = pd.concat(self.members, ignore_index=True) if self.members else pd.DataFrame(columns=["small_area_code", "layer", "area_code"])
        lookups = lookups.loc[lookups["area_code"].isin(areas["code"])].drop_duplicates(["small_area_code", "layer"])
        lookups = lookups.assign(weight=1.0, source=SOURCE, vintage="best fit (population-weighted centroids; whole districts)").reset_index(drop=True)
        boundaries = {}
        for layer, gdf in self.polygons.items():
            gdf = gdf.loc[gdf["code"].isin(areas.loc[areas["layer"] == layer, "code"])].reset_index(drop=True)
            if not gdf.empty:
                boundaries[layer] = gdf[["code", "name", "geometry"]]
        return areas, boundaries, lookups
