"""Life expectancy and under-75 mortality for every area of a layer, from deaths and populations.

Mortality is computed for *every* area of a layer at once, from an array of small-area counts (small
area x year x sex x age band) multiplied by a sparse matrix of the lookup weights
(:func:`diagnostics.geography.lookups.small_area_weights`), and cached in-process per store version: the
spine chart and the funnel plots need every district, and a batch runs many places in one warm kernel.
A real England store, whose small areas carry no age detail, gives district counts instead
(:mod:`~diagnostics.sections.health.district_counts`): districts and the areas made of whole
districts, in single years when its deaths cover fewer than :data:`POOL_YEARS` years.

Conventions (as ONS and OHID Fingertips):

- life expectancy at birth and at 65 by sex, and under-75 mortality from all causes, are published
  for **3-year pooled periods** ("2022-24": deaths and mid-year populations of the three years
  summed, so person-years at risk), which steadies the small numbers of a district;
- life expectancy is Chiang's method II with Silcocks' interval (:func:`diagnostics.stats.life_expectancy`,
  PHE's rules for withholding a value); under-75 mortality is a directly standardised rate per
  100 000 on the European Standard Population 2013 with Dobson's interval
  (:func:`diagnostics.stats.dsr`), not published below 10 deaths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.conventions import AGE_BANDS
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.lookups import small_area_weights
from diagnostics.sections.health.district_counts import district_arrays, uses_district_counts, whole_district_matrix
from diagnostics.stats import ESP2013, dsr, life_expectancy

__all__ = [
    "POOL_YEARS",
    "MEASURES",
    "MEASURE_IDS",
    "Counts",
    "mortality_unavailable_reason",
    "small_area_mortality_reason",
    "pool_years",
    "small_area_counts",
    "layer_counts",
    "mortality_measures",
    "period_labels",
    "measure_frame",
    "LE_METHOD",
    "DSR_METHOD",
    "methods_for",
    "UNDER_75",
]

#: Years pooled for life expectancy and under-75 mortality (as ONS and OHID publish them).
POOL_YEARS = 3
#: Index of the age band "65-69" in :data:`AGE_BANDS` (life expectancy at 65).
_AGE_65 = AGE_BANDS.index("65-69")
#: Bands below 75 (under-75 mortality): "0" to "70-74".
UNDER_75 = AGE_BANDS.index("75-79")
_SEXES = ("F", "M")
_Z95 = 1.959963984540054


def _life_expectancy_measure(sex: str, age: int) -> dict:
    """Catalogue metadata of life expectancy at ``age`` (0 = at birth) for ``sex`` ("F" or "M")."""
    at = "birth" if age == 0 else str(age)
    word = {"F": "female", "M": "male"}[sex]
    return dict(
        name=f"Life expectancy at {at} ({word})", short_name=f"LE at {at} ({sex})", sex=sex, age=age,
        unit="years", value_type="years", polarity="higher_is_better", decimals=1, multiplier=1,
    )


#: The measures computed here from deaths and populations: id -> metadata (as a catalogue row).
MEASURES: dict[str, dict] = {
    **{
        f"life_expectancy_{'birth' if age == 0 else age}_{word}": _life_expectancy_measure(sex, age)
        for age in (0, 65)
        for sex, word in (("F", "female"), ("M", "male"))
    },
    "under75_mortality": dict(
        name="Under-75 mortality rate from all causes (directly standardised)", short_name="Under-75 mortality",
        sex="persons", age=None, unit="per 100 000", value_type="dsr", polarity="lower_is_better",
        decimals=0, multiplier=100_000,
    ),
}
MEASURE_IDS: tuple[str, ...] = tuple(MEASURES)


def methods_for(pool: int) -> tuple[str, str]:
    """The method statements of life expectancy and of the standardised rate for periods of ``pool`` years."""
    period = f"{pool}-year pooled" if pool > 1 else "single year"
    return (f"Chiang II life table (20 bands, open at 90+), Silcocks' 95% interval; {period}",
            f"Directly standardised rate, European Standard Population 2013, Dobson's 95% interval; {period}")


LE_METHOD, DSR_METHOD = methods_for(POOL_YEARS)


# --------------------------------------------------------------------------------------------------
# What the store holds
# --------------------------------------------------------------------------------------------------

def mortality_unavailable_reason(store) -> str | None:
    """Why life expectancy and mortality cannot be computed from this store, or None when they can."""
    missing = [t for t in ("population", "deaths") if not store.has_table(t)]
    if missing and uses_district_counts(store):
        if len(district_arrays(store)[1]) == 0:
            return ("the store's district deaths and population estimates share no year, so life expectancy and "
                    "mortality cannot be computed; import the mid-year estimates of the deaths' registration year")
        return None
    if missing:
        return (
            f"the store has no {' or '.join(missing)} table (small-area {', '.join(missing)} by year, sex and "
            "age band), so life expectancy and mortality cannot be computed. Add deaths and "
            "population tables to the store (see data/README.md) to see them"
        )
    if store.deaths.empty or store.population.empty:
        return "the store's deaths or population table is empty, so life expectancy and mortality cannot be computed"
    return None


def small_area_mortality_reason(store) -> str | None:
    """Why mortality cannot be computed by small area (deprivation deciles, the small-area map), or None."""
    reason = mortality_unavailable_reason(store)
    if reason is None and uses_district_counts(store):
        return ("ONS publishes deaths and population estimates by age for districts only, so mortality by small area "
                "(and by deprivation group within a place) cannot be computed from this store")
    return reason


def pool_years(store) -> int:
    """Years pooled per period: :data:`POOL_YEARS` (as ONS and OHID publish), or 1 when the store's deaths
    cover fewer years (real England: one year of registrations)."""
    if uses_district_counts(store):
        return min(POOL_YEARS, max(len(district_arrays(store)[1]), 1))
    return POOL_YEARS


# --------------------------------------------------------------------------------------------------
# Counts: small area x year x sex x band, and any layer through the lookup weights
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Deaths and population of a set of areas as arrays of shape (areas, years, 2 sexes, 20 bands).

    Attributes
    ----------
    codes : ndarray of str
        The area of each first-axis position.
    years : ndarray of int
        The calendar year of each second-axis position (consecutive).
    population, deaths : ndarray of float
        Mid-year population and deaths; sexes in the order F, M; bands those of :data:`AGE_BANDS`.
    """

    codes: np.ndarray
    years: np.ndarray
    population: np.ndarray
    deaths: np.ndarray

    def index_of(self, code: str) -> int:
        found = np.flatnonzero(self.codes == code)
        if found.size == 0:
            raise KeyError(code)
        return int(found[0])


def _positions(column: pd.Series, labels) -> np.ndarray:
    """Position of each value of ``column`` in ``labels`` (-1 if absent): factorised first, which is fast."""
    codes, uniques = pd.factorize(column)
    lookup = np.append(pd.Index(labels).get_indexer(uniques), -1).astype(np.int64)
    return lookup[codes]


_KEYS = ("area_code", "year", "sex", "age_band")


def _cell_index(table: pd.DataFrame, codes: pd.Index, years: np.ndarray) -> np.ndarray:
    """Flat position of each row in an (areas, years, 2, bands) array; -1 for rows outside it."""
    k = len(AGE_BANDS)
    area = _positions(table["area_code"], codes)
    sex = _positions(table["sex"], _SEXES)
    band = _positions(table["age_band"], AGE_BANDS)
    year = table["year"].to_numpy(dtype=np.int64) - int(years[0])
    bad = (area < 0) | (sex < 0) | (band < 0) | (year < 0) | (year >= len(years))
    flat = area
    flat *= len(years)
    flat += year
    flat *= 2
    flat += sex
    flat *= k
    flat += band
    flat[bad] = -1
    return flat


def _cube(values: np.ndarray, flat: np.ndarray, size: int) -> np.ndarray:
    """Sum ``values`` into ``size`` cells by flat position (rows at -1 are left out)."""
    if len(flat) == size and flat[0] == 0 and (np.diff(flat) == 1).all():
        return values.astype(float)  # the table is the full grid in order: nothing to sum
    keep = flat >= 0
    if not keep.all():
        flat, values = flat[keep], values[keep]
    return np.bincount(flat, weights=values.astype(float), minlength=size)


def small_area_counts(store) -> Counts:
    """Deaths and population of every small area, as arrays (cached per store version).

    Raises
    ------
    ValueError
        When :func:`small_area_mortality_reason` gives a reason (no small-area deaths or population table).
    """
    reason = small_area_mortality_reason(store)
    if reason:
        raise ValueError(f"Cannot compute mortality: {reason}.")

    def compute():
        population, deaths = store.population, store.deaths
        codes = pd.Index(store.areas_in_layer("small_area")["code"].to_numpy())
        first = int(min(population["year"].min(), deaths["year"].min()))
        last = int(max(population["year"].max(), deaths["year"].max()))
        years = np.arange(first, last + 1)
        shape = (len(codes), len(years), 2, len(AGE_BANDS))
        size = int(np.prod(shape))
        flat = _cell_index(population, codes, years)
        # deaths are usually written in the population's row order: then its positions are the same
        same = len(deaths) == len(population) and all(deaths[c].equals(population[c]) for c in _KEYS)
        death_flat = flat if same else _cell_index(deaths, codes, years)
        return Counts(
            codes.to_numpy(), years,
            _cube(population["population"].to_numpy(), flat, size).reshape(shape),
            _cube(deaths["deaths"].to_numpy(), death_flat, size).reshape(shape),
        )

    return cached(per_store(store, "small_area_counts"), compute)


def layer_counts(store, layer: str) -> Counts:
    """Deaths and population of every area of ``layer``: small-area counts summed through the lookup weights.

    The same sums as :func:`diagnostics.geography.lookups.aggregate_small_areas` (each small area's count
    split between the areas it belongs to in proportion to its weights), as one sparse product with
    :func:`diagnostics.geography.lookups.small_area_weights`.
    """
    if uses_district_counts(store):
        return _district_layer_counts(store, layer)
    if layer == "small_area":
        return small_area_counts(store)

    def compute():
        small = small_area_counts(store)
        matrix, codes = small_area_weights(store, layer, small.codes)
        shape = small.population.shape[1:]
        flat = lambda a: np.asarray(matrix @ a.reshape(a.shape[0], -1)).reshape(len(codes), *shape)  # noqa: E731
        return Counts(codes, small.years, flat(small.population), flat(small.deaths))

    return cached(per_store(store, "layer_counts", layer), compute)


def _district_layer_counts(store, layer: str) -> Counts:
    """Counts of a layer from the district tables: districts themselves, or the sums of whole districts."""

    def compute():
        codes, years, population, deaths = district_arrays(store)
        if layer == "district":
            return Counts(codes, years, population, deaths)
        matrix, area_codes = whole_district_matrix(store, layer, codes)
        shape = population.shape[1:]
        flat = lambda a: np.asarray(matrix @ a.reshape(a.shape[0], -1)).reshape(len(area_codes), *shape)  # noqa: E731
        return Counts(area_codes, years, flat(population), flat(deaths))

    return cached(per_store(store, "district_layer_counts", layer), compute)


def _pool(array: np.ndarray, pool: int) -> np.ndarray:
    """Rolling sums over ``pool`` consecutive years (axis 1): periods ending in each year from the pool-th."""
    c = np.cumsum(array, axis=1)
    out = c[:, pool - 1:].copy()
    out[:, 1:] -= c[:, : c.shape[1] - pool]
    return out


def period_labels(years: np.ndarray, pool: int) -> list[str]:
    ends = years[pool - 1:]
    if pool == 1:
        return [str(int(y)) for y in ends]
    return [f"{int(y) - pool + 1}-{str(int(y))[-2:]}" for y in ends]


# --------------------------------------------------------------------------------------------------
# Life expectancy and under-75 mortality for every area of a layer
# --------------------------------------------------------------------------------------------------


def measure_frame(deaths: np.ndarray, population: np.ndarray, codes, labels, ends, pool: int = POOL_YEARS) -> pd.DataFrame:
    """Life expectancy (birth, 65, by sex) and under-75 DSR (persons) for (areas, periods, 2, 20) arrays."""
    le_method, dsr_method = methods_for(pool)
    n_areas, n_periods = deaths.shape[:2]
    k = len(AGE_BANDS)
    le = life_expectancy(deaths.reshape(-1, k), population.reshape(-1, k))
    frames = []
    area_idx, period_idx, sex_idx = np.unravel_index(np.arange(n_areas * n_periods * 2), (n_areas, n_periods, 2))
    for age, band in ((0, 0), (65, _AGE_65)):
        rows = le.iloc[np.arange(n_areas * n_periods * 2) * k + band]
        for s, sex in enumerate(_SEXES):
            pick = sex_idx == s
            r = rows.loc[pick]
            frames.append(
                pd.DataFrame(
                    {
                        "indicator_id": f"life_expectancy_{'birth' if age == 0 else age}_{'female' if sex == 'F' else 'male'}",
                        "area_code": np.asarray(codes)[area_idx[pick]],
                        "period": np.asarray(labels)[period_idx[pick]],
                        "year": np.asarray(ends)[period_idx[pick]],
                        "value": r["value"].to_numpy(),
                        "lower_ci": r["lower_ci"].to_numpy(),
                        "upper_ci": r["upper_ci"].to_numpy(),
                        "standard_error": r["standard_error"].to_numpy(),
                        "numerator": r["deaths_used"].to_numpy(),
                        "denominator": r["population_used"].to_numpy(),
                        "note": r["note"].to_numpy(),
                        "method": le_method,
                    }
                )
            )
    # under-75 mortality, persons: sexes summed, bands 0 to 70-74
    d75 = deaths[..., :UNDER_75].sum(axis=2).reshape(-1, UNDER_75)
    p75 = population[..., :UNDER_75].sum(axis=2).reshape(-1, UNDER_75)
    empty_band = (p75 <= 0).any(axis=1)
    rates = dsr(d75, np.where(p75 > 0, p75, 1.0), standard_population=ESP2013[:UNDER_75])
    note = rates["note"].to_numpy(dtype=object)
    note = np.where(empty_band, "dsr not calculated: an age band under 75 has no population", note)
    a_idx, p_idx = np.unravel_index(np.arange(n_areas * n_periods), (n_areas, n_periods))
    value, lower, upper = (np.where(empty_band, np.nan, rates[c].to_numpy()) for c in ("value", "lower_ci", "upper_ci"))
    frames.append(
        pd.DataFrame(
            {
                "indicator_id": "under75_mortality",
                "area_code": np.asarray(codes)[a_idx],
                "period": np.asarray(labels)[p_idx],
                "year": np.asarray(ends)[p_idx],
                "value": value,
                "lower_ci": lower,
                "upper_ci": upper,
                "standard_error": (upper - lower) / (2 * _Z95),
                "numerator": rates["total_count"].to_numpy(),
                "denominator": rates["total_pop"].to_numpy(),
                "note": note,
                "method": dsr_method,
            }
        )
    )
    out = pd.concat(frames, ignore_index=True)
    out["note"] = out["note"].where(out["note"].notna(), None)
    return out


def mortality_measures(store, layer: str, pool: int | None = None) -> pd.DataFrame:
    """Life expectancy at birth and at 65 by sex, and under-75 mortality, for every area of a layer and period.

    Parameters
    ----------
    store : Store
    layer : str
        The areas (``"district"``, ``"region"``, ``"country"``, ``"health_area"``...).
    pool : int, optional
        Years pooled per period: default :func:`pool_years` (3 as ONS and OHID publish, or 1 when the
        store's deaths cover fewer years); 1 for single-year values (trends).

    Returns
    -------
    DataFrame
        One row per measure, area and period: indicator_id (one of :data:`MEASURE_IDS`), area_code,
        period ("2022-24"), year (its last year), value (years, or deaths per 100 000 for
        ``under75_mortality``), lower_ci, upper_ci (95%), standard_error, numerator (deaths: from
        the age up for life expectancy, under 75 for mortality), denominator (person-years),
        note (why a value is withheld, PHE's rule; else None), method. Cached per store version.

    Notes
    -----
    Life expectancy is withheld (PHE) where the period's person-years are 5 000 or fewer, a band
    has no population or more deaths than people, the open band 90+ has no deaths, or the 95%
    interval is wider than 20 years; the under-75 rate where fewer than 10 deaths occurred.
    """
    if pool is None:
        pool = pool_years(store)
    if not isinstance(pool, (int, np.integer)) or pool < 1:
        raise InvalidParameter(f"The 'pool' parameter of mortality_measures must be a positive integer; got {pool!r}.")

    def compute():
        counts = layer_counts(store, layer)
        if pool > len(counts.years):
            return pd.DataFrame(columns=["indicator_id", "area_code", "period", "year", "value", "lower_ci",
                                         "upper_ci", "standard_error", "numerator", "denominator", "note", "method"])
        return measure_frame(
            _pool(counts.deaths, pool), _pool(counts.population, pool), counts.codes,
            period_labels(counts.years, pool), counts.years[pool - 1:], pool,
        )

    return cached(per_store(store, "mortality_measures", layer, pool, disk=TABLE), compute)
