"""The health section's test store: a hand-made "gradient" store whose answers are known by construction.

District D1 has 20 small areas whose death rates rise with their deprivation score (so life
expectancy falls with deprivation), D2 has only 3 small areas (too few for deciles), and D3 one
small area of 3 people a band (too small for PHE to publish life expectancy or a standardised
rate). Health area H1 holds D1's first 12 small areas, H2 the rest. ``gradient_store`` is written
once per module; ``gradient_session`` starts D1 with its region's districts as comparators.
"""

from __future__ import annotations

import html
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from diagnostics.conventions import AGE_BAND_STARTS, AGE_BANDS
from diagnostics.sections.session import start
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.store import open_store, write_store

SRC = {"source": "synthetic", "vintage": "synthetic"}
YEARS = (2019, 2020, 2021, 2022, 2023)
# small area -> (district, health area, deprivation score, people per band, sex and year)
SMALL_AREAS = {
    **{f"S{i:02d}": ("D1", "H1" if i <= 12 else "H2", float(i), 200) for i in range(1, 21)},
    "S21": ("D2", "H2", 5.0, 200),
    "S22": ("D2", "H2", 10.0, 200),
    "S23": ("D2", "H2", 15.0, 200),
    "S24": ("D3", "H2", 10.0, 3),
}
AREAS = [
    ("C1", "Gradland", "country", None),
    ("R1", "Only Region", "region", "C1"),
    ("D1", "Slopeford", "district", "R1"),
    ("D2", "Fewton", "district", "R1"),
    ("D3", "Tinyham", "district", "R1"),
    ("H1", "Health Area One", "health_area", "C1"),
    ("H2", "Health Area Two", "health_area", "C1"),
] + [(code, f"Small area {code}", "small_area", district) for code, (district, *_rest) in SMALL_AREAS.items()]


def death_rate(age_start: int, score: float) -> float:
    """A Gompertz-like death rate that rises with deprivation: the known gradient."""
    return min(0.6, 0.0004 * np.exp(0.085 * age_start) * (0.55 + 0.045 * score))


def gradient_tables(with_deaths: bool = True):
    areas = pd.DataFrame(AREAS, columns=["code", "name", "layer", "parent_code"]).assign(**SRC)
    codes = list(SMALL_AREAS)
    squares = gpd.GeoDataFrame(
        {"code": codes, "name": [f"Small area {c}" for c in codes]},
        geometry=[box((i % 6) * 1000, (i // 6) * 1000, (i % 6 + 1) * 1000, (i // 6 + 1) * 1000) for i in range(len(codes))],
        crs="EPSG:27700",
    )
    layers = {
        "district": {c: v[0] for c, v in SMALL_AREAS.items()},
        "health_area": {c: v[1] for c, v in SMALL_AREAS.items()},
        "region": dict.fromkeys(codes, "R1"),
        "country": dict.fromkeys(codes, "C1"),
    }
    names = dict(zip(areas["code"], areas["name"]))
    boundaries = {"small_area": squares}
    lookups = []
    for layer, mapping in layers.items():
        frame = squares.assign(target=squares["code"].map(mapping))
        dissolved = frame.dissolve(by="target").reset_index()[["target", "geometry"]].rename(columns={"target": "code"})
        dissolved["name"] = dissolved["code"].map(names)
        boundaries[layer] = dissolved[["code", "name", "geometry"]]
        lookups.append(pd.DataFrame({"small_area_code": codes, "layer": layer, "area_code": [mapping[c] for c in codes]}))
    lookups = pd.concat(lookups, ignore_index=True).assign(weight=1.0, **SRC)
    rows = [(c, y, s, b, v[3]) for c, v in SMALL_AREAS.items() for y in YEARS for s in ("F", "M") for b in AGE_BANDS]
    population = pd.DataFrame(rows, columns=["area_code", "year", "sex", "age_band", "population"]).assign(**SRC)
    start_of = dict(zip(AGE_BANDS, AGE_BAND_STARTS))
    score = population["area_code"].map({c: v[2] for c, v in SMALL_AREAS.items()})
    rate = [death_rate(start_of[b], s) * (1.1 if sex == "M" else 1.0)
            for b, s, sex in zip(population["age_band"], score, population["sex"])]
    deaths = population.drop(columns="population").assign(deaths=np.round(population["population"] * np.array(rate)).astype(int))
    catalogue = committed_catalogue().drop(columns=["real_source"]).assign(**SRC)
    indicators = pd.DataFrame(
        {
            "indicator_id": "deprivation_score", "area_code": codes, "period": "2019", "year": 2019,
            "value": [v[2] for v in SMALL_AREAS.values()], "numerator": np.nan, "denominator": np.nan,
            "lower_ci": np.nan, "upper_ci": np.nan, "confidence": np.nan, "note": None,
        }
    ).assign(**SRC)
    tables = {"areas": areas, "lookups": lookups, "population": population, "indicators": indicators,
              "catalogue": catalogue}
    if with_deaths:
        tables["deaths"] = deaths
    return tables, boundaries


@pytest.fixture(scope="session")
def gradient_store(tmp_path_factory):
    """The gradient store (with deaths and populations), written once per session."""
    tables, boundaries = gradient_tables()
    path = write_store(tmp_path_factory.mktemp("stores") / "gradient", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: a hand-made test store.",
                       extra={"default_place": "D1"})
    return open_store(path)



@pytest.fixture
def gradient_session(gradient_store):
    """A session of Slopeford (D1), compared with the other districts of its region."""
    return start("D1", gradient_store, comparators="region")


def _visible_text(shown) -> str:
    """What a reader sees of a view's HTML: the text with tags removed, entities read, whitespace collapsed."""
    markup = getattr(shown, "data", shown)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def text_of():
    """The visible text of a view's output (tags removed): assert on what a reader sees, not on markup."""
    return _visible_text
