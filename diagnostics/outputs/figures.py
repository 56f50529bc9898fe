"""Every figure the report shows, as data: one long table read from the tables of every section's views.

The pipeline: take each section's view outputs (the cells of the executed notebooks after a run, or
the views called in this process for ``place-diagnostic figures``), read every table they show
(:func:`diagnostics.render.shown_tables.shown_tables`), and turn each number into one row of
:data:`FIGURE_COLUMNS`. Nothing here knows a section: a section (present or future) whose views show
tables feeds the figures through its ``VIEWS`` alone. Writing the files is
:mod:`diagnostics.outputs.figures_files`.

How a row is filled, for every table alike:

- ``row`` is the row's first cell (its label; a number there is read with its header, "Decile 1"),
  ``column`` the header of the number's column;
- ``period`` the row's *Period* cell, else the period of the source line under the table;
- ``source`` the row's *Source* cell, else the source line under the table, else the store's source;
- ``comparison`` a comparison shown in the number's own cell (a badge, or Fingertips' ▲ ▼ ● ○); else
  the words of the row's first *Against ...* badge (better, similar, worse, not compared...), given to
  the place's own figure of the row (the column holding its 95% interval, or else the row's first
  number); other figures of the row are not compared ('');
- ``method`` the catalogue's method for an indicator named by the row, else the table's caption;
- ``unit`` the unit shown with the number, or beside the indicator's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from diagnostics.render.shown_tables import ShownTable, shown_tables
from diagnostics.sections.registry import available_sections
from diagnostics.sections.session import Session
from diagnostics.store.places import Place
from diagnostics.store.store import Store

__all__ = [
    "FIGURE_COLUMNS", "ShownOutput", "TitledTable", "ReportFigures", "figures_of_session", "figures_of_notebooks",
    "figures_of_outputs",
]

#: The columns of figures.csv, in order.
FIGURE_COLUMNS = [
    "area_code", "area_name", "section", "table", "row", "column", "period", "value", "lower", "upper", "unit",
    "comparison", "source", "method", "shown", "store_version", "synthetic",
]


@dataclass(frozen=True)
class ShownOutput:
    """What one view showed: its section's title, its heading on the page and its HTML."""

    section: str
    heading: str
    html: str


@dataclass(frozen=True)
class TitledTable:
    """One table of the report: its section, its title (the view's heading, numbered when a view shows
    several) and the table as shown."""

    section: str
    title: str
    table: ShownTable


@dataclass(frozen=True)
class ReportFigures:
    """Every figure of a place's report: the long table, and the tables they were read from.

    Attributes
    ----------
    figures : DataFrame
        :data:`FIGURE_COLUMNS`, one row per number shown, in page order.
    tables : list of TitledTable
        The report's tables in page order (each becomes a sheet of figures.xlsx).
    place : Place
    store : Store
    """

    figures: pd.DataFrame
    tables: list[TitledTable]
    place: Place
    store: Store


def figures_of_session(dx: Session) -> ReportFigures:
    """Every figure the report would show for the session's place, computing each view's result here.

    Each available section's views are called with ``dx`` (their other parameters at their defaults)
    and their tables read; nothing is drawn to a file and no notebook runs.

    Returns
    -------
    ReportFigures
    """
    outputs = []
    for section in available_sections():
        for heading, view in section.views:
            outputs.append(ShownOutput(section.title, heading, _html_of(view(dx))))
    return figures_of_outputs(outputs, dx.place, dx.store)


def figures_of_notebooks(notebooks: Sequence, place: Place, store: Store) -> ReportFigures:
    """Every figure the executed notebooks show (a run's), read from their HTML outputs.

    Parameters
    ----------
    notebooks : sequence of nbformat.NotebookNode
        Executed section notebooks: a ``# Title`` markdown cell, then ``## Heading`` cells, each
        followed by the cell of its view.
    place : Place
    store : Store
        The place and the store the notebooks ran for.
    """
    return figures_of_outputs(list(_notebook_outputs(notebooks)), place, store)


def _notebook_outputs(notebooks: Iterable) -> Iterable[ShownOutput]:
    for nb in notebooks:
        section, heading = "", ""
        for cell in nb.cells:
            if cell.get("cell_type") == "markdown":
                first = str(cell.get("source", "")).lstrip().splitlines()[0:1]
                line = first[0] if first else ""
                if line.startswith("# "):
                    section = line[2:].strip()
                elif line.startswith("## "):
                    heading = line[3:].strip()
                continue
            for output in cell.get("outputs", []):
                markup = output.get("data", {}).get("text/html")
                if markup:
                    yield ShownOutput(section, heading, "".join(markup) if isinstance(markup, list) else markup)


def _html_of(shown) -> str:
    if shown is None:
        return ""
    if isinstance(shown, str):
        return shown
    data = getattr(shown, "data", None)
    if isinstance(data, str):
        return data
    represent = getattr(shown, "_repr_html_", None)
    return (represent() or "") if callable(represent) else ""


def figures_of_outputs(outputs: Sequence[ShownOutput], place: Place, store: Store) -> ReportFigures:
    """The figures of the tables in these view outputs, as :data:`FIGURE_COLUMNS` (see the module's rules)."""
    methods = _catalogue_methods(store)
    rows: list[dict] = []
    counts: dict[tuple[str, str], int] = {}
    tables = [(o, t) for o in outputs if "<table" in o.html for t in shown_tables(o.html)]
    for output, table in tables:
        key = (output.section, _heading(output, table))
        counts[key] = counts.get(key, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    titled = []
    for output, table in tables:
        heading = _heading(output, table)
        key = (output.section, heading)
        seen[key] = seen.get(key, 0) + 1
        title = heading if counts[key] == 1 else f"{heading} ({seen[key]} of {counts[key]})"
        titled.append(TitledTable(output.section, title, table))
        for figure in _table_figures(table, methods):
            rows.append({"section": output.section, "table": title, **figure})
    frame = pd.DataFrame.from_records(rows, columns=[c for c in FIGURE_COLUMNS if c not in _PLACE_COLUMNS])
    frame["source"] = frame["source"].replace("", f"{store.source} ({store.vintage})")
    frame.insert(0, "area_code", place.code)
    frame.insert(1, "area_name", place.name)
    frame["store_version"] = store.version
    frame["synthetic"] = bool(store.is_synthetic)
    return ReportFigures(frame[FIGURE_COLUMNS], titled, place, store)


_PLACE_COLUMNS = ("area_code", "area_name", "store_version", "synthetic")


def _heading(output: ShownOutput, table: ShownTable) -> str:
    """The title of a table before numbering: its view's heading; "Chart – <heading>" for the figures of a
    chart or map (so a view's own tables keep their titles, and a sheet name says it is a chart's)."""
    return f"Chart – {output.heading}" if table.of_chart else output.heading


def _catalogue_methods(store) -> dict[str, str]:
    """Indicator name (and short name), folded -> the catalogue's method."""
    catalogue = store.catalogue
    methods: dict[str, str] = {}
    for column in ("short_name", "name"):
        if column in catalogue.columns:
            for name, method in zip(catalogue[column], catalogue["method"]):
                methods.setdefault(str(name).casefold(), str(method))
    return methods


def _column_index(columns: list[str], *starts: str) -> int | None:
    for index, column in enumerate(columns):
        if any(column.casefold().startswith(s) for s in starts):
            return index
    return None


def _table_figures(table: ShownTable, methods: dict[str, str]) -> list[dict]:
    """One dict per number of the table (the columns of FIGURE_COLUMNS but the place's)."""
    columns = table.columns
    period_at = _column_index(columns, "period")
    source_at = _column_index(columns, "source")
    against_at = _column_index(columns, "against")
    estimate_at = next((i for i, c in enumerate(columns) if "95% ci" in c.casefold()), None)
    figures = []
    for cells in table.rows:
        if not cells:
            continue
        label_cell = cells[0]
        label, unit_note = label_cell.label, label_cell.unit
        if label_cell.numbers:  # a row named by a number (a deprivation decile): "Decile 1"
            label, unit_note = " ".join(filter(None, (columns[0] if columns else "", label_cell.text))), ""
        period = _cell_text(cells, period_at) or table.period
        source = _cell_text(cells, source_at) or table.source
        comparison = cells[against_at].badge or "" if against_at is not None and against_at < len(cells) else ""
        method = methods.get(label.casefold(), table.caption)
        numbered = [(i, c, c.numbers) for i, c in enumerate(cells) if i not in (0, period_at, source_at)]
        numbered = [(i, c, n) for i, c, n in numbered if n]
        compared_at = estimate_at if estimate_at is not None else (numbered[0][0] if numbered else None)
        for index, cell, numbers in numbered:
            for part, number in enumerate(numbers, start=1):
                column = columns[index] if index < len(columns) else ""
                compared = cell.comparison or (comparison if index == compared_at else "")
                figures.append(_figure(label, column if len(numbers) == 1 else f"{column} (part {part} of {len(numbers)})",
                                       period, number, unit_note, compared if part == 1 else "", source, method,
                                       cell.text))
    return figures


def _figure(row, column, period, number, unit_note, comparison, source, method, shown) -> dict:
    return {"row": row, "column": column, "period": period, "value": number.value, "lower": number.lower,
            "upper": number.upper, "unit": number.unit or unit_note, "comparison": comparison, "source": source,
            "method": method, "shown": shown}


def _cell_text(cells, index: int | None) -> str:
    return cells[index].text if index is not None and index < len(cells) else ""
