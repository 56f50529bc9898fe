"""The growth page's charts (diagnostics.sections.growth.charts): one rendering test per view."""

from __future__ import annotations

from diagnostics.sections.growth.charts import comparators_chart, observed_expected_chart, rates_over_time


def test_rates_over_time_are_drawn(small_dx):
    shown = rates_over_time(small_dx).data
    assert "<svg" in shown and f'aria-label="High-growth rate of {small_dx.place.name} by year' in shown


def test_the_place_is_compared_with_its_comparators(small_dx):
    shown = comparators_chart(small_dx).data
    assert "<svg" in shown and f'aria-label="High-growth rate of {small_dx.place.name} and its comparators"' in shown


def test_observed_and_expected_are_drawn_or_the_missing_model_is_explained(small_dx, firms_dx):
    assert "<svg" in observed_expected_chart(small_dx).data
    assert "too few firm-windows to fit the growth model" in observed_expected_chart(firms_dx).data
