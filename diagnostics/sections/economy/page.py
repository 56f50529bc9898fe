"""The economy section (``notebooks/10_economy.ipynb``): what each cell of the page shows, in order.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's output: the
charts are in :mod:`~diagnostics.sections.economy.charts`, the tables in
:mod:`~diagnostics.sections.economy.tables`, and the findings and the notes on the data below, their
sentences from :mod:`~diagnostics.sections.economy.narrative`. They render the typed results of
:mod:`diagnostics.sections.economy.analysis`, computed once per session. Views never raise for missing
data: a store without an industry table, a place that is not made of whole districts, or indicators
the store lacks for the place give a notice saying why. Bad notebook parameters (``start_year``,
``end_year``) raise :class:`~diagnostics.exceptions.InvalidParameter` naming the fix.

:func:`headline` gives the section's headline measures to the summary (see
:mod:`diagnostics.sections.registry`).
"""

from __future__ import annotations

import html

from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.sections.economy.analysis import headline
from diagnostics.sections.economy.charts import (
    headline_chart,
    productivity_chart,
    shift_share_chart,
    structure_chart,
    trend_chart,
)
from diagnostics.sections.economy.narrative import data_notes_sentences, economy_findings
from diagnostics.sections.economy.tables import (
    headline_table,
    productivity_table,
    shift_share_table,
    structure_table,
)
from diagnostics.sections.economy.years import year_parameters
from diagnostics.sections.notebooks import NotebookSpec
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "NOTEBOOK",
    "headline",
    "findings",
    "headline_table",
    "headline_chart",
    "trend_chart",
    "structure_chart",
    "structure_table",
    "shift_share_chart",
    "shift_share_table",
    "productivity_chart",
    "productivity_table",
    "data_notes",
]


def findings(dx: Session, start_year=None, end_year=None):
    """The page's findings in plain English, each pointing at the figure below that backs it."""
    year_parameters(start_year, end_year)
    found = economy_findings(dx, start_year, end_year)
    if not found:
        return notice(f"The store holds no economy figures for {dx.place.name} to draw findings from.",
                      title="No findings")
    items = "".join(
        f"<li>{html.escape(f.text)} <em class='pd-economy-figure'>(figure: {html.escape(f.evidence)})</em></li>"
        for f in found
    )
    return as_html(f"<ul class='pd-findings'>{items}</ul>")


def data_notes(dx: Session):
    """Where the figures come from and how they are made: sources, periods, methods and rules."""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in data_notes_sentences(dx))
    return as_html(synthetic_banner(dx) + f"<ul>{items}</ul>")


#: The page, in order: (heading, view).
VIEWS = (
    ("Findings", findings),
    ("Headline economy", headline_table),
    ("How the place compares", headline_chart),
    ("Trends", trend_chart),
    ("Industrial structure", structure_chart),
    ("Location quotients by industry", structure_table),
    ("Shift-share: national growth, industry mix and local effect", shift_share_chart),
    ("Shift-share by industry", shift_share_table),
    ("Productivity gap", productivity_chart),
    ("Productivity gap by industry", productivity_table),
    ("About the data", data_notes),
)


NOTEBOOK = NotebookSpec(
    intro=(
        "The place's economy against its region, its country and its statistical neighbours: productivity, "
        "jobs and skills, business demography, its industrial structure, why its jobs changed (shift-share) "
        "and what lies behind its productivity gap."
    ),
    parameters=(
        "start_year = None  # first year of the shift-share (e.g. 2015); None means the first year with industry figures",
        "end_year = None  # last year of the shift-share; None means the latest year with industry figures",
    ),
    arguments={name: "dx, start_year, end_year" for name in ("findings", "shift_share_chart", "shift_share_table")},
)
