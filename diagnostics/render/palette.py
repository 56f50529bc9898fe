"""The house colours, shared by charts, tables and maps.

Safe for colour vision deficiency: the Okabe-Ito palette, and comparisons coloured blue (better)
against vermillion (worse), never red against green; every coloured mark is also labelled in words.
"""

from __future__ import annotations

__all__ = ["OKABE_ITO", "COMPARISON_COLOURS", "COMPARISON_TEXT_COLOURS"]

#: Okabe & Ito (2008) "Color Universal Design" palette.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

#: Colour of each label of :func:`diagnostics.stats.compare_to_benchmark`.
COMPARISON_COLOURS = {
    "better": OKABE_ITO["blue"],
    "worse": OKABE_ITO["vermillion"],
    "similar": "#b0b0b0",
    "higher": OKABE_ITO["sky_blue"],
    "lower": OKABE_ITO["reddish_purple"],
    "not compared": "#ffffff",
}
#: Text colour readable on each comparison colour.
COMPARISON_TEXT_COLOURS = {"better": "#ffffff", "worse": "#ffffff", "lower": "#000000"}
