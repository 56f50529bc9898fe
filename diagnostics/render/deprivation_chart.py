"""The inequality chart: a measure by deprivation decile within a place, with 95% intervals, one series
per sex or group, in the house style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from diagnostics.render.charts import (
    ROLE_COLOURS,
    check_table,
    footnote,
    house_style,
    legend_below,
    new_figure,
)

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not when a page is imported
    from matplotlib.figure import Figure

__all__ = [
    "deprivation_chart",
]


# --------------------------------------------------------------------------------------------------
# Inequality by deprivation group
# --------------------------------------------------------------------------------------------------

_SERIES_STYLES = (
    {"marker": "o", "color": ROLE_COLOURS["place"]},
    {"marker": "s", "color": ROLE_COLOURS["region"]},
    {"marker": "D", "color": "#4d4d4d"},
)


def deprivation_chart(
    table: pd.DataFrame,
    *,
    title: str,
    y_label: str,
    group_name: str = "decile",
    source: str | None = None,
    period: str | None = None,
    width_in: float = 10.0,
) -> Figure:
    """One or more series by deprivation group (1 = most deprived), each value with its interval.

    Parameters
    ----------
    table : DataFrame
        Columns ``group`` (1 to n), ``series`` (e.g. "Women", "Men"; each drawn with its own
        shape and colour), ``value``, ``lower_ci``, ``upper_ci``. Missing values are left out.
    title, y_label : str
    group_name : str, default "decile"
    source, period : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    func = "deprivation_chart"
    data = check_table(table, "table", func, ["group", "series", "value", "lower_ci", "upper_ci"])
    n = int(data["group"].max())
    series = list(dict.fromkeys(data["series"]))
    with house_style():
        fig = new_figure(width_in, 5.6 + (0.42 if source or period else 0))
        ax = fig.add_subplot()
        offsets = np.linspace(-0.12, 0.12, len(series)) if len(series) > 1 else [0.0]
        from matplotlib.lines import Line2D

        handles = []
        for k, (name, offset) in enumerate(zip(series, offsets)):
            style = _SERIES_STYLES[k % len(_SERIES_STYLES)]
            part = data.loc[(data["series"] == name) & data["value"].notna()].sort_values("group")
            x = part["group"].to_numpy(float) + offset
            y = part["value"].to_numpy(float)
            err = np.vstack([y - part["lower_ci"].to_numpy(float), part["upper_ci"].to_numpy(float) - y])
            ax.errorbar(x, y, yerr=np.where(np.isfinite(err), err, 0), fmt="none", ecolor="#333333", elinewidth=1.2,
                        capsize=3)
            ax.plot(x, y, linestyle="-", linewidth=1.0, color=style["color"], marker=style["marker"], markersize=9,
                    markeredgecolor="#1a1a1a")
            handles.append(Line2D([], [], color=style["color"], marker=style["marker"], markeredgecolor="#1a1a1a",
                                  label=str(name)))
        handles.append(Line2D([], [], color="#333333", marker="|", linestyle="-", label="95% CI"))
        ticks = list(range(1, n + 1))
        labels = [str(t) for t in ticks]
        labels[0] = "1\nmost\ndeprived"
        labels[-1] = f"{n}\nleast\ndeprived"
        ax.set_xticks(ticks, labels)
        ax.set_xlabel(f"Local deprivation {group_name}")
        ax.set_ylabel(y_label)
        ax.set_title(title, loc="left", pad=12)
        legend_below(ax, handles, ncols=4)
        footnote(fig, source, period)
    return fig
