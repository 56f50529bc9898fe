"""Health: life expectancy and premature mortality computed from deaths and populations, the
prevalence-type indicators of the store, inequality by deprivation within a place, and the same
measures for the health areas a place overlaps.

Every function is a plain function from the store (and a place) to a tidy DataFrame. Mortality is
computed for *every* area of a layer at once, from an array of small-area counts (small area x year
x sex x age band) multiplied by a sparse matrix of the lookup weights, and cached in-process per
store version: the spine chart and the funnel plots need every district, and a batch runs many
places in one warm kernel.

Conventions (as ONS and OHID Fingertips):

- life expectancy at birth and at 65 by sex, and under-75 mortality from all causes, are published
  for **3-year pooled periods** ("2022-24": deaths and mid-year populations of the three years
  summed, so person-years at risk), which steadies the small numbers of a district;
- life expectancy is Chiang's method II with Silcocks' interval (:func:`diagnostics.stats.life_expectancy`,
  PHE's rules for withholding a value); under-75 mortality is a directly standardised rate per
  100 000 on the European Standard Population 2013 with Dobson's interval
  (:func:`diagnostics.stats.dsr`), not published below 10 deaths;
- the recent trend of a computed measure is tested on its last five *single-year* values
  (independent years; overlapping 3-year periods would share deaths and overstate significance).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .compare import BENCHMARK_COLUMNS, ancestor_of_layer, benchmark_table
from .places import Place, resolve_place
from .schema import AGE_BANDS

__all__ = [
    "POOL_YEARS",
    "MEASURES",
    "MEASURE_IDS",
    "HEADLINE_MEASURE_IDS",
    "DECILE_BASIS",
    "mortality_unavailable_reason",
    "READY_MADE_EQUIVALENTS",
    "READY_MADE_SOURCES",
    "ready_made_in_place_of",
    "is_ready_made",
    "DEPRIVATION_DOMAINS",
    "deprivation_profile",
    "deprivation_profile_layers",
    "prevalence_indicator_ids",
    "health_catalogue",
    "small_area_counts",
    "layer_counts",
    "mortality_measures",
    "layer_comparison",
    "health_headline",
    "deprivation_groups",
    "inequality_by_deprivation",
    "inequality_summary",
    "small_area_mortality_ratio",
    "health_area_overlaps",
    "FUNNEL_INDICATORS",
    "spine_table",
    "under75_smr",
    "funnel_data",
    "similar_places",
    "health_area_comparison",
    "findings",
    "clear_cache",
]

#: Years pooled for life expectancy and under-75 mortality (as ONS and OHID publish them).
POOL_YEARS = 3
#: Index of the age band "65-69" in :data:`AGE_BANDS` (life expectancy at 65).
_AGE_65 = AGE_BANDS.index("65-69")
#: Bands below 75 (under-75 mortality): "0" to "70-74".
_UNDER_75 = AGE_BANDS.index("75-79")
_SEXES = ("F", "M")
_Z95 = 1.959963984540054

#: How the deprivation groups within a place are made, for people.
DECILE_BASIS = (
    "local deciles: the place's own small areas ranked by their 2019 deprivation score and cut into "
    "ten groups of equal population (PHE's method for the slope index of inequality in life "
    "expectancy within a local authority), so every place has ten groups and its gap measures "
    "inequality within it, whatever its deprivation against the country"
)

#: The measures computed here from deaths and populations: id -> metadata (as a catalogue row).
MEASURES: dict[str, dict] = {
    "life_expectancy_birth_female": dict(
        name="Life expectancy at birth (female)", short_name="LE at birth (F)", sex="F", age=0,
        unit="years", value_type="years", polarity="higher_is_better", decimals=1, multiplier=1,
    ),
    "life_expectancy_birth_male": dict(
        name="Life expectancy at birth (male)", short_name="LE at birth (M)", sex="M", age=0,
        unit="years", value_type="years", polarity="higher_is_better", decimals=1, multiplier=1,
    ),
    "life_expectancy_65_female": dict(
        name="Life expectancy at 65 (female)", short_name="LE at 65 (F)", sex="F", age=65,
        unit="years", value_type="years", polarity="higher_is_better", decimals=1, multiplier=1,
    ),
    "life_expectancy_65_male": dict(
        name="Life expectancy at 65 (male)", short_name="LE at 65 (M)", sex="M", age=65,
        unit="years", value_type="years", polarity="higher_is_better", decimals=1, multiplier=1,
    ),
    "under75_mortality": dict(
        name="Under-75 mortality rate from all causes (directly standardised)", short_name="Under-75 mortality",
        sex="persons", age=None, unit="per 100 000", value_type="dsr", polarity="lower_is_better",
        decimals=0, multiplier=100_000,
    ),
}
MEASURE_IDS: tuple[str, ...] = tuple(MEASURES)
HEADLINE_MEASURE_IDS = MEASURE_IDS

_LE_METHOD = "Chiang II life table (20 bands, open at 90+), Silcocks' 95% interval; 3-year pooled"
_DSR_METHOD = "Directly standardised rate, European Standard Population 2013, Dobson's 95% interval; 3-year pooled"


# --------------------------------------------------------------------------------------------------
# In-process cache, per store version
# --------------------------------------------------------------------------------------------------

_CACHE: dict[tuple, object] = {}
_CACHE_LOCK = threading.RLock()


def _cached(store, key: tuple, compute):
    """``compute()`` once per store version and key (a batch reuses one warm kernel for many places)."""
    full = (str(store.path), store.version, *key)
    with _CACHE_LOCK:
        if full not in _CACHE:
            stale = [k for k in _CACHE if k[0] == full[0] and k[1] != full[1]]
            for k in stale:
                del _CACHE[k]
            _CACHE[full] = compute()
        return _CACHE[full]


def clear_cache() -> None:
    """Forget every cached health analysis (tests; a long-lived process after rebuilding a store)."""
    with _CACHE_LOCK:
        _CACHE.clear()


# --------------------------------------------------------------------------------------------------
# What the store holds
# --------------------------------------------------------------------------------------------------


def mortality_unavailable_reason(store) -> str | None:
    """Why life expectancy and mortality cannot be computed from this store, or None when they can."""
    missing = [t for t in ("population", "deaths") if not store.has_table(t)]
    if missing:
        return (
            f"the store has no {' or '.join(missing)} table (small-area {', '.join(missing)} by year, sex and "
            "age band), so life expectancy and mortality cannot be computed. Add deaths and "
            "population tables to the store (see data/README.md) to see them"
        )
    if store.deaths.empty or store.population.empty:
        return "the store's deaths or population table is empty, so life expectancy and mortality cannot be computed"
    return None


def prevalence_indicator_ids(store) -> list[str]:
    """The store's health-domain indicators (catalogue domain "health") that have values, catalogue order."""
    catalogue = store.catalogue
    ids = [i for i in catalogue.index[catalogue["domain"] == "health"]]
    present = set(store.indicators["indicator_id"].unique())
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
    computed["method"] = [(_DSR_METHOD if m["value_type"] == "dsr" else _LE_METHOD) for m in MEASURES.values()]
    columns = ["name", "short_name", "unit", "value_type", "polarity", "decimals", "multiplier", "method"]
    stored = store.catalogue.loc[prevalence_indicator_ids(store), columns].copy()
    stored["computed"] = False
    out = pd.concat([computed[columns + ["computed"]], stored])
    out.index.name = "indicator_id"
    return out


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
        When :func:`mortality_unavailable_reason` gives a reason (no deaths or population table).
    """
    reason = mortality_unavailable_reason(store)
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

    return _cached(store, ("small_area_counts",), compute)


def _weights_matrix(store, layer: str, small_codes: np.ndarray):
    """Sparse (areas of ``layer``) x (small areas) matrix of lookup weights, and the area codes."""
    from scipy import sparse

    from .exceptions import InvalidParameter

    lookups = store.lookups
    links = lookups.loc[lookups["layer"] == layer]
    if links.empty:
        raise InvalidParameter(
            f"The store has no lookup from small areas to the layer {layer!r}; "
            f"layers with lookups: {', '.join(sorted(lookups['layer'].unique()))}."
        )
    codes = pd.Index(np.sort(links["area_code"].unique()))
    rows = codes.get_indexer(links["area_code"])
    cols = pd.Index(small_codes).get_indexer(links["small_area_code"])
    ok = cols >= 0
    matrix = sparse.csr_matrix(
        (links["weight"].to_numpy(dtype=float)[ok], (rows[ok], cols[ok])), shape=(len(codes), len(small_codes))
    )
    return matrix, codes.to_numpy()


def layer_counts(store, layer: str) -> Counts:
    """Deaths and population of every area of ``layer``: small-area counts summed through the lookup weights.

    The same sums as :func:`diagnostics.geography.aggregate_small_areas` (each small area's count
    split between the areas it belongs to in proportion to its weights), computed as one sparse
    matrix product so that a country of 33 000 small areas takes a fraction of a second.
    """
    if layer == "small_area":
        return small_area_counts(store)

    def compute():
        small = small_area_counts(store)
        matrix, codes = _weights_matrix(store, layer, small.codes)
        shape = small.population.shape[1:]
        flat = lambda a: np.asarray(matrix @ a.reshape(a.shape[0], -1)).reshape(len(codes), *shape)  # noqa: E731
        return Counts(codes, small.years, flat(small.population), flat(small.deaths))

    return _cached(store, ("layer_counts", layer), compute)


def _pool(array: np.ndarray, pool: int) -> np.ndarray:
    """Rolling sums over ``pool`` consecutive years (axis 1): periods ending in each year from the pool-th."""
    c = np.cumsum(array, axis=1)
    out = c[:, pool - 1:].copy()
    out[:, 1:] -= c[:, : c.shape[1] - pool]
    return out


def _period_labels(years: np.ndarray, pool: int) -> list[str]:
    ends = years[pool - 1:]
    if pool == 1:
        return [str(int(y)) for y in ends]
    return [f"{int(y) - pool + 1}-{str(int(y))[-2:]}" for y in ends]


# --------------------------------------------------------------------------------------------------
# Life expectancy and under-75 mortality for every area of a layer
# --------------------------------------------------------------------------------------------------


def _measure_frame(deaths: np.ndarray, population: np.ndarray, codes, labels, ends) -> pd.DataFrame:
    """Life expectancy (birth, 65, by sex) and under-75 DSR (persons) for (areas, periods, 2, 20) arrays."""
    from .stats import ESP2013, dsr, life_expectancy

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
                        "method": _LE_METHOD,
                    }
                )
            )
    # under-75 mortality, persons: sexes summed, bands 0 to 70-74
    d75 = deaths[..., :_UNDER_75].sum(axis=2).reshape(-1, _UNDER_75)
    p75 = population[..., :_UNDER_75].sum(axis=2).reshape(-1, _UNDER_75)
    empty_band = (p75 <= 0).any(axis=1)
    rates = dsr(d75, np.where(p75 > 0, p75, 1.0), standard_population=ESP2013[:_UNDER_75])
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
                "method": _DSR_METHOD,
            }
        )
    )
    out = pd.concat(frames, ignore_index=True)
    out["note"] = out["note"].where(out["note"].notna(), None)
    return out


def mortality_measures(store, layer: str, pool: int = POOL_YEARS) -> pd.DataFrame:
    """Life expectancy at birth and at 65 by sex, and under-75 mortality, for every area of a layer and period.

    Parameters
    ----------
    store : Store
    layer : str
        The areas (``"district"``, ``"region"``, ``"country"``, ``"health_area"``...).
    pool : int, default 3
        Years pooled per period: 3 as ONS and OHID publish; 1 for single-year values (trends).

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
    if not isinstance(pool, (int, np.integer)) or pool < 1:
        from .exceptions import InvalidParameter

        raise InvalidParameter(f"The 'pool' parameter of mortality_measures must be a positive integer; got {pool!r}.")

    def compute():
        counts = layer_counts(store, layer)
        if pool > len(counts.years):
            return pd.DataFrame(columns=["indicator_id", "area_code", "period", "year", "value", "lower_ci",
                                         "upper_ci", "standard_error", "numerator", "denominator", "note", "method"])
        return _measure_frame(
            _pool(counts.deaths, pool), _pool(counts.population, pool), counts.codes,
            _period_labels(counts.years, pool), counts.years[pool - 1:],
        )

    return _cached(store, ("mortality_measures", layer, pool), compute)


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
        from .stats import compare_to_benchmark

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

    return _cached(store, ("layer_comparison", layer), compute)


# --------------------------------------------------------------------------------------------------
# The headline table: the place against region, country and comparators
# --------------------------------------------------------------------------------------------------


def _trend_label(single_year: pd.DataFrame, polarity: str) -> str:
    from .stats import trend

    series = single_year.dropna(subset=["value", "standard_error"]).sort_values("year").tail(5)
    series = series.loc[series["standard_error"] > 0]
    if len(series) < 5 or series["year"].iloc[-1] - series["year"].iloc[0] != 4:
        return "cannot be calculated"
    result = trend(series["value"].to_numpy(), series["year"].to_numpy(), polarity=polarity, kind="value",
                   standard_errors=series["standard_error"].to_numpy())
    return result["label"]


def _computed_headline(store, place: Place, comparators) -> pd.DataFrame:
    from .stats import compare_to_benchmark

    region = ancestor_of_layer(store, place.code, "region")
    country = ancestor_of_layer(store, place.code, "country")
    source = f"Deaths and mid-year populations ({store.source}), computed here"
    reason = mortality_unavailable_reason(store)
    records = []
    if reason is None:
        own = mortality_measures(store, place.layer)
        layers = {code: store.layer_of(code) for code in (region, country) if code}
        bench = pd.concat([mortality_measures(store, lay) for lay in set(layers.values())] or [own.iloc[:0]])
        single = mortality_measures(store, place.layer, pool=1)
        single = single.loc[single["area_code"] == place.code]
        peers = set(store.areas_in_layer(place.layer)["code"])
    for indicator_id, meta in MEASURES.items():
        base = {k: meta[k] for k in ("name", "unit", "polarity", "decimals")}
        base["indicator_id"] = indicator_id
        if reason is not None:
            records.append({**base, "status": f"not available: {reason}", "source": source})
            continue
        rows = own.loc[own["indicator_id"] == indicator_id]
        mine = rows.loc[rows["area_code"] == place.code]
        if mine.empty:
            records.append({**base, "status": "not available: the place has no small areas in the store's lookups",
                            "source": source})
            continue
        latest = mine.sort_values("year").iloc[-1]
        same = rows.loc[rows["year"] == latest["year"]].set_index("area_code")
        b = bench.loc[(bench["indicator_id"] == indicator_id) & (bench["year"] == latest["year"])].set_index("area_code")
        country_value = b["value"].get(country, np.nan) if country else np.nan
        region_value = b["value"].get(region, np.nan) if region else np.nan
        comp = same["value"].reindex(list(comparators)).dropna()
        ranked = same["value"].reindex(sorted(peers)).dropna()
        if pd.notna(latest["value"]) and place.code in ranked.index:
            rank = float(ranked.rank(ascending=meta["polarity"] == "lower_is_better", method="min")[place.code])
        else:
            rank = np.nan
        vs = lambda bench_value: str(compare_to_benchmark(  # noqa: E731
            float(latest["value"]), float(latest["lower_ci"]), float(latest["upper_ci"]), float(bench_value),
            meta["polarity"]))
        records.append(
            {
                **base,
                "period": latest["period"],
                "value": latest["value"],
                "lower_ci": latest["lower_ci"],
                "upper_ci": latest["upper_ci"],
                "region_value": region_value,
                "country_value": country_value,
                "comparators_median": comp.median() if len(comp) else np.nan,
                "comparators_min": comp.min() if len(comp) else np.nan,
                "comparators_max": comp.max() if len(comp) else np.nan,
                "n_comparators": len(comp),
                "rank": rank,
                "n_ranked": len(ranked),
                "vs_country": vs(country_value),
                "vs_region": vs(region_value),
                "trend": _trend_label(single.loc[single["indicator_id"] == indicator_id], meta["polarity"]),
                "source": source,
                "status": "ok" if pd.notna(latest["value"]) else str(latest["note"]),
                "note": latest["note"],
                "method": _DSR_METHOD if meta["value_type"] == "dsr" else _LE_METHOD,
                "numerator": latest["numerator"],
                "denominator": latest["denominator"],
            }
        )
    return pd.DataFrame.from_records(records)


def _stored_headline(store, place: Place, comparators) -> pd.DataFrame:
    from .stats import compare_to_benchmark

    ids = prevalence_indicator_ids(store)
    if not ids:
        return pd.DataFrame(columns=BENCHMARK_COLUMNS)
    table = benchmark_table(store, place, ids, comparators)
    table["vs_region"] = compare_to_benchmark(
        table["value"].to_numpy(float), table["lower_ci"].to_numpy(float), table["upper_ci"].to_numpy(float),
        table["region_value"].to_numpy(float), table["polarity"].fillna("neutral").to_numpy(object),
    )
    rows = store.indicator_values(ids, [place.code]).sort_values("year")
    notes = rows.dropna(subset=["note"]).groupby("indicator_id")["note"].last()
    missing = table["status"] != "ok"
    table.loc[missing, "status"] = [
        f"{status}: {notes[i]}" if i in notes.index else str(status)
        for i, status in zip(table.loc[missing, "indicator_id"], table.loc[missing, "status"])
    ]
    table["method"] = table["indicator_id"].map(store.catalogue["method"])
    return table


def health_headline(store, place: str | Place, comparators=()) -> pd.DataFrame:
    """Every health measure of a place against its region, its country and its comparators.

    Parameters
    ----------
    store : Store
    place : str or Place
    comparators : sequence of str
        Codes of the comparator areas (same layer as the place).

    Returns
    -------
    DataFrame
        The columns of :data:`diagnostics.compare.BENCHMARK_COLUMNS`, then vs_region (Fingertips'
        label against the region), note (why a value is withheld), method. First the computed
        measures (:data:`MEASURE_IDS`; the status says why when deaths are missing or a value is
        withheld), then the store's health indicators. A store that cannot compute them (no deaths
        or population) shows its ready-made equivalents (:data:`READY_MADE_EQUIVALENTS`) first instead,
        and the others' status names the dataset that would supply them. ``vs_country`` and ``vs_region`` compare 95%
        intervals with the benchmark's value; ``trend`` is Fingertips' recent-trend label.
    """
    place = resolve_place(place, store)
    comparators = list(comparators)
    parts = [_computed_headline(store, place, comparators), _stored_headline(store, place, comparators)]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    for column in [*BENCHMARK_COLUMNS, "vs_region", "note", "method"]:
        if column not in out.columns:
            out[column] = np.nan
    out["vs_country"] = out["vs_country"].fillna("not compared")
    out["vs_region"] = out["vs_region"].fillna("not compared")
    return _with_ready_made(store, out[[*BENCHMARK_COLUMNS, "vs_region", "note", "method"]])


# --------------------------------------------------------------------------------------------------
# Inequality within a place, by deprivation
# --------------------------------------------------------------------------------------------------


def deprivation_groups(store, layer: str, n: int = 10) -> pd.DataFrame:
    """Local deprivation groups: each area's small areas cut into ``n`` groups of equal population.

    Parameters
    ----------
    store : Store
    layer : str
        The layer whose areas are divided.
    n : int, default 10
        10 for deciles, 5 for quintiles.

    Returns
    -------
    DataFrame
        One row per (area, small area) link: area_code, small_area_code, weight (lookup weight),
        population (latest year, times the weight), score (deprivation score, 2019; higher is more
        deprived), group (1 = most deprived to ``n``; <NA> where the small area has no score).
        Groups are made within each area by :func:`diagnostics.stats.quantile_groups` (population
        weighted), see :data:`DECILE_BASIS`.
    """
    from .stats import quantile_groups

    def compute():
        lookups = store.lookups
        links = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]].copy()
        scores = store.indicator_values("deprivation_score", links["small_area_code"].unique())
        scores = scores.sort_values("year").drop_duplicates("area_code", keep="last").set_index("area_code")["value"]
        pop = store.population
        latest = pop.loc[pop["year"] == pop["year"].max()].groupby("area_code")["population"].sum()
        links["population"] = links["small_area_code"].map(latest).fillna(0.0) * links["weight"]
        links["score"] = links["small_area_code"].map(scores)
        links["group"] = pd.array(np.full(len(links), pd.NA), dtype="Int64")
        for _, idx in links.groupby("area_code").groups.items():
            part = links.loc[idx]
            links.loc[idx, "group"] = quantile_groups(part["score"].to_numpy(float), part["population"].to_numpy(float),
                                                      n=n).to_numpy()
        return links[["area_code", "small_area_code", "weight", "population", "score", "group"]].reset_index(drop=True)

    return _cached(store, ("deprivation_groups", layer, n), compute)


def inequality_by_deprivation(store, layer: str, n: int = 10) -> pd.DataFrame:
    """Life expectancy at birth by sex and under-75 mortality in each local deprivation group, every area.

    Latest 3-year period. Returns one row per area, group and measure: area_code, group (1 = most
    deprived), n_small_areas, indicator_id ("life_expectancy_birth_female",
    "life_expectancy_birth_male", "under75_mortality"), period, value, lower_ci, upper_ci,
    numerator, denominator, note. Groups with no small area are present with the note
    "no small area in this group". Cached per store version.
    """
    from scipy import sparse

    def compute():
        groups = deprivation_groups(store, layer, n).dropna(subset=["group"])
        columns = ["area_code", "group", "n_small_areas", "indicator_id", "period", "value", "lower_ci", "upper_ci",
                   "standard_error", "numerator", "denominator", "note"]
        if groups.empty:
            return pd.DataFrame(columns=columns)
        small = small_area_counts(store)
        codes = pd.Index(np.sort(groups["area_code"].unique()))
        rows = codes.get_indexer(groups["area_code"]) * n + groups["group"].to_numpy(dtype=int) - 1
        cols = pd.Index(small.codes).get_indexer(groups["small_area_code"])
        ok = cols >= 0
        matrix = sparse.csr_matrix((groups["weight"].to_numpy(float)[ok], (rows[ok], cols[ok])),
                                   shape=(len(codes) * n, len(small.codes)))
        pool = min(POOL_YEARS, len(small.years))
        d = small.deaths[:, -pool:].sum(axis=1).reshape(len(small.codes), -1)
        p = small.population[:, -pool:].sum(axis=1).reshape(len(small.codes), -1)
        D = np.asarray(matrix @ d).reshape(len(codes) * n, 1, 2, len(AGE_BANDS))
        P = np.asarray(matrix @ p).reshape(len(codes) * n, 1, 2, len(AGE_BANDS))
        label = _period_labels(small.years[-pool:], pool)
        keys = [f"{c}|{g}" for c in codes for g in range(1, n + 1)]
        m = _measure_frame(D, P, keys, label, small.years[-1:])
        m = m.loc[m["indicator_id"].isin(["life_expectancy_birth_female", "life_expectancy_birth_male",
                                          "under75_mortality"])].copy()
        split = m["area_code"].str.rsplit("|", n=1, expand=True)
        m["area_code"], m["group"] = split[0], split[1].astype(int)
        count = groups.groupby(["area_code", "group"]).size()
        m["n_small_areas"] = count.reindex(pd.MultiIndex.from_frame(m[["area_code", "group"]])).fillna(0).astype(int).to_numpy()
        empty = m["n_small_areas"] == 0
        m.loc[empty, ["value", "lower_ci", "upper_ci"]] = np.nan
        m.loc[empty, "note"] = "no small area in this group"
        return m[columns].reset_index(drop=True)

    return _cached(store, ("inequality_by_deprivation", layer, n), compute)


def _gaps(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """Least minus most deprived group, per area and measure (NaN where either is missing)."""
    wide = table.pivot_table(index=["area_code", "indicator_id"], columns="group", values="value", dropna=False)
    wide = wide.reindex(columns=range(1, n + 1))
    return (wide[n] - wide[1]).rename("gap").reset_index()


def inequality_summary(store, place: str | Place, comparators=(), seed: int = 0) -> dict:
    """Inequality within a place by local deprivation decile (quintile when deciles cannot be made).

    Parameters
    ----------
    store : Store
    place : str or Place
    comparators : sequence of str
        Areas whose gaps the place's are compared with.
    seed : int, default 0
        Seed of the SII's simulated interval (reproducible).

    Returns
    -------
    dict
        ``available`` (bool), ``reason`` (why not, for people), ``n`` (10 or 5), ``groups_name``
        ("decile"/"quintile"), ``basis`` (:data:`DECILE_BASIS`), ``n_small_areas``, ``table`` (the
        place's rows of :func:`inequality_by_deprivation`), ``sii`` (one row per measure:
        indicator_id, sii, sii_lower_ci, sii_upper_ci, gap (least minus most deprived group, years
        or per 100 000), note), ``comparator_gaps`` (area_code, indicator_id, gap) for the
        comparators.

    Notes
    -----
    The slope index of inequality (:func:`diagnostics.stats.sii`) is the modelled difference
    between the most and the least deprived ends of the place's population; for life
    expectancy it is positive when the least deprived live longer (years), for under-75
    mortality negative when the most deprived die more (deaths per 100 000; simulated on the log
    scale).
    """
    from .stats import sii

    place = resolve_place(place, store)
    out = {"available": False, "reason": None, "basis": DECILE_BASIS, "table": pd.DataFrame(),
           "sii": pd.DataFrame(), "comparator_gaps": pd.DataFrame(), "n": 10, "groups_name": "decile"}
    reason = mortality_unavailable_reason(store)
    if reason is not None:
        out["reason"] = reason
        return out
    if store.indicator_values("deprivation_score").empty:
        out["reason"] = "the store has no small-area deprivation score (indicator deprivation_score)"
        return out
    if place.layer == "small_area" or place.layer not in set(store.lookups["layer"]):
        out["reason"] = (f"{place.name} is not made of small areas in the store's lookups, so it cannot be divided "
                         "into deprivation groups")
        return out
    tried = []
    for n, name in ((10, "decile"), (5, "quintile")):
        groups = deprivation_groups(store, place.layer, n)
        mine = groups.loc[groups["area_code"] == place.code]
        out["n_small_areas"] = int(mine["score"].notna().sum())
        table = inequality_by_deprivation(store, place.layer, n)
        table = table.loc[table["area_code"] == place.code]
        le = table.loc[table["indicator_id"] != "under75_mortality"]
        if len(le) == 2 * n and le["value"].notna().all():
            out.update(available=True, n=n, groups_name=name, table=table.reset_index(drop=True))
            break
        empty = int((table.drop_duplicates("group")["n_small_areas"] == 0).sum()) + n - table["group"].nunique()
        tried.append(
            f"{name}s: {empty} of the {n} groups hold no small area" if empty
            else f"{name}s: life expectancy cannot be calculated in every group "
                 f"({le['note'].dropna().iloc[0] if le['note'].notna().any() else 'a value is missing'})"
        )
    if not out["available"]:
        out["reason"] = (
            f"{place.name} has {out.get('n_small_areas', 0)} small areas with a deprivation score, too few "
            f"to compare its deprivation groups ({'; '.join(tried)})"
        )
        return out
    n, table = out["n"], out["table"]
    records = []
    for indicator_id in ("life_expectancy_birth_female", "life_expectancy_birth_male", "under75_mortality"):
        rows = table.loc[table["indicator_id"] == indicator_id].sort_values("group")
        gap = float(rows["value"].iloc[-1] - rows["value"].iloc[0])
        record = {"indicator_id": indicator_id, "gap": gap, "sii": np.nan, "sii_lower_ci": np.nan,
                  "sii_upper_ci": np.nan, "note": None}
        if rows["value"].notna().all() and rows["lower_ci"].notna().all() and (rows["upper_ci"] > rows["lower_ci"]).all():
            kind = "rate" if indicator_id == "under75_mortality" else "normal"
            result = sii(rows["value"].to_numpy(), rows["denominator"].to_numpy(), lower=rows["lower_ci"].to_numpy(),
                         upper=rows["upper_ci"].to_numpy(), value_type=kind, seed=seed)
            record.update({k: float(result.loc[0, k]) for k in ("sii", "sii_lower_ci", "sii_upper_ci")})
        else:
            record["note"] = "not calculated: a group's value or interval is missing (" + "; ".join(
                sorted(set(rows["note"].dropna()))) + ")"
        records.append(record)
    out["sii"] = pd.DataFrame.from_records(records)
    all_rows = inequality_by_deprivation(store, place.layer, n)
    gaps = _gaps(all_rows.loc[all_rows["area_code"].isin(list(comparators))], n)
    out["comparator_gaps"] = gaps
    return out


def small_area_mortality_ratio(store, place: str | Place, years: int = 5) -> pd.DataFrame:
    """Under-75 deaths in each small area of a place against the country's age-specific rates (SMR).

    Parameters
    ----------
    store : Store
    place : str or Place
    years : int, default 5
        Years pooled (the latest ones): small areas have few deaths.

    Returns
    -------
    DataFrame
        One row per small area linked to the place: code, observed (deaths under 75), expected,
        value (indirectly standardised ratio x 100: 100 = the country's rates), lower_ci,
        upper_ci (95%, Byar; exact below 10), period, note. Empty when the store has no deaths.
    """
    from .stats import isr

    place = resolve_place(place, store)
    if mortality_unavailable_reason(store) is not None:
        return pd.DataFrame(columns=["code", "observed", "expected", "value", "lower_ci", "upper_ci", "period", "note"])
    small = small_area_counts(store)
    years = min(years, len(small.years))
    if place.layer == "small_area":
        members = [place.code]
    else:
        lookups = store.lookups
        members = lookups.loc[(lookups["layer"] == place.layer) & (lookups["area_code"] == place.code),
                              "small_area_code"].tolist()
    index = pd.Index(small.codes).get_indexer(members)
    index = index[index >= 0]
    d = small.deaths[:, -years:, :, :_UNDER_75].sum(axis=(1, 2))
    p = small.population[:, -years:, :, :_UNDER_75].sum(axis=(1, 2))
    rates = d.sum(axis=0) / np.where(p.sum(axis=0) > 0, p.sum(axis=0), np.nan)
    result = isr(d[index].sum(axis=1), p[index], np.nan_to_num(rates), multiplier=100)
    result.insert(0, "code", small.codes[index])
    result["period"] = _period_labels(small.years[-years:], years)[0]
    return result[["code", "observed", "expected", "value", "lower_ci", "upper_ci", "period", "note"]]


# --------------------------------------------------------------------------------------------------
# Across boundaries: the health areas a place overlaps
# --------------------------------------------------------------------------------------------------


def health_area_overlaps(store, place: str | Place, layer: str = "health_area") -> pd.DataFrame:
    """The health areas a place overlaps, with the shares of residents they hold in common.

    A thin selection from :func:`diagnostics.geography.overlap_table` (residents of the latest
    year, through the lookups' weights).

    Returns
    -------
    DataFrame
        area_code, area_name, place_share (share of the place's residents living in the area),
        area_share (share of the area's residents living in the place), largest place_share first.
    """
    from .geography import overlap_table

    place = resolve_place(place, store)
    table = overlap_table(store, place, layers=[layer])
    table = table.loc[(table["layer"] == layer) & (table["place_share"] > 0)]
    return table[["area_code", "area_name", "place_share", "area_share"]].sort_values(
        "place_share", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Spine chart, funnel plots and similar places: the place among all areas of its layer
# --------------------------------------------------------------------------------------------------

#: Indicators drawn as funnel plots, in page order (the ones with counts behind them).
FUNNEL_INDICATORS: tuple[str, ...] = ("under75_mortality", "emergency_admissions", "smoking_prevalence",
                                      "obesity_prevalence")


def spine_table(store, place: str | Place) -> pd.DataFrame:
    """One row per health measure: the place, its region and country, and the range of its layer's areas.

    Returns
    -------
    DataFrame
        indicator_id, indicator (name), unit, decimals, polarity, period, value, region_value,
        country_value, comparison (the place against the country, 95%), worst, q25, median, q75,
        best (of all areas of the place's layer, oriented by polarity:
        :func:`diagnostics.fingertips_charts.spine_statistics`), n_areas. Latest period of each.
    """
    from .fingertips_charts import spine_statistics

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


def under75_smr(store, layer: str) -> pd.DataFrame:
    """Under-75 deaths of every area of a layer against the country's age-specific rates (latest 3 years).

    Returns
    -------
    DataFrame
        area_code, period, observed, expected (deaths under 75 at the country's rates by band and
        sex), value (indirectly standardised ratio x 100), lower_ci, upper_ci (95%, Byar), note.
        The natural scale for a funnel plot of standardised mortality (expected deaths on x).
    """
    from .stats import isr

    def compute():
        counts = layer_counts(store, layer)
        country = layer_counts(store, "country")
        pool = min(POOL_YEARS, len(counts.years))
        d = counts.deaths[:, -pool:, :, :_UNDER_75].sum(axis=1).reshape(len(counts.codes), -1)
        p = counts.population[:, -pool:, :, :_UNDER_75].sum(axis=1).reshape(len(counts.codes), -1)
        cd = country.deaths[:, -pool:, :, :_UNDER_75].sum(axis=(0, 1)).ravel()
        cp = country.population[:, -pool:, :, :_UNDER_75].sum(axis=(0, 1)).ravel()
        rates = np.where(cp > 0, cd / np.where(cp > 0, cp, 1), 0.0)
        out = isr(d.sum(axis=1), p, rates, multiplier=100)
        out.insert(0, "area_code", counts.codes)
        out.insert(1, "period", _period_labels(counts.years[-pool:], pool)[0])
        return out[["area_code", "period", "observed", "expected", "value", "lower_ci", "upper_ci", "note"]]

    return _cached(store, ("under75_smr", layer), compute)


def funnel_data(store, layer: str, indicator_id: str) -> dict | None:
    """What a funnel plot of one indicator across the areas of a layer needs, or None if it cannot be drawn.

    Returns
    -------
    dict or None
        ``points`` (code, name, numerator, denominator, value, significance: a label of
        :func:`diagnostics.stats.funnel_significance` at 95% and 99.8%), ``limits`` (of
        :func:`diagnostics.stats.funnel_limits` on a grid of 200 denominators), ``benchmark``
        (the country's value), ``kind``, ``multiplier``, ``name``, ``unit``, ``x_label``,
        ``y_label``, ``polarity``, ``period``. Under-75 mortality is drawn as an indirectly
        standardised ratio (observed / expected x 100) against expected deaths, since a directly
        standardised rate has no single denominator.
    """
    from .stats import funnel_limits, funnel_significance

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
    return {
        "points": pd.DataFrame({"code": codes, "name": names.reindex(codes).to_numpy(), "numerator": numerators,
                                "denominator": denominators, "value": numerators / denominators * multiplier,
                                "significance": significance}),
        "limits": funnel_limits(grid, benchmark, kind=kind, multiplier=multiplier),
        "benchmark": benchmark, "kind": kind, "multiplier": multiplier, "name": name, "unit": unit,
        "x_label": x_label, "y_label": y_label, "period": period,
        "polarity": "lower_is_better" if indicator_id == "under75_mortality" else str(catalogue.loc[indicator_id, "polarity"]),
    }


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
    for indicator_id, part in rows.groupby("indicator_id"):
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
    if layer not in store.layers or layer not in set(store.lookups["layer"]):
        return pd.DataFrame()
    overlaps = health_area_overlaps(store, place, layer)
    if overlaps.empty:
        return pd.DataFrame()
    rows = layer_comparison(store, layer)
    rows = rows.loc[rows["area_code"].isin(overlaps["area_code"])]
    out = overlaps.merge(rows, on="area_code", how="left")
    return out[["area_code", "area_name", "place_share", "area_share", "indicator_id", "period", "value", "lower_ci",
                "upper_ci", "country_value", "vs_country", "note"]]


# --------------------------------------------------------------------------------------------------
# Findings in plain English
# --------------------------------------------------------------------------------------------------

_SEX_WORD = {"female": "women", "male": "men"}


def _lower_first(name: str) -> str:
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _number(value: float, decimals: int, unit: str) -> str:
    text = f"{value:,.{decimals}f}"
    return f"{text}%" if unit == "%" else (f"{text} {unit}" if unit and unit != "years" else text)


def findings(headline: pd.DataFrame, inequality: dict | None, place_name: str, country_name: str,
             mortality_reason: str | None = None) -> list[dict]:
    """Plain-English findings, each naming the view whose figure it comes from.

    Parameters
    ----------
    headline : DataFrame
        :func:`health_headline` for the place.
    inequality : dict or None
        :func:`inequality_summary` for the place.
    place_name, country_name : str
    mortality_reason : str, optional
        Why life expectancy and mortality are missing (:func:`mortality_unavailable_reason`).

    Returns
    -------
    list of dict
        ``text`` (one sentence or two) and ``see`` (the heading of the view showing the figure).
        Only differences whose 95% intervals exclude the benchmark are called significant.
    """
    out = []
    table = headline.set_index("indicator_id")
    ready = {sex: table.loc[i] for sex, i in (("female", READY_MADE_EQUIVALENTS["life_expectancy_birth_female"]),
                                              ("male", READY_MADE_EQUIVALENTS["life_expectancy_birth_male"]))
             if mortality_reason and i in table.index and table.loc[i, "status"] == "ok"}
    if mortality_reason:
        what = "Life expectancy at 65 and under-75 mortality" if ready else "Life expectancy and mortality"
        out.append({"text": f"{what} cannot be shown: {mortality_reason}.", "see": "Headline health"})
    for sex, r in ready.items():
        text = f"Life expectancy at birth for {_SEX_WORD[sex]} is {r['value']:.1f} years ({r['period']}; ready-made, {r['source']})"
        diff = r["value"] - r["country_value"]
        if pd.notna(diff):
            text += f", {abs(diff):.1f} years {'above' if diff >= 0 else 'below'} {country_name}'s {r['country_value']:.1f}"
            if r["vs_country"] in ("better", "worse", "similar"):
                text += ": " + {"better": "significantly higher than", "worse": "significantly lower than",
                                "similar": "not significantly different from"}[r["vs_country"]] + f" {country_name}"
            else:
                text += " (the imported figure has no interval, so the difference is not tested)"
        out.append({"text": text + ".", "see": "Headline health"})
    gaps = {}
    if inequality and inequality.get("available"):
        s = inequality["sii"].set_index("indicator_id")
        comp = inequality["comparator_gaps"]
        for sex in ("female", "male"):
            indicator_id = f"life_expectancy_birth_{sex}"
            if indicator_id in s.index and np.isfinite(s.loc[indicator_id, "gap"]):
                theirs = comp.loc[comp["indicator_id"] == indicator_id, "gap"].dropna()
                gaps[sex] = (float(s.loc[indicator_id, "gap"]), int((theirs < s.loc[indicator_id, "gap"]).sum()), len(theirs))
    for sex in ("female", "male"):
        indicator_id = f"life_expectancy_birth_{sex}"
        if indicator_id not in table.index or mortality_reason:
            continue
        r = table.loc[indicator_id]
        if r["status"] != "ok":
            out.append({"text": f"Life expectancy at birth for {_SEX_WORD[sex]} is not published for {place_name}: "
                                f"{r['status']}.", "see": "Headline health"})
            continue
        diff = r["value"] - r["country_value"]
        if pd.isna(diff):
            text = f"Life expectancy at birth for {_SEX_WORD[sex]} is {r['value']:.1f} years ({r['period']})."
        else:
            verdict = {"better": "significantly higher than", "worse": "significantly lower than"}.get(
                r["vs_country"], "not significantly different from")
            text = (f"Life expectancy at birth for {_SEX_WORD[sex]} is {r['value']:.1f} years ({r['period']}), "
                    f"{abs(diff):.1f} years {'above' if diff >= 0 else 'below'} {country_name}'s {r['country_value']:.1f}: "
                    f"{verdict} {country_name}.")
        if sex in gaps:
            gap, narrower, n = gaps[sex]
            name = inequality["groups_name"]
            text += (f" The gap between the most and least deprived {'tenths' if name == 'decile' else 'fifths'} of "
                     f"{place_name} is {gap:.1f} years" + (f", wider than in {narrower} of {n} similar places." if n else "."))
            see = "Headline health; Inequality within the place"
        else:
            see = "Headline health"
        out.append({"text": text, "see": see})
    if "under75_mortality" in table.index and not mortality_reason:
        r = table.loc["under75_mortality"]
        if r["status"] == "ok":
            verdict = {"better": "significantly lower (better) than", "worse": "significantly higher (worse) than"}.get(
                r["vs_country"], "not significantly different from")
            country_text = f" {country_name}'s {r['country_value']:,.0f}" if pd.notna(r["country_value"]) else f" {country_name}"
            out.append({"text": f"Under-75 mortality is {r['value']:,.0f} deaths per 100,000 ({r['period']}, age-standardised), "
                                f"{verdict}{country_text}.", "see": "Headline health; Funnel plots"})
        else:
            out.append({"text": f"Under-75 mortality is not published for {place_name}: {r['status']}.", "see": "Headline health"})
    prevalence = headline.loc[~headline["indicator_id"].isin([*MEASURE_IDS, *READY_MADE_EQUIVALENTS.values()])
                              & (headline["status"] == "ok")]
    for label, words in (("worse", "Significantly worse than"), ("better", "Significantly better than")):
        part = prevalence.loc[prevalence["vs_country"] == label]
        if len(part):
            items = [f"{_lower_first(r['name'])} "
                     f"({_number(r['value'], int(r['decimals']), r['unit'])} against {_number(r['country_value'], int(r['decimals']), r['unit'])})"
                     for _, r in part.iterrows()]
            out.append({"text": f"{words} {country_name} on {len(part)} of {len(prevalence)} other health indicators: "
                                + "; ".join(items) + ".", "see": "Headline health; Spine chart"})
    worse = headline.loc[headline["trend"].astype(str).str.endswith("getting worse"), "name"].tolist()
    if worse:
        out.append({"text": "Getting significantly worse over the last five points: " + "; ".join(worse) + ".",
                    "see": "Headline health (recent trend)"})
    missing = headline.loc[(headline["status"] != "ok") & ~headline["indicator_id"].isin(MEASURE_IDS), "name"].tolist()
    if missing:
        out.append({"text": "Not available for this place: " + "; ".join(missing) + " (reasons in the headline table).",
                    "see": "Headline health"})
    return out


# --------------------------------------------------------------------------------------------------
# Ready-made equivalents (real stores) and the deprivation profile
# --------------------------------------------------------------------------------------------------

#: Computed measure -> the ready-made indicator of a real store that publishes the same measure
#: (OHID Fingertips indicator 90366, life expectancy at birth; ids of data/england_catalogue.csv).
READY_MADE_EQUIVALENTS: dict[str, str] = {
    "life_expectancy_birth_female": "life_expectancy_female",
    "life_expectancy_birth_male": "life_expectancy_male",
}

#: Where to get each computed measure ready-made when the store can neither compute nor show it.
READY_MADE_SOURCES: dict[str, str] = {
    "life_expectancy_birth_female": "OHID Fingertips indicator 90366 (life expectancy at birth)",
    "life_expectancy_birth_male": "OHID Fingertips indicator 90366 (life expectancy at birth)",
    "life_expectancy_65_female": "OHID Fingertips indicator 91102 (life expectancy at 65)",
    "life_expectancy_65_male": "OHID Fingertips indicator 91102 (life expectancy at 65)",
    "under75_mortality": "OHID Fingertips indicator 108 (under 75 mortality rate from all causes)",
}


def ready_made_in_place_of(store) -> dict[str, str]:
    """Computed measure -> ready-made indicator shown in its place (empty when the store can compute).

    Only when :func:`mortality_unavailable_reason` gives a reason, and only for ready-made
    indicators the store holds values of.
    """
    if mortality_unavailable_reason(store) is None:
        return {}
    present = set(prevalence_indicator_ids(store))
    return {computed: ready for computed, ready in READY_MADE_EQUIVALENTS.items() if ready in present}


def is_ready_made(method) -> bool:
    """Whether a catalogue ``method`` marks a published (ready-made) figure rather than one computed here."""
    return isinstance(method, str) and method.startswith("Ready-made")


def _with_ready_made(store, table: pd.DataFrame) -> pd.DataFrame:
    """The headline with each computed measure the store cannot compute replaced by its ready-made
    equivalent (moved to the top), and the others' status saying which dataset would supply them."""
    reason = mortality_unavailable_reason(store)
    if reason is None:
        return table
    swap = ready_made_in_place_of(store)
    computed = table["indicator_id"].isin(MEASURE_IDS)
    keep = table.loc[computed & ~table["indicator_id"].isin(swap)].copy()
    missing = " or ".join(t for t in ("deaths", "population") if not store.has_table(t)) or "usable deaths or population"
    keep["status"] = [
        f"not available: not computed (the store has no {missing} table) and not imported ready-made; "
        f"import {READY_MADE_SOURCES[i]} to show it" for i in keep["indicator_id"]
    ]
    ready = table.loc[table["indicator_id"].isin(swap.values())]
    others = table.loc[~computed & ~table["indicator_id"].isin(swap.values())]
    return pd.concat([ready, keep, others], ignore_index=True)


DEPRIVATION_DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment")


def deprivation_profile(store, place: str | Place) -> pd.DataFrame:
    """The place's deprivation profile: MHCLG's summaries of the IMD and its domains.

    Read from the store's ``deprivation_<domain>_<measure>`` indicators (real stores: computed at
    import by :mod:`diagnostics.deprivation` from the IoD2019 small-area files). A store without
    them but with small-area ``deprivation_score`` values (the synthetic store) gets the IMD's
    summaries computed here by :func:`diagnostics.deprivation.area_summaries`: small areas ranked
    nationally by score (1 = most deprived; IoD ranks are ranks of scores), weighted by their
    latest populations, each small area in the area its lookup weight is largest for (best fit),
    areas ranked among the place's layer.

    Returns
    -------
    DataFrame
        One row per domain present, in :data:`DEPRIVATION_DOMAINS` order: domain, domain_name,
        average_rank, average_score, most_deprived_10pct (%), rank_of_average_rank,
        rank_of_average_score, rank_of_most_deprived_10pct (1 = most deprived), n_ranked (areas of
        the layer ranked), period, source, vintage, computed_here (bool). Missing measures are NaN;
        empty when the store supports neither route.
    """
    from . import deprivation

    place = resolve_place(place, store)
    ids = [deprivation.indicator_id(d, m) for d in DEPRIVATION_DOMAINS for m in deprivation.MEASURES]
    rows = store.indicator_values(ids, [place.code])
    computed_here = False
    if rows.empty:
        rows = _profile_from_scores(store, place)
        computed_here = True
        if rows.empty:
            return pd.DataFrame()
    rows = rows.sort_values("year").drop_duplicates("indicator_id", keep="last")
    records = []
    for domain in DEPRIVATION_DOMAINS:
        record = {"domain": domain, "domain_name": deprivation.DOMAIN_NAMES[domain]}
        found = False
        for measure in deprivation.MEASURES:
            hit = rows.loc[rows["indicator_id"] == deprivation.indicator_id(domain, measure)]
            record[measure] = float(hit["value"].iloc[0]) if not hit.empty else np.nan
            found = found or not hit.empty
            if not hit.empty:
                record.update(period=str(hit["period"].iloc[0]), source=hit["source"].iloc[0] if "source" in hit else store.source,
                              vintage=hit["vintage"].iloc[0] if "vintage" in hit else store.vintage)
                note = hit["note"].iloc[0] if "note" in hit else None
                if measure.startswith("rank_of_") and isinstance(note, str):
                    digits = [int(w) for w in note.split() if w.isdigit()]
                    if digits:
                        record["n_ranked"] = digits[0]
                elif measure.startswith("rank_of_") and "n_ranked" in hit:
                    record["n_ranked"] = int(hit["n_ranked"].iloc[0])
        if found:
            record["computed_here"] = computed_here
            records.append(record)
    out = pd.DataFrame.from_records(records)
    for column in ["n_ranked", "period", "source", "vintage"]:
        if column not in out.columns:
            out[column] = np.nan
    return out


def deprivation_profile_layers(store) -> list[str]:
    """The layers whose areas have a stored deprivation profile (IMD average rank), in store order."""
    from . import deprivation

    codes = store.indicator_values(deprivation.indicator_id("imd", "average_rank"))["area_code"].unique()
    layers = {store.layer_of(code) for code in codes}
    return [layer for layer in store.layers if layer in layers]


def _profile_from_scores(store, place: Place) -> pd.DataFrame:
    """The IMD profile of every area of the place's layer from small-area deprivation scores, the
    place's rows in the store's ``indicators`` layout (plus n_ranked); empty when impossible."""
    from . import deprivation

    if not store.has_table("population") or place.layer == "small_area":
        return pd.DataFrame()

    def compute() -> pd.DataFrame:
        small = set(store.areas_in_layer("small_area")["code"])
        scores = store.indicator_values("deprivation_score")
        scores = scores.loc[scores["area_code"].isin(small)]
        if scores.empty:
            return pd.DataFrame()
        scores = scores.sort_values("year").drop_duplicates("area_code", keep="last")
        lookups = store.lookups
        links = lookups.loc[lookups["layer"] == place.layer].sort_values("weight", ascending=False)
        links = links.drop_duplicates("small_area_code")
        if links.empty:
            return pd.DataFrame()
        pop = store.population
        weights = pop.loc[pop["year"] == pop["year"].max()].groupby("area_code")["population"].sum()
        scores = scores.loc[scores["area_code"].isin(set(weights.index[weights > 0]))]
        rank = scores["value"].rank(ascending=False, method="first")
        measures = pd.concat([
            pd.DataFrame({"small_area_code": scores["area_code"], "domain": "imd", "measure": "score", "value": scores["value"]}),
            pd.DataFrame({"small_area_code": scores["area_code"], "domain": "imd", "measure": "rank", "value": rank}),
        ], ignore_index=True)
        membership = links.loc[links["small_area_code"].isin(set(scores["area_code"])),
                               ["small_area_code", "layer", "area_code"]]
        summaries = deprivation.area_summaries(measures, weights, membership, n_national=len(scores))
        rows = deprivation.profile_indicators(summaries, period=str(int(scores["year"].max())),
                                              year=int(scores["year"].max()))
        rows["n_ranked"] = summaries["n_ranked"].to_numpy()
        rows["source"] = f"{store.source}: small-area deprivation scores, summarised here"
        rows["vintage"] = store.vintage
        return rows

    rows = _cached(store, ("deprivation_profile_from_scores", place.layer), compute)
    return rows.loc[rows["area_code"] == place.code] if not rows.empty else rows
