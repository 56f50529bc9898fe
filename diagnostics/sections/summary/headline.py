"""The summary's headline indicators: the benchmark table, and the chart of differences from the country."""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.charts import show_figure
from diagnostics.render.comparison_charts import headline_dot_chart
from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.render.tables import headline_html
from diagnostics.sections.session import Session
from diagnostics.sections.summary.analysis import headline_benchmarks, rows_against_country

__all__ = ["MAX_CHART_SOURCES", "headline_table", "headline_chart"]

#: The most sources named under the chart of differences from the country (more are named in the table).
MAX_CHART_SOURCES = 3


def headline_table(dx: Session, table: pd.DataFrame | None = None):
    """The headline benchmark table, with intervals, comparisons, trends and sources.

    Parameters
    ----------
    dx : Session
    table : DataFrame, optional
        A benchmark table to show; default :func:`~diagnostics.sections.summary.analysis.headline_benchmarks`.
    """
    table = headline_benchmarks(dx) if table is None else table
    return as_html(
        synthetic_banner(dx)
        + headline_html(
            table,
            dx.place.name,
            dx.name_of(dx.region_code) if dx.region_code else None,
            dx.name_of(dx.country_code),
            dx.comparator_method,
        )
    )


def headline_chart(dx: Session, table: pd.DataFrame | None = None):
    """Each headline indicator as the place's difference from the country, with its interval.

    Parameters
    ----------
    dx : Session
    table : DataFrame, optional
        A benchmark table to draw; default :func:`~diagnostics.sections.summary.analysis.headline_benchmarks`.
    """
    available = rows_against_country(dx, headline_benchmarks(dx) if table is None else table)
    if available.empty:
        reason = (
            "the place is the whole country"
            if dx.country_code is None
            else "no headline indicator has a national value to compare with"
        )
        return as_html(f"<p><em>No chart of differences from the country: {html.escape(reason)}.</em></p>")
    frame = pd.DataFrame(
        {
            "indicator": available["name"],
            "value": available["value"],
            "lower_ci": available["lower_ci"],
            "upper_ci": available["upper_ci"],
            "country": available["country_value"],
            "region": available["region_value"],
            "unit": available["unit"],
            "comparison": available["vs_country"],
        }
    )
    periods = sorted(set(available["period"]))
    sources = sorted(set(available["source"].astype(str)))
    fig = headline_dot_chart(
        frame,
        title=f"{dx.place.name} against {dx.name_of(dx.country_code)}",
        # many publishers' names would crowd the chart out: the table above names each row's source
        source=", ".join(sources) if len(sources) <= MAX_CHART_SOURCES
        else f"{len(sources)} published sources, named row by row in the headline indicators table",
        period=periods[0] if len(periods) == 1 else f"latest of each ({periods[0]} to {periods[-1]})",
        country_label=dx.name_of(dx.country_code),
        region_label=dx.name_of(dx.region_code),
    )
    return show_figure(fig, alt=f"Headline indicators of {dx.place.name} as % difference from the country",
                       table="Headline indicators")
