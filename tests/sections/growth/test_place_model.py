"""The growth model as a session's place sees it (diagnostics.sections.growth.place_model): the model
or why there is none, the firms most likely to grow next, observed against expected."""

from __future__ import annotations

import numpy as np
import pytest

from diagnostics.exceptions import DiagnosticsError
from diagnostics.sections.growth.analysis import growth_page
from diagnostics.sections.growth.place_model import (
    ModelResult,
    place_candidates,
    place_model,
    place_observed_expected,
)


def test_the_place_model_scores_the_places_firm_windows(small_dx):
    result = place_model(small_dx)
    assert isinstance(result, ModelResult) and result.problem is None
    windows = result.windows
    assert growth_page(small_dx).in_place[windows["firm"].to_numpy()].all()
    assert windows["section"].isin(result.model.sections).all()
    assert ((windows["probability"] > 0) & (windows["probability"] < 1)).all()
    assert np.isfinite(result.country_deprivation)


def test_a_register_too_small_for_the_model_says_why_and_scores_nothing(firms_dx):
    result = place_model(firms_dx)
    assert result.model is None and result.windows.empty
    assert isinstance(result.problem, DiagnosticsError)
    assert str(result.problem).startswith("The firm register has too few firm-windows to fit the growth model: "
                                          "0 high-growth and 1 other windows starting 2019-2019")
    assert place_observed_expected(firms_dx).overall is None
    assert place_candidates(firms_dx).empty


def test_observed_and_expected_add_up_by_sector_and_neighbourhood(small_dx):
    oe = place_observed_expected(small_dx)
    known = place_model(small_dx).windows.dropna(subset=["outcome"])
    assert oe.overall["group"] == small_dx.place.name
    assert oe.overall["observed"] == known["outcome"].sum()
    assert oe.overall["expected"] == pytest.approx(known["probability"].sum())
    for table in (oe.sector, oe.neighbourhood):
        assert table["observed"].sum() == oe.overall["observed"]
        assert table["expected"].sum() == pytest.approx(oe.overall["expected"])
    assert oe.years == (int(known["start_year"].min()), int(known["start_year"].max()) + 3)


def test_candidates_are_firms_not_growing_now_most_likely_first(small_dx):
    page = growth_page(small_dx)
    candidates = place_candidates(small_dx, n=10)
    assert 0 < len(candidates) <= 10
    assert (candidates["start_year"] == page.latest).all() and candidates["outcome"].isna().all()
    assert candidates["probability"].is_monotonic_decreasing
    c = page.classified
    growing = set(c.loc[(c["end_year"] == page.latest) & c["scaleup"], "firm"])
    assert not set(candidates["firm"]) & growing
