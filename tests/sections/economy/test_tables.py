"""The economy page's tables (diagnostics.sections.economy.tables): one rendering test per table."""

from __future__ import annotations

import re

import pytest

from diagnostics.sections.economy import tables


@pytest.mark.parametrize("view", [tables.structure_table, tables.shift_share_table, tables.productivity_table],
                         ids=lambda v: v.__name__)
def test_each_industry_table_has_a_caption_and_its_source_and_period(default_dx, view):
    shown = view(default_dx).data
    assert shown.startswith('<table class="pd-table"><caption>')
    assert re.search(r'<p class="pd-source">Source: synthetic \(vintage [^)]+\); period: \d{4}( to \d{4})?</p>$', shown)


def test_the_headline_table_carries_the_synthetic_label_and_the_comparators(default_dx):
    shown = tables.headline_table(default_dx).data
    assert shown.startswith('<div class="pd-synthetic">') and "Comparators: median" in shown
    note = shown[shown.index("<p class='pd-economy-note'>"):]
    assert note.endswith("Survival, births and deaths are per 100 enterprises. Density is per 10,000 adults.</p>")
