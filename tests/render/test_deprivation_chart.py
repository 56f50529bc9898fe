"""diagnostics.render.deprivation_chart: a measure by deprivation decile."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.render import deprivation_chart as dc


def test_deprivation_chart_labels_both_ends():
    table = pd.DataFrame({"group": list(range(1, 11)) * 2, "series": ["Women"] * 10 + ["Men"] * 10,
                          "value": np.r_[np.linspace(80, 86, 10), np.linspace(76, 83, 10)]})
    table["lower_ci"], table["upper_ci"] = table["value"] - 1, table["value"] + 1
    fig = dc.deprivation_chart(table, title="LE", y_label="Years")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "1\nmost\ndeprived" and labels[-1] == "10\nleast\ndeprived"
