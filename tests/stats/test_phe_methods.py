"""diagnostics.stats against PHEindicatormethods' own test expectations (ukhsa-collaboration, R).

Every expected value here is transcribed from the peer's tests/testthat workbooks and scripts (git
HEAD 093fd288, December 2024) and checked to the peer's own tolerance: testthat's ``expect_equal``
default (relative 1.5e-8) unless the peer's script says otherwise (``tol <- 0.05`` for the SII's
simulated limits):

- quantiles: testdata_Quantiles.xlsx, transcribed to ``data/phe_quantile_expected.csv``
  (testQuantiles.R);
- Byar's limits: testdata_Byars_Wilson.xlsx (testByars.R);
- ISRs and ISRates: testdata_DSR_ISR.xlsx, sheets testdata_multiarea_isr, refdata, testdata_err2
  and testresults_ISR (testISRatios.R, testISRates.R);
- life expectancy: testLifeExpectancy.R's ``df1`` / ``answer1`` (PHE's Life Expectancy Calculator);
- the SII: testdata_SII.xlsx (testSII.R).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from diagnostics.conventions import AGE_BANDS
from diagnostics.exceptions import InvalidParameter
from diagnostics.stats import (
    count_ci,
    dsr,
    isr,
    israte,
    life_expectancy,
    life_expectancy_table,
    phe_quantile,
    quantile_groups,
    rate_ci,
    sii,
)

DATA = Path(__file__).parent / "data"
R_TOL = 1.5e-8  # testthat's expect_equal default tolerance


# --------------------------------------------------------------------------------------- quantiles


@pytest.fixture(scope="module")
def quantile_cases() -> pd.DataFrame:
    table = pd.read_csv(DATA / "phe_quantile_expected.csv", comment="#")
    assert len(table) == 339
    return table


def _expected(column: pd.Series) -> list:
    return [None if pd.isna(v) else int(v) for v in column]


def _got(series: pd.Series) -> list:
    return [None if pd.isna(v) else int(v) for v in series]


def test_phe_quantile_gives_the_peers_deciles_within_regions_with_polarity_per_indicator(quantile_cases):
    # testQuantiles.R "test grouped df field": grouped by indicator and region, invert from polarity.
    t = quantile_cases
    with pytest.warns(UserWarning, match="fewer areas with a value than quantiles"):
        got = phe_quantile(t["value"], t[["indicator_sex", "region"]], n=10, invert=t["invert"].to_numpy())
    assert _got(got) == _expected(t["decile_in_region"])


def test_phe_quantile_gives_the_peers_deciles_for_one_indicator_with_invert_false(quantile_cases):
    # "test grouped df logical": indicator 90366 (high is good), invert = FALSE.
    t = quantile_cases.loc[quantile_cases["indicator_sex"] == "90366Female"]
    with pytest.warns(UserWarning):
        got = phe_quantile(t["value"], t["region"], n=10, invert=False)
    assert _got(got) == _expected(t["decile_in_region"])


def test_phe_quantile_gives_the_peers_septiles_of_england(quantile_cases):
    # "test ungrouped df field": indicator 90366 over England, 7 quantiles, invert from polarity.
    t = quantile_cases.loc[quantile_cases["septile_england"].notna() | quantile_cases["value"].isna()]
    t = t.loc[t["indicator_sex"] == "90366Female"]
    got = phe_quantile(t["value"], n=7, invert=t["invert"].to_numpy())
    assert _got(got) == _expected(t["septile_england"])


def test_phe_quantile_gives_the_peers_quartiles_of_every_row_together_ties_taking_the_lowest_rank(quantile_cases):
    # "test ungrouped df logical nohighergeog": all 491 rows at once (indicator 90366's rows twice,
    # so every one of its values is tied), 4 quantiles, default invert (highest value first).
    t = quantile_cases.loc[quantile_cases.index.repeat(quantile_cases["rows_in_all"])]
    got = phe_quantile(t["value"].to_numpy(), n=4)
    assert len(t) == 491
    assert _got(got) == _expected(t["quartile_all"])


def test_phe_quantile_keeps_a_series_index_and_gives_no_quantile_to_a_missing_value():
    got = phe_quantile(pd.Series([5.0, np.nan, 3.0, 1.0], index=list("abcd")), n=3)
    assert list(got.index) == list("abcd") and got.dtype == "Int64"
    assert _got(got) == [1, None, 2, 3]


def test_phe_quantile_gives_no_quantile_to_a_group_set_smaller_than_the_number_of_quantiles():
    with pytest.warns(UserWarning, match=r"1 group set\(s\) have fewer areas with a value than quantiles \(4\)"):
        got = phe_quantile([1, 2, 3, 4, 5, 6, 7], groups=["a", "a", "a", "b", "b", "b", "b"], n=4)
    assert _got(got) == [None, None, None, 4, 3, 2, 1]


def test_phe_quantile_and_quantile_groups_agree_for_equal_populations_that_divide_evenly():
    scores = np.arange(20.0)
    assert _got(phe_quantile(scores, n=5)) == _got(quantile_groups(scores, n=5))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: phe_quantile([1, 2, 3], n=1), "The 'n' parameter of phe_quantile must be an integer >= 2; got 1."),
        (lambda: phe_quantile([1, 2, 3], invert="yes"),
         "The 'invert' parameter of phe_quantile must be True, False or one True/False per value (3); got 'yes'."),
        (lambda: phe_quantile([1, 2, 3], groups=["a", "a"]),
         "The 'values' and 'groups' parameters of phe_quantile must have the same length; got (3,) and (2,)."),
        (lambda: phe_quantile([1, 2, 3, 4], groups=["a", "a", "b", "b"], invert=[True, True, True, False], n=2),
         "The 'invert' parameter of phe_quantile must take one value within each group set; the group set of "
         "the value at position 2 has both True and False."),
        (lambda: phe_quantile(["x", "y"]), "The 'values' parameter of phe_quantile must be numeric"),
    ],
)
def test_phe_quantile_errors_name_the_argument(call, message):
    with pytest.raises(InvalidParameter, match=re.escape(message)):
        call()


# ----------------------------------------------------------------------------------- Byar's limits

# testdata_Byars_Wilson.xlsx: x, confidence, lowercl, uppercl (Byar's method at every count).
BYARS = [
    (65, 0.95, 50.163187710459454, 82.84913854593984),
    (1045, 0.95, 982.5932018073325, 1110.33121298565),
    (1, 0.95, 0.01307213290150435, 5.5637555824752605),
    (65, 0.998, 42.8802614714802, 94.00029084431802),
    (1045, 0.998, 947.9407035610374, 1148.806160988033),
    (10, 0.998, 2.916318374695686, 24.193724927880535),
]


@pytest.mark.parametrize("x, confidence, lower, upper", BYARS)
def test_count_ci_gives_byars_limits_at_every_count_when_asked(x, confidence, lower, upper):
    lo, hi = count_ci(x, confidence, method="byars")
    assert (lo, hi) == pytest.approx((lower, upper), rel=R_TOL)


def test_count_ci_takes_confidence_as_a_percentage_as_the_peer_does():
    as_percent = count_ci([65, 1045, 10], 99.8, method="byars")
    as_fraction = count_ci([65, 1045, 10], 0.998, method="byars")
    np.testing.assert_allclose(np.vstack(as_percent), np.vstack(as_fraction), rtol=R_TOL)
    assert rate_ci(30, 1000, confidence=95) == pytest.approx(rate_ci(30, 1000, confidence=0.95), rel=R_TOL)


def test_count_ci_byars_lower_limit_below_zero_is_missing_as_the_peer():
    # The workbook's last Byar's row: 1 event at 99.8% has no lower limit (NA), upper 9.362180.
    lo, hi = count_ci(1, 0.998, method="byars")
    assert np.isnan(lo) and hi == pytest.approx(9.362180217908362, rel=R_TOL)


def test_count_ci_default_stays_exact_below_ten_and_byars_from_ten():
    assert count_ci(5) == pytest.approx(count_ci(5, method="exact"))
    assert count_ci(10) == pytest.approx(count_ci(10, method="byars"))
    assert count_ci(5) != pytest.approx(count_ci(5, method="byars"))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: count_ci(5, method="wilson"),
         "The 'method' parameter of count_ci must be one of 'auto', 'byars', 'exact'; got 'wilson'."),
        (lambda: count_ci(5, confidence=14),
         "The 'confidence' parameter of count_ci must be a float in (0, 1) or a percentage in [50, 100); got 14."),
        (lambda: rate_ci(5, 100, confidence=100),
         "The 'confidence' parameter of rate_ci must be a float in (0, 1) or a percentage in [50, 100); got 100."),
    ],
)
def test_interval_errors_name_the_argument(call, message):
    with pytest.raises(InvalidParameter, match=re.escape(message) + "$"):
        call()


# ------------------------------------------------------------------------ indirect standardisation

# testdata_DSR_ISR.xlsx, sheet testdata_multiarea_isr: count and pop by the 19 bands (0-4 ... 90+);
# testdata_tiny has no count and no population in band 10-14 (counted as zero, as the peer does).
ISR_COUNTS = {
    "testdata_big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
    "testdata_small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
    "testdata_tiny": [0, 0, np.nan, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3],
}
ISR_POP = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
ISR_TINY_POP = [636, 558, np.nan, *ISR_POP[3:]]
# Sheet refdata.
REF_COUNT = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125,
             5694, 6210, 5757]
REF_POP = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140, 40888,
           37239, 30819, 18136, 15325, 13918]
# Sheet testresults_ISR: observed, expected, ref_rate, value, lower95_0cl, upper95_0cl, lower99_8cl,
# upper99_8cl, method; for big, small and tiny.
ISRATE_100K = [
    (895, 835.8835612311743, 9349.88309221102, 10011.137622091057, 9365.91600297888, 10689.097582910616,
     9008.7578618655, 11089.02718538338, "Byars"),
    (91, 835.8835612311743, 9349.88309221102, 1017.8922051511577, 819.521002506463, 1249.75926013832,
     719.5132903528245, 1392.9381508991678, "Byars"),
    (9, 835.8835612311743, 9349.88309221102, 100.6706576523123, 46.03303513307893, 191.10426659054028,
     27.43190862554234, 253.4369635219236, "Exact"),
]
ISRATE_1000 = [
    (895, 835.8835612311743, 93.49883092211019, 100.11137622091056, 93.6591600297888, 106.89097582910615,
     90.087578618655, 110.8902718538338, "Byars"),
    (91, 835.8835612311743, 93.49883092211019, 10.178922051511577, 8.19521002506463, 12.497592601383202,
     7.195132903528244, 13.929381508991677, "Byars"),
    (9, 835.8835612311743, 93.49883092211019, 1.006706576523123, 0.4603303513307893, 1.9110426659054027,
     0.2743190862554234, 2.5343696352192358, "Exact"),
]
ISRATIO_1 = [
    (895, 835.8835612311743, None, 1.0707232939020275, 1.0017147712553987, 1.143233287249895,
     0.9635155619614437, 1.1860070415876287, "Byars"),
    (91, 835.8835612311743, None, 0.10886683770400503, 0.08765040101829405, 0.1336657632841891,
     0.07695425528392111, 0.14897920510466744, "Byars"),
    (9, 835.8835612311743, None, 0.010767049882813684, 0.004923380825095776, 0.02043921455549973,
     0.0029339306550682617, 0.02710589651469021, "Exact"),
]
ISRATIO_100 = [
    (895, 835.8835612311743, None, 107.07232939020275, 100.17147712553987, 114.3233287249895,
     96.35155619614437, 118.60070415876287, "Byars"),
    (91, 835.8835612311743, None, 10.886683770400502, 8.765040101829404, 13.366576328418912,
     7.695425528392111, 14.897920510466744, "Byars"),
    (9, 835.8835612311743, None, 1.0767049882813684, 0.4923380825095776, 2.043921455549973,
     0.2933930655068262, 2.710589651469021, "Exact"),
]


def _isr_inputs():
    counts = np.array(list(ISR_COUNTS.values()), dtype=float)
    pops = np.array([ISR_POP, ISR_POP, ISR_TINY_POP], dtype=float)
    return counts, pops


def _check_two_levels(out, expected):
    assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(out.columns)
    assert "lower_ci" not in out.columns
    for i, row in enumerate(expected):
        got = out.iloc[i]
        assert got["observed"] == row[0] and got["method"] == row[8]
        assert [got["expected"], got["value"], got["lower95_0cl"], got["upper95_0cl"], got["lower99_8cl"],
                got["upper99_8cl"]] == pytest.approx([row[1], *row[3:8]], rel=R_TOL)
        if row[2] is not None:
            assert got["reference_rate"] == pytest.approx(row[2], rel=R_TOL)
    assert (out["confidence"] == "95%, 99.8%").all()


@pytest.mark.parametrize("multiplier, expected", [(1, ISRATIO_1), (100, ISRATIO_100)])
def test_isr_gives_the_peers_ratios_with_missing_counts_and_populations_as_zero(multiplier, expected):
    counts, pops = _isr_inputs()
    rates = np.array(REF_COUNT) / np.array(REF_POP)
    out = isr(counts, pops, rates, multiplier=multiplier, confidence=[0.95, 0.998])
    _check_two_levels(out, expected)
    assert (out["statistic"] == f"indirectly standardised ratio x {multiplier}").all()
    assert out["note"].isna().all()


def test_isr_from_observed_totals_equals_isr_from_counts_by_band():
    counts, pops = _isr_inputs()
    rates = np.array(REF_COUNT) / np.array(REF_POP)
    by_band = isr(counts, pops, rates, confidence=95)
    totals = isr([895, 91, 9], pops, rates, confidence=95)
    pd.testing.assert_frame_equal(by_band, totals)
    assert list(by_band.columns[:5]) == ["observed", "expected", "value", "lower_ci", "upper_ci"]
    assert by_band["confidence"].tolist() == [0.95] * 3


@pytest.mark.parametrize("multiplier, expected", [(100_000, ISRATE_100K), (1000, ISRATE_1000)])
def test_israte_gives_the_peers_rates(multiplier, expected):
    counts, pops = _isr_inputs()
    out = israte(counts, pops, REF_COUNT, REF_POP, multiplier=multiplier, confidence=[0.95, 0.998])
    _check_two_levels(out, expected)
    assert (out["statistic"] == f"indirectly standardised rate per {multiplier:,}").all()


def test_israte_at_one_level_as_a_percentage_gives_the_peers_99_8_limits():
    # testISRates.R "test confidence": confidence = 99.8 gives the workbook's 99.8% columns.
    counts, pops = _isr_inputs()
    out = israte(counts, pops, REF_COUNT, REF_POP, confidence=99.8)
    assert out["lower_ci"].tolist() == pytest.approx([r[6] for r in ISRATE_100K], rel=R_TOL)
    assert out["upper_ci"].tolist() == pytest.approx([r[7] for r in ISRATE_100K], rel=R_TOL)


def test_isr_and_israte_with_a_population_of_zero_in_a_band_give_the_peers_values():
    # Sheet testdata_err2 (Area1: population 0 in band 5-9) and testresults_ISR rows 13-16.
    counts = np.array([ISR_COUNTS["testdata_big"], ISR_COUNTS["testdata_small"]], dtype=float)
    pops = np.array([[636, 0, *ISR_POP[2:]], ISR_POP], dtype=float)
    rate = israte(counts, pops, REF_COUNT, REF_POP)
    assert rate[["expected", "value", "lower_ci", "upper_ci"]].to_numpy().ravel().tolist() == pytest.approx(
        [808.3217400918253, 10352.493261629017, 9685.271141999323, 11053.570021432142,
         835.8835612311743, 1017.8922051511577, 819.521002506463, 1249.75926013832], rel=R_TOL)
    ratio = isr(counts, pops, np.array(REF_COUNT) / np.array(REF_POP), multiplier=100)
    assert ratio[["value", "lower_ci", "upper_ci"]].to_numpy().ravel().tolist() == pytest.approx(
        [110.72323749430866, 103.58708281676485, 118.22147841228508,
         10.886683770400502, 8.765040101829404, 13.366576328418912], rel=R_TOL)


def test_isr_with_nothing_expected_says_so():
    out = isr([3], [[0, np.nan]], [0.1, 0.2])
    assert np.isnan(out.loc[0, "value"]) and out.loc[0, "note"] == "no events expected"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: isr(5, [10, 10], [0.1, np.nan]),
         "The 'reference_rates' parameter of isr must have a rate in every band; the band at position 1 has none."),
        (lambda: isr(5, [10, 10], pd.Series([0.1, np.nan], index=["0-4", "5-9"])),
         "The 'reference_rates' parameter of isr must have a rate in every band; band '5-9' (position 1) has none."),
        (lambda: israte(5, [10, 10], [1, np.nan], [10, 10]),
         "The 'reference_events' parameter of israte must have a value in every band; the band at position 1 "
         "has none."),
        (lambda: israte(5, [10, 10], [1, 1], [10, 0]),
         "The 'reference_population' parameter of israte must be above 0 in every band; the band at position 1 "
         "has 0.0."),
        (lambda: israte(5, [10, 10], [1, 1], [10, 10, 10]),
         "The 'reference_events' and 'reference_population' parameters of israte must have the same length; "
         "got (2,) and (3,)."),
        (lambda: israte(5, [10, 10, 10], [1, 1], [10, 10]),
         "The 'reference_events' and 'reference_population' parameters of israte must have one value per band"),
        (lambda: isr(5, [10, 10], [0.1, 0.1], confidence=[0.95, 0.95]),
         "The 'confidence' parameter of isr must be one level or several different levels; got [0.95, 0.95]."),
        (lambda: isr(5, [10, 10], [0.1, 0.1], confidence=[0.95, 2]),
         "The 'confidence' parameter of isr must be a float in (0, 1) or a percentage in [50, 100); got 2."),
    ],
)
def test_indirect_standardisation_errors_name_the_argument_and_band(call, message):
    with pytest.raises(InvalidParameter, match=re.escape(message)):
        call()


# -------------------------------------------------------------------------------- life expectancy

# testLifeExpectancy.R: df1 (pops, deaths by start age 0, 1, 5, ..., 90), answer1 (PHE's Life
# Expectancy Calculator, compared at 4 decimal places: "n <- 4"), df1_cum (pops_used, dths_used).
LE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411,
           39820, 37978, 37039, 33288, 23306, 11936, 11936]
LE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
LE_STARTS = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
ANSWER1 = {  # value, lowercl, uppercl at start ages 5 and 25 (rows 3 and 7 of answer1 / answer2)
    5: (75.44193645, 75.17407307, 75.70979983, 745835, 9331),
    25: (55.78835987, 55.53801579, 56.03870395, 568592, 9284),
}


def test_life_expectancy_for_chosen_ages_gives_the_peers_rows():
    # test6: le_age = c(5, 25), type = "full" (answer2, with df1_cum's pops_used and dths_used).
    out = life_expectancy(LE_DEATHS, LE_POPS, age_bands=LE_STARTS, le_age=[5, 25])
    assert out["start_age"].tolist() == [5, 25]
    for _, row in out.iterrows():
        value, lower, upper, pops_used, deaths_used = ANSWER1[row["start_age"]]
        assert round(row["value"], 4) == round(value, 4)
        assert (round(row["lower_ci"], 4), round(row["upper_ci"], 4)) == (round(lower, 4), round(upper, 4))
        assert (row["population_used"], row["deaths_used"]) == (pops_used, deaths_used)
        assert row["statistic"] == f"life expectancy at {row['start_age']}"


def test_life_expectancy_for_one_age_by_label_or_start_age():
    # test5: le_age = 5 returns answer1's third row only.
    by_start = life_expectancy(LE_DEATHS, LE_POPS, le_age=5)
    by_label = life_expectancy(LE_DEATHS, LE_POPS, le_age="5-9")
    pd.testing.assert_frame_equal(by_start, by_label)
    assert len(by_start) == 1 and round(by_start.loc[0, "value"], 4) == round(ANSWER1[5][0], 4)


def test_life_expectancy_table_for_chosen_ages_keeps_each_groups_rows():
    one = pd.DataFrame({"age_band": list(AGE_BANDS), "deaths": LE_DEATHS, "population": LE_POPS})
    data = pd.concat([one.assign(area="A"), one.assign(area="B")])
    out = life_expectancy_table(data, ["area"], le_age=[0, 65])
    assert out[["area", "start_age"]].values.tolist() == [["A", 0], ["A", 65], ["B", 0], ["B", 65]]
    assert round(out.loc[0, "value"], 4) == 80.1696


def test_life_expectancy_at_several_levels_names_columns_as_the_peer():
    # test7 / test8: confidence = 99.8 gives the same limits as the 99.8% pair of c(95, 99.8); the
    # output has one pair of limit columns per level.
    one = life_expectancy(LE_DEATHS, LE_POPS, confidence=99.8)
    both = life_expectancy(LE_DEATHS, LE_POPS, confidence=[95, 99.8])
    np.testing.assert_allclose(one[["lower_ci", "upper_ci"]], both[["lower99_8cl", "upper99_8cl"]], rtol=R_TOL)
    assert [round(v, 4) for v in both.loc[0, ["lower95_0cl", "upper95_0cl"]]] == [79.8827, 80.4565]
    assert (both["confidence"] == "95%, 99.8%").all() and "lower_ci" not in both.columns
    ten = life_expectancy(LE_DEATHS, LE_POPS, confidence=list(range(90, 100)))
    assert sum(c.startswith(("lower", "upper")) for c in ten.columns) == 20


def test_life_expectancy_with_negative_deaths_is_missing_with_a_reason_not_an_error():
    # df_neg_deaths: -5 deaths at age 10; the peer suppresses every value to NA.
    deaths = list(LE_DEATHS)
    deaths[3] = -5
    out = life_expectancy(deaths, LE_POPS)
    assert out[["value", "lower_ci", "upper_ci"]].isna().all().all()
    assert (out["note"] == "not calculated: a band has negative deaths").all()


def test_life_expectancy_table_suppresses_only_the_groups_with_bad_data_as_the_peer():
    # df_grouped_with_warnings (its "Negative pops" group left out: a negative population is an error here).
    good = pd.DataFrame({"age_band": list(AGE_BANDS), "deaths": LE_DEATHS,
                         "population": [*LE_POPS[:5], 43219, *LE_POPS[6:]]})
    negative = good.assign(deaths=[17, 9, -2, *LE_DEATHS[3:]])
    more = good.assign(deaths=[*LE_DEATHS[:5], 50000, *LE_DEATHS[6:]])
    low = good.assign(population=100, deaths=[17, 9, 4, 8, 20, 15, 24, 33, 50, 71] + [80] * 10)
    missing = good.iloc[:-1]
    data = pd.concat([good.assign(area="Good data"), negative.assign(area="Negative deaths"),
                      more.assign(area="Deaths more than pops"), low.assign(area="Low pops"),
                      missing.assign(area="Missing age band")])
    out = life_expectancy_table(data, ["area"]).set_index("area")
    assert out.loc["Good data", "value"].notna().all()
    assert out.loc["Good data", "note"].isna().all()
    notes = out.drop(index="Good data").groupby(level=0)["note"].unique().map(list).to_dict()
    assert notes == {
        "Negative deaths": ["not calculated: a band has negative deaths"],
        "Deaths more than pops": ["not calculated: deaths exceed population in a band"],
        "Low pops": ["not calculated: total population <= 5,000"],
        "Missing age band": ["not calculated: a band is missing"],
    }
    assert out.drop(index="Good data")[["value", "lower_ci", "upper_ci"]].isna().all().all()


def test_life_expectancy_suppresses_wide_intervals_as_the_peer_at_two_levels():
    # df_widecis_plus / answer_widecis: Area 1 (312 deaths > 311 people at 90+) is not calculated;
    # Area 2's values from age 40 have 95% intervals wider than 20 years: value NA, limits kept.
    pops = [270, 235, 246, 248, 243, 238, 246, 257, 261, 355, 350, 356, 346, 339, 337, 337, 333, 323, 311, 311]
    area2 = [17, 9, 4, 8, 20, 15, 24, 33, 50, 51, 10, 16, 26, 30, 36, 22, 13, 5, 6, 1]
    area1 = [*area2[:-1], 312]
    out = life_expectancy([area1, area2], [pops, pops], age_bands=LE_STARTS, confidence=[0.95, 0.998])
    assert out.loc[:19, ["value", "lower95_0cl", "upper95_0cl"]].isna().all().all()
    area2_out = out.loc[20:].reset_index(drop=True)
    values = [19.22914685, 19.44120610, 18.33467808, 14.67659995, 11.81284556, 11.63815414, 10.05641628,
              9.93152356, 11.95846561]
    lower = [16.43900644, 16.53437505, 15.62922550, 12.08108630, 9.21823373, 8.68414661, 6.54020385,
             4.71570153, 2.37762283, -1.60695210, -10.33328815, -17.16409724, -26.91715103, -45.04820928,
             -76.27067271, -137.12203187, -195.39453664, -242.37480291, -266.74198466, -298.54880400]
    upper = [22.01928726, 22.34803716, 21.04013066, 17.27211361, 14.40745738, 14.59216167, 13.57262872,
             15.14734559, 21.53930839, 50.29765396, 97.99598549, 107.54413263, 128.91238524, 181.91668353,
             278.06441642, 472.32822039, 649.40455756, 783.50845564, 841.04259816, 920.54880400]
    assert area2_out["value"].round(4).tolist()[:9] == [round(v, 4) for v in values]
    assert area2_out["value"].iloc[9:].isna().all()
    assert area2_out["lower95_0cl"].round(4).tolist() == [round(v, 4) for v in lower]
    assert area2_out["upper95_0cl"].round(4).tolist() == [round(v, 4) for v in upper]


def test_life_expectancy_le_age_not_a_band_is_an_error():
    with pytest.raises(InvalidParameter, match=re.escape(
            "The 'le_age' parameter of life_expectancy must be start ages or labels of 'age_bands' (0, 1-4, 5-9")):
        life_expectancy(LE_DEATHS, LE_POPS, le_age=4)


# ---------------------------------------------------------------------------- direct standardisation

ESP2013_19 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000,
              2500, 1500, 1000]  # the peer's esp2013 (0-4 merged)
# testresults_DSR rows 5-7 (per 100 000): total_count, total_pop, value, lower95_0cl, upper95_0cl,
# lower99_8cl, upper99_8cl; testdata_tiny (9 events) has none.
DSR_100K = [
    (895, 8970, 10430.247991469423, 9717.709067985681, 11178.94091547925, 9323.287880219903, 11620.595999522058),
    (91, 8970, 1103.212025300104, 877.455767536709, 1367.0882227251795, 763.6420357939879, 1530.0328948244762),
]


def test_dsr_gives_the_peers_rates_at_two_levels_and_none_below_ten_events():
    counts = np.array(list(ISR_COUNTS.values()), dtype=float)
    pops = np.array([ISR_POP] * 3, dtype=float)
    pops[2, 2] = 609  # testdata_multiarea gives testdata_tiny a population in band 10-14 (no count)
    out = dsr(counts, pops, standard_population=ESP2013_19, confidence=[0.95, 0.998])
    columns = ["total_count", "total_pop", "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    for i, row in enumerate(DSR_100K):
        assert out.loc[i, columns].astype(float).tolist() == pytest.approx(row, rel=R_TOL)
    assert out.loc[2, columns[2:]].isna().all() and out.loc[2, "note"] == "dsr not calculated: total count < 10"
    assert (out["confidence"] == "95%, 99.8%").all()
    one = dsr(counts, pops, standard_population=ESP2013_19, multiplier=10_000, confidence=95)
    assert one.loc[0, ["value", "lower_ci", "upper_ci"]].astype(float).tolist() == pytest.approx(
        [1043.0247991469423, 971.770906798568, 1117.894091547925], rel=R_TOL)


# ------------------------------------------------------------------------------------------- SII

# testdata_SII.xlsx, area1 of three test blocks: Population, Value, LowerCL, UpperCL (and Count for
# the proportion). testSII.R compares the SII exactly and the simulated limits at tol <- 0.05.
SII_TOL = 0.05
SII_NORMAL = dict(
    population=[7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
    values=[75.9334590103081, 78.3442382727843, 83.8360631041654, 83.6375399664931, 80.4655031529559,
            81.1156759857022, 81.6930835718562, 84.1900062060987, 80.5955641081472, 86.2894349578624],
    lower=[72.7220530546453, 75.2509802190802, 80.8697295124759, 80.157578356036, 77.1308785969275,
           78.0499986811178, 79.011578491948, 81.4457282769343, 75.827185168894, 83.2190593454592],
    upper=[79.1448649659708, 81.4374963264884, 86.8023966958549, 87.1175015769501, 83.8001277089842,
           84.1813532902866, 84.3745886517644, 86.9342841352631, 85.3639430474004, 89.3598105702656],
)
SII_RATE = dict(
    population=[279012, 255993, 236961, 214315, 192812, 183546, 168593, 164822, 154836, 138165],
    values=[5.892219689475721, 4.7345044591063035, 3.827634083245766, 3.8681380211371112, 3.6771570234217785,
            3.1436261209723995, 3.1258711808912585, 2.942568346458604, 2.82879950399132, 2.7648101907140012],
    lower=[5.614959662410748, 4.475920770781004, 3.586926055445024, 3.6140791140579505, 3.4166969870147965,
           2.8977176350029272, 2.870493809285979, 2.6924041297904315, 2.57630573787527, 2.501420619088458],
    upper=[6.183085357576154, 5.0079519402470885, 4.0844291026854505, 4.1399822998098585, 3.9573934822289045,
           3.4103317188858107, 3.4038909874130083, 3.2159015715579464, 3.1059621495836955, 3.05584866618335],
)
SII_PROPORTION = dict(
    population=[34353, 32112, 27715, 25372, 23889, 23260, 23180, 24193, 23609, 24488],
    x=[7287, 6881, 5656, 4868, 4176, 3876, 3617, 3546, 3314, 2960],
    lower=[0.207830499225555, 0.209827711465288, 0.19937351725899902, 0.187066648694241, 0.170044640703038,
           0.16190410576997, 0.151425075468518, 0.142170753783533, 0.13599767093637602, 0.11685200990738201],
    upper=[0.216476300812899, 0.218803170788612, 0.208862933590925, 0.19675673996565, 0.17967690552753499,
           0.17148199783416998, 0.160768288675927, 0.151084110529924, 0.144859737537153, 0.125017980504761],
)
# Expected: sii, rii, sii lower, sii upper, rii lower, rii upper, intercept (rows 246, 266, 286, 306, 386).
SII_EXPECTED = {
    "normal": (6.934616473668819, 1.0888180804446217, 3.127594617650817, 10.7586873680794, 1.0383690591642838,
               1.1412993360251238, 78.07663078231671),
    "rate": (-3.2752012326471758, 0.40600068953980034, -3.5868233016744155, -2.9653170017272723,
             0.36888170199068804, 0.44624776652446996, 5.513813189631011),
    "proportion": (-0.10720032333730493, 0.5334015306465507, -0.11220857220984691, -0.1021798062145461,
                   0.5171273196358018, 0.5501538412913004, 0.22974855336720032),
    "rate, log transform": (-3.15590713895456, 0.4418848436076823, -3.4809615490242884, -2.833237344763632,
                            0.4082744080360723, 0.4785663265006931, 5.65458060546947),
    "rate, log transform, multiplier -1": (3.15590713895456, 2.2630330378288055, 2.833237344763632,
                                           3.4809615490242884, 2.0895745158504204, 2.449333047374468,
                                           5.65458060546947),
}
SII_COLUMNS = ["sii", "rii", "sii_lower_ci", "sii_upper_ci", "rii_lower_ci", "rii_upper_ci", "intercept"]


def _check_sii(out, expected, columns=SII_COLUMNS):
    got = out.loc[0, columns].astype(float).tolist()
    assert got[:2] == pytest.approx(expected[:2], rel=1e-9)  # the fitted line: exact
    assert got[-1] == pytest.approx(expected[-1], rel=1e-9)
    assert got[2:-1] == pytest.approx(expected[2:-1], rel=SII_TOL)  # simulated limits


@pytest.mark.parametrize(
    "case, inputs, value_type, extra",
    [
        ("normal", SII_NORMAL, "normal", {}),
        ("rate", SII_RATE, "rate", {}),
        ("proportion", SII_PROPORTION, "proportion", {}),
        ("rate, log transform", SII_RATE, "rate", {"transform": True}),
        ("rate, log transform, multiplier -1", SII_RATE, "rate", {"transform": True, "multiplier": -1}),
    ],
)
def test_sii_gives_the_peers_sii_rii_and_intercept(case, inputs, value_type, extra):
    out = sii(**{"values": None, **inputs, **extra}, value_type=value_type, repetitions=10_000)
    _check_sii(out, SII_EXPECTED[case])


def test_sii_log_transform_at_two_levels_names_columns_as_the_peer():
    # Row 366: confidence = c(95, 98).
    out = sii(**SII_RATE, value_type="rate", transform=True, confidence=[95, 98], repetitions=10_000)
    columns = ["sii", "rii", "sii_lower95_0cl", "sii_upper95_0cl", "rii_lower95_0cl", "rii_upper95_0cl",
               "sii_lower98_0cl", "sii_upper98_0cl", "rii_lower98_0cl", "rii_upper98_0cl", "intercept"]
    expected = [-3.15590713895456, 0.4418848436076823, -3.4809615490242884, -2.833237344763632,
                0.4082744080360723, 0.4785663265006931, -3.544280996599922, -2.7745074687289164,
                0.4020907792516821, 0.48562375212051656, 5.65458060546947]
    assert out.loc[0, columns].astype(float).tolist() == pytest.approx(expected, rel=SII_TOL)
    assert out.loc[0, "confidence"] == "95%, 98%" and "sii_lower_ci" not in out.columns
    assert out.loc[0, "method"] == "simulation 10000 reps, fitted on the log scale"


def test_sii_from_the_numerator_equals_sii_from_the_proportion():
    proportions = np.array(SII_PROPORTION["x"]) / np.array(SII_PROPORTION["population"])
    from_x = sii(None, SII_PROPORTION["population"], x=SII_PROPORTION["x"], lower=SII_PROPORTION["lower"],
                 upper=SII_PROPORTION["upper"], value_type="proportion", repetitions=1000)
    from_values = sii(proportions, SII_PROPORTION["population"], lower=SII_PROPORTION["lower"],
                      upper=SII_PROPORTION["upper"], value_type="proportion", repetitions=1000)
    pd.testing.assert_frame_equal(from_x, from_values)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sii(**SII_NORMAL, transform=True),
         "The 'transform' parameter of sii must be False for value_type='normal'"),
        (lambda: sii(SII_RATE["values"], SII_RATE["population"], se=[0.1] * 10, value_type="rate", transform=True),
         "The 'se' parameter of sii must be left out when transform=True"),
        (lambda: sii(None, [1] * 5, lower=[0.1] * 5, upper=[0.2] * 5),
         "The 'values' parameter of sii must be given, or 'x' (the numerator) with value_type='proportion'; "
         "got neither."),
        (lambda: sii(None, [10] * 5, x=[1, 0, 1, 1, 1], lower=[0.05] * 5, upper=[0.2] * 5, value_type="proportion"),
         "The 'x' parameter of sii must be above 0 in every quantile; got 0.0 at position 1."),
        (lambda: sii(**SII_RATE, value_type="rate", transform="yes"),
         "The 'transform' parameter of sii must be True or False; got 'yes'."),
    ],
)
def test_sii_errors_name_the_argument(call, message):
    with pytest.raises(InvalidParameter, match=re.escape(message)):
        call()
