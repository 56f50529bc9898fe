"""Location quotients and the industrial structure (diagnostics.sections.economy.structure)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sections.economy.industry_frames import NATION, industry

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.structure import industrial_structure, location_quotients, section_series


def test_location_quotients_are_local_share_over_national_share():
    lq = location_quotients(pd.Series({"A": 30, "B": 70}), pd.Series({"A": 100, "B": 900}))
    # A: 0.3 / 0.1 = 3; B: 0.7 / 0.9
    assert lq["A"] == pytest.approx(3.0)
    assert lq["B"] == pytest.approx(0.7 / 0.9)


def test_location_quotient_is_missing_for_a_sector_with_no_national_jobs():
    lq = location_quotients(pd.Series({"A": 10, "B": 0}), pd.Series({"A": 50, "B": 0}))
    assert lq["A"] == pytest.approx(1.0) and np.isnan(lq["B"])


def test_location_quotients_need_jobs():
    with pytest.raises(InvalidParameter, match="positive total employment"):
        location_quotients(pd.Series({"A": 0}), pd.Series({"A": 10}))


def test_industrial_structure_calls_out_specialisations_by_the_stated_rule():
    # national shares: A 10%, B 10%, C 10%, D 69.5%, E 0.5%; place of 1000 jobs
    nation = industry([(2020, "A", 1000), (2020, "B", 1000), (2020, "C", 1000), (2020, "D", 6950), (2020, "E", 50)])
    place = industry([(2020, "A", 125), (2020, "B", 200), (2020, "C", 80), (2020, "D", 586), (2020, "E", 9)])
    table = industrial_structure(place, nation, 2020).set_index("sic_section")
    assert table.loc["A", "lq"] == pytest.approx(1.25)
    assert table.loc["A", "specialisation"] == "specialisation"  # exactly 1.25 counts
    assert table.loc["B", "specialisation"] == "strong specialisation"  # LQ 2.0
    assert table.loc["C", "specialisation"] == "under-represented"  # LQ 0.8
    assert table.loc["D", "specialisation"] == ""  # LQ 0.84
    assert table.loc["E", "lq"] == pytest.approx(1.8)
    assert table.loc["E", "specialisation"] == ""  # 0.9% of jobs: below the 1% rule
    assert table["share"].sum() == pytest.approx(100.0)
    assert list(table.index) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert table.loc["C", "name"] == "Manufacturing"


def test_industrial_structure_needs_a_year_both_tables_hold():
    with pytest.raises(InvalidParameter, match=r"'year' parameter of industrial_structure must be a year with industry figures \(2010, 2020\); got 2015"):
        industrial_structure(NATION, NATION, 2015)


def test_a_section_series_runs_a_to_u_with_nan_for_sections_without_rows():
    series = section_series(NATION, 2020)
    assert list(series.index) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert series[["A", "B"]].tolist() == [500.0, 600.0] and series.drop(["A", "B"]).isna().all()
