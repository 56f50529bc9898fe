"""The growth page without a firm register (diagnostics.sections.growth.published): the notice, then
the published high-growth share as a table, a series and a comparison, one rendering test each."""

from __future__ import annotations

from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.growth.notices import needs_register
from diagnostics.sections.growth.published import (
    published_comparators,
    published_headline_table,
    published_over_time,
)
from diagnostics.sections.session import start


def test_the_headline_table_says_once_what_is_missing_then_shows_the_published_share(alpha_dx):
    shown = published_headline_table(alpha_dx, "This store has none.").data
    assert shown.count("Firm-level analysis not available") == 1 and "This store has none." in shown
    assert "High-growth enterprises (% of 10+ employee enterprises)" in shown and "7.5%" in shown
    assert "Source: ONS Business Demography (Explore Local Statistics); period: 2024" in shown
    assert "SYNTHETIC" not in shown


def test_the_published_series_is_drawn_against_region_and_country(alpha_dx):
    shown = published_over_time(alpha_dx).data
    assert "<svg" in shown and 'aria-label="Published High-growth enterprises' in shown


def test_the_published_share_is_compared_with_the_comparators(alpha_dx):
    shown = published_comparators(alpha_dx).data
    assert "<svg" in shown and "and its comparators" in shown


def test_a_place_without_a_published_value_says_so_and_draws_nothing(england_with_growth):
    dx = start("E08000038", england_with_growth, comparators="region")  # Delta: no high-growth share
    assert "No published growth figures for this place" in published_headline_table(dx, "None.").data
    assert published_over_time(dx).data == published_comparators(dx).data == needs_register().data


def test_the_published_charts_carry_the_published_figures_in_a_table_under_them(alpha_dx):
    (series,) = [t for t in shown_tables(published_over_time(alpha_dx).data) if t.of_chart]
    assert [r[0].text for r in series.rows] == ["2022", "2023", "2024"]
    assert [r[1].numbers[0].value for r in series.rows] == [4.0, 5.0, 7.5]  # Alpha's share, as published
    (compared,) = [t for t in shown_tables(published_comparators(alpha_dx).data) if t.of_chart]
    assert compared.rows[0][0].text == alpha_dx.place.name and compared.rows[0][2].numbers[0].value == 7.5
    assert compared.source and compared.period
