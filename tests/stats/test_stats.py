"""Tests for diagnostics.stats: published values, hand-worked tiny cases, edge cases, properties, errors.

Independent expected values used here:

- Wilson score intervals: Newcombe RG. Two-sided confidence intervals for the single proportion:
  comparison of seven methods. Stat Med 1998;17:857-872, table II (method 3), doi:10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E
- Exact Poisson limits for 0 and 5 events: Garwood F. Biometrika 1936;28:437-442 (the standard
  table of Poisson limits: 0 -> 0 to 3.689, 5 -> 1.623 to 11.668).
- Life expectancy: the worked example of PHEindicatormethods' ``phe_life_expectancy`` test suite
  (tests/testthat/testLifeExpectancy.R, ``answer1``: values from PHE's Life Expectancy Calculator).
- Everything else is worked by hand in the test from the method's formula on tiny data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagnostics.stats as stats
from diagnostics.conventions import AGE_BANDS
from diagnostics.exceptions import DiagnosticsError, InvalidParameter
from diagnostics.stats import (
    ESP2013,
    compare_to_benchmark,
    count_ci,
    dsr,
    dsr_table,
    funnel_limits,
    funnel_significance,
    isr,
    life_expectancy,
    life_expectancy_table,
    mean_ci,
    proportion_ci,
    quantile_groups,
    rate_ci,
    sii,
    trend,
)

Z95 = 1.959963984540054

# PHEindicatormethods testLifeExpectancy.R: df1 and answer1 (PHE Life Expectancy Calculator).
LE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411,
           39820, 37978, 37039, 33288, 23306, 11936, 11936]
LE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
LE_VALUE = [80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088, 55.78835987,
            50.92752727, 46.06740425, 41.24505636, 36.49322717, 31.83343842, 27.26027992, 22.9719144,
            18.76856852, 14.95858336, 11.51684445, 8.618849241, 6.163942934, 6.16210635]
LE_LOWER = [79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577, 55.53801579,
            50.68279939, 45.82666794, 41.00842831, 36.26223216, 31.60996318, 27.04337271, 22.76653134,
            18.57570352, 14.77985004, 11.34831778, 8.451134045, 5.978358351, 5.887683386]
LE_UPPER = [80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436, 56.03870395,
            51.17225516, 46.30814055, 41.48168441, 36.72422219, 32.05691365, 27.47718713, 23.17729746,
            18.96143352, 15.13731667, 11.68537112, 8.786564437, 6.349527517, 6.436529314]


# --------------------------------------------------------------------------------------------- API


def test_every_public_name_is_importable_from_diagnostics_stats():
    for name in stats.__all__:
        assert hasattr(stats, name), name
    assert {"proportion_ci", "rate_ci", "count_ci"} <= set(stats.__all__)


def test_validation_errors_are_invalid_parameter_and_value_error():
    with pytest.raises(InvalidParameter) as info:
        proportion_ci(1, 2, confidence=100)
    assert isinstance(info.value, ValueError) and isinstance(info.value, DiagnosticsError)


# ------------------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    "x, n, lower, upper",
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_proportion_ci_matches_newcombe_1998_table_ii(x, n, lower, upper):
    _, lo, hi = proportion_ci(x, n)
    assert (round(lo, 4), round(hi, 4)) == (lower, upper)


def test_proportion_ci_of_65_in_100_is_the_wilson_interval():
    value, lo, hi = proportion_ci(65, 100, multiplier=100)
    assert (round(value, 2), round(lo, 2), round(hi, 2)) == (65.0, 55.25, 73.64)


def test_proportion_ci_reaches_one_when_numerator_equals_denominator():
    value, lo, hi = proportion_ci(20, 20)
    assert value == 1 and hi == 1 and lo == pytest.approx(1 - 0.1611, abs=1e-4)


def test_proportion_ci_is_nan_when_denominator_is_zero_and_keeps_series_index():
    s = pd.Series([0.0, 3.0], index=["a", "b"])
    value, lo, hi = proportion_ci(s, pd.Series([0.0, 10.0], index=["a", "b"]))
    assert list(value.index) == ["a", "b"] and np.isnan(value["a"]) and np.isnan(lo["a"]) and hi["b"] < 1


def test_proportion_ci_propagates_missing_values():
    value, lo, hi = proportion_ci([np.nan, 5], [10, 10])
    assert np.isnan(value[0]) and np.isnan(lo[0]) and not np.isnan(hi[1])


@pytest.mark.parametrize("count, lower, upper", [(0, 0.0, 3.6889), (5, 1.6235, 11.6683)])
def test_count_ci_is_exact_below_ten_as_garwood(count, lower, upper):
    lo, hi = count_ci(count)
    assert (round(lo, 4), round(hi, 4)) == (lower, upper)


def test_count_ci_uses_byars_formula_from_ten_events():
    lo, hi = count_ci(100)
    assert lo == pytest.approx(100 * (1 - 1 / 900 - Z95 / 30) ** 3)
    assert hi == pytest.approx(101 * (1 - 1 / 909 + Z95 / (3 * math.sqrt(101))) ** 3)


def test_rate_ci_scales_the_count_interval_by_the_denominator():
    value, lo, hi = rate_ci(100, 50_000)
    clo, chi = count_ci(100)
    assert (value, lo, hi) == pytest.approx((200.0, clo * 2, chi * 2))


def test_rate_ci_is_nan_when_denominator_is_zero():
    value, lo, hi = rate_ci([5, 5], [0, 100])
    assert np.isnan(value[0]) and np.isnan(lo[0]) and not np.isnan(hi[1])


def test_mean_ci_is_students_t_worked_by_hand():
    value, lo, hi = mean_ci([2, 4, 6, 8])
    half = 3.182446305284263 * math.sqrt(20 / 3) / 2  # t(0.975, 3) * s / sqrt(n)
    assert (value, lo, hi) == pytest.approx((5, 5 - half, 5 + half))


def test_mean_ci_gives_one_mean_per_row_and_ignores_missing_values():
    value, lo, hi = mean_ci(np.array([[1.0, 2.0, 3.0, np.nan], [5.0, np.nan, np.nan, np.nan]]))
    assert value.tolist() == [2.0, 5.0] and np.isnan(lo[1]) and lo[0] < 2 < hi[0]


# ------------------------------------------------------------------------------------ properties

counts = st.integers(min_value=0, max_value=5000)


@settings(max_examples=200, deadline=None)
@given(counts, counts)
def test_proportion_ci_contains_the_estimate_and_widens_with_confidence(a, b):
    x, n = min(a, b), max(a, b)
    if n == 0:
        return
    v, lo95, hi95 = proportion_ci(x, n, 0.95)
    _, lo998, hi998 = proportion_ci(x, n, 0.998)
    assert 0 <= lo998 <= lo95 + 1e-12 <= v + 2e-12 and v <= hi95 + 1e-12 <= hi998 + 2e-12 <= 1 + 3e-12


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=50))
def test_proportion_ci_narrows_as_the_denominator_grows(n, k):
    _, lo1, hi1 = proportion_ci(n, 2 * n)
    _, lo2, hi2 = proportion_ci(n * (k + 1), 2 * n * (k + 1))
    assert hi2 - lo2 <= hi1 - lo1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=2000))
def test_proportion_ci_is_symmetric_about_one_half_when_the_counts_are_mirrored(n):
    x = n // 3
    _, lo1, hi1 = proportion_ci(x, n)
    _, lo2, hi2 = proportion_ci(n - x, n)
    assert lo1 == pytest.approx(1 - hi2, abs=1e-12) and hi1 == pytest.approx(1 - lo2, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(counts)
def test_count_ci_contains_the_count_and_widens_with_confidence(o):
    lo95, hi95 = count_ci(o, 0.95)
    lo998, hi998 = count_ci(o, 0.998)
    assert 0 <= lo998 <= lo95 <= o <= hi95 <= hi998


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=2, max_value=20))
def test_rate_ci_narrows_relative_to_the_rate_as_counts_grow(o, k):
    v1, lo1, hi1 = rate_ci(o, 10_000)
    v2, lo2, hi2 = rate_ci(o * k, 10_000 * k)
    assert v1 == pytest.approx(v2) and hi2 - lo2 <= hi1 - lo1 + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=30))
def test_mean_ci_is_symmetric_and_widens_with_confidence(values):
    v, lo, hi = mean_ci(values)
    _, lo2, hi2 = mean_ci(values, 0.998)
    assert v - lo == pytest.approx(hi - v, abs=1e-6) and lo2 <= lo + 1e-9 and hi <= hi2 + 1e-9


# ------------------------------------------------------------------------------ standardised rates


def test_esp2013_has_twenty_bands_aligned_with_age_bands_and_sums_to_100000():
    assert len(ESP2013) == len(AGE_BANDS) == 20 and ESP2013.sum() == 100_000
    assert ESP2013[0] + ESP2013[1] == 5000 and ESP2013[-1] == 1000
    with pytest.raises(ValueError):
        ESP2013[0] = 1


def test_dsr_matches_dobsons_formula_worked_by_hand():
    out = dsr([10, 20], [1000, 4000], standard_population=[1, 3], multiplier=1000)
    value = (1 * 10 / 1000 + 3 * 20 / 4000) / 4 * 1000  # 6.25
    var = (1 * 10 / 1000**2 + 9 * 20 / 4000**2) / 16
    lo_o, hi_o = count_ci(30)
    row = out.iloc[0]
    assert row["value"] == pytest.approx(value)
    assert row["lower_ci"] == pytest.approx(value + math.sqrt(var / 30) * (lo_o - 30) * 1000)
    assert row["upper_ci"] == pytest.approx(value + math.sqrt(var / 30) * (hi_o - 30) * 1000)
    assert (row["total_count"], row["total_pop"], row["method"], row["confidence"]) == (30, 5000, "Dobson", 0.95)
    assert row["statistic"] == "dsr per 1,000" and row["note"] is None


def test_dsr_equals_the_crude_rate_when_every_band_has_the_same_rate():
    pops = np.linspace(1000, 5000, 20)
    out = dsr(pops * 0.01, pops)
    assert out.loc[0, "value"] == pytest.approx(1000.0)


def test_dsr_is_not_given_below_ten_events_as_phe():
    out = dsr([3, 6], [1000, 1000], standard_population=[1, 1])
    assert out[["value", "lower_ci", "upper_ci"]].isna().all(axis=None)
    assert out.loc[0, "note"] == "dsr not calculated: total count < 10"


def test_dsr_counts_missing_events_as_zero_and_gives_one_row_per_area():
    out = dsr([[np.nan, 20], [10, 20]], [[1000, 1000], [1000, 1000]], standard_population=[1, 1])
    assert out["total_count"].tolist() == [20, 30] and len(out) == 2


def test_dsr_table_agrees_with_dsr_for_every_group():
    rng = np.random.default_rng(3)
    rows = []
    for area in ["A", "B", "C"]:
        for sex in ["F", "M"]:
            for band in AGE_BANDS:
                rows.append((area, sex, band, rng.integers(0, 40), rng.integers(500, 5000)))
    df = pd.DataFrame(rows, columns=["area", "sex", "age_band", "events", "population"]).sample(frac=1, random_state=1)
    out = dsr_table(df, ["area", "sex"], confidence=0.998)
    for _, row in out.iterrows():
        part = df[(df.area == row["area"]) & (df.sex == row["sex"])].set_index("age_band").loc[list(AGE_BANDS)]
        expected = dsr(part["events"], part["population"], confidence=0.998).iloc[0]
        assert row["value"] == pytest.approx(expected["value"])
        assert row["upper_ci"] == pytest.approx(expected["upper_ci"])
    assert list(out.columns[:2]) == ["area", "sex"] and (out["confidence"] == 0.998).all()


def test_isr_is_observed_over_expected_with_byars_limits():
    out = isr(30, [1000, 2000], [0.01, 0.005], multiplier=100)
    lo, hi = count_ci(30)
    assert out.loc[0, ["expected", "value", "lower_ci", "upper_ci"]].tolist() == pytest.approx(
        [20, 150, lo / 20 * 100, hi / 20 * 100]
    )
    assert out.loc[0, "method"] == "Byars"


def test_isr_sums_observed_counts_given_by_band():
    by_band = isr([[2, 3], [0, 0]], [[100, 100], [100, 100]], [0.01, 0.02])
    assert by_band["observed"].tolist() == [5, 0] and by_band.loc[0, "method"] == "Exact"
    assert by_band.loc[1, "lower_ci"] == 0


# ----------------------------------------------------------------------------------- life tables


def test_life_expectancy_matches_phe_life_expectancy_calculator_at_every_age():
    le = life_expectancy(LE_DEATHS, LE_POPS)
    assert le["value"].to_numpy() == pytest.approx(LE_VALUE, abs=1e-4)
    assert le["lower_ci"].to_numpy() == pytest.approx(LE_LOWER, abs=1e-4)
    assert le["upper_ci"].to_numpy() == pytest.approx(LE_UPPER, abs=1e-4)
    assert le["age_band"].tolist() == list(AGE_BANDS) and le["note"].isna().all()
    assert le.loc[0, "method"] == "Chiang, using Silcocks et al for confidence limits"
    assert le.loc[5, "statistic"] == "life expectancy at 20"
    assert le.loc[19, "population_used"] == 11936 and le.loc[0, "deaths_used"] == sum(LE_DEATHS)


def test_life_expectancy_interval_widens_with_confidence():
    le95 = life_expectancy(LE_DEATHS, LE_POPS, confidence=0.95)
    le998 = life_expectancy(LE_DEATHS, LE_POPS, confidence=0.998)
    assert (le998["lower_ci"] < le95["lower_ci"]).all() and (le998["upper_ci"] > le95["upper_ci"]).all()


def _flagged(deaths, pops):
    return life_expectancy(deaths, pops)


def test_life_expectancy_flags_a_zero_population_band():
    pops = list(LE_POPS)
    pops[5] = 0
    le = _flagged(LE_DEATHS, pops)
    assert le["value"].isna().all() and le["lower_ci"].isna().all()
    assert (le["note"] == "not calculated: a band has a population of 0").all()


def test_life_expectancy_flags_deaths_above_population():
    pops = list(LE_POPS)
    pops[18] = 119
    assert (_flagged(LE_DEATHS, pops)["note"] == "not calculated: deaths exceed population in a band").all()


def test_life_expectancy_flags_a_total_population_of_5000_or_less():
    le = _flagged([1] * 20, [250] * 20)
    assert le["value"].isna().all() and (le["note"] == "not calculated: total population <= 5,000").all()


def test_life_expectancy_flags_no_deaths_in_the_open_band_but_not_in_others():
    deaths = list(LE_DEATHS)
    deaths[2] = 0
    assert _flagged(deaths, LE_POPS)["note"].isna().all()
    deaths[-1] = 0
    le = _flagged(deaths, LE_POPS)
    assert le["value"].isna().all() and (le["note"] == "not calculated: no deaths in the final (open) band").all()


def test_life_expectancy_suppresses_values_whose_interval_is_wider_than_20_years_but_keeps_limits():
    pops = [300] * 20
    deaths = [0] * 19 + [1]
    le = _flagged(deaths, pops)
    wide = le["note"] == "value suppressed: 95% confidence interval wider than 20 years"
    assert wide.any() and le.loc[wide, "value"].isna().all() and le.loc[wide, "lower_ci"].notna().all()


def test_life_expectancy_flags_missing_values():
    deaths = list(LE_DEATHS)
    deaths[4] = np.nan
    assert (_flagged(deaths, LE_POPS)["note"] == "not calculated: a band is missing").all()


def test_life_expectancy_table_matches_phe_and_flags_groups_missing_a_band():
    good = pd.DataFrame({"area": "good", "age_band": AGE_BANDS, "deaths": LE_DEATHS, "population": LE_POPS})
    short = good.iloc[:-1].assign(area="short")
    out = life_expectancy_table(pd.concat([short, good]), ["area"])
    assert len(out) == 40 and out["area"].tolist()[:20] == ["good"] * 20
    assert out.loc[:19, "value"].to_numpy() == pytest.approx(LE_VALUE, abs=1e-4)
    assert (out.loc[20:, "note"] == "not calculated: a band is missing").all()


# ------------------------------------------------------------------------------------- inequality


def test_quantile_groups_split_population_by_weight_and_put_most_deprived_first():
    groups = quantile_groups([50, 40, 30, 20, 10], [100, 100, 300, 100, 400], n=2)
    # cumulative midpoints: 50/1000, 150, 350, 550, 800 -> 1, 1, 1, 2, 2
    assert groups.tolist() == [1, 1, 1, 2, 2]
    ranks = quantile_groups([1, 2, 3, 4], n=2, higher_is_more_deprived=False)
    assert ranks.tolist() == [1, 1, 2, 2]


def test_quantile_groups_keep_ties_together_and_missing_scores_missing():
    groups = quantile_groups(pd.Series([5, 5, 1, np.nan], index=list("abcd")), n=2)
    assert groups["a"] == groups["b"] and pd.isna(groups["d"]) and list(groups.index) == list("abcd")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.integers(1, 1000)), min_size=10, max_size=200))
def test_quantile_groups_are_monotone_in_deprivation(pairs):
    scores, weights = zip(*pairs)
    g = quantile_groups(list(scores), list(weights), n=5).to_numpy(dtype=float)
    order = np.argsort(-np.asarray(scores), kind="stable")
    assert (np.diff(g[order]) >= 0).all() and g.min() >= 1 and g.max() <= 5


def test_sii_is_the_weighted_least_squares_slope_on_the_ridit():
    values = np.array([12.0, 10.0, 9.0, 7.5, 5.0])
    pops = np.array([100, 200, 300, 200, 200.0])
    a = pops / pops.sum()
    b = np.cumsum(a) - a / 2
    X = np.column_stack([np.ones(5), b])
    beta = np.linalg.solve(X.T @ (a[:, None] * X), X.T @ (a * values))
    out = sii(values, pops, se=[0.5] * 5, repetitions=20_000)
    assert out.loc[0, "sii"] == pytest.approx(beta[1])
    assert out.loc[0, "rii"] == pytest.approx((beta[0] + beta[1]) / beta[0])
    assert out.loc[0, "sii_lower_ci"] < out.loc[0, "sii"] < out.loc[0, "sii_upper_ci"]
    assert out.loc[0, "method"] == "simulation 20000 reps"


def test_sii_is_reproducible_with_a_seed_and_flips_with_a_negative_multiplier():
    kwargs = dict(lower=[70, 72, 75, 77, 80], upper=[74, 76, 79, 81, 84], repetitions=5000)
    one = sii([72, 74, 77, 79, 82], [1] * 5, **kwargs)
    two = sii([72, 74, 77, 79, 82], [1] * 5, **kwargs)
    flipped = sii([72, 74, 77, 79, 82], [1] * 5, multiplier=-1, **kwargs)
    assert one.equals(two)
    assert flipped.loc[0, "sii"] == pytest.approx(-one.loc[0, "sii"])
    assert flipped.loc[0, "rii"] == pytest.approx(1 / one.loc[0, "rii"])


def test_sii_simulates_rates_on_the_log_scale():
    out = sii([200, 180, 150, 130, 100], [1] * 5, lower=[190, 170, 140, 120, 90],
              upper=[210, 190, 160, 140, 110], value_type="rate", repetitions=5000)
    assert out.loc[0, "sii_lower_ci"] < out.loc[0, "sii"] < out.loc[0, "sii_upper_ci"] < 0


# ---------------------------------------------------------------------------------------- funnels


def test_funnel_limits_follow_spiegelhalters_interpolated_binomial_quantile():
    from scipy import stats as st_

    out = funnel_limits([100], 0.5, levels=(0.95,), method="spiegelhalter")
    r = st_.binom.ppf(0.975, 100, 0.5)
    f, f1 = st_.binom.cdf(r, 100, 0.5), st_.binom.cdf(r - 1, 100, 0.5)
    assert out.loc[0, "upper_95_0"] == pytest.approx((r - (f - 0.975) / (f - f1)) / 100)
    assert out.loc[0, "confidence"] == "95%" and out.loc[0, "method"] == "Spiegelhalter exact"


def test_funnel_limits_for_rates_use_the_poisson_and_narrow_with_denominator():
    out = funnel_limits([1_000, 100_000, 10_000_000], 50, kind="rate", multiplier=100_000)
    widths = (out["upper_99_8"] - out["lower_99_8"]).to_numpy()
    assert (np.diff(widths) < 0).all() and (out["lower_99_8"] <= 50).all() and (out["upper_99_8"] >= 50).all()
    assert (out["lower_99_8"] <= out["lower_95_0"]).all() and (out["upper_95_0"] <= out["upper_99_8"]).all()


def test_funnel_limits_wilson_method_matches_phe_sigma_adjustment_at_large_n():
    exact = funnel_limits([1_000_000], 0.3, levels=(0.95,), method="spiegelhalter")
    wilson = funnel_limits([1_000_000], 0.3, levels=(0.95,), method="wilson")
    assert wilson.loc[0, "lower_95_0"] == pytest.approx(exact.loc[0, "lower_95_0"], abs=1e-4)


def test_funnel_significance_places_each_area():
    labels = funnel_significance(pd.Series([50, 70, 60, 30, 0]), pd.Series([100, 100, 100, 100, 0]), benchmark=0.5)
    assert labels.tolist() == ["within", "above 99.8", "above 95", "below 99.8", "not compared"]


def test_funnel_significance_for_ratios_uses_observed_and_expected():
    labels = funnel_significance([100, 150], [100, 100], benchmark=1, kind="ratio")
    assert labels.tolist() == ["within", "above 99.8"]


# ----------------------------------------------------------------------------------- benchmarking


@pytest.mark.parametrize(
    "lower, upper, polarity, expected",
    [
        (0.6, 0.7, "higher_is_better", "better"),
        (0.6, 0.7, "lower_is_better", "worse"),
        (0.6, 0.7, "neutral", "higher"),
        (0.3, 0.4, "higher_is_better", "worse"),
        (0.3, 0.4, "lower_is_better", "better"),
        (0.3, 0.4, "neutral", "lower"),
        (0.4, 0.6, "higher_is_better", "similar"),
        (0.5, 0.6, "higher_is_better", "similar"),
        (np.nan, np.nan, "higher_is_better", "not compared"),
    ],
)
def test_compare_to_benchmark_follows_the_fingertips_rule(lower, upper, polarity, expected):
    assert compare_to_benchmark(0.55, lower, upper, 0.5, polarity) == expected


def test_compare_to_benchmark_is_vectorised_over_values_and_polarities():
    out = compare_to_benchmark(
        pd.Series([1.0, 2.0, 3.0]), [0.5, 1.5, 2.5], [0.8, 2.5, 3.5], [1.0, 2.0, np.nan],
        ["higher_is_better", "lower_is_better", "neutral"],
    )
    assert out.tolist() == ["worse", "similar", "not compared"]


# ------------------------------------------------------------------------------------------ trends


def test_trend_chi_squared_statistic_equals_n_r_squared_on_the_expanded_data():
    x = np.array([50, 55, 60, 58, 70])
    n = np.array([1000, 1000, 1000, 1000, 1000])
    out = trend(x / n, range(2015, 2020), x, n, confidence=0.95)
    scores = np.repeat(np.arange(1, 6), n)
    outcome = np.concatenate([np.r_[np.ones(k), np.zeros(m - k)] for k, m in zip(x, n)])
    chi2 = len(outcome) * np.corrcoef(scores, outcome)[0, 1] ** 2
    from scipy import stats as st_

    assert out["p_value"] == pytest.approx(st_.chi2.sf(chi2, 1))
    assert out["method"] == "chi-squared test for trend"


def test_trend_uses_the_last_five_periods_in_order():
    out = trend([9, 1, 2, 3, 4, 5], [2023, 2018, 2019, 2020, 2021, 2022], confidence=0.95)
    assert out["points"] == [2019, 2020, 2021, 2022, 2023]


def test_trend_cannot_be_calculated_with_fewer_than_five_points_or_a_gap():
    assert trend([1, 2, 3], [1, 2, 3])["direction"] == "cannot be calculated"
    assert trend([1, 2, np.nan, 4, 5], [1, 2, 3, 4, 5])["direction"] == "cannot be calculated"


def test_trend_of_rates_uses_poisson_regression_and_assesses_polarity():
    x = np.array([100, 130, 160, 190, 220])
    out = trend(x / 1e5, range(5), x, [1e5] * 5, polarity="lower_is_better", kind="rate")
    assert out["method"] == "Poisson regression" and out["direction"] == "increasing"
    assert out["assessment"] == "getting worse" and out["significant"]
    assert out["label"] == "increasing and getting worse"


def test_trend_of_plain_values_is_least_squares_and_flat_is_no_change():
    out = trend([5, 5.1, 4.9, 5, 5.05], range(5), polarity="higher_is_better")
    assert out["direction"] == "no significant change" and out["assessment"] is None
    weighted = trend([1, 2, 3, 4, 5.1], range(5), standard_errors=[0.1] * 5)
    assert weighted["method"] == "weighted least squares" and weighted["direction"] == "increasing"


# -------------------------------------------------------------------------------- error messages

GOOD_LE = dict(deaths=LE_DEATHS, population=LE_POPS)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: proportion_ci(1, 2, confidence=100),
         "The 'confidence' parameter of proportion_ci must be a float in (0, 1) or a percentage in [50, 100); got 100."),
        (lambda: proportion_ci([1, -1], [2, 2]),
         "The 'numerator' parameter of proportion_ci must be non-negative; got -1.0 at position 1."),
        (lambda: proportion_ci([1, 3], [2, 2]),
         "The 'numerator' parameter of proportion_ci must not exceed 'denominator'; it does at position 1."),
        (lambda: proportion_ci([1, 2, 3], [4, 5]),
         "The 'numerator' and 'denominator' parameters of proportion_ci must have the same length; got (3,) and (2,)."),
        (lambda: count_ci(5, confidence=True),
         "The 'confidence' parameter of count_ci must be a float in (0, 1) or a percentage in [50, 100); got True."),
        (lambda: rate_ci(5, -1), "The 'denominator' parameter of rate_ci must be non-negative; got -1.0 at position 0."),
        (lambda: rate_ci(5, 100, confidence=1.0),
         "The 'confidence' parameter of rate_ci must be a float in (0, 1) or a percentage in [50, 100); got 1.0."),
        (lambda: mean_ci(["a", "b"]), "The 'values' parameter of mean_ci must be numeric"),
        (lambda: dsr([1, 2], [1, 2], standard_population=[1, 1, 1]),
         "The 'standard_population' parameter of dsr must have one weight per band (2); got shape (3,)."),
        (lambda: dsr([1, 2], [1, 0], standard_population=[1, 1]),
         "The 'population' parameter of dsr must be above 0 in every band; got 0.0 at position 1."),
        (lambda: dsr(5, 5), "The 'events' parameter of dsr must be an array of counts by band; got a scalar 5.0."),
        (lambda: dsr([1, 2], [1, 2], standard_population=[1, 1], multiplier=0),
         "The 'multiplier' parameter of dsr must be a number > 0; got 0."),
        (lambda: dsr_table([], ["a"]), "The 'data' parameter of dsr_table must be a pandas DataFrame; got list."),
        (lambda: dsr_table(pd.DataFrame({"a": [1]}), ["a"]),
         "The 'data' parameter of dsr_table must have the columns ['a', 'age_band', 'events', 'population']; "
         "missing ['age_band', 'events', 'population']."),
        (lambda: dsr_table(pd.DataFrame({"a": [1], "age_band": ["0-4"], "events": [1], "population": [1]}), ["a"]),
         "The 'age_band' column of dsr_table's data must hold bands of the standard population"),
        (lambda: dsr_table(pd.DataFrame({"a": [1], "age_band": ["0"], "events": [1], "population": [0]}), ["a"]),
         "The 'population' column of dsr_table's data must be above 0 in every band; got 0.0 at position 0."),
        (lambda: dsr_table(pd.DataFrame({"a": [1], "age_band": ["0"], "events": [1], "population": [1]}), ["a"]),
         "The 'data' parameter of dsr_table must hold each band once per group; group {'a': 1} has 1 rows for 20 bands."),
        (lambda: dsr_table(pd.DataFrame({"a": [1], "age_band": ["0"], "events": [1], "population": [1]}), ["a"],
                           standard_population=[1, 2]),
         "The 'standard_population' parameter of dsr_table must be a mapping of band to weight or 20 weights"),
        (lambda: isr(5, [10, 10], [0.1]),
         "The 'reference_rates' parameter of isr must have one rate per band of 'population' (its last axis); "
         "got shapes (1,) and (2,)."),
        (lambda: isr([1, 2, 3], [[10, 10]], [0.1, 0.1]),
         "The 'observed' parameter of isr must have shape (1,) (totals) or (1, 2) (by band); got (3,)."),
        (lambda: life_expectancy([1] * 19, [1] * 19),
         "The 'deaths' parameter of life_expectancy must have one count per age band (20) on its last axis; got shape (19,)."),
        (lambda: life_expectancy(**GOOD_LE, age_bands=["5", "10"] + list(AGE_BANDS[2:])),
         "The 'age_bands' parameter of life_expectancy must start at age 0 and ascend"),
        (lambda: life_expectancy(**GOOD_LE, age_bands=["x"] * 20),
         "The 'age_bands' parameter of life_expectancy must be band labels or start ages that begin with a number; "
         "got 'x' at position 0."),
        (lambda: life_expectancy(LE_DEATHS, [-1] + LE_POPS[1:]),
         "The 'population' parameter of life_expectancy must be non-negative; got -1.0 at position 0."),
        (lambda: life_expectancy(**GOOD_LE, confidence=101),
         "The 'confidence' parameter of life_expectancy must be a float in (0, 1) or a percentage in [50, 100); "
         "got 101."),
        (lambda: life_expectancy_table(pd.DataFrame({"g": [1], "age_band": ["x"], "deaths": [1], "population": [1]}), ["g"]),
         "The 'age_band' column of life_expectancy_table's data must hold labels of 'age_bands'"),
        (lambda: life_expectancy_table(pd.DataFrame({"g": [1, 1], "age_band": ["0", "0"], "deaths": [1, 1],
                                                     "population": [1, 1]}), ["g"]),
         "The 'data' parameter of life_expectancy_table must hold each age band once per group; group {'g': 1} repeats one."),
        (lambda: quantile_groups([1, 2], n=1), "The 'n' parameter of quantile_groups must be an integer >= 2; got 1."),
        (lambda: quantile_groups([1, 2], [1, -1]),
         "The 'weights' parameter of quantile_groups must be non-negative; got -1.0 at position 1."),
        (lambda: quantile_groups([1, 2], higher_is_more_deprived="yes"),
         "The 'higher_is_more_deprived' parameter of quantile_groups must be True or False; got 'yes'."),
        (lambda: sii([1, 2, 3], [1, 1, 1], se=[1, 1, 1]),
         "The 'values' parameter of sii must hold between 5 and 100 quantiles; got 3."),
        (lambda: sii([1] * 5, [1, 1, 0, 1, 1], se=[1] * 5),
         "The 'population' parameter of sii must be above 0 in every quantile; got 0.0 at position 2."),
        (lambda: sii([1] * 5, [1] * 5), "The 'se' parameter of sii must be given, or both 'lower' and 'upper'; got neither."),
        (lambda: sii([1] * 5, [1] * 5, se=[1] * 5, repetitions=10),
         "The 'repetitions' parameter of sii must be an integer >= 1000; got 10."),
        (lambda: sii([1] * 5, [1] * 5, se=[1] * 5, value_type="logit"),
         "The 'value_type' parameter of sii must be one of 'normal', 'rate', 'proportion'; got 'logit'."),
        (lambda: sii([0.5, 1.2, 0.5, 0.5, 0.5], [1] * 5, se=[1] * 5, value_type="proportion"),
         "The 'values' parameter of sii must be proportions in (0, 1) for value_type='proportion'; got 1.2 at position 1."),
        (lambda: sii([1, np.nan, 1, 1, 1], [1] * 5, se=[1] * 5),
         "The 'values' parameter of sii must have no missing value; got nan at position 1."),
        (lambda: sii([1] * 5, [1] * 5, se=[1, 1, np.nan, 1, 1]),
         "The 'se' parameter of sii must be a finite standard error in every quantile; got nan at position 2."),
        (lambda: sii([1] * 5, [1] * 5, se=[1] * 5, multiplier=0),
         "The 'multiplier' parameter of sii must be a non-zero number; got 0."),
        (lambda: funnel_limits([10], 0.5, kind="count"),
         "The 'kind' parameter of funnel_limits must be one of 'proportion', 'rate', 'ratio'; got 'count'."),
        (lambda: funnel_limits([10], 1.5), "The 'benchmark' parameter of funnel_limits must be a number in [0, 1]; got 1.5."),
        (lambda: funnel_limits([10], 0.5, levels=(0.95, 99.8)),
         "The 'levels' parameter of funnel_limits must be a float in (0, 1); got 99.8."),
        (lambda: funnel_limits([10], 5, kind="rate", method="wilson"),
         "The 'method' parameter of funnel_limits must be one of 'poisson', 'spiegelhalter' for kind='rate'; got 'wilson'."),
        (lambda: funnel_significance([5, 11], [10, 10]),
         "The 'numerators' parameter of funnel_significance must not exceed 'denominators'; it does at position 1."),
        (lambda: compare_to_benchmark(1, 0, 2, 1, "up"),
         "The 'polarity' parameter of compare_to_benchmark must be one of 'higher_is_better', 'lower_is_better', "
         "'neutral'; got 'up'."),
        (lambda: compare_to_benchmark([1, 2], [0, 1], [2, 3], 1, ["neutral", "good"]),
         "The 'polarity' parameter of compare_to_benchmark must be one of 'higher_is_better', 'lower_is_better', "
         "'neutral'; got 'good' at position 1."),
        (lambda: compare_to_benchmark([1, 2], [0, 1], [2], 1),
         "The 'value' and 'upper' parameters of compare_to_benchmark must have the same length; got (2,) and (1,)."),
        (lambda: trend([1] * 5, range(5), numerators=[1] * 5),
         "The 'numerators' parameter of trend must be given with 'denominators' (both or neither); got only one."),
        (lambda: trend([1] * 5, range(5), kind="rate"),
         "The 'numerators' parameter of trend must be given for kind='rate'; got None."),
        (lambda: trend([1] * 5, range(5), kind="ratio"),
         "The 'kind' parameter of trend must be one of 'proportion', 'rate', 'value'; got 'ratio'."),
        (lambda: trend([1] * 5, range(5), polarity="good"),
         "The 'polarity' parameter of trend must be one of 'higher_is_better', 'lower_is_better', 'neutral'; got 'good'."),
        (lambda: trend([1] * 5, range(4)),
         "The 'values' and 'periods' parameters of trend must have the same length; got (5,) and (4,)."),
    ],
)
def test_each_invalid_argument_raises_a_message_naming_it(call, message):
    with pytest.raises(InvalidParameter, match=__import__("re").escape(message)):
        call()
