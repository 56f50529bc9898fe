"""The header of every section's page: the place, where it sits, its population and its comparators.

Every notebook's set-up cell shows it first, so it also carries the page's one stylesheet
(:func:`diagnostics.render.style.style_block`).
"""

from __future__ import annotations

import html

from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.render.style import style_block
from diagnostics.sections.session import Session

__all__ = ["place_header"]


def place_header(dx: Session):
    """The place's name, layer, where it sits, its population and how it is compared."""
    parents = [dx.name_of(code) for code in dx.store.ancestors(dx.place.code)]
    population = dx.store.indicator_values("population_total", [dx.place.code])
    pop_text = ""
    if not population.empty:
        latest = population.sort_values("year").iloc[-1]
        pop_text = f"Population {latest['value']:,.0f} ({latest['period']}, {latest['source']}). "
    where = " › ".join(parents) if parents else ""
    return as_html(
        style_block()
        + synthetic_banner(dx)
        + f"<h2 class='pd-place-title'>{html.escape(dx.place.name)}</h2>"
        + f"<p class='pd-place-line'>{html.escape(dx.place.layer_label)} {html.escape(dx.place.code)}"
        + (f" in {html.escape(where)}" if where else "")
        + f". {html.escape(pop_text)}Compared with {html.escape(dx.comparator_method)}.</p>"
    )
