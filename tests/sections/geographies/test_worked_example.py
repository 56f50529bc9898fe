"""The worked example (diagnostics.sections.geographies.worked_example): one rendering test."""

from __future__ import annotations

import html
import re

from diagnostics.sections.geographies.worked_example import worked_example
from diagnostics.sections.session import start


def test_the_worked_example_shows_both_tables_and_the_largest_gap(tiny_store):
    shown = worked_example(start("D2", tiny_store, comparators="region")).data
    assert shown.count('<table class="pd-table">') == 2  # to the health areas, and back to the district
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", shown)]
    assert paragraphs[1].startswith("The largest gap: apportioned from district by land area gives Health Area South 23.6")
    assert paragraphs[2].startswith("The other way round: had ")


def test_on_a_real_store_the_example_says_what_data_it_needs(tiny_england_store):
    shown = html.unescape(worked_example(start("E08000002", tiny_england_store, comparators="region")).data)
    assert "The worked example cannot be shown: the store holds no smoking_prevalence rows. It needs" in shown
    assert "small-area counts of your own" in shown
