"""The section's results for a session's place: computed once per place, shared by the views and the summary."""

from __future__ import annotations

import pandas as pd

from diagnostics.sections.health import deprivation, headline, place_results
from diagnostics.sections.health.inequality import InequalitySummary
from diagnostics.sections.session import start


def test_each_result_is_computed_once_per_place(gradient_session):
    for result_of in (place_results.headline_table_of, place_results.inequality_of,
                      place_results.deprivation_profile_of, place_results.similar_places_of,
                      place_results.health_areas_of, place_results.small_area_ratios_of):
        assert result_of(gradient_session) is result_of(gradient_session), result_of.__name__


def test_results_are_the_analysis_of_the_session_s_place_and_comparators(gradient_store):
    dx = start("D1", gradient_store, comparators=["D2", "D3"])
    pd.testing.assert_frame_equal(place_results.headline_table_of(dx),
                                  headline.health_headline(gradient_store, "D1", ["D2", "D3"]))
    pd.testing.assert_frame_equal(place_results.deprivation_profile_of(dx),
                                  deprivation.deprivation_profile(gradient_store, "D1"))
    summary = place_results.inequality_of(dx)
    assert isinstance(summary, InequalitySummary) and summary.available
    # the comparators' gaps: D2 and D3 are too small for deciles, so theirs are unknown
    assert summary.comparator_gaps["area_code"].unique().tolist() == ["D2", "D3"]
    assert summary.comparator_gaps["gap"].isna().all()


def test_region_and_country_names(gradient_session, gradient_store):
    assert place_results.region_name(gradient_session) == "Only Region"
    assert place_results.country_name(gradient_session, "the country") == "Gradland"
    country = start("C1", gradient_store, comparators="region")
    assert place_results.region_name(country) is None
