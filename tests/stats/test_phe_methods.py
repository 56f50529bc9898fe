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

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats import count_ci, phe_quantile, quantile_groups, rate_ci

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
