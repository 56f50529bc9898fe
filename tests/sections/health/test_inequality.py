"""Inequality within a place: local deprivation deciles, the slope index of inequality and the gap."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.sections.health import inequality
from diagnostics.sections.health.inequality import InequalitySummary


def test_local_deciles_put_the_most_deprived_small_areas_in_decile_1(gradient_store):
    groups = inequality.deprivation_groups(gradient_store, "district", 10)
    d1 = groups.loc[groups["area_code"] == "D1"].set_index("small_area_code")["group"]
    assert d1.value_counts().sort_index().tolist() == [2] * 10  # equal populations: two small areas each
    assert set(d1[d1 == 1].index) == {"S19", "S20"} and set(d1[d1 == 10].index) == {"S01", "S02"}


def test_sii_and_gap_recover_the_known_gradient(gradient_store):
    result = inequality.inequality_summary(gradient_store, "D1", ["D2"])
    assert isinstance(result, InequalitySummary)
    assert result.available and result.reason is None
    assert (result.n, result.groups_name, result.n_small_areas) == (10, "decile", 20)
    le = result.table.loc[result.table["indicator_id"] == "life_expectancy_birth_female"].sort_values("group")
    assert le["value"].is_monotonic_increasing  # death rates fall with every decile by construction
    s = result.sii.set_index("indicator_id")
    assert list(s.index) == list(inequality.INEQUALITY_MEASURE_IDS)
    gap = s.loc["life_expectancy_birth_female", "gap"]
    assert gap == pytest.approx(le["value"].iloc[-1] - le["value"].iloc[0])
    assert gap > 2
    assert 0 < s.loc["life_expectancy_birth_female", "sii_lower_ci"] < s.loc["life_expectancy_birth_female", "sii"]
    assert s.loc["under75_mortality", "sii"] < 0 and s.loc["under75_mortality", "sii_upper_ci"] < 0
    # the SII spans the whole population, so it is wider than the gap between the end deciles' midpoints
    assert s.loc["life_expectancy_birth_female", "sii"] > gap


def test_a_place_with_too_few_small_areas_gets_a_reason_not_deciles(gradient_store):
    result = inequality.inequality_summary(gradient_store, "D2")
    assert not result.available and result.table.empty and result.sii.empty
    assert result.n_small_areas == 3
    assert result.reason.startswith("Fewton has 3 small areas with a deprivation score, too few to compare its "
                                    "deprivation groups (deciles: ")
    assert "quintiles: " in result.reason


def test_a_small_area_cannot_be_divided_into_deprivation_groups(gradient_store):
    result = inequality.inequality_summary(gradient_store, "S01")
    assert not result.available
    assert result.reason == ("Small area S01 is not made of small areas in the store's lookups, so it cannot be "
                             "divided into deprivation groups")


def test_a_store_without_deaths_says_why_inequality_cannot_be_shown(tiny_store):
    result = inequality.inequality_summary(tiny_store, "D2")
    assert not result.available and result.reason.startswith("the store has no deaths table")


def test_the_place_s_gap_is_compared_with_its_comparators_gaps_by_size_for_mortality():
    # by hand: women's gap 3.0 is wider than 1.0 and 2.0 (not 4.0, and NaN is left out); mortality's
    # gap -50 is wider than -20 and 30 in size, not than -60
    summary = InequalitySummary(
        available=True,
        sii=pd.DataFrame({"indicator_id": ["life_expectancy_birth_female", "under75_mortality"], "gap": [3.0, -50.0]}),
        comparator_gaps=pd.DataFrame({
            "area_code": ["A", "B", "C", "D", "A", "B", "C"],
            "indicator_id": ["life_expectancy_birth_female"] * 4 + ["under75_mortality"] * 3,
            "gap": [1.0, 2.0, 4.0, float("nan"), -20.0, 30.0, -60.0],
        }),
    )
    assert summary.gap_against_comparators("life_expectancy_birth_female") == (2, 3)
    assert summary.gap_against_comparators("under75_mortality") == (2, 3)


def test_small_area_ratios_of_a_place_cover_its_small_areas(gradient_store):
    smr = inequality.small_area_mortality_ratio(gradient_store, "D1")
    assert sorted(smr["code"]) == [f"S{i:02d}" for i in range(1, 21)]
    assert (smr["expected"] > 0).all() and smr["period"].iloc[0] == "2019-23"
