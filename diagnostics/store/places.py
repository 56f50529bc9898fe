"""Places: resolve what a user typed (a code or a name, any case) to one area of the store.

An unknown place raises :class:`~diagnostics.exceptions.PlaceNotFound` carrying the three closest
matches, so every entry point (CLI, notebooks, app, batch) can say "did you mean ...".

A name shared by areas of several layers ("Greater Manchester": a combined authority, a police force
area and an economic partnership) resolves to the most preferred layer (:data:`LAYER_PREFERENCE`);
:func:`match_place` also returns the other areas so named (and longer names beginning with the one
typed, as "King's Lynn and West Norfolk" for "King's Lynn"), and :attr:`PlaceMatch.notice` says
which place and layer was chosen and how to pick another. A typographic apostrophe matches a plain
one. A code the store records as replaced (``replaced_codes`` in its manifest: ONS's code changes,
written by the England import) resolves to its successor when only the code changed, and is refused
naming the successor when the area was merged into another.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter, PlaceNotFound, PlaceReplaced
from diagnostics.store.store import as_store

__all__ = ["Place", "PlaceMatch", "match_place", "resolve_place", "list_places", "suggest_places", "LAYER_PREFERENCE"]

#: When a name is shared by areas of several layers, the first layer here wins.
LAYER_PREFERENCE: tuple[str, ...] = (
    "district",
    "county",
    "region",
    "combined_authority",
    "health_area",
    "sub_icb",
    "nhs_region",
    "police_force",
    "ttwa",
    "economic_partnership",
    "university_catchment",
    "country",
    "ward",
    "neighbourhood",
    "small_area",
)


@dataclass(frozen=True)
class Place:
    """One area of the store that a diagnostic is run for.

    Attributes
    ----------
    code : str
        The area's code (e.g. ``E08000003`` or a synthetic code).
    name : str
        Its name.
    layer : str
        Its layer (``district``, ``health_area``...).
    """

    code: str
    name: str
    layer: str

    @property
    def layer_label(self) -> str:
        """The layer's name for people ("District", "Health area (ICB)")."""
        return layer_label(self.layer)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def slug(self) -> str:
        """A file-name-safe identifier: the code."""
        return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in self.code)


#: The longest part of what a user typed that a message repeats.
SHOWN_CHARACTERS = 60
#: How many other areas a notice names at most.
NOTICE_OTHERS = 5


@dataclass(frozen=True)
class PlaceMatch:
    """A place resolved from what a user typed, with the other areas the words could have meant.

    Attributes
    ----------
    place : Place
        The place chosen.
    query : str
        What the user typed (surrounding spaces removed).
    others : tuple of Place
        Other areas of the same name (in other layers), most preferred layer first.
    longer : tuple of Place
        Areas of a more preferred layer than ``place``'s whose name begins with the words typed
        ("King's Lynn and West Norfolk", a district, for the travel-to-work area "King's Lynn").
    replaced : str or None
        The code typed when it was replaced by ``place``'s (a renamed code), else None.
    """

    place: Place
    query: str
    others: tuple[Place, ...] = ()
    longer: tuple[Place, ...] = ()
    replaced: str | None = None

    @property
    def notice(self) -> str | None:
        """One or two sentences for people saying which place and layer was chosen and how to pick
        another on the command line (None when the words can only mean one area)."""
        return self.notice_with(
            f"Pick another with its code or the layer (--layer {self.others[0].layer})." if self.others else "")

    @property
    def page_notice(self) -> str | None:
        """:attr:`notice` for a web page (the app): another place is picked by its code in the link."""
        return self.notice_with(
            f"To see another, open it by its code (?place={self.others[0].code})." if self.others else "")

    def notice_with(self, how_to_pick: str) -> str | None:
        """The notice, ``how_to_pick`` the sentence saying how to choose one of the others."""
        chosen = _described(self.place)
        if self.replaced:
            return f"{self.replaced} is an old code: using its successor {chosen}."
        sentences = []
        if self.others:
            sentences.append(
                f"{shown_text(self.query)!r} matched several places: using {chosen}. Also: {_listed(self.others)}. "
                + how_to_pick
            )
        if self.longer:
            if not sentences:
                sentences.append(f"{shown_text(self.query)!r} is {chosen}.")
            sentences.append(f"Did you mean {_listed(self.longer)}? Give its code or full name.")
        return " ".join(sentences) or None


def _described(place: Place) -> str:
    return f"{place.label}, {place.layer_label.lower()}"


def _listed(places: tuple[Place, ...]) -> str:
    shown = places[:NOTICE_OTHERS]
    more = f" and {len(places) - len(shown)} more" if len(places) > len(shown) else ""
    return "; ".join(_described(p) for p in shown) + more


def shown_text(text: str) -> str:
    """What a user typed as a message repeats it: cut to :data:`SHOWN_CHARACTERS` with an ellipsis."""
    text = str(text)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _normalised(text: str) -> str:
    """Case-folded, typographic apostrophes as plain ones, runs of spaces as one."""
    return " ".join(str(text).translate(_APOSTROPHES).split()).casefold()


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _layer_rank(layer: str) -> int:
    return LAYER_PREFERENCE.index(layer) if layer in LAYER_PREFERENCE else len(LAYER_PREFERENCE)


def _places(rows: pd.DataFrame) -> list[Place]:
    ranked = rows.assign(_rank=rows["layer"].map(_layer_rank)).sort_values(["_rank", "name", "code"])
    return [Place(str(c), str(n), str(layer)) for c, n, layer in zip(ranked["code"], ranked["name"], ranked["layer"])]


def resolve_place(query: str, store, layers: list[str] | tuple[str, ...] | None = None) -> Place:
    """Resolve a code or a name (case-insensitive) to a :class:`Place`.

    Parameters
    ----------
    query : str
        An area code or name as the user typed it; surrounding spaces are ignored and a typographic
        apostrophe matches a plain one.
    store : Store or path-like
        The store to look in (or its folder).
    layers : sequence of str, optional
        Only consider these layers.

    Returns
    -------
    Place
        As :func:`match_place` (which also says what else the words could have meant).

    Raises
    ------
    PlaceNotFound
        If nothing matches; carries up to three close matches.
    PlaceReplaced
        For the code (or name) of an area merged into another; names the successor.
    InvalidParameter
        If ``query`` is empty, or a name matches several areas of the same layer (the message lists them).
    """
    if isinstance(query, Place):
        return query
    return match_place(query, store, layers).place


def match_place(query: str, store, layers: list[str] | tuple[str, ...] | None = None) -> PlaceMatch:
    """Resolve a code or a name to a place, with the other areas it could have meant.

    Parameters
    ----------
    query, store, layers
        As :func:`resolve_place`.

    Returns
    -------
    PlaceMatch
        A code match first (a replaced code's successor when only the code changed); else a name
        match, the most preferred layer winning (:data:`LAYER_PREFERENCE`), with the other areas of
        that name and those whose name begins with it in :attr:`PlaceMatch.others`.

    Raises
    ------
    As :func:`resolve_place`.
    """
    if isinstance(query, Place):
        return PlaceMatch(query, query.code)
    if not isinstance(query, str) or not query.strip():
        raise InvalidParameter(f"The 'place' parameter must be a non-empty code or name; got {query!r}.")
    store = as_store(store)
    typed = query.strip()
    for candidate in (typed, typed.upper()):  # a code as stored (area codes are upper case): no scan
        layer = store.layer_of(candidate)
        if layer is not None and (not layers or layer in layers):
            return PlaceMatch(Place(candidate, str(store.name_of(candidate)), str(layer)), typed)
    areas = store.areas
    if layers:
        areas = areas.loc[areas["layer"].isin(list(layers))]
    wanted = _normalised(typed)
    by_code = areas.loc[areas["code"].str.casefold() == wanted]
    if not by_code.empty:
        row = by_code.iloc[0]
        return PlaceMatch(Place(str(row["code"]), str(row["name"]), str(row["layer"])), typed)
    names = areas["name"].map(_normalised)
    by_name = areas.loc[names == wanted]
    if by_name.empty:
        replaced = _replaced(typed, store, layers)
        if replaced is not None:
            return replaced
        raise PlaceNotFound(shown_text(typed), suggest_places(typed, store, n=3, layers=layers))
    ranked = by_name.assign(_rank=by_name["layer"].map(_layer_rank)).sort_values(["_rank", "code"])
    best = ranked.loc[ranked["_rank"] == ranked["_rank"].iloc[0]]
    if len(best) > 1:
        options = "; ".join(f"{n} ({c})" for n, c in zip(best["name"], best["code"]))
        raise InvalidParameter(
            f"The place {shown_text(typed)!r} names {len(best)} areas of layer {best['layer'].iloc[0]!r}: "
            f"{options}. Give the code instead."
        )
    row = best.iloc[0]
    place = Place(str(row["code"]), str(row["name"]), str(row["layer"]))
    begins = areas.loc[names.str.startswith(wanted + " ") & (areas["layer"].map(_layer_rank) < _layer_rank(place.layer))]
    return PlaceMatch(place, typed, tuple(_places(ranked.iloc[1:])), tuple(_places(begins)))


def _replaced(typed: str, store, layers) -> PlaceMatch | None:
    """The successor of a replaced code (or of an abolished area's name), from the store's manifest."""
    changes = store.manifest.get("replaced_codes") or {}
    wanted = _normalised(typed)
    old = typed.upper() if typed.upper() in changes else next(
        (code for code, change in changes.items() if _normalised(change.get("name", "")) == wanted), None
    )
    if old is None:
        return None
    change = changes[old]
    successor = str(change["code"])
    layer = store.layer_of(successor)
    if layer is None or (layers and layer not in layers):
        return None
    place = Place(successor, str(store.name_of(successor)), str(layer))
    if change.get("how") == "new_code":
        return PlaceMatch(place, typed, replaced=old)
    raise PlaceReplaced(shown_text(typed), f"{change.get('name') or old} ({old})", place.label, str(change.get("year", "")))


def suggest_places(query: str, store, n: int = 3, layers=None) -> list[str]:
    """Up to ``n`` close matches for a mistyped place, as ``"Name (CODE)"``, best first.

    Names and codes of every layer are compared with :func:`difflib.get_close_matches`; among equally
    close matches the preferred layer (:data:`LAYER_PREFERENCE`) comes first.
    """
    store = as_store(store)
    areas = store.areas
    if layers:
        areas = areas.loc[areas["layer"].isin(list(layers))]
    wanted = str(query).strip().casefold()
    areas = areas.sort_values("layer", key=lambda s: s.map(_layer_rank), kind="stable")
    keys: dict[str, tuple[str, str]] = {}
    for name, code in zip(areas["name"], areas["code"]):
        keys.setdefault(name.casefold(), (name, code))
        keys.setdefault(code.casefold(), (name, code))
    labels: list[str] = []
    for match in difflib.get_close_matches(wanted, list(keys), n=n * 3, cutoff=0.5):
        name, code = keys[match]
        label = f"{name} ({code})"
        if label not in labels:
            labels.append(label)
    return labels[:n]


def list_places(store, layer: str | None = None, search: str | None = None) -> pd.DataFrame:
    """The places of a store, optionally of one layer and matching a search text.

    Parameters
    ----------
    store : Store or path-like
    layer : str, optional
        Only this layer; an unknown layer raises :class:`InvalidParameter` listing the store's layers.
    search : str, optional
        Case-insensitive text found in the name or the code.

    Returns
    -------
    DataFrame
        Columns code, name, layer, parent_code; sorted by layer preference then name.
    """
    store = as_store(store)
    areas = store.areas
    if layer is not None:
        if layer not in set(areas["layer"]):
            raise InvalidParameter(
                f"The 'layer' parameter must be one of the store's layers {store.layers}; got {layer!r}."
            )
        areas = areas.loc[areas["layer"] == layer]
    if search:
        text = search.strip().casefold()
        areas = areas.loc[
            areas["name"].str.casefold().str.contains(text, regex=False)
            | areas["code"].str.casefold().str.contains(text, regex=False)
        ]
    ordered = areas.assign(_rank=areas["layer"].map(_layer_rank)).sort_values(["_rank", "name"])
    return ordered[["code", "name", "layer", "parent_code"]].reset_index(drop=True)
