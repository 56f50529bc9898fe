"""Tests for diagnostics.render.shared_leaflet: one copy of Leaflet per page, map frames that ask for it."""

from __future__ import annotations

import html
import re

import geopandas as gpd
import pytest
from bs4 import BeautifulSoup
from helpers.browser_harness import CHROMIUM, open_browser
from shapely.geometry import box

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import maps
from diagnostics.render.offline import check_offline, leaflet_assets, show_map
from diagnostics.render.shared_leaflet import LOADER, lean_frames, share_leaflet


@pytest.fixture(scope="module")
def two_maps() -> list[str]:
    """Two map frames as show_map writes them: a place and a choropleth of two 10 km squares."""
    districts = gpd.GeoDataFrame(
        {"code": ["E07000001", "E07000002"], "name": ["Alphaton", "Betaby"], "value": [1.0, 2.0]},
        geometry=[box(400_000, 300_000, 410_000, 310_000), box(410_000, 300_000, 420_000, 310_000)],
        crs=27700,
    )
    return [
        show_map(maps.place_map(districts.iloc[[0]], districts), height=300, title="Map of Alphaton").data,
        show_map(maps.choropleth_map(districts, "value", title="Values", legend_label="Value"), height=300,
                 title="Map of values").data,
    ]


def _page(*frames: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="en">\n<head><title>Report</title></head>\n<body>{"".join(frames)}</body></html>'


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def _documents(page: str) -> list[str]:
    return [frame["srcdoc"] for frame in BeautifulSoup(page, "html.parser").find_all("iframe")]  # unescaped


def _inline_scripts(document: str) -> list[str]:
    """The text of a document's scripts other than Leaflet and the loader, in order."""
    js, _css = leaflet_assets()
    return [s for s in _SCRIPT.findall(document) if s not in (js, LOADER)]


def test_the_page_carries_leaflet_once_and_no_frame_carries_it(two_maps):
    js, css = leaflet_assets()
    shared = share_leaflet(_page(*two_maps))
    assert shared.count(js) == 1 and shared.count(css) == 1
    head = shared.split("</head>", 1)[0]
    assert js in head and css in head
    for document in _documents(shared):
        assert js not in document and css not in document
        assert document.count(LOADER) == 1
    assert len(shared) < len(_page(*two_maps)) - len(js)


def test_each_frame_keeps_its_own_scripts_in_order_held_back_until_leaflet_runs(two_maps):
    before = _documents(_page(*two_maps))
    after = _documents(share_leaflet(_page(*two_maps)))
    for whole, lean in zip(before, after):
        assert _inline_scripts(lean) == _inline_scripts(whole)
        held = re.findall(r'<script type="text/x-pd-map">(.*?)</script>', lean, re.S)
        assert held == _inline_scripts(whole)  # every map script waits for Leaflet
        assert '<style id="pd-leaflet-css"></style>' in lean
        # the loader stands where Leaflet stood: before the styles and scripts that follow it
        assert lean.index(LOADER) == whole.index("<script>") + len("<script>")


def test_frames_keep_their_title_language_and_scripts_only_sandbox(two_maps):
    shared = BeautifulSoup(share_leaflet(_page(*two_maps)), "html.parser")
    frames = shared.find_all("iframe")
    assert [f["title"] for f in frames] == ["Map of Alphaton", "Map of values"]
    assert [list(f["sandbox"]) for f in frames] == [["allow-scripts"], ["allow-scripts"]]
    for frame in frames:
        document = BeautifulSoup(frame["srcdoc"], "html.parser")
        assert document.html["lang"] == "en" and document.title.string == frame["title"]


def test_the_shared_page_refers_nowhere_outside_itself(two_maps):
    check_offline(share_leaflet(_page(*two_maps)), "The shared page", anywhere=True)


def test_a_page_without_map_frames_is_unchanged():
    page = _page('<iframe srcdoc="&lt;p&gt;not a map&lt;/p&gt;" title="other"></iframe>', "<p>text</p>")
    assert share_leaflet(page) == page


def test_share_leaflet_rejects_a_map_page_without_a_head(two_maps):
    with pytest.raises(InvalidParameter, match=r"'page' parameter of share_leaflet holds map frames but no </head>"):
        share_leaflet("".join(two_maps))


def test_share_leaflet_rejects_a_non_string():
    with pytest.raises(InvalidParameter, match=r"'page' parameter of share_leaflet must be a str; got bytes"):
        share_leaflet(b"<html></html>")


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
def test_every_map_of_a_shared_page_draws_from_a_file_with_the_network_cut(two_maps, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(share_leaflet(_page(*two_maps)), encoding="utf-8")
    refused, errors = [], []
    with open_browser() as browser:
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else (refused.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(path.as_uri())
        drawn = []
        for index in range(2):
            shapes = page.frame_locator("iframe.pd-map").nth(index).locator("path.leaflet-interactive")
            shapes.first.wait_for(timeout=60_000)
            drawn.append(shapes.count())
        title = page.frame_locator("iframe.pd-map").nth(1).locator(".pd-title").inner_text()
        context.close()
    assert drawn == [2, 2]  # the place and its neighbour; the two shaded squares
    assert title == "Values"
    assert refused == [] and errors == []


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
def test_a_map_frame_runs_no_code_sent_by_a_window_other_than_its_page(two_maps, tmp_path):
    # a page with a map frame and no library, and a sibling frame that offers the map "Leaflet"
    lean, _count = lean_frames(two_maps[0])
    offer = ("setInterval(function () { parent.frames[0].postMessage({type: 'pd-leaflet', css: '', "
             "js: 'document.title = \\'taken\\''}, '*'); }, 50);")
    sibling = f'<iframe sandbox="allow-scripts" title="other" srcdoc="{html.escape(f"<script>{offer}</script>", quote=True)}"></iframe>'
    path = tmp_path / "page.html"
    path.write_text(_page(lean, sibling), encoding="utf-8")
    with open_browser() as browser:
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for_timeout(1_500)
        map_frame = page.frames[1]
        title, drawn = map_frame.title(), map_frame.locator(".leaflet-container").count()
        page.close()
    assert (title, drawn) == ("Map of Alphaton", 0)
