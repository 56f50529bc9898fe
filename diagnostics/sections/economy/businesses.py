"""A place's business counts (enterprises and local units by industry group, size and turnover band):
read for a district, summed for a place of whole districts.

Counts of businesses, not jobs: a local unit is a workplace (a shop, an office, a factory), an
enterprise the business that owns one or more of them. The store's ``business_counts`` table holds
them by district; a place made of whole districts sums its districts (counts add up, unlike rates);
any other place has none, and :func:`place_businesses` says why. Industry structure, size profile
and shift-share of these counts are :mod:`~diagnostics.sections.economy.business_structure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.conventions import layer_label
from diagnostics.sections.economy.industry import rows_of_complete_years, whole_members
from diagnostics.store.places import Place, resolve_place

__all__ = ["BUSINESS_COLUMNS", "PlaceBusinesses", "place_businesses"]

#: The columns of :attr:`PlaceBusinesses.table`.
BUSINESS_COLUMNS = ["year", "unit", "breakdown", "category", "count"]


@dataclass(frozen=True)
class PlaceBusinesses:
    """A place's business counts by year, unit, breakdown and category, or why there are none.

    Attributes
    ----------
    code : str
    available : bool
    reason : str
        When not available: what is missing and what the user can do ('' otherwise).
    method : str
        "published for the district", "the sum of its 10 districts".
    members : tuple of str
        The districts summed.
    table : DataFrame
        :data:`BUSINESS_COLUMNS`: year (March snapshot), unit ("enterprises", "local_units"),
        breakdown ("industry", "employment_size", "turnover_size"), category, count (businesses).
    incomplete_years : tuple of int
        Years left out because some member district has no rows for them.
    source, vintage : str
    """

    code: str
    available: bool
    reason: str = ""
    method: str = ""
    members: tuple[str, ...] = ()
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BUSINESS_COLUMNS))
    incomplete_years: tuple[int, ...] = ()
    source: str = ""
    vintage: str = ""

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["year"].unique())

    def counts(self, year: int, unit: str, breakdown: str) -> pd.Series:
        """One year's counts of one unit by the categories of one breakdown (category -> count)."""
        t = self.table
        rows = t.loc[(t["year"] == year) & (t["unit"] == unit) & (t["breakdown"] == breakdown)]
        return rows.set_index("category")["count"].astype(float)


def _index(store) -> tuple[dict, str, str]:
    """The table's row positions by area, and its sources and vintages, once per store."""

    def compute():
        table = store.table("business_counts")
        return (table.groupby("area_code").indices, "; ".join(sorted(set(table["source"].astype(str)))),
                "; ".join(sorted(set(table["vintage"].astype(str)))))

    return cached(per_store(store, "economy.business_index"), compute)


def _sum_members(store, members) -> tuple[pd.DataFrame, tuple[int, ...]]:
    rows, incomplete = rows_of_complete_years(store.table("business_counts"), _index(store)[0], members)
    summed = rows.groupby(BUSINESS_COLUMNS[:-1], as_index=False)["count"].sum()
    summed["year"] = summed["year"].astype(int)
    return summed[BUSINESS_COLUMNS], incomplete


def place_businesses(store, place: str | Place) -> PlaceBusinesses:
    """The place's business counts from the store's ``business_counts`` table.

    Parameters
    ----------
    store : Store
    place : str or Place

    Returns
    -------
    PlaceBusinesses
        ``available`` False, with the ``reason`` for people, when the store has no business counts,
        none for the place's areas, or the place is not made of whole districts (counts are never
        apportioned by population: that would invent businesses).

    Notes
    -----
    A year is used only when every member district has rows for it (``incomplete_years`` lists the
    others); membership is :func:`~diagnostics.sections.economy.industry.whole_members`'s.
    """
    place = resolve_place(place, store)
    if not store.has_table("business_counts") or store.table("business_counts").empty:
        return PlaceBusinesses(place.code, False, (
            "the store has no business counts (enterprises and local units by industry and size). Import ONS's "
            "'UK business: activity, size and location' workbooks with 'place-diagnostic data import'."))
    index, source, vintage = _index(store)
    if place.code in index:
        table, incomplete = _sum_members(store, [place.code])
        return PlaceBusinesses(place.code, True, method=f"published for the {layer_label(place.layer).lower()}",
                               members=(place.code,), table=table, incomplete_years=incomplete, source=source, vintage=vintage)
    layers = [layer for layer in store.layers if layer in {store.layer_of(c) for c in index}]
    if not layers:
        return PlaceBusinesses(place.code, False, "the business counts' area codes are not areas of the store.")
    layer = layers[0]
    members, why = whole_members(store, place, set(index), layer)
    if not members:
        return PlaceBusinesses(place.code, False, (
            f"business counts are published for {layer_label(layer).lower()}s, and {why}. They are not apportioned; "
            f"run the diagnostic for a place made of whole {layer_label(layer).lower()}s."))
    missing = sorted(set(members) - set(index))
    if missing:
        names = ", ".join(store.name_of(c) for c in missing[:4]) + (" ..." if len(missing) > 4 else "")
        return PlaceBusinesses(place.code, False, (
            f"{place.name} is made of {len(members)} {layer_label(layer).lower()}s, but the business counts have no rows "
            f"for {len(missing)} of them ({names})."))
    table, incomplete = _sum_members(store, members)
    if table.empty:
        return PlaceBusinesses(place.code, False, f"no year has business counts for all the districts of {place.name}.",
                               members=tuple(members), incomplete_years=incomplete)
    return PlaceBusinesses(place.code, True, method=f"the sum of its {len(members)} {layer_label(layer).lower()}s",
                           members=tuple(members), table=table, incomplete_years=incomplete, source=source, vintage=vintage)
