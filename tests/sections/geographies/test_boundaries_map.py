"""The map of every geography (diagnostics.sections.geographies.boundaries_map): one rendering test."""

from __future__ import annotations

from bs4 import BeautifulSoup

from diagnostics.render.offline import find_outside_urls
from diagnostics.sections.geographies.boundaries_map import boundaries_map
from diagnostics.sections.session import start


def test_the_map_draws_each_layer_as_a_toggleable_overlay_offline(tiny_store):
    shown = boundaries_map(start("D2", tiny_store, comparators="region"))._repr_html_()
    assert "L.control.layers" in shown and find_outside_urls(shown) == []
    assert "Health area (ICB) (2)" in shown and "Brackley Vale (the place)" in shown
    assert "<p class='pd-map-caption'>Tick a geography in the box at the top right" in shown
    title = BeautifulSoup(shown, "html.parser").find("iframe")["title"]
    assert title == "Brackley Vale: every geography. Its figures are in the table \u201cOverlaps, both ways\u201d on this page."
