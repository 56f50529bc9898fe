"""Residents and deaths of the synthetic country by small area, year, sex and five-year age band.

Age structure follows an England-like pyramid tilted younger in deprived and dense small areas and
older in rural and affluent ones, and it ages slowly year on year. Deaths are Poisson-like
(binomial, so never more than the residents) draws from a Gompertz-Makeham schedule scaled by sex,
calendar year and deprivation, with infant mortality for the first band.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.conventions import AGE_BAND_STARTS, AGE_BANDS, SEXES
from diagnostics.sources.synthetic import calibration as cal
from diagnostics.sources.synthetic.model import SOURCE, VINTAGE, SyntheticGeography

__all__ = ["build_demography", "mortality_rates", "BAND_MIDPOINTS", "BAND_WIDTHS"]

#: Width of each age band in years (the last, 90+, is open; 10 is used where a width is needed).
BAND_WIDTHS = np.diff(np.r_[AGE_BAND_STARTS, 100]).astype(float)
#: Midpoint of each age band in years (93 for 90+).
BAND_MIDPOINTS = np.r_[np.asarray(AGE_BAND_STARTS[:-1]) + BAND_WIDTHS[:-1] / 2, 93.0]
#: Share of each band that is female: about even to 60, rising to 0.7 at 90+ (ONS MYE, approximate).
_FEMALE_SHARE = np.interp(BAND_MIDPOINTS, [0, 55, 65, 75, 82, 87, 93], [0.488, 0.50, 0.51, 0.53, 0.57, 0.62, 0.70])


def _tilt(geo: SyntheticGeography, rng: np.random.Generator) -> np.ndarray:
    """Per small area, how much older than the national pyramid it is (0 = national)."""
    sa = geo.small_areas
    q = sa["deprivation_quantile"].to_numpy()
    logd = np.log(sa["density"].to_numpy())
    zd = (logd - logd.mean()) / logd.std()
    return -0.75 * (q - 0.5) - 0.30 * zd + rng.normal(0, 0.22, len(q))


def build_demography(geo: SyntheticGeography, years: Sequence[int], rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Population and deaths for every small area, year, sex and age band.

    Parameters
    ----------
    geo : SyntheticGeography
        The country (small areas with deprivation_quantile, density and base_population).
    years : sequence of int
        Calendar years (mid-year populations; deaths in the calendar year).
    rng : numpy.random.Generator

    Returns
    -------
    dict of str to DataFrame
        ``population`` and ``deaths``: area_code, year, sex (F/M), age_band (:data:`AGE_BANDS`),
        population or deaths (persons), source, vintage. Columns are compact (categoricals, int32).
    """
    sa = geo.small_areas
    n, n_years = len(sa), len(years)
    years = np.asarray(years, dtype=np.int64)
    base = np.asarray(cal.AGE_BAND_SHARES, dtype=float)
    base /= base.sum()
    shape = np.clip((BAND_MIDPOINTS - 40.0) / 40.0, -1.0, 1.3)
    tilt = _tilt(geo, rng)[:, None] + 0.012 * (years - years[0])[None, :]  # (n, Y): slow ageing
    shares = base[None, None, :] * np.exp(tilt[:, :, None] * shape[None, None, :])
    shares /= shares.sum(axis=2, keepdims=True)

    logd = np.log(sa["density"].to_numpy())
    growth = cal.ANNUAL_POPULATION_GROWTH + 0.003 * (logd - logd.mean()) / logd.std() + rng.normal(0, 0.004, n)
    total = sa["base_population"].to_numpy(float)[:, None] * (1 + growth[:, None]) ** (years - years[0])[None, :]
    sex_share = np.stack([_FEMALE_SHARE, 1 - _FEMALE_SHARE])  # (2, 20) in SEXES order F, M
    persistent = np.exp(rng.normal(0, 0.08, (n, 1, 2, len(AGE_BANDS))))
    annual = np.exp(rng.normal(0, 0.02, (n, n_years, 2, len(AGE_BANDS))))
    expected = total[:, :, None, None] * shares[:, :, None, :] * sex_share[None, None] * persistent * annual
    population = np.rint(expected).astype(np.int32)

    rates = mortality_rates(sa["deprivation_quantile"].to_numpy(), years)  # (n, Y, 2, 20)
    prob = np.where(np.arange(len(AGE_BANDS)) == 0, rates, -np.expm1(-rates))
    deaths = rng.binomial(population, np.clip(prob, 0, 1)).astype(np.int32)

    index = _index(sa["code"].to_numpy(), years)
    return {
        "population": index.assign(population=population.ravel()),
        "deaths": index.assign(deaths=deaths.ravel()),
    }


def mortality_rates(deprivation_quantile: np.ndarray, years: Sequence[int]) -> np.ndarray:
    """Death rates by small area, year, sex and age band (Gompertz-Makeham with a deprivation gradient).

    Parameters
    ----------
    deprivation_quantile : ndarray
        0 = least deprived small area, 1 = most deprived.
    years : sequence of int

    Returns
    -------
    ndarray of shape (n, len(years), 2, 20)
        Deaths per person-year, except the first band (age 0), which holds the probability of dying
        before age 1 (the infant mortality rate).

    Notes
    -----
    :math:`m_s(x) = c_s + a_s e^{b_s x}` at each band's midpoint, times the calendar-year factor and
    :math:`\\exp(\\beta_s (q - 0.5) f(x))`, where :math:`f` is 1 below 65 and fades to 0.4 at 93.
    """
    q = np.asarray(deprivation_quantile, dtype=float)
    year_factor = np.array([cal.MORTALITY_YEAR_FACTOR.get(int(y), 1.0) for y in years])
    fade = np.interp(BAND_MIDPOINTS, [65, 93], [1.0, 0.4])
    out = np.empty((len(q), len(year_factor), 2, len(AGE_BANDS)))
    for s, sex in enumerate(SEXES):
        schedule = cal.MAKEHAM[sex] + cal.GOMPERTZ_A[sex] * np.exp(cal.GOMPERTZ_B[sex] * BAND_MIDPOINTS)
        schedule[0] = cal.INFANT_MORTALITY[sex]
        hr = np.exp(cal.DEPRIVATION_LOG_HAZARD_RATIO[sex] * (q[:, None] - 0.5) * fade[None, :])  # (n, 20)
        out[:, :, s, :] = schedule[None, None, :] * hr[:, None, :] * year_factor[None, :, None]
    return out


def _index(codes: np.ndarray, years: np.ndarray) -> pd.DataFrame:
    """The (area_code, year, sex, age_band) index of an (n, Y, 2, 20) array, flattened in C order."""
    n, n_years, n_bands = len(codes), len(years), len(AGE_BANDS)
    per_area = n_years * 2 * n_bands
    return pd.DataFrame(
        {
            "area_code": pd.Categorical.from_codes(np.repeat(np.arange(n, dtype=np.int32), per_area), categories=pd.Index(codes, dtype=object)),
            "year": np.tile(np.repeat(years.astype(np.int16), 2 * n_bands), n),
            "sex": pd.Categorical.from_codes(np.tile(np.repeat(np.arange(2, dtype=np.int8), n_bands), n * n_years), categories=list(SEXES)),
            "age_band": pd.Categorical.from_codes(np.tile(np.arange(n_bands, dtype=np.int8), n * n_years * 2), categories=list(AGE_BANDS)),
            "source": pd.Categorical.from_codes(np.zeros(n * per_area, dtype=np.int8), categories=[SOURCE]),
            "vintage": pd.Categorical.from_codes(np.zeros(n * per_area, dtype=np.int8), categories=[VINTAGE]),
        }
    )
