"""The funnel plot, as OHID Fingertips draws it: each area's value against its denominator, inside the
95% and 99.8% control limits around the country's value; markers by :func:`~diagnostics.render.fingertips.comparison_marker`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from diagnostics.render.charts import (
    check_table,
    footnote,
    house_style,
    legend_below,
    new_figure,
)
from diagnostics.render.fingertips import _WITHIN_COLOUR, comparison_marker
from diagnostics.render.palette import COMPARISON_COLOURS

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not when a page is imported
    from matplotlib.figure import Figure

__all__ = [
    "funnel_plot",
]


# --------------------------------------------------------------------------------------------------
# Funnel plot
# --------------------------------------------------------------------------------------------------

_FUNNEL_WORDS = {"above": "above", "below": "below"}


def _funnel_comparison(label: str, polarity: str) -> tuple[str, bool | None, bool]:
    """(comparison, higher, beyond 99.8%) from a :func:`funnel_significance` label.

    "within" is similar; a label that is neither above nor below ("not compared", or a directly
    standardised rate of fewer than 10 events, which PHE does not test) is not compared.
    """
    if not isinstance(label, str) or not label.startswith(("above ", "below ")):
        return ("similar" if label == "within" else "not compared"), None, False
    above = label.startswith("above")
    wide = label.endswith("99.8")
    if polarity == "higher_is_better":
        comparison = "better" if above else "worse"
    elif polarity == "lower_is_better":
        comparison = "worse" if above else "better"
    else:
        comparison = "higher" if above else "lower"
    return comparison, above, wide


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    benchmark: float,
    title: str,
    y_label: str,
    x_label: str,
    place_code: str,
    polarity: str = "neutral",
    benchmark_label: str = "Country",
    source: str | None = None,
    period: str | None = None,
    width_in: float = 10.0,
) -> Figure:
    """A funnel plot: every area's value against its denominator, with control limits around the benchmark.

    Parameters
    ----------
    points : DataFrame
        One row per area: ``code``, ``name``, ``denominator`` (x: population, person-years or
        expected deaths), ``value`` (y, in the benchmark's units) and ``significance`` (a label of
        :func:`diagnostics.stats.funnel_significance`: "within", "above 95", "below 99.8"...).
    limits : DataFrame
        :func:`diagnostics.stats.funnel_limits` evaluated on a grid of denominators (columns
        ``denominator``, ``lower_95_0``, ``upper_95_0``, ``lower_99_8``, ``upper_99_8``).
    benchmark : float
        The centre line (the country's value).
    title, y_label, x_label : str
    place_code : str
        The area highlighted and labelled.
    polarity : str, default "neutral"
        Says whether a point above the limits is better or worse (its colour).
    benchmark_label : str, default "Country"
    source, period : str, optional
    width_in : float, default 10.0

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InvalidParameter
        If a frame lacks a required column or has no rows.
    """
    func = "funnel_plot"
    pts = check_table(points, "points", func, ["code", "name", "denominator", "value", "significance"])
    lim = check_table(limits, "limits", func, ["denominator", "lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"])
    lim = lim.sort_values("denominator")
    with house_style():
        fig = new_figure(width_in, 6.6 + (0.42 if source or period else 0))
        ax = fig.add_subplot()
        x = lim["denominator"].to_numpy(float)
        ax.plot(x, lim["upper_99_8"], color="#333333", linewidth=1.4)
        ax.plot(x, lim["lower_99_8"], color="#333333", linewidth=1.4)
        ax.plot(x, lim["upper_95_0"], color="#333333", linewidth=1.2, linestyle="--")
        ax.plot(x, lim["lower_95_0"], color="#333333", linewidth=1.2, linestyle="--")
        ax.axhline(benchmark, color="#1a1a1a", linewidth=1.6)
        seen = set()
        groups: dict[tuple, list] = {}  # one line per marker style: a country of 300 districts stays fast
        for r in pts.to_dict("records"):
            if not (np.isfinite(r["value"]) and np.isfinite(r["denominator"])):
                continue
            comparison, higher, wide = _funnel_comparison(r["significance"], polarity)
            style = comparison_marker(comparison, higher)
            is_place = r["code"] == place_code
            if comparison == "similar":
                style["color"] = _WITHIN_COLOUR if not is_place else COMPARISON_COLOURS["similar"]
            face = style["color"] if (wide or comparison in ("similar", "not compared")) else "white"
            seen.add((comparison, higher, wide))
            if not is_place:
                groups.setdefault((style["marker"], face, style["color"]), []).append((r["denominator"], r["value"]))
                continue
            ax.plot(r["denominator"], r["value"], linestyle="none", marker=style["marker"], markersize=13,
                    markerfacecolor=face, markeredgecolor=style["color"], markeredgewidth=2.0, zorder=5)
            # a black ring marks the place whatever its colour
            ax.plot(r["denominator"], r["value"], linestyle="none", marker="o", markersize=24,
                    markerfacecolor="none", markeredgecolor="#000000", markeredgewidth=1.8, zorder=6)
            ax.annotate(str(r["name"]), (r["denominator"], r["value"]), xytext=(10, 10), textcoords="offset points",
                        fontsize=12, fontweight="bold", arrowprops={"arrowstyle": "-", "color": "#000000", "linewidth": 0.8})
        for (marker, face, edge), xy in groups.items():
            x_values, y_values = zip(*xy)
            ax.plot(x_values, y_values, linestyle="none", marker=marker, markersize=8, markerfacecolor=face,
                    markeredgecolor=edge, markeredgewidth=1.3, alpha=0.9, zorder=3)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.set_xlim(left=0)
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_title(title, loc="left", pad=12)
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], color="#1a1a1a", linewidth=1.6, label=f"{benchmark_label}"),
            Line2D([], [], color="#333333", linewidth=1.2, linestyle="--", label="95% limits"),
            Line2D([], [], color="#333333", linewidth=1.4, label="99.8% limits"),
            Line2D([], [], marker="o", linestyle="none", markersize=8, color=_WITHIN_COLOUR, label="within the limits"),
        ]
        names = {"better": "better", "worse": "worse", "higher": "higher", "lower": "lower"}
        for comparison, higher, wide in sorted((s for s in seen if s[0] in names), key=str):
            style = comparison_marker(comparison, higher)
            handles.append(Line2D([], [], linestyle="none", marker=style["marker"], markersize=9,
                                  markerfacecolor=style["color"] if wide else "white", markeredgecolor=style["color"],
                                  markeredgewidth=1.3,
                                  label=f"{'above' if higher else 'below'} {'99.8' if wide else '95'}%: {names[comparison]}"))
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=14, markerfacecolor="none",
                              markeredgecolor="#000000", markeredgewidth=1.8, label="the place (ringed, labelled)"))
        legend_below(ax, handles, ncols=3)
        footnote(fig, source, period)
    return fig
