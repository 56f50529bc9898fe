"""The public-money section (``notebooks/50_public_money.ipynb``): what each cell of the page shows, in order.

Total Place: how much public money is spent in the place, by whom, on what, and how it is paid for.
Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's output: the
charts are in :mod:`~diagnostics.sections.public_money.charts`, the tables in
:mod:`~diagnostics.sections.public_money.tables`, the findings and notes below, their sentences from
:mod:`~diagnostics.sections.public_money.narrative`. They render the typed results of
:mod:`diagnostics.sections.public_money.analysis` (and its ``council_tax``), computed once per place.
Views never raise for missing data: a store without spending tables gives one sentence naming the
datasets that would fill the page.

:func:`headline` gives the section's headline measures to the summary (neutral: never a strength
or a challenge).
"""

from __future__ import annotations

import html

from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.sections.notebooks import NotebookSpec
from diagnostics.sections.public_money.analysis import place_spending
from diagnostics.sections.public_money.charts import spending_chart
from diagnostics.sections.public_money.headline import headline
from diagnostics.sections.public_money.narrative import HEADINGS, data_notes_sentences, public_money_findings
from diagnostics.sections.public_money.tables import (
    bodies_table,
    council_tax_view,
    per_head_table,
    regional_view,
    years_view,
)
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "NOTEBOOK",
    "headline",
    "findings",
    "bodies_table",
    "spending_chart",
    "per_head_table",
    "years_view",
    "council_tax_view",
    "regional_view",
    "data_notes",
]


def findings(dx: Session):
    """The page's findings in plain English, each pointing at the view below that backs it."""
    found = public_money_findings(dx)
    if not found:
        problem = place_spending(dx).problem or f"the store holds no spending for {dx.place.name}"
        return notice(problem[0].upper() + problem[1:], title="No findings")
    items = "".join(
        f"<li>{html.escape(f.text)} <em class='pd-economy-figure'>(figure: {html.escape(f.evidence)})</em></li>"
        for f in found
    )
    return as_html(synthetic_banner(dx) + f"<ul class='pd-findings'>{items}</ul>")


def data_notes(dx: Session):
    """Where the figures come from and how they are made: sources, periods, the attribution, missing returns."""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in data_notes_sentences(dx))
    return as_html(synthetic_banner(dx) + f"<ul>{items}</ul>")


#: The page, in order: (heading, view).
VIEWS = (
    (HEADINGS["findings"], findings),
    (HEADINGS["bodies"], bodies_table),
    (HEADINGS["chart"], spending_chart),
    (HEADINGS["per_head"], per_head_table),
    (HEADINGS["years"], years_view),
    (HEADINGS["council_tax"], council_tax_view),
    (HEADINGS["regional"], regional_view),
    (HEADINGS["notes"], data_notes),
)


NOTEBOOK = NotebookSpec(
    intro=(
        "Total Place: the public money spent in the place by every body that spends it (councils, police, fire, "
        "combined authorities and the NHS), each body's spending shared by residents; on what, against similar "
        "places and over the years; and how council tax pays for it."
    ),
)
