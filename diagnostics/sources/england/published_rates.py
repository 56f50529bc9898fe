"""The all-age standardised mortality rates an import computed, beside ONS's own published rates for
the same areas and year (Table 1a of "Deaths registered by area of usual residence"): the check that
the deaths and population were read, matched and standardised as ONS does.

Only areas whose code is the same today as in the table's year are compared (districts that merged
or were re-coded since are other areas now), with England and its regions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.sources.england.area_names import match_area_names
from diagnostics.sources.england.deaths import read_published_rates, sniff_deaths_table
from diagnostics.sources.england.mye import read_mid_year_estimates, sniff_mid_year_estimates

__all__ = ["agreement_with_ons", "SEX_IDS"]

#: ONS's sex label in Table 1a -> the import's all-age mortality indicator.
SEX_IDS = {"P": "all_age_mortality", "F": "all_age_mortality_female", "M": "all_age_mortality_male"}


def agreement_with_ons(store, table1a: str | Path, mid_year_estimates: str | Path) -> pd.DataFrame:
    """Computed all-age mortality (ESP2013) beside ONS's published ASMR, area by area.

    Parameters
    ----------
    store : Store
        A real England store with the ``all_age_mortality`` indicators.
    table1a : path-like
        ONS's Table 1a (CSV export) of the deaths' registration year.
    mid_year_estimates : path-like
        ONS's mid-year estimates of the same year (any sex), for the codes and names of that year's areas.

    Returns
    -------
    DataFrame
        area_code, name, layer, sex (P, F, M), computed, published (deaths per 100 000),
        difference_pct (100 (computed - published) / published), low_reliability (ONS's "u").
    """
    found = sniff_deaths_table(table1a)
    year = found.year if found else None
    estimates = sniff_mid_year_estimates(mid_year_estimates)
    names = read_mid_year_estimates(estimates, sorted(estimates.sexes)[:1]).drop_duplicates("code")
    names = names.loc[names["code"].str.match(r"^E")]
    published = read_published_rates(table1a)
    match = match_area_names(list(dict.fromkeys(published["name"])), dict(zip(names["code"], names["name"])))
    published["area_code"] = published["name"].map(match.codes)
    layers = store.areas.set_index("code")["layer"]
    published["layer"] = published["area_code"].map(layers)
    published = published.loc[published["layer"].isin(["district", "region", "country"])]
    computed = store.indicator_values(list(SEX_IDS.values()), published["area_code"].unique().tolist())
    computed = computed.loc[computed["period"] == str(year)].set_index(["indicator_id", "area_code"])["value"]
    keys = list(zip(published["sex"].map(SEX_IDS), published["area_code"]))
    published["computed"] = computed.reindex(pd.MultiIndex.from_tuples(keys)).to_numpy()
    published = published.rename(columns={"asmr": "published"}).dropna(subset=["computed", "published"])
    published["difference_pct"] = 100 * (published["computed"] - published["published"]) / published["published"]
    columns = ["area_code", "name", "layer", "sex", "computed", "published", "difference_pct", "low_reliability"]
    return published[columns].reset_index(drop=True).astype({"computed": float, "published": float, "difference_pct": np.float64})
