"""Health: the section's results for a session's place, each computed once per place.

The views (and the summary's deprivation cards) ask for a place's results here, so a result two
views show (the headline table, the inequality summary) or another section shows (the deprivation
profile) is computed once per place and store version (:func:`diagnostics.cache.per_place`).
Whole-layer results (every district's life expectancy, the funnel plots' data) are cached once
per store version by the analysis itself. Light on purpose: nothing here loads a chart library.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.sections.health.analysis import health_area_comparison, similar_places
from diagnostics.sections.health.deprivation import deprivation_profile
from diagnostics.sections.health.headline import health_headline
from diagnostics.sections.health.inequality import (
    InequalitySummary,
    inequality_summary,
    small_area_mortality_ratio,
)
from diagnostics.sections.session import Session

__all__ = [
    "headline_table_of",
    "inequality_of",
    "deprivation_profile_of",
    "similar_places_of",
    "health_areas_of",
    "small_area_ratios_of",
    "region_name",
    "country_name",
]


def headline_table_of(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.health.headline.health_headline` of the session's place and comparators."""
    return cached(per_place(dx, "health.headline"),
                  lambda: health_headline(dx.store, dx.place, dx.comparator_codes))


def inequality_of(dx: Session) -> InequalitySummary:
    """:func:`~diagnostics.sections.health.inequality.inequality_summary` of the session's place."""
    return cached(per_place(dx, "health.inequality"),
                  lambda: inequality_summary(dx.store, dx.place, dx.comparator_codes))


def deprivation_profile_of(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.health.deprivation.deprivation_profile` of the session's place
    (the health section's view and the summary's deprivation cards show the same one)."""
    return cached(per_place(dx, "health.deprivation"), lambda: deprivation_profile(dx.store, dx.place))


def similar_places_of(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.health.analysis.similar_places` of the session's place and comparators."""
    return cached(per_place(dx, "health.similar"), lambda: similar_places(dx.store, dx.place, dx.comparator_codes))


def health_areas_of(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.health.analysis.health_area_comparison` of the session's place."""
    return cached(per_place(dx, "health.areas"), lambda: health_area_comparison(dx.store, dx.place))


def small_area_ratios_of(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.health.inequality.small_area_mortality_ratio` of the session's place."""
    return cached(per_place(dx, "health.smr"), lambda: small_area_mortality_ratio(dx.store, dx.place))


def region_name(dx: Session) -> str | None:
    """The name of the place's region, or None for a place in no region."""
    return dx.name_of(dx.region_code) if dx.region_code else None


def country_name(dx: Session, otherwise: str) -> str:
    """The name of the place's country, or ``otherwise`` when the store gives it none."""
    return dx.name_of(dx.country_code) if dx.country_code else otherwise
