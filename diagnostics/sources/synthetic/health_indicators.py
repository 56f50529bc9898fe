"""Population, deprivation and health indicators of the synthetic country.

Counts are drawn per small area and year (binomial for prevalences, Poisson for admissions), with a
prevalence that rises with deprivation as in England and a persistent district and small-area
effect, calibrated to the national levels and district ranges in :mod:`.calibration`. Values and
intervals come from :func:`diagnostics.store.rollup.finalise_indicators`, and every other layer
gets its rows from :func:`diagnostics.store.rollup.roll_up` (sums of counts). Healthy life
expectancy is a ready-made district estimate for 3-year periods ("2020-22", year = last year).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.sources.synthetic import calibration as cal
from diagnostics.sources.synthetic.model import SOURCE, VINTAGE, SyntheticGeography
from diagnostics.store.rollup import (
    INDICATOR_COLUMNS,
    finalise_indicators,
    roll_up,
    roll_up_ancestors,
)

__all__ = ["build_health_indicators", "HEALTH_INDICATORS"]

#: The indicators this module writes (ids of data/catalogue.csv).
HEALTH_INDICATORS = (
    "population_total", "population_aged_65_plus", "working_age_share", "deprivation_score",
    "smoking_prevalence", "obesity_prevalence", "physical_inactivity", "diabetes_prevalence",
    "depression_prevalence", "emergency_admissions", "bad_health",
    "healthy_life_expectancy_female", "healthy_life_expectancy_male",
)
_SURVEYS = {
    "smoking_prevalence": cal.SMOKING_ENGLAND,
    "obesity_prevalence": cal.OBESITY_ENGLAND,
    "physical_inactivity": cal.INACTIVITY_ENGLAND,
}
_REGISTERS = {"diabetes_prevalence": (cal.DIABETES_ENGLAND, 0.6), "depression_prevalence": (cal.DEPRESSION_ENGLAND, 0.4)}
#: Layers each small area's counts are rolled up to (all of them: every lookup weight is 1).
_ROLL_UP_LAYERS = ("neighbourhood", "ward", "district", "county", "region", "country", "health_area",
                   "police_force", "ttwa", "economic_partnership", "university_catchment")


def _logit(p):
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _nearest(series: dict[int, float], year: int) -> float:
    return series[year] if year in series else series[min(series, key=lambda y: abs(y - year))]


def build_health_indicators(
    geo: SyntheticGeography,
    population: pd.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
) -> pd.DataFrame:
    """Indicator rows for every area of every layer and every year.

    Parameters
    ----------
    geo : SyntheticGeography
    population : DataFrame
        The ``population`` table from :func:`.demography.build_demography`, in its original row
        order (small area, year, sex, age band).
    years : sequence of int
    rng : numpy.random.Generator
    catalogue : DataFrame
        The indicator catalogue (value_type, multiplier per indicator_id).

    Returns
    -------
    DataFrame
        The contract's ``indicators`` columns: indicator_id, area_code, period, year, value,
        numerator, denominator, lower_ci, upper_ci, confidence, note, source, vintage. Percentages
        0-100, admissions per 100 000, life expectancies in years.
    """
    sa = geo.small_areas
    n, years = len(sa), np.asarray(years, dtype=np.int64)
    counts = population["population"].to_numpy().reshape(n, len(years), 2, -1).astype(float)
    both = counts.sum(axis=2)  # (n, Y, 20)
    total = both.sum(axis=2)
    aged65 = both[:, :, 14:].sum(axis=2)
    working = 0.8 * both[:, :, 4] + both[:, :, 5:14].sum(axis=2)
    adults18 = 0.4 * both[:, :, 4] + both[:, :, 5:].sum(axis=2)
    adults17 = 0.6 * both[:, :, 4] + both[:, :, 5:].sum(axis=2)
    q = sa["deprivation_quantile"].to_numpy()
    district, _ = pd.factorize(sa["district_code"])
    share65 = aged65[:, 0] / total[:, 0]
    older = (share65 - share65.mean()) / share65.std()

    def effects(district_sd: float, area_sd: float) -> np.ndarray:
        return rng.normal(0, district_sd, district.max() + 1)[district] + rng.normal(0, area_sd, n)

    rows: list[pd.DataFrame] = []

    def add(indicator: str, numerator, denominator, year_index=None, period=None, value=None):
        yi = np.arange(len(years)) if year_index is None else np.atleast_1d(year_index)
        shape = (n, len(yi))
        frame = pd.DataFrame(
            {
                "indicator_id": indicator,
                "area_code": np.repeat(sa["code"].to_numpy(), len(yi)),
                "year": np.tile(years[yi], n),
                "numerator": np.nan if numerator is None else np.broadcast_to(numerator, shape).ravel(),
                "denominator": np.nan if denominator is None else np.broadcast_to(denominator, shape).ravel(),
                "value": np.nan if value is None else np.broadcast_to(value, shape).ravel(),
            }
        )
        frame["period"] = frame["year"].astype(str) if period is None else period
        rows.append(frame)

    add("population_total", np.rint(total), None)
    add("population_aged_65_plus", np.rint(aged65), np.rint(total))
    add("working_age_share", np.rint(working), np.rint(total))

    # Deprivation: one index (like IMD 2019), weighted by the residents of its year.
    dep_year = int(np.argmin(np.abs(years - 2019)))
    add("deprivation_score", None, np.rint(total[:, [dep_year]]), year_index=dep_year, value=sa["deprivation_score"].to_numpy()[:, None])

    # Survey prevalences (APS, Active Lives): a small sample of adults per small area.
    for indicator, national in _SURVEYS.items():
        base = _logit(np.array([_nearest(national, y) for y in years]) / 100)
        beta = cal.PREVALENCE_DEPRIVATION_LOG_ODDS[indicator]
        # -0.07: the random effects raise the mean of a logit-normal prevalence; bring it back.
        p = _expit(base[None, :] - 0.07 + beta * (q[:, None] - 0.5) + effects(0.22, 0.2)[:, None])
        sampled = np.maximum(rng.binomial(np.rint(adults18).astype(np.int64), cal.SURVEY_SAMPLING_FRACTION), 1)
        add(indicator, rng.binomial(sampled, p), sampled)

    # GP registers (QOF): every registered adult counts; older areas have more diabetes.
    for indicator, (national, age_effect) in _REGISTERS.items():
        base = _logit(np.array([_nearest(national, y) for y in years]) / 100)
        beta = cal.PREVALENCE_DEPRIVATION_LOG_ODDS[indicator]
        adults = np.rint(adults17 if indicator == "diabetes_prevalence" else adults18).astype(np.int64)
        p = _expit(base[None, :] + beta * (q[:, None] - 0.5) + age_effect * 0.25 * older[:, None] + effects(0.15, 0.15)[:, None])
        add(indicator, rng.binomial(adults, p), adults)

    # Emergency admissions: Poisson, more where older and more deprived.
    rate = np.array([_nearest(cal.EMERGENCY_ADMISSIONS_ENGLAND, y) for y in years]) / 100_000
    mu = total * rate[None, :] * np.exp(0.9 * (q[:, None] - 0.5) + 0.12 * older[:, None] + effects(0.1, 0.1)[:, None])
    add("emergency_admissions", rng.poisson(mu), np.rint(total))

    # Bad or very bad health: a census question, so the census year only.
    census = [i for i, y in enumerate(years) if y in (2011, 2021)]
    if census:
        p = _expit(_logit(cal.BAD_HEALTH_ENGLAND[2021] / 100) - 0.05 + cal.PREVALENCE_DEPRIVATION_LOG_ODDS["bad_health"] * (q - 0.5)
                   + 0.25 * older + effects(0.1, 0.1))
        denominator = np.rint(total[:, census]).astype(np.int64)
        add("bad_health", rng.binomial(denominator, p[:, None]), denominator, year_index=census)

    small = pd.concat(rows, ignore_index=True)
    small = finalise_indicators(small.assign(source=SOURCE, vintage=VINTAGE), catalogue)
    parts = [small]
    for layer in _ROLL_UP_LAYERS:
        parent_of = pd.Series(sa[f"{layer}_code"].to_numpy(), index=sa["code"].to_numpy())
        parts.append(roll_up(small, parent_of, catalogue))
    parts.append(_healthy_life_expectancy(geo, counts, years, rng, catalogue))
    out = pd.concat(parts, ignore_index=True)
    out["period"] = out["period"].astype(str)
    return out.assign(source=SOURCE, vintage=VINTAGE)[INDICATOR_COLUMNS]


def _healthy_life_expectancy(geo, counts, years, rng, catalogue) -> pd.DataFrame:
    """Ready-made district HLE estimates for 3-year periods, rolled up to county, region and country."""
    sa = geo.small_areas
    district, d_codes = pd.factorize(sa["district_code"])
    n_d = len(d_codes)
    pop0 = sa["base_population"].to_numpy(float)
    qd = np.bincount(district, pop0 * sa["deprivation_quantile"].to_numpy(), n_d) / np.bincount(district, pop0, n_d)
    ends = [i for i, y in enumerate(years) if y - 2 >= years[0]]
    frames = []
    for s, (sex, indicator) in enumerate((("F", "healthy_life_expectancy_female"), ("M", "healthy_life_expectancy_male"))):
        persistent = rng.normal(0, 1.5, n_d)
        for i in ends:
            y = int(years[i])
            d_pop = np.bincount(district, counts[:, i, s, :].sum(axis=1), n_d)
            value = _nearest(cal.HLE_ENGLAND_BY_END_YEAR[sex], y) - 21.0 * (qd - qd.mean()) + persistent + rng.normal(0, 0.5, n_d)
            half = np.clip(cal.HLE_CI_HALF_WIDTH_MEDIAN * np.sqrt(65_000 / d_pop), 1.2, 9.0)
            frames.append(pd.DataFrame({
                "indicator_id": indicator, "area_code": d_codes, "period": f"{y - 2}-{y % 100:02d}", "year": y,
                "value": value.round(1), "numerator": np.nan, "denominator": d_pop,
                "lower_ci": (value - half).round(1), "upper_ci": (value + half).round(1), "confidence": 0.95,
                "note": "ready-made estimate",
            }))
    districts = pd.concat(frames, ignore_index=True).assign(source=SOURCE, vintage=VINTAGE)
    return pd.concat([districts, roll_up_ancestors(districts, geo.areas, catalogue)], ignore_index=True)
