"""The two charts every section uses to set a place against others: a bar per area
(:func:`comparison_bar`) and the headline measures as differences from the country with their
intervals (:func:`headline_dot_chart`), in the house style of :mod:`diagnostics.render.charts`.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from typing import TYPE_CHECKING, Any

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.charts import (
    FOOTNOTE_HEIGHT_IN,
    ROLE_COLOURS,
    check_table,
    check_text,
    footnote,
    house_style,
    legend_below,
    new_figure,
    set_title,
)
from diagnostics.render.palette import COMPARISON_COLOURS, MARK_OUTLINE

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not when a page is imported
    from matplotlib.figure import Figure

__all__ = [
    "comparison_bar",
    "headline_dot_chart",
]
_ROLE_LABELS = {"place": "Place", "region": "Region", "country": "Country", "comparator": "Comparators"}

_SIGNIFICANCE_COLOURS = COMPARISON_COLOURS


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _fmt(value: float, value_format: str, unit: str = "") -> str:
    text = value_format.format(value)
    if unit == "%":
        return f"{text}%"
    if unit in {"£", "$", "€"}:
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text} {unit}" if unit else text


def comparison_bar(
    table: Any,
    *,
    title: str,
    unit: str = "",
    source: str | None = None,
    period: str | None = None,
    name_col: str = "name",
    value_col: str = "value",
    lower_col: str = "lower_ci",
    upper_col: str = "upper_ci",
    role_col: str = "role",
    value_format: str = "{:,.1f}",
    width_in: float = 9.0,
) -> Figure:
    """Compare one indicator across a place, its region, its country and comparators.

    Horizontal bars, one per row in the table's order (top to bottom), coloured by role, with a
    confidence interval as an error bar where the table gives one and the value written at its end.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area, with ``name_col`` and ``value_col``; optionally ``lower_col`` and
        ``upper_col`` (the interval, in the value's unit) and ``role_col`` (``"place"``,
        ``"region"``, ``"country"`` or ``"comparator"``; without it the first row is the place and
        the others comparators).
    title : str
        The chart's title: the indicator (e.g. "Employment rate, 16-64").
    unit : str, default ""
        The value's unit, for the axis label (e.g. "%", "per 1,000").
    source : str or None, default None
        The data source, drawn as a footnote.
    period : str or None, default None
        The period the values cover, drawn as a footnote.
    name_col, value_col, lower_col, upper_col, role_col : str
        Column names.
    value_format : str, default "{:,.1f}"
        A :meth:`str.format` pattern for the value labels.
    width_in : float, default 9.0
        The figure's width in inches; the height follows the number of rows.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InvalidParameter
        If ``table`` is not a non-empty DataFrame with the named columns, a role is unknown, or a
        text argument is not a string.
    """
    import pandas as pd

    func = "comparison_bar"
    check_text(title, "title", func, optional=False)
    check_text(unit, "unit", func, optional=False)
    check_text(source, "source", func)
    check_text(period, "period", func)
    check_table(table, "table", func, [name_col, value_col])
    data = table.reset_index(drop=True).copy()
    if role_col in data.columns:
        unknown = sorted(set(data[role_col].dropna().astype(str)) - set(ROLE_COLOURS))
        if unknown or data[role_col].isna().any():
            raise InvalidParameter(
                f"The 'table' parameter of {func} has role(s) {unknown or ['<missing>']} in column "
                f"{role_col!r}; each row's role must be one of {list(ROLE_COLOURS)}."
            )
        roles = data[role_col].astype(str).tolist()
    else:
        roles = ["place"] + ["comparator"] * (len(data) - 1)
    values = pd.to_numeric(data[value_col], errors="coerce").astype(float)
    lower = pd.to_numeric(data[lower_col], errors="coerce") if lower_col in data else None
    upper = pd.to_numeric(data[upper_col], errors="coerce") if upper_col in data else None

    n = len(data)
    has_footnote = bool(source or period)
    height = 1.7 + 0.5 * n + (FOOTNOTE_HEIGHT_IN if has_footnote else 0)
    with house_style():
        fig = new_figure(width_in, height)
        ax = fig.add_subplot()
        positions = list(range(n))[::-1]  # first row at the top
        colours = [ROLE_COLOURS[r] for r in roles]
        ax.barh(positions, values.fillna(0).where(values.notna(), 0), color=colours, height=0.66)
        ax.set_yticks(positions, [textwrap.fill(str(v), 32) for v in data[name_col]])
        for tick, role in zip(ax.get_yticklabels(), roles):
            if role == "place":
                tick.set_fontweight("bold")

        span = float(values.abs().max()) if values.notna().any() else 1.0
        ends = []
        for i, pos in enumerate(positions):
            v = values.iloc[i]
            if not _finite(v):
                ax.text(0, pos, "  no data", va="center", ha="left", fontsize=11, color="#555555")
                ends.append(0.0)
                continue
            end = v
            if lower is not None and upper is not None and _finite(lower.iloc[i]) and _finite(upper.iloc[i]):
                lo, hi = float(lower.iloc[i]), float(upper.iloc[i])
                ax.errorbar(
                    v, pos, xerr=[[max(v - lo, 0.0)], [max(hi - v, 0.0)]],
                    fmt="none", ecolor="#1a1a1a", elinewidth=1.4, capsize=4,
                )
                end = max(v, hi) if v >= 0 else min(v, lo)
            ends.append(end)
            offset = 0.012 * (span or 1.0)
            ax.text(
                end + (offset if v >= 0 else -offset), pos, _fmt(v, value_format, unit),
                va="center", ha="left" if v >= 0 else "right", fontsize=12, color="#222222",
            )
        low = min([0.0, *ends])
        high = max([0.0, *ends])
        pad = 0.16 * ((high - low) or 1.0)
        ax.set_xlim(low - (pad if low < 0 else 0), high + pad)
        ax.axvline(0, color="#888888", linewidth=0.8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(unit)
        set_title(fig, title)
        present = list(dict.fromkeys(roles))
        if len(present) > 1:
            from matplotlib.patches import Patch

            handles = [Patch(color=ROLE_COLOURS[r], label=_ROLE_LABELS[r]) for r in present]
            if lower is not None and upper is not None:
                from matplotlib.lines import Line2D

                handles.append(Line2D([], [], color="#1a1a1a", marker="|", linestyle="-", label="95% CI"))
            legend_below(ax, handles, ncols=5)
        footnote(fig, source, period)
    return fig


def headline_dot_chart(
    table: Any,
    *,
    title: str | None = None,
    source: str | None = None,
    period: str | None = None,
    country_label: str = "England",
    region_label: str = "Region",
    value_format: str = "{:,.1f}",
    width_in: float = 10.0,
) -> Figure:
    """Headline indicators on one chart, each row scaled as a % difference from the country.

    Each row shows the place's value as a dot with its confidence interval, the region as a diamond
    and the country as the zero line, on a common axis: the percentage difference from the country
    value. The place's value and unit are written at the right.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per indicator, in display order (top to bottom), with columns ``indicator`` (name),
        ``value`` and ``country``; optionally ``lower_ci`` and ``upper_ci`` (the place's interval),
        ``region``, ``unit`` (e.g. "%") and ``polarity`` (one of
        :data:`diagnostics.store.schema.POLARITIES`), or ``comparison`` (a label of
        :func:`diagnostics.stats.compare_to_benchmark`, used as given). The dot is coloured by that
        comparison with the country: better (blue), worse (vermillion), similar (grey); higher (sky
        blue) or lower (purple) where neither is better; hollow where not compared.
    title : str or None, default None
        The chart's title.
    source, period : str or None, default None
        Drawn as a footnote.
    country_label, region_label : str
        How the benchmarks are named in the legend and axis.
    value_format : str, default "{:,.1f}"
        A :meth:`str.format` pattern for the values written at the right.
    width_in : float, default 10.0
        The figure's width in inches; the height follows the number of rows.

    Returns
    -------
    matplotlib.figure.Figure

    Warns
    -----
    UserWarning
        For each row whose country value is missing or zero: it cannot be scaled and is left out.

    Raises
    ------
    InvalidParameter
        If ``table`` lacks a required column, or no row can be drawn.

    Notes
    -----
    Each value :math:`x` of a row (place, interval ends, region) is drawn at

    .. math:: d = 100 \\times \\frac{x - c}{|c|}

    where :math:`c` is the row's country value, so rows with different units share one axis.
    """
    import pandas as pd

    func = "headline_dot_chart"
    check_text(title, "title", func)
    check_text(source, "source", func)
    check_text(period, "period", func)
    check_table(table, "table", func, ["indicator", "value", "country"])
    data = table.reset_index(drop=True)

    def col(name: str) -> Any:
        return pd.to_numeric(data[name], errors="coerce") if name in data else pd.Series([float("nan")] * len(data))

    value, country, region = col("value"), col("country"), col("region")
    lower, upper = col("lower_ci"), col("upper_ci")
    if "comparison" in data:
        status = data["comparison"].fillna("not compared").astype(str)
    else:
        from diagnostics.stats import compare_to_benchmark

        polarity = data["polarity"].fillna("neutral") if "polarity" in data else "neutral"
        status = pd.Series(compare_to_benchmark(value, lower, upper, country, polarity), index=data.index)
    rows = []
    for i in range(len(data)):
        c = country.iloc[i]
        name = str(data["indicator"].iloc[i])
        if not _finite(c) or float(c) == 0.0:
            warnings.warn(
                f"headline_dot_chart left out {name!r}: its country value is {c!r}, so it cannot be "
                "drawn as a % difference from the country.",
                UserWarning,
                stacklevel=2,
            )
            continue

        def pct(x: Any, c: float = float(c)) -> float:
            return 100.0 * (float(x) - c) / abs(c) if _finite(x) else float("nan")

        unit = str(data["unit"].iloc[i]) if "unit" in data and pd.notna(data["unit"].iloc[i]) else ""
        v = value.iloc[i]
        rows.append(
            {
                "name": name,
                "unit": unit,
                "value": v,
                "d": pct(v),
                "lo": pct(lower.iloc[i]),
                "hi": pct(upper.iloc[i]),
                "region": pct(region.iloc[i]),
                "status": status.iloc[i],
                "country": float(c),
            }
        )
    if not rows:
        raise InvalidParameter(
            f"The 'table' parameter of {func} has no row with a non-zero country value to scale by."
        )

    n = len(rows)
    has_footnote = bool(source or period)
    height = 2.0 + 0.55 * n + (FOOTNOTE_HEIGHT_IN if has_footnote else 0)
    with house_style():
        fig = new_figure(width_in, height)
        ax = fig.add_subplot()
        positions = list(range(n))[::-1]
        extent = [0.0]
        for pos, row in zip(positions, rows):
            if _finite(row["lo"]) and _finite(row["hi"]):
                ax.plot([row["lo"], row["hi"]], [pos, pos], color="#333333", linewidth=2, solid_capstyle="butt")
                extent += [row["lo"], row["hi"]]
            if _finite(row["region"]):
                ax.plot(row["region"], pos, marker="D", markersize=8, color=ROLE_COLOURS["region"],
                        markeredgecolor="#333333", markeredgewidth=0.6, linestyle="none", zorder=3)
                extent.append(row["region"])
            if _finite(row["d"]):
                colour = _SIGNIFICANCE_COLOURS[row["status"]]
                ax.plot(row["d"], pos, marker="o", markersize=11, color=colour,
                        markeredgecolor=MARK_OUTLINE, markeredgewidth=1.2, linestyle="none", zorder=4)
                extent.append(row["d"])
            text = (
                f"{_fmt(row['value'], value_format, row['unit'])}"
                if _finite(row["value"])
                else "no data"
            )
            text += f"  ({country_label} {_fmt(row['country'], value_format, row['unit'])})"
            ax.text(1.02, pos, text, transform=ax.get_yaxis_transform(), va="center", ha="left", fontsize=11)
        limit = max(abs(min(extent)), abs(max(extent)), 1.0) * 1.15
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-0.7, n - 0.3)
        ax.axvline(0, color="#1a1a1a", linewidth=1.6, zorder=2)
        ax.set_yticks(positions, [textwrap.fill(r["name"], 34) for r in rows])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"% difference from {country_label}")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:+.0f}%"))
        set_title(fig, title)

        from matplotlib.lines import Line2D

        statuses = list(dict.fromkeys(r["status"] for r in rows if _finite(r["d"])))
        status_labels = {
            "better": f"Better than {country_label}",
            "worse": f"Worse than {country_label}",
            "similar": f"Similar to {country_label}",
            "higher": f"Higher than {country_label}",
            "lower": f"Lower than {country_label}",
            "not compared": "Place (no interval)",
        }
        handles = [
            Line2D([], [], marker="o", markersize=10, linestyle="none", color=_SIGNIFICANCE_COLOURS[s],
                   markeredgecolor=MARK_OUTLINE, label=status_labels[s])
            for s in ["better", "similar", "worse", "higher", "lower", "not compared"] if s in statuses
        ]
        if any(_finite(r["region"]) for r in rows):
            handles.append(Line2D([], [], marker="D", markersize=8, linestyle="none",
                                  color=ROLE_COLOURS["region"], markeredgecolor="#333333", label=region_label))
        handles.append(Line2D([], [], color="#1a1a1a", linewidth=1.6, label=country_label))
        legend_below(ax, handles, ncols=4)
        footnote(fig, source, period)
    return fig
