"""A finding: one or two plain sentences about the place, tied to the views that show their figures.

Every section's narrative returns findings; its page lists them, each with the headings of the
views on the page whose figures back it, so a reader can check every number.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """One finding and where its evidence is.

    Attributes
    ----------
    text : str
        The sentence or sentences (plain text).
    views : tuple of str
        Headings of the page's views whose figures show the evidence (a heading may carry a word on
        which part of the view: "Headline health (recent trend)"); empty for a finding about what
        could not be done.
    """

    text: str
    views: tuple[str, ...] = ()

    @property
    def evidence(self) -> str:
        """The views' headings as one line, "; "-separated."""
        return "; ".join(self.views)
