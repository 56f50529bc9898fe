"""The growth page's charts: high-growth rates over time, the place against its comparators, and
observed against expected high growth by sector and neighbourhood.

Without a firm register the first two draw the published figures instead
(:mod:`~diagnostics.sections.growth.published`).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from diagnostics.render.chart_figures import ChartFigures, FigureColumn, columns_by_area
from diagnostics.render.charts import ROLE_COLOURS, house_style, new_figure, show_figure
from diagnostics.render.comparison_charts import comparison_bar
from diagnostics.render.html import notice
from diagnostics.render.palette import COMPARISON_COLOURS
from diagnostics.sections.growth.analysis import growth_page, register_problem, register_source
from diagnostics.sections.growth.notices import guarded, unavailable
from diagnostics.sections.growth.place_model import place_model, place_observed_expected
from diagnostics.sections.growth.published import published_comparators, published_over_time
from diagnostics.sections.session import Session

__all__ = ["rates_over_time", "comparators_chart", "observed_expected_chart"]


def rates_over_time(dx: Session):
    """The high-growth rate each year: the place against its region, country and comparators' median.

    Without a firm register: the published high-growth share each year
    (:data:`~diagnostics.sections.growth.headline.PUBLISHED_INDICATORS`)
    where the store has it for the place, else a pointer to the section's notice.
    """
    if register_problem(dx):
        return published_over_time(dx)
    return _register_rates_over_time(dx)


@guarded
def _register_rates_over_time(dx: Session):
    """The high-growth rate each year from the firm register."""
    page = growth_page(dx)
    rates = page.rates.loc[page.rates["measure"] == "high_growth_employment"]
    if rates.empty:
        return notice("No growth window fits in the register's years.", title="Rates over time")
    with house_style():
        fig = new_figure(9.5, 5.2, pad_in=None)
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
        fig.supxlabel(f"Source: {register_source(dx.store)}. Period: windows ending {page.years[0]} to {page.latest}.",
                      x=0.01, ha="left", fontsize=10, color="#555555")
    return show_figure(fig, alt=f"High-growth rate of {dx.place.name} by year against its region and country",
                       data=_rates_figures(dx, rates, comps, f"windows ending {page.years[0]} to {page.latest}"))


_RATE_UNIT = "per 10,000"


def _rates_figures(dx: Session, rates: pd.DataFrame, comparators_median: pd.Series, period: str) -> ChartFigures:
    """The rates-over-time chart's figures: one row per end year, each area drawn (with its interval) and
    the comparators' median."""
    areas = [(code, label, rates.loc[rates["area_code"] == code] if code is not None else rates.iloc[0:0])
             for code, label in ((dx.place.code, dx.place.name), (dx.region_code, dx.name_of(dx.region_code)),
                                 (dx.country_code, dx.name_of(dx.country_code)))]
    frame, values = columns_by_area(
        pd.DataFrame({"year": sorted(rates["year"].unique())}), areas, key="year", value="per_10k_10plus",
        lower="per_10k_10plus_lower", upper="per_10k_10plus_upper", unit=_RATE_UNIT, decimals=0,
        median=comparators_median)
    return ChartFigures(frame, caption="High-growth firms (employment) per 10,000 firms with 10+ employees, by end year "
                        "of the growth window", source=register_source(dx.store), period=period,
                        labels=[("year", "End year of the window")], values=values)


def comparators_chart(dx: Session):
    """The latest high-growth rate of the place, its comparators, region and country, with intervals.

    Without a firm register: the published high-growth share of the same areas (latest period)
    where the store has it for the place, else a pointer to the section's notice.
    """
    if register_problem(dx):
        return published_comparators(dx)
    return _register_comparators_chart(dx)


@guarded
def _register_comparators_chart(dx: Session):
    """The latest high-growth rate of the place, its comparators, region and country, with intervals."""
    page = growth_page(dx)
    rates = page.rates
    now = rates.loc[(rates["measure"] == "high_growth_employment") & (rates["year"] == page.latest)].set_index("area_code")
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
                         unit="per 10,000", source=register_source(dx.store), period=page.period(), value_format="{:,.0f}")
    return show_figure(fig, alt=f"High-growth rate of {dx.place.name} and its comparators", data=ChartFigures(
        pd.concat([head, middle, tail]).assign(role=lambda t: t["role"].str.capitalize()),
        caption=f"High-growth firms per 10,000 firms with 10+ employees: {dx.place.name}, its comparators, region and country",
        source=register_source(dx.store), period=page.period(), labels=[("name", "Area"), ("role", "Role")],
        values=[FigureColumn("value", "High-growth rate", _RATE_UNIT, 0, "lower_ci", "upper_ci")]))


def _oe_axes(ax, table: pd.DataFrame, title: str):
    """One panel of observed/expected ratios with intervals, coloured by whether they differ from 1."""
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


@guarded
def observed_expected_chart(dx: Session):
    """Where the place's firms under- or over-perform the model: observed against expected high
    growth by sector and by neighbourhood, with intervals."""
    problem = place_model(dx).problem
    if problem is not None:
        return unavailable(problem)
    oe = place_observed_expected(dx)
    if oe.overall is None:
        return notice("The place has no firm-windows with a known outcome.", title="Observed and expected")
    sector = oe.sector.loc[oe.sector["expected"] >= 2]
    hood = oe.neighbourhood.loc[oe.neighbourhood["expected"] >= 2]
    rows = max(len(sector), len(hood), 3)
    with house_style():
        fig = new_figure(12, 1.6 + 0.34 * rows, pad_in=None)
        left, right = fig.subplots(1, 2)
        _oe_axes(left, sector, "By sector")
        _oe_axes(right, hood, "By neighbourhood")
        o = oe.overall
        fig.suptitle(f"{dx.place.name}: {int(o['observed'])} high-growth firm-windows against {o['expected']:.1f} expected "
                     f"(ratio {o['ratio']:.2f}, 95% CI {o['lower']:.2f} to {o['upper']:.2f})", x=0.01, ha="left", fontsize=13,
                     fontweight="bold")
        fig.supxlabel(textwrap.fill(
            f"Source: {register_source(dx.store)}. Period: windows {oe.years[0]}-{oe.years[1]}. Ratio of high-growth firm-windows "
            "observed to those the national model expects. Vermillion: significantly below expectation; blue: above; "
            "grey: not distinguishable. Groups expecting fewer than 2 are left out. Labels: observed of expected. The place's "
            "own firms are among the ones the national model was fitted on.", 150),
            x=0.01, ha="left", fontsize=9, color="#555555")
    shown = pd.concat([sector.assign(kind="Sector").sort_values("ratio", ascending=False),
                       hood.assign(kind="Neighbourhood").sort_values("ratio", ascending=False)])
    return show_figure(fig, alt=f"Observed against expected high growth in {dx.place.name} by sector and neighbourhood",
                       data=ChartFigures(
                           shown, caption=f"High-growth firm-windows observed and expected by the national model in "
                           f"{dx.place.name}, by sector and by neighbourhood (groups expecting 2 or more)",
                           source=register_source(dx.store), period=f"windows {oe.years[0]}-{oe.years[1]}",
                           labels=[("group", "Group"), ("kind", "By")],
                           values=[FigureColumn("observed", "Observed", "count", 0),
                                   FigureColumn("expected", "Expected", "count", 1),
                                   FigureColumn("ratio", "Observed / expected", "", 2, "lower", "upper")]))
