"""The growth page's tables (diagnostics.sections.growth.tables): one rendering test per view."""

from __future__ import annotations

from diagnostics.render.numbers import format_interval
from diagnostics.sections.growth.tables import growth_headline_table, hot_spots, sectors
from diagnostics.stats import proportion_ci


def test_growth_firms_at_a_glance_show_count_and_rates_with_intervals(firms_dx):
    shown = growth_headline_table(firms_dx).data
    _, lower, upper = proportion_ci(0, 2, multiplier=10_000)
    # Ashcombe in the window ending 2023: none of its 2 firms with 10+ employees grew; 3 active businesses
    assert f"0: 0 {format_interval(lower, upper, '', 0)} per 10,000 10+; 0.0 per 10,000 businesses" in shown
    assert "Ashcombe had 3 active businesses in 2023, 2 of them with 10+ employees." in shown
    assert "Source: synthetic firm register (synthetic); period: growth 2020 to 2023" in shown


def test_the_sectors_table_names_each_section(firms_dx):
    shown = sectors(firms_dx).data
    assert "<td>J Information and communication</td>" in shown
    assert "windows ending 2022 to 2023 pooled" in shown


def test_hot_spots_are_listed_by_neighbourhood_with_the_method(small_dx):
    shown = hot_spots(small_dx).data
    assert "hot and" in shown and "cold small area(s) of" in shown
    assert "<p class='pd-growth-note'>Local Getis-Ord Gi* of growth firms per small area" in shown
