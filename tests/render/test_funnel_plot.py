"""diagnostics.render.funnel_plot: Fingertips' funnel plot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import funnel_plot as fp
from diagnostics.stats import funnel_limits, funnel_significance
from diagnostics.stats.funnels import NOT_COMPARED, TOO_FEW_EVENTS


def test_funnel_labels_turn_into_better_or_worse_by_polarity():
    assert fp._funnel_comparison("above 99.8", "lower_is_better") == ("worse", True, True)
    assert fp._funnel_comparison("below 95", "lower_is_better") == ("better", False, False)
    assert fp._funnel_comparison("above 95", "higher_is_better") == ("better", True, False)
    assert fp._funnel_comparison("within", "neutral") == ("similar", None, False)
    assert fp._funnel_comparison("above 99.8", "neutral")[0] == "higher"


def test_an_untested_rate_of_fewer_than_10_events_is_drawn_as_not_compared():
    assert fp._funnel_comparison(TOO_FEW_EVENTS, "lower_is_better") == ("not compared", None, False)
    assert fp._funnel_comparison(NOT_COMPARED, "lower_is_better") == ("not compared", None, False)


def test_funnel_plot_draws_every_area_and_rings_the_place():
    numerators = np.array([10, 30, 50, 200, 90])
    denominators = np.array([100, 200, 300, 1000, 1000])
    points = pd.DataFrame({"code": list("ABCDE"), "name": list("ABCDE"), "denominator": denominators,
                           "value": numerators / denominators * 100,
                           "significance": funnel_significance(numerators, denominators, benchmark=0.1)})
    limits = funnel_limits(np.linspace(50, 1100, 50), 10.0, multiplier=100)
    fig = fp.funnel_plot(points, limits, benchmark=10.0, title="Smoking", y_label="%", x_label="Adults",
                         place_code="D", polarity="lower_is_better", source="synthetic", period="2023")
    ax = fig.axes[0]
    assert any(t.get_text() == "D" for t in ax.texts)
    assert len(ax.lines) >= 5 + 2 + 1  # limits and benchmark, the place and its ring, the other areas
    with pytest.raises(InvalidParameter, match="The 'limits' parameter of funnel_plot must have the column"):
        fp.funnel_plot(points, limits.drop(columns="upper_99_8"), benchmark=10.0, title="t", y_label="y",
                       x_label="x", place_code="D")
