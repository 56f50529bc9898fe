"""A diagnostic session: the store, the place and its comparators, resolved once per notebook.

Every notebook's first call is ``dx = start(place, store, comparators)``; the domain modules take
``dx`` and return what the cell shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from diagnostics.cache import cached, per_place, per_store
from diagnostics.compare.benchmark import (
    BENCHMARK_COLUMNS,
    ancestor_of_layer,
    benchmark_table,
    nearest_neighbours,
)
from diagnostics.conventions import plural_label
from diagnostics.exceptions import DiagnosticsError, InvalidParameter, PlaceNotFound
from diagnostics.sources import open_store
from diagnostics.store.places import Place, resolve_place, shown_text
from diagnostics.store.store import Store

__all__ = ["Session", "start", "official_comparators", "custom_comparators", "DEFAULT_PLACE", "DEFAULT_COMPARATORS"]

#: The value of the ``place`` parameter that means "the store's default place".
DEFAULT_PLACE = "default"
#: The value of the ``comparators`` parameter that means ONS's published similar areas where the
#: store holds them for the place (real England), else the statistical nearest neighbours.
DEFAULT_COMPARATORS = "default"


@dataclass
class Session:
    """What every section of a diagnostic needs to know.

    Attributes
    ----------
    store : Store
    place : Place
    comparator_codes : list of str
        The areas the place is compared with.
    comparator_method : str
        How they were chosen, for people ("15 statistical nearest neighbours", ...).
    neighbours : DataFrame
        The nearest-neighbour table when that method was used (else empty).
    """

    store: Store
    place: Place
    comparator_codes: list[str]
    comparator_method: str
    neighbours: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The session's own results (:func:`diagnostics.cache.per_session`).
    results: dict = field(default_factory=dict, repr=False, compare=False)

    def benchmarks(self, indicator_ids) -> pd.DataFrame:
        """:func:`~diagnostics.compare.benchmark.benchmark_table` of these indicators for the place and its
        comparators, each indicator's row computed once however many views (and notebooks, in one
        process) ask for it."""
        rows = cached(per_place(self, "benchmark_rows"), dict)
        ids = list(indicator_ids)
        missing = list(dict.fromkeys(i for i in ids if i not in rows))
        if missing:
            table = benchmark_table(self.store, self.place, missing, self.comparator_codes)
            rows.update({r["indicator_id"]: r for r in table.to_dict("records")})
        return pd.DataFrame.from_records([rows[i] for i in ids], columns=BENCHMARK_COLUMNS)

    @property
    def region_code(self) -> str | None:
        return ancestor_of_layer(self.store, self.place.code, "region")

    @property
    def country_code(self) -> str | None:
        return ancestor_of_layer(self.store, self.place.code, "country")

    def name_of(self, code: str | None) -> str:
        if code is None:
            return "-"
        return self.store.name_of(code)


def official_comparators(store: Store, place: Place, set_name: str = "global", k: int = 15) -> tuple[list[str], str]:
    """ONS's own nearest neighbours of a place (the store's ``comparators`` table), nearest first.

    Neighbours outside the store (Welsh and Scottish authorities) are left out; at most ``k``.

    Raises
    ------
    InvalidParameter
        If the store holds no official list for the place.
    """
    table = store.table("comparators") if store.has_table("comparators") else pd.DataFrame()
    rows = table.loc[(table["area_code"] == place.code) & (table["set_name"] == set_name)] if not table.empty else table
    if rows.empty:
        raise InvalidParameter(
            f"The 'comparators' parameter 'official' needs ONS's similar-areas list, but the store has none "
            f"({set_name}) for {place.label}; use 'nearest' or import ONS's neighbour files."
        )
    known = set(store.areas["code"])
    codes = [c for c in rows.sort_values("rank")["comparator_code"] if c in known][:k]
    return codes, f"ONS's {len(codes)} most similar areas ({set_name})"


def _has_official(store: Store, place: Place, set_name: str = "global") -> bool:
    if not store.has_table("comparators"):
        return False
    table = store.table("comparators")
    return bool(((table["area_code"] == place.code) & (table["set_name"] == set_name)).any())


def _why(store: Store, place: Place, choice: str, by_default: bool, codes: list[str], method: str, k: int) -> str:
    """The comparator method for people, saying why this set (only where ONS's list was an option)."""
    if not _has_official(store, place):
        return method
    ours = cached(per_store(store, "nearest_neighbours", place.code, k, None),
                  lambda: nearest_neighbours(store, place, k=k))
    official, _ = official_comparators(store, place, "global", k)
    shared = len(set(ours["code"]) & set(official))
    if choice == "official" and by_default:
        return (f"{method}, the default where ONS publishes them: ONS's model weighs many more indicators than the "
                f"toolkit's own statistical neighbours (six stand-in variables), which share {shared} of these "
                f"{len(official)} for {place.name} (comparators='nearest' uses them)")
    if choice == "nearest":
        return (f"{method} (the toolkit's own, on stand-in variables, chosen instead of ONS's published similar "
                f"areas, the default on this store; they share {shared} of ONS's {len(official)})")
    return method


def custom_comparators(store: Store, place: Place, items: list[str]) -> list[str]:
    """The codes of a custom comparator list, each an area of the place's layer other than itself.

    Each item is looked up among the areas of the place's layer first (so a name shared by several
    layers means the one that compares), then anywhere, to say what it is.

    Raises
    ------
    InvalidParameter
        Naming every bad item at once: unknown (with close matches), of another layer, or the place
        itself.
    """
    codes: list[str] = []
    problems: list[str] = []
    for item in items:
        try:
            found = resolve_place(item, store, [place.layer])
        except PlaceNotFound:
            try:
                found = resolve_place(item, store)
            except PlaceNotFound as err:
                hint = f" (did you mean {'; '.join(err.suggestions)}?)" if err.suggestions else ""
                problems.append(f"{shown_text(item)!r} is not a place of this store{hint}")
                continue
            except DiagnosticsError as err:
                problems.append(f"{shown_text(item)!r}: {err}")
                continue
        except DiagnosticsError as err:
            problems.append(f"{shown_text(item)!r}: {err}")
            continue
        if found.code == place.code:
            problems.append(f"{shown_text(item)!r} is {place.label} itself, which cannot be its own comparator")
        elif found.layer != place.layer:
            problems.append(
                f"{shown_text(item)!r} is {found.label}, a {found.layer_label.lower()}: comparators must be "
                f"{plural_label(place.layer_label)} like {place.name}"
            )
        elif found.code not in codes:
            codes.append(found.code)
    if problems:
        raise InvalidParameter(
            f"The 'comparators' parameter (--comparators on the command line) must list other areas of the "
            f"place's layer; {len(problems)} of {len(items)} cannot be used: " + "; ".join(problems) + ". "
            "Fix or remove them, or use 'nearest' or 'region'."
        )
    return codes


def start(place: str = DEFAULT_PLACE, store=None, comparators: str | list[str] = DEFAULT_COMPARATORS, k: int = 15) -> Session:
    """Open the store, resolve the place and choose its comparators.

    Parameters
    ----------
    place : str, default "default"
        A code or name (any case); ``"default"`` is the store's default place.
    store : Store or path-like, optional
        Default: the embedded synthetic store (built on first use).
    comparators : str or list of str, default "default"
        ``"default"`` (ONS's own similar-areas list, global model, where the store holds it for the
        place: real England's districts; else the nearest neighbours; the method says which and
        why), ``"nearest"`` (the ``k`` statistical nearest neighbours), ``"official"`` (ONS's own
        similar-areas list when the store holds it; ``"official:economic"`` or
        ``"official:demographic"`` for ONS's other two), ``"region"`` (the other areas of the same
        layer in its region), or a list (or comma-separated string) of codes or names.
    k : int, default 15
        How many nearest neighbours.

    Raises
    ------
    PlaceNotFound
        For an unknown place, with close matches.
    InvalidParameter
        For custom comparators that are unknown, of another layer or the place itself, every one
        named with its reason (:func:`custom_comparators`).

    Notes
    -----
    It reads its arguments only, never the environment: a page served by ``place-diagnostic serve``
    passes the served store and the place of its link explicitly
    (:func:`diagnostics.app.served.served_parameters`, in the notebooks' set-up cell).
    """
    store = open_store(store)
    if place is None or str(place).strip().casefold() == DEFAULT_PLACE:
        place = store.manifest.get("default_place") or store.areas_in_layer("district")["code"].iloc[0]
    place = resolve_place(place, store)
    neighbours = pd.DataFrame()
    by_default = isinstance(comparators, str) and comparators.strip().casefold() == DEFAULT_COMPARATORS
    if by_default:
        comparators = "official" if _has_official(store, place) else "nearest"
    if isinstance(comparators, str) and comparators.strip().casefold() == "nearest":
        # a place alone in its layer (a user's own boundary) is compared with the districts most like it
        alone = len(store.areas_in_layer(place.layer)) < 2 and "district" in store.layers
        layer = "district" if alone else None
        # the same for each notebook of a place: a run or a batch computes it once per place
        neighbours = cached(per_store(store, "nearest_neighbours", place.code, k, layer),
                            lambda: nearest_neighbours(store, place, k=k, layer=layer)).copy()
        codes = list(neighbours["code"])
        method = f"{len(codes)} statistical nearest neighbours"
    elif isinstance(comparators, str) and comparators.strip().casefold() in ("official", "official:global", "official:economic", "official:demographic"):
        codes, method = official_comparators(store, place, comparators.strip().casefold().partition(":")[2] or "global", k)
    elif isinstance(comparators, str) and comparators.strip().casefold() == "region":
        region = ancestor_of_layer(store, place.code, "region")
        peers = store.areas_in_layer(place.layer)
        codes = [c for c in peers["code"] if c != place.code and ancestor_of_layer(store, c, "region") == region]
        method = f"the other {len(codes)} areas of its region"
    else:
        items = comparators.split(",") if isinstance(comparators, str) else list(comparators)
        items = [i for i in (str(x).strip() for x in items) if i]
        if not items:
            raise InvalidParameter(
                "The 'comparators' parameter must be 'nearest', 'region' or a list of places; got an empty list."
            )
        codes = custom_comparators(store, place, items)
        method = f"a custom list of {len(codes)} areas"
    if isinstance(comparators, str) and comparators.strip().casefold() in ("nearest", "official"):
        method = _why(store, place, comparators.strip().casefold(), by_default, codes, method, k)
    return Session(store, place, codes, method, neighbours)
