"""The app in a real browser: ``place-diagnostic serve`` driven by Debian's Chromium through playwright.

Every request that is not to loopback is blocked and recorded (none may happen); each test keeps a
screenshot under its tmp_path. The server (one per module) is started on a free loopback port and
stopped at the end, with :data:`POOL` preheated app kernels. benchmarks/bench_app.py times the same
harness.
"""

from __future__ import annotations

import re

import pytest
from helpers.browser_harness import (
    CHROMIUM,
    AppServer,
    open_browser,
    summary_drawn,
    wait_for_place,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"),
]

#: The module's server keeps this many app kernels preheated (fixed, not the machine's default).
POOL = 2
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|^\s*(?:from|import) \w+", re.MULTILINE)


@pytest.fixture(scope="module")
def server(default_store):
    with AppServer(kernels=POOL) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


def _visitor(browser, blocked: list[str]):
    """A new visitor: a browser context of its own whose requests outside loopback are blocked
    (and recorded in ``blocked``), and its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 2400})

    def route(r):
        host = re.match(r"^[a-z]+://([^/:]+)", r.request.url)
        if r.request.url.startswith(("data:", "blob:", "about:")) or (host and host.group(1) in ("127.0.0.1", "localhost")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.set_default_timeout(150_000)  # the machine is shared; the benchmark measures speed
    return context, p


def _check_clean(p, blocked: list[str]) -> None:
    text = p.inner_text("body")
    code_elements = p.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, .highlight").count()
    assert code_elements == 0, "the page shows a code cell"
    assert blocked == [], f"requests outside loopback: {blocked}"
    assert not TRACEBACK.search(text), "the page shows code or a traceback"


@pytest.fixture
def page(browser, server, tmp_path):
    blocked: list[str] = []
    context, p = _visitor(browser, blocked)
    yield p
    p.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    try:
        _check_clean(p, blocked)
    finally:
        context.close()


def _place_names(server):
    from diagnostics.sources import open_store

    store = open_store()
    districts = store.areas_in_layer("district")
    return store, districts


def test_the_app_draws_the_default_place_with_cards_map_and_charts(page, server):
    served = page.goto(server.app_url)
    summary_drawn(page)
    assert page.locator(".pd-synthetic").first.is_visible()
    assert page.locator(".pd-card").count() >= 3
    # the map: Leaflet drew the place's boundary inside its self-contained frame
    frame = page.frame_locator("iframe").first
    assert frame.locator("path.leaflet-interactive").first.count() == 1
    # the chart of differences from the country is an inline SVG with drawn marks
    assert page.locator(".jp-OutputArea-output svg path").count() > 10
    assert page.get_by_text("Strengths", exact=True).is_visible()
    from diagnostics.render.offline import check_offline, find_outside_urls

    loopback = re.compile(r"^https?://(?:127\.0\.0\.1|localhost)[:/]")
    assert [u for u in find_outside_urls(page.content()) if not loopback.match(u)] == []
    check_offline(served.text(), "the app's page as served")


def test_picking_another_place_changes_the_title_cards_and_map(page, server):
    store, districts = _place_names(server)
    page.goto(server.app_url)
    summary_drawn(page)
    before_title = page.locator(".pd-title").inner_text()
    before_cards = page.locator(".pd-cards").inner_text()
    before_map = page.frame_locator("iframe").first.locator("body").inner_html()
    other = districts.loc[districts["name"] != before_title].iloc[0]
    box = page.locator("input[placeholder='Type a place name or code']")
    box.fill(f"{other['name']} ({other['code']}) · District")
    box.press("Enter")
    wait_for_place(page, other["name"])
    summary_drawn(page)
    assert page.locator(".pd-title").inner_text() == other["name"]
    assert page.locator(".pd-cards").inner_text() != before_cards
    assert page.frame_locator("iframe").first.locator("body").inner_html() != before_map


def test_a_deep_link_opens_that_place(page, server):
    store, districts = _place_names(server)
    other = districts.iloc[-1]
    page.goto(f"{server.app_url}?place={other['code']}")
    wait_for_place(page, other["name"])
    summary_drawn(page)
    assert page.locator(".pd-title").inner_text() == other["name"]


def test_a_bad_deep_link_shows_a_friendly_message_and_runs_nothing(page, server):
    page.goto(server.app_url + "?place=__import__('os').system('touch%20/tmp/pd-pwned')")
    summary_drawn(page)
    message = page.locator(".pd-message").inner_text()
    assert "not a place in this data" in message and "Type a name or code" in message


def test_a_section_notebook_takes_a_deep_link_too(page, server):
    store, districts = _place_names(server)
    other = districts.iloc[2]
    page.goto(f"{server.base_url}/voila/render/00_summary.ipynb?place={other['code']}")
    page.locator(".pd-card").first.wait_for()
    assert page.locator("h2").filter(has_text=other["name"]).count() >= 1
    page.goto(f"{server.base_url}/voila/render/00_summary.ipynb?place=Nowhere-at-all")
    page.locator(".pd-card").first.wait_for()
    assert "Unknown place in the link" in page.inner_text("body")


def test_several_visitors_arriving_at_once_each_get_their_own_page_drawn(browser, server, tmp_path):
    store, districts = _place_names(server)
    asked = [None, *districts["name"].iloc[3 : 3 + POOL]]  # one more visitor than the pool holds
    codes = dict(zip(districts["name"], districts["code"]))
    server.wait_until_ready(POOL, timeout=600)  # the pool drawn: the visitors find it waiting
    used_before = server.log.read_text(errors="replace").count("Using pre-heated kernel")
    blocked: list[str] = []
    visitors = [_visitor(browser, blocked) for _ in asked]
    try:
        for (_, p), name in zip(visitors, asked):  # every request sent before any page is drawn
            p.goto(server.app_url + ("" if name is None else f"?place={codes[name]}"), wait_until="commit")
        titles = []
        for number, ((_, p), name) in enumerate(zip(visitors, asked)):
            # a visitor beyond the pool waits for a kernel to be refilled: longer on a busy machine
            if name is not None:
                wait_for_place(p, name, timeout=400_000)
            summary_drawn(p, timeout=400_000)
            p.screenshot(path=str(tmp_path / f"visitor-{number}.png"))
            titles.append(p.locator(".pd-title").inner_text())
            assert p.locator(".pd-card").count() >= 3
            _check_clean(p, blocked)
        assert titles[1:] == asked[1:] and titles[0] not in asked[1:]
        used = server.log.read_text(errors="replace").count("Using pre-heated kernel") - used_before
        assert used >= POOL, "the pool's preheated kernels were not given to the visitors"
    finally:
        for context, _ in visitors:
            context.close()
