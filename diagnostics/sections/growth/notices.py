"""What the growth page shows in place of a view the data cannot support, saying why.

A store without a firm register shows one notice at the top of the section (:func:`register_notice`)
and a one-line pointer to it under each firm-level view (:func:`needs_register`); :func:`guarded`
wraps each firm-level view so it runs only when the register can support it.
"""

from __future__ import annotations

import functools

from diagnostics.exceptions import DiagnosticsError
from diagnostics.render.html import as_html, notice
from diagnostics.sections.growth.analysis import growth_page, register_problem
from diagnostics.sections.session import Session

__all__ = ["register_notice", "needs_register", "unavailable", "guarded"]


def register_notice(reason: str):
    """The one notice that the firm-level analysis needs a firm register: what one is and how to add it.

    Parameters
    ----------
    reason : str
        Why this store's register cannot be used, and how to add one
        (:func:`~diagnostics.sections.growth.analysis.register_problem`).
    """
    return notice(
        "This section's firm-level analysis (growth firms, gazelles and scale-ups counted from firms' own "
        "employment and turnover, their sectors, map and hot spots, the growth model and what holds firms back) "
        "needs a firm register: one row per firm (id, SIC 2007 section, year founded, small area, location) and "
        "one row per firm and year (employees, turnover). " + reason,
        title="Firm-level analysis not available",
    )


def needs_register():
    """A one-line pointer, under a heading of the firm-level analysis, to the notice at the top."""
    return as_html(
        "<p class='pd-notice pd-needs-register' role='note'>"
        "<em>Needs a firm register: see 'High-growth firms at a glance' at the top of this section.</em></p>"
    )


def unavailable(problem: DiagnosticsError):
    """The notice in place of a view whose data is too thin (too few years, areas or firms)."""
    return notice(str(problem), title="Not available")


def guarded(view=None, *, needs_a_window: bool = True):
    """Run a firm-level view only when the store has a firm register it can use.

    Without a register the view is replaced by :func:`needs_register`'s pointer to the single notice
    at the top of the section; with a register too short for one growth window (unless
    ``needs_a_window`` is False: the data-quality table has something to say anyway) by a notice
    saying how many years are needed; a :class:`~diagnostics.exceptions.DiagnosticsError` on the way
    (too little data) by :func:`unavailable`. Use as ``@guarded`` or ``@guarded(needs_a_window=False)``.
    """
    if view is None:
        return functools.partial(guarded, needs_a_window=needs_a_window)

    @functools.wraps(view)
    def wrapper(dx: Session, *args, **kwargs):
        if register_problem(dx):
            return needs_register()
        try:
            page = growth_page(dx)
            if page.latest is None and needs_a_window:
                years, window = page.register.years, page.definition.window
                span = f"{years[0]} to {years[-1]}" if years else "no year"
                return notice(
                    f"The firm register covers {span}: a growth window of {window} years needs "
                    f"at least {window + 1} years of records. Add earlier years to the register, "
                    "or choose a shorter window.", title="Too few years")
            return view(dx, *args, **kwargs)
        except DiagnosticsError as err:  # too little data for this view (too few years, areas...)
            return unavailable(err)

    return wrapper
