"""Tests for diagnostics.render.maps: the map builders (place, choropleth, layers), drawn offline.

The offline machinery itself (Leaflet inlined, map_html, show_map) is tested in test_offline.py.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import map_elements, maps, offline
from diagnostics.render.offline import find_outside_urls


def square(x: float, y: float, size: float = 10_000) -> object:
    return box(x, y, x + size, y + size)


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    """Four 10 km squares in British National Grid around (400000, 300000)."""
    return gpd.GeoDataFrame(
        {
            "code": ["E07000001", "E07000002", "E07000003", "E07000004"],
            "name": ["Alphaton", "Betaby", "Gammaford", "Deltawick"],
            "rate": [71.5, 74.0, None, 68.2],
        },
        geometry=[
            square(400_000, 300_000),
            square(410_000, 300_000),
            square(400_000, 310_000),
            square(410_000, 310_000),
        ],
        crs=27700,
    )


def test_place_map_reprojects_to_wgs84_and_has_tooltips(districts):
    document = offline.map_html(maps.place_map(districts.iloc[[0]], districts))
    # (400000, 300000) in EPSG:27700 is at about 52.6 N, 2.0 W
    assert "52.6" in document
    assert "-1.99" in document or "-2.00" in document
    assert "400000" not in document
    assert "Alphaton" in document and "E07000001" in document
    assert "bindTooltip" in document


def test_place_map_leaves_the_place_out_of_its_context(districts):
    m = maps.place_map(districts.iloc[[0]], districts, labels=False)
    document = offline.map_html(m)
    assert document.count('"E07000001"') == 1


def test_place_map_labels_every_area_in_one_list_of_html_markers(districts):
    m = maps.place_map(districts.iloc[[0]], districts)
    labels = [child for child in m._children.values() if isinstance(child, map_elements.HtmlMarkers)]
    assert [len(layer.markers) for layer in labels] == [3, 1]  # the context's areas, then the place's
    assert not labels[0].interactive
    assert [marker["html"] for marker in labels[1].markers] == ['<div class="pd-label pd-label-place">Alphaton</div>']
    document = offline.map_html(m)
    assert document.count("L.divIcon(") == 2  # one loop per list, not one script per label
    assert "Deltawick" in document and "pd-label-icon" in document


def test_html_markers_carry_escaped_tooltips_and_round_coordinates(districts):
    m = maps.place_map(districts.iloc[[0]], districts, labels=False)
    counts = map_elements.HtmlMarkers().add(52.123456789, -1.5, "<b>3</b>", size=(24, 24), anchor=(12, 12),
                                    tooltip="3 firms: A &amp; B")
    counts.add_to(m)
    assert counts.markers[0]["location"] == [52.123457, -1.5]
    document = offline.map_html(m)
    assert "3 firms: A \\u0026amp; B" in document  # as JSON, HTML-safe in a script
    assert "bindTooltip(m.tooltip" in document and "<b>3</b>" not in document  # markup travels as JSON


def test_choropleth_map_has_a_legend_without_external_resources(districts):
    m = maps.choropleth_map(districts, "rate", title="Employment", legend_label="Employment rate (%)")
    document = offline.map_html(m)
    assert "pd-legend" in document
    assert "Employment rate (%)" in document
    assert "linear-gradient" in document
    assert "No data" in document  # Gammaford has no value
    assert "d3.min.js" not in document
    assert find_outside_urls(document, anywhere=True) == []


def test_choropleth_map_in_classes_lists_each_class_in_the_legend(districts):
    m = maps.choropleth_map(districts, "rate", title=None, legend_label="Rate", bins=3, value_format="{:.1f}")
    document = offline.map_html(m)
    assert document.count("pd-swatch") >= 3
    assert "68.2 to" in document


def test_choropleth_map_on_a_fixed_range_colours_a_value_the_same_whatever_the_other_areas(districts):
    fixed = maps.choropleth_map(districts, "rate", title=None, legend_label="Rate", value_range=(0, 100),
                                value_format="{:.0f}")
    legend = next(c for c in fixed._children.values() if type(c).__name__ == "HtmlControl").content
    assert "<span>0</span><span>50</span><span>100</span>" in legend
    only_high = districts.loc[districts["rate"] >= districts["rate"].median()]
    again = maps.choropleth_map(only_high, "rate", title=None, legend_label="Rate", value_range=(0, 100))
    assert _fills(again) == {c: f for c, f in _fills(fixed).items() if c in _fills(again)}
    with pytest.raises(InvalidParameter, match=r"'value_range' parameter of choropleth_map must be \(low, high\)"):
        maps.choropleth_map(districts, "rate", title=None, legend_label="Rate", value_range=(1, 10), bins=3)


def _fills(m) -> dict:
    layer = next(child for child in m._children.values() if type(child).__name__ == "GeoJson")
    return {f["properties"]["code"]: f["properties"]["_fill"] for f in layer.data["features"]}


def test_choropleth_map_rejects_an_unknown_palette(districts):
    with pytest.raises(InvalidParameter, match=r"'palette' parameter of choropleth_map must be one of"):
        maps.choropleth_map(districts, "rate", title=None, legend_label="Rate", palette="jet")


def test_choropleth_map_rejects_a_text_column(districts):
    with pytest.raises(InvalidParameter, match=r"'column' parameter of choropleth_map must name a numeric column"):
        maps.choropleth_map(districts, "name", title=None, legend_label="Rate")


def test_choropleth_map_names_a_missing_column(districts):
    with pytest.raises(InvalidParameter, match=r"'gdf' parameter of choropleth_map must have the column\(s\) \['pay'\]"):
        maps.choropleth_map(districts, "pay", title=None, legend_label="Pay")


def test_layers_map_has_a_layer_control_with_each_layer(districts):
    m = maps.layers_map({"Districts": districts, "Wards": districts.iloc[[0, 1]]}, title="Geographies")
    document = offline.map_html(m)
    assert "L.control.layers" in document
    assert '"Districts"' in document and '"Wards"' in document
    assert find_outside_urls(document, anywhere=True) == []


def test_layers_map_rejects_an_unknown_layer_to_show(districts):
    with pytest.raises(InvalidParameter, match=r"'show' parameter of layers_map names layer\(s\) \['Parishes'\]"):
        maps.layers_map({"Districts": districts}, show=["Parishes"])


def test_layers_map_rejects_no_layers():
    with pytest.raises(InvalidParameter, match=r"'layers' parameter of layers_map must be a non-empty mapping"):
        maps.layers_map({})


def test_maps_need_a_crs(districts):
    with pytest.raises(InvalidParameter, match=r"'place_gdf' parameter of place_map has no CRS"):
        maps.place_map(districts.set_crs(None, allow_override=True))


def test_maps_reject_a_negative_tolerance(districts):
    with pytest.raises(InvalidParameter, match=r"'tolerance_m' parameter of place_map must be a non-negative"):
        maps.place_map(districts, tolerance_m=-5)


def test_simplification_tolerance_is_in_metres_and_shrinks_the_page():
    import numpy as np
    from shapely.geometry import Polygon

    angles = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    circle = Polygon(np.c_[400_000 + 5_000 * np.cos(angles), 300_000 + 5_000 * np.sin(angles)])
    gdf = gpd.GeoDataFrame({"code": ["X"], "name": ["Round"]}, geometry=[circle], crs=27700)
    fine = offline.map_html(maps.place_map(gdf, tolerance_m=0, labels=False))
    coarse = offline.map_html(maps.place_map(gdf, tolerance_m=50, labels=False))
    assert len(coarse) < len(fine) - 20_000
