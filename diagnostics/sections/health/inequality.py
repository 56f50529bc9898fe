"""Inequality in life expectancy and mortality within a place, by deprivation decile.

The place's own small areas are ranked by their deprivation score and cut into ten groups of equal
population (local deciles, PHE's method); life expectancy and mortality of each group come from the
same small-area counts as :mod:`diagnostics.sections.health.mortality`, and the gap between the most and least
deprived is the slope index of inequality (:func:`diagnostics.stats.sii`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.conventions import AGE_BANDS
from diagnostics.sections.health.mortality import (
    POOL_YEARS,
    UNDER_75,
    measure_frame,
    period_labels,
    small_area_counts,
    small_area_mortality_reason,
)
from diagnostics.stats import isr, quantile_groups, sii
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "DECILE_BASIS",
    "INEQUALITY_MEASURE_IDS",
    "InequalitySummary",
    "deprivation_groups",
    "inequality_by_deprivation",
    "inequality_summary",
    "small_area_mortality_ratio",
]

#: How the deprivation groups within a place are made, for people.
DECILE_BASIS = (
    "local deciles: the place's own small areas ranked by their 2019 deprivation score and cut into "
    "ten groups of equal population (PHE's method for the slope index of inequality in life "
    "expectancy within a local authority), so every place has ten groups and its gap measures "
    "inequality within it, whatever its deprivation against the country"
)

#: The measures compared across deprivation groups, in page order.
INEQUALITY_MEASURE_IDS: tuple[str, ...] = ("life_expectancy_birth_female", "life_expectancy_birth_male",
                                           "under75_mortality")


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
        weighted), see :data:`DECILE_BASIS`: groups of equal population, deliberately not
        :func:`diagnostics.stats.phe_quantile`'s groups of equal numbers of areas (PHE's method for
        comparing areas in quantiles).
    """
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

    return cached(per_store(store, "deprivation_groups", layer, n, disk=TABLE), compute)


def inequality_by_deprivation(store, layer: str, n: int = 10) -> pd.DataFrame:
    """Life expectancy at birth by sex and under-75 mortality in each local deprivation group, every area.

    Latest 3-year period. Returns one row per area, group and measure: area_code, group (1 = most
    deprived), n_small_areas, indicator_id ("life_expectancy_birth_female",
    "life_expectancy_birth_male", "under75_mortality"), period, value, lower_ci, upper_ci,
    numerator, denominator, note. Groups with no small area are present with the note
    "no small area in this group". Cached per store version.
    """
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
        label = period_labels(small.years[-pool:], pool)
        keys = [f"{c}|{g}" for c in codes for g in range(1, n + 1)]
        m = measure_frame(D, P, keys, label, small.years[-1:])
        m = m.loc[m["indicator_id"].isin(INEQUALITY_MEASURE_IDS)].copy()
        split = m["area_code"].str.rsplit("|", n=1, expand=True)
        m["area_code"], m["group"] = split[0], split[1].astype(int)
        count = groups.groupby(["area_code", "group"]).size()
        m["n_small_areas"] = count.reindex(pd.MultiIndex.from_frame(m[["area_code", "group"]])).fillna(0).astype(int).to_numpy()
        empty = m["n_small_areas"] == 0
        m.loc[empty, ["value", "lower_ci", "upper_ci"]] = np.nan
        m.loc[empty, "note"] = "no small area in this group"
        return m[columns].reset_index(drop=True)

    return cached(per_store(store, "inequality_by_deprivation", layer, n, disk=TABLE), compute)


def _gaps(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """Least minus most deprived group, per area and measure (NaN where either is missing)."""
    wide = table.pivot_table(index=["area_code", "indicator_id"], columns="group", values="value", dropna=False)
    wide = wide.reindex(columns=range(1, n + 1))
    return (wide[n] - wide[1]).rename("gap").reset_index()


@dataclass(frozen=True, eq=False)
class InequalitySummary:
    """Inequality within a place by local deprivation group: what :func:`inequality_summary` returns.

    Attributes
    ----------
    available : bool
        Whether the place could be divided into groups with a value in each.
    reason : str or None
        Why not, for people (None when available).
    n : int
        10 (deciles) or 5 (quintiles, where deciles cannot each hold a life table).
    groups_name : str
        "decile" or "quintile".
    n_small_areas : int
        The place's small areas with a deprivation score.
    table : DataFrame
        The place's rows of :func:`inequality_by_deprivation` (empty when not available).
    sii : DataFrame
        One row per measure of :data:`INEQUALITY_MEASURE_IDS`: indicator_id, sii, sii_lower_ci,
        sii_upper_ci (95%), gap (least minus most deprived group: years, or deaths per 100 000),
        note (why the SII is not calculated; else None).
    comparator_gaps : DataFrame
        area_code, indicator_id, gap: the same gaps for the comparators.
    basis : str
        How the groups are made (:data:`DECILE_BASIS`).
    """

    available: bool
    reason: str | None = None
    n: int = 10
    groups_name: str = "decile"
    n_small_areas: int = 0
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    sii: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparator_gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    basis: str = DECILE_BASIS

    def gap_against_comparators(self, indicator_id: str) -> tuple[int, int]:
        """How many comparators have a narrower gap than the place on one measure, and of how many.

        Mortality's gaps are compared by size (they are negative where the most deprived die more);
        life expectancy's as they are (a negative gap, the least deprived living shorter, is narrower
        than any positive one).

        Returns
        -------
        (int, int)
            Comparators whose gap is narrower than the place's; comparators with a gap.
        """
        mine = float(self.sii.set_index("indicator_id").loc[indicator_id, "gap"])
        theirs = self.comparator_gaps.loc[self.comparator_gaps["indicator_id"] == indicator_id, "gap"].dropna()
        if indicator_id == "under75_mortality":
            return int((theirs.abs() < abs(mine)).sum()), len(theirs)
        return int((theirs < mine).sum()), len(theirs)


def inequality_summary(store, place: str | Place, comparators=(), seed: int = 0) -> InequalitySummary:
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
    InequalitySummary
        The groups, their values, the slope index of inequality and the gap of each measure, and
        the comparators' gaps; or, when the place cannot be divided, ``available`` False and the
        ``reason``.

    Notes
    -----
    The slope index of inequality (:func:`diagnostics.stats.sii`) is the modelled difference
    between the most and the least deprived ends of the place's population; for life
    expectancy it is positive when the least deprived live longer (years), for under-75
    mortality negative when the most deprived die more (deaths per 100 000; simulated on the log
    scale).
    """
    place = resolve_place(place, store)
    reason = small_area_mortality_reason(store)
    if reason is not None:
        return InequalitySummary(available=False, reason=reason)
    if store.indicator_values("deprivation_score").empty:
        return InequalitySummary(available=False,
                                 reason="the store has no small-area deprivation score (indicator deprivation_score)")
    if place.layer == "small_area" or place.layer not in store.lookup_layers:
        return InequalitySummary(available=False, reason=(
            f"{place.name} is not made of small areas in the store's lookups, so it cannot be divided "
            "into deprivation groups"))
    tried = []
    n_small_areas = 0
    for n, name in ((10, "decile"), (5, "quintile")):
        groups = deprivation_groups(store, place.layer, n)
        mine = groups.loc[groups["area_code"] == place.code]
        n_small_areas = int(mine["score"].notna().sum())
        table = inequality_by_deprivation(store, place.layer, n)
        table = table.loc[table["area_code"] == place.code]
        le = table.loc[table["indicator_id"] != "under75_mortality"]
        if len(le) == 2 * n and le["value"].notna().all():
            break
        empty = int((table.drop_duplicates("group")["n_small_areas"] == 0).sum()) + n - table["group"].nunique()
        tried.append(
            f"{name}s: {empty} of the {n} groups hold no small area" if empty
            else f"{name}s: life expectancy cannot be calculated in every group "
                 f"({le['note'].dropna().iloc[0] if le['note'].notna().any() else 'a value is missing'})"
        )
    else:
        return InequalitySummary(available=False, n_small_areas=n_small_areas, reason=(
            f"{place.name} has {n_small_areas} small areas with a deprivation score, too few "
            f"to compare its deprivation groups ({'; '.join(tried)})"))
    table = table.reset_index(drop=True)
    all_rows = inequality_by_deprivation(store, place.layer, n)
    return InequalitySummary(
        available=True, n=n, groups_name=name, n_small_areas=n_small_areas, table=table,
        sii=_slope_indices(table, seed),
        comparator_gaps=_gaps(all_rows.loc[all_rows["area_code"].isin(list(comparators))], n),
    )


def _slope_indices(table: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The SII (simulated 95% interval) and the gap of each measure of one place's groups."""
    records = []
    for indicator_id in INEQUALITY_MEASURE_IDS:
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
    return pd.DataFrame.from_records(records)


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
    place = resolve_place(place, store)
    if small_area_mortality_reason(store) is not None:
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
    d = small.deaths[:, -years:, :, :UNDER_75].sum(axis=(1, 2))
    p = small.population[:, -years:, :, :UNDER_75].sum(axis=(1, 2))
    rates = d.sum(axis=0) / np.where(p.sum(axis=0) > 0, p.sum(axis=0), np.nan)
    result = isr(d[index].sum(axis=1), p[index], np.nan_to_num(rates), multiplier=100)
    result.insert(0, "code", small.codes[index])
    result["period"] = period_labels(small.years[-years:], years)[0]
    return result[["code", "observed", "expected", "value", "lower_ci", "upper_ci", "period", "note"]]
