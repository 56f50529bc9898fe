"""The notices the economy page shows in place of a view the data cannot support, saying why."""

from __future__ import annotations

from diagnostics.render.html import notice
from diagnostics.sections.economy.analysis import industry_comparison
from diagnostics.sections.session import Session

__all__ = ["missing_industry", "missing_headline"]


def missing_industry(dx: Session) -> object | None:
    """The notice to show in place of an industry view, or None when the views can be drawn."""
    problem = industry_comparison(dx).problem
    return notice(problem, title="Industry figures not available") if problem else None


def missing_headline(dx: Session) -> object:
    """The notice shown when the store has none of the headline measures for the place."""
    return notice(
        f"The store has none of the economy's headline indicators for {dx.place.name} "
        f"({dx.place.layer_label}). They are published for districts, counties, regions and "
        "the country; run the diagnostic for one of those.",
        title="Headline economy not available",
    )
