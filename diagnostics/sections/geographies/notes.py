"""Pieces every view of the geographies page shares: the notice when overlaps cannot be worked out, the
note saying what they count, and the source line."""

from __future__ import annotations

from diagnostics.render.html import notice, source_line
from diagnostics.sections.geographies.analysis import geography_analysis
from diagnostics.sections.geographies.narrative import Counting
from diagnostics.sections.session import Session

__all__ = ["overlaps_unavailable", "basis_note", "geography_source"]


def overlaps_unavailable(dx: Session, problem: str):
    """The notice shown in place of a view of the overlaps, saying why they cannot be worked out."""
    return notice(
        f"The overlaps of {dx.place.name} cannot be worked out: {problem}. A store needs small-area "
        "populations and the lookups from small areas to each layer (see data/README.md).",
        title="Overlaps not available",
    )


def basis_note(counted: Counting) -> str:
    """A paragraph (HTML) saying the overlaps count small areas, not residents ('' when they count residents)."""
    if counted.by_residents:
        return ""
    return ("<p class='pd-basis'><strong>Counted in small areas, not residents:</strong> "
            "the store has no small-area populations, so each small area (LSOA, built to hold 1,000 to 3,000 people) "
            "counts once. Shares are shares of small areas; import the ONS small-area population estimates "
            "(or rebuild the store with a population table, see data/README.md) to weight them by residents.</p>")


def geography_source(dx: Session, what: str) -> str:
    """The source line (HTML): the store's source and vintage, ``what`` was used, and the residents' year."""
    year = geography_analysis(dx).population_year
    return source_line(f"{dx.store.source} ({dx.store.vintage}): {what}", f"residents {year}" if year else None)
