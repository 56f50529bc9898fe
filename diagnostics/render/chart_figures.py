"""A chart's figures as a table after it: the text alternative of a chart (WCAG 2.2 1.1.1) that
holds the numbers, not only a description.

A reader who cannot see a chart (a screen reader's user, someone who zooms the page, someone who
wants the exact numbers) opens a closed ``<details class="pd-chart-data">`` under the chart and finds
a real table: a ``<caption>``, column headers scoped to their columns with the unit, each estimate
with its 95% interval, and the source and period under it. The numbers are written by
:mod:`diagnostics.render.numbers` (the one formatter), from the frame the chart was drawn from, so
the table and the chart can never disagree; and since it is a report table like any other,
:mod:`diagnostics.render.shown_tables` reads its figures into figures.csv and figures.xlsx.

:func:`diagnostics.render.charts.figure_html` places it (its ``data`` parameter); a map places it
with :func:`figures_details` directly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.numbers import format_interval, format_value

__all__ = ["FigureColumn", "ChartFigures", "figures_details", "columns_by_area", "SUMMARY", "MAP_SUMMARY"]

#: The words of the disclosure's summary, the same under every chart (and under every map).
SUMMARY = "The chart's figures"
MAP_SUMMARY = "The map's figures"


@dataclass(frozen=True)
class FigureColumn:
    """One column of numbers of a chart's figures.

    Attributes
    ----------
    column : str
        The frame's column holding the values.
    heading : str
        The column's header as shown, without the unit (the unit and "95% CI" are added).
    unit : str, default ""
        The unit of every value ("£", "%", "years", "per 100 000"...): written in the header, and
        beside each number as :func:`~diagnostics.render.numbers.format_value` writes it.
    decimals : int, default 1
        Decimal places shown.
    lower, upper : str or None, default None
        The frame's columns holding the 95% interval of an estimate; shown as "(lower to upper)"
        after the value, and named in the header.
    unit_column : str or None, default None
        A frame column giving each row's unit, for a column whose rows differ in unit (the trends of
        several measures); ``unit`` is then left out of the header.
    decimals_column : str or None, default None
        A frame column giving each row's decimal places (in place of ``decimals``).
    """

    column: str
    heading: str
    unit: str = ""
    decimals: int = 1
    lower: str | None = None
    upper: str | None = None
    unit_column: str | None = None
    decimals_column: str | None = None

    @property
    def header(self) -> str:
        notes = [self.unit] if self.unit and self.unit_column is None else []
        notes += ["95% CI"] if self.lower is not None else []
        return f"{self.heading} ({', '.join(notes)})" if notes else self.heading

    @property
    def needs(self) -> list[str]:
        return [c for c in (self.column, self.lower, self.upper, self.unit_column, self.decimals_column) if c is not None]


@dataclass(frozen=True)
class ChartFigures:
    """The figures a chart (or map) draws, to be shown as a table after it.

    Attributes
    ----------
    frame : DataFrame
        One row per row of the table, in the order shown: the rows the chart was drawn from.
    caption : str
        What the table holds (becomes its ``<caption>`` and the name the text alternative gives).
    source, period : str
        Shown in the ``Source: ...; period: ...`` line under the table.
    labels : sequence of (str, str)
        The frame's label columns and their headers, in order: (column, header). The first names
        the row.
    values : sequence of FigureColumn
        The columns of numbers, in order after the labels.
    """

    frame: pd.DataFrame
    caption: str
    source: str
    period: str
    labels: Sequence[tuple[str, str]] = field(default_factory=tuple)
    values: Sequence[FigureColumn] = field(default_factory=tuple)


def columns_by_area(frame: pd.DataFrame, areas: Sequence[tuple[str, str, pd.DataFrame]], *, key: str, value: str,
                    lower: str, upper: str, unit: str, decimals: int, intervals: str = "always",
                    median: pd.Series | None = None) -> tuple[pd.DataFrame, list[FigureColumn]]:
    """A series chart's figures, one column per area drawn: ``frame`` (one row per ``key``, e.g. the
    year) with each area's value and interval beside it, and the comparators' median last.

    Parameters
    ----------
    frame : DataFrame
        The table's rows, with the ``key`` column.
    areas : sequence of (str, str, DataFrame)
        (code, header, that area's rows with ``key``, ``value``, ``lower`` and ``upper``), in the
        order of the columns; an area without rows gets no column.
    key, value, lower, upper : str
        The columns of each area's rows.
    unit : str
    decimals : int
    intervals : {"always", "where published"}, default "always"
        Whether an area's interval is shown always, or only when it has at least one.
    median : Series or None
        The comparators' median by ``key``: a last column when not empty.

    Returns
    -------
    (DataFrame, list of FigureColumn)
        The frame and the :class:`FigureColumn` of each column added, for :class:`ChartFigures`.
    """
    values = []
    for code, header, rows in areas:
        if rows.empty:
            continue
        part = rows.drop_duplicates(key, keep="last").set_index(key)[[value, lower, upper]].add_prefix(f"{code}_")
        frame = frame.merge(part, left_on=key, right_index=True, how="left")
        shown = intervals == "always" or rows[lower].notna().any()
        values.append(FigureColumn(f"{code}_{value}", header, unit, decimals, f"{code}_{lower}" if shown else None,
                                   f"{code}_{upper}" if shown else None))
    if median is not None and len(median):
        frame = frame.merge(median.rename("comparators_median"), left_on=key, right_index=True, how="left")
        values.append(FigureColumn("comparators_median", "Comparators' median", unit, decimals))
    return frame, values


def _check(figures: ChartFigures, func: str) -> None:
    if not isinstance(figures, ChartFigures):
        raise InvalidParameter(f"The 'data' parameter of {func} must be a ChartFigures; got {type(figures).__name__}.")
    frame = figures.frame
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameter(f"The 'frame' of the chart's figures given to {func} must be a pandas DataFrame; "
                               f"got {type(frame).__name__}.")
    if frame.empty:
        raise InvalidParameter(f"The 'frame' of the chart's figures given to {func} has no rows: leave 'data' out "
                               "for a chart that draws nothing.")
    for name in ("caption", "source", "period"):
        text = getattr(figures, name)
        if not isinstance(text, str) or not text.strip():
            raise InvalidParameter(f"The {name!r} of the chart's figures given to {func} must be a non-empty str; "
                                   f"got {text!r}.")
    if not figures.labels or not figures.values:
        raise InvalidParameter(f"The chart's figures given to {func} need at least one label column and one "
                               f"FigureColumn; got {len(figures.labels)} and {len(figures.values)}.")
    needed = [c for c, _ in figures.labels] + [c for v in figures.values for c in v.needs]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InvalidParameter(f"The frame of the chart's figures given to {func} lacks the column(s) {missing}; "
                               f"it has {list(frame.columns)}.")


def _number_cell(row: dict, spec: FigureColumn) -> str:
    unit = str(row[spec.unit_column]) if spec.unit_column is not None else spec.unit
    decimals = int(row[spec.decimals_column]) if spec.decimals_column is not None else spec.decimals
    text = format_value(row[spec.column], unit, decimals)
    if spec.lower is not None and spec.upper is not None:
        interval = format_interval(row[spec.lower], row[spec.upper], "", decimals)
        text = f"{text} {interval}" if interval else text
    return f"<td class='num'>{html.escape(text)}</td>"


def _label_cell(value, first: bool) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    tag = "th scope='row'" if first else "td"
    return f"<{tag}>{html.escape(text)}</{tag.split()[0]}>"


def figures_details(figures: ChartFigures, *, func: str = "figures_details", summary: str = SUMMARY) -> str:
    """The figures as a closed ``<details class="pd-chart-data">`` holding a table and its source line.

    Parameters
    ----------
    figures : ChartFigures
    func : str, default "figures_details"
        The public function whose argument this is, named in an error message.
    summary : str, default :data:`SUMMARY`
        The disclosure's words (:data:`MAP_SUMMARY` under a map).

    Returns
    -------
    str
        ``<details class="pd-chart-data"><summary>The chart's figures</summary><table>...</table>
        <p class="pd-source">...</p></details>``: every header a ``<th scope="col">``, each row
        named by a ``<th scope="row">``.

    Raises
    ------
    InvalidParameter
        If ``figures`` is not a ChartFigures, its frame is empty or lacks a column it names, or its
        caption, source or period is empty.
    """
    _check(figures, func)
    headers = [h for _, h in figures.labels] + [v.header for v in figures.values]
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in headers)
    rows = []
    for row in figures.frame.to_dict("records"):
        cells = [_label_cell(row[c], i == 0) for i, (c, _) in enumerate(figures.labels)]
        cells += [_number_cell(row, spec) for spec in figures.values]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    source = html.escape(f"Source: {figures.source}; period: {figures.period}")
    return (
        f'<details class="pd-chart-data"><summary>{html.escape(summary, quote=False)}</summary>'
        f'<div class="pd-scroll"><table class="pd-table pd-chart-table"><caption>{html.escape(figures.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<p class="pd-source">{source}</p></details>'
    )
