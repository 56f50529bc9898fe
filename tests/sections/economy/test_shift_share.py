"""Shift-share (diagnostics.sections.economy.shift_share): worked by hand, and exact in every row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sections.economy.industry_frames import NATION, PLACE, industry

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.shift_share import shift_share


def test_shift_share_worked_example_has_the_known_components():
    table = shift_share(PLACE, NATION).set_index("sic_section")
    # A: NS = 100 x 10% = 10, IM = 100 x (25% - 10%) = 15, LE = 100 x (20% - 25%) = -5
    assert table.loc["A", ["national_growth", "industry_mix", "local_effect"]].tolist() == pytest.approx([10, 15, -5])
    # B: NS = 200 x 10% = 20, IM = 200 x (0% - 10%) = -20, LE = 200 x (10% - 0%) = 20
    assert table.loc["B", ["national_growth", "industry_mix", "local_effect"]].tolist() == pytest.approx([20, -20, 20])
    total = table.loc["Total"]
    assert [total["national_growth"], total["industry_mix"], total["local_effect"]] == pytest.approx([30, -5, 15])
    assert total["change"] == 40 and total["start_employment"] == 300 and total["end_employment"] == 340
    assert total["national_growth_pct"] == pytest.approx(10.0)
    assert (table["start_year"] == 2010).all() and (table["end_year"] == 2020).all()


def test_shift_share_components_sum_exactly_to_the_change_in_every_row():
    rng = np.random.default_rng(6)
    years, sections = [2015, 2019], list("ABCDEFG")
    nation = industry([(y, s, float(rng.integers(1000, 50000))) for y in years for s in sections])
    place = industry([(y, s, float(rng.integers(0, 3000))) for y in years for s in sections])
    table = shift_share(place, nation)
    parts = table["national_growth"] + table["industry_mix"] + table["local_effect"]
    assert np.abs(parts - table["change"]).max() <= 1e-9 * table["start_employment"].max()
    assert table.iloc[-1]["change"] == pytest.approx(table.iloc[:-1]["change"].sum())


def test_shift_share_gives_a_new_sector_all_to_the_local_effect():
    nation = industry([(2010, "A", 100), (2010, "B", 100), (2020, "A", 100), (2020, "B", 150)])
    place = industry([(2010, "A", 10), (2020, "A", 10), (2020, "B", 7)])
    row = shift_share(place, nation).set_index("sic_section").loc["B"]
    assert (row["national_growth"], row["industry_mix"], row["local_effect"], row["change"]) == (0, 0, 7, 7)


def test_shift_share_uses_the_years_asked_for():
    nation = pd.concat([NATION, industry([(2015, "A", 450), (2015, "B", 600)])])
    place = pd.concat([PLACE, industry([(2015, "A", 100), (2015, "B", 300)])])
    table = shift_share(place, nation, start_year=2015, end_year="2020")
    assert table.iloc[-1]["change"] == 340 - 400 and table["start_year"].iloc[0] == 2015


@pytest.mark.parametrize(
    ("start_year", "end_year", "message"),
    [
        (2030, None, r"'start_year' parameter of shift_share must be a year with industry figures .*\(2010, 2020\); got 2030"),
        (None, 2011, r"'end_year' parameter of shift_share must be a year with industry figures .*got 2011"),
        (2020, 2010, r"'start_year' parameter of shift_share must be before 'end_year'; got start_year=2020 and end_year=2010"),
        (2020, 2020, r"must be before 'end_year'"),
        ("last year", None, r"'start_year' parameter of shift_share must be a year such as 2015, or None; got 'last year'"),
        (2012.5, None, r"'start_year' parameter of shift_share must be a year such as 2015"),
        (True, None, r"must be a year such as 2015"),
    ],
)
def test_shift_share_rejects_bad_years_with_a_message_naming_the_fix(start_year, end_year, message):
    with pytest.raises(InvalidParameter, match=message):
        shift_share(PLACE, NATION, start_year, end_year)


def test_shift_share_needs_national_jobs_at_the_start():
    nation = industry([(2010, "A", 0), (2020, "A", 10)])
    with pytest.raises(InvalidParameter, match="'start_year' parameter of shift_share names 2010, when the nation has no jobs"):
        shift_share(PLACE, nation)
