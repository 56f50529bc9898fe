"""Spine charts, funnel plots and deprivation charts in the Fingertips conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import fingertips as fc
from diagnostics.render.charts import figure_html
from diagnostics.render.palette import COMPARISON_COLOURS
from diagnostics.stats import funnel_limits, funnel_significance


def spine_rows():
    """Two indicators with the same spread, one where high is good and one where low is good."""
    return pd.DataFrame(
        {
            "indicator": ["Life expectancy", "Smoking"],
            "period": ["2021-23", "2023"],
            "value": [82.0, 12.0],
            "country_value": [80.0, 15.0],
            "region_value": [79.0, 16.0],
            "polarity": ["higher_is_better", "lower_is_better"],
            "comparison": ["better", "better"],
            **{k: [v1, v2] for k, v1, v2 in [("worst", 74.0, 25.0), ("q25", 78.0, 18.0), ("median", 80.0, 15.0),
                                           ("q75", 82.0, 12.0), ("best", 83.0, 5.0)]},
            "unit": ["years", "%"],
            "decimals": [1, 1],
        }
    )


def test_spine_statistics_orient_worst_and_best_by_polarity():
    values = pd.Series([5.0, 10, 15, 20, 25])
    assert fc.spine_statistics(values, "lower_is_better") == {"worst": 25.0, "q25": 20.0, "median": 15.0, "q75": 10.0,
                                                             "best": 5.0}
    assert fc.spine_statistics(values, "higher_is_better") == {"worst": 5.0, "q25": 10.0, "median": 15.0, "q75": 20.0,
                                                              "best": 25.0}
    assert np.isnan(fc.spine_statistics(pd.Series([np.nan]), "neutral")["median"])


def test_spine_puts_the_best_on_the_right_whatever_the_polarity():
    layout = fc.spine_layout(spine_rows())
    assert (layout["x_best"] > layout["x_worst"]).all()
    assert (layout["x_q75"] > layout["x_q25"]).all()
    assert layout["x_country"].tolist() == [0.5, 0.5]
    # the place is better than the country in both rows, so right of the centre in both
    assert (layout["x_value"] > 0.5).all()
    # the end furthest from the country touches an edge: worst 74 is 6 below 80, best 83 only 3 above it;
    # smoking's worst 25 is 10 above 15 and its best 5 is 10 below
    assert layout.loc[0, "x_worst"] == pytest.approx(0.0) and layout.loc[0, "x_best"] == pytest.approx(0.75)
    assert layout.loc[1, "x_worst"] == pytest.approx(0.0) and layout.loc[1, "x_best"] == pytest.approx(1.0)


def test_spine_flips_a_lower_is_better_row_so_a_low_value_is_right_of_centre():
    rows = spine_rows()
    flipped = rows.assign(polarity=["lower_is_better", "higher_is_better"])
    a, b = fc.spine_layout(rows), fc.spine_layout(flipped)
    assert a.loc[0, "x_value"] == pytest.approx(1 - b.loc[0, "x_value"])
    assert a.loc[1, "x_value"] > 0.5 > b.loc[1, "x_value"]


def test_markers_carry_direction_by_shape_and_meaning_by_colour_not_red_and_green():
    better_high = fc.comparison_marker("better", higher=True)
    better_low = fc.comparison_marker("better", higher=False)
    assert better_high["marker"] == "^" and better_low["marker"] == "v"
    assert better_high["color"] == better_low["color"] == COMPARISON_COLOURS["better"]
    assert fc.comparison_marker("worse", higher=True)["color"] == COMPARISON_COLOURS["worse"]
    assert fc.comparison_marker("similar", higher=True)["marker"] == "o"
    assert fc.comparison_marker("lower", higher=None)["marker"] == "v"
    used = {fc.comparison_marker(label, True)["color"].lower() for label in COMPARISON_COLOURS}
    assert not used & {"#ff0000", "#00ff00", "#008000", "red", "green"}


def test_spine_chart_draws_and_writes_the_values():
    fig = fc.spine_chart(spine_rows(), title="Health", place_label="Slopeford", country_label="England",
                         region_label="North", source="synthetic", period="latest")
    assert isinstance(fig, Figure)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"82.0", "12.0%", "80.0", "15.0%", "74.0", "83.0", "5.0%"} <= texts
    assert "<svg" in figure_html(fig)


def test_spine_chart_names_the_missing_columns():
    with pytest.raises(InvalidParameter, match=r"The 'table' parameter of spine_chart must have the column\(s\) \['best'\]"):
        fc.spine_chart(spine_rows().drop(columns="best"), title="t", place_label="p", country_label="c")


def test_funnel_labels_turn_into_better_or_worse_by_polarity():
    assert fc._funnel_comparison("above 99.8", "lower_is_better") == ("worse", True, True)
    assert fc._funnel_comparison("below 95", "lower_is_better") == ("better", False, False)
    assert fc._funnel_comparison("above 95", "higher_is_better") == ("better", True, False)
    assert fc._funnel_comparison("within", "neutral") == ("similar", None, False)
    assert fc._funnel_comparison("above 99.8", "neutral")[0] == "higher"


def test_funnel_plot_draws_every_area_and_rings_the_place():
    numerators = np.array([10, 30, 50, 200, 90])
    denominators = np.array([100, 200, 300, 1000, 1000])
    points = pd.DataFrame({"code": list("ABCDE"), "name": list("ABCDE"), "denominator": denominators,
                           "value": numerators / denominators * 100,
                           "significance": funnel_significance(numerators, denominators, benchmark=0.1)})
    limits = funnel_limits(np.linspace(50, 1100, 50), 10.0, multiplier=100)
    fig = fc.funnel_plot(points, limits, benchmark=10.0, title="Smoking", y_label="%", x_label="Adults",
                         place_code="D", polarity="lower_is_better", source="synthetic", period="2023")
    ax = fig.axes[0]
    assert any(t.get_text() == "D" for t in ax.texts)
    assert len(ax.lines) >= 5 + 2 + 1  # limits and benchmark, the place and its ring, the other areas
    with pytest.raises(InvalidParameter, match="The 'limits' parameter of funnel_plot must have the column"):
        fc.funnel_plot(points, limits.drop(columns="upper_99_8"), benchmark=10.0, title="t", y_label="y",
                       x_label="x", place_code="D")


def test_deprivation_chart_labels_both_ends():
    table = pd.DataFrame({"group": list(range(1, 11)) * 2, "series": ["Women"] * 10 + ["Men"] * 10,
                          "value": np.r_[np.linspace(80, 86, 10), np.linspace(76, 83, 10)]})
    table["lower_ci"], table["upper_ci"] = table["value"] - 1, table["value"] + 1
    fig = fc.deprivation_chart(table, title="LE", y_label="Years")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "1\nmost\ndeprived" and labels[-1] == "10\nleast\ndeprived"
