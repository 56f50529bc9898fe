"""Tests for diagnostics.render.offline: outside addresses found, and maps that render with the network cut."""

from __future__ import annotations

import html
import pickle
import subprocess
import sys

import folium
import geopandas as gpd
import pytest
from bs4 import BeautifulSoup
from shapely.geometry import box

from diagnostics.exceptions import DiagnosticsError, InvalidParameter, OfflineViolation
from diagnostics.outputs import report
from diagnostics.render import maps, offline
from diagnostics.render.chart_figures import MAP_SUMMARY, ChartFigures, FigureColumn
from diagnostics.render.offline import (
    OfflineMap,
    check_offline,
    find_outside_urls,
    map_html,
    show_map,
)
from diagnostics.render.shown_tables import shown_tables


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    """Two 10 km squares in British National Grid around (400000, 300000)."""
    return gpd.GeoDataFrame(
        {"code": ["E07000001", "E07000002"], "name": ["Alphaton", "Betaby"]},
        geometry=[box(400_000, 300_000, 410_000, 310_000), box(410_000, 300_000, 420_000, 310_000)],
        crs=27700,
    )


# --------------------------------------------------------------------------------------------------
# find_outside_urls and check_offline
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="https://cdn.example.org/lib.js"></script>', ["https://cdn.example.org/lib.js"]),
        ("<link rel='stylesheet' href='http://example.org/a.css'>", ["http://example.org/a.css"]),
        ("<style>body { background: url(https://example.org/bg.png) }</style>", ["https://example.org/bg.png"]),
        ('<style>@font-face { src: url("//fonts.example.com/f.woff2") }</style>', ["//fonts.example.com/f.woff2"]),
        ('<script src="//cdn.example.net/x.js"></script>', ["//cdn.example.net/x.js"]),
        ("<style>@import 'https://example.org/more.css';</style>", ["https://example.org/more.css"]),
        ('<a href="https://doi.org/10.1/abc">paper</a>', ["https://doi.org/10.1/abc"]),
        ("<script>s.src = 'https://unpkg.com/w.js';</script>", ["https://unpkg.com/w.js"]),
        ('<script type="module">await import("https://cdn.example.org/m.mjs")</script>', ["https://cdn.example.org/m.mjs"]),
        ('<iframe srcdoc="&lt;script src=&quot;https://cdn.example.org/in.js&quot;&gt;&lt;/script&gt;"></iframe>',
         ["https://cdn.example.org/in.js"]),
    ],
)
def test_find_outside_urls_catches_every_kind_of_outside_reference(html, expected):
    assert find_outside_urls(html) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"></svg>',
        '<img src="data:image/png;base64,AAAA">',
        '<a href="#summary">Summary</a>',
        "<p>Reference: Wilson EB (1927), doi:10.1080/01621459.1927.10502953</p>",
        "<script>// a comment\nvar x = 1; // another</script>",
    ],
)
def test_find_outside_urls_ignores_self_contained_references(html):
    assert find_outside_urls(html) == []


def test_find_outside_urls_reads_addresses_in_json_strings_without_the_escaped_quote():
    # a page that carries its outputs as JSON (as Voila's does) escapes the quotes around them
    page = r'<script type="application/json">{"html": "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"https://example.org/x\">"}</script>'
    assert find_outside_urls(page) == ["https://example.org/x"]


def test_find_outside_urls_anywhere_also_catches_plain_text_addresses():
    text = "<p>See https://example.org/page for more.</p>"
    assert find_outside_urls(text) == []
    assert find_outside_urls(text, anywhere=True) == ["https://example.org/page"]


def test_find_outside_urls_rejects_a_non_string():
    with pytest.raises(InvalidParameter, match=r"'html' parameter of find_outside_urls must be a str; got bytes"):
        find_outside_urls(b"<p>ok</p>")


def test_check_offline_passes_a_self_contained_page():
    assert check_offline("<p>See https://example.org in prose.</p>", "The page") is None


def test_check_offline_names_every_outside_address_and_the_fix():
    page = '<script src="https://a.example.org/x.js"></script><img src="//b.example.org/y.png">'
    with pytest.raises(OfflineViolation) as info:
        check_offline(page, "The page", fix="Inline them.")
    assert info.value.urls == ["https://a.example.org/x.js", "//b.example.org/y.png"]
    assert str(info.value) == (
        "The page refers outside itself: https://a.example.org/x.js, //b.example.org/y.png; "
        "it must open with the network cut. Inline them."
    )


def test_check_offline_anywhere_also_refuses_plain_text_addresses():
    with pytest.raises(OfflineViolation, match=r"^The page refers outside itself: https://example\.org;"):
        check_offline("<p>See https://example.org</p>", "The page", anywhere=True)


def test_offline_violation_is_a_value_error_and_pickles():
    err = OfflineViolation("The page", ["https://example.org/x.js"], "Inline it.")
    assert isinstance(err, ValueError) and isinstance(err, DiagnosticsError)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is OfflineViolation
    assert again.args == err.args
    assert (again.what, again.urls, again.fix) == ("The page", ["https://example.org/x.js"], "Inline it.")
    assert str(again) == str(err)


def test_report_and_maps_reexport_the_offline_functions():
    assert report.find_outside_urls is find_outside_urls
    assert (offline.OfflineMap, offline.map_html, offline.show_map) == (OfflineMap, map_html, show_map)


# --------------------------------------------------------------------------------------------------
# OfflineMap, map_html and show_map
# --------------------------------------------------------------------------------------------------


def test_offline_map_inlines_leaflet_and_loads_nothing_from_outside(districts):
    document = map_html(maps.place_map(districts.iloc[[0]], districts, title="Alphaton"))
    assert "<script src=" not in document
    assert "<link" not in document
    assert "L.map(" in document and "Leaflet 1.9" in document  # Leaflet's own code is in the page
    assert ".leaflet-container" in document  # and its CSS
    assert find_outside_urls(document, anywhere=True) == []
    for cdn in ("jquery", "bootstrap", "awesome-markers", "fontawesome", "openstreetmap"):
        assert cdn not in document.lower()


def test_offline_map_has_no_tile_layer_and_no_attribution_control():
    document = map_html(OfflineMap(location=[52.6, -2.0], zoom_start=9))
    assert "L.tileLayer" not in document
    assert '"attributionControl": false' in document


def test_leaflet_css_images_and_the_default_marker_are_data_uris():
    m = OfflineMap(location=[52.6, -2.0], zoom_start=9)
    folium.Marker([52.6, -2.0]).add_to(m)
    document = map_html(m)
    assert "url(images/" not in document
    assert "data:image/png;base64," in document
    assert "L.Icon.Default.mergeOptions(" in document
    assert find_outside_urls(document, anywhere=True) == []


def test_offline_map_names_the_missing_leaflet_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)  # as if not installed
    with pytest.raises(DiagnosticsError, match=r"Install it with `pip install XStatic-Leaflet==1\.9\.3`"):
        offline._leaflet_package()


def test_the_inlined_leaflet_is_the_version_folium_expects_with_its_licence_header():
    folder, version = offline._leaflet_package()
    assert version == offline._folium_leaflet_version() == "1.9.3"  # folium's templates are written for it
    assert "Leaflet 1.9.3" in (folder / "leaflet.js").read_text(encoding="utf-8")[:200]
    js, _css = offline.leaflet_assets()
    assert js.startswith("/* @preserve\n * Leaflet 1.9.3, a JS library for interactive maps. leafletjs.com\n"
                         " * (c) 2010-2022 Vladimir Agafonkin, (c) 2010-2011 CloudMade")


def test_a_leaflet_of_another_minor_version_than_folium_expects_is_refused(monkeypatch):
    import xstatic.pkg.leaflet as xstatic_leaflet

    monkeypatch.setattr(xstatic_leaflet, "VERSION", "1.7.1")
    with pytest.raises(DiagnosticsError, match=r"holds Leaflet 1\.7\.1, but folium .*written for Leaflet 1\.9\.3\. "
                                               r"Install it with `pip install XStatic-Leaflet==1\.9\.3`"):
        offline._leaflet_package()


def test_a_folium_that_names_no_leaflet_version_is_reported(monkeypatch):
    monkeypatch.setattr(folium.Map, "default_js", [("leaflet", "leaflet.js")])
    with pytest.raises(DiagnosticsError, match=r"folium's map no longer names the Leaflet version it loads"):
        offline._folium_leaflet_version()


def test_a_map_needs_no_django():
    code = ("import sys; from diagnostics.render.offline import OfflineMap, map_html; "
            "map_html(OfflineMap(location=[52.6, -2.0], zoom_start=9)); print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]


def test_map_html_rejects_a_stock_folium_map_naming_the_cdn():
    with pytest.raises(
        OfflineViolation,
        match=r"^The page rendered from the 'm' parameter of map_html refers outside itself: "
        r"https://cdn\.jsdelivr\.net/npm/leaflet",
    ):
        map_html(folium.Map(tiles=None))


def test_map_html_rejects_a_tile_layer(districts):
    m = maps.place_map(districts.iloc[[0]])
    folium.TileLayer("OpenStreetMap").add_to(m)
    with pytest.raises(OfflineViolation, match=r"tile\.openstreetmap\.org.*Build the map with diagnostics\.render\.maps"):
        map_html(m)


def test_map_html_rejects_something_that_is_not_a_map():
    with pytest.raises(InvalidParameter, match=r"'m' parameter of map_html must be a folium\.Map .* got str"):
        map_html("<html></html>")


def test_show_map_embeds_the_escaped_document_in_an_iframe_srcdoc(districts):
    shown = show_map(maps.place_map(districts.iloc[[0]]), height=400)
    markup = shown.data
    assert '<iframe class="pd-map"' in markup and "srcdoc=" in markup
    assert "height:400px" in markup
    assert "<script>" not in markup  # escaped inside the attribute
    srcdoc = markup.split('srcdoc="', 1)[1].split('" sandbox', 1)[0]
    assert html.unescape(srcdoc).startswith("<!DOCTYPE html>")
    assert find_outside_urls(markup) == []


def test_show_map_rejects_a_bad_height(districts):
    with pytest.raises(InvalidParameter, match=r"'height' parameter of show_map must be a positive integer"):
        show_map(maps.place_map(districts.iloc[[0]]), height="400px")


def test_an_outside_address_beside_the_inlined_leaflet_is_still_found(districts):
    # the inlined Leaflet is searched once per process and then skipped: whatever stands beside it
    # in a map page, or in a report holding the page in a srcdoc, is still searched
    page = map_html(OfflineMap(location=[52.0, -1.0], zoom_start=8))
    tainted = page.replace("</head>", '<script src="https://cdn.example.org/x.js"></script></head>', 1)
    assert find_outside_urls(page) == []
    assert find_outside_urls(tainted, anywhere=True) == ["https://cdn.example.org/x.js"]
    framed = f'<iframe srcdoc="{html.escape(tainted, quote=True)}"></iframe>'
    assert find_outside_urls(framed) == ["https://cdn.example.org/x.js"]
    js, _css = offline.leaflet_assets()
    glued = "see https://example.org/" + js + "/more"
    assert "https://example.org/" in find_outside_urls(glued, anywhere=True)


@pytest.mark.parametrize("gap", [0, 1, 999, 1_000, 1_001, 7_999, 8_000, 20_000])
def test_searching_around_double_slashes_finds_what_a_whole_text_search_finds(gap):
    filler = ('{"type": "Feature", "properties": {"name": "Area"}}, ' * 400)[: gap + 10]
    html = (filler + '<img src="https://a.example.org/x.png">' + filler + "<p>see https://b.example.org/y "
            + " " * gap + "and //cdn.example.net/z.js</p>" + filler + '<a href = \n "//c.example.com/q">q</a>')
    whole = []
    for pattern in offline._PATTERNS + offline._ANYWHERE_PATTERNS:
        for match in pattern.finditer(html):
            url = match.group(1).rstrip(".,;:)]}")
            if url not in whole:
                whole.append(url)
    assert find_outside_urls(html, anywhere=True) == whole
    assert set(whole) >= {"https://a.example.org/x.png", "https://b.example.org/y", "//cdn.example.net/z.js",
                          "//c.example.com/q"}


def test_a_maps_document_says_its_language_and_has_the_frames_title_as_its_own(districts):
    shown = show_map(maps.place_map(districts.iloc[[0]]), title="Map of Ashcombe & its neighbours")
    frame = BeautifulSoup(shown.data, "html.parser").find("iframe")
    document = BeautifulSoup(frame["srcdoc"], "html.parser")
    assert frame["title"] == "Map of Ashcombe & its neighbours"
    assert document.html["lang"] == "en"
    assert [t.get_text() for t in document.find_all("title")] == ["Map of Ashcombe & its neighbours"]
    assert document.title.parent.name == "head"


def test_show_map_names_the_table_on_the_page_or_shows_the_maps_figures_under_it(districts):
    frame = districts.drop(columns="geometry").assign(value=[12.5, 3.25])
    m = maps.choropleth_map(districts.assign(value=[12.5, 3.25]), "value", title="Rates", legend_label="Rate (%)")
    named = BeautifulSoup(show_map(m, title="Map of rates", table="Rates by district").data, "html.parser")
    assert named.find("iframe")["title"] == "Map of rates. Its figures are in the table \u201cRates by district\u201d on this page."
    figures = ChartFigures(frame, "Rate of each district", "ONS", "2024", [("name", "District"), ("code", "Code")],
                           [FigureColumn("value", "Rate", "%", 1)])
    shown = show_map(m, title="Map of rates", data=figures).data
    soup = BeautifulSoup(shown, "html.parser")
    assert soup.find("iframe")["title"] == f"Map of rates. Its figures are in the table under the map (\u201c{MAP_SUMMARY}\u201d)."
    assert soup.find("details").find("summary").get_text() == MAP_SUMMARY
    (table,) = shown_tables(shown)
    assert table.of_chart and [[c.text for c in r] for r in table.rows] == [["Alphaton", "E07000001", "12.5%"],
                                                                             ["Betaby", "E07000002", "3.2%"]]
    with pytest.raises(InvalidParameter, match=r"Give show_map either 'table' .* or 'data' .*, not both"):
        show_map(m, title="Map", table="Rates", data=figures)


def test_a_maps_page_lets_the_reader_zoom_and_is_one_main_landmark_headed_by_its_title(districts):
    page = map_html(maps.choropleth_map(districts.assign(value=[1.0, 2.0]), "value", title="Rates",
                                        legend_label="Rate (%)"), title="Map of rates")
    soup = BeautifulSoup(page, "html.parser")
    assert "user-scalable=no" not in soup.find("meta", attrs={"name": "viewport"})["content"]
    main = soup.body.find("main")
    assert main is not None and main.find("div", class_="folium-map") is not None
    assert "height:100%" in main["style"]  # the map's div is as high as its parent: the landmark fills the page
    assert main.find("h1").get_text() == "Map of rates" and "position:absolute" in main.find("h1")["style"]
