"""diagnostics.stats.funnels and funnel_points against PHEindicatormethods' own test expectations.

The expected values are transcribed from the peer's test workbooks (ukhsa-collaboration/
PHEindicatormethods, tests/testthat/testdata_funnel_*.csv, commit 093fd28 of 13 Dec 2024), a
selection of rows of each; the peer's inputs are not copied. The peer compares with testthat's
default tolerance (1.5e-8, relative) against its own algorithm; where ours solves the same equation
another way the tolerance used is said next to the test, with the reason.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats import count_ci, funnel_limits, funnel_points, funnel_significance
from diagnostics.stats.funnels import NOT_COMPARED, TOO_FEW_EVENTS

#: The peer's significance labels, in ours.
PHE_LABELS = {"H3": "above 99.8", "H2": "above 95", "L3": "below 99.8", "L2": "below 95", "NS": "within",
              "NA": TOO_FEW_EVENTS}

LIMITS = ["lower_95_0", "upper_95_0", "lower_99_8", "upper_99_8"]

# ------------------------------------------------------------------------------------- proportions

#: testdata_funnel_prop_outputs.csv: Population, then the 2s and 3s lower and upper limits (%).
#: Its baseline is the pooled value of the 303 areas of testdata_funnel_prop_inputs.csv.
PROPORTION_BASELINE = 80.64244785714955
PROPORTION_LIMITS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (11, 57.293957, 100, 43.829393, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (190, 75.024492, 86.260404, 71.784739, 89.500157),
    (234, 75.580155, 85.70474, 72.660842, 88.624054),
    (58842, 80.323212, 80.961684, 80.139116, 81.14578),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]

#: testdata_funnel_prop_outputs_with_axis_variation.csv (areas with denominators under 31,000).
PROPORTION_AXIS_BASELINE = 82.18033787630714
PROPORTION_AXIS_LIMITS = [
    (10000, 81.43030244, 82.93037332, 80.99777342, 83.36290233),
    (17839, 81.6187774, 82.74189835, 81.29493777, 83.06573798),
    (33000, 81.76745696, 82.5932188, 81.52935757, 82.83131819),
]


@pytest.mark.parametrize(("baseline", "rows", "tolerance"), [
    (PROPORTION_BASELINE, PROPORTION_LIMITS, 5e-7),  # the workbook keeps 6 decimals
    (PROPORTION_AXIS_BASELINE, PROPORTION_AXIS_LIMITS, 5e-9),  # 8 decimals and more
])
def test_proportion_limits_are_phes_wilson_limits_clipped_to_0_and_100_percent(baseline, rows, tolerance):
    expected = pd.DataFrame(rows, columns=["denominator", *LIMITS])
    got = funnel_limits(expected["denominator"], baseline, multiplier=100)
    for column in LIMITS:
        assert got[column].tolist() == pytest.approx(expected[column].tolist(), abs=tolerance), column
    assert (got["method"] == "Wilson").all() and (got["statistic"] == "proportion").all()


def test_proportion_limits_never_leave_0_to_100_percent_at_small_denominators():
    got = funnel_limits([1, 2, 5], 50, multiplier=100)
    assert got[LIMITS].to_numpy().min() == 0 and got[LIMITS].to_numpy().max() == 100
    as_fractions = funnel_limits([1, 2, 5], 0.5)
    assert as_fractions[LIMITS].to_numpy().max() == 1  # the bound is 100% whatever the multiplier


#: testdata_funnel_prop_inputs.csv: the areas nearest a limit, and one of each label (numerator,
#: denominator, the peer's label); the benchmark is the pooled value of all 303 areas.
PROPORTION_AREAS = [
    (59356.4384, 73352, "NS"), (28537.4507, 35201, "H2"), (38045.3716, 46958, "H2"),
    (30111.0810, 37037, "H3"), (26734.0178, 32867, "H3"), (34502.0685, 42485, "H2"),
    (30277.5312, 37828, "L2"), (16924.1296, 20776, "H2"), (35078.4880, 41980, "H3"),
    (24803.6256, 31824, "L3"), (50050.7443, 61921, "NS"), (26789.2380, 33012, "H2"),
]


def test_proportion_significance_is_phes_for_the_areas_nearest_a_limit():
    numerators, denominators, labels = zip(*PROPORTION_AREAS)
    got = funnel_significance(list(numerators), list(denominators), benchmark=PROPORTION_BASELINE, multiplier=100)
    assert got.tolist() == [PHE_LABELS[label] for label in labels]


# ------------------------------------------------------------------------------------------ ratios

#: testdata_funnel_ratio_outputs.csv: observed events O, then for 2s lower, 2s upper, 3s lower and
#: 3s upper the expected events at which O sits on the limit, the "count" limit and the "isr" limit.
RATIO_LIMITS = [
    (1, (5.571644585, -0.820519779, 17.94802207), (0.025317898, 38.49774946, 3949.774946),
     (9.233410143, -0.891697652, 10.83023482), (0.001000547, 998.4532721, 99945.32721)),
    (2, (7.224687515, -0.723171418, 27.6828582), (0.242209467, 7.257315569, 825.7315569),
     (11.22886836, -0.821887662, 17.81123382), (0.04540199, 43.05093268, 4405.093268)),
    (10, (18.39035799, -0.456236795, 54.3763205), (4.795387629, 1.085337156, 208.5337156),
     (24.13397235, -0.585646331, 41.43536693), (2.960519925, 2.37778507, 337.778507)),
    (67, (85.0876134, -0.21257634, 78.74236604), (51.92408873, 0.290345226, 129.0345226),
     (96.35358134, -0.304644425, 69.53555755), (44.52205864, 0.504872013, 150.4872013)),
    (716, (770.4222128, -0.070639465, 92.93605352), (664.5083011, 0.077488421, 107.7488421),
     (802.60414, -0.107903929, 89.20960712), (636.1521174, 0.125516964, 112.5516964)),
]


@pytest.mark.parametrize("row", RATIO_LIMITS, ids=lambda row: f"O={row[0]}")
def test_ratio_limits_pass_through_phes_exact_poisson_points(row):
    # PHE finds each point by bisection that stops when the step in E / (1 + O + E) is below 1e-7,
    # so its expected events are good to about 5e-5 (relative) at O = 1; ours solve the equation
    # exactly, hence a relative tolerance of 1e-5 on the limit at PHE's own expected events.
    for column, (expected_events, count_limit, isr_limit) in zip(LIMITS, row[1:]):
        isr = funnel_limits([expected_events], 100, kind="ratio", multiplier=100)
        count = funnel_limits([expected_events], 0, kind="ratio", ratio_type="count")
        assert isr.loc[0, column] == pytest.approx(isr_limit, rel=1e-5), column
        assert count.loc[0, column] == pytest.approx(count_limit, rel=1e-5, abs=1e-7), column
        assert (isr.loc[0, "statistic"], count.loc[0, "statistic"]) == ("ratio (isr)", "ratio (count)")
        assert isr.loc[0, "method"] == "Poisson"


#: testdata_funnel_ratio_inputs.csv (observed, expected, the peer's label): fewer than 10 events,
#: one of each label, and every area where Spiegelhalter's limits would label it otherwise.
RATIO_AREAS = [
    (8, 6.239860227, "NS"), (0, 240.6273499, "L3"), (6, 4.293052052, "NS"), (151, 106.4429719, "H3"),
    (159, 232.9329036, "L3"), (150, 119.5695496, "H2"), (101, 126.2973615, "L2"),
    (182, 143.6804295, "H2"), (261, 230.9734513, "NS"), (118, 98.01478528, "NS"), (85, 67.9184978, "NS"),
    (94, 67.43668843, "H2"),
]


def test_ratio_significance_is_phes_and_spiegelhalters_flags_more_areas():
    observed, expected, labels = zip(*RATIO_AREAS)
    got = funnel_significance(list(observed), list(expected), kind="ratio", multiplier=100)
    assert got.tolist() == [PHE_LABELS[label] for label in labels]
    older = funnel_significance(list(observed), list(expected), kind="ratio", multiplier=100, method="spiegelhalter")
    assert older[-5:].tolist() == ["above 99.8", "above 95", "above 95", "above 95", "above 99.8"]


def test_ratio_count_type_centres_on_0_and_gives_the_same_flags():
    observed, expected, _ = zip(*RATIO_AREAS)
    isr = funnel_significance(list(observed), list(expected), kind="ratio")
    count = funnel_significance(list(observed), list(expected), kind="ratio", ratio_type="count")
    assert count.tolist() == isr.tolist()


# ------------------------------------------------------------------------------------------- rates

#: testdata_funnel_rate_outputs.csv (directly standardised rate per 100,000 over 3 years): events,
#: then per limit the population of one year at which the events sit on it, and the limit.
RATE_BASELINE = 116.1720835
RATE_LIMITS = [
    (1, (1598.675694, 20.85059119), (7.264481402, 4588.535848), (2649.348525, 12.58170943),
     (0.287087625, 116108.569)),
    (2, (2072.984403, 32.15975314), (69.49732367, 959.2695538), (3221.906682, 20.69168143),
     (13.02722321, 5117.48863)),
    (19, (8513.476582, 74.39185711), (3282.268972, 192.9559517), (10530.63653, 60.14198014),
     (2383.129299, 265.7570169)),
    (1360, (411529.9259, 110.158048), (369759.5622, 122.6021934), (424043.2424, 106.9073359),
     (358342.3275, 126.5084525)),
]


@pytest.mark.parametrize("row", RATE_LIMITS, ids=lambda row: f"O={row[0]}")
def test_rate_limits_pass_through_phes_exact_poisson_points(row):
    # as for ratios: PHE's bisection is good to about 1e-5, its workbook to 10 significant figures
    for column, (population_one_year, limit) in zip(LIMITS, row[1:]):
        got = funnel_limits([population_one_year * 3], RATE_BASELINE, kind="rate", multiplier=100_000)
        assert got.loc[0, column] == pytest.approx(limit, rel=1e-5), column


#: testdata_funnel_rate_dsr_inputs.csv, every row: count, DSR per 100,000, population, crude rate
#: per 100,000, and the peer's labels for the DSR, the crude rate with the area of 0 events, and the
#: crude rate without it (the DSR's labels are the same without it: it is not in the DSR's pool).
RATE_AREAS = [
    (2419, 907.6174266, 264102, 915.9339952, "H3", "H3", "H3"), (2337, 948.5620216, 259711, 899.8463677, "H3", "H3", "H3"),
    (2291, 799.9690496, 289247, 792.056616, "H3", "H3", "H3"), (2242, 852.5637927, 265029, 845.9451607, "H3", "H3", "H3"),
    (2218, 868.5358183, 284649, 779.2052668, "H3", "H3", "H3"), (2159, 769.6242217, 293578, 735.409329, "H3", "H3", "H3"),
    (2130, 752.3254955, 286718, 742.8902266, "H2", "H3", "H3"), (2111, 710.2689402, 307381, 686.7698394, "NS", "NS", "NS"),
    (2105, 815.3530325, 274145, 767.8418355, "H3", "H3", "H3"), (2083, 717.7035916, 297424, 700.3469794, "NS", "H2", "NS"),
    (2078, 755.8016993, 272628, 762.2107781, "H3", "H3", "H3"), (2062, 825.9742848, 269656, 764.6779601, "H3", "H3", "H3"),
    (2061, 702.2972468, 294692, 699.3742619, "NS", "H2", "NS"), (2033, 785.6210132, 277710, 732.0586223, "H3", "H3", "H2"),
    (2033, 743.6763018, 259213, 784.2970839, "H2", "H3", "H3"), (2010, 781.8323058, 285516, 703.9885681, "H3", "H2", "NS"),
    (2004, 772.6781064, 269449, 743.7400027, "H3", "H3", "H3"), (2002, 652.3391553, 290888, 688.2373972, "L3", "NS", "NS"),
    (1977, 648.4969973, 287112, 688.5814595, "L3", "NS", "NS"), (1944, 727.5777428, 286492, 678.5529788, "NS", "NS", "NS"),
    (1932, 625.6551186, 287012, 673.1425864, "L3", "NS", "NS"), (1922, 688.5582424, 291277, 659.8529922, "NS", "NS", "NS"),
    (1912, 662.4465438, 289859, 659.631062, "L2", "NS", "NS"), (1881, 627.1624732, 289653, 649.3977276, "L3", "NS", "L2"),
    (1844, 657.1114147, 282519, 652.6994645, "L2", "NS", "L2"), (1835, 724.8456714, 274220, 669.1707388, "NS", "NS", "NS"),
    (1833, 659.7820553, 280271, 654.009869, "L2", "NS", "L2"), (1825, 654.7053631, 284206, 642.1398563, "L3", "NS", "L2"),
    (1816, 624.4435507, 274508, 661.5472045, "L3", "NS", "NS"), (1809, 646.7588823, 288384, 627.2886152, "L3", "L2", "L3"),
    (1798, 703.1689982, 287072, 626.3237097, "NS", "L2", "L3"), (1754, 567.9922764, 282744, 620.3491498, "L3", "L3", "L3"),
    (1746, 617.7750715, 289208, 603.7177395, "L3", "L3", "L3"), (1709, 610.8327232, 287736, 593.9472294, "L3", "L3", "L3"),
    (1694, 608.5089462, 296175, 571.9591458, "L3", "L3", "L3"), (1688, 662.3775859, 303255, 556.6272609, "L2", "L3", "L3"),
    (1649, 667.6454503, 285959, 576.6560941, "L2", "L3", "L3"), (1553, 604.1141693, 274661, 565.4242867, "L3", "L3", "L3"),
    (1332, 469.5645784, 281425, 473.3054988, "L3", "L3", "L3"), (0, math.nan, 297820, 0, "NA", "L3", "NS"),
]


@pytest.mark.parametrize("without_0", [False, True], ids=["with 0", "without 0"])
@pytest.mark.parametrize("multiplier", [100_000, 100])
def test_rate_significance_is_phes_with_the_denominators_each_rate_implies(multiplier, without_0):
    data = pd.DataFrame(RATE_AREAS, columns=["count", "dsr", "pop", "crude", "dsr_label", "crude_label",
                                             "crude_label_without_0"])
    if without_0:
        data = data.loc[data["count"] != 0]
    # the peer's "per 100" cases give its DSRs per 100,000 with a multiplier of 100, and its crude
    # rates per 100 (the workbook's per 100,000 over 1,000)
    crude = data["crude"] * multiplier / 100_000
    crude_label = "crude_label_without_0" if without_0 else "crude_label"
    for rate, rate_type, label in [(data["dsr"], "dsr", "dsr_label"), (crude, "crude", crude_label)]:
        points = funnel_points(data["count"], rate, data["pop"], rate_type=rate_type, multiplier=multiplier)
        got = funnel_significance(data["count"], points["denominator"], kind="rate", rate_type=rate_type,
                                  multiplier=multiplier)
        assert got.tolist() == data[label].map(PHE_LABELS).tolist(), rate_type


def test_a_directly_standardised_rate_of_fewer_than_10_events_is_not_tested():
    got = funnel_significance([0, 9, 30, 500], [1000, 1000, 1000, 1000], benchmark=500, kind="rate",
                              multiplier=100_000, rate_type="dsr")
    assert got.tolist() == [TOO_FEW_EVENTS, TOO_FEW_EVENTS, "above 99.8", "above 99.8"]
    crude = funnel_significance([0, 9], [1000, 1000], benchmark=500, kind="rate", multiplier=100_000)
    assert crude.tolist() == ["below 95", "within"]  # 0 and 9 events where 5 were expected


#: testdata_funnel_rate_input_funnels.csv: events, rate per 100,000, population, then the points of
#: a DSR over 3 years, a crude rate over 3 years, and a crude rate over 5 years with denominators
#: (rate_chart, denominator_derived each). The row of 988 events is set to 5 events for the DSR and
#: to 0 events for the crude rate with denominators, as the peer's tests do.
POINT_ROWS = [
    (414, 184, 5705, (184, 75000), (184, 75000), (184, 45000)),
    (462, 102, 3377, (102, 150980.3922), (102, 150980.3922), (102, 90588.23529)),
    (13, 70, 9173, (70, 6190.47619), (70, 6190.47619), (70, 3714.285714)),
    (988, 167, 6883, (math.nan, math.nan), (167, 197205.5888), (167, 1376.6)),
    (25, 53, 7182, (53, 15723.27044), (53, 15723.27044), (53, 9433.962264)),
]


def test_funnel_points_are_phes_calculate_funnel_points():
    events, rates, pops, dsr, crude, crude_with_denominators = (list(c) for c in zip(*POINT_ROWS))
    cases = [
        (funnel_points([5 if e == 988 else e for e in events], rates, rate_type="dsr", multiplier=100_000,
                       years_of_data=3), dsr),
        (funnel_points(events, rates, rate_type="crude", multiplier=100_000, years_of_data=3), crude),
        (funnel_points([0 if e == 988 else e for e in events], rates, pops, rate_type="crude",
                       multiplier=100_000, years_of_data=5), crude_with_denominators),
    ]
    for got, expected in cases:
        want = pd.DataFrame(expected, columns=["rate_chart", "denominator_derived"])
        for column in want:  # the workbook keeps 10 significant figures
            assert got[column].tolist() == pytest.approx(want[column].tolist(), rel=1e-9, nan_ok=True), column
    assert cases[0][0]["statistic"].iloc[0] == "rate (dsr per 100,000)"
    assert cases[0][0]["denominator"].iloc[3] == pytest.approx(100_000 * 5 / 167)  # whole period, still tested


# ------------------------------------------------------------------------ worked by hand: the method


def test_poisson_upper_limit_is_one_event_exactly_where_p_of_at_least_one_is_the_tail():
    expected = -math.log(1 - 0.001)  # P(Y >= 1) = 0.001
    got = funnel_limits([expected], 1, kind="ratio", levels=(0.998,))
    assert got.loc[0, "upper_99_8"] == pytest.approx(1 / expected, rel=1e-12)


def test_poisson_lower_limit_is_0_until_no_events_becomes_unlikely():
    edge = -math.log(0.025)  # P(Y = 0) = 0.025
    got = funnel_limits([edge * 0.999, edge * 1.01], 1, kind="ratio", levels=(0.95,))
    assert got["lower_95_0"].iloc[0] == 0 and got["lower_95_0"].iloc[1] > 0


def test_spiegelhalters_upper_limit_sits_about_one_event_inside_phes():
    expected = np.array([10.0, 100.0, 1000.0, 10_000.0])
    phe = funnel_limits(expected, 1, kind="ratio")
    older = funnel_limits(expected, 1, kind="ratio", method="spiegelhalter")
    for column in ("upper_95_0", "upper_99_8"):
        events = (phe[column] - older[column]).to_numpy() * expected
        assert ((events > 0.9) & (events <= 1.0)).all(), column
    assert (older["method"] == "Spiegelhalter exact").all()


def test_below_10_events_the_flag_is_the_side_of_the_drawn_limit():
    observed, expected = np.meshgrid(np.arange(10.0), np.linspace(0.2, 25, 60))
    observed, expected = observed.ravel(), expected.ravel()
    flags = funnel_significance(observed, expected, kind="ratio")
    limits = funnel_limits(expected, 1, kind="ratio")
    ratio = observed / expected
    drawn = np.where(ratio > limits["upper_99_8"], "above 99.8", np.where(ratio > limits["upper_95_0"], "above 95",
                     np.where(ratio < limits["lower_99_8"], "below 99.8",
                              np.where(ratio < limits["lower_95_0"], "below 95", "within"))))
    assert flags.tolist() == drawn.tolist()


def test_poisson_flags_use_the_count_interval_against_the_benchmark():
    low, high = count_ci(np.array([30.0]), 0.95)
    assert funnel_significance([30], [low[0] * 0.999], kind="ratio", levels=(0.95,)).tolist() == ["above 95"]
    assert funnel_significance([30], [low[0] * 1.001], kind="ratio", levels=(0.95,)).tolist() == ["within"]
    assert funnel_significance([30], [high[0] * 1.001], kind="ratio", levels=(0.95,)).tolist() == ["below 95"]


def test_missing_counts_and_empty_denominators_are_not_compared():
    got = funnel_significance([np.nan, 5], [10, 0], kind="ratio")
    assert got.tolist() == [NOT_COMPARED, NOT_COMPARED]


# ------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: funnel_limits([10], 0.5, method="poisson"),
         "The 'method' parameter of funnel_limits must be one of 'wilson', 'spiegelhalter' for kind='proportion'; "
         "got 'poisson'."),
        (lambda: funnel_limits([10], 0.5, method="exact"),
         "The 'method' parameter of funnel_limits must be one of 'wilson', 'poisson', 'spiegelhalter'; got 'exact'."),
        (lambda: funnel_limits([10], 50, kind="rate", ratio_type="count"),
         "The 'ratio_type' parameter of funnel_limits applies to kind='ratio' only; got 'count' with kind='rate'. "
         "Leave it out."),
        (lambda: funnel_limits([10], 1, kind="ratio", ratio_type="smr"),
         "The 'ratio_type' parameter of funnel_limits must be one of 'isr', 'count'; got 'smr'."),
        (lambda: funnel_limits([10], -2, kind="ratio", ratio_type="count"),
         "The 'benchmark' parameter of funnel_limits must be a number >= -1; got -2."),
        (lambda: funnel_significance([5], [10], rate_type="dsr"),
         "The 'rate_type' parameter of funnel_significance applies to kind='rate' only; got 'dsr' with "
         "kind='proportion'. Leave it out."),
        (lambda: funnel_significance([5], [10], kind="rate", rate_type="isr"),
         "The 'rate_type' parameter of funnel_significance must be one of 'crude', 'dsr'; got 'isr'."),
        (lambda: funnel_points([5], [50], rate_type="standardised", multiplier=100_000),
         "The 'rate_type' parameter of funnel_points must be one of 'crude', 'dsr'; got 'standardised'."),
        (lambda: funnel_points([5, 0], [50, 0], rate_type="crude", multiplier=100_000),
         "The 'denominators' parameter of funnel_points is needed for a crude rate where an area has no events "
         "(at position 1); got None. Give every area's person-years."),
        (lambda: funnel_points([5, 0], [50, 0], [10_000, 0], rate_type="crude", multiplier=100_000),
         "The 'denominators' parameter of funnel_points must be above 0 where an area has no events; got 0.0 at "
         "position 1."),
        (lambda: funnel_points([5, 6], [50], rate_type="dsr", multiplier=100_000),
         "The 'numerators' and 'rates' parameters of funnel_points must have the same length; got (2,) and (1,)."),
        (lambda: funnel_points([5], [50], rate_type="dsr", multiplier=100_000, years_of_data=0),
         "The 'years_of_data' parameter of funnel_points must be a number > 0; got 0."),
        (lambda: funnel_points([5], [-50], rate_type="dsr", multiplier=100_000),
         "The 'rates' parameter of funnel_points must be non-negative; got -50.0 at position 0."),
    ],
)
def test_each_invalid_funnel_argument_raises_a_message_naming_it(call, message):
    with pytest.raises(InvalidParameter, match=__import__("re").escape(message)):
        call()
