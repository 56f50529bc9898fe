"""The spine chart: its table (the place among every area of its layer) and its view."""

from __future__ import annotations

import pytest

from diagnostics.sections.health import analysis, mortality, spine
from diagnostics.sections.health.analysis import spine_table
from diagnostics.sections.session import start


def test_spine_table_places_each_measure_within_the_range_of_its_layer(gradient_store):
    table = spine_table(gradient_store, "D1").set_index("indicator_id")
    assert list(table.index) == list(mortality.MEASURE_IDS)
    rows = analysis.layer_comparison(gradient_store, "district")
    region = analysis.layer_comparison(gradient_store, "region")
    for indicator_id, row in table.iterrows():
        values = rows.loc[rows["indicator_id"] == indicator_id].set_index("area_code")["value"]
        assert row["value"] == pytest.approx(values["D1"])
        assert row["n_areas"] == values.notna().sum() == 2  # D3's values are withheld
        low, high = values.min(), values.max()
        # oriented by polarity: the worst end of life expectancy is the lowest, of mortality the highest
        worst, best = (high, low) if row["polarity"] == "lower_is_better" else (low, high)
        assert (row["worst"], row["best"]) == (pytest.approx(worst), pytest.approx(best))
        r1 = region.loc[(region["indicator_id"] == indicator_id) & (region["area_code"] == "R1"), "value"]
        assert row["region_value"] == pytest.approx(r1.iloc[0])
        assert row["comparison"] in ("better", "similar", "worse")


def test_spine_chart_view_draws_the_chart_and_names_the_measures_without_a_value(gradient_store):
    shown = spine.spine_chart_view(start("D3", gradient_store, comparators="region")).data
    assert 'aria-label="Spine chart of health indicators for Tinyham. Its figures are in the table \u201cHeadline health\u201d on this page."><svg' in shown
    missing = spine_table(gradient_store, "D3").query("value != value")["indicator"].tolist()
    assert len(missing) == 5  # every measure of Tinyham is withheld
    assert f"No value for Tinyham: {'; '.join(missing)} (see the headline table for the reason)." in shown
