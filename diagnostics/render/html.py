"""Pieces every section's views share: HTML output, the synthetic label and notices.

A *view* is a function ``view(dx) -> displayable`` that one notebook cell calls and the app shows in a
tab. Views never raise for missing data: they return :func:`notice` with the reason instead.
"""

from __future__ import annotations

import html as _html_escape

__all__ = ["as_html", "synthetic_banner", "notice", "source_line", "interval_note"]


def as_html(markup: str):
    """Wrap markup for display in a notebook (``IPython.display.HTML``)."""
    from IPython.display import HTML

    return HTML(markup)


def synthetic_banner(dx) -> str:
    """The synthetic-data label every page built from the synthetic country carries ('' otherwise)."""
    if not dx.store.is_synthetic:
        return ""
    return (
        '<div class="pd-synthetic">SYNTHETIC DATA: an invented country for '
        "demonstration and testing. No figure on this page describes a real place.</div>"
    )


def notice(message: str, *, title: str = "Not available") -> object:
    """A short, visible note in place of a view that the data cannot support, saying why.

    Parameters
    ----------
    message : str
        What is missing and, where there is one, what the user can do about it.
    title : str
        A few words shown in bold before the message.
    """
    return as_html(
        '<div class="pd-notice" role="note">'
        f"<strong>{_html_escape.escape(title)}:</strong> {_html_escape.escape(message)}</div>"
    )


def source_line(source: str, period: str | None = None) -> str:
    """The 'Source: ...; period: ...' line under a table or chart (HTML, escaped)."""
    text = f"Source: {source}" + (f"; period: {period}" if period else "")
    return f'<p class="pd-source">{_html_escape.escape(text)}</p>'


def interval_note(store) -> str:
    """One sentence (text, not HTML) saying where the store's confidence intervals come from.

    The synthetic store's indicators are computed from counts, with Wilson and Byar intervals; a
    real store's are ready-made figures whose publishers' own 95% intervals are kept as published
    (the catalogue's ``method`` says "Ready-made:" or "Computed:"). Every section's data notes use
    this wording, so they never disagree.
    """
    if store.is_synthetic:
        return ("Intervals are 95% confidence intervals: Wilson score for proportions, Byar's method (exact "
                "Poisson below 10 events) for rates, as in OHID Fingertips and PHEindicatormethods.")
    return ("Intervals are the publishers' own 95% intervals for ready-made indicators, kept as published; figures "
            "published without one have none, and are not marked better or worse than the country. Figures computed at "
            "import (population totals and shares, the deprivation profile) summarise whole populations and carry "
            "no sampling interval.")
