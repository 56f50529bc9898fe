import numpy as np
import pandas as pd
import pytest

from diagnostics.stats import proportion_ci, rate_ci
from diagnostics.store.rollup import finalise_indicators, roll_up

CATALOGUE = pd.DataFrame(
    {
        "indicator_id": ["smoking", "admissions", "gva_per_head", "pay", "people"],
        "value_type": ["proportion", "rate", "currency", "currency", "count"],
        "multiplier": [100, 100_000, 1, 1, 1],
    }
)


def _rows(indicator, area, numerator, denominator, value=np.nan):
    return {
        "indicator_id": indicator, "area_code": area, "period": "2023", "year": 2023,
        "numerator": numerator, "denominator": denominator, "value": value,
        "source": "synthetic", "vintage": "synthetic",
    }


def test_finalise_gives_wilson_for_proportions_and_byar_for_rates():
    rows = pd.DataFrame([_rows("smoking", "A", 18, 100), _rows("admissions", "A", 120, 50_000)])
    out = finalise_indicators(rows, CATALOGUE)
    assert out.loc[0, ["value", "lower_ci", "upper_ci"]].tolist() == pytest.approx(
        list(proportion_ci(18, 100, multiplier=100))
    )
    assert out.loc[1, ["value", "lower_ci", "upper_ci"]].tolist() == pytest.approx(list(rate_ci(120, 50_000)))
    assert out["confidence"].tolist() == [0.95, 0.95]


def test_finalise_gives_ratios_of_sums_without_an_interval_and_counts_as_they_are():
    rows = pd.DataFrame([_rows("gva_per_head", "A", 3e9, 100_000), _rows("people", "A", 1234, np.nan)])
    out = finalise_indicators(rows, CATALOGUE)
    assert out["value"].tolist() == [30_000, 1234]
    assert out["lower_ci"].isna().all()


def test_roll_up_sums_counts_and_recomputes_the_interval():
    rows = finalise_indicators(
        pd.DataFrame([_rows("smoking", "A", 10, 100), _rows("smoking", "B", 30, 100)]), CATALOGUE
    )
    up = roll_up(rows, {"A": "P", "B": "P"}, CATALOGUE)
    assert len(up) == 1
    row = up.iloc[0]
    assert (row["area_code"], row["numerator"], row["denominator"]) == ("P", 40, 200)
    assert [row["value"], row["lower_ci"], row["upper_ci"]] == pytest.approx(list(proportion_ci(40, 200, multiplier=100)))
    assert row["source"] == "synthetic"


def test_roll_up_of_values_without_counts_is_a_weighted_mean_with_a_note():
    rows = pd.DataFrame([_rows("pay", "A", np.nan, 100, 500.0), _rows("pay", "B", np.nan, 300, 700.0)])
    row = roll_up(rows, {"A": "P", "B": "P"}, CATALOGUE).iloc[0]
    assert row["value"] == pytest.approx(650.0) and np.isnan(row["lower_ci"])
    assert row["note"] == "weighted mean of the component areas' values"


def test_roll_up_drops_areas_without_a_parent():
    rows = finalise_indicators(pd.DataFrame([_rows("smoking", "A", 10, 100), _rows("smoking", "Z", 5, 10)]), CATALOGUE)
    up = roll_up(rows, {"A": "P"}, CATALOGUE)
    assert up["area_code"].tolist() == ["P"] and up["numerator"].tolist() == [10]
