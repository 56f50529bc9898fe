"""Rows of a spreadsheet's sheet, for ONS's .xls and .xlsx workbooks (read by python-calamine, which
opens either format and reads only the sheets asked for) and the CSV exports of them: one reader, so
that the dataset readers see every format as lists of cell values.

Only the standard library and python-calamine are imported here (no other module of the import),
so :mod:`diagnostics.sources.england.recognise` can use it to recognise workbooks by their content.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

__all__ = ["WORKBOOK_SUFFIXES", "WorkbookUnreadable", "sheet_names", "sheet_rows", "sheets_rows", "csv_rows"]

#: File name endings read as workbooks.
WORKBOOK_SUFFIXES = (".xls", ".xlsx")


class WorkbookUnreadable(ValueError):
    """A workbook that neither engine can open (damaged, or not the format its name says)."""


def _open(path: Path) -> CalamineWorkbook:
    """The workbook, its cells not yet read (calamine reads a sheet when it is asked for)."""
    try:
        return CalamineWorkbook.from_path(str(path))
    except (OSError, CalamineError, ValueError) as err:
        raise WorkbookUnreadable(f"{path.name} cannot be opened as a workbook ({type(err).__name__}: {err})") from err


def sheet_names(path: str | Path) -> list[str]:
    """The names of a workbook's sheets, in order (as written, trailing spaces kept).

    Raises
    ------
    WorkbookUnreadable
        When the file is neither an .xlsx nor a legacy .xls workbook.
    """
    return list(_open(Path(path)).sheet_names)


def _cell(value):
    """A cell as text or number: empty cells become ``None``."""
    if value is None or value == "":
        return None
    return value


def sheet_rows(path: str | Path, sheet: str, max_rows: int | None = None, max_columns: int = 200) -> list[list]:
    """The rows of one sheet as lists of cell values (str, float or None), top to bottom.

    Parameters
    ----------
    path : path-like
        An .xls or .xlsx workbook.
    sheet : str
        The sheet's name exactly as :func:`sheet_names` gives it.
    max_rows : int, optional
        Stop after this many rows (recognising a layout needs only the first few).
    max_columns : int, default 200
        Read at most this many columns (ONS's single-year-of-age sheets have 95).

    Raises
    ------
    WorkbookUnreadable
        When the workbook cannot be opened or has no such sheet.
    """
    return sheets_rows(path, [sheet], max_rows, max_columns)[sheet]


def sheets_rows(path: str | Path, sheets, max_rows: int | None = None, max_columns: int = 200) -> dict[str, list[list]]:
    """The rows of several sheets of one workbook, opening it once: sheet name -> rows (as :func:`sheet_rows`)."""
    path = Path(path)
    book = _open(path)
    missing = [s for s in sheets if s not in book.sheet_names]
    if missing:
        raise WorkbookUnreadable(f"{path.name} has no sheet {missing[0]!r}; it has {list(book.sheet_names)}")
    out = {}
    for name in sheets:
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=max_rows)
        except (CalamineError, ValueError) as err:
            raise WorkbookUnreadable(f"{path.name} cannot be read as a workbook ({type(err).__name__}: {err})") from err
        out[name] = [[_cell(v) for v in row[:max_columns]] for row in rows]
    return out


def csv_rows(path: str | Path, max_rows: int | None = None) -> Iterator[list[str]]:
    """The rows of a CSV file (plain or gzip; UTF-8 with or without BOM, else Windows-1252), as text.

    The file is streamed: asking for the first few rows reads only the start of it.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    for encoding in ("utf-8-sig", "cp1252"):
        rows = []
        try:
            binary = gzip.open(path, "rb") if gzipped else open(path, "rb")
            with io.TextIOWrapper(binary, encoding=encoding, newline="") as text:
                for i, row in enumerate(csv.reader(text)):
                    if max_rows is not None and i >= max_rows:
                        break
                    rows.append(row)
        except UnicodeDecodeError:
            continue
        yield from rows
        return
