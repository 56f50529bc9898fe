"""The tables a page shows, read back as data: every number of every ``<table>`` in a view's HTML.

Every section's views turn their results into HTML tables (:func:`~diagnostics.render.tables.html_table`,
:func:`~diagnostics.render.tables.headline_html`, or a section's own markup) whose numbers are written
by :mod:`diagnostics.render.numbers`. Reading the tables where every view ends, rather than each
section's results, means the figures files hold exactly what a reader sees, for every section present
and future, with no code per section: a view that shows a table has declared its figures.

A cell is a figure when its whole text is one number as the formatters write it, optionally with
an interval or range in brackets (``"78.3 (77.1 to 79.5)"``, ``"£28,431"``, ``"+4.2%"``,
``"812 per 100 000"``) or a rank (``"3 of 12"``). Cells of words, codes and periods are labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from diagnostics.render.numbers import MISSING

__all__ = ["ShownCell", "ShownTable", "ShownNumber", "shown_tables", "parse_shown_number", "parse_shown_numbers"]


#: Fingertips' comparison symbols beside a value, and what each says (as the similar places' caption has it).
COMPARISON_SYMBOLS = {"▲": "higher", "▼": "lower", "●": "similar", "○": "not compared"}

#: The classes of the small print inside a label cell: a unit beside an indicator's name, a tag.
_NOTE_CLASSES = ("ci", "pd-unit", "pd-ready-made")


@dataclass
class ShownCell:
    """One cell as a reader sees it.

    Attributes
    ----------
    text : str
        Everything the cell shows, whitespace collapsed.
    badge : str or None
        The words of a comparison badge in the cell (better, similar, worse...).
    header : bool
        Whether it is a ``<th>``.
    notes : list of (str, str)
        The small print inside it (class, text): a unit beside a name, an interval, a tag.
    """

    text: str
    badge: str | None = None
    header: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reading(self) -> str:
        """The text without a comparison shown beside a number (a badge's words, a Fingertips symbol)."""
        text = self.text
        if self.badge and text.endswith(self.badge):
            text = text[: -len(self.badge)].rstrip()
        if text[-1:] in COMPARISON_SYMBOLS:
            text = text[:-1].rstrip()
        return text

    @property
    def comparison(self) -> str | None:
        """The comparison the cell shows: its badge's words, or a Fingertips symbol's meaning."""
        if self.badge:
            return self.badge
        return COMPARISON_SYMBOLS.get(self.text[-1:]) if self.text else None

    @cached_property
    def numbers(self) -> list[ShownNumber]:
        """The numbers the cell shows (:func:`parse_shown_numbers` of :attr:`reading`); empty for words."""
        return parse_shown_numbers(self.reading)

    @property
    def label(self) -> str:
        """The cell's text without its small print: an indicator's or a row's name."""
        text = self.text
        for _, note in self.notes:
            if note and text.endswith(note):
                text = text[: -len(note)].rstrip()
        return text

    @property
    def unit(self) -> str:
        """A unit written in small print beside a label ("years", "per 100 000"), else ''."""
        return next((note for cls, note in self.notes if cls in ("ci", "pd-unit") and not note.startswith("(")), "")


@dataclass
class ShownTable:
    """One ``<table>`` of a view: caption, column headers, body rows, and the source line under it.

    Attributes
    ----------
    caption : str
        The ``<caption>`` text ('' when none).
    columns : list of str
        The header cells of the last header row, as shown.
    rows : list of list of ShownCell
        The body rows.
    source, period : str
        From the ``Source: ...; period: ...`` line (``pd-source``) that follows the table, if any.
    of_chart : bool
        Whether it is the figures of a chart or map, shown under it in a ``<details class="pd-chart-data">``
        (:mod:`diagnostics.render.chart_figures`).
    """

    caption: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[ShownCell]] = field(default_factory=list)
    source: str = ""
    period: str = ""
    of_chart: bool = False


@dataclass(frozen=True)
class ShownNumber:
    """A number as shown, read back: value, interval (or range) and unit (``"%"``, ``"£"``, ``"of 12"``...).

    A bound shown in place of a value (``"<1%"``, ``">99%"``) has no value (NaN) and the bound as its
    ``upper`` or ``lower``; so has an interval shown in a column of its own (``"(7.7 to 10.6)"``).
    """

    value: float
    lower: float | None = None
    upper: float | None = None
    unit: str = ""


_NUMBER = r"[+-]?£?[+-]?\d[\d,]*(?:\.\d+)?"
_UNIT_WORDS = r"(?:%|per [\d ,]*\d(?: [A-Za-z0-9][\w+-]*)*|per [a-z]+|[a-z]+)?"
_SHOWN = re.compile(
    rf"^(?P<value>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})"
    rf"(?:\s*\((?P<lower>{_NUMBER})\s*(?:%|£)?\s*to\s*(?P<upper>{_NUMBER})\s*(?P<unit2>{_UNIT_WORDS})\))?"
    rf"\s*(?P<unit3>{_UNIT_WORDS})$"
)
_INTERVAL_ONLY = re.compile(rf"^\((?P<lower>{_NUMBER})\s*(?P<unit>%?)\s*to\s*(?P<upper>{_NUMBER})\s*%?\)$")
_BOUND = re.compile(rf"^(?P<side>[<>])\s*(?P<bound>{_NUMBER})\s*(?P<unit>%?)$")
_RANK = re.compile(r"^(?P<rank>\d+)\s+of\s+(?P<n>\d[\d,]*)$")
_SOURCE_LINE = re.compile(r"^Source:\s*(?P<source>.*?)(?:;\s*period:\s*(?P<period>.*))?$")


def _number(text: str) -> float:
    negative = text.count("-") % 2 == 1
    digits = text.replace("£", "").replace(",", "").replace("+", "").replace("-", "")
    return -float(digits) if negative else float(digits)


def parse_shown_number(text: str) -> ShownNumber | None:
    """The number a cell shows, or None when the cell is not one number as the formatters write it.

    >>> parse_shown_number("78.3 (77.1 to 79.5)")
    ShownNumber(value=78.3, lower=77.1, upper=79.5, unit='')
    >>> parse_shown_number("-£2,916"), parse_shown_number("+4.2%").unit, parse_shown_number("3 of 12").unit
    (ShownNumber(value=-2916.0, lower=None, upper=None, unit='£'), '%', 'of 12')
    >>> parse_shown_number("<1%")
    ShownNumber(value=nan, lower=None, upper=1.0, unit='%')
    >>> parse_shown_number("2019-21") is None, parse_shown_number("Manufacturing (C)") is None
    (True, True)
    """
    text = " ".join(str(text).split())
    if not text or text == MISSING:
        return None
    if match := _RANK.match(text):
        return ShownNumber(float(match["rank"]), unit=f"of {match['n']}")
    if match := _INTERVAL_ONLY.match(text):
        return ShownNumber(float("nan"), _number(match["lower"]), _number(match["upper"]), match["unit"])
    if match := _BOUND.match(text):
        bound = _number(match["bound"])
        if match["side"] == "<":
            return ShownNumber(float("nan"), upper=bound, unit=match["unit"])
        return ShownNumber(float("nan"), lower=bound, unit=match["unit"])
    match = _SHOWN.match(text)
    if match is None:
        return None
    unit = match["unit"] or match["unit2"] or match["unit3"] or ""
    if "£" in match["value"]:
        unit = "£"
    lower = _number(match["lower"]) if match["lower"] else None
    upper = _number(match["upper"]) if match["upper"] else None
    return ShownNumber(_number(match["value"]), lower, upper, unit)


_PARTS = re.compile(r"[;:]\s+")


def parse_shown_numbers(text: str) -> list[ShownNumber]:
    """Every number of a cell that shows one or several (``"14: 327 (196 to 542) per 10,000; 26.9%"``).

    A cell is split at ``": "`` and ``"; "`` only when the whole does not read as one number; it is a
    cell of numbers when every part reads as one, else a cell of words (an empty list).

    >>> [n.value for n in parse_shown_numbers("14: 327 (196 to 542) per 10,000 10+; 26.9 per 10,000 businesses")]
    [14.0, 327.0, 26.9]
    >>> parse_shown_numbers("Firms aged 3-5 years: 1.50 times the odds")
    []
    """
    whole = parse_shown_number(text)
    if whole is not None:
        return [whole]
    parts = [parse_shown_number(part) for part in _PARTS.split(str(text))]
    return parts if len(parts) > 1 and all(p is not None for p in parts) else []


class _TableReader(HTMLParser):
    """Collects the tables of an HTML fragment, and the source line that follows each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ShownTable] = []
        self._open: list[ShownTable] = []  # nested tables are read as tables of their own
        self._in_head = False
        self._row: list[ShownCell] | None = None
        self._cell: list[str] | None = None
        self._cell_is_header = False
        self._badge: list[str] | None = None
        self._badge_text: str | None = None
        self._spans: list[tuple[str, list[str]]] = []  # the open spans of a cell: (note class or '', text)
        self._notes: list[tuple[str, str]] = []
        self._caption: list[str] | None = None
        self._source: list[str] | None = None
        self._head_rows: list[list[ShownCell]] = []
        self._chart_details = 0  # how deep in <details class="pd-chart-data"> the reader is
        self._details: list[bool] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "details":
            self._details.append("pd-chart-data" in classes)
            self._chart_details += self._details[-1]
        elif tag == "table":
            self._open.append(ShownTable(of_chart=self._chart_details > 0))
            self._head_rows = []
        elif not self._open:
            if tag == "p" and "pd-source" in classes and self.tables:
                self._source = []
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_is_header, self._badge_text, self._notes = [], tag == "th", None, []
        elif tag == "span" and self._cell is not None:
            self._cell.append(" ")
            if "pd-badge" in classes:
                self._badge = []
            self._spans.append((next((c for c in classes if c in _NOTE_CLASSES), ""), []))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "details" and self._details:
            self._chart_details -= self._details.pop()
        elif tag == "table" and self._open:
            table = self._open.pop()
            if self._head_rows:
                table.columns = [c.text for c in self._head_rows[-1]]
            self.tables.append(table)
        elif tag == "p" and self._source is not None:
            match = _SOURCE_LINE.match(" ".join("".join(self._source).split()))
            if match:
                self.tables[-1].source = match["source"].strip().rstrip(".")
                self.tables[-1].period = (match["period"] or "").strip().rstrip(".")
            self._source = None
        elif not self._open:
            return
        elif tag == "caption" and self._caption is not None:
            self._open[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "span" and self._spans:
            cls, text = self._spans.pop()
            if cls:
                self._notes.append((cls, " ".join("".join(text).split())))
            if self._badge is not None:
                self._badge_text = " ".join("".join(self._badge).split())
                self._badge = None
            if self._cell is not None:
                self._cell.append(" ")
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append(ShownCell(text, self._badge_text, self._cell_is_header, self._notes))
            self._cell, self._spans = None, []
        elif tag == "tr" and self._row is not None:
            all_headers = self._row and all(c.header for c in self._row)
            if self._in_head or (all_headers and not self._open[-1].rows and not self._head_rows):
                self._head_rows.append(self._row)
            elif self._row:
                self._open[-1].rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        for collecting in (self._badge, self._cell, self._caption, self._source, *(t for _, t in self._spans)):
            if collecting is not None:
                collecting.append(data)


def shown_tables(markup: str) -> list[ShownTable]:
    """Every table of an HTML fragment, in order, with its caption, headers, rows and source line.

    Parameters
    ----------
    markup : str
        HTML as a view returns it (or a whole report page).

    Returns
    -------
    list of ShownTable
    """
    reader = _TableReader()
    reader.feed(markup)
    reader.close()
    return reader.tables
