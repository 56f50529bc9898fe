"""Life expectancy and under-75 mortality of every area of a layer: life tables, pooled periods, PHE's suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics import cache
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.lookups import aggregate_small_areas
from diagnostics.sections.health import mortality

PHE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820,
            37978, 37039, 33288, 23306, 11936, 11936]
PHE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]


def test_measures_reproduce_the_phe_life_expectancy_worked_example_for_both_sexes():
    # PHE's Life Expectancy Calculator: 80.1696 (79.8827 to 80.4565) at birth for this table
    deaths = np.array([[[PHE_DEATHS, PHE_DEATHS]]], dtype=float)
    pops = np.array([[[PHE_POPS, PHE_POPS]]], dtype=float)
    out = mortality.measure_frame(deaths, pops, ["A"], ["2020-22"], [2022]).set_index("indicator_id")
    for sex in ("female", "male"):
        row = out.loc[f"life_expectancy_birth_{sex}"]
        assert [round(float(row[c]), 4) for c in ("value", "lower_ci", "upper_ci")] == [80.1696, 79.8827, 80.4565]
    assert out.loc["under75_mortality", "numerator"] == 2 * sum(PHE_DEATHS[:16])


def test_pooled_periods_sum_three_consecutive_years():
    array = np.arange(5, dtype=float).reshape(1, 5, 1, 1) + 1  # 1..5
    pooled = mortality._pool(array, 3)
    assert pooled.ravel().tolist() == [6.0, 9.0, 12.0]
    assert mortality.period_labels(np.array([2019, 2020, 2021, 2022, 2023]), 3) == ["2019-21", "2020-22", "2021-23"]


def test_layer_counts_equal_aggregate_small_areas(gradient_store):
    counts = mortality.layer_counts(gradient_store, "health_area")
    expected = aggregate_small_areas(gradient_store, gradient_store.deaths, "health_area", ["deaths"], by=["year", "sex"])
    expected = expected.groupby(["area_code", "year", "sex"])["deaths"].sum()
    h2 = counts.index_of("H2")
    got = counts.deaths[h2, list(counts.years).index(2023), 1].sum()
    assert got == expected[("H2", 2023, "M")]
    assert counts.population.sum() == gradient_store.population["population"].sum()


def test_counts_do_not_depend_on_the_tables_row_order(gradient_store):
    counts = mortality.small_area_counts(gradient_store)
    shuffled = gradient_store.deaths.sample(frac=1, random_state=7)
    flat = mortality._cell_index(shuffled, pd.Index(counts.codes), counts.years)
    cube = mortality._cube(shuffled["deaths"].to_numpy(), flat, counts.deaths.size).reshape(counts.deaths.shape)
    assert np.array_equal(cube, counts.deaths)
    assert counts.deaths.sum() == gradient_store.deaths["deaths"].sum()


def test_mortality_measures_cover_every_area_period_and_measure(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    assert set(m["indicator_id"]) == set(mortality.MEASURE_IDS)
    assert set(m["period"]) == {"2019-21", "2020-22", "2021-23"}
    assert len(m) == 3 * 3 * len(mortality.MEASURE_IDS)
    d1 = m.loc[(m["area_code"] == "D1") & (m["period"] == "2021-23")].set_index("indicator_id")
    # men die at 1.1 times women's rates here, so they live shorter lives
    assert d1.loc["life_expectancy_birth_male", "value"] < d1.loc["life_expectancy_birth_female", "value"]
    assert d1.loc["life_expectancy_65_female", "value"] < d1.loc["life_expectancy_birth_female", "value"]
    assert (m["lower_ci"].dropna() <= m.loc[m["lower_ci"].notna(), "value"]).all()


def test_life_expectancy_is_withheld_with_phes_reason_where_person_years_are_5000_or_fewer(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    d3 = m.loc[(m["area_code"] == "D3") & m["indicator_id"].str.startswith("life_expectancy")]
    assert d3["value"].isna().all()
    assert d3["note"].str.contains("total population <= 5,000").all()


def test_standardised_rate_is_withheld_below_10_deaths_and_never_shown_as_zero(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    d3 = m.loc[(m["area_code"] == "D3") & (m["indicator_id"] == "under75_mortality")]
    assert (d3["numerator"] < 10).all()
    assert d3["value"].isna().all() and d3["note"].str.contains("total count < 10").all()


def test_cache_is_per_store_version(gradient_store):
    first = mortality.mortality_measures(gradient_store, "district")
    assert mortality.mortality_measures(gradient_store, "district") is first
    cache.clear()
    assert mortality.mortality_measures(gradient_store, "district") is not first


@pytest.mark.parametrize("pool", [0, 1.5, "3"])
def test_mortality_measures_reject_a_pool_that_is_not_a_positive_integer(gradient_store, pool):
    with pytest.raises(InvalidParameter, match=r"The 'pool' parameter of mortality_measures must be a positive "
                                                r"integer; got "):
        mortality.mortality_measures(gradient_store, "district", pool=pool)


def test_a_store_without_deaths_gives_the_reason_and_no_counts(tiny_store):
    reason = mortality.mortality_unavailable_reason(tiny_store)
    assert reason.startswith("the store has no deaths table")
    with pytest.raises(ValueError, match=r"^Cannot compute mortality: the store has no deaths table"):
        mortality.small_area_counts(tiny_store)
