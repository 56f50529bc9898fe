"""The headline table: every health measure of a place against its region, country and comparators."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.sections.health import headline


def test_headline_says_why_a_withheld_value_is_missing(gradient_store):
    table = headline.health_headline(gradient_store, "D3", ["D1", "D2"]).set_index("indicator_id")
    assert table.loc["life_expectancy_birth_female", "status"] == "not calculated: total population <= 5,000"
    assert pd.isna(table.loc["life_expectancy_birth_female", "value"])
    assert "total count < 10" in table.loc["under75_mortality", "status"]


def test_headline_compares_with_country_and_region_and_carries_the_benchmark_columns(gradient_store):
    table = headline.health_headline(gradient_store, "D1", ["D2", "D3"])
    assert list(table.columns) == [*BENCHMARK_COLUMNS, "vs_region", "note", "method"]
    assert table["indicator_id"].tolist() == list(headline.HEADLINE_MEASURE_IDS)
    le = table.set_index("indicator_id").loc["life_expectancy_birth_female"]
    assert le["status"] == "ok" and le["period"] == "2021-23"
    assert le["lower_ci"] < le["value"] < le["upper_ci"]
    assert le["vs_country"] in ("better", "similar", "worse") and le["vs_region"] in ("better", "similar", "worse")
    assert le["n_ranked"] == 2  # D3 has no value to rank
    # the trend needs five single years: 2019-2023 are there
    assert le["trend"] != "cannot be calculated"


def test_a_store_that_can_compute_shows_no_ready_made_stand_ins(gradient_store):
    assert headline.ready_made_in_place_of(gradient_store) == {}


def test_ready_made_life_expectancy_stands_in_for_the_computed_one(tiny_england_store):
    assert headline.ready_made_in_place_of(tiny_england_store) == headline.READY_MADE_EQUIVALENTS
    table = headline.health_headline(tiny_england_store, "E08000001")
    ids = table["indicator_id"].tolist()
    assert ids[:2] == ["life_expectancy_female", "life_expectancy_male"]
    assert "life_expectancy_birth_female" not in ids and "life_expectancy_birth_male" not in ids
    female = table.set_index("indicator_id").loc["life_expectancy_female"]
    assert female["status"] == "ok" and female["value"] == pytest.approx(82.1)
    assert (female["lower_ci"], female["upper_ci"]) == (pytest.approx(81.5), pytest.approx(82.7))  # as published
    assert headline.is_ready_made(female["method"])
    le65 = table.set_index("indicator_id").loc["life_expectancy_65_female", "status"]
    assert le65 == ("not available: not computed (the store has no deaths or population table) and not imported "
                    "ready-made; import OHID Fingertips indicator 91102 (life expectancy at 65) to show it")


def test_a_store_without_deaths_says_so_in_every_computed_measure_s_status(tiny_store):
    table = headline.health_headline(tiny_store, "D2").set_index("indicator_id")
    computed = table.loc[list(headline.HEADLINE_MEASURE_IDS)]
    assert computed["status"].str.startswith("not available: not computed (the store has no deaths table)").all()
    assert computed["value"].isna().all()
    assert table.loc["smoking_prevalence", "status"] == "ok"  # the indicator the store does have
