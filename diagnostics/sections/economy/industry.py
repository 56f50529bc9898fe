"""A place's employment and GVA by industry: read for a district, summed for a place of whole districts.

Industry figures are published for one layer (districts). A place of that layer is read directly;
a place made of whole districts (a county, a region, the country, a health area that follows district
boundaries) is the sum of its districts; any other place (a ward, a travel-to-work area that cuts
across districts) has no industry figures, and :func:`place_industry` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.conventions import layer_label
from diagnostics.store.places import Place, resolve_place

__all__ = ["PlaceIndustry", "place_industry", "whole_members", "rows_of_complete_years"]

_INDUSTRY_COLUMNS = ["year", "sic_section", "employment", "gva"]


@dataclass(frozen=True)
class PlaceIndustry:
    """A place's employment and GVA by SIC section and year, or why there are none.

    Attributes
    ----------
    code : str
        The place's code.
    available : bool
        Whether the store can give industry figures for the place.
    reason : str
        When not available: what is missing and what the user can do. Empty otherwise.
    method : str
        How the figures were obtained ("published for the district", "sum of its 5 districts").
    members : tuple of str
        The areas of the industry table whose rows were summed.
    table : DataFrame
        Columns year (int), sic_section (A-U), employment (jobs), gva (£ million; NaN where any
        member lacks it); one row per year and section present. Empty when not available.
    incomplete_years : tuple of int
        Years left out because some member area has no rows for them.
    source, vintage : str
        Of the industry rows used.
    """

    code: str
    available: bool
    reason: str = ""
    method: str = ""
    members: tuple[str, ...] = ()
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_INDUSTRY_COLUMNS))
    incomplete_years: tuple[int, ...] = ()
    source: str = ""
    vintage: str = ""

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["year"].unique())


@dataclass(frozen=True)
class _Links:
    """One layer's lookup rows, with the row positions of each area and of each small area."""

    table: pd.DataFrame
    by_area: dict
    by_small_area: dict


def _layer_links(store, layer: str) -> _Links | None:
    """The lookups of one layer, indexed once per store (None when the store has none for it)."""

    def compute() -> _Links | None:
        lookups = store.lookups
        table = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]].reset_index(drop=True)
        if table.empty:
            return None
        return _Links(table, table.groupby("area_code").indices, table.groupby("small_area_code").indices)

    return cached(per_store(store, "economy.layer_links", layer), compute)


def _industry_index(store) -> tuple[dict, str, str]:
    """The industry table's rows by area (positions), and its sources and vintages, once per store."""

    def compute() -> tuple[dict, str, str]:
        industry = store.industry
        return (
            industry.groupby("area_code").indices,
            ", ".join(sorted(set(industry["source"].astype(str)))),
            ", ".join(sorted(set(industry["vintage"].astype(str)))),
        )

    return cached(per_store(store, "economy.industry_index"), compute)


def _rows(links: _Links, index: dict, keys) -> pd.DataFrame:
    positions = [index[k] for k in keys if k in index]
    return links.table.iloc[np.concatenate(positions)] if positions else links.table.iloc[:0]


def whole_members(store, place: Place, industry_codes, layer: str) -> tuple[list[str], str]:
    """The areas of ``layer`` that exactly make up the place, or ``([], reason)`` when they do not.

    ``industry_codes`` are the codes a table has rows for (used when the store has no lookups for
    the layers); the reason is a clause for people ("Leeds City Region does not follow district
    boundaries: ...").
    """
    own_links, parts = _layer_links(store, place.layer), _layer_links(store, layer)
    if own_links is not None and parts is not None:
        own = _rows(own_links, own_links.by_area, [place.code])
        touched = _rows(parts, parts.by_small_area, own["small_area_code"].unique())["area_code"].unique()
        touched_small = _rows(parts, parts.by_area, touched)["small_area_code"].unique()
        weight = own.groupby("small_area_code")["weight"].sum().reindex(touched_small).fillna(0.0)
        outside = weight.index[weight < 1 - 1e-9]
        partial = sorted(set(_rows(parts, parts.by_small_area, outside)["area_code"]) & set(touched))
        if len(touched) and not partial:
            return sorted(touched), ""
        if not len(touched):
            return [], f"the store's lookups place no small area in {place.name}"
        names = ", ".join(store.name_of(c) for c in partial[:4]) + (" ..." if len(partial) > 4 else "")
        return [], (
            f"{place.name} does not follow {layer_label(layer).lower()} boundaries: it covers {len(touched)} "
            f"{layer_label(layer).lower()}(s), {len(partial)} of them only in part ({names})"
        )
    nested = [c for c in industry_codes if store.layer_of(c) == layer and place.code in store.ancestors(c)]
    if nested:
        return sorted(nested), ""
    return [], f"the store does not say which {layer_label(layer).lower()}s make up {place.name}"


def rows_of_complete_years(table: pd.DataFrame, by_area: dict, members: Sequence[str]) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """The members' rows of a table by area and year, in the years every member has rows for.

    Parameters
    ----------
    table : DataFrame
        With ``area_code`` and ``year``.
    by_area : dict
        The table's row positions by area code (``table.groupby("area_code").indices``).
    members : sequence of str
        The areas whose rows are summed into a place's.

    Returns
    -------
    (DataFrame, tuple of int)
        The rows, and the years left out because some member has no rows for them (a sum over
        some of a place's members would understate it).
    """
    positions = [by_area[m] for m in set(members) if m in by_area]
    rows = table.iloc[np.concatenate(positions)] if positions else table.iloc[:0]
    present = rows.groupby("year")["area_code"].nunique()
    complete = present.index[present == len(set(members))]
    incomplete = tuple(sorted(int(y) for y in set(present.index) - set(complete)))
    return rows.loc[rows["year"].isin(complete)], incomplete


def _sum_members(store, members: Sequence[str]) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """Sum the members' industry rows by year and section, keeping only years every member has."""
    rows, incomplete = rows_of_complete_years(store.industry, _industry_index(store)[0], members)
    grouped = rows.groupby(["year", "sic_section"], as_index=False).agg(
        employment=("employment", "sum"), gva=("gva", "sum"), gva_n=("gva", "count"), n=("area_code", "size")
    )
    grouped.loc[grouped["gva_n"] < grouped["n"], "gva"] = np.nan
    grouped["year"] = grouped["year"].astype(int)
    return grouped[_INDUSTRY_COLUMNS].sort_values(["year", "sic_section"]).reset_index(drop=True), incomplete


def place_industry(store, place: str | Place) -> PlaceIndustry:
    """The place's employment and GVA by SIC section and year, from the store's ``industry`` table.

    Parameters
    ----------
    store : Store
    place : str or Place

    Returns
    -------
    PlaceIndustry
        ``available`` False, with the ``reason`` for people, when the store has no industry table,
        the table has no rows for any area of the place, or the place is not made of whole areas of
        the table's layer (industry figures are never apportioned: a share of a district's jobs by
        population would invent an industrial structure).

    Notes
    -----
    A place is *made of whole districts* when every small area of every district it touches lies
    entirely in the place (lookup weight 1); without lookups for its layer, when districts name it as
    an ancestor. A year is used only when every member district has rows for it; the years left out
    are listed in ``incomplete_years``. A section missing from a member's rows counts as no jobs.
    """
    place = resolve_place(place, store)
    if not store.has_table("industry"):
        return PlaceIndustry(
            place.code, False,
            "the store has no industry table (employment and GVA by SIC section). Build or import a "
            "store with one (for England: BRES employment and ONS regional GVA by industry) to see "
            "the industrial structure, shift-share and productivity gap.",
        )
    industry = store.industry
    if industry.empty:
        return PlaceIndustry(place.code, False, "the store's industry table has no rows.")
    by_area, source, vintage = _industry_index(store)
    codes = set(by_area)
    if place.code in codes:
        table, incomplete = _sum_members(store, [place.code])
        return PlaceIndustry(
            place.code, True, method=f"published for the {layer_label(place.layer).lower()}", members=(place.code,),
            table=table, incomplete_years=incomplete, source=source, vintage=vintage,
        )
    present = {store.layer_of(c) for c in codes}
    layers = [layer for layer in store.layers if layer in present]  # finest first
    if not layers:
        return PlaceIndustry(place.code, False, "the industry table's area codes are not areas of the store.")
    layer = layers[0]
    members, why = whole_members(store, place, codes, layer)
    if not members:
        return PlaceIndustry(
            place.code, False,
            f"industry figures are published for {layer_label(layer).lower()}s, and {why}. They are not "
            f"apportioned; run the diagnostic for a {layer_label(layer).lower()} or for a place made of whole "
            f"{layer_label(layer).lower()}s.",
        )
    missing = sorted(set(members) - codes)
    if missing:
        names = ", ".join(store.name_of(c) for c in missing[:4]) + (" ..." if len(missing) > 4 else "")
        return PlaceIndustry(
            place.code, False,
            f"{place.name} is made of {len(members)} {layer_label(layer).lower()}s, but the industry table has no "
            f"rows for {len(missing)} of them ({names}); add their rows to the store.",
        )
    table, incomplete = _sum_members(store, members)
    if table.empty:
        return PlaceIndustry(
            place.code, False,
            f"no year has industry rows for all {len(members)} {layer_label(layer).lower()}s of {place.name}.",
            members=tuple(members), incomplete_years=incomplete,
        )
    return PlaceIndustry(
        place.code, True, method=f"the sum of its {len(members)} {layer_label(layer).lower()}s", members=tuple(members),
        table=table, incomplete_years=incomplete, source=source, vintage=vintage,
    )
