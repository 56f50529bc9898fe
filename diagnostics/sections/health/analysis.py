"""Health: every health measure of every area of a layer against the country, and the place among them.

The section's analysis, one module per job:

- :mod:`~diagnostics.sections.health.mortality`: life expectancy and under-75 mortality of every
  area of a layer, from deaths and populations (3-year pooled, as ONS and OHID publish them);
- :mod:`~diagnostics.sections.health.inequality`: the same by deprivation decile within a place (SII);
- here: which measures the store holds (:func:`health_catalogue`), every area of a layer against
  the country (:func:`layer_comparison`), the place among its comparators (:func:`similar_places`)
  and the health areas it overlaps (:func:`health_area_comparison`);
- :mod:`~diagnostics.sections.health.headline`: the place against its region, country and
  comparators, with ready-made equivalents on a real store;
- :mod:`~diagnostics.sections.health.funnels`: the funnel plots' data;
- :mod:`~diagnostics.sections.health.deprivation`: the place's deprivation profile (IMD summaries).

Every function is a plain function from the store (and a place) to a tidy DataFrame or a small
frozen dataclass. The sentences are in :mod:`~diagnostics.sections.health.narrative`, the views in
:mod:`~diagnostics.sections.health.page`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.compare.benchmark import ancestor_of_layer
from diagnostics.geography.overlaps import overlap_table
from diagnostics.sections.health.mortality import (
    MEASURES,
    methods_for,
    mortality_measures,
    mortality_unavailable_reason,
    pool_years,
)
from diagnostics.stats import compare_to_benchmark, spine_statistics
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "prevalence_indicator_ids",
    "health_catalogue",
    "layer_comparison",
    "similar_places",
    "health_area_overlaps",
    "health_area_comparison",
    "spine_table",
]

# --------------------------------------------------------------------------------------------------
# What the store holds
# --------------------------------------------------------------------------------------------------

def prevalence_indicator_ids(store) -> list[str]:
    """The store's health-domain indicators (catalogue domain "health") that have values, catalogue order."""
    catalogue = store.catalogue
    ids = [i for i in catalogue.index[catalogue["domain"] == "health"]]
    present = store.indicator_ids
    return [i for i in ids if i in present]


def health_catalogue(store) -> pd.DataFrame:
    """Catalogue rows of every health measure shown: the computed ones, then the store's health indicators.

    Returns
    -------
    DataFrame
        Indexed by indicator_id: name, short_name, unit, value_type, polarity, decimals, multiplier,
        computed (bool: computed here from deaths and population), method.
    """
    computed = pd.DataFrame.from_dict(MEASURES, orient="index")
    computed["computed"] = True
    le_method, dsr_method = methods_for(pool_years(store))
    computed["method"] = [(dsr_method if m["value_type"] == "dsr" else le_method) for m in MEASURES.values()]
    columns = ["name", "short_name", "unit", "value_type", "polarity", "decimals", "multiplier", "method"]
    stored = store.catalogue.loc[prevalence_indicator_ids(store), columns].copy()
    stored["computed"] = False
    out = pd.concat([computed[columns + ["computed"]], stored])
    out.index.name = "indicator_id"
    return out

# --------------------------------------------------------------------------------------------------
# Every area of a layer against the country: spine charts and funnel plots
# --------------------------------------------------------------------------------------------------


def _latest_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's rows for its latest period with any value."""
    latest = rows.dropna(subset=["value"]).groupby("indicator_id")["year"].max().rename("latest")
    merged = rows.merge(latest, left_on="indicator_id", right_index=True)
    return merged.loc[merged["year"] == merged["latest"]].drop(columns="latest")


def layer_comparison(store, layer: str) -> pd.DataFrame:
    """Every health measure for every area of a layer, latest period, against the country.

    Returns
    -------
    DataFrame
        One row per indicator and area: indicator_id, area_code, period, year, value, lower_ci,
        upper_ci, numerator, denominator, note, country_value, vs_country (Fingertips' label at 95%),
        polarity. Computed measures come from :func:`mortality_measures`, the others from the store's
        indicators. Cached per store version.
    """

    def compute():
        catalogue = health_catalogue(store)
        country = store.areas_in_layer("country")["code"]
        frames = []
        if mortality_unavailable_reason(store) is None:
            for lay in (layer, "country"):
                m = mortality_measures(store, lay)
                frames.append(m.loc[m["area_code"].isin(store.areas_in_layer(lay)["code"])])
        ids = [i for i in catalogue.index if not catalogue.loc[i, "computed"]]
        codes = list(store.areas_in_layer(layer)["code"]) + list(country)
        stored = store.indicator_values(ids, codes)
        frames.append(stored.drop(columns=["source", "vintage", "confidence"], errors="ignore"))
        rows = pd.concat(frames, ignore_index=True)
        rows = _latest_rows(rows)
        bench = rows.loc[rows["area_code"].isin(country)].drop_duplicates(["indicator_id", "year"])
        bench = bench.set_index(["indicator_id", "year"])["value"]
        out = rows.loc[~rows["area_code"].isin(country) | (layer == "country")].copy()
        out["country_value"] = bench.reindex(pd.MultiIndex.from_frame(out[["indicator_id", "year"]])).to_numpy()
        out["polarity"] = out["indicator_id"].map(catalogue["polarity"]).fillna("neutral")
        out["vs_country"] = compare_to_benchmark(
            out["value"].to_numpy(float), out["lower_ci"].to_numpy(float), out["upper_ci"].to_numpy(float),
            out["country_value"].to_numpy(float), out["polarity"].to_numpy(object),
        )
        keep = ["indicator_id", "area_code", "period", "year", "value", "lower_ci", "upper_ci", "numerator",
                "denominator", "note", "country_value", "vs_country", "polarity"]
        return out[keep].reset_index(drop=True)

    return cached(per_store(store, "layer_comparison", layer, disk=TABLE), compute)


# --------------------------------------------------------------------------------------------------
# The place among its comparators, and across boundaries: the health areas it overlaps
# --------------------------------------------------------------------------------------------------


def health_area_overlaps(store, place: str | Place, layer: str = "health_area") -> pd.DataFrame:
    """The health areas a place overlaps, with the shares of residents they hold in common.

    A thin selection from :func:`diagnostics.geography.lookups.overlap_table` (residents of the latest
    year, through the lookups' weights).

    Returns
    -------
    DataFrame
        area_code, area_name, place_share (share of the place's residents living in the area),
        area_share (share of the area's residents living in the place), largest place_share first.
    """
    place = resolve_place(place, store)
    table = overlap_table(store, place, layers=[layer])
    table = table.loc[(table["layer"] == layer) & (table["place_share"] > 0)]
    return table[["area_code", "area_name", "place_share", "area_share"]].sort_values(
        "place_share", ascending=False).reset_index(drop=True)


def similar_places(store, place: str | Place, comparators) -> pd.DataFrame:
    """The place and its comparators on every health measure (latest period), against the country.

    Returns
    -------
    DataFrame
        One row per indicator and area (the place first, then the comparators in the given order):
        indicator_id, area_code, area_name, is_place, period, value, lower_ci, upper_ci,
        country_value, vs_country, rank_among (1 = best of the place and its comparators, by polarity), n_among.
    """
    place = resolve_place(place, store)
    order = [place.code, *[c for c in comparators if c != place.code]]
    rows = layer_comparison(store, place.layer)
    rows = rows.loc[rows["area_code"].isin(order)].copy()
    rows["area_name"] = rows["area_code"].map(store.name_of)
    rows["is_place"] = rows["area_code"] == place.code
    rows["rank_among"] = np.nan
    rows["n_among"] = np.nan
    for _indicator_id, part in rows.groupby("indicator_id"):
        ascending = part["polarity"].iloc[0] == "lower_is_better"
        rows.loc[part.index, "rank_among"] = part["value"].rank(ascending=ascending, method="min")
        rows.loc[part.index, "n_among"] = part["value"].notna().sum()
    rows["_order"] = rows["area_code"].map({c: i for i, c in enumerate(order)})
    rows = rows.sort_values(["indicator_id", "_order"])
    return rows[["indicator_id", "area_code", "area_name", "is_place", "period", "value", "lower_ci", "upper_ci",
                 "country_value", "vs_country", "rank_among", "n_among"]].reset_index(drop=True)


def health_area_comparison(store, place: str | Place, layer: str = "health_area") -> pd.DataFrame:
    """The headline health measures of each health area the place overlaps, against the country.

    Returns
    -------
    DataFrame
        One row per health area and indicator: area_code, area_name, place_share, area_share (see
        :func:`health_area_overlaps`), then indicator_id, period, value, lower_ci, upper_ci,
        country_value, vs_country, note. Empty when the store has no such layer.
    """
    place = resolve_place(place, store)
    if layer not in store.layers or layer not in store.lookup_layers:
        return pd.DataFrame()
    overlaps = health_area_overlaps(store, place, layer)
    if overlaps.empty:
        return pd.DataFrame()
    rows = layer_comparison(store, layer)
    rows = rows.loc[rows["area_code"].isin(overlaps["area_code"])]
    out = overlaps.merge(rows, on="area_code", how="left")
    return out[["area_code", "area_name", "place_share", "area_share", "indicator_id", "period", "value", "lower_ci",
                "upper_ci", "country_value", "vs_country", "note"]]


def spine_table(store, place: str | Place) -> pd.DataFrame:
    """One row per health measure: the place, its region and country, and the range of its layer's areas.

    Returns
    -------
    DataFrame
        indicator_id, indicator (name), unit, decimals, polarity, period, value, region_value,
        country_value, comparison (the place against the country, 95%), worst, q25, median, q75,
        best (of all areas of the place's layer, oriented by polarity:
        :func:`diagnostics.stats.spine_statistics`), n_areas. Latest period of each.
    """
    place = resolve_place(place, store)
    catalogue = health_catalogue(store)
    rows = layer_comparison(store, place.layer)
    region = ancestor_of_layer(store, place.code, "region")
    region_rows = layer_comparison(store, "region") if region else None
    records = []
    for indicator_id, meta in catalogue.iterrows():
        part = rows.loc[rows["indicator_id"] == indicator_id]
        if part.empty:
            continue
        own = part.loc[part["area_code"] == place.code]
        region_value = np.nan
        if region_rows is not None:
            r = region_rows.loc[(region_rows["indicator_id"] == indicator_id) & (region_rows["area_code"] == region)
                                & (region_rows["year"] == part["year"].iloc[0])]
            region_value = float(r["value"].iloc[0]) if len(r) else np.nan
        records.append(
            {
                "indicator_id": indicator_id, "indicator": meta["name"], "unit": meta["unit"],
                "decimals": int(meta["decimals"]), "polarity": meta["polarity"], "period": part["period"].iloc[0],
                "value": float(own["value"].iloc[0]) if len(own) else np.nan,
                "region_value": region_value,
                "country_value": float(part["country_value"].iloc[0]),
                "comparison": str(own["vs_country"].iloc[0]) if len(own) else "not compared",
                **spine_statistics(part["value"], meta["polarity"]),
                "n_areas": int(part["value"].notna().sum()),
            }
        )
    return pd.DataFrame.from_records(records)
