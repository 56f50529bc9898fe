"""The synthetic country's economy: jobs and GVA by industry, and the economy-domain indicators.

Districts get an industrial structure tilted by how urban they are (urban: information,
finance, professional and administrative services; rural: agriculture and manufacturing), a few
unusual specialisations (location quotients above 2), sector growth that differs nationally and
locally (so a shift-share decomposition has work to do), and productivity that differs by sector
and by district. Labour-market indicators follow deprivation as they do in England; every level
and spread is calibrated in :mod:`.calibration_economy`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from diagnostics.conventions import AGE_BANDS, SIC_SECTIONS
from diagnostics.sources.synthetic import calibration_economy as cal
from diagnostics.sources.synthetic.model import SOURCE, VINTAGE, SyntheticGeography
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.rollup import (
    INDICATOR_COLUMNS,
    finalise_indicators,
    roll_up_ancestors,
)

__all__ = ["build_economy", "business_rates", "district_residents", "ECONOMY_INDICATORS"]

#: The economy-domain indicator ids this module writes (as in ``data/catalogue.csv``).
ECONOMY_INDICATORS = (
    "gva_per_head", "gva_per_job", "employment_rate", "claimant_rate", "qualifications_level3_plus",
    "median_weekly_pay", "business_density", "business_birth_rate", "business_death_rate",
    "business_survival_3yr",
)

_SECTIONS = np.array(SIC_SECTIONS)
#: Log-share tilt of each section per standard deviation of urban share (positive: urban-heavy).
_URBAN_TILT = {
    "A": -0.9, "B": -0.3, "C": -0.25, "D": -0.1, "E": -0.1, "F": -0.05, "G": -0.05, "I": 0.05,
    "J": 0.35, "K": 0.35, "L": 0.1, "M": 0.3, "N": 0.2, "R": 0.1,
}
#: Sections a district may specialise in (location quotient well above 2).
_SPECIALISMS = np.array(list("ABCDHIJKMNR"))
_SPECIALISM_PROBABILITY = 0.35
#: Share of resident employees among employed residents (the rest self-employed).
_EMPLOYEE_SHARE = 0.86


def _band_weights(lower_age: int) -> pd.Series:
    """Weight of each age band in 'residents aged ``lower_age``-64' (15-19 counts 4/5 for 16)."""
    weights = {}
    for band in AGE_BANDS:
        start = int(band.rstrip("+").split("-")[0])
        weights[band] = 1.0 if lower_age <= start <= 60 else 0.0
    if lower_age == 16:
        weights["15-19"] = 0.8
    return pd.Series(weights)


def district_residents(geo: SyntheticGeography, population: pd.DataFrame) -> pd.DataFrame:
    """Residents of each district and year: all ages, aged 16+ and aged 16-64.

    Parameters
    ----------
    geo : SyntheticGeography
    population : DataFrame
        The contract's ``population`` table for small areas (or districts).

    Returns
    -------
    DataFrame
        Indexed by (district_code, year): ``residents``, ``adults`` (16+; 4/5 of the 15-19 band) and
        ``working_age`` (16-64: bands 20-24 to 60-64 plus 4/5 of 15-19), all in persons.
    """
    sa = geo.small_areas
    to_district = pd.Series(sa["district_code"].to_numpy(), index=sa["code"].to_numpy())
    district_codes = geo.districts["code"].to_numpy()
    to_district = pd.concat([to_district, pd.Series(district_codes, index=district_codes)])  # district-level tables
    area_index, areas = pd.factorize(population["area_code"])
    band_index, bands = pd.factorize(population["age_band"])
    year_index, years = pd.factorize(population["year"])
    district_index, districts = pd.factorize(to_district.reindex(areas).to_numpy())
    starts = np.array([int(str(b).rstrip("+").split("-")[0]) for b in bands])
    adult = np.where(starts >= 20, 1.0, np.where(starts == 15, 0.8, 0.0))
    working = _band_weights(16).reindex(bands).fillna(0.0).to_numpy(float)
    group = district_index[area_index] * len(years) + year_index
    valid = district_index[area_index] >= 0
    pop = population["population"].to_numpy(float)
    size = len(districts) * len(years)

    def total(weight) -> np.ndarray:
        return np.bincount(group[valid], weights=(pop * weight)[valid], minlength=size)

    index = pd.MultiIndex.from_product([districts, np.asarray(years, int)], names=["district_code", "year"])
    frame = pd.DataFrame({"residents": total(1.0), "adults": total(adult[band_index]),
                          "working_age": total(working[band_index])}, index=index)
    return frame.sort_index()


def _z(values) -> np.ndarray:
    values = np.asarray(values, float)
    sd = values.std()
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values)


def _profile(geo: SyntheticGeography) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """District codes, urban z-scores and deprivation z-scores (in ``geo.districts`` order)."""
    d = geo.districts
    return d["code"].to_numpy(str), _z(d["urban_share"]), _z(d["deprivation_score"])


def _by_year(table: dict[int, float], years: Sequence[int]) -> np.ndarray:
    keys = np.array(sorted(table))
    return np.array([table[int(np.clip(y, keys[0], keys[-1]))] for y in years])


def business_rates(geo: SyntheticGeography, years: Sequence[int]) -> pd.DataFrame:
    """Expected business demography of each district and year (deterministic: no random draws).

    Shared by the economy indicators and the firm register so that the two agree.

    Parameters
    ----------
    geo : SyntheticGeography
    years : sequence of int

    Returns
    -------
    DataFrame
        One row per district and year: ``district_code``, ``year``, ``enterprises_per_resident``,
        ``birth_rate`` and ``death_rate`` (per active enterprise a year, fractions) and
        ``survival_3yr`` (fraction of a year's births active three years later).
    """
    codes, urban, dep = _profile(geo)
    density = np.exp(-0.15 * dep - 0.05 * urban)
    birth = np.exp(0.10 * urban + 0.04 * dep)
    death = np.exp(0.06 * urban + 0.07 * dep)
    survival = expit(logit(cal.SURVIVAL_ENGLAND[2]) - 0.12 * dep - 0.05 * urban)
    years = np.asarray(years, int)
    n, t = len(codes), len(years)
    return pd.DataFrame({
        "district_code": np.repeat(codes, t),
        "year": np.tile(years, n),
        "enterprises_per_resident": np.repeat(cal.ENTERPRISES_PER_RESIDENT * density / density.mean(), t),
        "birth_rate": np.outer(birth / birth.mean(), _by_year(cal.BIRTH_RATE_ENGLAND, years)).ravel(),
        "death_rate": np.outer(death / death.mean(), _by_year(cal.DEATH_RATE_ENGLAND, years)).ravel(),
        "survival_3yr": np.repeat(survival, t),
    })


def _national_sector_parameters() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Employment shares and GVA per job (pounds) in the base year, employment and productivity growth."""
    emp_growth = np.array([cal.EMPLOYMENT_GROWTH[s] for s in SIC_SECTIONS])
    years = 2022 - cal.BASE_YEAR
    share = np.array([cal.EMPLOYMENT_SHARE_2022[s] for s in SIC_SECTIONS]) / (1 + emp_growth) ** years
    share /= share.sum()
    gva_share = np.array([cal.GVA_SHARE_2013[s] for s in SIC_SECTIONS])
    gva_share /= gva_share.sum()
    gva_per_job = gva_share / share * cal.GVA_PER_JOB_ENGLAND[cal.BASE_YEAR]
    gva_growth = np.array([cal.GVA_GROWTH_2013_2022[s] for s in SIC_SECTIONS]) ** (1 / years)
    productivity_growth = gva_growth / (1 + emp_growth) - 1
    return share, gva_per_job, emp_growth, productivity_growth


def _build_industry(geo, residents: pd.DataFrame, years: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Jobs and GVA (pounds million) by district, section and year (see the module docstring)."""
    codes, urban, dep = _profile(geo)
    n, s, t = len(codes), len(SIC_SECTIONS), len(years)
    share, gva_per_job, emp_growth, prod_growth = _national_sector_parameters()
    tilt = np.array([_URBAN_TILT.get(sec, 0.0) for sec in SIC_SECTIONS])

    log_share = np.log(share)[None, :] + np.outer(urban, tilt) + rng.normal(0, 0.25, (n, s))
    special = rng.random(n) < _SPECIALISM_PROBABILITY
    special[rng.integers(n)] = True  # at least one, however small the country
    sector = np.searchsorted(_SECTIONS, rng.choice(_SPECIALISMS, n))
    log_share[special, sector[special]] += rng.uniform(np.log(2.5), np.log(5.0), special.sum())
    shares = np.exp(log_share)
    shares /= shares.sum(axis=1, keepdims=True)

    working_age = residents["working_age"].unstack("year").reindex(codes)[years[0]].to_numpy(float)
    density = np.exp(0.25 * urban + rng.normal(0, 0.18, n))
    jobs = working_age * cal.JOBS_DENSITY_ENGLAND * density / density.mean()
    local_trend = rng.normal(0, cal.LOCAL_GROWTH_SD_2013_2022 / 12, (n, s))
    log_growth = np.log1p(emp_growth)[None, :, None] + local_trend[:, :, None] + rng.normal(0, 0.02, (n, s, t))
    log_growth[:, :, 0] = 0.0
    employment = (jobs[:, None] * shares)[:, :, None] * np.exp(np.cumsum(log_growth, axis=2))

    district_factor = np.exp(0.08 * urban - 0.05 * dep + rng.normal(0, 0.07, n))
    elapsed = (years - cal.BASE_YEAR)[None, None, :]
    level = gva_per_job[None, :, None] * (1 + prod_growth)[None, :, None] ** elapsed
    noise = rng.normal(0, 0.10, (n, s, 1)) + rng.normal(0, 0.03, (n, s, t))
    per_job = level * district_factor[:, None, None] * np.exp(noise)
    employment = np.round(employment)
    return pd.DataFrame({
        "area_code": np.repeat(codes, s * t),
        "year": np.tile(years, n * s),
        "sic_section": np.tile(np.repeat(_SECTIONS, t), n),
        "employment": employment.ravel(),
        "gva": (employment * per_job).ravel() / 1e6,
        "source": SOURCE,
        "vintage": VINTAGE,
    })


def _rows(indicator_id: str, codes, years, **columns) -> pd.DataFrame:
    """Long indicator rows for (district x year) arrays shaped (n, t)."""
    n, t = len(codes), len(years)
    frame = pd.DataFrame({
        "indicator_id": indicator_id,
        "area_code": np.repeat(codes, t),
        "period": np.tile(np.asarray(years).astype(str), n),
        "year": np.tile(years, n),
    })
    for name in ("numerator", "denominator", "value", "lower_ci", "upper_ci", "confidence"):
        values = columns.get(name)
        frame[name] = np.nan if values is None else np.asarray(values, float).ravel()
    return frame


def _labour_market(codes, urban, dep, working_age, years, rng) -> list[pd.DataFrame]:
    """Employment, claimant, qualifications (APS-like samples) and pay (ASHE-like medians)."""
    n, t = working_age.shape
    latent = rng.normal(0, 1, n)[:, None]
    low, high = cal.SURVEY_SAMPLE_RANGE
    sample = np.clip(np.round(900 * np.sqrt(working_age / np.median(working_age[:, 0]))), low, high)
    sample = np.round(sample * rng.uniform(0.9, 1.1, (n, t)))

    def survey_proportion(national, slope_dep, slope_urban, slope_latent, sd):
        effect = slope_dep * dep + slope_urban * urban
        eta = logit(national)[None, :] + effect[:, None] + slope_latent * latent
        eta = eta + rng.normal(0, sd, (n, 1)) + rng.normal(0, 0.04, (n, t))
        return rng.binomial(sample.astype(np.int64), expit(eta))

    employed = survey_proportion(_by_year(cal.EMPLOYMENT_RATE_ENGLAND, years), -0.25, 0.03, 0.12, 0.08)
    level3 = survey_proportion(_by_year(cal.LEVEL3_ENGLAND, years), -0.30, 0.15, 0.10, 0.18)

    claimant_rate = _by_year(cal.CLAIMANT_RATE_ENGLAND, years)[None, :] * np.exp(
        (0.42 * dep + 0.05 * urban)[:, None] - 0.12 * latent + rng.normal(0, 0.12, (n, 1))
        + rng.normal(0, 0.05, (n, t)) - 0.1
    )
    claimants = rng.binomial(np.round(working_age).astype(np.int64), np.clip(claimant_rate, 0, 0.5))

    pay = _by_year(cal.MEDIAN_WEEKLY_PAY_ENGLAND, years)[None, :] * np.exp(
        (-0.07 * dep + 0.04 * urban)[:, None] + 0.05 * latent + rng.normal(0, 0.07, (n, 1))
        + rng.normal(0, 0.02, (n, t))
    )
    pay = pay * np.exp(rng.normal(0, cal.PAY_SURVEY_CV, (n, t)))
    half = 1.96 * cal.PAY_SURVEY_CV * pay
    employees = np.round(working_age * employed / sample * _EMPLOYEE_SHARE)
    return [
        _rows("employment_rate", codes, years, numerator=employed, denominator=sample),
        _rows("qualifications_level3_plus", codes, years, numerator=level3, denominator=sample),
        _rows("claimant_rate", codes, years, numerator=claimants, denominator=np.round(working_age)),
        _rows("median_weekly_pay", codes, years, value=np.round(pay, 1), lower_ci=pay - half,
              upper_ci=pay + half, denominator=np.maximum(employees, 1), confidence=np.full((n, t), 0.95)),
    ]


def _business(geo, codes, residents, adults, years, rng) -> list[pd.DataFrame]:
    """Business density, births, deaths and three-year survival (counts drawn around the rates)."""
    n, t = residents.shape
    back = np.arange(years[0] - 3, years[-1] + 1)
    rates = business_rates(geo, back)
    cube = {c: rates[c].to_numpy().reshape(n, len(back)) for c in rates.columns[2:]}
    resident_back = residents[:, np.clip(back - years[0], 0, t - 1)]
    active_back = rng.poisson(resident_back * cube["enterprises_per_resident"])
    births_back = rng.poisson(cube["birth_rate"] * active_back)
    now = slice(3, None)
    active, births = np.maximum(active_back[:, now], 1), births_back[:, now]
    deaths = rng.poisson(cube["death_rate"][:, now] * active)
    cohort = np.maximum(births_back[:, :-3], 1)
    survivors = rng.binomial(cohort, cube["survival_3yr"][:, now])
    return [
        _rows("business_density", codes, years, numerator=active, denominator=adults),
        _rows("business_birth_rate", codes, years, numerator=births, denominator=active),
        _rows("business_death_rate", codes, years, numerator=deaths, denominator=active),
        _rows("business_survival_3yr", codes, years, numerator=survivors, denominator=cohort),
    ]


def build_economy(
    geo: SyntheticGeography, population: pd.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> dict:
    """Build the synthetic country's industry table and economy indicators.

    Parameters
    ----------
    geo : SyntheticGeography
        Districts (code, urban_share 0-1, deprivation_score), small areas and the ``areas`` table.
    population : DataFrame
        The contract's ``population`` table (small areas by year, sex and five-year age band).
    years : sequence of int
        Years to build (the first is the base of the industrial structure).
    rng : numpy.random.Generator

    Returns
    -------
    dict
        ``industry``: the contract's INDUSTRY table (area_code = district, year, sic_section,
        employment in jobs, gva in pounds million at current prices, source, vintage).
        ``indicators``: the contract's INDICATORS rows of :data:`ECONOMY_INDICATORS` for every
        district and year, rolled up to every layer above the districts with
        :func:`diagnostics.store.rollup.roll_up`.

    Notes
    -----
    Jobs in district :math:`d`, section :math:`s`, year :math:`t`:
    :math:`E_{dst} = J_d\\,\\pi_{ds} \\exp\\sum_{u \\le t}(g_s + \\ell_{ds} + \\varepsilon_{dsu})`, with
    :math:`\\pi_{ds}` the national share tilted by urbanity, noise and specialisms, :math:`g_s` the
    national growth and :math:`\\ell_{ds}` a local trend. GVA per job is the national sector level
    (GVA share / job share x England GVA per job) grown at the sector's nominal productivity growth,
    times a district factor (urbanity up, deprivation down) and noise.
    """
    years = np.asarray(sorted(int(y) for y in years), int)
    codes, urban, dep = _profile(geo)
    residents = district_residents(geo, population)
    industry = _build_industry(geo, residents, years, rng)

    def matrix(column: str) -> np.ndarray:
        return residents[column].unstack("year").reindex(index=codes, columns=years).to_numpy(float)

    res, adults, working_age = matrix("residents"), matrix("adults"), matrix("working_age")
    totals = industry.groupby(["area_code", "year"])[["employment", "gva"]].sum()
    jobs = totals["employment"].unstack("year").reindex(index=codes, columns=years).to_numpy(float)
    gva = totals["gva"].unstack("year").reindex(index=codes, columns=years).to_numpy(float) * 1e6
    parts = [
        _rows("gva_per_head", codes, years, numerator=gva, denominator=res),
        _rows("gva_per_job", codes, years, numerator=gva, denominator=jobs),
        *_labour_market(codes, urban, dep, working_age, years, rng),
        *_business(geo, codes, res, adults, years, rng),
    ]
    catalogue = committed_catalogue()
    rows = pd.concat(parts, ignore_index=True)
    rows["note"] = None
    rows = finalise_indicators(rows, catalogue).assign(source=SOURCE, vintage=VINTAGE)
    rolled = roll_up_ancestors(rows, geo.areas, catalogue)
    indicators = pd.concat([rows, rolled], ignore_index=True)[INDICATOR_COLUMNS]
    return {"industry": industry, "indicators": indicators}
