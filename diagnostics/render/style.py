"""The one stylesheet of every view, and how a page gets it.

``stylesheet.css`` (beside this module) holds every rule the views' HTML uses; the comparison
badges' colours are added from :mod:`diagnostics.render.palette` so they are written once. A page
carries the stylesheet once: the place's header (the first cell of every notebook) and the app's
frame include :func:`style_block`; the report keeps the notebooks' header cells. Views use classes,
never ``<style>`` blocks of their own; an inline ``style=`` only carries a colour that is data
(a map legend's swatch).
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files

from diagnostics.render.palette import COMPARISON_COLOURS, COMPARISON_TEXT_COLOURS

__all__ = ["stylesheet", "style_block", "badge_class"]


def badge_class(label: str) -> str:
    """The CSS class of a comparison label's badge (``"not compared"`` -> ``pd-badge-not-compared``)."""
    return "pd-badge-" + re.sub(r"[^a-z0-9]+", "-", str(label).lower()).strip("-")


@functools.lru_cache(maxsize=1)  # a file of the installed package: read once per process
def stylesheet() -> str:
    """The stylesheet's text: ``stylesheet.css`` and one rule per comparison label's colours."""
    css = files("diagnostics.render").joinpath("stylesheet.css").read_text(encoding="utf-8")
    badges = "".join(
        f".{badge_class(label)}{{background:{colour};color:{COMPARISON_TEXT_COLOURS.get(label, '#000000')}}}\n"
        for label, colour in COMPARISON_COLOURS.items()
    )
    return css + "\n/* Comparison badges (diagnostics.render.palette) */\n" + badges


def style_block() -> str:
    """The stylesheet as one ``<style>`` element, for the top of a page."""
    return f"<style>\n{stylesheet()}</style>\n"
