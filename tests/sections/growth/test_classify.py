"""The OECD-Eurostat classification (diagnostics.sections.growth.classify): the threshold, the
minimum size, gazelles, scale-ups and ONS's variants, on histories whose answers are worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from sections.growth.registers import by_id, flat, register_of

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition, classify, high_growth


def test_exactly_twenty_percent_a_year_is_not_high_growth_and_just_above_is():
    reg = register_of({"exact": flat(125, 216), "above": flat(125, 217)})
    c = by_id(reg, classify(reg))
    assert not c.loc["exact", "high_growth_employment"]
    assert c.loc["exact", "employment_growth"] == pytest.approx(0.20)
    assert c.loc["above", "high_growth_employment"]


def test_missing_or_zero_values_are_never_high_growth():
    assert high_growth([0, np.nan, 10], [100, 100, np.nan]).tolist() == [False, False, False]


def test_nine_employees_at_the_start_is_excluded_and_ten_is_eligible():
    reg = register_of({"nine": flat(9, 100), "ten": flat(10, 18)})
    c = by_id(reg, classify(reg))
    assert "nine" not in c.index
    assert c.loc["ten", "high_growth_employment"]


def test_gazelle_is_at_most_five_years_old_at_the_end_of_the_window():
    reg = register_of({"five": flat(10, 18), "six": flat(10, 18), "old_slow": flat(10, 11)},
                      founded={"five": 2018.0, "six": 2017.0, "old_slow": 2018.0})
    c = by_id(reg, classify(reg))
    assert c.loc["five", "age"] == 5 and c.loc["five", "gazelle"]
    assert c.loc["six", "age"] == 6 and not c.loc["six", "gazelle"]
    assert not c.loc["old_slow", "gazelle"]


def test_turnover_growth_makes_a_scaleup_but_not_an_employment_high_growth_firm():
    reg = register_of({"turnover": flat(10, 10, t0=100.0, t3=200.0), "closed": [(50, 10.0), (60, 10.0), (70, 10.0), None]})
    c = by_id(reg, classify(reg))
    row = c.loc["turnover"]
    assert row["high_growth_turnover"] and row["scaleup"] and not row["high_growth_employment"]
    assert np.isnan(c.loc["closed", "end_employment"]) and not c.loc["closed", "scaleup"]


def test_parameters_give_the_ons_variants():
    histories = {"ten_pct": flat(125, 170), "small": flat(6, 12), "two_year": [(10, 1.0), (10, 1.0), (12, 1.0), (15, 1.0)]}
    reg = register_of(histories)
    oecd = by_id(reg, classify(reg))
    assert not oecd.loc["ten_pct", "high_growth_employment"]  # 170/125 = 1.36 < 1.2**3
    assert by_id(reg, classify(reg, GrowthDefinition(threshold=0.10))).loc["ten_pct", "high_growth_employment"]
    assert by_id(reg, classify(reg, GrowthDefinition(min_employees=5))).loc["small", "high_growth_employment"]
    two = by_id(reg, classify(reg, GrowthDefinition(window=2)))
    assert two.loc["two_year"].query("end_year == 2023")["high_growth_employment"].item()  # 10 -> 15 in 2 years


def test_the_definition_says_itself_in_words_and_as_a_key():
    assert OECD_EUROSTAT.label == "more than 20% a year over 3 years, 10+ employees at the start"
    assert GrowthDefinition(threshold=0.1, window=2).key == (0.1, 2, 10.0, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"threshold": 0}, r"The 'threshold' parameter of GrowthDefinition must be a positive fraction \(0.2 = 20% a year\); got 0"),
     ({"window": 0}, r"The 'window' parameter of GrowthDefinition must be an integer number of years from 1 to 10; got 0"),
     ({"min_employees": 0}, r"The 'min_employees' parameter of GrowthDefinition must be a number of employees of at least 1"),
     ({"gazelle_max_age": -1}, r"The 'gazelle_max_age' parameter of GrowthDefinition must be a non-negative integer of years; got -1")],
)
def test_growth_definition_names_a_bad_parameter(kwargs, message):
    with pytest.raises(InvalidParameter, match=message):
        GrowthDefinition(**kwargs)


def test_a_threshold_of_2000_percent_a_year_is_odd_but_allowed():
    assert GrowthDefinition(threshold=20).threshold == 20


def test_classify_names_a_wrong_definition():
    reg = register_of({"a": flat(10, 18)})
    with pytest.raises(InvalidParameter, match=r"The 'definition' parameter of classify must be a GrowthDefinition; got dict"):
        classify(reg, {"threshold": 0.2})
