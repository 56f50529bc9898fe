"""A hand-made store small enough to check by hand: one country, two regions, four districts,
eight small areas (1 km squares), two health areas that split district D2."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from diagnostics.conventions import AGE_BANDS
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.rollup import finalise_indicators
from diagnostics.store.store import write_store

SRC = {"source": "synthetic", "vintage": "synthetic"}

AREAS = [
    ("C1", "Tinyland", "country", None),
    ("R1", "North Region", "region", "C1"),
    ("R2", "South Region", "region", "C1"),
    ("D1", "Ashcombe", "district", "R1"),
    ("D2", "Brackley Vale", "district", "R1"),
    ("D3", "Caddington", "district", "R2"),
    ("D4", "Dunmore", "district", "R2"),
    ("H1", "Health Area North", "health_area", "C1"),
    ("H2", "Health Area South", "health_area", "C1"),
] + [(f"S{i}", f"Small area {i}", "small_area", f"D{(i - 1) // 2 + 1}") for i in range(1, 9)]

# small area i is the square [i-1, i] km x [0, 1] km; districts pair them; H1 = S1-S3, H2 = S4-S8
HEALTH = {f"S{i}": ("H1" if i <= 3 else "H2") for i in range(1, 9)}


#: Smokers per 100 adults, less 10, in the areas above small areas (smoking_prevalence = 10 + this).
SMOKERS_ABOVE_10 = {"D1": 4, "D2": 8, "D3": 20, "D4": 10, "R1": 6, "R2": 15, "C1": 10}


def tiny_tables():
    areas = pd.DataFrame(AREAS, columns=["code", "name", "layer", "parent_code"]).assign(**SRC)
    squares = {f"S{i}": box((i - 1) * 1000, 0, i * 1000, 1000) for i in range(1, 9)}
    sa = gpd.GeoDataFrame(
        {"code": list(squares), "name": [f"Small area {i}" for i in range(1, 9)]},
        geometry=list(squares.values()),
        crs="EPSG:27700",
    )
    sa["district"] = [f"D{(i - 1) // 2 + 1}" for i in range(1, 9)]
    sa["region"] = sa["district"].map({"D1": "R1", "D2": "R1", "D3": "R2", "D4": "R2"})
    sa["health_area"] = sa["code"].map(HEALTH)
    sa["country"] = "C1"
    names = dict(zip(areas["code"], areas["name"]))
    boundaries = {"small_area": sa[["code", "name", "geometry"]]}
    lookups = []
    for layer in ("district", "region", "health_area", "country"):
        dissolved = sa.dissolve(by=layer).reset_index()[[layer, "geometry"]].rename(columns={layer: "code"})
        dissolved["name"] = dissolved["code"].map(names)
        boundaries[layer] = dissolved[["code", "name", "geometry"]]
        lookups.append(pd.DataFrame({"small_area_code": sa["code"], "layer": layer, "area_code": sa[layer]}))
    lookups = pd.concat(lookups, ignore_index=True).assign(weight=1.0, **SRC)
    population = pd.DataFrame(
        [
            (code, year, sex, band, 40 + 2 * int(code[1:]))
            for code in squares
            for year in (2022, 2023)
            for sex in ("F", "M")
            for band in AGE_BANDS
        ],
        columns=["area_code", "year", "sex", "age_band", "population"],
    ).assign(**SRC)
    catalogue = committed_catalogue().drop(columns=["real_source"]).assign(**SRC)
    rows = []
    for code in list(squares) + ["D1", "D2", "D3", "D4", "R1", "R2", "C1"]:
        for year in (2022, 2023):
            k = int(code[1:]) if code.startswith("S") else SMOKERS_ABOVE_10[code]
            rows.append(("smoking_prevalence", code, str(year), year, 10.0 + k, 100.0))
    indicators = pd.DataFrame(
        rows, columns=["indicator_id", "area_code", "period", "year", "numerator", "denominator"]
    )
    indicators = finalise_indicators(indicators, catalogue).assign(**SRC)
    return {
        "areas": areas,
        "lookups": lookups,
        "population": population,
        "indicators": indicators,
        "catalogue": catalogue,
    }, boundaries


def build_tiny_store(path):
    tables, boundaries = tiny_tables()
    return write_store(
        path,
        tables,
        boundaries,
        source="synthetic",
        vintage="synthetic",
        attribution="SYNTHETIC DATA: a hand-made test store.",
        extra={"default_place": "D2"},
    )


__all__ = ["build_tiny_store", "tiny_tables", "np"]
