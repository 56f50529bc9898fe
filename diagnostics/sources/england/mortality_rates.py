"""All-age mortality rates of every district (and every area made of whole districts), directly
standardised to the European Standard Population 2013, computed at import from the district deaths
and population tables: the measure ONS publishes as its age-standardised mortality rate (ASMR), so
that the import can be checked against ONS's own figures (``benchmarks/bench_england_health.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.conventions import AGE_BANDS, SEXES
from diagnostics.stats import ESP2013, dsr

__all__ = ["ALL_AGE_IDS", "all_age_rates", "all_age_catalogue"]

#: Indicator id -> the sexes summed ("F", "M", or both for persons).
ALL_AGE_IDS: dict[str, tuple[str, ...]] = {
    "all_age_mortality": SEXES,
    "all_age_mortality_female": ("F",),
    "all_age_mortality_male": ("M",),
}
_METHOD = ("Computed: directly standardised rate per 100,000, European Standard Population 2013 in 20 bands "
           "(0, 1-4, 5-9, ..., 85-89, 90+), Dobson's 95% interval, from ONS deaths registered in the year by "
           "district, sex and age band and ONS's mid-year estimates of the same year; single year; larger areas "
           "sum their whole districts' counts.")


def all_age_catalogue(source: str, vintage: str) -> pd.DataFrame:
    """Catalogue rows of :data:`ALL_AGE_IDS`."""
    rows = []
    for ident, sexes in ALL_AGE_IDS.items():
        who = "persons" if len(sexes) == 2 else ("females" if sexes == ("F",) else "males")
        rows.append({
            "indicator_id": ident, "name": f"Mortality rate from all causes, all ages ({who}, directly standardised)",
            "short_name": f"All-age mortality ({who})", "domain": "health", "unit": "per 100 000",
            "value_type": "dsr", "multiplier": 100_000.0, "polarity": "lower_is_better", "decimals": 0,
            "description": f"Deaths from all causes at all ages per 100,000 {who}, age-standardised (ESP2013), as ONS's ASMR.",
            "method": _METHOD, "source": source, "vintage": vintage,
        })
    return pd.DataFrame(rows)


def all_age_rates(population: pd.DataFrame, deaths: pd.DataFrame, parents: pd.Series | None = None) -> pd.DataFrame:
    """All-age directly standardised mortality rates (ESP2013) by area and year, persons and by sex.

    Parameters
    ----------
    population, deaths : DataFrame
        The ``district_population`` and ``district_deaths`` tables (area_code, year, sex, age_band,
        population / deaths); only years with both, and population rows by sex, are used.
    parents : Series, optional
        District code -> the code of an area made of whole districts containing it (the index may
        repeat: one entry per containing area). Their rates are computed from summed counts.

    Returns
    -------
    DataFrame
        indicator_id (:data:`ALL_AGE_IDS`), area_code, period, year, value (per 100 000),
        lower_ci, upper_ci (95%, Dobson), confidence, numerator (deaths), denominator (population),
        note (why a rate is withheld: fewer than 10 deaths).
    """
    population = population.loc[population["sex"].isin(SEXES)]
    keys = ["area_code", "year", "sex", "age_band"]
    counts = population.groupby(keys)["population"].sum().to_frame().join(deaths.groupby(keys)["deaths"].sum(), how="inner")
    counts = counts.reset_index()
    if parents is not None and len(parents):
        links = parents.rename("parent").rename_axis("area_code").reset_index()
        up = counts.merge(links, on="area_code").drop(columns="area_code").rename(columns={"parent": "area_code"})
        counts = pd.concat([counts, up.groupby(keys, as_index=False)[["population", "deaths"]].sum()], ignore_index=True)
    frames = []
    for ident, sexes in ALL_AGE_IDS.items():
        part = counts.loc[counts["sex"].isin(sexes)].groupby(["area_code", "year", "age_band"])[["population", "deaths"]].sum()
        grid = part.unstack("age_band").reindex(columns=pd.MultiIndex.from_product([["population", "deaths"], AGE_BANDS]))
        grid = grid.fillna(0.0)
        pop, dead = grid["population"].to_numpy(float), grid["deaths"].to_numpy(float)
        empty = (pop <= 0).any(axis=1)
        rates = dsr(dead, np.where(pop > 0, pop, 1.0), standard_population=ESP2013)
        note = np.where(empty, "not calculated: an age band has no population", rates["note"].to_numpy(dtype=object))
        frames.append(pd.DataFrame({
            "indicator_id": ident, "area_code": grid.index.get_level_values(0), "year": grid.index.get_level_values(1),
            "period": grid.index.get_level_values(1).astype(str),
            "value": np.where(empty, np.nan, rates["value"]), "lower_ci": np.where(empty, np.nan, rates["lower_ci"]),
            "upper_ci": np.where(empty, np.nan, rates["upper_ci"]), "confidence": 0.95,
            "numerator": dead.sum(axis=1), "denominator": pop.sum(axis=1), "note": note,
        }))
    out = pd.concat(frames, ignore_index=True)
    out["note"] = out["note"].where(out["note"].notna(), None)
    return out
