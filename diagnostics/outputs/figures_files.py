"""The figures files beside a report: ``figures.csv`` (long form) and ``figures.xlsx`` (one sheet per table).

``figures.xlsx`` opens on an *About* sheet (the place, the store's source, vintage and version, its
licence statement or the synthetic label); then one sheet per table of the report, in page order,
with the headers as on the page, the unit in the header (``Share of jobs (%)``), numbers as numbers
and each interval in columns of its own (``... lower 95%``, ``... upper 95%``); then a *Sources*
sheet (each table's source, period and caption). Every table sheet repeats the licence or synthetic
label above its header. Both files are written atomically (:mod:`diagnostics.atomic`).

openpyxl is imported when a workbook is written, not with this module.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd

from diagnostics.atomic import write_bytes_atomic, write_text_atomic
from diagnostics.exceptions import InvalidParameter, OutputNotWritable
from diagnostics.outputs.figures import ReportFigures, TitledTable, figures_of_session
from diagnostics.render.numbers import MISSING
from diagnostics.sections.session import start

__all__ = ["FIGURES_CSV", "FIGURES_XLSX", "figures_csv_text", "figures_workbook_bytes", "table_frame",
           "write_figures", "write_figures_file"]

FIGURES_CSV = "figures.csv"
FIGURES_XLSX = "figures.xlsx"

_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_NUMBERING = re.compile(r" \(\d+ of \d+\)$")


def figures_csv_text(shown: ReportFigures) -> str:
    """figures.csv's text: :data:`~diagnostics.outputs.figures.FIGURE_COLUMNS`, UTF-8, one row per figure."""
    return shown.figures.to_csv(index=False)


def write_figures(shown: ReportFigures, folder: str | Path) -> tuple[Path, Path]:
    """Write figures.csv and figures.xlsx into ``folder`` (each atomically); return their paths."""
    folder = Path(folder)
    csv_path = write_text_atomic(folder / FIGURES_CSV, figures_csv_text(shown))
    xlsx_path = write_bytes_atomic(folder / FIGURES_XLSX, figures_workbook_bytes(shown))
    return csv_path, xlsx_path


def write_figures_file(place, fmt: str = "csv", out: str | Path | None = None, *, store=None,
                       comparators: str = "default") -> str | None:
    """A place's figures without a run (:func:`~diagnostics.outputs.figures.figures_of_session`), as a file or text.

    Parameters
    ----------
    place : str or Place
        A code or name, or ``"default"``.
    fmt : {"csv", "xlsx"}
    out : path-like, optional
        The file to write (atomically); required for ``"xlsx"``. Without it the csv is returned.
    store, comparators
        As for :func:`diagnostics.sections.session.start`.

    Returns
    -------
    str or None
        The csv's text when ``out`` is None, else None.

    Raises
    ------
    InvalidParameter
        For a format other than csv or xlsx, or xlsx without ``out``, before anything is computed.
    OutputNotWritable
        When ``out`` is a folder, or its folder is a file or cannot be written to, before anything is computed.
    """
    if fmt not in ("csv", "xlsx"):
        raise InvalidParameter(f"The 'format' parameter of write_figures_file must be 'csv' or 'xlsx'; got {fmt!r}.")
    if fmt == "xlsx" and out is None:
        raise InvalidParameter("The xlsx format needs a file to write: give --out FILE.xlsx (csv alone can go to the "
                               "screen).")
    if out is not None:
        _check_out_file(Path(out))
    shown = figures_of_session(start(place, store, comparators))
    if out is None:
        return figures_csv_text(shown)
    if fmt == "csv":
        write_text_atomic(out, figures_csv_text(shown))
    else:
        write_bytes_atomic(out, figures_workbook_bytes(shown))
    return None


def _check_out_file(out: Path) -> None:
    if out.is_dir():
        raise OutputNotWritable(str(out), "it is a folder; give a file name, such as figures.xlsx")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputNotWritable(str(out), f"{parent} is a file, not a folder; choose another place for the file")
    if not os.access(parent, os.W_OK):
        raise OutputNotWritable(str(out), f"{parent} cannot be written to (no permission); choose another folder")


def _label(shown: ReportFigures) -> str:
    store = shown.store
    if store.is_synthetic:
        return ("SYNTHETIC DATA: an invented country for demonstration and testing. No figure in this workbook "
                "describes a real place.")
    return store.attribution or f"Source: {store.source} ({store.vintage})."


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\), unique in the workbook; a long title
    is cut before its numbering (" (2 of 3)"), which is kept."""
    text = " ".join(_SHEET_CHARACTERS.sub(" ", title).split())
    numbered = _NUMBERING.search(text)
    suffix = numbered.group(0) if numbered and len(text) > 31 else ""
    base = (text[: 31 - len(suffix)].rstrip() + suffix if suffix else text[:31]) or "Table"
    name, number = base, 2
    while name.casefold() in used:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.casefold())
    return name


def table_frame(table: TitledTable) -> pd.DataFrame:
    """A report table as a spreadsheet table: headers as on the page with the unit, numbers as numbers.

    A column is numeric when every cell that is not blank or a dash shows one number; its unit, when
    all its numbers share one, goes into the header (else a ``: unit`` column follows); intervals (or
    ranges) get columns of their own; a bound shown in place of a number (``"<1%"``) stays as shown.
    Other columns keep the text shown.
    """
    shown = table.table
    width = max([len(shown.columns)] + [len(r) for r in shown.rows]) if shown.rows else len(shown.columns)
    headers = list(shown.columns) + [f"Column {i + 1}" for i in range(len(shown.columns), width)]
    columns: dict[str, list] = {}
    for index, header in enumerate(headers):
        cells = [r[index] if index < len(r) else None for r in shown.rows]
        filled = [c for c in cells if c is not None and c.text not in ("", MISSING)]
        numbers = [c.numbers for c in filled]
        numeric = bool(filled) and index > 0 and all(len(n) == 1 for n in numbers)
        if not numeric:
            columns[_unique(header, columns)] = [c.label if c is not None else "" for c in cells]
            continue
        units = {n[0].unit for n in numbers}
        unit = next(iter(units)) if len(units) == 1 else ""
        title = f"{header} ({unit})" if unit and unit not in header else header
        values = [(c.numbers[0] if c is not None and c.numbers else None) for c in cells]
        columns[_unique(title, columns)] = [_cell_value(v, c) for v, c in zip(values, cells)]
        if any(v is not None and v.lower is not None and v.upper is not None for v in values):
            kind = "range" if "range" in header.casefold() else "95%"
            columns[_unique(f"{title}: lower {kind}", columns)] = [v.lower if v is not None else None for v in values]
            columns[_unique(f"{title}: upper {kind}", columns)] = [v.upper if v is not None else None for v in values]
        if len(units) > 1:
            columns[_unique(f"{header}: unit", columns)] = [v.unit if v is not None else "" for v in values]
    return pd.DataFrame(columns)


def _cell_value(number, cell):
    """A number as a number; a bound shown in its place (``"<1%"``) as the text shown; blank for none."""
    if number is None:
        return None
    return cell.text if pd.isna(number.value) else number.value


def _unique(title: str, taken: dict) -> str:
    name, number = title, 2
    while name in taken:
        name, number = f"{title} ({number})", number + 1
    return name


def figures_workbook_bytes(shown: ReportFigures) -> bytes:
    """figures.xlsx as bytes (see the module's docstring for its sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    label = _label(shown)
    store, place = shown.store, shown.place
    book = Workbook()
    about = book.active
    about.title = "About"
    for row in (
        ("Place", f"{place.name} ({place.code})"),
        ("Data", f"{store.source}, vintage {store.vintage}"),
        ("Store version", store.version),
        ("Licence and credits", label),
        ("Sheets", "One per table of the report, in page order; then Sources. figures.csv holds every figure "
                   "in long form."),
    ):
        about.append(row)
    for cell in about["A"]:
        cell.font = Font(bold=True)
    used = {"about", "sources"}
    sources = []
    for titled in shown.tables:
        sheet = book.create_sheet(_sheet_name(titled.title, used))
        sheet.append([f"{titled.section}: {titled.title}, {place.name}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append([label])
        frame = table_frame(titled)
        sheet.append(list(frame.columns))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for record in frame.itertuples(index=False):
            sheet.append([None if isinstance(v, float) and pd.isna(v) else v for v in record])
        sheet.freeze_panes = "A4"
        sources.append((sheet.title, titled.section, titled.title, titled.table.source or f"{store.source} "
                        f"({store.vintage})", titled.table.period, titled.table.caption))
    sheet = book.create_sheet("Sources")
    sheet.append(["Sheet", "Section", "Table", "Source", "Period", "Caption (what the table shows and how)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sources:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([label])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
