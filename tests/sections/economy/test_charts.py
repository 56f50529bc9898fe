"""The economy page's charts (diagnostics.sections.economy.charts): one rendering test per chart."""

from __future__ import annotations

import html
import re

import pytest

from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.economy import charts
from diagnostics.sections.economy.indicators import economy_indicator_ids, indicator_history
from diagnostics.sections.session import start


def _label(shown: str) -> str:
    return html.unescape(re.search(r'<figure class="pd-figure" role="img" aria-label="([^"]*)"', shown).group(1))


@pytest.mark.parametrize(
    ("view", "alt"),
    [
        (charts.headline_chart, "Economy headline measures of {place} as % difference from the country. "
         "Its figures are in the table \u201cHeadline economy\u201d on this page."),
        (charts.trend_chart, "Trends in the economy's headline measures for {place}, its region and its country. "
         "Its figures are in the table under the chart (\u201cThe chart's figures\u201d)."),
        (charts.structure_chart, "Location quotients of {place}'s industries against the country. "
         "Its figures are in the table \u201cLocation quotients by industry\u201d on this page."),
        (charts.shift_share_chart, "Shift-share decomposition of the change in jobs in {place}, {years}. "
         "Its figures are in the table \u201cShift-share by industry\u201d on this page."),
        (charts.productivity_chart, "The productivity gap of {place} to the country, split by industry mix and within industries. "
         "Its figures are in the table \u201cProductivity gap by industry\u201d on this page."),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_chart_draws_an_svg_named_for_the_place(default_dx, view, alt):
    shown = view(default_dx).data
    assert "<svg" in shown
    years = re.search(r"\d{4} to \d{4}", _label(shown))
    assert _label(shown) == alt.format(place=default_dx.place.name, years=years.group(0) if years else "")


def test_the_country_gets_a_notice_instead_of_a_chart_against_itself(industry_store):
    shown = charts.headline_chart(start("C1", industry_store, comparators="region")).data
    assert "Tinyland is the whole country: there is nothing to compare it with." in shown


def test_the_trend_chart_carries_every_figure_it_draws_in_a_table_under_it(default_dx):
    (table,) = [t for t in shown_tables(charts.trend_chart(default_dx).data) if t.of_chart]
    history = indicator_history(default_dx.store, default_dx.place, economy_indicator_ids(default_dx.store))
    catalogue = default_dx.store.catalogue
    place = history.loc[history["role"] == "place"]
    expected = sorted((catalogue.at[i, "short_name"], str(p), round(v, int(catalogue.at[i, "decimals"])))
                      for i, p, v in zip(place["indicator_id"], place["period"], place["value"]))
    assert table.columns[:3] == ["Measure", "Period", f"{default_dx.place.name} (95% CI)"]
    assert sorted((r[0].text, r[1].text, r[2].numbers[0].value) for r in table.rows if r[2].numbers) == expected
    assert table.source and table.period
