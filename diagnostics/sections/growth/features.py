"""The growth model's rows and terms: one row per firm and start year with its features (age, size,
recent growth, sector, the deprivation and density of where it is) and its outcome, and the design
matrix the logistic model (:mod:`~diagnostics.sections.growth.model`) is fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition, high_growth
from diagnostics.sections.growth.rates import store_growth
from diagnostics.sections.growth.register import Register, rows_years_ahead

__all__ = [
    "FIRM_AGE_BANDS",
    "REFERENCE_SECTION",
    "location_features",
    "firm_windows",
    "store_windows",
    "Scaling",
    "design_matrix",
]

#: Age bands at the start of the window (years since founded); the last is the reference.
FIRM_AGE_BANDS = (("under 3 years", 0, 3), ("3-5 years", 3, 6), ("6-9 years", 6, 10), ("10-19 years", 10, 20),
             ("20 years or more", 20, 10_000))
#: The sector the model's sector terms are compared with: G, wholesale and retail.
REFERENCE_SECTION = "G"


def location_features(store) -> pd.DataFrame:
    """Deprivation and population density of each small area, for the model.

    Returns
    -------
    DataFrame
        Indexed by small_area_code: deprivation (the store's ``deprivation_score``, latest period),
        density (residents per square kilometre: the latest ``population_total``, else the
        ``population`` table's latest year, over the area of the small-area boundary in EPSG:27700;
        NaN without boundaries), log10_density.
    """
    small = store.areas_in_layer("small_area")["code"]
    values = store.indicator_values(["deprivation_score", "population_total"], small)
    values = values.dropna(subset=["value"]).sort_values("year").drop_duplicates(["indicator_id", "area_code"], keep="last")
    dep = values.loc[values["indicator_id"] == "deprivation_score"].set_index("area_code")["value"]
    latest = values.loc[values["indicator_id"] == "population_total"].set_index("area_code")["value"]
    if latest.empty and store.has_table("population"):
        pop = store.population
        latest = pop.loc[pop["year"] == pop["year"].max()].groupby("area_code")["population"].sum()
    try:
        shapes = store.boundaries("small_area").set_index("code")
        km2 = shapes.geometry.area / 1e6
        density = (latest.reindex(km2.index) / km2).where(km2 > 0)
    except InvalidParameter:  # a store without small-area polygons: density unknown (the mean is used)
        density = pd.Series(np.nan, index=small.to_numpy())
    frame = pd.DataFrame({"deprivation": dep.reindex(small.to_numpy()), "density": density.reindex(small.to_numpy())})
    frame["log10_density"] = np.log10(frame["density"].clip(lower=1.0))
    frame.index.name = "small_area_code"
    return frame


def firm_windows(register: Register, locations: pd.DataFrame, definition: GrowthDefinition = OECD_EUROSTAT) -> pd.DataFrame:
    """One row per firm and start year in which it had at least ``min_employees`` employees.

    Returns
    -------
    DataFrame
        firm, start_year, employment (persons at the start), recent_growth (log of employment
        over the year before; 0 with ``no_previous_year`` when there is no record a year earlier),
        no_previous_year (bool), age (years at the start), section, small_area_code, deprivation,
        log10_density, outcome (1.0 when high-growth by employment over the next ``window`` years,
        0.0 when not, NaN when the window ends after the last year of data). Firms with no small
        area or no year founded are left out (see the register's quality table).
    """
    panel = register.panel
    employment = panel["employment"].to_numpy(float)
    start = np.flatnonzero(employment >= definition.min_employees)
    firm = panel["firm"].to_numpy(np.int64)[start]
    year = panel["year"].to_numpy(np.int64)[start]
    ahead = rows_years_ahead(panel, definition.window, start)
    before = rows_years_ahead(panel, -1, start)
    e0 = employment[start]
    e1 = np.where(ahead >= 0, employment[np.maximum(ahead, 0)], np.nan)
    prev = np.where(before >= 0, employment[np.maximum(before, 0)], np.nan)
    last = register.years[-1] if register.years else 0
    outcome = np.where(year + definition.window <= last, high_growth(e0, e1, definition).astype(float), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        recent = np.log(e0 / prev)
    no_prev = ~np.isfinite(recent)
    recent = np.clip(np.where(no_prev, 0.0, recent), -2.0, 2.0)
    firms = register.firms
    founded = firms["founded"].to_numpy(float)[firm]
    area = pd.Categorical(firms["small_area_code"])
    area_code = area.codes.astype(np.int64)[firm]
    keep = ~np.isnan(founded) & (area_code >= 0)
    loc = locations.reindex(area.categories)
    where = area_code[keep]
    section = firms["section"].astype("category")
    return pd.DataFrame({
        "firm": firm[keep],
        "start_year": year[keep],
        "employment": e0[keep],
        "recent_growth": recent[keep],
        "no_previous_year": no_prev[keep],
        "age": np.maximum(year[keep] - founded[keep], 0),
        "section": pd.Categorical.from_codes(section.cat.codes.to_numpy()[firm[keep]], categories=section.cat.categories),
        "small_area_code": pd.Categorical.from_codes(where, categories=area.categories),
        "deprivation": loc["deprivation"].to_numpy(float)[where],
        "log10_density": loc["log10_density"].to_numpy(float)[where],
        "outcome": outcome[keep],
    })


def store_windows(store, definition: GrowthDefinition = OECD_EUROSTAT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`location_features` and :func:`firm_windows` of a store's whole register, once per
    store version and definition (like :func:`~diagnostics.sections.growth.rates.store_growth`)."""
    def compute():
        register, _, _ = store_growth(store, definition)
        locations = location_features(store)
        return locations, firm_windows(register, locations, definition)

    return cached(per_store(store, "growth.windows", definition), compute)


@dataclass(frozen=True)
class Scaling:
    """How the model puts location on a common scale: the training rows' mean and standard deviation
    of the deprivation score, and their mean log10 density (residents per km²)."""

    deprivation_mean: float
    deprivation_sd: float
    density_mean: float


def design_matrix(windows: pd.DataFrame, sections: list[str], scaling: Scaling) -> tuple[np.ndarray, list[str]]:
    """The model's design matrix: intercept, age bands, log2 size, recent growth, sectors, location.

    Deprivation is in standard deviations from the country's mean; density in log10 units (a tenfold
    difference); missing location values take the country's mean.
    """
    n = len(windows)
    age = windows["age"].to_numpy(float)
    columns = [np.ones(n)]
    names = ["intercept"]
    for label, lo, hi in FIRM_AGE_BANDS[:-1]:
        columns.append(((age >= lo) & (age < hi)).astype(float))
        names.append(f"age: {label}")
    columns.append(np.log2(windows["employment"].to_numpy(float) / 10.0))
    names.append("size: log2 employees")
    columns.append(windows["recent_growth"].to_numpy(float))
    names.append("recent growth: log employment change over the last year")
    columns.append(windows["no_previous_year"].to_numpy(float))
    names.append("recent growth: no record a year earlier")
    section = pd.Categorical(windows["section"])
    codes, categories = section.codes, list(section.categories)
    for s in sections:
        if s != REFERENCE_SECTION:
            columns.append((codes == categories.index(s)).astype(float) if s in categories else np.zeros(n))
            names.append(f"sector: {s}")
    dep = windows["deprivation"].to_numpy(float)
    columns.append(np.nan_to_num((dep - scaling.deprivation_mean) / scaling.deprivation_sd, nan=0.0))
    names.append("deprivation: per standard deviation")
    dens = windows["log10_density"].to_numpy(float)
    columns.append(np.nan_to_num(dens - scaling.density_mean, nan=0.0))
    names.append("density: per tenfold")
    return np.column_stack(columns), names

