"""The economy of one place, computed once per session: the typed results the page's views render.

- :func:`headline`: the headline measures against region, country and comparators (a benchmark table
  of :func:`diagnostics.sections.economy.indicators.economy_indicator_ids`);
- :func:`industry_comparison`: the place's and its country's industry figures, or why they cannot be
  compared (:class:`IndustryComparison`);
- :func:`place_structure`, :func:`place_shift_share` (:class:`ShiftShare`) and
  :func:`place_productivity_gap` (:class:`ProductivityGap`): the industry analyses of
  :mod:`~diagnostics.sections.economy.structure`, :mod:`~diagnostics.sections.economy.shift_share` and
  :mod:`~diagnostics.sections.economy.productivity_gap` for the place against its country.

A result the data cannot support carries the reason (``problem``) for the page to show; bad notebook
parameters (``start_year``, ``end_year``) raise :class:`~diagnostics.exceptions.InvalidParameter`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from diagnostics.cache import cached, per_place, per_session
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.indicators import economy_indicator_ids
from diagnostics.sections.economy.industry import PlaceIndustry, place_industry
from diagnostics.sections.economy.productivity_gap import productivity_gap
from diagnostics.sections.economy.shift_share import shift_share
from diagnostics.sections.economy.structure import industrial_structure
from diagnostics.sections.economy.years import check_years, common_years, year_parameters, year_span
from diagnostics.sections.session import Session

__all__ = [
    "IndustryComparison",
    "ShiftShare",
    "ProductivityGap",
    "headline",
    "available_headline",
    "industry_comparison",
    "place_structure",
    "place_shift_share",
    "place_productivity_gap",
]


# -- the headline measures -------------------------------------------------------------------------
def headline(dx: Session) -> pd.DataFrame:
    """The economy's headline measures against region, country and comparators (a benchmark table)."""
    return dx.benchmarks(economy_indicator_ids(dx.store))


def available_headline(dx: Session) -> pd.DataFrame:
    """The rows of :func:`headline` that have a value for the place (``status == "ok"``)."""
    table = headline(dx)
    return table.loc[table["status"] == "ok"]


# -- industry figures: the place against its country -----------------------------------------------
@dataclass(frozen=True)
class IndustryComparison:
    """The place's and its country's industry figures, or why they cannot be compared.

    Attributes
    ----------
    place : PlaceIndustry
        The place's figures (``available`` False, with its reason, when there are none).
    nation : PlaceIndustry or None
        The country's figures; None when the place is the country (or lies in none) or has none itself.
    problem : str
        Why the place cannot be compared with its country, for people; '' when it can.
    source : str
        The industry rows' source and vintage (the store's where the rows name none), for source lines.
    """

    place: PlaceIndustry
    nation: PlaceIndustry | None
    problem: str
    source: str

    @property
    def years(self) -> list[int]:
        """The years both the place's and the country's figures hold, in order (empty with a problem)."""
        if self.nation is None or not self.nation.available or not self.place.available:
            return []
        return common_years(self.place.table, self.nation.table)

    @property
    def latest_year(self) -> int:
        """The last year both hold (only when there is no ``problem``)."""
        return self.years[-1]


def industry_comparison(dx: Session) -> IndustryComparison:
    """The place's and its country's industry figures, once per place."""

    def compute() -> IndustryComparison:
        own = place_industry(dx.store, dx.place)
        source = f"{own.source or dx.store.source} (vintage {own.vintage or dx.store.vintage})"
        if not own.available:
            return IndustryComparison(own, None, f"No industry figures for {dx.place.name}: {own.reason}", source)
        country = dx.country_code
        if country is None:
            return IndustryComparison(own, None, (
                f"{dx.place.name} is the whole country (or lies in none), so there is no national "
                "benchmark: every location quotient would be 1 and a shift-share against itself has no "
                "local effect. Run the diagnostic for a district or a region to compare it with the country."
            ), source)
        nation = place_industry(dx.store, country)
        if not nation.available:
            return IndustryComparison(own, nation, f"No industry figures for {dx.name_of(country)}: {nation.reason}", source)
        if not common_years(own.table, nation.table):
            return IndustryComparison(own, nation, (
                f"The industry figures of {dx.place.name} ({year_span(own.years)}) and of "
                f"{dx.name_of(country)} ({year_span(nation.years)}) share no year."
            ), source)
        return IndustryComparison(own, nation, "", source)

    return cached(per_place(dx, "economy.industry"), compute)


def place_structure(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.economy.structure.industrial_structure` of the place in the latest
    common year (only when :func:`industry_comparison` has no problem)."""
    industry = industry_comparison(dx)
    return cached(
        per_session(dx, "economy.structure"),
        lambda: industrial_structure(industry.place.table, industry.nation.table, industry.latest_year),
    )


@dataclass(frozen=True)
class ShiftShare:
    """The place's shift-share against its country, or why there is none.

    Attributes
    ----------
    table : DataFrame or None
        :func:`~diagnostics.sections.economy.shift_share.shift_share`'s table (sectors, then a Total row).
    problem : str
        Why there is no table ('' when there is one): the industry comparison's problem, or too few years.
    """

    table: pd.DataFrame | None
    problem: str = ""


def place_shift_share(dx: Session, start_year=None, end_year=None) -> ShiftShare:
    """The place's shift-share between two years (default: the first and last both hold).

    Raises
    ------
    InvalidParameter
        For a ``start_year`` or ``end_year`` that is not a year, or one the industry figures do not
        hold (the message lists the years there are): see
        :func:`~diagnostics.sections.economy.years.check_years`.
    """
    year_parameters(start_year, end_year)
    industry = industry_comparison(dx)
    if industry.problem:
        return ShiftShare(None, industry.problem)
    years = industry.years
    if len(years) < 2 and start_year is None and end_year is None:
        return ShiftShare(None, (
            f"A shift-share compares two years, and the industry figures of {dx.place.name} and "
            f"{dx.name_of(dx.country_code)} share only {years[0]} (some areas lack other years; see About the data)."
        ))
    own, nation = industry.place.table, industry.nation.table
    start, end = check_years(own, nation, start_year, end_year)
    return ShiftShare(cached(per_session(dx, f"economy.shift_share.{start}.{end}"), lambda: shift_share(own, nation, start, end)))


@dataclass(frozen=True)
class ProductivityGap:
    """The place's productivity gap to its country, or why there is none.

    Attributes
    ----------
    table : DataFrame or None
        :func:`~diagnostics.sections.economy.productivity_gap.productivity_gap`'s table (sectors, then a
        Total row).
    problem : str
        Why there is no table ('' when there is one): the industry comparison's problem, or no year
        with GVA for every section.
    """

    table: pd.DataFrame | None
    problem: str = ""


def place_productivity_gap(dx: Session) -> ProductivityGap:
    """The place's productivity gap in the latest year with GVA for every section, once per place."""
    industry = industry_comparison(dx)
    if industry.problem:
        return ProductivityGap(None, industry.problem)

    def compute() -> ProductivityGap:
        local, national = industry.place.table, industry.nation.table
        if local["gva"].isna().all() or national["gva"].isna().all():
            return ProductivityGap(None, (
                f"the store's jobs by industry ({industry.source}) carry no gross value added, and the gap is GVA "
                "per job. Add GVA by industry for the place and the country to the store's industry table (its gva "
                "column, £ million): ONS's 'Regional gross value added (balanced) by industry: local authorities by "
                "ITL1 region' gives it for every district."))
        try:
            return ProductivityGap(productivity_gap(local, national))
        except InvalidParameter as err:
            return ProductivityGap(None, str(err))

    return cached(per_place(dx, "economy.productivity"), compute)
