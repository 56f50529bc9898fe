"""Health: funnel plots' data, every area of a layer against the country with Fingertips' control limits
(PHEindicatormethods: Wilson score limits for proportions, exact Poisson limits for rates and ratios).

Under-75 mortality is drawn as an indirectly standardised ratio (observed / expected x 100)
against expected deaths (:func:`under75_smr`), since a directly standardised rate has no single
denominator; the other indicators as the rates or proportions of their numerators and denominators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.sections.health.analysis import health_catalogue, layer_comparison
from diagnostics.sections.health.mortality import (
    POOL_YEARS,
    UNDER_75,
    layer_counts,
    mortality_unavailable_reason,
    period_labels,
)
from diagnostics.stats import funnel_limits, funnel_significance, isr

__all__ = ["FUNNEL_INDICATORS", "FunnelData", "under75_smr", "funnel_data"]

#: Indicators drawn as funnel plots, in page order (the ones with counts behind them).
FUNNEL_INDICATORS: tuple[str, ...] = ("under75_mortality", "emergency_admissions", "smoking_prevalence",
                                      "obesity_prevalence")


def under75_smr(store, layer: str) -> pd.DataFrame:
    """Under-75 deaths of every area of a layer against the country's age-specific rates (latest 3 years).

    Returns
    -------
    DataFrame
        area_code, period, observed, expected (deaths under 75 at the country's rates by band and
        sex), value (indirectly standardised ratio x 100), lower_ci, upper_ci (95%, Byar), note.
        The natural scale for a funnel plot of standardised mortality (expected deaths on x).
    """
    def compute():
        counts = layer_counts(store, layer)
        country = layer_counts(store, "country")
        pool = min(POOL_YEARS, len(counts.years))
        d = counts.deaths[:, -pool:, :, :UNDER_75].sum(axis=1).reshape(len(counts.codes), -1)
        p = counts.population[:, -pool:, :, :UNDER_75].sum(axis=1).reshape(len(counts.codes), -1)
        cd = country.deaths[:, -pool:, :, :UNDER_75].sum(axis=(0, 1)).ravel()
        cp = country.population[:, -pool:, :, :UNDER_75].sum(axis=(0, 1)).ravel()
        rates = np.where(cp > 0, cd / np.where(cp > 0, cp, 1), 0.0)
        out = isr(d.sum(axis=1), p, rates, multiplier=100)
        out.insert(0, "area_code", counts.codes)
        out.insert(1, "period", period_labels(counts.years[-pool:], pool)[0])
        return out[["area_code", "period", "observed", "expected", "value", "lower_ci", "upper_ci", "note"]]

    return cached(per_store(store, "under75_smr", layer, disk=TABLE), compute)


@dataclass(frozen=True, eq=False)
class FunnelData:
    """What a funnel plot of one indicator across the areas of a layer needs.

    Attributes
    ----------
    points : DataFrame
        One row per area: code, name, numerator, denominator, value, significance (a label of
        :func:`diagnostics.stats.funnel_significance` at 95% and 99.8%).
    limits : DataFrame
        :func:`diagnostics.stats.funnel_limits` on a grid of 200 denominators.
    benchmark : float
        The country's value (100 for a standardised ratio).
    kind : str
        "proportion", "rate" or "ratio".
    multiplier : float
        Of the values (100 for a percentage, 100 000 for a rate per 100 000).
    name, unit : str
        The indicator's name and unit.
    x_label, y_label : str
        The axes' titles.
    polarity : str
        "higher_is_better", "lower_is_better" or "neutral".
    period : str
        The period shown.
    """

    points: pd.DataFrame
    limits: pd.DataFrame
    benchmark: float
    kind: str
    multiplier: float
    name: str
    unit: str
    x_label: str
    y_label: str
    polarity: str
    period: str


def funnel_data(store, layer: str, indicator_id: str) -> FunnelData | None:
    """What a funnel plot of one indicator across the areas of a layer needs, or None if it cannot be drawn.

    Parameters
    ----------
    store : Store
    layer : str
        The areas plotted (those of the place's layer).
    indicator_id : str
        One of :data:`FUNNEL_INDICATORS`, or any store indicator with numerators and denominators.

    Returns
    -------
    FunnelData or None
        None when the store has no counts for the indicator in this layer, the indicator is not a
        proportion or a rate, or fewer than 3 areas have counts. Cached per store version.
    """
    return cached(per_store(store, "funnel_data", layer, indicator_id), lambda: _funnel_data(store, layer, indicator_id))


def _funnel_data(store, layer: str, indicator_id: str) -> FunnelData | None:
    names = store.areas_in_layer(layer).set_index("code")["name"]
    catalogue = health_catalogue(store)
    if indicator_id == "under75_mortality":
        if mortality_unavailable_reason(store) is not None:
            return None
        smr = under75_smr(store, layer)
        smr = smr.loc[smr["area_code"].isin(names.index) & (smr["expected"] > 0)]
        numerators, denominators = smr["observed"].to_numpy(float), smr["expected"].to_numpy(float)
        kind, multiplier, benchmark = "ratio", 100.0, 100.0
        codes, period = smr["area_code"].to_numpy(), smr["period"].iloc[0] if len(smr) else ""
        name, unit = "Under-75 mortality, all causes (standardised ratio)", "country = 100"
        x_label, y_label = "Expected deaths under 75 (at the country's rates)", "Standardised mortality ratio (country = 100)"
    else:
        if indicator_id not in catalogue.index:
            return None
        meta = catalogue.loc[indicator_id]
        rows = layer_comparison(store, layer)
        rows = rows.loc[(rows["indicator_id"] == indicator_id) & rows["area_code"].isin(names.index)]
        rows = rows.dropna(subset=["numerator", "denominator", "country_value"])
        rows = rows.loc[rows["denominator"] > 0]
        if rows.empty or meta["value_type"] not in ("proportion", "rate"):
            return None
        kind, multiplier = str(meta["value_type"]), float(meta["multiplier"])
        benchmark = float(rows["country_value"].iloc[0])
        numerators, denominators = rows["numerator"].to_numpy(float), rows["denominator"].to_numpy(float)
        codes, period = rows["area_code"].to_numpy(), rows["period"].iloc[0]
        name, unit = str(meta["name"]), str(meta["unit"])
        found = re.search(r"[Dd]enominator: ([^;.]+)", str(meta["method"]))
        x_label = f"Denominator: {found.group(1).strip()}" if found else "Denominator"
        y_label = f"{meta['short_name']} ({unit})"
    if len(codes) < 3:
        return None
    significance = funnel_significance(numerators, denominators, benchmark=benchmark, kind=kind, multiplier=multiplier)
    grid = np.linspace(max(denominators.min() * 0.5, 1.0), denominators.max() * 1.08, 200)
    return FunnelData(
        points=pd.DataFrame({"code": codes, "name": names.reindex(codes).to_numpy(), "numerator": numerators,
                             "denominator": denominators, "value": numerators / denominators * multiplier,
                             "significance": significance}),
        limits=funnel_limits(grid, benchmark, kind=kind, multiplier=multiplier),
        benchmark=benchmark, kind=kind, multiplier=multiplier, name=name, unit=unit,
        x_label=x_label, y_label=y_label, period=str(period),
        polarity="lower_is_better" if indicator_id == "under75_mortality" else str(catalogue.loc[indicator_id, "polarity"]),
    )
