"""The growth-firms section (``notebooks/20_growth_firms.ipynb``): which businesses can grow, where
they are, and what holds them back.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell shows;
the analyses are in :mod:`diagnostics.sections.growth.analysis` and :mod:`diagnostics.sections.growth.model`, computed once
per session through ``dx.memo``. A store without a firm register (real England) shows one notice
saying what the firm-level analysis needs and how to add a register, then the published high-growth
share where the store has it; each firm-level view under it points back to that notice.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place, per_session, per_store
from diagnostics.compare.benchmark import BENCHMARK_COLUMNS, benchmark_row
from diagnostics.conventions import plural_label
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.sections.growth.analysis import (
    MEASURES,
    OECD_EUROSTAT,
    GrowthDefinition,
)
from diagnostics.sections.notebooks import NotebookSpec

__all__ = [
    "VIEWS",
    "PUBLISHED_INDICATORS",
    "headline",
    "published_growth",
    "set_definition",
    "growth_headline_table",
    "rates_over_time",
    "comparators_chart",
    "sectors",
    "growth_map",
    "hot_spots",
    "odds_ratios",
    "model_performance",
    "likely_growers",
    "observed_expected_chart",
    "skills_productivity_survival",
    "holding_back",
    "data_quality",
    "definitions",
]

#: The most areas shaded on the map (a larger place is shaded by neighbourhood or district instead).
MAX_MAP_AREAS = 1500
#: The most firms drawn one by one on the map (all of them are in the clusters and the density).
MAX_MAP_FIRMS = 2000
#: How many latest window end years count a firm as a "recent" growth firm (map, hot spots, sectors).
RECENT_YEARS = 3
#: The indicators of skills, productivity and business survival compared in "what holds them back".
CONTEXT_INDICATORS = ("qualifications_level3_plus", "gva_per_job", "business_survival_3yr")
#: Ready-made growth indicators a store may hold without a firm register (real England: ONS Business
#: Demography's share of enterprises with 10+ employees that are high-growth), shown against region,
#: country and comparators when the firm-level analysis cannot run.
PUBLISHED_INDICATORS = ("high_growth_share",)
_IMPORT_HELP = (
    "Published data does not include one. Add your own (from a local business database, or Companies House "
    "records with employment) as two CSV files, firms.csv and firm_years.csv, in the format described under "
    "'Your own firm register' in the README's 'Growth firms' section, and write them into a copy of this store "
    "with diagnostics.store.store.write_store as the README shows; or run the diagnostic on the embedded synthetic "
    "country to see this section."
)


# --------------------------------------------------------------------------------------------------
# The analysis, once per session
# --------------------------------------------------------------------------------------------------


def set_definition(dx, threshold: float = 0.20, window: int = 3, min_employees: float = 10) -> GrowthDefinition:
    """Choose the high-growth definition for this session's views (call before any view).

    Parameters
    ----------
    threshold : float, default 0.20
        Average annualised growth a firm must exceed (0.20 = 20% a year; ONS and Eurostat also use 0.10).
    window : int, default 3
        Years of growth.
    min_employees : float, default 10
        Employees at the start of the window.

    Raises
    ------
    InvalidParameter
        For a value outside its range, or when views already used another definition.
    """
    from diagnostics.exceptions import InvalidParameter

    definition = GrowthDefinition(float(threshold), int(window), float(min_employees))
    used = cached(per_session(dx, "growth.definition"), lambda: definition)
    if used != definition:
        raise InvalidParameter(
            "The growth definition must be set before any growth view runs in this session; "
            f"views already used {used.label}. Start a new session with diagnostics.sections.session.start."
        )
    return definition


def _definition(dx) -> GrowthDefinition:
    return cached(per_session(dx, "growth.definition"), lambda: OECD_EUROSTAT)


def _missing_register(dx) -> str | None:
    store = dx.store
    if not (store.has_table("firms") and store.has_table("firm_years")):
        return "This store has none (no firms and firm_years tables). " + _IMPORT_HELP
    if store.firms.empty or store.firm_years.empty:
        return "The store's firm register is empty. " + _IMPORT_HELP
    return None


def _register_notice(dx, reason: str):
    """The one notice that the firm-level analysis needs a firm register: what one is and how to add it."""
    return notice(
        "This section's firm-level analysis (growth firms, gazelles and scale-ups counted from firms' own "
        "employment and turnover, their sectors, map and hot spots, the growth model and what holds firms back) "
        "needs a firm register: one row per firm (id, SIC 2007 section, year founded, small area, location) and "
        "one row per firm and year (employees, turnover). " + reason,
        title="Firm-level analysis not available",
    )


def _needs_register(dx):
    """A one-line pointer, under a heading of the firm-level analysis, to the notice at the top."""
    return as_html(
        "<p class='pd-notice pd-needs-register' role='note' style='color:#444;font-size:0.9em;margin:4px 0'>"
        "<em>Needs a firm register: see 'High-growth firms at a glance' at the top of this section.</em></p>"
    )


def published_growth(dx) -> pd.DataFrame:
    """The store's ready-made growth indicators (:data:`PUBLISHED_INDICATORS`) as a benchmark table.

    Only indicators the store's catalogue knows are included (empty when none): each row is the
    place's latest published value against its region, country and comparators, with the
    publisher's interval where there is one, source and period
    (:func:`diagnostics.compare.benchmark.benchmark_table`).
    """

    def compute():
        ids = [i for i in PUBLISHED_INDICATORS if i in dx.store.catalogue.index]
        if not ids:
            return pd.DataFrame(columns=BENCHMARK_COLUMNS)
        return dx.benchmarks(ids)

    return cached(per_session(dx, "growth.published"), compute)


def _published_shown(dx) -> pd.DataFrame:
    """The rows of :func:`published_growth` that have a value for the place (status "ok")."""
    table = published_growth(dx)
    return table.loc[table["status"] == "ok"] if not table.empty else table


def _layer_codes(dx) -> dict[str, list[str]]:
    codes = [dx.place.code, *dx.comparator_codes, dx.region_code, dx.country_code]
    by_layer: dict[str, list[str]] = {}
    for code in codes:
        if code is not None:
            by_layer.setdefault(dx.store.layer_of(code) or "", []).append(code)
    return by_layer


def _page(dx) -> dict:
    """Everything the views share: register, classification, rates and the place's firms."""
    definition = _definition(dx)

    def compute():
        from diagnostics.sections.growth.analysis import (
            firms_in_area,
            growth_rates,
            small_area_assignment,
            store_growth,
        )

        register, classified, counts = store_growth(dx.store, definition)
        layers = _layer_codes(dx)
        assignments = {layer: small_area_assignment(dx.store, layer) for layer in layers}
        codes = [c for group in layers.values() for c in group]
        rates = growth_rates(counts, assignments, codes, definition)
        place_layer = dx.store.layer_of(dx.place.code)
        place_assignment = assignments[place_layer]
        in_place = firms_in_area(dx.store, register, place_layer, dx.place.code)
        peers = dx.store.areas_in_layer(dx.place.layer)["code"]
        peer_rates = cached(  # the same for every place of the layer
            per_store(dx.store, "growth.peer_rates", definition, place_layer, dx.place.layer),
            lambda: growth_rates(counts, place_assignment, peers, definition))
        years = sorted(rates["year"].unique())
        return {
            "definition": definition, "register": register, "classified": classified, "counts": counts,
            "rates": rates, "peer_rates": peer_rates, "in_place": in_place, "years": years,
            "latest": years[-1] if years else None,
        }

    return cached(per_place(dx, "growth.page", definition), compute)


def _model(dx) -> dict:
    """The national model, the place's scored windows and its held-out checks."""

    def compute():
        from diagnostics.exceptions import DiagnosticsError
        from diagnostics.sections.growth.model import growth_model, store_windows

        page = _page(dx)
        definition = page["definition"]
        locations, windows = store_windows(dx.store, definition)
        try:
            model = growth_model(dx.store, definition, windows=windows)
        except DiagnosticsError as err:  # kept, so each view says so without refitting
            return {"error": err}
        place_windows = windows.loc[page["in_place"][windows["firm"].to_numpy()]].reset_index(drop=True)
        place_windows = place_windows.loc[place_windows["section"].isin(model.sections)].reset_index(drop=True)
        place_windows["probability"] = model.predict(place_windows) if len(place_windows) else []
        return {"model": model, "windows": place_windows, "locations": locations,
                "country_deprivation": float(windows["deprivation"].mean()) if len(windows) else float("nan")}

    info = cached(per_session(dx, "growth.model"), compute)
    if "error" in info:
        raise info["error"]
    return info


def _source(dx) -> str:
    store = dx.store
    return f"{'synthetic' if store.is_synthetic else store.source} firm register ({store.vintage})"


def _period(page: dict, year: int | None = None) -> str:
    year = page["latest"] if year is None else year
    return f"growth {year - page['definition'].window} to {year}"


def _guarded(view):
    """Run a view only when the store has a firm register; otherwise a one-line pointer to the single
    notice that :func:`growth_headline_table` shows at the top of the section."""

    def wrapper(dx):
        from diagnostics.exceptions import DiagnosticsError

        if _missing_register(dx):
            return _needs_register(dx)
        try:
            page = _page(dx)
            if page["latest"] is None and view.__name__ != "data_quality":
                years = page["register"].years
                span = f"{years[0]} to {years[-1]}" if years else "no year"
                return notice(
                    f"The firm register covers {span}: a growth window of {page['definition'].window} years needs "
                    f"at least {page['definition'].window + 1} years of records. Add earlier years to the register, "
                    "or choose a shorter window.", title="Too few years")
            return view(dx)
        except DiagnosticsError as err:  # too little data for this view (too few years, areas...)
            return notice(str(err), title="Not available")

    wrapper.__name__ = view.__name__
    wrapper.__qualname__ = view.__qualname__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _fmt(value, decimals: int = 1) -> str:
    from diagnostics.render.numbers import format_value

    return format_value(value, "", decimals)


def _ci(lower, upper, decimals: int = 1) -> str:
    from diagnostics.render.numbers import format_interval

    return format_interval(lower, upper, "", decimals)


def _table(frame: pd.DataFrame, caption: str) -> str:
    from diagnostics.render.tables import html_table

    return html_table(frame, caption)


# --------------------------------------------------------------------------------------------------
# Headline measures (for the summary's cards) and rates
# --------------------------------------------------------------------------------------------------

_HEADLINE_MEASURES = (
    ("high_growth_rate", "high_growth_employment", "per_10k_10plus",
     "High-growth firms per 10,000 firms with 10+ employees", "per 10,000 firms with 10+ employees"),
    ("scaleup_rate", "scaleup", "per_10k_businesses", "Scale-ups per 10,000 businesses", "per 10,000 businesses"),
)


def headline(dx) -> pd.DataFrame:
    """The section's headline measures as benchmark-table rows (columns of ``BENCHMARK_COLUMNS``).

    The high-growth rate (by employment, per 10,000 active firms with 10+ employees) and the
    scale-up rate (per 10,000 businesses) in the latest window, with Wilson intervals, against the
    region, the country and the comparators, ranked among all areas of the place's layer, with
    Fingertips' comparison and recent trend. Without a firm register, the store's ready-made growth
    indicators (:func:`published_growth`: ONS's high-growth share on real England) when it has
    them; otherwise each row's status says there is no register.
    """
    from diagnostics.stats import trend

    reason = _missing_register(dx)
    if reason:
        published = published_growth(dx)
        if not published.empty:
            return published
        return pd.DataFrame.from_records(
            [{"indicator_id": i, "name": n, "unit": u, "polarity": "higher_is_better", "decimals": 0,
              "status": "not available: the store has no firm register"} for i, _, _, n, u in _HEADLINE_MEASURES],
            columns=BENCHMARK_COLUMNS)
    page = _page(dx)
    rates, peers, latest = page["rates"], page["peer_rates"], page["latest"]
    records = []
    for indicator_id, measure, column, name, unit in _HEADLINE_MEASURES:
        base = {"indicator_id": indicator_id, "name": name, "unit": unit, "polarity": "higher_is_better", "decimals": 0}
        rows = rates.loc[(rates["measure"] == measure)]
        now = rows.loc[rows["year"] == latest].set_index("area_code")
        if dx.place.code not in now.index or not np.isfinite(now.loc[dx.place.code, column]):
            records.append({**base, "status": "not available: no active firms with 10+ employees in the place"})
            continue
        own = now.loc[dx.place.code]
        peer_now = peers.loc[(peers["measure"] == measure) & (peers["year"] == latest)].set_index("area_code")[column].dropna()
        history = rows.loc[rows["area_code"] == dx.place.code].tail(5)
        denominator = "businesses_10plus" if column == "per_10k_10plus" else "businesses"
        try:
            trend_label = trend(history[column].to_numpy(float), history["year"].to_numpy(), history["count"].to_numpy(float),
                                history[denominator].to_numpy(float), "higher_is_better", kind="proportion")["label"]
        except ValueError:
            trend_label = "cannot be calculated"
        mine = {"period": _period(page), "value": own[column], "lower_ci": own[f"{column}_lower"],
                "upper_ci": own[f"{column}_upper"]}
        records.append(benchmark_row(
            base, dx.place.code, mine, now[column], peer_now, region=dx.region_code, country=dx.country_code,
            comparators=dx.comparator_codes, trend=trend_label, source=_source(dx),
        ))
    return pd.DataFrame.from_records(records, columns=BENCHMARK_COLUMNS)


def growth_headline_table(dx):
    """High-growth firms, gazelles and scale-ups in the latest window: the place, its region, its
    country and its comparators, with 95% intervals.

    Without a firm register: the one notice saying what the firm-level analysis needs and how to
    add a register, then the published high-growth share (:func:`published_growth`) where the
    store has it.
    """
    reason = _missing_register(dx)
    if reason:
        return _published_page(dx, reason)
    return _register_headline_table(dx)


def _published_page(dx, reason: str):
    from diagnostics.render.tables import headline_html

    parts = [_register_notice(dx, reason).data]
    table = published_growth(dx)
    ok = _published_shown(dx)
    if table.empty:
        parts.append(notice("The store holds no published growth indicator either (such as ONS Business Demography's "
                            "high-growth share): import one with 'place-diagnostic data import'.",
                            title="No published growth figures").data)
    elif ok.empty:
        parts.append(notice(f"The store's published growth figures do not cover {dx.place.name} "
                            f"({dx.place.layer_label}): ONS publishes them for districts, counties, regions and the country.",
                            title="No published growth figures for this place").data)
    else:
        catalogue = dx.store.catalogue
        described = "; ".join(f"{catalogue.loc[i, 'name']}: {catalogue.loc[i, 'description']}"
                              for i in ok["indicator_id"] if i in catalogue.index and "description" in catalogue)
        bare = ok["lower_ci"].isna().all()
        parts.append(
            "<p>What published data does show: " + html.escape(described)
            + (" Published without a confidence interval, so it is not marked better or worse than the country."
               if bare else "") + "</p>"
            + headline_html(table, dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
                            dx.name_of(dx.country_code), dx.comparator_method)
            + source_line(", ".join(sorted(set(ok["source"].astype(str)))),
                          ", ".join(sorted(set(ok["period"].astype(str)))))
        )
    return as_html(synthetic_banner(dx) + "".join(parts))


@_guarded
def _register_headline_table(dx):
    """High-growth firms, gazelles and scale-ups in the latest window from the firm register."""
    page = _page(dx)
    rates, latest = page["rates"], page["latest"]
    now = rates.loc[rates["year"] == latest]
    roles = [(dx.place.code, dx.place.name)]
    if dx.region_code:
        roles.append((dx.region_code, dx.name_of(dx.region_code)))
    if dx.country_code:
        roles.append((dx.country_code, dx.name_of(dx.country_code)))
    rows = []
    for measure, label in MEASURES.items():
        m = now.loc[now["measure"] == measure].set_index("area_code")
        row = {"Measure": label}
        for code, name in roles:
            if code in m.index:
                r = m.loc[code]
                row[name] = (f"{int(r['count']):,}: {_fmt(r['per_10k_10plus'], 0)} {_ci(r['per_10k_10plus_lower'], r['per_10k_10plus_upper'], 0)}"
                             f" per 10,000 10+; {_fmt(r['per_10k_businesses'], 1)} per 10,000 businesses")
        comps = m["per_10k_10plus"].reindex(dx.comparator_codes).dropna()
        row["Comparators (median, range)"] = (
            f"{_fmt(comps.median(), 0)} ({_fmt(comps.min(), 0)} to {_fmt(comps.max(), 0)}) per 10,000 10+" if len(comps) else "–")
        rows.append(row)
    base = now.loc[(now["area_code"] == dx.place.code)].iloc[0] if (now["area_code"] == dx.place.code).any() else None
    extra = (f" {dx.place.name} had {int(base['businesses']):,} active businesses in {latest}, "
             f"{int(base['businesses_10plus']):,} of them with 10+ employees." if base is not None else "")
    caption = (f"Growth firms in the window {_period(page)}: count, then rate per 10,000 active firms with 10+ "
               f"employees (95% Wilson interval) and per 10,000 active businesses. Definition: {page['definition'].label}."
               + extra + f" Comparators: {dx.comparator_method}.")
    return as_html(synthetic_banner(dx) + _table(pd.DataFrame(rows), caption) + source_line(_source(dx), _period(page)))


def rates_over_time(dx):
    """The high-growth rate each year: the place against its region, country and comparators' median.

    Without a firm register: the published high-growth share each year (:data:`PUBLISHED_INDICATORS`)
    where the store has it for the place, else a pointer to the section's notice.
    """
    if _missing_register(dx):
        return _published_over_time(dx)
    return _register_rates_over_time(dx)


def _published_over_time(dx):
    """The published high-growth share by year: place, region, country and the comparators' median."""
    from matplotlib.figure import Figure

    from diagnostics.render.charts import ROLE_COLOURS, house_style, show_figure

    ok = _published_shown(dx)
    if ok.empty:
        return _needs_register(dx)
    row = ok.iloc[0]
    indicator_id = row["indicator_id"]
    roles = [(dx.country_code, "country", dx.name_of(dx.country_code) if dx.country_code else ""),
             (dx.region_code, "region", dx.name_of(dx.region_code) if dx.region_code else ""),
             (dx.place.code, "place", dx.place.name)]
    codes = [c for c, _, _ in roles if c] + list(dx.comparator_codes)
    rows = dx.store.indicator_values(indicator_id, codes).dropna(subset=["value"]).sort_values("year")
    own = rows.loc[rows["area_code"] == dx.place.code]
    if len(own) < 2:
        return _needs_register(dx)
    unit = str(row["unit"] or "")
    with house_style():
        fig = Figure(figsize=(9.5, 5.2), layout="constrained")
        ax = fig.add_subplot()
        for code, role, label in roles:
            r = rows.loc[rows["area_code"] == code] if code else rows.iloc[0:0]
            if r.empty:
                continue
            colour = ROLE_COLOURS[role]
            shaded = r["lower_ci"].notna().all() and r["upper_ci"].notna().all()
            if shaded:
                ax.fill_between(r["year"], r["lower_ci"], r["upper_ci"], color=colour, alpha=0.15, linewidth=0)
            ax.plot(r["year"], r["value"], color=colour, marker="o", linewidth=2.4 if role == "place" else 1.6,
                    label=label + (" (95% CI shaded)" if shaded else ""))
        comps = rows.loc[rows["area_code"].isin(dx.comparator_codes)].groupby("year")["value"].median()
        if len(comps):
            ax.plot(comps.index, comps.to_numpy(), color="#555555", linestyle="--", marker="s", markersize=4,
                    label="Comparators' median")
        ax.set_ylabel(unit)
        ax.set_xlabel("Year")
        ax.set_title(textwrap.fill(f"{row['name']}, as published", 70), loc="left")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncols=2, fontsize=11)
        periods = own["period"].astype(str)
        bare = " Published without intervals." if own["lower_ci"].isna().all() else ""
        fig.supxlabel(textwrap.fill(f"Source: {row['source']}. Period: {periods.iloc[0]} to {periods.iloc[-1]}.{bare} "
                                    "Firm-level rates need a firm register (see above).", 120),
                      x=0.01, ha="left", fontsize=10, color="#555555")
    return show_figure(fig, alt=f"Published {row['name']} of {dx.place.name} by year against its region and country")


@_guarded
def _register_rates_over_time(dx):
    """The high-growth rate each year from the firm register."""
    from matplotlib.figure import Figure

    from diagnostics.render.charts import ROLE_COLOURS, house_style, show_figure

    page = _page(dx)
    rates = page["rates"].loc[page["rates"]["measure"] == "high_growth_employment"]
    if rates.empty:
        return notice("No growth window fits in the register's years.", title="Rates over time")
    with house_style():
        fig = Figure(figsize=(9.5, 5.2), layout="constrained")
        ax = fig.add_subplot()
        for code, role, label in ((dx.country_code, "country", dx.name_of(dx.country_code)),
                                  (dx.region_code, "region", dx.name_of(dx.region_code)),
                                  (dx.place.code, "place", dx.place.name)):
            if code is None:
                continue
            r = rates.loc[rates["area_code"] == code]
            if r.empty:
                continue
            colour = ROLE_COLOURS[role]
            ax.fill_between(r["year"], r["per_10k_10plus_lower"], r["per_10k_10plus_upper"], color=colour, alpha=0.15, linewidth=0)
            ax.plot(r["year"], r["per_10k_10plus"], color=colour, marker="o", linewidth=2.4 if role == "place" else 1.6,
                    label=f"{label} (95% CI shaded)")
        comps = rates.loc[rates["area_code"].isin(dx.comparator_codes)].groupby("year")["per_10k_10plus"].median()
        if len(comps):
            ax.plot(comps.index, comps.to_numpy(), color="#555555", linestyle="--", marker="s", markersize=4,
                    label="Comparators' median")
        ax.set_ylabel("per 10,000 firms with 10+ employees")
        ax.set_xlabel("End year of the growth window")
        ax.set_title("High-growth firms (employment) per 10,000 firms with 10+ employees", loc="left")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncols=2, fontsize=11)
        fig.supxlabel(f"Source: {_source(dx)}. Period: windows ending {page['years'][0]} to {page['latest']}.",
                      x=0.01, ha="left", fontsize=10, color="#555555")
    return show_figure(fig, alt=f"High-growth rate of {dx.place.name} by year against its region and country")


def comparators_chart(dx):
    """The latest high-growth rate of the place, its comparators, region and country, with intervals.

    Without a firm register: the published high-growth share of the same areas (latest period)
    where the store has it for the place, else a pointer to the section's notice.
    """
    if _missing_register(dx):
        return _published_comparators(dx)
    return _register_comparators_chart(dx)


def _published_comparators(dx):
    """The published high-growth share, latest period: place, comparators (highest first), region, country."""
    from diagnostics.render.charts import comparison_bar, show_figure

    ok = _published_shown(dx)
    if ok.empty:
        return _needs_register(dx)
    row = ok.iloc[0]
    roles = ([(dx.place.code, "place")] + [(c, "comparator") for c in dx.comparator_codes]
             + [(dx.region_code, "region"), (dx.country_code, "country")])
    values = dx.store.indicator_values(row["indicator_id"], [c for c, _ in roles if c])
    now = values.loc[values["period"] == row["period"]].dropna(subset=["value"]).drop_duplicates("area_code", keep="last")
    now = now.set_index("area_code")
    rows = [{"name": dx.name_of(code), "value": now.loc[code, "value"], "lower_ci": now.loc[code, "lower_ci"],
             "upper_ci": now.loc[code, "upper_ci"], "role": role} for code, role in roles if code in now.index]
    frame = pd.DataFrame(rows)
    ordered = pd.concat([frame.iloc[:1], frame.loc[frame["role"] == "comparator"].sort_values("value", ascending=False),
                         frame.loc[frame["role"].isin(["region", "country"])]])
    if ordered["lower_ci"].isna().all():  # published without intervals: no interval in the legend either
        ordered = ordered.drop(columns=["lower_ci", "upper_ci"])
    missing = sum(1 for c in dx.comparator_codes if c not in now.index)
    fig = comparison_bar(ordered, title=textwrap.fill(f"{row['name']}, as published", 48), unit=str(row["unit"] or ""),
                         source=str(row["source"]) + (f"; {missing} comparator(s) without a value" if missing else ""),
                         period=str(row["period"]), value_format="{:,.1f}")
    return show_figure(fig, alt=f"Published {row['name']} of {dx.place.name} and its comparators")


@_guarded
def _register_comparators_chart(dx):
    """The latest high-growth rate of the place, its comparators, region and country, with intervals."""
    from diagnostics.render.charts import comparison_bar, show_figure

    page = _page(dx)
    rates = page["rates"]
    now = rates.loc[(rates["measure"] == "high_growth_employment") & (rates["year"] == page["latest"])].set_index("area_code")
    rows = []
    for code, role in ([(dx.place.code, "place")] + [(c, "comparator") for c in dx.comparator_codes]
                       + [(dx.region_code, "region"), (dx.country_code, "country")]):
        if code is not None and code in now.index:
            r = now.loc[code]
            rows.append({"name": dx.name_of(code), "value": r["per_10k_10plus"], "lower_ci": r["per_10k_10plus_lower"],
                         "upper_ci": r["per_10k_10plus_upper"], "role": role})
    table = pd.DataFrame(rows)
    head = table.iloc[:1]
    middle = table.loc[table["role"] == "comparator"].sort_values("value", ascending=False)
    tail = table.loc[table["role"].isin(["region", "country"])]
    fig = comparison_bar(pd.concat([head, middle, tail]), title="High-growth firms per 10,000 firms with 10+ employees",
                         unit="per 10,000", source=_source(dx), period=_period(page), value_format="{:,.0f}")
    return show_figure(fig, alt=f"High-growth rate of {dx.place.name} and its comparators")


def _recent_years(page: dict) -> list[int]:
    return [y for y in page["years"] if y > page["latest"] - RECENT_YEARS]


@_guarded
def sectors(dx):
    """The sectors of the place's high-growth firms (recent windows pooled), against the country."""
    from diagnostics.sections.growth.analysis import sector_rows, sector_summary
    from diagnostics.sections.growth.model import section_name

    page = _page(dx)
    years = _recent_years(page)
    register, classified, definition = page["register"], page["classified"], page["definition"]
    rows = cached(per_store(dx.store, "growth.sector_rows", definition, tuple(years)),  # the same for every place
                  lambda: sector_rows(register, classified, years, definition))
    table = sector_summary(register, classified, page["in_place"], years, definition, rows=rows)
    if table.empty or table["high_growth"].sum() == 0:
        return notice(f"No firm in {dx.place.name} was high-growth in windows ending {years[0]} to {years[-1]}.",
                      title="Sectors")
    shown = pd.DataFrame({
        "Sector": [f"{s} {section_name(s)}" for s in table["section"]],
        "High-growth firm-windows": table["high_growth"],
        "Share of the place's (%)": table["share"].round(1),
        "Rate per 10,000 10+ (95% CI)": [f"{_fmt(v, 0)} {_ci(lo, hi, 0)}" for v, lo, hi in
                                         zip(table["rate"], table["rate_lower"], table["rate_upper"])],
        f"{dx.name_of(dx.country_code) if dx.country_code else 'All'} rate per 10,000 10+": table["country_rate"].round(0),
        "Firm-years with 10+ employees": table["businesses_10plus"],
    })
    caption = (f"High-growth firms (employment) of {dx.place.name} by SIC 2007 section, windows ending {years[0]} to "
               f"{years[-1]} pooled (a firm counts once per window). The rate's interval is Wilson's; a sector whose "
               "interval is wide has few firms.")
    return as_html(synthetic_banner(dx) + _table(shown, caption) + source_line(_source(dx), f"windows ending {years[0]}-{years[-1]}"))


# --------------------------------------------------------------------------------------------------
# Where they are
# --------------------------------------------------------------------------------------------------


def _recent_growth_firms(dx) -> pd.DataFrame:
    """Distinct firms that were scale-ups in a recent window: firm, with their best growth."""
    page = _page(dx)
    c = page["classified"]
    recent = c.loc[c["end_year"].isin(_recent_years(page)) & c["scaleup"]]
    recent = recent.sort_values("employment_growth", ascending=False).drop_duplicates("firm")
    firms = page["register"].firms
    frame = firms.iloc[recent["firm"].to_numpy()].assign(
        firm=recent["firm"].to_numpy(), employment_growth=recent["employment_growth"].to_numpy(),
        turnover_growth=recent["turnover_growth"].to_numpy(), end_year=recent["end_year"].to_numpy(),
        end_employment=recent["end_employment"].to_numpy())
    return frame.loc[frame["small_area_code"].notna()]


def _study_area(dx) -> tuple[list[str], str]:
    """Small areas tested for hot spots: the place's region (so the place's edges have neighbours)."""
    from diagnostics.sections.growth.analysis import small_area_assignment

    within = dx.region_code or dx.place.code
    layer = dx.store.layer_of(within)
    assignment = small_area_assignment(dx.store, layer)
    return list(assignment.index[assignment == within]), dx.name_of(within)


def _hot_spot_result(dx):
    def study_area_spots():
        """Gi* over the study area: the same for every place that shares it (every district of a region)."""
        from diagnostics.exceptions import InvalidParameter
        from diagnostics.sections.growth.hot_spots import getis_ord_hot_spots

        codes, study_name = _study_area(dx)
        shapes = dx.store.boundaries("small_area")
        shapes = shapes.loc[shapes["code"].isin(codes)].reset_index(drop=True)
        firms = _recent_growth_firms(dx)
        counts = firms["small_area_code"].value_counts()
        shapes["growth_firms"] = shapes["code"].map(counts).fillna(0).astype(float)
        try:
            return getis_ord_hot_spots(shapes, "growth_firms"), "", study_name
        except InvalidParameter as err:
            return None, str(err), study_name

    def compute():
        from diagnostics.sections.growth.analysis import small_area_assignment

        page = _page(dx)
        within = dx.region_code or dx.place.code
        key = per_store(dx.store, "growth.hot_spots", page["definition"], tuple(_recent_years(page)), within)
        spots, problem, study_name = cached(key, study_area_spots)
        if spots is None:
            return None, problem, study_name
        spots = spots.copy()
        layer = "neighbourhood" if "neighbourhood" in dx.store.layers else dx.place.layer
        hood = small_area_assignment(dx.store, layer)
        place_sa = small_area_assignment(dx.store, dx.store.layer_of(dx.place.code))
        spots["neighbourhood"] = spots["code"].map(hood).map(dx.name_of)
        spots["name"] = spots["code"].map(dx.name_of)
        spots["in_place"] = spots["code"].map(place_sa).eq(dx.place.code).to_numpy()
        return spots, "", study_name

    return cached(per_session(dx, "growth.hot_spots"), compute)


def _shading_areas(dx, place_sa: set):
    """The finest layer (small areas, neighbourhoods, districts) with at most MAX_MAP_AREAS areas in the place."""
    from diagnostics.sections.growth.analysis import small_area_assignment

    available = set(dx.store.boundary_layers())
    for layer in ("small_area", "neighbourhood", "district"):
        if layer not in available:
            continue
        to_layer = small_area_assignment(dx.store, layer)
        codes = set(to_layer.reindex(list(place_sa)).dropna())
        if codes and len(codes) <= MAX_MAP_AREAS:
            shapes = dx.store.boundaries(layer)
            return layer, shapes.loc[shapes["code"].isin(codes)].copy()
    return None, None


@_guarded
def growth_map(dx):
    """The place's recent growth firms: small areas shaded by growth firms per km², a density
    surface, grid clusters with counts, each firm, and the Gi* hot spots (layers toggle)."""
    import folium
    import geopandas as gpd
    import matplotlib
    from matplotlib.colors import to_hex

    from diagnostics.render.maps import HtmlMarkers, choropleth_map
    from diagnostics.render.offline import show_map
    from diagnostics.sections.growth.analysis import small_area_assignment
    from diagnostics.sections.growth.hot_spots import grid_clusters, kernel_density
    from diagnostics.sections.growth.model import section_name

    page = _page(dx)
    years = _recent_years(page)
    assignment = small_area_assignment(dx.store, dx.store.layer_of(dx.place.code))
    place_sa = set(assignment.index[assignment == dx.place.code])
    layer, areas = _shading_areas(dx, place_sa)
    if areas is None or areas.empty:
        return notice("The store has no boundaries to map this place's small areas, neighbourhoods or districts.",
                      title="Map")
    firms = _recent_growth_firms(dx)
    firms = firms.loc[firms["small_area_code"].isin(place_sa) & firms["x"].notna() & firms["y"].notna()]
    to_layer = small_area_assignment(dx.store, layer)
    km2 = areas.geometry.area / 1e6
    areas["growth_firms"] = areas["code"].map(firms["small_area_code"].astype(str).map(to_layer).value_counts()).fillna(0)
    areas["per_km2"] = (areas["growth_firms"] / km2).round(2)
    title = f"Growth firms in {dx.place.name}, windows ending {years[0]}-{years[-1]}"
    label = {"small_area": "small areas", "neighbourhood": "neighbourhoods", "district": "districts"}.get(layer, layer)
    m = choropleth_map(areas, "per_km2", title=title, legend_label=f"Growth firms per km² ({label})",
                       palette="cividis_r", value_format="{:,.2f}",
                       popup_columns={"name": "Area", "growth_firms": "Growth firms"})
    place_km2 = float(km2.sum())
    cluster_m = max(1000.0, 1000.0 * round(math.sqrt(place_km2 / 300)))

    if len(firms):
        bounds = areas.total_bounds
        grid = kernel_density(firms["x"], firms["y"], bounds, cell_m=250, bandwidth_m=600)
        grid = grid.loc[grid["density"] >= 0.05 * grid["density"].max()]
        half = grid["cell_m"].iloc[0] / 2 if len(grid) else 0
        cells = gpd.GeoDataFrame(grid, geometry=gpd.GeoSeries.from_xy(grid["x"], grid["y"], crs=27700).buffer(half, cap_style="square"),
                                 crs=27700).to_crs(4326)
        cmap = matplotlib.colormaps["magma_r"]
        top = float(grid["density"].max()) or 1.0
        cells["fill"] = [to_hex(cmap(0.1 + 0.8 * v / top)) for v in cells["density"]]
        cells["label"] = [f"{v:,.1f} growth firms per km²" for v in cells["density"]]
        density = folium.FeatureGroup(name="Density surface (kernel, 600 m)", show=False)
        folium.GeoJson(
            cells[["fill", "label", "geometry"]].__geo_interface__,
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": f["properties"]["fill"],
                                      "weight": 0, "fillOpacity": 0.55},
            tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=["Density"]),
        ).add_to(density)
        density.add_to(m)

        points = gpd.GeoSeries.from_xy(firms["x"], firms["y"], crs=27700).to_crs(4326)
        clusters = grid_clusters(firms["x"], firms["y"], firms["name"].fillna(firms["firm_id"]), cell_m=cluster_m)
        centres = gpd.GeoSeries.from_xy(clusters["x"], clusters["y"], crs=27700).to_crs(4326)
        group = folium.FeatureGroup(name=f"Clusters ({cluster_m / 1000:.0f} km grid, count of firms)", show=True)
        counts = HtmlMarkers()
        for c, point in zip(clusters.itertuples(index=False), centres):
            size = int(18 + 6 * math.sqrt(c.count))
            counts.add(
                point.y, point.x,
                (f'<div style="width:{size}px;height:{size}px;line-height:{size}px;border-radius:50%;'
                 f'background:rgba(230,159,0,0.85);border:2px solid #5c4400;text-align:center;'
                 f'font:600 12px system-ui,sans-serif;color:#000">{c.count}</div>'),
                size=(size, size), anchor=(size // 2, size // 2),
                tooltip=html.escape(f"{c.count} growth firm(s): {c.labels}"),
            )
        counts.add_to(group)
        group.add_to(m)
        each = folium.FeatureGroup(name="Each growth firm", show=False)
        shown = firms.head(MAX_MAP_FIRMS)
        labels = [  # the tooltip shows them as HTML
            html.escape(f"{f.name} ({section_name(f.section)}); "
                        + (f"employment {f.employment_growth:+.0%} a year" if np.isfinite(f.employment_growth) else "")
                        + f"; window ending {f.end_year}")
            for f in shown.itertuples(index=False)
        ]
        # one layer of circle markers drawn from one GeoJSON, not one map element per firm
        folium.GeoJson(
            gpd.GeoDataFrame({"label": labels}, geometry=points.iloc[: len(shown)].to_numpy(), crs=4326).__geo_interface__,
            marker=folium.CircleMarker(radius=5, color="#000000", weight=1, fill=True, fill_color="#E69F00",
                                       fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(each)
        each.add_to(m)

    spots, _, _ = _hot_spot_result(dx)
    if spots is not None:
        shapes = dx.store.boundaries("small_area")
        hot = shapes.loc[shapes["code"].isin(spots.loc[(spots["spot"] == "hot") & spots["in_place"], "code"])]
        if len(hot):
            group = folium.FeatureGroup(name="Gi* hot spots (p < 0.05)", show=True)
            folium.GeoJson(hot.to_crs(4326)[["name", "geometry"]].__geo_interface__,
                           style_function=lambda _f: {"color": "#D55E00", "weight": 3, "fill": False, "dashArray": "6 3"},
                           tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Hot spot"])).add_to(group)
            group.add_to(m)
    folium.LayerControl(position="topleft", collapsed=False).add_to(m)
    shown_each = "" if len(firms) <= MAX_MAP_FIRMS else f" (the first {MAX_MAP_FIRMS:,} by growth are drawn one by one)"
    note = (f"<p>{len(firms):,} growth firms{shown_each} (high-growth by employment or turnover in a window ending {years[0]} to "
            f"{years[-1]}) in {dx.place.name}. Clusters group firms by {cluster_m / 1000:.0f} km grid square (drawn here, not by a "
            "marker-clustering script, so the map works offline); the density surface and each firm can be switched "
            "on in the layer control; dashed vermillion outlines are Gi* hot spots.</p>")
    return as_html(synthetic_banner(dx) + note + show_map(m, height=560, title=title).data
                   + source_line(_source(dx), f"windows ending {years[0]}-{years[-1]}"))


@_guarded
def hot_spots(dx):
    """Statistically significant hot spots of growth firms (Getis-Ord Gi*), listed by neighbourhood."""
    spots, problem, study = _hot_spot_result(dx)
    if spots is None:
        return notice(f"Hot spots cannot be tested here: {problem}", title="Hot spots")
    page = _page(dx)
    years = _recent_years(page)
    inside = spots.loc[spots["in_place"]]
    hot = inside.loc[inside["spot"] == "hot"]
    cold = inside.loc[inside["spot"] == "cold"]
    method = (f"Local Getis-Ord Gi* of growth firms per small area (high-growth by employment or turnover in windows "
              f"ending {years[0]}-{years[-1]}) across the {len(spots):,} small areas of {study}, binary queen-contiguity "
              "weights including each area itself, 999 conditional permutations (fixed seed), p < 0.05 with no "
              f"correction for multiple testing: about 1 in 20 areas of a random pattern would be flagged.")
    if hot.empty:
        body = f"<p>No small area of {html.escape(dx.place.name)} is a significant hot spot of growth firms.</p>"
    else:
        grouped = hot.groupby("neighbourhood").agg(
            areas=("code", "size"), firms=("value", "sum"), names=("name", lambda s: ", ".join(sorted(s))),
            strongest=("gi_z", "max")).reset_index().sort_values(["firms", "strongest"], ascending=False)
        shown = pd.DataFrame({"Neighbourhood": grouped["neighbourhood"], "Hot small areas": grouped["areas"],
                              "Growth firms in them": grouped["firms"].astype(int), "Small areas": grouped["names"],
                              "Largest Gi* z": grouped["strongest"].round(2)})
        body = _table(shown, f"Hot spots of growth firms in {dx.place.name}, by neighbourhood.")
    body += (f"<p>{len(hot)} hot and {len(cold)} cold small area(s) of {len(inside)} in {html.escape(dx.place.name)}.</p>")
    return as_html(synthetic_banner(dx) + body + f"<p style='font-size:0.9em'>{html.escape(method)}</p>"
                   + source_line(_source(dx), f"windows ending {years[0]}-{years[-1]}"))


# --------------------------------------------------------------------------------------------------
# Growth potential: the model
# --------------------------------------------------------------------------------------------------


def _factor_label(term: str) -> str:
    from diagnostics.sections.growth.model import section_name

    group, _, detail = term.partition(": ")
    if group == "sector":
        return f"Sector: {section_name(detail)} (against Wholesale and retail)"
    if group == "age":
        return f"Age {detail} (against 20 years or more)"
    labels = {"size: log2 employees": "Size: each doubling of employees",
              "recent growth: log employment change over the last year": "Recent growth: 10% more employees than a year before",
              "recent growth: no record a year earlier": "New to the register (no record a year earlier)",
              "deprivation: per standard deviation": "Deprivation of the location: one standard deviation more",
              "density: per tenfold": "Population density of the location: ten times higher"}
    return labels.get(term, term)


@_guarded
def odds_ratios(dx):
    """What the national model links to high growth: odds ratios with 95% intervals, in plain words."""
    from diagnostics.sections.growth.model import odds_ratio_table

    info = _model(dx)
    model = info["model"]
    table = odds_ratio_table(model)
    shown = pd.DataFrame({
        "Factor": [_factor_label(t) for t in table["term"]],
        "Odds ratio (95% CI)": [f"{o:.2f} ({lo:.2f} to {hi:.2f})" for o, lo, hi in zip(table["odds_ratio"], table["lower"], table["upper"])],
        "In words": [w + (" The interval includes 1: no clear difference." if lo <= 1 <= hi else "")
                     for w, lo, hi in zip(table["words"], table["lower"], table["upper"])],
    })
    caption = (f"Logistic regression (statsmodels, maximum likelihood) of high growth by employment over the next "
               f"{model.definition[1]} years, fitted on {model.n_train:,} firm-windows of the whole country "
               f"(start years {model.train_years[0]}-{model.train_years[-1]}; {model.events_train:,} became high-growth). "
               "Each odds ratio holds the other factors equal; Wald 95% intervals.")
    return as_html(synthetic_banner(dx) + _table(shown, caption) + source_line(_source(dx), f"windows starting {model.train_years[0]}-{model.train_years[-1]}"))


@_guarded
def model_performance(dx):
    """How well the model predicts: AUC on a later period it never saw, and calibration there."""
    info = _model(dx)
    model = info["model"]
    judgement = ("weak" if model.test_auc < 0.65 else "modest" if model.test_auc < 0.75 else "fair" if model.test_auc < 0.85 else "good")
    text = (f"<p>On the held-out windows starting in {model.test_year} (ending {model.test_year + model.definition[1]}; "
            f"{model.n_test:,} firms, {model.events_test:,} became high-growth), which the model was not fitted on, "
            f"its area under the ROC curve (AUC) is <strong>{model.test_auc:.3f}</strong>, against {model.train_auc:.3f} "
            f"on the years it was fitted on. An AUC of 0.5 is a coin toss and 1 is perfect: {judgement} discrimination. "
            "It ranks firms better than chance, but most firms it rates highly will not become high-growth, and some "
            "that it rates low will: use the ranking to choose whom to talk to, not to pick winners.</p>"
            f"<p>Pseudo R² (McFadden): {1 - model.fit['llf'] / model.fit['llnull']:.3f}. "
            f"{'The fit converged.' if model.fit['converged'] else 'The fit did NOT converge: treat the figures with care.'}</p>")
    return as_html(synthetic_banner(dx) + text + source_line(_source(dx), f"held-out windows starting {model.test_year}"))


@_guarded
def likely_growers(dx, n: int = 20):
    """The place's firms not yet high-growth that the model rates most likely to become so next."""
    from diagnostics.sections.growth.model import score_firms, section_name

    info = _model(dx)
    page = _page(dx)
    windows = info["windows"]
    latest = windows.loc[windows["outcome"].isna() & (windows["start_year"] == page["latest"])]
    c = page["classified"]
    now_growing = set(c.loc[(c["end_year"] == page["latest"]) & c["scaleup"], "firm"])
    candidates = latest.loc[~latest["firm"].isin(now_growing)].sort_values("probability", ascending=False).head(n)
    if candidates.empty:
        return notice(f"No firm in {dx.place.name} had 10+ employees in {page['latest']} outside the current growth firms.",
                      title="Likely growers")
    scored = score_firms(info["model"], candidates.drop(columns="probability"), page["register"])
    shown = pd.DataFrame({
        "Rank": np.arange(1, len(scored) + 1),
        "Firm": scored["name"].fillna(scored["firm_id"]),
        "Sector": [section_name(s) for s in scored["section"]],
        "Employees": scored["employment"].round(0).astype(int),
        "Age (years)": scored["age"].round(0).astype(int),
        "Chance of high growth by " + str(page["latest"] + page["definition"].window): [f"{100 * p:.0f}%" for p in scored["probability"]],
        "Raising it": scored["factors_up"],
        "Lowering it": scored["factors_down"],
    })
    base = float(np.mean(info["windows"].loc[info["windows"]["outcome"].notna(), "outcome"])) if len(info["windows"]) else float("nan")
    caption = (f"The {len(shown)} firms of {dx.place.name} with 10+ employees in {page['latest']} that are not high-growth now "
               f"and that the model rates most likely to be over {page['latest']}-{page['latest'] + page['definition'].window}. "
               f"For scale: {100 * base:.1f}% of the place's past firm-windows became high-growth. The factors are each "
               "one's contribution to the log-odds against the country's average firm (positive raises the chance).")
    return as_html(synthetic_banner(dx) + _table(shown, caption) + source_line(_source(dx), f"firms in {page['latest']}"))


# --------------------------------------------------------------------------------------------------
# What holds them back
# --------------------------------------------------------------------------------------------------


def _observed_expected(dx) -> dict:
    def compute():
        from diagnostics.sections.growth.analysis import small_area_assignment
        from diagnostics.sections.growth.model import observed_expected, section_name

        info = _model(dx)
        known = info["windows"].loc[info["windows"]["outcome"].notna()]
        if known.empty:
            return {"overall": None, "sector": pd.DataFrame(), "neighbourhood": pd.DataFrame(), "years": None}
        layer = "neighbourhood" if "neighbourhood" in dx.store.layers else dx.place.layer
        hood = known["small_area_code"].map(small_area_assignment(dx.store, layer)).map(dx.name_of)
        prob = known["probability"].to_numpy()
        overall = observed_expected(known, prob, np.full(len(known), dx.place.name)).iloc[0]
        sector = observed_expected(known, prob, [f"{s} {section_name(s)}" for s in known["section"]])
        neighbourhood = observed_expected(known, prob, hood.fillna("unknown").to_numpy())
        return {"overall": overall, "sector": sector, "neighbourhood": neighbourhood,
                "years": (int(known["start_year"].min()), int(known["start_year"].max()) + _definition(dx).window)}

    return cached(per_session(dx, "growth.observed_expected"), compute)


def _oe_axes(ax, table: pd.DataFrame, title: str):
    from diagnostics.render.palette import COMPARISON_COLOURS

    table = table.sort_values("ratio", ascending=True)
    pos = np.arange(len(table))
    colours = [COMPARISON_COLOURS["worse"] if u < 1 else COMPARISON_COLOURS["better"] if lo > 1 else "#7f7f7f"
               for lo, u in zip(table["lower"], table["upper"])]
    ax.errorbar(table["ratio"], pos, xerr=[np.maximum(table["ratio"] - table["lower"], 0), np.maximum(table["upper"] - table["ratio"], 0)],
                fmt="none", ecolor="#333333", elinewidth=1.2, capsize=3)
    ax.scatter(table["ratio"], pos, c=colours, s=60, zorder=3, edgecolors="#000000", linewidths=0.6)
    ax.axvline(1, color="#000000", linewidth=1)
    ax.set_yticks(pos, [f"{g} ({int(o)} of {e:.1f})" for g, o, e in zip(table["group"], table["observed"], table["expected"])], fontsize=10)
    ax.set_xlabel("Observed / expected (95% CI)")
    ax.set_title(title, loc="left", fontsize=13)
    ax.grid(axis="y", visible=False)


@_guarded
def observed_expected_chart(dx):
    """Where the place's firms under- or over-perform the model: observed against expected high
    growth by sector and by neighbourhood, with intervals."""
    from matplotlib.figure import Figure

    from diagnostics.render.charts import house_style, show_figure

    oe = _observed_expected(dx)
    if oe["overall"] is None:
        return notice("The place has no firm-windows with a known outcome.", title="Observed and expected")
    sector = oe["sector"].loc[oe["sector"]["expected"] >= 2]
    hood = oe["neighbourhood"].loc[oe["neighbourhood"]["expected"] >= 2]
    rows = max(len(sector), len(hood), 3)
    with house_style():
        fig = Figure(figsize=(12, 1.6 + 0.34 * rows), layout="constrained")
        left, right = fig.subplots(1, 2)
        _oe_axes(left, sector, "By sector")
        _oe_axes(right, hood, "By neighbourhood")
        o = oe["overall"]
        fig.suptitle(f"{dx.place.name}: {int(o['observed'])} high-growth firm-windows against {o['expected']:.1f} expected "
                     f"(ratio {o['ratio']:.2f}, 95% CI {o['lower']:.2f} to {o['upper']:.2f})", x=0.01, ha="left", fontsize=13,
                     fontweight="bold")
        fig.supxlabel(textwrap.fill(
            f"Source: {_source(dx)}. Period: windows {oe['years'][0]}-{oe['years'][1]}. Ratio of high-growth firm-windows "
            "observed to those the national model expects. Vermillion: significantly below expectation; blue: above; "
            "grey: not distinguishable. Groups expecting fewer than 2 are left out. Labels: observed of expected. The place's "
            "own firms are among the ones the national model was fitted on.", 150),
            x=0.01, ha="left", fontsize=9, color="#555555")
    return show_figure(fig, alt=f"Observed against expected high growth in {dx.place.name} by sector and neighbourhood")


def _context(dx) -> pd.DataFrame:
    return dx.benchmarks(CONTEXT_INDICATORS)


def skills_productivity_survival(dx):
    """How the place's skills, productivity and business survival compare (region, country, comparators)."""
    from diagnostics.render.tables import headline_html

    table = _context(dx)
    if (table["status"] != "ok").all():
        return notice("The store holds none of qualifications, GVA per job and three-year business survival for this place.",
                      title="Skills, productivity and survival")
    return as_html(synthetic_banner(dx) + headline_html(
        table, dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
        dx.name_of(dx.country_code), dx.comparator_method))


def holding_back(dx):
    """A short list of findings on what holds the place's growth firms back, each backed by a figure above.

    Without a firm register: what the published figures say (the high-growth share against the
    country and its rank; skills, productivity and survival significantly better or worse than
    the country), and that the firm-level findings need a register.
    """
    if _missing_register(dx):
        return _published_findings(dx)
    return _register_holding_back(dx)


def _published_findings(dx):
    from diagnostics.render.numbers import format_value

    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    findings: list[str] = []
    for row in _published_shown(dx).to_dict("records"):
        unit, decimals = str(row["unit"] or ""), int(row["decimals"])
        text = f"{row['name']}: {format_value(row['value'], unit, decimals)} ({row['period']})"
        if pd.notna(row["country_value"]):
            text += f", against {country} {format_value(row['country_value'], unit, decimals)}"
        if pd.notna(row["rank"]):
            text += f"; ranked {int(row['rank'])} of {int(row['n_ranked'])} {plural_label(dx.place.layer_label)} (1 = highest)"
        text += (f"; {row['vs_country']} than {country} (95% intervals)." if row["vs_country"] in ("better", "worse")
                 else "; published without an interval, so not marked significantly higher or lower."
                 if pd.isna(row["lower_ci"]) else f"; {row['vs_country']} to {country} (95% intervals).")
        findings.append(text + " [Figure: High-growth rates over time; How the place compares]")
    context = _context(dx)
    for row in context.loc[(context["status"] == "ok") & context["vs_country"].isin(["better", "worse"])].itertuples(index=False):
        findings.append(
            f"{row.name}: {format_value(row.value, row.unit, int(row.decimals))} ({row.period}), {row.vs_country} "
            f"than {country} ({format_value(row.country_value, row.unit, int(row.decimals))}). "
            "[Figure: Skills, productivity and business survival]")
    if not findings:
        return _needs_register(dx)
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    return as_html(synthetic_banner(dx) + f"<ol class='pd-findings'>{items}</ol>"
                   + "<p style='font-size:0.9em'>From published figures only; each names, in brackets, the figure on this "
                   "page that shows its evidence. The firm-level findings (against the growth model, by sector and "
                   "neighbourhood) need a firm register: see 'High-growth firms at a glance' at the top of this section.</p>")


@_guarded
def _register_holding_back(dx):
    """Findings from the firm register, the model and the context indicators."""
    page = _page(dx)
    findings: list[str] = []
    head = headline(dx)
    rate = head.iloc[0]
    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    if rate["status"] == "ok" and rate["vs_country"] in ("worse", "better", "similar"):
        findings.append(
            f"The high-growth rate is {rate['value']:,.0f} per 10,000 firms with 10+ employees ({rate['period']}), "
            f"{rate['vs_country']} {'to' if rate['vs_country'] == 'similar' else 'than'} {country} ({rate['country_value']:,.0f}). "
            "[Figure: High-growth rates over time; How the place compares]")
    try:
        oe = _observed_expected(dx)
        info = _model(dx)
    except Exception as err:  # noqa: BLE001 - the other findings still stand
        oe, info = None, None
        findings.append(f"The model could not be fitted on this store ({type(err).__name__}: {err}).")
    if oe is not None and oe["overall"] is not None:
        o = oe["overall"]
        verdict = ("fewer than" if o["upper"] < 1 else "more than" if o["lower"] > 1 else "about as many as")
        findings.append(
            f"Given their age, size, sector, recent growth and location, the place's firms had {verdict} the "
            f"high-growth episodes the national model expects: {int(o['observed'])} against {o['expected']:.1f} "
            f"(ratio {o['ratio']:.2f}, 95% CI {o['lower']:.2f} to {o['upper']:.2f}). [Figure: Observed and expected high growth]")
        for kind in ("sector", "neighbourhood"):
            under = oe[kind].loc[(oe[kind]["upper"] < 1) & (oe[kind]["expected"] >= 2)]
            if len(under):
                names = ", ".join(f"{g} ({r:.2f})" for g, r in zip(under["group"].head(4), under["ratio"].head(4)))
                findings.append(f"Significantly below the model's expectation by {kind}: {names}. "
                                "[Figure: Observed and expected high growth]")
    if info is not None and len(info["windows"]):
        dep_place = float(info["windows"]["deprivation"].mean())
        dep_country = info["country_deprivation"]
        from diagnostics.sections.growth.model import odds_ratio_table

        ors = odds_ratio_table(info["model"]).set_index("term")
        dep_or = ors.loc["deprivation: per standard deviation"] if "deprivation: per standard deviation" in ors.index else None
        if dep_or is not None and np.isfinite(dep_place) and dep_place > dep_country and dep_or["upper"] < 1:
            findings.append(
                f"The place's firms with 10+ employees sit in more deprived small areas than the country's "
                f"(mean deprivation score {dep_place:.1f} against {dep_country:.1f}); nationally, each standard deviation "
                f"more deprivation goes with {dep_or['odds_ratio']:.2f} times the odds of high growth. "
                "[Figure: What the model links to high growth]")
    context = _context(dx)
    for row in context.loc[context["status"] == "ok"].itertuples(index=False):
        if row.vs_country in ("worse", "better"):
            from diagnostics.render.numbers import format_value

            findings.append(
                f"{row.name}: {format_value(row.value, row.unit, int(row.decimals))} ({row.period}), {row.vs_country} "
                f"than {country} ({format_value(row.country_value, row.unit, int(row.decimals))}). "
                "[Figure: Skills, productivity and business survival]")
    if not findings:
        findings.append("No significant difference from the country or from the model's expectation was found.")
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    return as_html(synthetic_banner(dx) + f"<ol class='pd-findings'>{items}</ol>"
                   + "<p style='font-size:0.9em'>Each finding names, in brackets, the figure on this page that shows its "
                   "evidence. 'Significantly' means the 95% interval excludes the comparison value.</p>"
                   + source_line(_source(dx), _period(page)))


@_guarded
def data_quality(dx):
    """What the register's data-quality checks found and what was done with each problem."""
    page = _page(dx)
    q = page["register"].quality
    found = int((q["count"] > 0).sum())
    shown = pd.DataFrame({"Check": q["check"], "Table": q["table"], "Found": [f"{c:,} {u}" for c, u in zip(q["count"], q["unit"])],
                          "What was done": q["treatment"]})
    caption = (f"Data-quality checks of the firm register ({len(page['register'].firms):,} firms, "
               f"{len(page['register'].panel):,} firm-years): {found} kind(s) of problem found. Nothing is dropped silently.")
    return as_html(synthetic_banner(dx) + _table(shown, caption))


def definitions(dx):
    """The definitions, methods and sources of this section."""
    definition = _definition(dx)
    published = ""
    if _missing_register(dx):
        table = published_growth(dx)
        catalogue = dx.store.catalogue
        published = "".join(
            f"<li><strong>{html.escape(str(catalogue.loc[i, 'name']))}</strong> (shown above, ready-made): "
            f"{html.escape(str(catalogue.loc[i, 'description']))} {html.escape(str(catalogue.loc[i, 'method']))} "
            f"Source: {html.escape(str(catalogue.loc[i, 'source']))}.</li>"
            for i in table["indicator_id"] if i in catalogue.index
        )
        published += ("<li>The definitions below are those of the firm-level analysis, which needs a firm register "
                      "(see the notice at the top of this section).</li>")
    return as_html(
        synthetic_banner(dx)
        + "<ul>"
        + published
        + f"<li><strong>High-growth enterprise</strong> (OECD-Eurostat): {html.escape(definition.label)}, in employment or, "
        "separately, in turnover; average annualised growth (E<sub>t</sub>/E<sub>t-w</sub>)<sup>1/w</sup> - 1 must be "
        "strictly above the threshold. Eurostat-OECD Manual on Business Demography Statistics (2007), doi:10.1787/9789264041882-en.</li>"
        + f"<li><strong>Gazelle</strong>: high-growth by employment and at most {definition.gazelle_max_age} years old at the end of the window.</li>"
        + "<li><strong>Scale-up</strong> (ScaleUp Institute / OECD wording): high-growth by employment <em>or</em> turnover.</li>"
        + "<li><strong>Rates</strong>: per 10,000 active businesses, and per 10,000 active firms with 10+ employees in the "
        "end year (Eurostat's denominator), with Wilson score 95% intervals.</li>"
        + "<li><strong>Hot spots</strong>: local Getis-Ord Gi* (Ord and Getis 1995, doi:10.1111/j.1538-4632.1995.tb00912.x) "
        "with esda and libpysal.</li>"
        + "<li><strong>Growth potential</strong>: a logistic regression fitted with statsmodels on the whole country, "
        "tested on a later held-out period; observed/expected ratios with Byar's interval on the observed count.</li>"
        + "<li>Other ONS variants (a 10% threshold, other windows or sizes): set <code>threshold</code>, <code>window</code> "
        "and <code>min_employees</code> in the notebook's parameters cell.</li>"
        + "</ul>"
    )


#: The section's views in page order.
VIEWS = (
    ("High-growth firms at a glance", growth_headline_table),
    ("High-growth rates over time", rates_over_time),
    ("How the place compares", comparators_chart),
    ("The sectors they are in", sectors),
    ("Where they are", growth_map),
    ("Hot spots", hot_spots),
    ("What the model links to high growth", odds_ratios),
    ("How well the model predicts", model_performance),
    ("Firms most likely to grow next", likely_growers),
    ("Observed and expected high growth", observed_expected_chart),
    ("Skills, productivity and business survival", skills_productivity_survival),
    ("What holds them back", holding_back),
    ("Data quality of the firm register", data_quality),
    ("Definitions and sources", definitions),
)


NOTEBOOK = NotebookSpec(
    parameters=(
        "# The high-growth definition: OECD-Eurostat by default; ONS and Eurostat also publish a 10% variant",
        "threshold = 0.20  # average annualised growth a firm must exceed: 0.20 is 20% a year",
        "window = 3  # years of growth",
        "min_employees = 10  # employees at the start of the window",
    ),
    setup=("growth.set_definition(dx, threshold=threshold, window=window, min_employees=min_employees)",),
)
