"""Match the names of areas in a table that gives no codes (ONS's deaths tables) to the codes of the
same year, robustly: case, "&" and "and", "‚" (U+201A) for a comma, "St." and "St", hyphens and
spaces ("Southend on Sea", "Southend-on-Sea"), footnote digits, ", City of" and "County of" either
way round, and county or metropolitan-county suffixes ("Somerset County", "Tyne and Wear (Met county)").

A name is matched in two passes: first on a light normal form (case, punctuation, "&", "St."), then,
for what is left, on a loose form without descriptive words ("City of", "County", "(Met county)",
"Borough"), and only where the loose form points to exactly one area. Names two areas share in
the loose form are left unmatched rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["NameMatch", "normal_name", "loose_name", "match_area_names"]

_DESCRIPTIVE = re.compile(
    r"\b(the )?(city of|county of|met(ropolitan)? county|county( council)?|borough( council)?|district( council)?|"
    r"council|unitary authority|ua|royal borough of|london borough of)\b"
)


def normal_name(name: str) -> str:
    """A name in a light normal form: lower case, ASCII, '&' -> 'and', 'St.' -> 'st', no punctuation.

    >>> normal_name("Kingston upon Hull‚ City of"), normal_name("St. Helens"), normal_name("Brighton & Hove")
    ('kingston upon hull city of', 'st helens', 'brighton and hove')
    >>> normal_name("Southend-on-Sea") == normal_name("Southend on Sea")
    True
    """
    text = unicodedata.normalize("NFKD", str(name)).replace("\u201a", ",")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"(?<=[a-z)])\d+\s*$", "", text.strip())  # footnote digits: "ENGLAND AND WALES1"
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\.", "st ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def loose_name(name: str) -> str:
    """:func:`normal_name` without descriptive words ("City of", "County", "(Met county)", "Borough").

    >>> loose_name("Somerset County"), loose_name("Herefordshire, County of"), loose_name("Tyne and Wear (Met county)")
    ('somerset', 'herefordshire', 'tyne and wear')
    """
    text = _DESCRIPTIVE.sub(" ", re.sub(r"^the ", "", normal_name(name)))
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class NameMatch:
    """The outcome of matching names to codes.

    Attributes
    ----------
    codes : dict
        Each matched name -> its code.
    loose : dict
        The names matched only in the loose pass -> the name they were matched to (for the report).
    unmatched : list of str
        Names matched to no code, in the order given.
    ambiguous : dict
        Names whose loose form fits several codes -> those codes.
    combined : dict
        Names of two areas published together ("Cornwall and Isles of Scilly") -> both codes.
    """

    codes: dict[str, str] = field(default_factory=dict)
    loose: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    combined: dict[str, list[str]] = field(default_factory=dict)


def match_area_names(names, candidates: Mapping[str, str]) -> NameMatch:
    """Match area names to the codes of the areas of the same year.

    Parameters
    ----------
    names : iterable of str
        The names to match, as printed.
    candidates : mapping
        Code -> name of every area the names may refer to (districts, counties, regions...).

    Returns
    -------
    NameMatch
        Matched names with their codes, the names matched only loosely, and the names left unmatched
        or ambiguous.

    Examples
    --------
    >>> m = match_area_names(["Bristol‚ City of", "Somerset County", "Nowhere"],
    ...                      {"E06000023": "Bristol, City of", "E10000027": "Somerset", "E07000187": "Mendip"})
    >>> m.codes, m.unmatched
    ({'Bristol‚ City of': 'E06000023', 'Somerset County': 'E10000027'}, ['Nowhere'])
    """
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    for code, name in candidates.items():
        exact.setdefault(normal_name(name), set()).add(code)
        loose.setdefault(loose_name(name), set()).add(code)
    def one(name: str) -> tuple[set[str], bool]:
        found = exact.get(normal_name(name), set())
        if len(found) == 1:
            return found, False
        return (found or loose.get(loose_name(name), set())), True

    out = NameMatch()
    for name in names:
        found, was_loose = one(name)
        if len(found) == 1:
            code = next(iter(found))
            out.codes[name] = code
            if was_loose:
                out.loose[name] = candidates[code]
        elif len(found) > 1:
            out.ambiguous[name] = sorted(found)
        elif pair := _two_areas(name, one):
            out.combined[name] = pair
        else:
            out.unmatched.append(name)
    return out


def _two_areas(name: str, one) -> list[str] | None:
    """Both codes of a name "X and Y" whose two parts each name exactly one area, else None."""
    words = str(name).split()
    for i, word in enumerate(words):
        if word.lower() != "and" or i == 0 or i == len(words) - 1:
            continue
        first, second = one(" ".join(words[:i]))[0], one(" ".join(words[i + 1:]))[0]
        if len(first) == 1 and len(second) == 1 and first != second:
            return [next(iter(first)), next(iter(second))]
    return None
