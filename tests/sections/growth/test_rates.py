"""Growth firms counted by small area and their rates by area (diagnostics.sections.growth.rates)."""

from __future__ import annotations

import pandas as pd
import pytest
from sections.growth.registers import flat, register_of

from diagnostics.sections.growth.classify import classify
from diagnostics.sections.growth.rates import (
    firms_in_area,
    growth_rates,
    small_area_assignment,
    small_area_counts,
    store_growth,
)
from diagnostics.stats import proportion_ci


def test_rates_are_per_ten_thousand_with_wilson_intervals():
    histories = {f"g{i}": flat(10, 20) for i in range(3)}
    histories.update({f"s{i}": flat(10, 10) for i in range(7)})
    histories.update({f"m{i}": flat(2, 2) for i in range(10)})
    reg = register_of(histories, areas={k: ("S2" if k.startswith("m") else "S1") for k in histories})
    counts = small_area_counts(reg, classify(reg))
    assignment = pd.Series({"S1": "D1", "S2": "D1"})
    rates = growth_rates(counts, assignment, ["D1"])
    row = rates.loc[rates["measure"] == "high_growth_employment"].iloc[0]
    assert (row["year"], row["count"], row["businesses"], row["businesses_10plus"]) == (2023, 3, 20, 10)
    assert row["per_10k_10plus"] == pytest.approx(3000.0)
    assert row["per_10k_businesses"] == pytest.approx(1500.0)
    _, lower, upper = proportion_ci(3, 10, multiplier=10_000)
    assert (row["per_10k_10plus_lower"], row["per_10k_10plus_upper"]) == pytest.approx((lower, upper))
    assert row["confidence"] == 0.95


def test_counts_are_by_small_area_and_end_year_and_leave_out_firms_with_no_small_area():
    reg = register_of({"a": flat(10, 20), "b": flat(10, 20), "c": flat(3, 3)}, areas={"b": None, "c": "S2"})
    counts = small_area_counts(reg, classify(reg)).set_index(["small_area_code", "year"])
    assert counts.loc[("S1", 2023), ["businesses", "businesses_10plus", "high_growth_employment", "scaleup"]].tolist() == [1, 1, 1, 1]
    assert counts.loc[("S1", 2020), "high_growth_employment"] == 0  # no window ends before 2023
    assert counts.loc[("S2", 2023), ["businesses", "businesses_10plus"]].tolist() == [1, 0]
    assert counts["businesses"].sum() == 8  # a and c, four years each; b has no small area


def test_rates_of_areas_of_several_layers_in_one_call(firms_store):
    register, classified, counts = store_growth(firms_store)
    assignments = {layer: small_area_assignment(firms_store, layer) for layer in ("district", "region")}
    rates = growth_rates(counts, assignments, ["D1", "R1"])
    hg = rates.loc[rates["measure"] == "high_growth_employment"].set_index(["area_code", "year"])
    # Ashcombe (D1): A, B and D active; A and B with 10+; A high-growth in the window ending 2022
    assert hg.loc[("D1", 2022), ["count", "businesses", "businesses_10plus"]].tolist() == [1, 3, 2]
    assert hg.loc[("D1", 2022), "per_10k_10plus"] == pytest.approx(5000.0)
    # the North Region (D1 and D2) adds C, high-growth in both windows
    assert hg.loc[("R1", 2023), ["count", "businesses_10plus"]].tolist() == [1, 3]
    assert list(rates["area_code"].unique()) == ["D1", "R1"]  # in the order asked for
    assert sorted(rates["year"].unique()) == [2022, 2023]  # from the first year a 3-year window can end


def test_store_growth_is_computed_once_per_store_and_definition(firms_store):
    assert store_growth(firms_store) is store_growth(firms_store)


def test_firms_in_area_marks_the_register_firms_of_an_area(firms_store):
    register, _, _ = store_growth(firms_store)
    inside = firms_in_area(firms_store, register, "district", "D1")
    assert register.firms.loc[inside, "firm_id"].tolist() == ["A", "B", "D"]
    assert not firms_in_area(firms_store, register, "district", "NOWHERE").any()
