"""The public-money page's charts: spending by body and service, and spending over the years.

Both stack the services in seven families (:data:`SERVICE_FAMILIES`, colour-blind-safe colours, each
named in the legend; the tables give every service), in £ per resident of the place, with the source
and period under the chart and a text alternative for screen readers.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from diagnostics.render.chart_figures import ChartFigures, FigureColumn
from diagnostics.render.charts import footnote, house_style, legend_below, new_figure, show_figure
from diagnostics.render.html import notice
from diagnostics.render.palette import OKABE_ITO
from diagnostics.sections.public_money.analysis import place_spending, spending_over_years
from diagnostics.sections.public_money.narrative import per_resident
from diagnostics.sections.session import Session

__all__ = ["SERVICE_FAMILIES", "MAX_BODIES", "spending_chart", "years_chart", "spending_source"]

#: Family of each service in the charts, in stacking order.
SERVICE_FAMILIES: dict[str, str] = {
    "nhs": "NHS",
    "education": "Education",
    "adult_social_care": "Social care",
    "childrens_social_care": "Social care",
    "public_health": "Public health and housing",
    "housing": "Public health and housing",
    "police": "Police and fire",
    "fire_rescue": "Police and fire",
    "highways_transport": "Transport and environment",
    "environmental_regulatory": "Transport and environment",
    "cultural": "Culture, planning and central",
    "planning_development": "Culture, planning and central",
    "central": "Culture, planning and central",
    "other": "Culture, planning and central",
}
_FAMILY_COLOURS = dict(zip(dict.fromkeys(SERVICE_FAMILIES.values()), (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"],
    OKABE_ITO["vermillion"], OKABE_ITO["sky_blue"], "#999999")))
#: The most bodies drawn as bars; the rest are one bar, "Other bodies".
MAX_BODIES = 9


def spending_source(dx: Session) -> str:
    """The source line of the spending figures: each source and vintage of the ``spend`` table."""
    spend = dx.store.table("spend")
    return "; ".join(sorted(set(spend["source"].astype(str) + " (" + spend["vintage"].astype(str) + ")")))


def _pounds(ax, axis: str = "x") -> None:
    formatter = FuncFormatter(lambda v, _p: per_resident(v))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def spending_chart(dx: Session):
    """Each body's spending in the place (£ per resident, latest year), stacked by family of services."""
    spending = place_spending(dx)
    if spending.problem:
        return notice(spending.problem, title="No spending data")
    period = spending.latest
    rows = spending.by_body.loc[spending.by_body["period"] == period].copy()
    if rows.empty:
        return notice(f"No body made a return for {period}.", title="No spending data")
    rows["family"] = rows["service"].map(SERVICE_FAMILIES)
    rows["per_head"] = 1000 * rows["net"] / spending.residents[period]
    wide = rows.pivot_table(index="body_name", columns="family", values="per_head", aggfunc="sum", fill_value=0.0)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    if len(wide) > MAX_BODIES:
        rest = wide.iloc[MAX_BODIES - 1:].sum().rename(f"Other bodies ({len(wide) - MAX_BODIES + 1})")
        wide = pd.concat([wide.iloc[:MAX_BODIES - 1], rest.to_frame().T])
    families = [f for f in _FAMILY_COLOURS if f in wide.columns]
    with house_style():
        fig = new_figure(10.5, 1.4 + 0.55 * len(wide))
        ax = fig.add_subplot()
        positions = np.arange(len(wide))[::-1]
        left = np.zeros(len(wide))
        for family in families:
            values = wide[family].to_numpy()
            ax.barh(positions, values, left=left, color=_FAMILY_COLOURS[family], height=0.7, label=family)
            left += values
        for pos, total in zip(positions, left):
            ax.text(total, pos, " " + per_resident(total), va="center", ha="left", fontsize=10.5, color="#222222")
        ax.set_xlim(0, left.max() * 1.18 if left.max() > 0 else 1)
        ax.set_yticks(positions, [textwrap.fill(name, 34) for name in wide.index], fontsize=11)
        ax.grid(axis="y", visible=False)
        _pounds(ax)
        ax.set_xlabel(f"Net spending per resident of {dx.place.name} (£)")
        ax.set_title(f"Public spending in {dx.place.name} by body and service, {period}")
        legend_below(ax, [Patch(color=_FAMILY_COLOURS[f], label=f) for f in families], ncols=4)
        footnote(fig, spending_source(dx) + "; each body's spending shared by residents", period)
    total = float(left.sum())
    alt = (f"Stacked bars: public spending in {dx.place.name} in {period}, {per_resident(total)} per resident in all; "
           + "; ".join(f"{name} {per_resident(v)}" for name, v in wide.sum(axis=1).items()))
    return show_figure(fig, alt=alt, data=_families_figures(
        wide, families, "body", "Body", f"Net spending per resident of {dx.place.name} by body and family of services, "
        f"{period} (each body's spending shared by residents)", spending_source(dx), period))


def _families_figures(wide: pd.DataFrame, families: list[str], label: str, header: str, caption: str, source: str,
                      period: str, extra: list[FigureColumn] = ()) -> ChartFigures:
    """A stacked chart's figures: one row per bar (``wide``'s index), each family's £ per resident and the total."""
    frame = wide.assign(total=wide[families].sum(axis=1)).rename_axis(label).reset_index()
    values = [FigureColumn(f, f, "£", 0) for f in families] + [FigureColumn("total", "All services", "£", 0), *extra]
    return ChartFigures(frame, caption=caption, source=source, period=period, labels=[(label, header)], values=values)


def years_chart(dx: Session):
    """The place's spending per resident in each year, stacked by family of services (cash; real terms
    marked where the store has deflators)."""
    years = spending_over_years(dx)
    if years.empty:
        return notice(place_spending(dx).problem or f"No spending is attributed to {dx.place.name}.", title="No spending data")
    years = years.assign(family=years["service"].map(SERVICE_FAMILIES))
    wide = years.pivot_table(index="period", columns="family", values="per_head", aggfunc="sum", fill_value=0.0)
    families = [f for f in _FAMILY_COLOURS if f in wide.columns]
    periods = list(wide.index)
    real = years.groupby("period")["real_per_head"].sum(min_count=1).reindex(periods)
    with house_style():
        fig = new_figure(9.5, 5.6)
        ax = fig.add_subplot()
        x = np.arange(len(periods))
        bottom = np.zeros(len(periods))
        for family in families:
            values = wide[family].to_numpy()
            ax.bar(x, values, bottom=bottom, color=_FAMILY_COLOURS[family], width=0.6)
            bottom += values
        for xi, total in zip(x, bottom):
            ax.text(xi, total, per_resident(total), ha="center", va="bottom", fontsize=10.5)
        handles = [Patch(color=_FAMILY_COLOURS[f], label=f) for f in families]
        if real.notna().any():
            (line,) = ax.plot(x, real.to_numpy(), "D", color="#222222", label=f"All services, real terms ({periods[-1]} prices)")
            handles.append(line)
        ax.set_xticks(x, periods)
        ax.grid(axis="x", visible=False)
        ax.set_ylim(0, max(bottom.max(), np.nanmax(real.to_numpy(), initial=0)) * 1.12)
        _pounds(ax, "y")
        ax.set_ylabel("Net spending per resident (£, cash)")
        ax.set_title(f"Public spending per resident in {dx.place.name}, by year")
        legend_below(ax, handles, ncols=3)
        footnote(fig, spending_source(dx), f"{periods[0]} to {periods[-1]}")
    alt = (f"Stacked bars of public spending per resident in {dx.place.name}: "
           + "; ".join(f"{p} {per_resident(t)}" for p, t in zip(periods, bottom)))
    shown = wide.assign(real=real)
    extra = [FigureColumn("real", f"All services, real terms ({periods[-1]} prices)", "£", 0)] if real.notna().any() else []
    return show_figure(fig, alt=alt, data=_families_figures(
        shown, families, "period", "Year", f"Net spending per resident of {dx.place.name} by family of services and year "
        "(cash)", spending_source(dx), f"{periods[0]} to {periods[-1]}", extra))
