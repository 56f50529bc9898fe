"""The economy's headline indicators: which measures a store holds, and their history for trend charts.

The headline figures themselves (value, interval, region, country, comparators, rank, trend) are a
benchmark table (:func:`diagnostics.compare.benchmark.benchmark_table`) of :func:`economy_indicator_ids`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from diagnostics.compare.benchmark import ancestor_of_layer
from diagnostics.store.places import Place, resolve_place

__all__ = ["ECONOMY_INDICATORS", "HEADLINE_ORDER", "economy_indicator_ids", "country_of", "indicator_history"]

#: The economy section's headline indicators (catalogue domain "economy"), in page order.
ECONOMY_INDICATORS: tuple[str, ...] = (
    "gva_per_head",
    "gva_per_job",
    "employment_rate",
    "claimant_rate",
    "median_weekly_pay",
    "qualifications_level3_plus",
    "business_density",
    "business_birth_rate",
    "business_death_rate",
    "business_survival_3yr",
)

#: Page order of every headline economy measure a store may hold: the synthetic store's ids and the
#: ready-made ones of real England (data/england_catalogue.csv); others follow in catalogue order.
HEADLINE_ORDER: tuple[str, ...] = (
    "gva_per_head", "gdp_per_head", "gva_per_hour", "gva_per_job", "gdhi_per_head", "employment_rate",
    "economic_inactivity_rate", "unemployment_rate", "claimant_rate", "median_weekly_pay",
    "qualifications_level3_plus", "business_density", "business_birth_rate", "business_death_rate",
    "business_survival_3yr",
)


def economy_indicator_ids(store) -> tuple[str, ...]:
    """The headline economy measures this store holds values of, in page order.

    The catalogue's ``economy``-domain indicators with at least one value, ordered by
    :data:`HEADLINE_ORDER` then the catalogue. Counts (``value_type == "count"``, such as the number
    of active enterprises) are left out: a count says more about an area's size than its economy
    and cannot be set against the country's.
    """
    catalogue = store.catalogue
    present = store.indicator_ids
    chosen = [i for i in catalogue.index
              if catalogue.loc[i, "domain"] == "economy" and i in present and catalogue.loc[i, "value_type"] != "count"]
    return tuple([i for i in HEADLINE_ORDER if i in chosen] + [i for i in chosen if i not in HEADLINE_ORDER])


def country_of(store, place: str | Place) -> str | None:
    """The code of the country containing the place (None for the country itself or an orphan)."""
    place = resolve_place(place, store)
    return ancestor_of_layer(store, place.code, "country")


def indicator_history(store, place: str | Place, indicator_ids: Sequence[str] = ECONOMY_INDICATORS) -> pd.DataFrame:
    """Every period of some indicators for the place, its region and its country (for trend charts).

    Returns
    -------
    DataFrame
        indicator_id, role ("place", "region" or "country"), area_code, year, period, value,
        lower_ci, upper_ci (95% where the indicator is an estimate, else NaN), source; sorted by
        indicator, role and year.
    """
    place = resolve_place(place, store)
    roles = {place.code: "place"}
    for layer in ("region", "country"):
        code = ancestor_of_layer(store, place.code, layer)
        if code is not None:
            roles[code] = layer
    rows = store.indicator_values(list(indicator_ids), list(roles))
    columns = ["indicator_id", "role", "area_code", "year", "period", "value", "lower_ci", "upper_ci", "source"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(role=rows["area_code"].map(roles)).dropna(subset=["value"])
    order = {"place": 0, "region": 1, "country": 2}
    rows = rows.assign(_o=rows["role"].map(order)).sort_values(["indicator_id", "_o", "year"])
    return rows[columns].reset_index(drop=True)
