"""Invented English-sounding place names and ONS-like codes for the synthetic country.

Codes follow the ONS pattern (a letter, a two-digit entity code, six digits) with the prefix ``Z``,
which ONS does not use, so a synthetic code can never be mistaken for a real one:

============================  ========  ====================================
layer                         prefix    real counterpart
============================  ========  ====================================
small_area                    Z01       LSOA (E01)
neighbourhood                 Z02       MSOA (E02)
ward                          Z05       electoral ward (E05)
district                      Z07       local authority district (E06-E09)
county                        Z10       county / combined authority (E10, E47)
region                        Z12       region (E12)
country                       Z92       country (E92)
health_area                   Z54       integrated care board (E54)
police_force                  Z23       police force area (E23)
ttwa                          Z30       travel-to-work area (E30)
economic_partnership          Z37       local enterprise partnership (E37)
university_catchment          Z60       (none)
============================  ========  ====================================
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["COUNTRY_NAME", "LAYER_PREFIXES", "codes", "unique_names", "compass_name"]

#: The invented country's name.
COUNTRY_NAME = "Mercland"

LAYER_PREFIXES = {
    "small_area": "Z01",
    "neighbourhood": "Z02",
    "ward": "Z05",
    "district": "Z07",
    "county": "Z10",
    "region": "Z12",
    "country": "Z92",
    "health_area": "Z54",
    "police_force": "Z23",
    "ttwa": "Z30",
    "economic_partnership": "Z37",
    "university_catchment": "Z60",
}

_STEMS = (
    "Ash", "Brack", "Cal", "Dun", "Elm", "Fern", "Glen", "Hart", "Ivy", "Kings", "Lang", "Marl",
    "Nor", "Oak", "Pen", "Rad", "Sand", "Thorn", "Up", "Wes", "Whit", "Wood", "Bram", "Ched", "Cran",
    "Eld", "Fox", "Gold", "Hol", "Lyn", "Mil", "New", "Red", "Stan", "Ware", "Wick", "Bur", "Chil",
    "Dray", "Ever", "Hazel", "Kel", "Mor", "Pil", "Rook", "Shel", "Tad", "Wal", "Yar", "Ather",
    "Bex", "Coln", "Dor", "Fal", "Gras", "Hen", "Lud", "Mal", "Nut", "Ord",
)
_ENDINGS = (
    "combe", "ley", "ton", "ford", "ham", "bury", "field", "wick", "worth", "stead", "don",
    "ridge", "mouth", "bridge", "by", "thorpe", "hurst", "well", "gate", "moor", "dale", "minster",
    "borough", "cester", "hithe", "stow", "mere", "wood",
)
_QUALIFIERS = (
    "", " Vale", " Heath", " Green", " Park", " Hill", " Common", " Marsh", " Downs", " Cross",
    " End", " Magna", " Parva", " on Sea", " St Mary", " St Peter", " Abbey", " Castle", " Fields",
    " Moor",
)


def codes(layer: str, n: int) -> np.ndarray:
    """ONS-like codes ``<prefix><6 digits>`` numbered from 1 for one layer."""
    prefix = LAYER_PREFIXES[layer]
    return np.array([f"{prefix}{i:06d}" for i in range(1, n + 1)], dtype=object)


def unique_names(n: int, rng: np.random.Generator, qualified: bool = True) -> list[str]:
    """``n`` distinct invented place names (``Ashcombe``, ``Brackley Vale``...).

    Plain names come first (in random order); qualified ones (``Marlford Heath``) only when more
    are needed than the plain stock of about 1 700.
    """
    plain = [s + e for s, e in itertools.product(_STEMS, _ENDINGS)]
    order = rng.permutation(len(plain))
    names = [plain[i] for i in order]
    if n > len(names) and qualified:
        extra = [p + q for q in _QUALIFIERS[1:] for p in names]
        names += [extra[i] for i in rng.permutation(len(extra))]
    if n > len(names):
        names += [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(len(names), n)]
    return names[:n]


def compass_name(dx: float, dy: float) -> str:
    """The compass point (``North West``...) of an offset from the country's centre, or ``Central``."""
    if np.hypot(dx, dy) < 1e-9:
        return "Central"
    angle = (np.degrees(np.arctan2(dy, dx)) + 360) % 360
    points = ("East", "North East", "North", "North West", "West", "South West", "South", "South East")
    return points[int(((angle + 22.5) % 360) // 45)]
