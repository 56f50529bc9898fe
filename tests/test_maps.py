"""Tests for diagnostics.maps: offline folium maps (Leaflet inline, no tiles, no outside URL)."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pytest
from shapely.geometry import box

from diagnostics import maps
from diagnostics.exceptions import InvalidParameter
from diagnostics.report import find_outside_urls


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


def test_offline_map_inlines_leaflet_and_loads_nothing_from_outside(districts):
    document = maps.map_html(maps.place_map(districts.iloc[[0]], districts, title="Alphaton"))
    assert "<script src=" not in document
    assert "<link" not in document
    assert "L.map(" in document and "Leaflet 1.9" in document  # Leaflet's own code is in the page
    assert ".leaflet-container" in document  # and its CSS
    assert find_outside_urls(document, anywhere=True) == []
    for cdn in ("jquery", "bootstrap", "awesome-markers", "fontawesome", "openstreetmap"):
        assert cdn not in document.lower()


def test_offline_map_has_no_tile_layer_and_no_attribution_control(districts):
    document = maps.map_html(maps.place_map(districts.iloc[[0]]))
    assert "L.tileLayer" not in document
    assert '"attributionControl": false' in document


def test_leaflet_css_images_are_data_uris(districts):
    document = maps.map_html(maps.place_map(districts.iloc[[0]]))
    assert "url(images/" not in document
    assert "data:image/png;base64," in document


def test_place_map_reprojects_to_wgs84_and_has_tooltips(districts):
    document = maps.map_html(maps.place_map(districts.iloc[[0]], districts))
    # (400000, 300000) in EPSG:27700 is at about 52.6 N, 2.0 W
    assert "52.6" in document
    assert "-1.99" in document or "-2.00" in document
    assert "400000" not in document
    assert "Alphaton" in document and "E07000001" in document
    assert "bindTooltip" in document


def test_place_map_leaves_the_place_out_of_its_context(districts):
    m = maps.place_map(districts.iloc[[0]], districts, labels=False)
    document = maps.map_html(m)
    assert document.count('"E07000001"') == 1


def test_choropleth_map_has_a_legend_without_external_resources(districts):
    m = maps.choropleth_map(districts, "rate", title="Employment", legend_label="Employment rate (%)")
    document = maps.map_html(m)
    assert "pd-legend" in document
    assert "Employment rate (%)" in document
    assert "linear-gradient" in document
    assert "No data" in document  # Gammaford has no value
    assert "d3.min.js" not in document
    assert find_outside_urls(document, anywhere=True) == []


def test_choropleth_map_in_classes_lists_each_class_in_the_legend(districts):
    m = maps.choropleth_map(districts, "rate", title=None, legend_label="Rate", bins=3, value_format="{:.1f}")
    document = maps.map_html(m)
    assert document.count("pd-swatch") >= 3
    assert "68.2 to" in document


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
    document = maps.map_html(m)
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
    fine = maps.map_html(maps.place_map(gdf, tolerance_m=0, labels=False))
    coarse = maps.map_html(maps.place_map(gdf, tolerance_m=50, labels=False))
    assert len(coarse) < len(fine) - 20_000


def test_map_html_rejects_a_stock_folium_map_naming_the_cdn():
    with pytest.raises(InvalidParameter, match=r"outside reference\(s\) https://cdn\.jsdelivr\.net/npm/leaflet"):
        maps.map_html(folium.Map(tiles=None))


def test_map_html_rejects_a_tile_layer(districts):
    m = maps.place_map(districts.iloc[[0]])
    folium.TileLayer("OpenStreetMap").add_to(m)
    with pytest.raises(InvalidParameter, match=r"tile\.openstreetmap\.org"):
        maps.map_html(m)


def test_show_map_embeds_the_escaped_document_in_an_iframe_srcdoc(districts):
    shown = maps.show_map(maps.place_map(districts.iloc[[0]]), height=400)
    markup = shown.data
    assert '<iframe class="pd-map"' in markup and "srcdoc=" in markup
    assert "height:400px" in markup
    assert "<script>" not in markup  # escaped inside the attribute
    srcdoc = markup.split('srcdoc="', 1)[1].split('" sandbox', 1)[0]
    assert html.unescape(srcdoc).startswith("<!DOCTYPE html>")
    assert find_outside_urls(markup) == []


def test_show_map_rejects_a_bad_height(districts):
    with pytest.raises(InvalidParameter, match=r"'height' parameter of show_map must be a positive integer"):
        maps.show_map(maps.place_map(districts.iloc[[0]]), height="400px")
