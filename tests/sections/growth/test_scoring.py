"""What the growth model says (diagnostics.sections.growth.scoring): odds ratios in words, firms'
scores with their factors, and observed against expected high growth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics.sections.growth.features import store_windows
from diagnostics.sections.growth.model import growth_model
from diagnostics.sections.growth.rates import store_growth
from diagnostics.sections.growth.scoring import observed_expected, odds_ratio_table, score_firms
from diagnostics.stats import count_ci


def test_observed_expected_ratio_uses_byar_interval_on_the_observed_count():
    windows = pd.DataFrame({"outcome": [1.0, 1.0, 0.0, 0.0, 1.0, 0.0]})
    table = observed_expected(windows, np.full(6, 0.25), ["a", "a", "a", "a", "b", "b"]).set_index("group")
    assert table.loc["a", "observed"] == 2 and table.loc["a", "expected"] == pytest.approx(1.0)
    lower, upper = count_ci(2.0)
    assert (table.loc["a", "lower"], table.loc["a", "upper"]) == pytest.approx((lower, upper))
    assert table.loc["b", "ratio"] == pytest.approx(2.0)
    assert table.index.tolist() == ["a", "b"]  # lowest ratio first


def test_model_finds_the_synthetic_countrys_sector_and_deprivation_effects(small):
    table = odds_ratio_table(growth_model(small)).set_index("term")
    # the generator gives digital firms +0.9 and deprivation -0.30 per SD on the log-odds of a growth episode
    j = table.loc["sector: J"]
    assert j["odds_ratio"] > 1.2 and j["lower"] < j["odds_ratio"] < j["upper"]
    assert table.loc["deprivation: per standard deviation", "upper"] < 1
    assert j["words"] == (f"Firms in Information and communication have {j['odds_ratio']:.2f} times the odds of high "
                          "growth of firms in Wholesale and retail.")
    deprivation = table.loc["deprivation: per standard deviation", "words"]
    assert "% lower odds) of high growth" in deprivation and deprivation.startswith("A location one standard deviation")
    assert "intercept" not in table.index


def test_score_firms_gives_the_models_probability_and_the_factors_that_move_it_most(small):
    model = growth_model(small)
    register, _, _ = store_growth(small)
    _, windows = store_windows(small)
    rows = windows.loc[windows["section"].isin(model.sections)].head(40).reset_index(drop=True)
    scored = score_firms(model, rows, register)
    assert scored["probability"].to_numpy() == pytest.approx(model.predict(rows))
    assert scored["firm_id"].tolist() == register.firms["firm_id"].to_numpy()[rows["firm"]].tolist()
    factor = r"[^;()]+(\([^)]*\))?[^;()]* \([+-]\d+\.\d\d\)"
    assert scored["factors_up"].str.fullmatch(rf"none stands out|{factor}(; {factor})?").all()
    assert scored["factors_down"].str.contains(r"\(-\d").sum() + (scored["factors_down"] == "none stands out").sum() == 40
    assert score_firms(model, rows.iloc[0:0], register).empty
