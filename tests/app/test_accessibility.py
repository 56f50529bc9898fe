"""Accessible to everyone who must read it (WCAG 2.2 AA): axe-core over the report, every tab of the
app and the batch index, in Debian's Chromium; and the app used by keyboard alone.

No violation of serious or critical impact is allowed; the others are printed (``pytest -s``).
"""

from __future__ import annotations

import re

import pytest
from helpers.accessibility import check_accessible
from helpers.browser_harness import CHROMIUM, AppServer, open_browser, summary_drawn, wait_for_place

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    with open_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    p = context.new_page()
    p.set_default_timeout(150_000)  # the machine is shared
    yield p
    context.close()


# ---- the report and the batch index ----------------------------------------------------------------

def test_the_report_breaks_no_serious_accessibility_rule(page, small_store, tmp_path):
    from diagnostics.outputs.run import run_place

    report = run_place("default", store=small_store, out=tmp_path).report
    page.goto(report.as_uri())
    page.locator("iframe.pd-map").first.wait_for()
    check_accessible(page, "the report")


def test_the_batch_index_breaks_no_serious_accessibility_rule(page, tiny_store, tmp_path):
    from diagnostics.outputs.batch_index import write_index
    from diagnostics.outputs.batch_outcomes import PlaceOutcome

    outcomes = [PlaceOutcome(c, tiny_store.name_of(c), "district", "ok", seconds=1.0) for c in ("D1", "D2", "D3")]
    outcomes.append(PlaceOutcome("D4", tiny_store.name_of("D4"), "district", "failed", error="Notebook x failed in cell 3"))
    page.goto(write_index(tmp_path, outcomes, tiny_store, map_indicator="smoking_prevalence").as_uri())
    page.locator("iframe").first.wait_for()
    check_accessible(page, "the batch index")


# ---- the app ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(default_store):
    with AppServer() as running:
        yield running


def _views_per_tab() -> dict[str, int]:
    from diagnostics.sections.registry import available_sections

    return {s.title: len(s.views) for s in available_sections()}


def _tab_drawn(page, title: str, views: int) -> None:
    """Wait until the open tab is ``title`` and shows a heading for each of its views."""
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=title).wait_for()
    page.wait_for_function(
        "n => [...document.querySelectorAll('.pd-view-heading')].filter(h => h.offsetParent !== null).length >= n", arg=views
    )


def test_every_tab_of_the_app_breaks_no_serious_accessibility_rule(page, server):
    page.goto(server.app_url)
    summary_drawn(page)
    for title, views in _views_per_tab().items():
        page.locator(".lm-TabBar-tab", has_text=title).click()
        _tab_drawn(page, title, views)
        others = check_accessible(page, f"the app's {title} tab")
        outside = [str(v) for v in others if v.rule == "region"]
        assert outside == [], "content outside any landmark (the Voilà template's <main> holds every output)"


def _focused(page) -> dict:
    """What has the keyboard's focus: its tag, role, text and whether a focus ring is drawn."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return {tag: e.tagName, type: e.type || '', role: e.getAttribute('role') || '', text: (e.innerText || e.value || '').trim().slice(0, 60),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
    }""")


def test_the_app_is_usable_by_keyboard_alone(page, server, default_store):
    page.goto(server.app_url, timeout=400_000)  # Voilà runs a kernel before answering: slow on a busy machine
    summary_drawn(page, timeout=400_000)
    # Tab from the top of the page: the picker, the comparators, the report button and the tabs, each with a ring
    page.locator(".pd-title").click()
    visited = []
    for _ in range(12):
        page.keyboard.press("Tab")
        visited.append(_focused(page))
        if visited[-1]["role"] == "tab":
            break
    kinds = [(f["tag"], f["role"]) for f in visited]
    assert ("INPUT", "") in kinds and ("SELECT", "") in kinds and ("BUTTON", "") in kinds
    assert visited[-1]["role"] == "tab" and visited[-1]["text"] == "Summary", visited
    without_ring = [f"{f['tag']} {f['role']} {f['text']!r}" for f in visited
                    if not f["ring"] and (f["tag"] in ("INPUT", "SELECT", "BUTTON") or f["role"] == "tab")]
    assert without_ring == [], "focused without a visible focus ring"

    # another tab, by the arrow keys and Enter, as for any tab list
    titles = list(_views_per_tab())
    page.keyboard.press("ArrowRight")
    assert _focused(page)["text"] == titles[1]
    page.keyboard.press("Enter")
    _tab_drawn(page, titles[1], _views_per_tab()[titles[1]])

    # no trap: Tab goes on through the page (and its maps) and comes back round to the tabs
    for _ in range(400):
        page.keyboard.press("Tab")
        if _focused(page)["role"] == "tab":
            break
    else:
        pytest.fail("400 presses of Tab never brought the focus back to the tabs: the keyboard is trapped")

    # another place, typed into the picker
    from diagnostics.sources import open_store

    districts = open_store().areas_in_layer("district")  # the store the server serves
    before = page.locator(".pd-title").inner_text()
    other = districts.loc[districts["name"] != before].iloc[0]
    page.keyboard.press("Shift+Tab")
    for _ in range(12):  # back past the PDF checkbox (an INPUT too) to the picker's text box
        if (_focused(page)["tag"], _focused(page)["type"]) == ("INPUT", "text"):
            break
        page.keyboard.press("Shift+Tab")
    else:
        pytest.fail("12 presses of Shift+Tab never reached the place picker")
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{other['name']} ({other['code']}) · District")
    page.keyboard.press("Enter")
    wait_for_place(page, other["name"])
    assert re.fullmatch(re.escape(other["name"]), page.locator(".pd-title").inner_text())
