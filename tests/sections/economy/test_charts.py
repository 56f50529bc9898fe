"""The economy page's charts (diagnostics.sections.economy.charts): one rendering test per chart."""

from __future__ import annotations

import html
import re

import pytest

from diagnostics.sections.economy import charts
from diagnostics.sections.session import start


def _label(shown: str) -> str:
    return html.unescape(re.search(r'<figure class="pd-figure" role="img" aria-label="([^"]*)"', shown).group(1))


@pytest.mark.parametrize(
    ("view", "alt"),
    [
        (charts.headline_chart, "Economy headline measures of {place} as % difference from the country. "
         "Its figures are in the table \u201cHeadline economy\u201d on this page."),
        (charts.trend_chart, "Trends in the economy's headline measures for {place}, its region and its country"),
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
