"""Funnel plots' data: every area of a layer against the country, with Fingertips' control limits."""

from __future__ import annotations

import pytest

from diagnostics.sections.health import funnels
from diagnostics.sections.health.funnels import FunnelData


def test_under75_ratios_of_all_districts_add_up_to_the_countrys_deaths(gradient_store):
    # expected deaths use the country's own rates, so over the whole country they equal the observed
    smr = funnels.under75_smr(gradient_store, "district")
    assert smr["expected"].sum() == pytest.approx(smr["observed"].sum())


def test_under75_mortality_is_drawn_as_a_standardised_ratio_against_expected_deaths(gradient_store):
    funnel = funnels.funnel_data(gradient_store, "district", "under75_mortality")
    assert isinstance(funnel, FunnelData)
    assert (funnel.benchmark, funnel.kind, funnel.multiplier, funnel.polarity) == (100.0, "ratio", 100.0,
                                                                                   "lower_is_better")
    assert funnel.period == "2021-23"
    assert sorted(funnel.points["code"]) == ["D1", "D2", "D3"]
    assert funnel.points["value"].tolist() == pytest.approx(
        (funnel.points["numerator"] / funnel.points["denominator"] * 100).tolist())
    assert set(funnel.points["significance"]) <= {"within", "above 95", "above 99.8", "below 95", "below 99.8"}
    assert len(funnel.limits) == 200


def test_no_funnel_without_counts(gradient_store, tiny_england_store):
    assert funnels.funnel_data(gradient_store, "district", "smoking_prevalence") is None  # not in this store
    assert funnels.funnel_data(tiny_england_store, "district", "under75_mortality") is None  # no deaths


def test_a_stored_indicator_with_counts_is_drawn_as_its_rate_or_proportion(tiny_store):
    funnel = funnels.funnel_data(tiny_store, "district", "smoking_prevalence")
    assert funnel.kind == "proportion" and funnel.multiplier == 100.0 and funnel.unit == "%"
    assert len(funnel.points) == 4 and funnel.polarity == "lower_is_better"
