"""The firm register made ready (diagnostics.sections.growth.register): every data-quality problem
counted and treated as the quality table says, and a firm's record some years on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sections.growth.registers import register_of

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.classify import classify
from diagnostics.sections.growth.register import UNKNOWN_SECTION, prepare_register, rows_years_ahead


def test_every_kind_of_bad_input_is_counted_and_nothing_crashes():
    firms = pd.DataFrame({
        "firm_id": ["A", "A", "B", "C", "D", "E", "F"],
        "name": None, "sic": None,
        "sic_section": ["J", "J", "Z", None, "C", "C", "C"],
        "founded": [2001, 2001, 2002, np.nan, 2003, 2004, 2005],
        "small_area_code": ["S1", "S1", "S1", "S2", "NOWHERE", None, "S1"],
        "x": 1.0, "y": 1.0,
    })
    years = pd.DataFrame(
        [("A", 2020, 12, 5.0), ("A", 2020, 13, 5.0),           # duplicated firm-year
         ("A", 2021, -3, 5.0), ("A", 2022, 0, -1.0),           # negative employment, zero, negative turnover
         ("A", 2023, np.nan, 5.0),                              # missing employment
         ("B", 2020, 20, 1.0), ("B", 2023, 40, 1.0),           # two missing years
         ("GHOST", 2021, 5, 1.0)],                              # a firm not in the register
        columns=["firm_id", "year", "employment", "turnover"])
    reg = prepare_register(firms, years, ["S1", "S2"])
    found = dict(zip(reg.quality["check"], reg.quality["count"]))
    assert found == {
        "duplicated firm id": 1,
        "unknown or missing SIC section": 2,
        "missing year founded": 1,
        "missing or unknown small area": 2,
        "records of firms not in the register": 1,
        "duplicated firm-year record": 1,
        "negative employment": 1,
        "zero employment": 1,
        "missing employment": 1,
        "negative turnover": 1,
        "firms with missing years between their first and last record": 1,
    }
    assert "2 missing firm-years" in reg.quality.set_index("check").loc[
        "firms with missing years between their first and last record", "treatment"]
    assert set(reg.firms["section"]) == {"J", UNKNOWN_SECTION, "C"}
    assert reg.years == (2020, 2021, 2022, 2023)
    c = classify(reg)
    assert list(c["firm"].map(reg.firms["firm_id"])) == ["A", "B"]  # A from 12 (2020); B 20 -> 40
    assert c.set_index(c["firm"].map(reg.firms["firm_id"])).loc["B", "high_growth_employment"]
    assert not c.set_index(c["firm"].map(reg.firms["firm_id"])).loc["A", "high_growth_employment"]


def test_the_kept_record_of_a_repeated_firm_year_is_the_first_and_negatives_become_missing():
    firms = pd.DataFrame({"firm_id": ["A"], "sic_section": ["J"], "founded": [2000], "small_area_code": ["S1"]})
    years = pd.DataFrame([("A", 2021, -4, -2.0), ("A", 2020, 12, 5.0), ("A", 2020, 13, 6.0)],
                         columns=["firm_id", "year", "employment", "turnover"])
    panel = prepare_register(firms, years, ["S1"]).panel
    assert panel["year"].tolist() == [2020, 2021]  # sorted by firm and year
    assert panel["employment"].tolist()[0] == 12 and np.isnan(panel["employment"].iloc[1])
    assert np.isnan(panel["turnover"].iloc[1])


def test_prepare_register_names_a_missing_column():
    with pytest.raises(InvalidParameter, match=r"The 'firm_years' parameter of prepare_register lacks column\(s\) \['turnover'\]"):
        prepare_register(pd.DataFrame(columns=["firm_id", "sic_section", "founded", "small_area_code"]),
                         pd.DataFrame(columns=["firm_id", "year", "employment"]))


def test_prepare_register_names_a_table_that_is_not_a_dataframe():
    with pytest.raises(InvalidParameter, match=r"The 'firms' parameter of prepare_register must be a DataFrame; got list"):
        prepare_register([], pd.DataFrame(columns=["firm_id", "year", "employment", "turnover"]))


def test_rows_years_ahead_finds_the_same_firms_record_or_minus_one():
    reg = register_of({"a": [(10, 1.0), (11, 1.0), None, (13, 1.0)], "b": [(5, 1.0)] * 4})
    panel = reg.panel  # a: 2020, 2021, 2023 (rows 0-2); b: 2020-2023 (rows 3-6)
    assert rows_years_ahead(panel, 1).tolist() == [1, -1, -1, 4, 5, 6, -1]
    assert rows_years_ahead(panel, -3, np.array([2, 6])).tolist() == [0, 3]


def test_rows_years_ahead_refuses_more_than_eleven_years():
    reg = register_of({"a": [(10, 1.0)] * 4})
    with pytest.raises(InvalidParameter, match=r"The 'years_ahead' parameter of rows_years_ahead must be at most 11 in size; got 12"):
        rows_years_ahead(reg.panel, 12)
