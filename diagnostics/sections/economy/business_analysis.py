"""The economy of one place from business counts, computed once per session: the results the page
shows where the store has no jobs by industry (real England: ONS publishes business counts by district,
not BRES jobs, in the files given).

- :func:`business_comparison`: the place's and its country's business counts, or why they cannot be
  compared (:class:`BusinessComparison`);
- :func:`uses_business_counts`: whether the industry views show business counts (no jobs by industry,
  but business counts);
- :func:`place_business_structure`, :func:`place_size_profile` and :func:`place_business_shift_share`:
  location quotients by broad industry group, the size profile against region, country and comparators,
  and the shift-share of local units between two snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from diagnostics.cache import cached, per_place, per_session
from diagnostics.conventions import BROAD_INDUSTRY_GROUPS
from diagnostics.sections.economy.analysis import ShiftShare, industry_comparison
from diagnostics.sections.economy.business_structure import business_location_quotients, industry_counts, size_profile
from diagnostics.sections.economy.businesses import PlaceBusinesses, place_businesses
from diagnostics.sections.economy.shift_share import shift_share
from diagnostics.sections.economy.years import check_years, common_years, year_parameters, year_span
from diagnostics.sections.session import Session

__all__ = [
    "BusinessComparison",
    "business_comparison",
    "uses_business_counts",
    "place_business_structure",
    "place_size_profile",
    "place_business_shift_share",
]


@dataclass(frozen=True)
class BusinessComparison:
    """The place's and its country's business counts, or why they cannot be compared.

    Attributes
    ----------
    place : PlaceBusinesses
    nation : PlaceBusinesses or None
    problem : str
        Why not, for people ('' when they can be compared).
    """

    place: PlaceBusinesses
    nation: PlaceBusinesses | None
    problem: str

    @property
    def years(self) -> list[int]:
        """The March snapshots both hold, in order (empty with a problem)."""
        if self.problem or self.nation is None:
            return []
        return common_years(self.place.table, self.nation.table)

    @property
    def latest_year(self) -> int:
        return self.years[-1]

    @property
    def computed(self) -> str:
        """The "Computed:" line of every figure drawn from them: inputs and their vintage."""
        return (f"Computed: counts of businesses (not jobs) from {self.place.source}, March {', '.join(map(str, self.years))} "
                f"snapshots ({self.place.vintage.split(';')[-1].strip() if self.place.vintage else ''}); "
                f"{self.place.method}; rounded to 5 by ONS")


def business_comparison(dx: Session) -> BusinessComparison:
    """The place's and its country's business counts, once per place."""

    def compute() -> BusinessComparison:
        own = place_businesses(dx.store, dx.place)
        if not own.available:
            return BusinessComparison(own, None, f"No business counts for {dx.place.name}: {own.reason}")
        if dx.country_code is None:
            return BusinessComparison(own, None, f"{dx.place.name} is the whole country: there is no national benchmark "
                                                 "for its location quotients.")
        nation = place_businesses(dx.store, dx.country_code)
        if not nation.available:
            return BusinessComparison(own, nation, f"No business counts for {dx.name_of(dx.country_code)}: {nation.reason}")
        if not common_years(own.table, nation.table):
            return BusinessComparison(own, nation, f"The business counts of {dx.place.name} ({year_span(own.years)}) and "
                                                   f"of {dx.name_of(dx.country_code)} ({year_span(nation.years)}) share no year.")
        return BusinessComparison(own, nation, "")

    return cached(per_place(dx, "economy.businesses"), compute)


def uses_business_counts(dx: Session) -> bool:
    """Whether the industry views show business counts: the store has no jobs by industry for the
    place, but business counts it can compare with the country."""
    return bool(industry_comparison(dx).problem) and not business_comparison(dx).problem


def place_business_structure(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.economy.business_structure.business_location_quotients` of the place
    against its country in the latest snapshot both hold (only when :func:`business_comparison` has no problem)."""
    b = business_comparison(dx)
    return cached(per_session(dx, "economy.business_structure"),
                  lambda: business_location_quotients(b.place.table, b.nation.table, b.latest_year))


def place_size_profile(dx: Session, unit: str = "enterprises") -> pd.DataFrame:
    """The size profile of the place's businesses against its region, country and comparators.

    Returns
    -------
    DataFrame
        One row per area: area (name), role ("place", "region", "country", "comparators"), then the %
        of businesses in each size class and ``total``; the comparators' row is the median of their
        shares (``total`` is their number of districts with counts). The latest snapshot both the
        place and its country hold.
    """
    b = business_comparison(dx)

    def compute() -> pd.DataFrame:
        year = b.latest_year
        rows = [{"area": dx.place.name, "role": "place", **size_profile(b.place.table, year, unit)}]
        if dx.region_code:
            region = place_businesses(dx.store, dx.region_code)
            if region.available and year in region.years:
                rows.append({"area": dx.name_of(dx.region_code), "role": "region", **size_profile(region.table, year, unit)})
        rows.append({"area": dx.name_of(dx.country_code), "role": "country", **size_profile(b.nation.table, year, unit)})
        profiles = [size_profile(p.table, year, unit) for p in (place_businesses(dx.store, c) for c in dx.comparator_codes)
                    if p.available and year in p.years]
        if profiles:
            median = pd.DataFrame(profiles).median()
            rows.append({"area": f"Comparators' median ({len(profiles)})", "role": "comparators", **median,
                         "total": float(len(profiles))})
        return pd.DataFrame(rows)

    return cached(per_session(dx, f"economy.size_profile.{unit}"), compute)


def place_business_shift_share(dx: Session, start_year=None, end_year=None) -> ShiftShare:
    """The shift-share of the place's local units between two March snapshots (default the first and
    last both hold), by broad industry group, against its country.

    Raises
    ------
    InvalidParameter
        For a ``start_year`` or ``end_year`` that is not a year, or one the counts do not hold.
    """
    year_parameters(start_year, end_year)
    b = business_comparison(dx)
    if b.problem:
        return ShiftShare(None, b.problem)
    if len(b.years) < 2:
        return ShiftShare(None, f"A shift-share compares two snapshots, and the business counts hold only {b.years[0]}.")
    own, nation = industry_counts(b.place.table), industry_counts(b.nation.table)
    start, end = check_years(own, nation, start_year, end_year)
    return ShiftShare(cached(per_session(dx, f"economy.business_shift_share.{start}.{end}"), lambda: shift_share(
        own, nation, start, end, sectors=BROAD_INDUSTRY_GROUPS, key="group", column="count")))
