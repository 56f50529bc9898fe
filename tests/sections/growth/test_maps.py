"""The growth page's map (diagnostics.sections.growth.maps)."""

from __future__ import annotations

import html

from diagnostics.render.offline import find_outside_urls
from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.growth.analysis import growth_page, recent_growth_firms
from diagnostics.sections.growth.maps import growth_map


def test_the_map_draws_offline_with_one_layer_of_firms(small_dx):
    shown = growth_map(small_dx).data
    assert find_outside_urls(shown) == []
    assert "Clusters (1 km grid" in shown
    page = html.unescape(html.unescape(shown))  # the map's page sits escaped in the iframe's srcdoc
    assert "Each growth firm" in page and page.count("new L.CircleMarker(latlng, opts)") == 1
    assert "; window ending 20" in page


def test_the_map_carries_the_growth_firms_of_each_area_in_a_table_under_it(small_dx):
    (table,) = [t for t in shown_tables(growth_map(small_dx).data) if t.of_chart]
    counts = [r[2].numbers[0].value for r in table.rows]
    densities = [r[3].numbers[0].value for r in table.rows]
    assert table.columns == ["Area", "Code", "Growth firms (count)", "Growth firms per km²"]
    assert densities == sorted(densities, reverse=True)  # densest first
    assert sum(counts) == len(recent_growth_firms(growth_page(small_dx)).query(
        "small_area_code in @codes", local_dict={"codes": {r[1].text for r in table.rows}}))
