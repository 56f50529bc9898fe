"""Health: the section's measures for a place, against its region, country, comparators and every
area of its layer.

- :mod:`diagnostics.sections.health.mortality` computes life expectancy and under-75 mortality for every area of a
  layer from deaths and populations (3-year pooled, as ONS and OHID publish them);
- :mod:`diagnostics.sections.health.inequality` splits them by deprivation decile within a place (SII);
- here: the headline table (computed measures, then the store's health indicators, or their
  ready-made equivalents on a real store), the spine chart's and funnel plots' tables, similar places,
  the health areas a place overlaps, the deprivation profile and the findings in plain English.
  Everything public of the two modules above is importable from here too.

Every function is a plain function from the store (and a place) to a tidy DataFrame. The recent trend
of a computed measure is tested on its last five *single-year* values (independent years;
overlapping 3-year periods would share deaths and overstate significance).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.compare.benchmark import (
    BENCHMARK_COLUMNS,
    ancestor_of_layer,
    benchmark_row,
    benchmark_table,
)
from diagnostics.sections.health.mortality import (
    DSR_METHOD,
    LE_METHOD,
    MEASURE_IDS,
    MEASURES,
    POOL_YEARS,
    UNDER_75,
    layer_counts,
    mortality_measures,
    mortality_unavailable_reason,
    period_labels,
)
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "POOL_YEARS",
    "MEASURES",
    "MEASURE_IDS",
    "HEADLINE_MEASURE_IDS",
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
    "layer_counts",
    "mortality_measures",
    "layer_comparison",
    "health_headline",
    "health_area_overlaps",
    "FUNNEL_INDICATORS",
    "spine_table",
    "under75_smr",
    "funnel_data",
    "similar_places",
    "health_area_comparison",
    "findings",
]

#: The computed measures shown first in the headline table.
HEADLINE_MEASURE_IDS = MEASURE_IDS

# --------------------------------------------------------------------------------------------------
# What the store holds
# --------------------------------------------------------------------------------------------------

def prevalence_indicator_ids(store) -> list[str]:
    """The store's health-domain indicators (catalogue domain "health") that have values, catalogue order."""
    catalogue = store.catalogue
    ids = [i for i in catalogue.index[catalogue["domain"] == "health"]]
    present = store.indicator_ids
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
    computed["method"] = [(DSR_METHOD if m["value_type"] == "dsr" else LE_METHOD) for m in MEASURES.values()]
    columns = ["name", "short_name", "unit", "value_type", "polarity", "decimals", "multiplier", "method"]
    stored = store.catalogue.loc[prevalence_indicator_ids(store), columns].copy()
    stored["computed"] = False
    out = pd.concat([computed[columns + ["computed"]], stored])
    out.index.name = "indicator_id"
    return out

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
        from diagnostics.stats import compare_to_benchmark

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

    return cached(per_store(store, "layer_comparison", layer), compute)


# --------------------------------------------------------------------------------------------------
# The headline table: the place against region, country and comparators
# --------------------------------------------------------------------------------------------------


def _trend_label(single_year: pd.DataFrame, polarity: str) -> str:
    from diagnostics.stats import trend

    series = single_year.dropna(subset=["value", "standard_error"]).sort_values("year").tail(5)
    series = series.loc[series["standard_error"] > 0]
    if len(series) < 5 or series["year"].iloc[-1] - series["year"].iloc[0] != 4:
        return "cannot be calculated"
    result = trend(series["value"].to_numpy(), series["year"].to_numpy(), polarity=polarity, kind="value",
                   standard_errors=series["standard_error"].to_numpy())
    return result["label"]


def _computed_headline(store, place: Place, comparators) -> pd.DataFrame:
    from diagnostics.stats import compare_to_benchmark

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
            "method": DSR_METHOD if meta["value_type"] == "dsr" else LE_METHOD,
            "numerator": latest["numerator"],
            "denominator": latest["denominator"],
        })
    return pd.DataFrame.from_records(records)


def _stored_headline(store, place: Place, comparators) -> pd.DataFrame:
    from diagnostics.stats import compare_to_benchmark

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


# --------------------------------------------------------------------------------------------------
# Across boundaries: the health areas a place overlaps
# --------------------------------------------------------------------------------------------------


def health_area_overlaps(store, place: str | Place, layer: str = "health_area") -> pd.DataFrame:
    """The health areas a place overlaps, with the shares of residents they hold in common.

    A thin selection from :func:`diagnostics.geography.lookups.overlap_table` (residents of the latest
    year, through the lookups' weights).

    Returns
    -------
    DataFrame
        area_code, area_name, place_share (share of the place's residents living in the area),
        area_share (share of the area's residents living in the place), largest place_share first.
    """
    from diagnostics.geography.overlaps import overlap_table

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
        :func:`diagnostics.render.fingertips.spine_statistics`), n_areas. Latest period of each.
    """
    from diagnostics.render.fingertips import spine_statistics

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
    from diagnostics.stats import isr

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

    return cached(per_store(store, "under75_smr", layer), compute)


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
    return cached(per_store(store, "funnel_data", layer, indicator_id), lambda: _funnel_data(store, layer, indicator_id))


def _funnel_data(store, layer: str, indicator_id: str) -> dict | None:
    from diagnostics.stats import funnel_limits, funnel_significance

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
    if layer not in store.layers or layer not in store.lookup_layers:
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
    import by :mod:`diagnostics.store.deprivation` from the IoD2019 small-area files). A store without
    them but with small-area ``deprivation_score`` values (the synthetic store) gets the IMD's
    summaries computed here by :func:`diagnostics.store.deprivation.area_summaries`: small areas ranked
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
    from diagnostics.store import deprivation

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
    from diagnostics.store import deprivation

    codes = store.indicator_values(deprivation.indicator_id("imd", "average_rank"))["area_code"].unique()
    layers = {store.layer_of(code) for code in codes}
    return [layer for layer in store.layers if layer in layers]


def _profile_from_scores(store, place: Place) -> pd.DataFrame:
    """The IMD profile of every area of the place's layer from small-area deprivation scores, the
    place's rows in the store's ``indicators`` layout (plus n_ranked); empty when impossible."""
    from diagnostics.store import deprivation

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

    rows = cached(per_store(store, "deprivation_profile_from_scores", place.layer), compute)
    return rows.loc[rows["area_code"] == place.code] if not rows.empty else rows
