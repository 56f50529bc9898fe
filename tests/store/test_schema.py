import pandas as pd
import pytest

from diagnostics.exceptions import ContractViolation
from diagnostics.store.schema import validate_table

ROW = dict(indicator_id="x", area_code="D1", period="2023", year=2023, value=10.0, numerator=1.0, denominator=10.0,
           lower_ci=12.0, upper_ci=15.0, confidence=0.95, note="", source="s", vintage="v")


def test_a_row_breaking_a_rule_over_several_columns_is_one_problem_naming_the_rule_and_the_row():
    table = pd.DataFrame([ROW, {**ROW, "area_code": "D2", "lower_ci": 5.0}, {**ROW, "area_code": "D3"}])
    with pytest.raises(ContractViolation) as caught:
        validate_table("indicators", table)
    assert caught.value.problems == [
        "2 row(s) break the rule 'lower_ci <= value <= upper_ci wherever all three are given' (rows 0, 2); "
        "row 0 holds indicator_id=x, area_code=D1, period=2023, year=2023, value=10.0, numerator=1.0, "
        "denominator=10.0, lower_ci=12.0, upper_ci=15.0, confidence=0.95, note=, source=s, vintage=v"
    ]


def test_a_rule_broken_beside_a_column_check_gives_one_problem_each():
    table = pd.DataFrame([ROW, {**ROW, "area_code": "D2", "lower_ci": 5.0, "confidence": 2.0}])
    with pytest.raises(ContractViolation, match=r"\(2 problem\(s\)\)") as caught:
        validate_table("indicators", table)
    assert caught.value.problems[1] == "column 'confidence' fails 'in_range(0, 1)' in 1 row(s) (rows 1); offending values: 2.0"
