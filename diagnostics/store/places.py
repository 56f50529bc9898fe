"""Places: resolve what a user typed (a code or a name, any case) to one area of the store.

An unknown place raises :class:`~diagnostics.exceptions.PlaceNotFound` carrying the three closest
matches, so every entry point (CLI, notebooks, app, batch) can say "did you mean ...".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter, PlaceNotFound
from diagnostics.store.store import as_store

__all__ = ["Place", "resolve_place", "list_places", "suggest_places", "LAYER_PREFERENCE"]

#: When a name is shared by areas of several layers, the first layer here wins.
LAYER_PREFERENCE: tuple[str, ...] = (
    "district",
    "county",
    "region",
    "health_area",
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


def _layer_rank(layer: str) -> int:
    return LAYER_PREFERENCE.index(layer) if layer in LAYER_PREFERENCE else len(LAYER_PREFERENCE)


def resolve_place(query: str, store, layers: list[str] | tuple[str, ...] | None = None) -> Place:
    """Resolve a code or a name (case-insensitive) to a :class:`Place`.

    Parameters
    ----------
    query : str
        An area code or name as the user typed it; surrounding spaces are ignored.
    store : Store or path-like
        The store to look in (or its folder).
    layers : sequence of str, optional
        Only consider these layers.

    Returns
    -------
    Place
        A code match first; else a name match, the most preferred layer winning
        (:data:`LAYER_PREFERENCE`).

    Raises
    ------
    PlaceNotFound
        If nothing matches; carries up to three close matches.
    InvalidParameter
        If ``query`` is empty, or a name matches several areas of the same layer (the message lists them).
    """
    if isinstance(query, Place):
        return query
    if not isinstance(query, str) or not query.strip():
        raise InvalidParameter(f"The 'place' parameter must be a non-empty code or name; got {query!r}.")
    store = as_store(store)
    code = query.strip()
    for candidate in (code, code.upper()):  # a code as stored (area codes are upper case): no scan
        layer = store.layer_of(candidate)
        if layer is not None and (not layers or layer in layers):
            return Place(candidate, str(store.name_of(candidate)), str(layer))
    areas = store.areas
    if layers:
        areas = areas.loc[areas["layer"].isin(list(layers))]
    wanted = query.strip().casefold()
    by_code = areas.loc[areas["code"].str.casefold() == wanted]
    if not by_code.empty:
        row = by_code.iloc[0]
        return Place(str(row["code"]), str(row["name"]), str(row["layer"]))
    by_name = areas.loc[areas["name"].str.casefold() == wanted]
    if by_name.empty:
        raise PlaceNotFound(query.strip(), suggest_places(query, store, n=3, layers=layers))
    ranked = by_name.assign(_rank=by_name["layer"].map(_layer_rank)).sort_values(["_rank", "code"])
    best = ranked.loc[ranked["_rank"] == ranked["_rank"].iloc[0]]
    if len(best) > 1:
        options = "; ".join(f"{n} ({c})" for n, c in zip(best["name"], best["code"]))
        raise InvalidParameter(
            f"The place {query.strip()!r} names {len(best)} areas of layer {best['layer'].iloc[0]!r}: "
            f"{options}. Give the code instead."
        )
    row = best.iloc[0]
    return Place(str(row["code"]), str(row["name"]), str(row["layer"]))


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
