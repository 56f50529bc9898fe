"""Charts in the conventions of OHID Fingertips: the spine chart, and the marker
style the spine chart and the funnel plot (:mod:`diagnostics.render.funnel_plot`) share.

Both are drawn in the house style of :mod:`diagnostics.render.charts` with the colours of
:mod:`diagnostics.render.palette`, and never carry meaning by colour alone: a marker's *shape* says whether
a value is significantly higher (▲), lower (▼) or similar (●) to the benchmark, and its *colour*
whether that is better (blue) or worse (vermillion), following each indicator's polarity; every
marker is also explained in the legend, and the spine chart writes the values beside it.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from diagnostics.render.charts import (
    ROLE_COLOURS,
    check_table,
    footnote,
    house_style,
    new_figure,
)
from diagnostics.render.palette import COMPARISON_COLOURS, MARK_OUTLINE

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not when a page is imported
    from matplotlib.figure import Figure

__all__ = [
    "SPINE_COLUMNS",
    "spine_layout",
    "spine_chart",
    "comparison_marker",
]

#: Columns :func:`spine_chart` needs (``region_value``, ``decimals`` and ``unit`` are optional).
SPINE_COLUMNS = ["indicator", "period", "value", "country_value", "polarity", "comparison",
                 "worst", "q25", "median", "q75", "best"]

_RANGE_COLOUR = "#d9d9d9"  # worst to best
_IQR_COLOUR = "#8f8f8f"  # 25th to 75th percentile
_WITHIN_COLOUR = "#9a9a9a"


def comparison_marker(comparison: str, higher: bool | None) -> dict:
    """Matplotlib marker style for a comparison label: shape for direction, colour for better/worse.

    Parameters
    ----------
    comparison : str
        A label of :func:`diagnostics.stats.compare_to_benchmark` ("better", "worse", "similar",
        "higher", "lower", "not compared").
    higher : bool or None
        Whether the value is above its benchmark (shape ▲ if so, ▼ if not) when the comparison is
        significant; ignored otherwise.

    Returns
    -------
    dict
        ``marker``, ``color`` (face), ``markeredgecolor``.
    """
    label = comparison if comparison in COMPARISON_COLOURS else "not compared"
    if label in ("higher", "lower"):
        marker = "^" if label == "higher" else "v"
    elif label in ("similar", "not compared") or higher is None:
        marker = "o"
    else:
        marker = "^" if higher else "v"
    return {"marker": marker, "color": COMPARISON_COLOURS[label], "markeredgecolor": MARK_OUTLINE}


# --------------------------------------------------------------------------------------------------
# Spine chart
# --------------------------------------------------------------------------------------------------


def spine_layout(table: pd.DataFrame) -> pd.DataFrame:
    """Positions (0 to 1) of each row's range, place and benchmark on a spine chart.

    Parameters
    ----------
    table : DataFrame
        Columns ``value``, ``country_value``, ``worst``, ``q25``, ``median``, ``q75``, ``best``
        and ``polarity``; optionally ``region_value``.

    Returns
    -------
    DataFrame
        Same index: ``x_worst``, ``x_q25``, ``x_median``, ``x_q75``, ``x_best``, ``x_value``,
        ``x_region`` and ``x_country`` (always 0.5), NaN where a value is missing.

    Notes
    -----
    As Fingertips: the country's value sits at the centre and each row is scaled so that the
    area furthest from it (worst or best) touches an edge. With country value :math:`E`,
    :math:`s = +1` (higher is better, or neutral) or :math:`-1` (lower is better) and
    :math:`d = \\max(|worst - E|, |best - E|)`,

    .. math:: x = 0.5 + s\\,\\frac{v - E}{2d}

    so the best end is always on the right and the worst on the left.
    """
    func = "spine_layout"
    check_table(table, "table", func, ["value", "country_value", "worst", "q25", "median", "q75", "best", "polarity"])
    num = lambda c: pd.to_numeric(table[c], errors="coerce").astype(float) if c in table else pd.Series(np.nan, index=table.index)  # noqa: E731
    centre = num("country_value")
    sign = np.where(table["polarity"].astype(str) == "lower_is_better", -1.0, 1.0)
    reach = pd.concat([(num("worst") - centre).abs(), (num("best") - centre).abs()], axis=1).max(axis=1)
    reach = reach.where(reach > 0)
    out = pd.DataFrame(index=table.index)
    for column in ("worst", "q25", "median", "q75", "best", "value", "region_value"):
        out[f"x_{'region' if column == 'region_value' else column}"] = 0.5 + sign * (num(column) - centre) / (2 * reach)
    out["x_country"] = np.where(centre.notna(), 0.5, np.nan)
    return out


def _format(value: Any, decimals: int, unit: str = "") -> str:
    if value is None or not isinstance(value, (int, float, np.floating)) or not math.isfinite(float(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return f"{text}%" if unit == "%" else text


def spine_chart(
    table: pd.DataFrame,
    *,
    title: str,
    place_label: str,
    country_label: str,
    region_label: str | None = None,
    areas_label: str = "districts",
    source: str | None = None,
    period: str | None = None,
    width_in: float = 14.0,
) -> Figure:
    """A Fingertips spine chart: one row per indicator, the place against the range of all areas.

    Parameters
    ----------
    table : DataFrame
        One row per indicator, in display order, with :data:`SPINE_COLUMNS`: ``indicator`` (name),
        ``period``, ``value`` (the place's), ``country_value``, ``polarity``, ``comparison`` (the
        place against the country, a label of :func:`diagnostics.stats.compare_to_benchmark`) and
        ``worst``, ``q25``, ``median``, ``q75``, ``best`` (of all areas, see
        :func:`spine_statistics`); optionally ``region_value``, ``unit`` and ``decimals``.
    title : str
    place_label, country_label : str
        Column headings and legend entries.
    region_label : str, optional
        Shows the region's value (a diamond) and a column when given.
    areas_label : str, default "districts"
        What the range is made of, for the legend.
    source, period : str, optional
        Drawn as a footnote.
    width_in : float, default 14.0

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InvalidParameter
        If ``table`` is not a non-empty DataFrame with the required columns.
    """
    func = "spine_chart"
    data = check_table(table, "table", func, SPINE_COLUMNS).reset_index(drop=True)
    layout = spine_layout(data)
    n = len(data)
    show_region = region_label is not None and "region_value" in data
    columns = ["Period", place_label] + ([region_label] if show_region else []) + [country_label, "Worst", "Best"]
    height = 2.9 + 0.52 * n + (0.42 if source or period else 0)
    with house_style():
        fig = new_figure(width_in, height)
        grid = fig.add_gridspec(1, 2, width_ratios=[0.78 * len(columns), 4.6])
        tab = fig.add_subplot(grid[0, 0])
        ax = fig.add_subplot(grid[0, 1], sharey=tab)
        positions = np.arange(n)[::-1]
        # the table: names as tick labels (the layout makes room), values as text
        labels = []
        for r in data.itertuples():
            name = str(r.indicator)
            if str(r.polarity) == "neutral":
                name += " (no better or worse: higher to the right)"
            labels.append(textwrap.fill(name, 34))
        tab.set_yticks(positions, labels)
        tab.set_xlim(0, len(columns))
        tab.set_ylim(-0.7, n + 0.5)
        tab.grid(False)
        tab.tick_params(axis="x", bottom=False, labelbottom=False)
        for side in ("left", "bottom"):
            tab.spines[side].set_visible(False)
        tab.tick_params(axis="y", length=0)
        for j, heading in enumerate(columns):
            tab.text(j + 0.5, n - 0.45, textwrap.fill(str(heading), 10), ha="center", va="bottom", fontsize=10,
                     fontweight="bold")
        for pos, r in zip(positions, data.to_dict("records")):
            dec = int(r.get("decimals", 1)) if pd.notna(r.get("decimals", 1)) else 1
            unit = str(r.get("unit", "") or "")
            cells = [str(r["period"]), _format(r["value"], dec, unit)]
            if show_region:
                cells.append(_format(r.get("region_value"), dec, unit))
            cells += [_format(r["country_value"], dec, unit), _format(r["worst"], dec, unit), _format(r["best"], dec, unit)]
            for j, text in enumerate(cells):
                tab.text(j + 0.5, pos, text, ha="center", va="center", fontsize=10.5,
                         fontweight="bold" if j == 1 else "normal")
            if pos % 2 == 0:
                tab.axhspan(pos - 0.5, pos + 0.5, color="#f4f4f4", zorder=0)
        # the spines
        shown: dict = {}
        for pos, r, x in zip(positions, data.to_dict("records"), layout.to_dict("records")):
            if pos % 2 == 0:
                ax.axhspan(pos - 0.5, pos + 0.5, color="#f4f4f4", zorder=0)
            if all(np.isfinite([x["x_worst"], x["x_best"]])):
                ax.barh(pos, x["x_best"] - x["x_worst"], left=x["x_worst"], height=0.5, color=_RANGE_COLOUR, zorder=1)
            if all(np.isfinite([x["x_q25"], x["x_q75"]])):
                ax.barh(pos, x["x_q75"] - x["x_q25"], left=x["x_q25"], height=0.5, color=_IQR_COLOUR, zorder=2)
            if np.isfinite(x["x_median"]):
                ax.plot([x["x_median"]] * 2, [pos - 0.25, pos + 0.25], color="white", linewidth=1.5, zorder=3)
            if show_region and np.isfinite(x["x_region"]):
                ax.plot(x["x_region"], pos, marker="D", markersize=7, color=ROLE_COLOURS["region"],
                        markeredgecolor="#333333", markeredgewidth=0.6, linestyle="none", zorder=4)
            if np.isfinite(x["x_value"]):
                higher = bool(r["value"] > r["country_value"]) if np.isfinite(r["country_value"]) else None
                style = comparison_marker(str(r["comparison"]), higher)
                shown.setdefault((str(r["comparison"]), style["marker"]), style)
                ax.plot(x["x_value"], pos, linestyle="none", markersize=12, markeredgewidth=1.2, zorder=5, **style)
            else:
                ax.text(0.5, pos + 0.3, "no value for the place", ha="center", va="bottom", fontsize=9.5, color="#444444")
        ax.axvline(0.5, color="#1a1a1a", linewidth=1.6, zorder=4)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xticks([0.0, 0.5, 1.0], ["Worst", country_label, "Best"])
        ax.tick_params(axis="y", left=False, labelleft=False)
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [
            Patch(color=_RANGE_COLOUR, label=f"Range of {areas_label} (worst to best)"),
            Patch(color=_IQR_COLOUR, label="25th to 75th percentile"),
            Line2D([], [], color="#1a1a1a", linewidth=1.6, label=f"{country_label} (centre)"),
        ]
        if show_region:
            handles.append(Line2D([], [], marker="D", linestyle="none", color=ROLE_COLOURS["region"],
                                  markeredgecolor="#333333", label=str(region_label)))
        words = {"better": "better than", "worse": "worse than", "similar": "similar to", "higher": "higher than",
                 "lower": "lower than", "not compared": "not compared with"}
        direction = {"^": "higher, ", "v": "lower, ", "o": ""}
        order = ["better", "similar", "worse", "higher", "lower", "not compared"]
        for (label, marker), style in sorted(shown.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else 9, kv[0][1])):
            text = f"{place_label}: {direction[marker] if label in ('better', 'worse') else ''}{words.get(label, label)} {country_label}"
            handles.append(Line2D([], [], linestyle="none", markersize=10, **style, label=text))
        # the title heads the legend, above the chart (a figure title would collide with it)
        fig.legend(handles=handles, loc="outside upper left", ncols=3, fontsize=11, handletextpad=0.4,
                   columnspacing=1.4, title=title, alignment="left",
                   title_fontproperties={"weight": "bold", "size": 15})
        footnote(fig, source, period)
    return fig
