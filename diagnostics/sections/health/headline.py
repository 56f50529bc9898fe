"""Health: the headline table, every health measure of a place against its region, country and comparators.

First the measures computed here from deaths and populations (:mod:`~diagnostics.sections.health.mortality`),
then the store's health indicators; a real store that cannot compute them shows the ready-made
equivalents it holds (OHID Fingertips' life expectancy) in their place, and says which dataset
would supply the others. The recent trend of a computed measure is tested on its last five
*single-year* values (independent years; overlapping 3-year periods would share deaths and
overstate significance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.compare.benchmark import (
    BENCHMARK_COLUMNS,
    ancestor_of_layer,
    benchmark_row,
    benchmark_table,
)
from diagnostics.sections.health.analysis import prevalence_indicator_ids
from diagnostics.sections.health.district_counts import district_inputs, uses_district_counts
from diagnostics.sections.health.mortality import (
    MEASURE_IDS,
    MEASURES,
    methods_for,
    mortality_measures,
    mortality_unavailable_reason,
    pool_years,
)
from diagnostics.stats import compare_to_benchmark, trend
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "HEADLINE_MEASURE_IDS",
    "READY_MADE_EQUIVALENTS",
    "READY_MADE_SOURCES",
    "READY_MADE_INEQUALITY",
    "ready_made_in_place_of",
    "is_ready_made",
    "health_headline",
]

#: The computed measures the summary's cards show (:func:`diagnostics.sections.health.page.headline`).
HEADLINE_MEASURE_IDS = MEASURE_IDS

# --------------------------------------------------------------------------------------------------
# Ready-made equivalents (real stores)
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

#: Ready-made inequality measures a real store may hold (OHID Fingertips' slope index of inequality in
#: life expectancy), shown when the store cannot compute its own by deprivation decile.
READY_MADE_INEQUALITY: tuple[str, ...] = ("le_inequality_female", "le_inequality_male")


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


# --------------------------------------------------------------------------------------------------
# The headline table: the place against region, country and comparators
# --------------------------------------------------------------------------------------------------


def _trend_label(single_year: pd.DataFrame, polarity: str) -> str:
    series = single_year.dropna(subset=["value", "standard_error"]).sort_values("year").tail(5)
    series = series.loc[series["standard_error"] > 0]
    if len(series) < 5 or series["year"].iloc[-1] - series["year"].iloc[0] != 4:
        return "cannot be calculated"
    result = trend(series["value"].to_numpy(), series["year"].to_numpy(), polarity=polarity, kind="value",
                   standard_errors=series["standard_error"].to_numpy())
    return result["label"]


def _computed_headline(store, place: Place, comparators) -> pd.DataFrame:
    region = ancestor_of_layer(store, place.code, "region")
    country = ancestor_of_layer(store, place.code, "country")
    if uses_district_counts(store):
        source = district_inputs(store)
    else:
        source = f"Deaths and mid-year populations ({store.source}), computed here"
    le_method, dsr_method = methods_for(pool_years(store))
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
            why = ("the place is not made of whole districts, and deaths are published by district" if uses_district_counts(store)
                   else "the place has no small areas in the store's lookups")
            records.append({**base, "status": f"not available: {why}", "source": source})
            continue
        latest = mine.sort_values("year").iloc[-1]
        same = rows.loc[rows["year"] == latest["year"]].set_index("area_code")["value"]
        b = bench.loc[(bench["indicator_id"] == indicator_id) & (bench["year"] == latest["year"])].set_index("area_code")
        row = benchmark_row(
            base, place.code, latest, same.combine_first(b["value"]), same.reindex(sorted(peers)),
            region=region, country=country, comparators=comparators,
            trend=_trend_label(single.loc[single["indicator_id"] == indicator_id], meta["polarity"]),
            source=source, status="ok" if pd.notna(latest["value"]) else str(latest["note"]),
        )
        row["vs_region"] = str(compare_to_benchmark(
            float(latest["value"]), float(latest["lower_ci"]), float(latest["upper_ci"]), float(row["region_value"]),
            meta["polarity"]))
        records.append({
            **row,
            "note": latest["note"],
            "method": dsr_method if meta["value_type"] == "dsr" else le_method,
            "numerator": latest["numerator"],
            "denominator": latest["denominator"],
        })
    return pd.DataFrame.from_records(records)


def _stored_headline(store, place: Place, comparators) -> pd.DataFrame:
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
        The columns of :data:`diagnostics.compare.benchmark.BENCHMARK_COLUMNS`, then vs_region (Fingertips'
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
    for column in ("vs_country", "vs_region"):  # labels: object first, so that a column of NaN takes text
        out[column] = out[column].astype(object).fillna("not compared")
    return _with_ready_made(store, out[[*BENCHMARK_COLUMNS, "vs_region", "note", "method"]])
