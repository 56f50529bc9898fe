"""The growth page's charts (diagnostics.sections.growth.charts): one rendering test per view."""

from __future__ import annotations

from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.growth.analysis import growth_page
from diagnostics.sections.growth.charts import comparators_chart, observed_expected_chart, rates_over_time
from diagnostics.sections.growth.place_model import place_observed_expected


def test_rates_over_time_are_drawn(small_dx):
    shown = rates_over_time(small_dx).data
    assert "<svg" in shown and f'aria-label="High-growth rate of {small_dx.place.name} by year' in shown


def test_the_place_is_compared_with_its_comparators(small_dx):
    shown = comparators_chart(small_dx).data
    assert "<svg" in shown and (f'aria-label="High-growth rate of {small_dx.place.name} and its comparators. '
                                 "Its figures are in the table under the chart") in shown


def test_observed_and_expected_are_drawn_or_the_missing_model_is_explained(small_dx, firms_dx):
    assert "<svg" in observed_expected_chart(small_dx).data
    assert "too few firm-windows to fit the growth model" in observed_expected_chart(firms_dx).data


def _chart_table(shown: str):
    (table,) = [t for t in shown_tables(shown) if t.of_chart]
    return table


def test_each_chart_carries_the_figures_it_draws_in_a_table_under_it(small_dx):
    page = growth_page(small_dx)
    rates = page.rates.loc[page.rates["measure"] == "high_growth_employment"]
    over_time = _chart_table(rates_over_time(small_dx).data)
    own = rates.loc[rates["area_code"] == small_dx.place.code].sort_values("year")
    assert [int(r[0].text) for r in over_time.rows] == own["year"].tolist()
    assert [(r[1].numbers[0].value, r[1].numbers[0].lower) for r in over_time.rows] == [
        (round(v), round(lo)) for v, lo in zip(own["per_10k_10plus"], own["per_10k_10plus_lower"])]
    compared = _chart_table(comparators_chart(small_dx).data)
    assert [r[0].text for r in compared.rows][0] == small_dx.place.name and compared.rows[0][1].text == "Place"
    oe = place_observed_expected(small_dx)
    groups = _chart_table(observed_expected_chart(small_dx).data)
    shown = oe.sector.loc[oe.sector["expected"] >= 2]
    assert sorted(r[0].text for r in groups.rows if r[1].text == "Sector") == sorted(shown["group"])
    assert groups.columns[-1] == "Observed / expected (95% CI)" and groups.source and groups.period
