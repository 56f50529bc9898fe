"""The economy page's charts: the headline against the country, trends, location quotients, shift-share
and the productivity gap.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's figure, or a
notice when the data cannot support it (:mod:`diagnostics.sections.economy.notices`).
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from diagnostics.render.chart_figures import ChartFigures, FigureColumn
from diagnostics.render.charts import ROLE_COLOURS, footnote, house_style, legend_below, new_figure, show_figure
from diagnostics.render.comparison_charts import headline_dot_chart
from diagnostics.render.html import notice
from diagnostics.render.numbers import format_change, format_value
from diagnostics.render.palette import OKABE_ITO
from diagnostics.sections.economy.analysis import (
    available_headline,
    industry_comparison,
    place_productivity_gap,
    place_shift_share,
    place_structure,
)
from diagnostics.sections.economy.business_analysis import (
    business_comparison,
    place_business_shift_share,
    place_business_structure,
    uses_business_counts,
)
from diagnostics.sections.economy.indicators import economy_indicator_ids, indicator_history
from diagnostics.sections.economy.narrative import rule_text
from diagnostics.sections.economy.notices import missing_headline, missing_industry
from diagnostics.sections.economy.years import year_span
from diagnostics.sections.session import Session

__all__ = ["headline_chart", "trend_chart", "structure_chart", "shift_share_chart", "productivity_chart"]

_UP, _DOWN = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
_CLASS_COLOURS = {
    "strong specialisation": OKABE_ITO["blue"],
    "specialisation": OKABE_ITO["sky_blue"],
    "under-represented": OKABE_ITO["reddish_purple"],
    "": "#c8c8c8",
}


def _thousands(ax) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_value(v, "", 0)))


def _bar_labels(ax, positions, values, label) -> None:
    """Write each bar's value at its end (``label(value)`` its text) and make room for it."""
    span = max((abs(v) for v in values if pd.notna(v)), default=1.0) or 1.0
    _thousands(ax)
    for pos, v in zip(positions, values):
        ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), pos, label(v), va="center",
                ha="left" if v >= 0 else "right", fontsize=10.5, color="#222222")
    low, high = min(0.0, *values), max(0.0, *values)
    pad = 0.35 * ((high - low) or 1.0)
    ax.set_xlim(low - (pad if low < 0 else 0.05 * pad), high + (pad if high > 0 else 0.05 * pad))


def _jobs(value) -> str:
    return format_change(value, "", 0)


def _pounds(value) -> str:
    return format_change(value, "£", 0)


# -- the headline indicators -----------------------------------------------------------------------
def headline_chart(dx: Session):
    """Each headline measure as the place's % difference from the country, coloured by the comparison."""
    ok = available_headline(dx)
    ok = ok.loc[ok["country_value"].notna() & (ok["country_value"] != 0)]
    if ok.empty:
        if dx.country_code is None:
            return notice(f"{dx.place.name} is the whole country: there is nothing to compare it with.",
                          title="No comparison")
        return missing_headline(dx)
    frame = pd.DataFrame(
        {
            "indicator": ok["name"], "value": ok["value"], "lower_ci": ok["lower_ci"], "upper_ci": ok["upper_ci"],
            "country": ok["country_value"], "region": ok["region_value"], "unit": ok["unit"],
            "comparison": ok["vs_country"],
        }
    )
    periods = sorted(set(ok["period"].astype(str)))
    fig = headline_dot_chart(
        frame,
        title=f"{dx.place.name}'s economy against {dx.name_of(dx.country_code)}",
        source=", ".join(sorted(set(ok["source"].astype(str)))),
        period=periods[0] if len(periods) == 1 else f"latest of each ({periods[0]} to {periods[-1]})",
        country_label=dx.name_of(dx.country_code),
        region_label=dx.name_of(dx.region_code),
        value_format="{:,.1f}",
    )
    return show_figure(fig, alt=f"Economy headline measures of {dx.place.name} as % difference from the country",
                       table="Headline economy")


def _trend_title(meta) -> str:
    """A small multiple's title: the measure's short name, its unit unless £ or %, and which way is better."""
    unit = "" if meta["unit"] in ("£", "%") else f" ({meta['unit']})"
    title = textwrap.fill(f"{meta['short_name']}{unit}".replace(" (per ", "\n(per "), 22, replace_whitespace=False)
    if meta["polarity"] != "neutral":
        # on its own line under the title, so a long title never runs into it
        title += "\n" + ("higher is better" if meta["polarity"] == "higher_is_better" else "lower is better")
    return title


def trend_chart(dx: Session):
    """Small multiples: each headline measure over the years, place (with its interval) against region and country."""
    chosen = economy_indicator_ids(dx.store)
    history = indicator_history(dx.store, dx.place, chosen)
    ids = [i for i in chosen if ((history["indicator_id"] == i) & (history["role"] == "place")).any()]
    if not ids:
        return missing_headline(dx)
    catalogue = dx.store.catalogue
    ncols = 4 if len(ids) > 6 else min(3, len(ids))
    nrows = math.ceil(len(ids) / ncols)
    labels = {"place": dx.place.name, "region": dx.name_of(dx.region_code), "country": dx.name_of(dx.country_code)}
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with house_style():
        fig = new_figure(3.4 * ncols, 2.7 * nrows + 1.3, pad_in=None)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax, indicator_id in zip(axes.flat, ids):
            rows = history.loc[history["indicator_id"] == indicator_id]
            for role in ("country", "region", "place"):
                line = rows.loc[rows["role"] == role]
                if line.empty:
                    continue
                if role == "place" and line["lower_ci"].notna().any():
                    ax.fill_between(line["year"], line["lower_ci"], line["upper_ci"], color=ROLE_COLOURS["place"],
                                    alpha=0.18, linewidth=0)
                ax.plot(line["year"], line["value"], color=ROLE_COLOURS[role], linewidth=2.4 if role == "place" else 1.6,
                        linestyle="--" if role == "region" else "-", marker="o" if role == "place" else None,
                        markersize=3, label=labels[role])
            meta = catalogue.loc[indicator_id]
            ax.set_title(_trend_title(meta), fontsize=11, loc="left")
            ax.tick_params(labelsize=9)
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
            symbol = meta["unit"] if meta["unit"] in ("£", "%") else ""
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p, s=symbol: format_value(v, s, 0)))
        spare = list(axes.flat)[len(ids):]
        for ax in spare:
            ax.set_axis_off()
        handles, names = axes.flat[0].get_legend_handles_labels()
        order = [names.index(labels[r]) for r in ("place", "region", "country") if labels[r] in names]
        handles = [handles[i] for i in order] + [Patch(color=ROLE_COLOURS["place"], alpha=0.18, label="95% CI (place)")]
        fig.suptitle(f"{dx.place.name}: the economy over time", x=0.01, ha="left", fontweight="bold", fontsize=15)
        if spare:
            spare[0].legend(handles=handles, loc="center left", fontsize=11)
        else:
            # above the whole grid: a legend under one panel would widen that panel's column
            fig.legend(handles=handles, loc="outside upper right", ncols=2, fontsize=10, frameon=False)
        footnote(fig, ", ".join(sorted(set(history["source"].astype(str)))), year_span(history["year"].unique()))
    return show_figure(fig, alt=f"Trends in the economy's headline measures for {dx.place.name}, its region and its country",
                       data=_trend_figures(dx, history, ids, labels))


def _trend_figures(dx: Session, history: pd.DataFrame, ids: list[str], labels: dict[str, str]) -> ChartFigures:
    """The trend chart's figures: one row per measure and period, the place (with its interval), region and country."""
    keys = ["indicator_id", "year", "period"]
    shown = history.loc[history["indicator_id"].isin(ids)]
    roles = [r for r in ("place", "region", "country") if (shown["role"] == r).any()]
    frame = None
    for role in roles:
        part = shown.loc[shown["role"] == role, keys + ["value", "lower_ci", "upper_ci"]]
        part = part.rename(columns={c: f"{role}_{c}" for c in ("value", "lower_ci", "upper_ci")})
        frame = part if frame is None else frame.merge(part, on=keys, how="outer")
    catalogue = dx.store.catalogue
    frame = frame.assign(
        order=frame["indicator_id"].map({i: n for n, i in enumerate(ids)}),
        measure=frame["indicator_id"].map(catalogue["short_name"]),
        unit=frame["indicator_id"].map(catalogue["unit"]).fillna(""),
        decimals=frame["indicator_id"].map(catalogue["decimals"]).fillna(1).astype(int),
    ).sort_values(["order", "year"])
    values = [FigureColumn(f"{role}_value", labels[role], unit_column="unit", decimals_column="decimals",
                           lower="place_lower_ci" if role == "place" else None,
                           upper="place_upper_ci" if role == "place" else None) for role in roles]
    return ChartFigures(frame, caption=f"The economy's headline measures over time: {dx.place.name}, its region and its "
                        "country, each period the store holds (95% confidence intervals for the place where the figure "
                        "is an estimate)", source=", ".join(sorted(set(shown["source"].astype(str)))),
                        period=year_span(shown["year"].unique()), labels=[("measure", "Measure"), ("period", "Period")],
                        values=values)


# -- industrial structure ------------------------------------------------------------------------
def structure_chart(dx: Session):
    """Location quotients by SIC section (log scale, centred on 1), specialisations highlighted; on a
    store without jobs by industry but with business counts, of local units by broad industry group."""
    if uses_business_counts(dx):
        b = business_comparison(dx)
        table = place_business_structure(dx).rename(columns={"group": "code"})
        return _lq_chart(dx, table, "local units", b.latest_year, (
            f"{b.computed}. Business counts, not jobs: local units (workplaces) by broad industry group. {rule_text('local units')}"))
    if (shown := missing_industry(dx)) is not None:
        return shown
    industry = industry_comparison(dx)
    table = place_structure(dx).rename(columns={"sic_section": "code"})
    return _lq_chart(dx, table, "jobs", industry.latest_year, f"{industry.source}; jobs by SIC 2007 section. {rule_text()}")


def _lq_chart(dx: Session, table: pd.DataFrame, counted: str, year: int, source: str):
    """The location-quotient bars of ``table`` (code, name, lq, share, specialisation), ``counted`` in
    "jobs" or "local units"."""
    table = table.dropna(subset=["lq"])
    table = table.loc[table["lq"] > 0].sort_values("lq")
    from matplotlib.patches import Patch

    with house_style():
        fig = new_figure(10, 1.9 + 0.36 * len(table), pad_in=None)
        ax = fig.add_subplot()
        positions = np.arange(len(table))
        log_lq = np.log2(table["lq"].to_numpy())
        ax.barh(positions, log_lq, color=[_CLASS_COLOURS[c] for c in table["specialisation"]], height=0.7)
        ax.axvline(0, color="#1a1a1a", linewidth=1.4)
        ax.set_yticks(positions, [f"{n} ({s})" for n, s in zip(table["name"], table["code"])], fontsize=10.5)
        limit = max(abs(log_lq).max(), 1.0) * 1.1
        for pos, lq, share, kind in zip(positions, table["lq"], table["share"], table["specialisation"]):
            ax.text(limit * 1.08, pos, f"{format_value(lq, '', 2)}   {format_value(share, '%', 1)}", va="center",
                    ha="left", fontsize=10, color="#222222", fontweight="bold" if kind else "normal")
        ax.text(limit * 1.08, len(table) - 0.3, f"LQ   {counted}", va="bottom", ha="left", fontsize=10, color="#555555")
        ax.set_xlim(-limit, limit * 1.75)
        ticks = [t for t in (-3, -2, -1, 0, 1, 2, 3) if abs(t) <= limit]
        ax.set_xticks(ticks, [f"{2.0 ** t:g}" for t in ticks])
        ax.set_xlabel(f"Location quotient against {dx.name_of(dx.country_code)} (log scale; 1 = same share of {counted})")
        ax.grid(axis="y", visible=False)
        fig.suptitle(f"What {dx.place.name} specialises in, {year}" + ("" if counted == "jobs" else " (business counts, not jobs)"),
                     x=0.01, ha="left", fontweight="bold", fontsize=15)
        present = [c for c in ("strong specialisation", "specialisation", "under-represented", "")
                   if c in set(table["specialisation"])]
        handles = [Patch(color=_CLASS_COLOURS[c], label=(c or "neither").capitalize()) for c in present]
        legend_below(ax, handles, ncols=len(handles))
        footnote(fig, source, str(year))
    counted_in = "" if counted == "jobs" else f" ({counted})"
    return show_figure(fig, alt=f"Location quotients of {dx.place.name}'s industries{counted_in} against the country",
                       table="Location quotients by industry")


# -- shift-share -----------------------------------------------------------------------------------
def shift_share_chart(dx: Session, start_year=None, end_year=None):
    """Why the place's jobs changed: national growth, industry mix and local effect (total, and sectors' local
    effects); on a store without jobs by industry but with business counts, why its local units changed."""
    if uses_business_counts(dx):
        result = place_business_shift_share(dx, start_year, end_year)
        if result.table is None:
            return notice(result.problem, title="Shift-share not available")
        return _shift_share_chart(dx, result.table, "local units", (
            f"{business_comparison(dx).computed}; shift-share decomposition (Dunn 1960) against {dx.name_of(dx.country_code)}"))
    result = place_shift_share(dx, start_year, end_year)
    if (shown := missing_industry(dx)) is not None:
        return shown
    if result.table is None:
        return notice(result.problem, title="Shift-share not available")
    return _shift_share_chart(dx, result.table, "jobs", (
        f"{industry_comparison(dx).source}; shift-share decomposition (Dunn 1960) against {dx.name_of(dx.country_code)}"))


def _shift_share_chart(dx: Session, table: pd.DataFrame, counted: str, source: str):
    """The shift-share bars of ``table`` (:func:`~diagnostics.sections.economy.shift_share.shift_share`'s),
    ``counted`` in "jobs" or "local units"."""
    total = table.iloc[-1]
    sectors = table.iloc[:-1].assign(size=lambda t: t["local_effect"].abs()).nlargest(8, "size").sort_values("local_effect")
    start, end = int(total["start_year"]), int(total["end_year"])
    with house_style():
        fig = new_figure(12, 5.6, pad_in=None)
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
        labels = ["Actual change", "National growth", "Industry mix", "Local effect"]
        values = [total["change"], total["national_growth"], total["industry_mix"], total["local_effect"]]
        positions = np.arange(len(labels))[::-1]
        left.barh(positions, values, color=["#4d4d4d"] + [_UP if v >= 0 else _DOWN for v in values[1:]], height=0.65)
        _bar_labels(left, positions, values, _jobs)
        left.set_yticks(positions, labels)
        left.axvline(0, color="#1a1a1a", linewidth=1)
        left.set_xlabel(counted.capitalize())
        left.set_title(f"All industries, {start} to {end}", loc="left", fontsize=13)
        pos2 = np.arange(len(sectors))
        right.barh(pos2, sectors["local_effect"], color=[_UP if v >= 0 else _DOWN for v in sectors["local_effect"]],
                   height=0.65)
        _bar_labels(right, pos2, sectors["local_effect"].tolist(), _jobs)
        right.set_yticks(pos2, list(sectors["name"]), fontsize=10.5)
        right.axvline(0, color="#1a1a1a", linewidth=1)
        right.set_xlabel(f"{counted.capitalize()} beyond the sector's national trend")
        right.set_title("Local effect, largest sectors", loc="left", fontsize=13)
        for ax in (left, right):
            ax.grid(axis="y", visible=False)
        fig.suptitle(f"Why {counted} in {dx.place.name} changed by {_jobs(total['change'])} "
                     f"({format_change(total['local_growth_pct'], '%', 1)})",
                     x=0.01, ha="left", fontweight="bold", fontsize=15)
        footnote(fig, source, f"{start} to {end}")
    return show_figure(fig, alt=f"Shift-share decomposition of the change in {counted} in {dx.place.name}, {start} to {end}",
                       table="Shift-share by industry")


# -- productivity gap ------------------------------------------------------------------------------
def productivity_chart(dx: Session):
    """The gap in GVA per job to the country, split into industry mix and within industries, and by sector."""
    if (shown := missing_industry(dx)) is not None:
        return shown
    gap = place_productivity_gap(dx)
    if gap.table is None:
        return notice(f"No productivity gap for {dx.place.name}: {gap.problem}", title="Productivity gap not available")
    table = gap.table
    total = table.iloc[-1]
    year = int(total["year"])
    country = dx.name_of(dx.country_code)
    sectors = table.iloc[:-1].assign(size=lambda t: t["gap"].abs()).nlargest(8, "size").sort_values("gap")
    with house_style():
        fig = new_figure(12, 5.6, pad_in=None)
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
        labels = ["Gap to the country", "Industry mix", "Within industries"]
        values = [total["gap"], total["mix"], total["within"]]
        positions = np.arange(3)[::-1]
        left.barh(positions, values, color=["#4d4d4d"] + [_UP if v >= 0 else _DOWN for v in values[1:]], height=0.6)
        _bar_labels(left, positions, values, _pounds)
        left.set_yticks(positions, labels)
        left.set_xlabel("£ per job")
        left.set_title("All industries", loc="left", fontsize=13)
        pos2 = np.arange(len(sectors))
        height = 0.38
        right.barh(pos2 + height / 2, sectors["mix"], height=height, color=OKABE_ITO["sky_blue"], label="Industry mix")
        right.barh(pos2 - height / 2, sectors["within"], height=height, color=OKABE_ITO["orange"], label="Within industry")
        right.set_yticks(pos2, list(sectors["name"]), fontsize=10.5)
        right.set_xlabel("£ per job")
        _thousands(right)
        right.set_title("Largest sectors' contributions", loc="left", fontsize=13)
        right.legend(loc="lower right", fontsize=10)
        for ax in (left, right):
            ax.axvline(0, color="#1a1a1a", linewidth=1)
            ax.grid(axis="y", visible=False)
        fig.suptitle(
            f"{dx.place.name}: GVA per job {format_value(total['gva_per_job'], '£', 0)} against {country}'s "
            f"{format_value(total['national_gva_per_job'], '£', 0)} "
            f"({format_change(100 * total['gap'] / total['national_gva_per_job'], '%', 1)})",
            x=0.01, ha="left", fontweight="bold", fontsize=15,
        )
        footnote(fig, f"{industry_comparison(dx).source}; workplace GVA (current prices) over workplace jobs", str(year))
    return show_figure(fig, alt=f"The productivity gap of {dx.place.name} to the country, split by industry mix and within industries",
                       table="Productivity gap by industry")
