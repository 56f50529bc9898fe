"""Rows of a spreadsheet's sheet, for ONS's .xls (xlrd) and .xlsx (streamed from its XML) workbooks and the CSV
exports of them: one reader, so that the dataset readers see every format as lists of cell values.

Only the standard library and xlrd are imported here (no other module of the import),
so :mod:`diagnostics.sources.england.recognise` can use it to recognise workbooks by their content.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["WORKBOOK_SUFFIXES", "WorkbookUnreadable", "sheet_names", "sheet_rows", "sheets_rows", "csv_rows"]

#: File name endings read as workbooks.
WORKBOOK_SUFFIXES = (".xls", ".xlsx")


class WorkbookUnreadable(ValueError):
    """A workbook that neither engine can open (damaged, or not the format its name says)."""


def _is_xlsx(path: Path) -> bool:
    return zipfile.is_zipfile(path)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member in an .xlsx (read from the workbook and its relationships, not opened)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    members = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID), "")
        members[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return members


def _xlsx_shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    out = []
    for _, element in ElementTree.iterparse(book.open("xl/sharedStrings.xml")):
        if element.tag == f"{_MAIN}si":
            out.append("".join(t.text or "" for t in element.iter(f"{_MAIN}t")))
            element.clear()
    return out


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + (ord(char.upper()) - 64)
    return index - 1


def _xlsx_rows(book: zipfile.ZipFile, member: str, max_rows: int | None, max_columns: int) -> list[list]:
    """Rows of one .xlsx sheet, streamed from its XML (stops after ``max_rows``)."""
    shared: list[str] | None = None
    rows: list[list] = []
    for _, element in ElementTree.iterparse(book.open(member)):
        if element.tag != f"{_MAIN}row":
            continue
        number = int(element.get("r", len(rows) + 1))
        if max_rows is not None and number > max_rows:
            break
        while len(rows) < number - 1:
            rows.append([])
        row: list = []
        for cell in element.iter(f"{_MAIN}c"):
            column = _column_index(cell.get("r", "")) if cell.get("r") else len(row)
            if column >= max_columns:
                continue
            kind, value = cell.get("t", "n"), cell.find(f"{_MAIN}v")
            if kind == "inlineStr":
                found = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
            elif value is None or value.text is None:
                found = None
            elif kind == "s":
                shared = _xlsx_shared_strings(book) if shared is None else shared
                found = shared[int(value.text)]
            elif kind in ("str", "e"):
                found = value.text
            else:
                found = float(value.text)
            row.extend([None] * (column - len(row)))
            row.append(_cell(found))
        rows.append(row)
        element.clear()
    return rows


def sheet_names(path: str | Path) -> list[str]:
    """The names of a workbook's sheets, in order (as written, trailing spaces kept).

    Raises
    ------
    WorkbookUnreadable
        When the file is neither an .xlsx (zip) nor a legacy .xls workbook.
    """
    path = Path(path)
    import xlrd

    try:
        if _is_xlsx(path):
            with zipfile.ZipFile(path) as book:
                return list(_xlsx_sheet_members(book))
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            return list(book.sheet_names())
        finally:
            book.release_resources()
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, ElementTree.ParseError, xlrd.XLRDError) as err:
        raise WorkbookUnreadable(f"{path.name} cannot be opened as a workbook ({type(err).__name__}: {err})") from err


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
    import xlrd

    try:
        if _is_xlsx(path):
            with zipfile.ZipFile(path) as book:
                members = _xlsx_sheet_members(book)
                missing = [s for s in sheets if s not in members]
                if missing:
                    raise WorkbookUnreadable(f"{path.name} has no sheet {missing[0]!r}; it has {list(members)}")
                return {s: _xlsx_rows(book, members[s], max_rows, max_columns) for s in sheets}
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            missing = [s for s in sheets if s not in book.sheet_names()]
            if missing:
                raise WorkbookUnreadable(f"{path.name} has no sheet {missing[0]!r}; it has {book.sheet_names()}")
            out = {}
            for name in sheets:
                table = book.sheet_by_name(name)
                count = table.nrows if max_rows is None else min(table.nrows, max_rows)
                width = min(table.ncols, max_columns)
                out[name] = [[_cell(v) for v in table.row_values(i, 0, width)] for i in range(count)]
                book.unload_sheet(name)
            return out
        finally:
            book.release_resources()
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, ElementTree.ParseError, xlrd.XLRDError) as err:
        if isinstance(err, WorkbookUnreadable):
            raise
        raise WorkbookUnreadable(f"{path.name} cannot be read as a workbook ({type(err).__name__}: {err})") from err


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
