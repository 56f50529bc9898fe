"""The years of an industry comparison (diagnostics.sections.economy.years)."""

from __future__ import annotations

import pytest
from sections.economy.industry_frames import NATION, PLACE, industry

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.years import check_years, common_years, year_parameters, year_span


def test_year_parameters_are_checked_before_any_data():
    assert year_parameters(None, None) == (None, None)
    assert year_parameters(" 2015", 2016) == (2015, 2016)
    with pytest.raises(InvalidParameter, match="'end_year' parameter of shift_share must be a year"):
        year_parameters(2015, "2016-17")
    with pytest.raises(InvalidParameter, match="must be before 'end_year'"):
        year_parameters(2019, 2016)


def test_common_years_are_the_years_both_tables_hold():
    assert common_years(PLACE, NATION) == [2010, 2020]
    assert common_years(PLACE, industry([(2020, "A", 1)])) == [2020]


def test_check_years_defaults_to_the_first_and_last_common_years():
    assert check_years(PLACE, NATION, None, None) == (2010, 2020)
    assert check_years(PLACE, NATION, None, None, name="year", func="productivity_gap") == (2020, None)


def test_check_years_needs_a_common_year():
    with pytest.raises(InvalidParameter, match="shift_share needs a year that both industry tables hold; they share none"):
        check_years(PLACE, industry([(1999, "A", 1)]), None, None)


def test_year_span_reads_as_people_write_it():
    assert year_span([2024, 2015, 2019]) == "2015 to 2024"
    assert year_span([2020]) == "2020" and year_span([]) == "no years"
