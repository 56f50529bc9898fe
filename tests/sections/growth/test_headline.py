"""Growth firms as benchmark rows (diagnostics.sections.growth.headline): the headline measures from
a firm register, the published share without one, and what is said when there is neither."""

from __future__ import annotations

import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.sections.growth.headline import HEADLINE_MEASURES, headline, published_growth, published_shown
from diagnostics.sections.session import start


def test_the_headline_rates_of_a_hand_made_register(firms_dx):
    head = headline(firms_dx).set_index("indicator_id")
    assert list(head.index) == [m.indicator_id for m in HEADLINE_MEASURES]
    row = head.loc["high_growth_rate"]
    # Ashcombe in the window ending 2023: no high-growth firm among its 2 firms with 10+ employees
    assert (row["status"], row["value"], row["period"]) == ("ok", 0.0, "growth 2020 to 2023")
    assert row["country_value"] == pytest.approx(10_000 / 3)  # C, of the country's 3 firms with 10+
    assert row["source"] == "synthetic firm register (synthetic)"
    assert head.loc["scaleup_rate", "unit"] == "per 10,000 businesses"


def test_the_headline_of_the_small_country_is_ranked_among_every_area_of_its_layer(small_dx):
    head = headline(small_dx)
    assert list(head.columns) == list(BENCHMARK_COLUMNS)
    row = head.set_index("indicator_id").loc["high_growth_rate"]
    assert row["status"] == "ok" and row["lower_ci"] <= row["value"] <= row["upper_ci"]
    assert row["n_ranked"] == len(small_dx.store.areas_in_layer(small_dx.place.layer))


def test_without_a_register_or_published_figures_each_row_says_so(tiny_store):
    head = headline(start("default", tiny_store, comparators="region"))
    assert list(head.columns) == list(BENCHMARK_COLUMNS)
    assert (head["status"] == "not available: the store has no firm register").all()
    assert head["indicator_id"].tolist() == ["high_growth_rate", "scaleup_rate"]


def test_without_a_register_the_headline_is_the_published_high_growth_share(alpha_dx):
    head = headline(alpha_dx)
    assert list(head.columns) == list(BENCHMARK_COLUMNS)
    row = head.set_index("indicator_id").loc["high_growth_share"]
    assert row["status"] == "ok" and row["period"] == "2024"
    assert row["value"] == pytest.approx(7.5)
    assert (row["region_value"], row["country_value"]) == (pytest.approx(4.6), pytest.approx(5.0))
    assert row["comparators_median"] == pytest.approx(6.5)  # Beta 4.0, Gamma 9.0
    assert (row["rank"], row["n_ranked"]) == (2, 3)  # Gamma 9.0 > Alpha 7.5 > Beta 4.0; Delta has none
    assert row["vs_country"] == "not compared"  # published without an interval
    assert row["source"] == "ONS Business Demography (Explore Local Statistics)"


def test_a_place_without_a_published_value_has_a_row_that_says_so(england_with_growth):
    dx = start("E08000038", england_with_growth, comparators="region")  # Delta: no high-growth share
    assert headline(dx).iloc[0]["status"] == "not available for this place in the store"
    assert len(published_growth(dx)) == 1 and published_shown(dx).empty
