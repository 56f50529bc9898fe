"""The geographies page's tables (diagnostics.sections.geographies.tables): one rendering test per table."""

from __future__ import annotations

import re

import pytest

from diagnostics.sections.geographies.tables import coterminosity_table, overlap_table
from diagnostics.sections.session import start


def _headings(markup: str) -> list[str]:
    return re.findall(r"<th scope='col'>(.*?)</th>", markup)


def test_the_coterminosity_table_scores_each_layer_messiest_first(tiny_store):
    shown = coterminosity_table(start("D2", tiny_store, comparators="region")).data
    assert _headings(shown)[:2] == ["Geography", "Coterminosity (residents)"]
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", shown).group(1)
    assert re.findall(r"<td>(.*?)</td>", first_row) == [
        "Health area (ICB)", "0.50", "0.50", "2", "split between 2 areas", "Health Area South", "51%", "1,840", "0",
    ]
    assert shown.endswith('<p class="pd-source">Source: synthetic (synthetic): lookups and boundaries; '
                          "period: residents 2023</p>")


def test_the_overlap_table_speaks_of_small_areas_on_a_store_without_populations(tiny_england_store):
    shown = overlap_table(start("E08000002", tiny_england_store, comparators="region")).data
    assert _headings(shown)[3:6] == ["Shared small areas", "Share of the place&#x27;s small areas",
                                     "Share of the area&#x27;s small areas"]
    caption = re.search(r"<caption>(.*?)</caption>", shown).group(1)
    assert caption.startswith("Beta (2 small areas) against each area") and "residents" not in caption
    assert "<p class='pd-basis'>" in shown


@pytest.mark.parametrize("view", [coterminosity_table, overlap_table], ids=lambda v: v.__name__)
def test_the_tables_give_a_notice_when_overlaps_cannot_be_worked_out(one_layer_store, view):
    assert "Overlaps not available" in view(start("D2", one_layer_store, comparators="region")).data
