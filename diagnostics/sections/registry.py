"""The registry of the diagnostic's sections: one place that the notebooks, the report, the app
and the batch index all read, so a section that lands later appears everywhere without rework.

Each section names its notebook and the module holding its *views*. A views module provides

``VIEWS``
    An ordered sequence of ``(heading, view)`` pairs; ``view(dx)`` returns what one notebook cell
    shows (see :mod:`diagnostics.render.html`). The section's notebook calls the same functions, one per
    cell, under the same headings; the app shows them all in the section's tab.
``headline(dx)`` (optional)
    The section's headline measures as a benchmark table (the columns of
    :data:`diagnostics.compare.benchmark.BENCHMARK_COLUMNS`), for the summary's cards and its strengths and
    challenges.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType

from diagnostics.resources import notebooks_dir

__all__ = ["Section", "SECTIONS", "available_sections", "section"]


@dataclass(frozen=True)
class Section:
    """One section of the diagnostic.

    Attributes
    ----------
    key : str
        Short identifier, used in links (``#economy``) and parameters.
    title : str
        The tab and heading shown to people.
    notebook : str
        File name of its notebook in ``notebooks/``.
    module : str
        Dotted name of its views module.
    """

    key: str
    title: str
    notebook: str
    module: str

    @property
    def is_available(self) -> bool:
        """Whether this installation has both the section's notebook and its views module."""
        return (notebooks_dir() / self.notebook).is_file() and importlib.util.find_spec(self.module) is not None

    def views_module(self) -> ModuleType:
        return importlib.import_module(self.module)

    @property
    def views(self) -> tuple:
        """The section's ``(heading, view)`` pairs in page order."""
        return tuple(getattr(self.views_module(), "VIEWS", ()))

    def headline(self, dx):
        """The section's headline benchmark table, or ``None`` when it offers none."""
        function = getattr(self.views_module(), "headline", None)
        return function(dx) if function is not None else None


#: Every section, in the order of the report and the app's tabs.
SECTIONS: tuple[Section, ...] = (
    Section("summary", "Summary", "00_summary.ipynb", "diagnostics.sections.summary.page"),
    Section("economy", "Economy", "10_economy.ipynb", "diagnostics.sections.economy.page"),
    Section("growth", "Growth firms", "20_growth_firms.ipynb", "diagnostics.sections.growth.page"),
    Section("geographies", "Geographies", "30_geographies.ipynb", "diagnostics.sections.geographies.page"),
    Section("health", "Health", "40_health.ipynb", "diagnostics.sections.health.page"),
    Section("public_money", "Public money", "50_public_money.ipynb", "diagnostics.sections.public_money.page"),
)


def available_sections() -> list[Section]:
    """The sections this installation can show, in order."""
    return [s for s in SECTIONS if s.is_available]


def section(key: str) -> Section:
    """The section with this key (``KeyError`` naming the known keys otherwise)."""
    for s in SECTIONS:
        if s.key == key:
            return s
    raise KeyError(f"No section {key!r}; known sections: {', '.join(s.key for s in SECTIONS)}")
