"""The geographies page (diagnostics.sections.geographies.page): its views in order and its sentences view."""

from __future__ import annotations

import html
import re

import pytest

from diagnostics.sections.geographies import page
from diagnostics.sections.session import start


def test_the_page_shows_its_views_under_the_same_headings_in_the_same_order():
    assert [(heading, view.__name__) for heading, view in page.VIEWS] == [
        ("Every geography at once", "boundaries_map"),
        ("How the place sits in each geography", "layer_sentences"),
        ("Coterminosity", "coterminosity_table"),
        ("Overlaps, both ways", "overlap_table"),
        ("How much the method matters", "worked_example"),
        ("Your own boundary", "custom_boundary_note"),
    ]


def test_layer_sentences_flag_the_split_layers(tiny_store):
    shown = page.layer_sentences(start("D2", tiny_store, comparators="region")).data
    items = re.findall(r"<li class='([^']*)'>(.*?)</li>", shown)
    assert items[0] == ("pd-layer pd-layer-split", "<strong>Split.</strong> " + html.escape(
        "Health area (ICB): 51% of Brackley Vale's residents are in Health Area South; the other 49% are in "
        "Health Area North."))
    assert [kind for kind, _ in items[1:]] == ["pd-layer", "pd-layer"]


def test_a_place_of_the_stores_own_layer_is_told_how_to_use_its_own_boundary(tiny_store):
    shown = html.unescape(page.custom_boundary_note(start("D2", tiny_store, comparators="region")).data)
    assert shown.startswith("<p>Brackley Vale is an area of the store's own district layer.")


@pytest.mark.parametrize("code", ["C1", "H1", "S3"])
def test_views_never_raise_for_a_place_of_any_layer(tiny_store, code):
    dx = start(code, tiny_store, comparators="region")
    for heading, view in page.VIEWS:
        shown = view(dx)
        assert hasattr(shown, "_repr_html_") or shown.data, heading
