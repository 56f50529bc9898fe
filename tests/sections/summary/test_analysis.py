"""What the summary shows, chosen from what the store holds (diagnostics.sections.summary.analysis)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import england_files as ef

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS, benchmark_table
from diagnostics.sections.session import start
from diagnostics.sections.summary import analysis


def test_on_the_synthetic_store_the_headline_and_cards_are_the_documented_lists(store):
    assert analysis.headline_indicator_ids(store) == analysis.HEADLINE_INDICATORS
    assert analysis.card_indicator_ids(store) == analysis.CARD_INDICATORS


def test_the_headline_table_is_the_same_as_its_own_benchmark_table(store):
    dx = start("default", store)
    table = analysis.headline_benchmarks(dx)
    expected = benchmark_table(store, dx.place, analysis.HEADLINE_INDICATORS, dx.comparator_codes)
    pd.testing.assert_frame_equal(table, expected)
    assert (table["status"] == "ok").sum() >= 12


@pytest.mark.parametrize("layer", ["country", "health_area", "small_area", "ttwa"])
def test_places_of_every_kind_get_the_whole_headline_table(store, layer):
    dx = start(store.areas_in_layer(layer)["code"].iloc[0], store)
    table = analysis.headline_benchmarks(dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert tuple(table["indicator_id"]) == analysis.headline_indicator_ids(store)


def test_the_chart_against_the_country_leaves_out_counts_and_has_nothing_for_the_country(store):
    dx = start("default", store)
    shown = analysis.rows_against_country(dx, analysis.headline_benchmarks(dx))
    assert "population_total" not in set(shown["indicator_id"]) and shown["country_value"].notna().all()
    assert len(shown) >= 10
    country = start(store.areas_in_layer("country")["code"].iloc[0], store)
    assert analysis.rows_against_country(country, analysis.headline_benchmarks(country)).empty


def test_a_store_without_indicators_for_the_place_says_so_in_every_row(tiny_store):
    dx = start("H1", tiny_store)
    table = analysis.headline_benchmarks(dx)
    assert set(table["status"]) == {"not available for this place in the store"}
    assert analysis.rows_against_country(dx, table).empty


def test_cards_are_the_catalogue_measures_then_each_sections_first_measures(store):
    dx = start("default", store)
    cards = analysis.card_measures(dx)
    assert list(cards["indicator_id"][:5]) == list(analysis.CARD_INDICATORS)
    assert cards["indicator_id"].is_unique and len(cards) > 5


def test_a_new_sections_headline_becomes_a_card(store, with_fake_section):
    assert "fake_excellence" in set(analysis.card_measures(start("default", store))["indicator_id"])


def test_on_real_england_the_headline_comes_from_what_the_store_holds(tiny_england_store):
    ids = analysis.headline_indicator_ids(tiny_england_store)
    assert "gva_per_head" not in ids and "deprivation_score" not in ids and "emergency_admissions" not in ids
    assert ids[:3] == ("population_total", "gdp_per_head", "gva_per_hour")  # economy.HEADLINE_ORDER
    assert "deprivation_imd_average_rank" in ids  # the stand-in for the deprivation score
    # the productivity card: no GVA per job in this store, so GVA per hour
    assert analysis.card_indicator_ids(tiny_england_store)[1] == "gva_per_hour"
    dx = start("E08000001", tiny_england_store)
    table = analysis.headline_benchmarks(dx).set_index("indicator_id")
    assert table.loc["gva_per_hour", "status"] == "ok" and table.loc["gva_per_hour", "value"] == pytest.approx(33.0)
    assert table.loc["deprivation_imd_average_rank", "value"] == pytest.approx(ef.EXPECTED_IMD_AVERAGE_RANK["E08000001"])
    assert "gva_per_head" not in set(analysis.card_measures(dx)["indicator_id"])
