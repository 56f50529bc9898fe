"""Comparators and benchmarking: who a place is compared with, and how it stands.

- :func:`nearest_neighbours`: statistical nearest neighbours, standardised Euclidean distance on a
  documented set of indicators (in the spirit of CIPFA's and ONS's similar-areas methods).
- :func:`benchmark_table`: the place against its region, its country and its comparators, indicator
  by indicator, with significance and recent trend, polarity-aware.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats import compare_to_benchmark, trend
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "NEIGHBOUR_INDICATORS",
    "NEIGHBOUR_EQUIVALENTS",
    "nearest_neighbours",
    "ancestor_of_layer",
    "sibling_areas",
    "latest_values",
    "benchmark_table",
    "BENCHMARK_COLUMNS",
    "benchmark_row",
]

#: Indicators and weights of the default similarity measure: size (log population), age structure,
#: deprivation, prosperity (log GVA per head) and labour market. Each is standardised (z-score
#: across the layer's areas) before weighting.
NEIGHBOUR_INDICATORS: Mapping[str, float] = {
    "population_total": 1.0,
    "population_aged_65_plus": 1.0,
    "working_age_share": 0.5,
    "deprivation_score": 1.5,
    "gva_per_head": 1.0,
    "employment_rate": 1.0,
}

#: Stand-ins, best first, for a :data:`NEIGHBOUR_INDICATORS` variable a store does not hold, so the
#: same five ideas (size, age structure, deprivation, prosperity, labour market) are measured on
#: stores built from other sources. The real England store (``data/england_catalogue.csv``)
#: publishes:
#:
#: - age structure as the two broad shares of IoD2019 File 6 (mid-2015): aged 60 and over for
#:   ``population_aged_65_plus`` and aged 0-15 for ``working_age_share`` (with the 60+ share the
#:   two fix the working-age share);
#: - deprivation as the district's IMD profile (MHCLG's average score when File 5/7 scores were
#:   imported, else its average rank) for ``deprivation_score``;
#: - prosperity as GDP per head, else GVA per hour worked, for ``gva_per_head``.
#:
#: A stand-in takes its variable's weight and is used only when its variable has no values for
#: the layer (see :func:`nearest_neighbours`); the ``basis`` column names what was used.
NEIGHBOUR_EQUIVALENTS: Mapping[str, tuple[str, ...]] = {
    "population_aged_65_plus": ("population_aged_60_plus_share",),
    "working_age_share": ("population_aged_0_15_share",),
    "deprivation_score": ("deprivation_imd_average_score", "deprivation_imd_average_rank"),
    "gva_per_head": ("gdp_per_head", "gva_per_hour"),
}
_LOG_SCALED = {"population_total", "gva_per_head", "gdp_per_head", "gva_per_hour"}


def ancestor_of_layer(store, code: str, layer: str) -> str | None:
    """The code of the area of ``layer`` that contains ``code`` in the main hierarchy, if any."""
    for parent in store.ancestors(code):
        if store.layer_of(parent) == layer:
            return parent
    return None


def sibling_areas(
    store, place: str | Place, min_count: int = 5, within: str | None = None
) -> tuple[list[str], str | None]:
    """The areas of the place's layer that share its nearest ancestor holding at least ``min_count`` of them.

    A district's siblings are usually the districts of its county or region; a small area's, those
    of its neighbourhood or district. Used to draw a place in its surroundings.

    ``within`` names the ancestor to use instead of searching for one.

    Returns
    -------
    (list of str, str or None)
        The sibling codes (the place included) and the ancestor's code; all areas of the layer
        and None when no ancestor holds ``min_count`` of them.
    """
    place = resolve_place(place, store)
    peers = store.areas_in_layer(place.layer)["code"].tolist()
    chains = {code: store.ancestors(code) for code in peers}
    for ancestor in [within] if within else store.ancestors(place.code):
        siblings = [code for code, chain in chains.items() if ancestor in chain]
        if len(siblings) >= min_count:
            return siblings, ancestor
    return peers, None


def latest_values(store, indicator_ids: Iterable[str], area_codes: Iterable[str]) -> pd.DataFrame:
    """The latest period's row of each indicator for each area (one row per indicator and area)."""
    rows = store.indicator_values(list(indicator_ids), list(area_codes))
    if rows.empty:
        return rows
    latest = rows.groupby("indicator_id")["year"].transform("max")
    return rows.loc[rows["year"] == latest].drop_duplicates(["indicator_id", "area_code"], keep="last")


def nearest_neighbours(
    store,
    place: str | Place,
    k: int = 15,
    indicators: Mapping[str, float] | None = None,
    layer: str | None = None,
) -> pd.DataFrame:
    """Statistical nearest neighbours of a place among the areas of a layer.

    Parameters
    ----------
    store : Store
    place : str or Place
    k : int, default 15
        How many neighbours (fewer if the layer has fewer other areas).
    indicators : mapping of str to float, optional
        Indicator id -> weight; default :data:`NEIGHBOUR_INDICATORS`. An indicator without values
        for the place and at least three areas of the layer is replaced by its first stand-in in
        :data:`NEIGHBOUR_EQUIVALENTS` that has them (same weight); one with neither is left out.
        The ``basis`` column names those used; ``attrs["indicators"]`` holds their ids and
        weights and ``attrs["stand_ins"]`` which default each stand-in replaced.
    layer : str, optional
        The layer whose areas are the candidates; default the place's own layer.

    Returns
    -------
    DataFrame
        Columns code, name, distance (weighted Euclidean distance in standard deviations), rank
        (1 = most similar), closest_on (the two indicators on which the neighbour is closest),
        furthest_on (the indicator that separates them most), basis (the indicators used).
        Ties are broken by code, so the result is deterministic.

    Notes
    -----
    With :math:`z_{ij}` the z-score of indicator :math:`j` for area :math:`i` across the layer
    (log-transformed first for population and GVA or GDP per head or per hour) and :math:`w_j` its weight,

    .. math:: d(p, i) = \\sqrt{\\sum_j w_j (z_{pj} - z_{ij})^2}

    Areas missing any indicator used are left out of the candidates.
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidParameter(f"The 'k' parameter of nearest_neighbours must be a positive integer; got {k!r}.")
    place = resolve_place(place, store)
    wanted = dict(indicators or NEIGHBOUR_INDICATORS)
    layer = layer or place.layer
    if layer not in store.layers:
        raise InvalidParameter(
            f"The 'layer' parameter of nearest_neighbours must be one of the store's layers {store.layers}; got {layer!r}."
        )
    peers = store.areas_in_layer(layer)
    options = {v: (v, *NEIGHBOUR_EQUIVALENTS.get(v, ())) for v in wanted}
    candidates = list(dict.fromkeys(i for ids in options.values() for i in ids))
    values = latest_values(store, candidates, list(peers["code"]) + [place.code])
    empty = pd.DataFrame(columns=["code", "name", "distance", "rank", "closest_on", "furthest_on", "basis"])
    if values.empty:
        return empty
    wide = values.pivot(index="area_code", columns="indicator_id", values="value")

    def usable(i: str) -> bool:
        return i in wide.columns and wide[i].notna().sum() > 2 and pd.notna(wide[i].get(place.code, np.nan))

    weights: dict[str, float] = {}
    stand_ins: dict[str, str] = {}
    for variable, weight in wanted.items():
        found = next((i for i in options[variable] if usable(i) and i not in weights), None)
        if found is not None:
            weights[found] = weight
            if found != variable:
                stand_ins[variable] = found
    used = list(weights)
    if not used or place.code not in wide.index:
        return empty
    wide = wide[used].dropna()
    transformed = wide.copy()
    for column in used:
        if column in _LOG_SCALED:
            transformed[column] = np.log(transformed[column].clip(lower=1e-9))
    sd = transformed.std(ddof=0).replace(0, 1.0)
    z = (transformed - transformed.mean()) / sd
    gaps = (z - z.loc[place.code]).abs()
    distance = np.sqrt((gaps.pow(2) * pd.Series(weights)[used]).sum(axis=1))
    distance = distance.drop(index=place.code)
    order = distance.reset_index().rename(columns={"area_code": "code", 0: "distance"})
    order.columns = ["code", "distance"]
    order = order.sort_values(["distance", "code"]).head(k).reset_index(drop=True)
    names = peers.set_index("code")["name"]
    catalogue = store.catalogue
    short = lambda ids: [catalogue.loc[i, "short_name"] if i in catalogue.index else i for i in ids]  # noqa: E731
    order["name"] = order["code"].map(names)
    order["rank"] = np.arange(1, len(order) + 1)
    order["closest_on"] = [", ".join(short(gaps.loc[c].nsmallest(2).index)) for c in order["code"]]
    order["furthest_on"] = [short([gaps.loc[c].idxmax()])[0] for c in order["code"]]
    order["basis"] = ", ".join(short(used))
    order = order[["code", "name", "distance", "rank", "closest_on", "furthest_on", "basis"]]
    order.attrs["indicators"] = dict(weights)  # the ids used and their weights
    order.attrs["stand_ins"] = stand_ins  # default variable -> the stand-in used for it
    return order


#: The columns of :func:`benchmark_table`, in order.
BENCHMARK_COLUMNS = [
    "indicator_id", "name", "unit", "polarity", "decimals", "period", "value", "lower_ci", "upper_ci",
    "region_value", "country_value", "comparators_median", "comparators_min", "comparators_max",
    "n_comparators", "rank", "n_ranked", "vs_country", "trend", "source", "status",
]


def _rank_among(values: pd.Series, code: str, polarity: str) -> tuple[float, int]:
    """Rank of ``code`` among ``values`` (1 = best by polarity; 1 = highest when neutral)."""
    clean = values.dropna()
    if code not in clean.index:
        return np.nan, len(clean)
    ascending = polarity == "lower_is_better"
    ranks = clean.rank(ascending=ascending, method="min")
    return float(ranks[code]), len(clean)


def _recent_trend(history: pd.DataFrame, value_type: str, polarity: str) -> str:
    """Fingertips' recent-trend label for the last five periods of one area's indicator."""
    history = history.sort_values("year").tail(5)
    has_counts = history["numerator"].notna().all() and history["denominator"].notna().all()
    kind = value_type if has_counts and value_type in ("proportion", "rate") else "value"
    try:
        result = trend(
            history["value"].to_numpy(),
            history["year"].to_numpy(),
            numerators=history["numerator"].to_numpy() if kind != "value" else None,
            denominators=history["denominator"].to_numpy() if kind != "value" else None,
            polarity=polarity,
            kind=kind,
        )
    except ValueError:
        return "cannot be calculated"
    return result["label"]


def benchmark_row(
    measure: Mapping[str, object],
    place_code: str,
    own: Mapping[str, object],
    values: pd.Series,
    peer_values: pd.Series,
    *,
    region: str | None,
    country: str | None,
    comparators: Sequence[str],
    trend: str,
    source: str,
    status: str = "ok",
) -> dict:
    """One row of a benchmark table (:data:`BENCHMARK_COLUMNS`): the place's value against its
    region, country, comparators and peers, for one measure and period.

    The one builder of every benchmark row: stored indicators (:func:`benchmark_table`), life
    expectancy and mortality computed from deaths, growth-firm rates from a register.

    Parameters
    ----------
    measure : mapping
        ``indicator_id``, ``name``, ``unit``, ``polarity``, ``decimals`` of the measure.
    place_code : str
    own : mapping
        The place's ``period``, ``value``, ``lower_ci`` and ``upper_ci``.
    values : Series
        The measure's value by area code, in the same period: must hold the region, the country
        and the comparators where they have one.
    peer_values : Series
        The values of every area of the place's layer (the place included), for its rank.
    region, country : str or None
        Their codes.
    comparators : sequence of str
    trend, source, status : str
        The recent-trend label, the source and "ok" (or why the value is missing).

    Returns
    -------
    dict
        Keyed by :data:`BENCHMARK_COLUMNS`: rank 1 is the best of the peers (highest first when the
        polarity is neutral); ``vs_country`` is Fingertips' comparison of the place's interval with
        the country's value (:func:`diagnostics.stats.compare_to_benchmark`).
    """
    comps = values.reindex(list(comparators)).dropna()
    region_value = values.get(region, np.nan) if region else np.nan
    country_value = values.get(country, np.nan) if country else np.nan
    rank, n_ranked = _rank_among(peer_values, place_code, str(measure["polarity"]))
    vs_country = compare_to_benchmark(
        float(own["value"]), float(own["lower_ci"]), float(own["upper_ci"]), float(country_value),
        str(measure["polarity"]),
    )
    return {
        **{key: measure[key] for key in ("indicator_id", "name", "unit", "polarity", "decimals")},
        "period": own["period"],
        "value": own["value"],
        "lower_ci": own["lower_ci"],
        "upper_ci": own["upper_ci"],
        "region_value": region_value,
        "country_value": country_value,
        "comparators_median": comps.median() if len(comps) else np.nan,
        "comparators_min": comps.min() if len(comps) else np.nan,
        "comparators_max": comps.max() if len(comps) else np.nan,
        "n_comparators": len(comps),
        "rank": rank,
        "n_ranked": n_ranked,
        "vs_country": str(vs_country),
        "trend": trend,
        "source": source,
        "status": status,
    }


def benchmark_table(
    store,
    place: str | Place,
    indicator_ids: Sequence[str],
    comparators: Sequence[str] = (),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The place against its region, country and comparators, one row per indicator.

    Parameters
    ----------
    store : Store
    place : str or Place
    indicator_ids : sequence of str
        Indicators to show, in order; ones the store lacks for the place are kept with
        ``status = "not available"`` so a page can say so.
    comparators : sequence of str
        Codes of the comparator areas (e.g. from :func:`nearest_neighbours`).
    confidence : float, default 0.95
        The level of the intervals compared (the store's intervals are at 95%).

    Returns
    -------
    DataFrame
        indicator_id, name, unit, polarity, decimals, period, value, lower_ci, upper_ci,
        region_value, country_value, comparators_median, comparators_min, comparators_max,
        n_comparators, rank (1 = best among all areas of the layer; highest first when neutral),
        n_ranked, vs_country (Fingertips' better / similar / worse, or higher / similar / lower),
        trend (recent-trend label), source, status ("ok" or the reason a value is missing).
    """
    place = resolve_place(place, store)
    region = ancestor_of_layer(store, place.code, "region")
    country = ancestor_of_layer(store, place.code, "country")
    peers = store.areas_in_layer(place.layer)["code"]
    catalogue = store.catalogue
    ids = [i for i in indicator_ids]
    rows = store.indicator_values(ids, set(peers) | {region, country} - {None})
    records = []
    for indicator_id in ids:
        meta = catalogue.loc[indicator_id] if indicator_id in catalogue.index else None
        own = rows.loc[(rows["indicator_id"] == indicator_id) & (rows["area_code"] == place.code)]
        base = {
            "indicator_id": indicator_id,
            "name": meta["name"] if meta is not None else indicator_id,
            "unit": meta["unit"] if meta is not None else "",
            "polarity": meta["polarity"] if meta is not None else "neutral",
            "decimals": int(meta["decimals"]) if meta is not None else 1,
        }
        if meta is None or own["value"].notna().sum() == 0:
            records.append({**base, "status": "not available for this place in the store"})
            continue
        own = own.sort_values("year")
        latest = own.dropna(subset=["value"]).iloc[-1]
        same_period = rows.loc[(rows["indicator_id"] == indicator_id) & (rows["period"] == latest["period"])]
        by_area = same_period.set_index("area_code")["value"]
        records.append(benchmark_row(
            base, place.code, latest, by_area, by_area.reindex(peers), region=region, country=country,
            comparators=comparators,
            trend=_recent_trend(own.dropna(subset=["value"]), meta["value_type"], base["polarity"]),
            source=latest["source"],
        ))
    return pd.DataFrame.from_records(records, columns=BENCHMARK_COLUMNS)
