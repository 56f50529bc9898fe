"""The growth page's map (diagnostics.sections.growth.maps)."""

from __future__ import annotations

import html

from diagnostics.render.offline import find_outside_urls
from diagnostics.sections.growth.maps import growth_map


def test_the_map_draws_offline_with_one_layer_of_firms(small_dx):
    shown = growth_map(small_dx).data
    assert find_outside_urls(shown) == []
    assert "Clusters (1 km grid" in shown
    page = html.unescape(html.unescape(shown))  # the map's page sits escaped in the iframe's srcdoc
    assert "Each growth firm" in page and page.count("new L.CircleMarker(latlng, opts)") == 1
    assert "; window ending 20" in page
