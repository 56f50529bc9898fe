"""The growth model's rows and terms (diagnostics.sections.growth.features)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sections.growth.registers import register_of

from diagnostics.sections.growth.features import Scaling, design_matrix, firm_windows, location_features


def _locations():
    return pd.DataFrame({"deprivation": [10.0, 30.0], "log10_density": [3.0, 2.0]},
                        index=pd.Index(["S1", "S2"], name="small_area_code"))


def test_firm_windows_have_their_features_and_an_outcome_only_where_the_window_is_over():
    reg = register_of({"grows": [(10, 1.0), (12, 1.0), (15, 1.0), (20, 1.0)], "new": [None, (10, 1.0), (10, 1.0), (10, 1.0)],
                       "undated": [(10, 1.0)] * 4},
                      founded={"grows": 2015.0, "new": 2021.0, "undated": np.nan}, areas={"new": "S2"})
    rows = firm_windows(reg, _locations())
    rows["firm_id"] = reg.firms["firm_id"].to_numpy()[rows["firm"]]
    assert "undated" not in set(rows["firm_id"])  # no year founded: left out (counted by the register's checks)
    grows = rows.loc[rows["firm_id"] == "grows"].set_index("start_year")
    assert grows.loc[2020, "outcome"] == 1.0  # 10 -> 20 by 2023: 26% a year
    assert np.isnan(grows.loc[2021, "outcome"])  # the window would end in 2024, after the data
    assert grows.loc[2020, "no_previous_year"] and grows.loc[2020, "recent_growth"] == 0.0
    assert grows.loc[2021, "recent_growth"] == pytest.approx(np.log(1.2))
    assert grows.loc[2021, "age"] == 6 and grows.loc[2021, "deprivation"] == 10.0
    new = rows.loc[rows["firm_id"] == "new"].iloc[0]
    assert (new["start_year"], new["age"], new["log10_density"]) == (2021, 0, 2.0)


def test_design_matrix_has_one_column_per_term_with_location_on_the_countrys_scale():
    windows = pd.DataFrame({"age": [1.0, 25.0], "employment": [20.0, 10.0], "recent_growth": [0.1, 0.0],
                            "no_previous_year": [False, True], "section": ["J", "G"],
                            "deprivation": [30.0, np.nan], "log10_density": [3.0, 2.0]})
    X, names = design_matrix(windows, ["G", "J"], Scaling(deprivation_mean=20.0, deprivation_sd=5.0, density_mean=2.5))
    assert names == ["intercept", "age: under 3 years", "age: 3-5 years", "age: 6-9 years", "age: 10-19 years",
                     "size: log2 employees", "recent growth: log employment change over the last year",
                     "recent growth: no record a year earlier", "sector: J", "deprivation: per standard deviation",
                     "density: per tenfold"]
    assert X[0].tolist() == [1, 1, 0, 0, 0, 1, 0.1, 0, 1, 2.0, 0.5]
    assert X[1].tolist() == [1, 0, 0, 0, 0, 0, 0.0, 1, 0, 0.0, -0.5]  # a missing deprivation takes the mean


def test_location_features_give_residents_per_square_kilometre(firms_store):
    features = location_features(firms_store)
    population = firms_store.population
    latest = population.loc[population["year"] == population["year"].max()].groupby("area_code")["population"].sum()
    # the tiny store's small areas are 1 km squares
    assert features.loc["S1", "density"] == pytest.approx(latest["S1"])
    assert features.loc["S1", "log10_density"] == pytest.approx(np.log10(latest["S1"]))
