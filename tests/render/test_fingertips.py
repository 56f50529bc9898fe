"""Spine charts, funnel plots and deprivation charts in the Fingertips conventions."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import fingertips as fc
from diagnostics.render.charts import figure_html
from diagnostics.render.palette import COMPARISON_COLOURS


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
