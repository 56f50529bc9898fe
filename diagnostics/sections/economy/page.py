"""The economy section (``notebooks/10_economy.ipynb``): what each cell of the page shows.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's output; the analysis
behind them is :mod:`diagnostics.sections.economy.analysis` (industry) and :func:`diagnostics.compare.benchmark.benchmark_table`
(headline indicators), computed once per session through ``dx.memo``. Views never raise for missing
data: a store without an industry table, a place that is not made of whole districts, or indicators
the store lacks for the place give a notice saying why. Bad notebook parameters (``start_year``,
``end_year``) raise :class:`~diagnostics.exceptions.InvalidParameter` naming the fix.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place, per_session
from diagnostics.exceptions import InvalidParameter
from diagnostics.render.html import (
    as_html,
    interval_note,
    notice,
    source_line,
    synthetic_banner,
)
from diagnostics.render.numbers import format_value
from diagnostics.render.palette import OKABE_ITO
from diagnostics.render.tables import html_table
from diagnostics.sections.economy import analysis as ec
from diagnostics.sections.economy import industry
from diagnostics.sections.notebooks import NotebookSpec
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "headline",
    "findings",
    "headline_table",
    "headline_chart",
    "trend_chart",
    "structure_chart",
    "structure_table",
    "shift_share_chart",
    "shift_share_table",
    "productivity_chart",
    "productivity_table",
    "data_notes",
]

_UP, _DOWN, _NEUTRAL = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#9a9a9a"
_CLASS_COLOURS = {
    "strong specialisation": OKABE_ITO["blue"],
    "specialisation": OKABE_ITO["sky_blue"],
    "under-represented": OKABE_ITO["reddish_purple"],
    "": "#c8c8c8",
}


# -- analyses, once per session ------------------------------------------------------------------
def headline(dx: Session) -> pd.DataFrame:
    """The economy's headline measures against region, country and comparators (a benchmark table)."""
    return dx.benchmarks(ec.economy_indicator_ids(dx.store))


def _industry(dx: Session) -> tuple[industry.PlaceIndustry, industry.PlaceIndustry | None, str]:
    """The place's and its country's industry figures, and why a comparison cannot be made ('' if it can)."""

    def compute():
        own = industry.place_industry(dx.store, dx.place)
        if not own.available:
            return own, None, f"No industry figures for {dx.place.name}: {own.reason}"
        country = dx.country_code
        if country is None:
            return own, None, (
                f"{dx.place.name} is the whole country (or lies in none), so there is no national "
                "benchmark: every location quotient would be 1 and a shift-share against itself has no "
                "local effect. Run the diagnostic for a district or a region to compare it with the country."
            )
        nation = industry.place_industry(dx.store, country)
        if not nation.available:
            return own, nation, f"No industry figures for {dx.name_of(country)}: {nation.reason}"
        if not ec.common_years(own.table, nation.table):
            return own, nation, (
                f"The industry figures of {dx.place.name} ({_span(own.years)}) and of "
                f"{dx.name_of(country)} ({_span(nation.years)}) share no year."
            )
        return own, nation, ""

    return cached(per_place(dx, "economy.industry"), compute)


def _span(years) -> str:
    years = sorted(years)
    if not years:
        return "no years"
    return str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _structure(dx: Session) -> pd.DataFrame:
    own, nation, _ = _industry(dx)
    return cached(per_session(dx, "economy.structure"),
        
        lambda: ec.industrial_structure(own.table, nation.table, ec.common_years(own.table, nation.table)[-1]),
    )


def _shift_share(dx: Session, start_year, end_year) -> pd.DataFrame:
    own, nation, _ = _industry(dx)
    start, end = ec.check_years(own.table, nation.table, start_year, end_year)
    return cached(per_session(dx, f"economy.shift_share.{start}.{end}"), lambda: ec.shift_share(own.table, nation.table, start, end))


def _shift_share_or_notice(dx: Session, start_year, end_year):
    """``(table, None)``, or ``(None, notice)`` when the data cannot support a shift-share."""
    ec.year_parameters(start_year, end_year)
    if (shown := _unavailable(dx)) is not None:
        return None, shown
    own, nation, _ = _industry(dx)
    years = ec.common_years(own.table, nation.table)
    if len(years) < 2 and start_year is None and end_year is None:
        return None, notice(
            f"A shift-share compares two years, and the industry figures of {dx.place.name} and "
            f"{dx.name_of(dx.country_code)} share only {years[0]} (some areas lack other years; see About the data).",
            title="Shift-share not available",
        )
    return _shift_share(dx, start_year, end_year), None


def _productivity(dx: Session) -> pd.DataFrame | str:
    """The productivity gap table, or why there is none."""
    own, nation, _ = _industry(dx)

    def compute():
        try:
            return ec.productivity_gap(own.table, nation.table)
        except InvalidParameter as err:
            return str(err)

    return cached(per_place(dx, "economy.productivity"), compute)


def _industry_source(dx: Session) -> str:
    own, _, _ = _industry(dx)
    return f"{own.source or dx.store.source} (vintage {own.vintage or dx.store.vintage})"


def _unavailable(dx: Session) -> object | None:
    """The notice to show in place of an industry view, or None when the views can be drawn."""
    _, _, reason = _industry(dx)
    return notice(reason, title="Industry figures not available") if reason else None


def _money(value: float) -> str:
    """Signed pounds as people write them: +£1,279, -£2,916."""
    return f"{'-' if value < 0 else '+'}£{abs(value):,.0f}"


def _thousands(ax) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))


def _figure(fig, alt: str):
    from diagnostics.render.charts import show_figure

    return show_figure(fig, alt=alt)


# -- the headline indicators -----------------------------------------------------------------------
def _headline_ok(dx: Session) -> pd.DataFrame:
    table = headline(dx)
    return table.loc[table["status"] == "ok"]


def _no_headline(dx: Session):
    return notice(
        f"The store has none of the economy's headline indicators for {dx.place.name} "
        f"({dx.place.layer_label}). They are published for districts, counties, regions and "
        "the country; run the diagnostic for one of those.",
        title="Headline economy not available",
    )


def headline_table(dx: Session):
    """The headline economy: each measure's value and interval, region, country, comparators, comparison, trend."""
    from diagnostics.render.tables import headline_html

    table = headline(dx)
    if _headline_ok(dx).empty:
        return _no_headline(dx)
    return as_html(
        synthetic_banner(dx)
        + headline_html(
            table, dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
            dx.name_of(dx.country_code), dx.comparator_method,
        )
        + _headline_note(dx)
    )


def _headline_note(dx: Session) -> str:
    """Which figures are published without an interval (compared by size only), and units worth spelling out."""
    ok = _headline_ok(dx)
    bare = ok.loc[ok["lower_ci"].isna(), "name"].tolist()
    parts = []
    if bare:
        parts.append(f"Published without a confidence interval, so compared by size only (see the next chart): "
                     f"{', '.join(bare)}.")
    ids = set(ok["indicator_id"])
    if ids & {"business_birth_rate", "business_death_rate", "business_survival_3yr"}:
        parts.append("Survival, births and deaths are per 100 enterprises.")
    if "business_density" in ids:
        parts.append("Density is per 10,000 adults.")
    if not dx.store.is_synthetic:
        parts.append("Every figure here is ready-made (published by ONS through Explore Local Statistics), with its "
                     "published 95% interval where there is one.")
    return f"<p style='font-size:0.85em;color:#444'>{html.escape(' '.join(parts))}</p>" if parts else ""


def headline_chart(dx: Session):
    """Each headline measure as the place's % difference from the country, coloured by the comparison."""
    from diagnostics.render.charts import headline_dot_chart

    ok = _headline_ok(dx)
    ok = ok.loc[ok["country_value"].notna() & (ok["country_value"] != 0)]
    if ok.empty:
        if dx.country_code is None:
            return notice(f"{dx.place.name} is the whole country: there is nothing to compare it with.",
                          title="No comparison")
        return _no_headline(dx)
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
    return _figure(fig, f"Economy headline measures of {dx.place.name} as % difference from the country")


def trend_chart(dx: Session):
    """Small multiples: each headline measure over the years, place (with its interval) against region and country."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from diagnostics.render.charts import ROLE_COLOURS, footnote, house_style

    chosen = ec.economy_indicator_ids(dx.store)
    history = ec.indicator_history(dx.store, dx.place, chosen)
    ids = [i for i in chosen if ((history["indicator_id"] == i) & (history["role"] == "place")).any()]
    if not ids:
        return _no_headline(dx)
    catalogue = dx.store.catalogue
    ncols = 4 if len(ids) > 6 else min(3, len(ids))
    nrows = math.ceil(len(ids) / ncols)
    labels = {"place": dx.place.name, "region": dx.name_of(dx.region_code), "country": dx.name_of(dx.country_code)}
    with house_style():
        fig = Figure(figsize=(3.4 * ncols, 2.7 * nrows + 1.3), layout="constrained")
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
            unit = "" if meta["unit"] in ("£", "%") else f" ({meta['unit']})"
            title = textwrap.fill(f"{meta['short_name']}{unit}".replace(" (per ", "\n(per "), 22,
                                  replace_whitespace=False)
            if meta["polarity"] != "neutral":
                # on its own line under the title, so a long title never runs into it
                title += "\n" + ("higher is better" if meta["polarity"] == "higher_is_better" else "lower is better")
            ax.set_title(title, fontsize=11, loc="left")
            ax.tick_params(labelsize=9)
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
            symbol = meta["unit"] if meta["unit"] in ("£", "%") else ""
            ax.yaxis.set_major_formatter(FuncFormatter(
                lambda v, _p, s=symbol: f"£{v:,.0f}" if s == "£" else (f"{v:,.0f}%" if s == "%" else f"{v:,.0f}")))
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
        years = history["year"]
        footnote(fig, ", ".join(sorted(set(history["source"].astype(str)))), _span(years.unique()))
    return _figure(fig, f"Trends in the economy's headline measures for {dx.place.name}, its region and its country")


# -- industrial structure ------------------------------------------------------------------------
def _rule_text() -> str:
    return (
        f"Specialisation: location quotient (LQ) at least {ec.SPECIALISATION_LQ:g} (strong at "
        f"{ec.STRONG_SPECIALISATION_LQ:g}); under-represented: LQ at most {ec.UNDER_REPRESENTED_LQ:g}; "
        f"either only for sectors with at least {ec.MIN_SPECIALISATION_SHARE:.0%} of the place's jobs."
    )


def structure_chart(dx: Session):
    """Location quotients by SIC section (log scale, centred on 1), specialisations highlighted."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from diagnostics.render.charts import footnote, house_style, legend_below

    if (shown := _unavailable(dx)) is not None:
        return shown
    table = _structure(dx).dropna(subset=["lq"])
    table = table.loc[table["lq"] > 0].sort_values("lq")
    year = _industry_year(dx)
    with house_style():
        fig = Figure(figsize=(10, 1.9 + 0.36 * len(table)), layout="constrained")
        ax = fig.add_subplot()
        positions = np.arange(len(table))
        log_lq = np.log2(table["lq"].to_numpy())
        ax.barh(positions, log_lq, color=[_CLASS_COLOURS[c] for c in table["specialisation"]], height=0.7)
        ax.axvline(0, color="#1a1a1a", linewidth=1.4)
        ax.set_yticks(positions, [f"{n} ({s})" for n, s in zip(table["name"], table["sic_section"])], fontsize=10.5)
        limit = max(abs(log_lq).max(), 1.0) * 1.1
        for pos, lq, share, kind in zip(positions, table["lq"], table["share"], table["specialisation"]):
            ax.text(limit * 1.08, pos, f"{lq:.2f}   {share:.1f}%", va="center", ha="left", fontsize=10,
                    color="#222222", fontweight="bold" if kind else "normal")
        ax.text(limit * 1.08, len(table) - 0.3, "LQ   jobs", va="bottom", ha="left", fontsize=10, color="#555555")
        ax.set_xlim(-limit, limit * 1.75)
        ticks = [t for t in (-3, -2, -1, 0, 1, 2, 3) if abs(t) <= limit]
        ax.set_xticks(ticks, [f"{2.0 ** t:g}" for t in ticks])
        ax.set_xlabel(f"Location quotient against {dx.name_of(dx.country_code)} (log scale; 1 = same share of jobs)")
        ax.grid(axis="y", visible=False)
        fig.suptitle(f"What {dx.place.name} specialises in, {year}", x=0.01, ha="left", fontweight="bold", fontsize=15)
        present = [c for c in ("strong specialisation", "specialisation", "under-represented", "")
                   if c in set(table["specialisation"])]
        handles = [Patch(color=_CLASS_COLOURS[c], label=(c or "neither").capitalize()) for c in present]
        legend_below(ax, handles, ncols=len(handles))
        source = _industry_source(dx)
        footnote(fig, f"{source}; jobs by SIC 2007 section. {_rule_text()}", str(year))
    return _figure(fig, f"Location quotients of {dx.place.name}'s industries against the country")


def _industry_year(dx: Session) -> int:
    own, nation, _ = _industry(dx)
    return ec.common_years(own.table, nation.table)[-1]


def structure_table(dx: Session):
    """Jobs by SIC section, shares of the place's and the country's jobs, location quotients and the call-outs."""
    if (shown := _unavailable(dx)) is not None:
        return shown
    table = _structure(dx).sort_values("employment", ascending=False)
    year = _industry_year(dx)
    country = dx.name_of(dx.country_code)
    frame = pd.DataFrame(
        {
            "Section": table["sic_section"],
            "Industry": table["name"],
            "Jobs": [format_value(v, "", 0) for v in table["employment"]],
            "Share of jobs": [format_value(v, "%", 1) for v in table["share"]],
            f"Share in {country}": [format_value(v, "%", 1) for v in table["national_share"]],
            "Location quotient": [format_value(v, "", 2) for v in table["lq"]],
            "Call-out": table["specialisation"].str.capitalize(),
        }
    )
    own, _, _ = _industry(dx)
    source = _industry_source(dx)
    caption = f"{dx.place.name}, {year}: {own.method}. {_rule_text()}"
    return as_html(html_table(frame, caption) + source_line(source, str(year)))


# -- shift-share -----------------------------------------------------------------------------------
def shift_share_chart(dx: Session, start_year=None, end_year=None):
    """Why the place's jobs changed: national growth, industry mix and local effect (total, and sectors' local effects)."""
    from matplotlib.figure import Figure

    from diagnostics.render.charts import footnote, house_style

    table, shown = _shift_share_or_notice(dx, start_year, end_year)
    if shown is not None:
        return shown
    total = table.iloc[-1]
    sectors = table.iloc[:-1].assign(size=lambda t: t["local_effect"].abs()).nlargest(8, "size").sort_values("local_effect")
    start, end = int(total["start_year"]), int(total["end_year"])
    with house_style():
        fig = Figure(figsize=(12, 5.6), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
        labels = ["Actual change", "National growth", "Industry mix", "Local effect"]
        values = [total["change"], total["national_growth"], total["industry_mix"], total["local_effect"]]
        positions = np.arange(len(labels))[::-1]
        left.barh(positions, values, color=["#4d4d4d"] + [_UP if v >= 0 else _DOWN for v in values[1:]], height=0.65)
        _bar_labels(left, positions, values, "{:+,.0f}")
        left.set_yticks(positions, labels)
        left.axvline(0, color="#1a1a1a", linewidth=1)
        left.set_xlabel("Jobs")
        left.set_title(f"All industries, {start} to {end}", loc="left", fontsize=13)
        pos2 = np.arange(len(sectors))
        right.barh(pos2, sectors["local_effect"], color=[_UP if v >= 0 else _DOWN for v in sectors["local_effect"]],
                   height=0.65)
        _bar_labels(right, pos2, sectors["local_effect"].tolist(), "{:+,.0f}")
        right.set_yticks(pos2, [n for n in sectors["name"]], fontsize=10.5)
        right.axvline(0, color="#1a1a1a", linewidth=1)
        right.set_xlabel("Jobs beyond the sector's national trend")
        right.set_title("Local effect, largest sectors", loc="left", fontsize=13)
        for ax in (left, right):
            ax.grid(axis="y", visible=False)
        fig.suptitle(f"Why jobs in {dx.place.name} changed by {total['change']:+,.0f} ({total['local_growth_pct']:+.1f}%)",
                     x=0.01, ha="left", fontweight="bold", fontsize=15)
        source = _industry_source(dx)
        footnote(fig, f"{source}; shift-share decomposition (Dunn 1960) against {dx.name_of(dx.country_code)}",
                  f"{start} to {end}")
    return _figure(fig, f"Shift-share decomposition of the change in jobs in {dx.place.name}, {start} to {end}")


def _bar_labels(ax, positions, values, pattern) -> None:
    """Write each bar's value at its end (``pattern`` a format string or a function) and make room for it."""
    span = max((abs(v) for v in values if pd.notna(v)), default=1.0) or 1.0
    text = pattern if callable(pattern) else pattern.format
    _thousands(ax)
    for pos, v in zip(positions, values):
        ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), pos, text(v), va="center",
                ha="left" if v >= 0 else "right", fontsize=10.5, color="#222222")
    low, high = min(0.0, *values), max(0.0, *values)
    pad = 0.35 * ((high - low) or 1.0)
    ax.set_xlim(low - (pad if low < 0 else 0.05 * pad), high + (pad if high > 0 else 0.05 * pad))


def shift_share_table(dx: Session, start_year=None, end_year=None):
    """The shift-share components by SIC section and in total (they sum exactly to the change in jobs)."""
    table, shown = _shift_share_or_notice(dx, start_year, end_year)
    if shown is not None:
        return shown
    start, end = int(table["start_year"].iloc[0]), int(table["end_year"].iloc[0])
    body = table.iloc[:-1].assign(size=lambda t: t["change"].abs()).sort_values("size", ascending=False)
    body = pd.concat([body, table.iloc[[-1]]])

    def jobs(values):
        return [format_value(v, "", 0) if pd.notna(v) else "–" for v in values]

    frame = pd.DataFrame(
        {
            "Industry": [f"{n} ({s})" if s != "Total" else n for n, s in zip(body["name"], body["sic_section"])],
            f"Jobs {start}": jobs(body["start_employment"]),
            f"Jobs {end}": jobs(body["end_employment"]),
            "Change": [f"{v:+,.0f}" for v in body["change"]],
            "National growth": [f"{v:+,.0f}" for v in body["national_growth"]],
            "Industry mix": [f"{v:+,.0f}" for v in body["industry_mix"]],
            "Local effect": [f"{v:+,.0f}" for v in body["local_effect"]],
            "Growth here": [f"{v:+.1f}%" if pd.notna(v) else "new" for v in body["local_growth_pct"]],
            "Sector's national growth": [f"{v:+.1f}%" if pd.notna(v) else "–" for v in body["national_sector_growth_pct"]],
        }
    )
    growth = table["national_growth_pct"].iloc[0]
    caption = (
        f"National growth: the jobs the place would have gained had every sector grown as all jobs in "
        f"{dx.name_of(dx.country_code)} did ({growth:+.1f}%). Industry mix: the extra from its sectors "
        "growing faster or slower nationally than jobs overall. Local effect: the rest, how its sectors did "
        "against the same sectors nationally. The three sum to the change. Rounded to whole jobs."
    )
    source = _industry_source(dx)
    return as_html(html_table(frame, caption) + source_line(source, f"{start} to {end}"))


# -- productivity gap ------------------------------------------------------------------------------
def _productivity_or_notice(dx: Session):
    if (shown := _unavailable(dx)) is not None:
        return None, shown
    table = _productivity(dx)
    if isinstance(table, str):
        return None, notice(f"No productivity gap for {dx.place.name}: {table}", title="Productivity gap not available")
    return table, None


def productivity_chart(dx: Session):
    """The gap in GVA per job to the country, split into industry mix and within industries, and by sector."""
    from matplotlib.figure import Figure

    from diagnostics.render.charts import footnote, house_style

    table, shown = _productivity_or_notice(dx)
    if shown is not None:
        return shown
    total = table.iloc[-1]
    year = int(total["year"])
    country = dx.name_of(dx.country_code)
    sectors = table.iloc[:-1].assign(size=lambda t: t["gap"].abs()).nlargest(8, "size").sort_values("gap")
    with house_style():
        fig = Figure(figsize=(12, 5.6), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
        labels = ["Gap to the country", "Industry mix", "Within industries"]
        values = [total["gap"], total["mix"], total["within"]]
        positions = np.arange(3)[::-1]
        left.barh(positions, values, color=["#4d4d4d"] + [_UP if v >= 0 else _DOWN for v in values[1:]], height=0.6)
        _bar_labels(left, positions, values, _money)
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
            f"{dx.place.name}: GVA per job £{total['gva_per_job']:,.0f} against {country}'s "
            f"£{total['national_gva_per_job']:,.0f} ({100 * total['gap'] / total['national_gva_per_job']:+.1f}%)",
            x=0.01, ha="left", fontweight="bold", fontsize=15,
        )
        source = _industry_source(dx)
        footnote(fig, f"{source}; workplace GVA (current prices) over workplace jobs", str(year))
    return _figure(fig, f"The productivity gap of {dx.place.name} to the country, split by industry mix and within industries")


def productivity_table(dx: Session):
    """Each sector's share and GVA per job here and in the country, and its part of the productivity gap."""
    table, shown = _productivity_or_notice(dx)
    if shown is not None:
        return shown
    year = int(table["year"].iloc[0])
    body = table.iloc[:-1].assign(size=lambda t: t["gap"].abs()).sort_values("size", ascending=False)
    body = pd.concat([body, table.iloc[[-1]]])
    country = dx.name_of(dx.country_code)
    frame = pd.DataFrame(
        {
            "Industry": [f"{n} ({s})" if s != "Total" else n for n, s in zip(body["name"], body["sic_section"])],
            "Share of jobs": [format_value(v, "%", 1) for v in body["share"]],
            f"Share in {country}": [format_value(v, "%", 1) for v in body["national_share"]],
            "GVA per job": [format_value(v, "£", 0) for v in body["gva_per_job"]],
            f"GVA per job in {country}": [format_value(v, "£", 0) for v in body["national_gva_per_job"]],
            "Industry mix (£/job)": [f"{v:+,.0f}" for v in body["mix"]],
            "Within industry (£/job)": [f"{v:+,.0f}" for v in body["within"]],
            "Contribution to gap (£/job)": [f"{v:+,.0f}" for v in body["gap"]],
        }
    )
    caption = (
        "Industry mix: (share here - national share) x national GVA per job in the sector. Within industry: "
        "share here x (GVA per job here - national GVA per job in the sector). Summed over sectors they give "
        "the gap exactly. A large within-industry part means the same sectors produce less (or more) per job "
        "here; a large mix part means the place has more of high- (or low-) value sectors."
    )
    source = _industry_source(dx)
    return as_html(html_table(frame, caption) + source_line(source, str(year)))


# -- findings and notes ----------------------------------------------------------------------------
def _headline_sentence(row, country: str) -> str:
    value = format_value(row["value"], row["unit"] if row["unit"] in ("£", "%") else "", int(row["decimals"]))
    unit = "" if row["unit"] in ("£", "%", "") else f" {row['unit']}"
    national = format_value(row["country_value"], row["unit"] if row["unit"] in ("£", "%") else "", int(row["decimals"]))
    text = f"{row['name']}: {value}{unit} in {row['period']} against {national} in {country}"
    if row["vs_country"] in ("better", "worse"):
        text += f", significantly {row['vs_country']}"
    elif row["vs_country"] == "similar":
        text += ", not significantly different"
    elif pd.notna(row["country_value"]) and row["country_value"]:
        text += f" ({100 * (row['value'] / row['country_value'] - 1):+.1f}%; a published figure without an interval)"
    if row["indicator_id"] == "gdp_per_head":
        text += " (output where people work divided by the people who live there: high where many commute in)"
    return text + (f"; recent trend: {row['trend']}" if row["trend"] else "") + "."


def _industry_findings(dx: Session, start_year, end_year) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    structure = _structure(dx)
    special = structure.loc[structure["specialisation"].str.contains("specialisation")].sort_values("lq", ascending=False)
    if not special.empty:
        listed = "; ".join(f"{n.lower()} (LQ {q:.2f}, {s:.1f}% of jobs)"
                           for n, q, s in special[["name", "lq", "share"]].itertuples(index=False))
        found.append((
            f"{dx.place.name} specialises in {listed} (rule: LQ at least {ec.SPECIALISATION_LQ:g} with at least "
            f"{ec.MIN_SPECIALISATION_SHARE:.0%} of jobs).",
            "Industrial structure",
        ))
    shift, _ = _shift_share_or_notice(dx, start_year, end_year)
    if shift is not None:
        t = shift.iloc[-1]
        found.append((
            f"Jobs changed by {t['change']:+,.0f} ({t['local_growth_pct']:+.1f}%) from {int(t['start_year'])} to "
            f"{int(t['end_year'])}: national growth alone would have given {t['national_growth']:+,.0f}, its mix of "
            f"industries {t['industry_mix']:+,.0f}, and local performance {t['local_effect']:+,.0f}.",
            "Shift-share: why jobs changed",
        ))
    gap = _productivity(dx)
    if not isinstance(gap, str):
        t = gap.iloc[-1]
        main = "its mix of industries" if abs(t["mix"]) >= abs(t["within"]) else "productivity within its industries"
        found.append((
            f"GVA per job differs from {dx.name_of(dx.country_code)}'s by {_money(t['gap'])} ({t['year']}): "
            f"{_money(t['mix'])} from the industry mix and {_money(t['within'])} within industries; the larger part "
            f"is {main}.",
            "Productivity gap",
        ))
    return found


def economy_findings(dx: Session, start_year=None, end_year=None) -> list[tuple[str, str]]:
    """The page's plain-English findings, each with the heading of the chart on the page that backs it."""
    found: list[tuple[str, str]] = []
    country = dx.name_of(dx.country_code)
    ok = _headline_ok(dx)
    if dx.country_code:
        for indicator_id in ("gva_per_head", "gdp_per_head", "gva_per_hour", "gva_per_job"):
            row = ok.loc[ok["indicator_id"] == indicator_id]
            if not row.empty:
                found.append((_headline_sentence(row.iloc[0], country), "How the place compares"))
        for label in ("better", "worse"):
            names = ok.loc[ok["vs_country"] == label, "name"].tolist()
            if names:
                found.append((f"Significantly {label} than {country} (95% intervals): {', '.join(names)}.",
                              "How the place compares"))
    moving = ok.loc[ok["trend"].astype(str).str.contains("getting"), ["name", "trend"]]
    if not moving.empty:
        listed = "; ".join(f"{n} {t}" for n, t in moving.itertuples(index=False))
        found.append((f"Recent trends (last five periods): {listed}.", "Trends"))
    if not _industry(dx)[2]:
        found += _industry_findings(dx, start_year, end_year)
    return found


def findings(dx: Session, start_year=None, end_year=None):
    """The page's findings in plain English, each pointing at the figure below that backs it."""
    ec.year_parameters(start_year, end_year)
    found = economy_findings(dx, start_year, end_year)
    if not found:
        return notice(f"The store holds no economy figures for {dx.place.name} to draw findings from.",
                      title="No findings")
    items = "".join(
        f"<li>{html.escape(text)} <em style='color:#555'>(figure: {html.escape(heading)})</em></li>" for text, heading in found
    )
    return as_html(f"<ul class='pd-findings'>{items}</ul>")


def data_notes(dx: Session):
    """Where the figures come from and how they are made: sources, periods, methods and rules."""
    own, nation, reason = _industry(dx)
    notes = []
    ok = _headline_ok(dx)
    if not ok.empty:
        notes.append(f"Headline indicators: {', '.join(sorted(set(ok['source'].astype(str))))}; latest periods "
                     f"{_span(ok['period'].astype(str).unique())}. {interval_note(dx.store)}")
    if own.available:
        notes.append(f"Industry figures for {dx.place.name}: {own.method}, {_span(own.years)}; source {own.source}, "
                     f"vintage {own.vintage}.")
        if own.incomplete_years:
            notes.append(f"Years left out because some of its areas lack industry rows: {', '.join(map(str, own.incomplete_years))}.")
    if nation is not None and nation.available:
        notes.append(f"{dx.name_of(dx.country_code)}: {nation.method}, {_span(nation.years)}.")
        if nation.incomplete_years:
            notes.append(f"National years left out (incomplete): {', '.join(map(str, nation.incomplete_years))}.")
    if reason:
        notes.append(reason)
    if own.available:
        notes += [
            _rule_text(),
            "Shift-share: Dunn (1960), standard formulation; the local effect is the remainder, so the three parts sum "
            "exactly to the change in jobs. Jobs counts from one year to another move with sampling and reclassification: "
            "read small sectors' figures with care.",
            "Productivity gap: GVA per job = workplace GVA (£ million, current prices) / workplace jobs; the gap to the "
            "country splits exactly into industry mix (structure valued at national sector productivity) and within "
            "industries (the place's sector productivity gaps weighted by its own structure).",
        ]
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return as_html(synthetic_banner(dx) + f"<ul>{items}</ul>")


#: The page, in order: (heading, view).
VIEWS = (
    ("Findings", findings),
    ("Headline economy", headline_table),
    ("How the place compares", headline_chart),
    ("Trends", trend_chart),
    ("Industrial structure", structure_chart),
    ("Jobs and location quotients by industry", structure_table),
    ("Shift-share: why jobs changed", shift_share_chart),
    ("Shift-share by industry", shift_share_table),
    ("Productivity gap", productivity_chart),
    ("Productivity gap by industry", productivity_table),
    ("About the data", data_notes),
)


NOTEBOOK = NotebookSpec(
    intro=(
        "The place's economy against its region, its country and its statistical neighbours: productivity, "
        "jobs and skills, business demography, its industrial structure, why its jobs changed (shift-share) "
        "and what lies behind its productivity gap."
    ),
    parameters=(
        "start_year = None  # first year of the shift-share (e.g. 2015); None means the first year with industry figures",
        "end_year = None  # last year of the shift-share; None means the latest year with industry figures",
    ),
    arguments={name: "dx, start_year, end_year" for name in ("findings", "shift_share_chart", "shift_share_table")},
)
