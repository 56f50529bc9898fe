"""Every health measure of every area of a layer against the country; the place among comparators and health areas."""

from __future__ import annotations

import pytest

from diagnostics.sections.health import analysis, mortality


def test_the_catalogue_lists_the_computed_measures_then_the_store_s_health_indicators(gradient_store):
    catalogue = analysis.health_catalogue(gradient_store)
    assert list(catalogue.index[: len(mortality.MEASURE_IDS)]) == list(mortality.MEASURE_IDS)
    assert catalogue.loc[list(mortality.MEASURE_IDS), "computed"].all()
    # the gradient store holds no health indicator of its own, only deprivation scores
    assert analysis.prevalence_indicator_ids(gradient_store) == []


def test_layer_comparison_compares_every_district_with_the_country_in_the_latest_period(gradient_store):
    rows = analysis.layer_comparison(gradient_store, "district")
    le = rows.loc[rows["indicator_id"] == "life_expectancy_birth_female"].set_index("area_code")
    assert sorted(le.index) == ["D1", "D2", "D3"] and set(le["period"]) == {"2021-23"}
    country = mortality.mortality_measures(gradient_store, "country")
    country = country.loc[(country["indicator_id"] == "life_expectancy_birth_female") & (country["period"] == "2021-23")]
    assert le["country_value"].tolist() == pytest.approx([country["value"].iloc[0]] * 3)
    assert le.loc["D3", "vs_country"] == "not compared"  # withheld: too few people
    assert set(le["vs_country"]) <= {"better", "similar", "worse", "not compared"}


def test_similar_places_rank_the_place_among_its_comparators(gradient_store):
    table = analysis.similar_places(gradient_store, "D1", ["D2", "D3"])
    le = table.loc[table["indicator_id"] == "life_expectancy_birth_female"]
    assert le["area_code"].tolist() == ["D1", "D2", "D3"] and le["is_place"].tolist() == [True, False, False]
    assert le["n_among"].iloc[0] == 2  # D3's value is withheld


def test_health_areas_the_place_overlaps_carry_population_shares_and_measures(gradient_store):
    overlaps = analysis.health_area_overlaps(gradient_store, "D1")
    assert overlaps["area_code"].tolist() == ["H1", "H2"]
    assert overlaps["place_share"].tolist() == pytest.approx([12 / 20, 8 / 20])
    assert overlaps.loc[0, "area_share"] == pytest.approx(1.0)
    table = analysis.health_area_comparison(gradient_store, "D1")
    assert set(table["indicator_id"]) >= set(mortality.MEASURE_IDS)
    assert set(table["area_code"]) == {"H1", "H2"}


def test_health_area_comparison_is_empty_for_a_layer_the_store_does_not_have(gradient_store):
    assert analysis.health_area_comparison(gradient_store, "D1", layer="police").empty
