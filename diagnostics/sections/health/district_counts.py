"""Deaths and populations by district (a real store, where small areas carry no age detail), and of
every area made of whole districts.

ONS publishes mid-year estimates and deaths by age for districts, not for small areas: a real
England store holds them in its ``district_population`` and ``district_deaths`` tables. The counts
of an area of another layer are the sums over the districts that lie wholly inside it (county,
combined authority, region, country, and any health or police area that is a union of districts);
an area that cuts across a district is left out rather than apportioned by a guess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from diagnostics.cache import cached, per_store
from diagnostics.conventions import AGE_BANDS, SEXES

__all__ = ["uses_district_counts", "district_arrays", "whole_district_matrix", "district_inputs"]

#: A district counts as wholly inside an area when this share of its small areas' links goes to it.
_WHOLE = 0.999


def uses_district_counts(store) -> bool:
    """Whether mortality comes from the district tables: the store has them, and no small-area deaths and population."""
    small = store.has_table("population") and store.has_table("deaths")
    return not small and store.has_table("district_population") and store.has_table("district_deaths")


def district_arrays(store) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(codes, years, population, deaths) of every district, arrays of shape (districts, years, 2, 20).

    Only the years with deaths and a population by sex are kept (consecutive years between them
    are kept too, with zero counts, so the pooling of periods stays a rolling sum). Cached per store.
    """

    def compute():
        population, deaths = store.table("district_population"), store.table("district_deaths")
        population = population.loc[population["sex"].isin(SEXES)]
        years = sorted(set(deaths["year"]) & set(population["year"]))
        codes = store.areas_in_layer("district")["code"].to_numpy()
        if not years:
            empty = np.zeros((len(codes), 0, 2, len(AGE_BANDS)))
            return codes, np.array([], dtype=int), empty, empty.copy()
        span = np.arange(years[0], years[-1] + 1)
        index = pd.MultiIndex.from_product([codes, span, SEXES, AGE_BANDS], names=["area_code", "year", "sex", "age_band"])
        shape = (len(codes), len(span), 2, len(AGE_BANDS))

        def cube(table: pd.DataFrame, column: str) -> np.ndarray:
            keep = table["year"].isin(years)
            summed = table.loc[keep].groupby(["area_code", "year", "sex", "age_band"])[column].sum()
            return summed.reindex(index, fill_value=0).to_numpy(float).reshape(shape)

        return codes, span, cube(population, "population"), cube(deaths, "deaths")

    return cached(per_store(store, "district_arrays"), compute)


def whole_district_matrix(store, layer: str, district_codes) -> tuple[sparse.csr_matrix, np.ndarray]:
    """A 0/1 (areas of ``layer``) x (districts) matrix of the areas made of whole districts.

    Returns
    -------
    (matrix, codes)
        ``codes`` are the areas of ``layer`` that are unions of whole districts; an area that cuts
        across any district is not among them.
    """
    lookups = store.lookups
    to_district = lookups.loc[lookups["layer"] == "district", ["small_area_code", "area_code", "weight"]]
    to_layer = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]]
    if to_district.empty or to_layer.empty:
        return sparse.csr_matrix((0, len(district_codes))), np.array([], dtype=object)
    pairs = to_district.merge(to_layer, on="small_area_code", suffixes=("_district", "_area"))
    pairs["link"] = pairs["weight_district"] * pairs["weight_area"]
    share = pairs.groupby(["area_code_district", "area_code_area"])["link"].sum()
    share = share / share.groupby(level=0).transform("sum")
    partial = set(share.loc[share < _WHOLE].index.get_level_values(1))
    whole = share.loc[share >= _WHOLE].reset_index()
    whole = whole.loc[~whole["area_code_area"].isin(partial)]
    codes = np.array(sorted(whole["area_code_area"].unique()), dtype=object)
    rows = pd.Index(codes).get_indexer(whole["area_code_area"])
    cols = pd.Index(district_codes).get_indexer(whole["area_code_district"])
    keep = cols >= 0
    matrix = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(len(codes), len(district_codes)))
    return matrix, codes


def district_inputs(store) -> str:
    """The inputs of mortality computed from the district tables, with their vintage, for people.

    Names the sources of both tables and the years used (those with deaths and a population by sex).
    """
    population, deaths = store.table("district_population"), store.table("district_deaths")
    years = sorted(set(deaths["year"]) & set(population.loc[population["sex"].isin(SEXES), "year"]))
    span = ", ".join(str(y) for y in years) or "none"
    death_source = "; ".join(sorted(deaths["source"].astype(str).unique()))
    pop_source = "; ".join(sorted(population["source"].astype(str).unique()))
    return (f"Computed: deaths registered in {span} ({death_source}) and mid-{span} population estimates ({pop_source}), "
            "by district, sex and age band, on current district codes; larger areas sum their whole districts")


def still_missing(store) -> list[str]:
    """What the health section cannot compute from district counts, each with the dataset that would give it."""
    deaths = store.table("district_deaths")
    years = sorted(set(deaths["year"]))
    shown = ", ".join(str(y) for y in years)
    out = []
    if len(years) < 3:
        out.append(f"3-year pooled periods and recent trends (deaths of {shown} only: ONS's deaths registered by area, "
                   "by age and sex, for more years, e.g. from Nomis, would give them)")
    out.append("mortality by small area and by deprivation group within a place (deaths by LSOA and age are not "
               "published openly; OHID's Fingertips inequality figures stand in where imported)")
    out.append("areas that cut across a district, such as some health areas (their deaths by age are not published)")
    return out
