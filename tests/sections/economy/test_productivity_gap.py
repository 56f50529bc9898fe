"""The productivity gap (diagnostics.sections.economy.productivity_gap): worked by hand, and exact."""

from __future__ import annotations

import numpy as np
import pytest
from sections.economy.industry_frames import GAP_NATION, GAP_PLACE, industry

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.productivity_gap import productivity_gap


def test_productivity_gap_worked_example_splits_into_mix_and_within():
    table = productivity_gap(GAP_PLACE, GAP_NATION).set_index("sic_section")
    total = table.loc["Total"]
    assert total["gva_per_job"] == pytest.approx(44_500) and total["national_gva_per_job"] == pytest.approx(60_000)
    assert total["gap"] == pytest.approx(-15_500)
    # mix: (0.3 - 0.5) x 100,000 + (0.7 - 0.5) x 20,000 = -16,000
    assert total["mix"] == pytest.approx(-16_000)
    # within: 0.3 x (90,000 - 100,000) + 0.7 x (25,000 - 20,000) = +500
    assert total["within"] == pytest.approx(500)
    assert table.loc["A", "gva_per_job"] == pytest.approx(90_000)
    assert table.loc["B", ["mix", "within"]].tolist() == pytest.approx([4_000, 3_500])


def test_productivity_gap_parts_sum_exactly_to_the_gap():
    rng = np.random.default_rng(7)
    sections = list("ABCDEFGHIJ")
    nation = industry([(2021, s, float(rng.integers(1000, 9000)), float(rng.uniform(10, 900))) for s in sections])
    place = industry([(2021, s, float(rng.integers(0, 900)), float(rng.uniform(0, 90))) for s in sections])
    place.loc[place["employment"] == 0, "gva"] = 0.0
    table = productivity_gap(place, nation)
    total = table.iloc[-1]
    assert total["mix"] + total["within"] == pytest.approx(total["gap"], rel=1e-12, abs=1e-6)
    assert table.iloc[:-1]["gap"].sum() == pytest.approx(total["gap"], rel=1e-12, abs=1e-6)
    overall = 1e6 * place["gva"].sum() / place["employment"].sum()
    assert total["gva_per_job"] == pytest.approx(overall)


def test_productivity_gap_refuses_a_year_without_gva():
    place = industry([(2020, "A", 30, np.nan), (2020, "B", 70, 1.75)])
    with pytest.raises(InvalidParameter, match="productivity_gap needs a year in which both industry tables give GVA"):
        productivity_gap(place, GAP_NATION)
    with pytest.raises(InvalidParameter, match=r"'year' parameter of productivity_gap names 2020, in which sections A lack GVA"):
        productivity_gap(place, GAP_NATION, year=2020)
    with pytest.raises(InvalidParameter, match=r"'year' parameter of productivity_gap must be a year with industry figures \(2020\); got 1999"):
        productivity_gap(GAP_PLACE, GAP_NATION, year=1999)


def test_productivity_gap_needs_jobs_in_the_year():
    place = industry([(2020, "A", 0, 0.0), (2020, "B", 0, 0.0)])
    with pytest.raises(InvalidParameter, match="'year' parameter of productivity_gap names 2020, in which there are no jobs"):
        productivity_gap(place, GAP_NATION)
