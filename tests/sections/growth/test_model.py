"""The logistic model of growth potential (diagnostics.sections.growth.model): the fit, its checks,
a perfectly separated design refused, and the model kept on disk."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from diagnostics import cache
from diagnostics.exceptions import DiagnosticsError, InvalidParameter
from diagnostics.sections.growth import model as growth_model
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition
from diagnostics.sections.growth.model import GrowthModel, auc, fit_logit, train_model


def test_logit_recovers_known_coefficients_on_simulated_data():
    rng = np.random.default_rng(2024)
    n = 60_000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.3, n), rng.normal(size=n)])
    truth = np.array([-2.5, 0.8, -0.6, 0.3])
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ truth))).astype(float)
    fit = fit_logit(y, X, ["intercept", "a", "b", "c"])
    se = np.sqrt(np.diag(fit["cov"]))
    assert fit["converged"]
    assert np.all(np.abs(np.array(fit["params"]) - truth) < 4 * se)
    assert np.all(se < 0.06)


def test_auc_is_one_half_for_noise_and_one_for_perfect_ranking():
    y = np.array([0, 1] * 50, float)
    assert auc(y, y) == 1.0
    assert auc(y, np.zeros(100)) == 0.5
    assert np.isnan(auc(np.ones(4), np.arange(4)))  # no negatives: undefined


def test_a_perfectly_separated_design_is_refused_not_fitted_silently():
    x = np.r_[np.ones(8), np.zeros(8)]  # the outcome is x itself: the estimate of its effect runs off to infinity
    before = list(warnings.filters)
    with pytest.raises(PerfectSeparationWarning, match="Perfect separation"):
        fit_logit(x.copy(), np.column_stack([np.ones(16), x]), ["intercept", "x"])
    assert warnings.filters == before  # escalated inside the fit only


def _separated_windows() -> pd.DataFrame:
    """Firm-windows of 2018-2021 in which every young firm grows and no old one does."""
    young = np.tile([True] * 40 + [False] * 40, 4)
    return pd.DataFrame({
        "firm": np.arange(len(young)), "start_year": np.repeat([2018, 2019, 2020, 2021], 80),
        "employment": 10.0, "recent_growth": 0.0, "no_previous_year": False, "age": np.where(young, 1.0, 25.0),
        "section": "G", "small_area_code": "S1", "deprivation": 20.0, "log10_density": 3.0,
        "outcome": young.astype(float),
    })


def test_the_model_says_so_when_a_factor_predicts_high_growth_perfectly():
    with pytest.raises(DiagnosticsError, match=(
            r"The growth model cannot be estimated on this register \(Perfect separation or prediction detected, "
            r"parameter may not be identified\): some factor predicts the outcome perfectly or is constant")):
        train_model(_separated_windows(), OECD_EUROSTAT, "v1")


def test_the_model_needs_two_start_years_with_known_outcomes():
    windows = _separated_windows().query("start_year == 2018")
    with pytest.raises(InvalidParameter, match=(
            r"The firm register covers too few years to fit and test the model: outcomes over 3 years are known "
            r"for start years \[2018\]; at least two are needed")):
        train_model(windows, OECD_EUROSTAT, "v1")


def test_the_model_needs_twenty_windows_of_each_outcome():
    windows = _separated_windows().query("age > 1 or firm % 40 < 5")  # 5 young (growing) firms a year
    with pytest.raises(DiagnosticsError, match=(
            r"too few firm-windows to fit the growth model: 10 high-growth and 80 other windows starting 2019-2020; "
            r"at least 20 of each are needed")):
        train_model(windows, OECD_EUROSTAT, "v1")


def test_model_is_fitted_once_then_read_from_the_disk_cache(small, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    cache.clear()
    model = growth_model.growth_model(small)
    files = list((tmp_path / "results" / "growth_model").glob(f"{small.version}-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["store_version"] == small.version
    assert 0.5 < model.test_auc < 1 and model.test_year > model.train_years[-1]
    assert model.window == 3
    cache.clear()
    monkeypatch.setattr(growth_model, "train_model", lambda *a, **k: pytest.fail("refitted despite the disk cache"))
    again = growth_model.growth_model(small)
    assert again.fit["params"] == model.fit["params"]
    monkeypatch.undo()
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    growth_model.growth_model(small, GrowthDefinition(threshold=0.10))
    assert len(list((tmp_path / "results" / "growth_model").glob("*.json"))) == 2  # one file per definition


def test_a_model_survives_its_trip_through_json(small):
    model = growth_model.growth_model(small)
    assert GrowthModel.from_json(model.to_json()) == model
