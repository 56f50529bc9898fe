"""The static drawing of a map for print: the same areas in the same colours as the interactive map."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET

import folium
import geopandas as gpd
import pytest
import shapely

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import maps
from diagnostics.render.map_elements import HtmlMarkers
from diagnostics.render.map_layers import feature_collection
from diagnostics.render.offline import find_outside_urls, show_map
from diagnostics.render.static_map import (
    layer_style,
    static_map_description,
    static_map_figure,
    static_map_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """Three 10 km squares in British National Grid: two side by side, one above the first; one without a value."""
    return gpd.GeoDataFrame(
        {"code": ["A1", "B2", "C3"], "name": ["Alpha", "Beta", "Gamma"], "value": [1.0, 5.0, float("nan")]},
        geometry=[shapely.box(400_000, 300_000, 410_000, 310_000), shapely.box(410_000, 300_000, 420_000, 310_000),
                  shapely.box(400_000, 310_000, 410_000, 320_000)],
        crs=27700,
    )


def _drawing(m) -> ET.Element:
    return ET.fromstring(static_map_svg(m))


def _frame(root: ET.Element) -> ET.Element:
    """The nested <svg> the map's shapes are drawn in."""
    return root.find(f"{SVG}svg")


def _geojson_layers(m) -> list[folium.GeoJson]:
    return [child for child in m._children.values() if isinstance(child, folium.GeoJson)]


def _texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_each_area_of_a_choropleth_is_filled_with_the_colour_its_interactive_layer_gives_it(areas):
    m = maps.choropleth_map(areas, "value", title="Value by area", legend_label="Value (%)")
    shaded = _geojson_layers(m)[0]
    expected = [(f["properties"]["code"], layer_style(shaded, f)["fillColor"]) for f in shaded.data["features"]]
    paths = _frame(_drawing(m)).findall(f"{SVG}path")
    assert [p.get("fill") for p in paths] == [colour for _code, colour in expected]
    # the colours are the choropleth's own: low value dark, high value light, no value grey
    assert dict(expected) == {"A1": "#00224eff", "B2": "#f3db42ff", "C3": "#d0d0d0"}
    assert {p.get("fill-opacity") for p in paths} == {"0.85"}
    assert {p.get("stroke") for p in paths} == {"#ffffff"}


def test_a_path_style_the_layer_does_not_set_is_leaflets_default(areas):
    layer = folium.GeoJson(feature_collection(areas.to_crs(4326)[["code", "geometry"]]),
                           style_function=lambda _f: {"color": "#D55E00"})
    style = layer_style(layer, layer.data["features"][0])
    assert style == {"stroke": True, "color": "#D55E00", "weight": 3, "opacity": 1.0, "fill": True,
                     "fillColor": "#D55E00", "fillOpacity": 0.2, "dashArray": None}


def test_the_outline_is_drawn_unfilled_on_top_in_black(areas):
    m = maps.choropleth_map(areas, "value", title="T", legend_label="Value", outline_gdf=areas.iloc[[0]])
    paths = _frame(_drawing(m)).findall(f"{SVG}path")
    assert len(paths) == 4
    assert (paths[-1].get("fill"), paths[-1].get("stroke"), paths[-1].get("stroke-width")) == ("none", "#000000", "2.5")


def test_the_drawing_carries_the_title_the_legend_and_the_no_data_swatch(areas):
    root = _drawing(maps.choropleth_map(areas, "value", title="Value by area", legend_label="Value (%)"))
    texts = _texts(root)
    assert texts[0] == "Value by area"
    assert texts[1:] == ["Value (%)", "1.0", "3.0", "5.0", "No data"]
    stops = [s.get("stop-color") for s in root.iter(f"{SVG}stop")]
    assert len(stops) == 9 and stops[0] == "#00224e"


def test_a_binned_legend_lists_its_classes_with_their_colours(areas):
    m = maps.choropleth_map(areas, "value", title="T", legend_label="Value (%)", bins=2)
    root = _drawing(m)
    assert _texts(root)[-3:] == ["1.0 to 3.0", "3.0 to 5.0", "No data"]
    swatches = [r.get("fill") for r in root.findall(f"{SVG}rect")][-3:]
    fills = {p.get("fill")[:7] for p in _frame(root).findall(f"{SVG}path")}  # the colormap adds the alpha: #rrggbbaa
    assert set(swatches) == fills == {"#00224e", "#f3db42", "#d0d0d0"}


def test_the_place_map_labels_every_area_and_the_place_in_bold(areas):
    root = _drawing(maps.place_map(areas.iloc[[0]], areas, title="Alpha"))
    labels = {t.text: t.get("font-weight") for t in _frame(root).iter(f"{SVG}text")}
    assert labels == {"Beta": "400", "Gamma": "400", "Alpha": "700"}


def test_layers_switched_off_are_left_out_and_named_under_the_map(areas):
    m = maps.layers_map({"Districts": areas.iloc[[0, 1]], "Wards": areas.iloc[[2]]}, title="Layers", show=["Districts"])
    root = _drawing(m)
    assert len(_frame(root).findall(f"{SVG}path")) == 2
    texts = _texts(root)
    assert "Districts" in texts
    assert texts[-1] == "Also in the interactive map, switched off: Wards."
    assert static_map_description(m) == "Map: Layers. Layers shown: Districts."


def test_circle_markers_and_count_markers_are_drawn_with_their_own_colours(areas):
    m = maps.place_map(areas.iloc[[0]], labels=False)
    points = areas.to_crs(4326).representative_point()
    folium.GeoJson(gpd.GeoDataFrame(geometry=points, crs=4326).__geo_interface__,
                   marker=folium.CircleMarker(radius=5, color="#000000", weight=1, fill=True, fill_color="#E69F00")).add_to(m)
    counts = HtmlMarkers()
    counts.add(points.iloc[0].y, points.iloc[0].x,
               '<div style="width:30px;border-radius:50%;background:rgba(230,159,0,0.85);border:2px solid #5c4400">12</div>',
               size=(30, 30), anchor=(15, 15))
    counts.add_to(m)
    frame = _frame(_drawing(m))
    circles = frame.findall(f"{SVG}circle")
    assert [(c.get("r"), c.get("fill")) for c in circles] == [("5", "#E69F00")] * 3 + [("15", "rgba(230,159,0,0.85)")]
    assert circles[-1].get("stroke") == "#5c4400"
    assert [t.text for t in frame.iter(f"{SVG}text")] == ["12"]


def test_the_frame_shows_the_bounds_the_interactive_map_fits(areas):
    m = maps.place_map(areas.iloc[[0]], areas, labels=False)
    frame = _frame(_drawing(m))
    width, height = float(frame.get("width")), float(frame.get("height"))
    numbers = [float(v) for p in frame.findall(f"{SVG}path") for v in re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert min(xs) >= 11.5 and max(xs) <= width - 11.5 and min(ys) >= 11.5 and max(ys) <= height - 11.5
    # fitted: the areas span the frame less its 12 px padding in one direction at least
    assert abs((max(xs) - min(xs)) - (width - 24)) < 1 or abs((max(ys) - min(ys)) - (height - 24)) < 1


def test_the_same_map_is_drawn_the_same_every_time(areas):
    m = maps.choropleth_map(areas, "value", title="T", legend_label="V")
    assert static_map_svg(m) == static_map_svg(m)


def test_show_map_puts_the_drawing_hidden_beside_the_interactive_frame(areas):
    m = maps.choropleth_map(areas, "value", title="Value by area", legend_label="Value (%)")
    markup = show_map(m, title="Values").data
    figure = re.search(r'<figure class="pd-print-map" hidden><img alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)"></figure></div>$',
                       markup)
    assert figure is not None
    assert html.unescape(figure.group(1)) == "Map: Value by area. Legend, Value (%): from 1.0 to 5.0; grey: no data."
    assert base64.b64decode(figure.group(2)).decode() == static_map_svg(m)
    assert find_outside_urls(markup) == []
    assert static_map_figure(m, title="Values") in markup


@pytest.mark.parametrize(("m", "width", "message"), [
    ("a map", 760, r"The 'm' parameter of static_map_svg must be a folium.Map .*; got str"),
    (None, 760, r"The 'm' parameter of static_map_svg must be a folium.Map .*; got NoneType"),
    ("map", 100, r"The 'width' parameter of static_map_svg must be an integer of at least 200 pixels; got 100"),
    ("map", 760.0, r"The 'width' parameter of static_map_svg must be an integer of at least 200 pixels; got 760.0"),
])
def test_static_map_svg_names_a_bad_argument(areas, m, width, message):
    if m == "map":
        m = maps.place_map(areas.iloc[[0]])
    with pytest.raises(InvalidParameter, match=message):
        static_map_svg(m, width=width)
