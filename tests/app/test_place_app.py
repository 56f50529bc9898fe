"""The app without a browser: deep links, the widgets' behaviour, lazy tabs, the server's command line."""

from __future__ import annotations

import base64
import html
import json
import os
import sys
import types

import pytest

from diagnostics.app import place_app as app_module
from diagnostics.app import serve
from diagnostics.app.place_app import PlaceApp, place_options
from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import notebooks_dir, templates_dir
from diagnostics.sections import registry as sections
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def store(small_store):
    return open_store(small_store)


@pytest.fixture(scope="module")
def districts(store):
    return store.areas_in_layer("district")


@pytest.fixture(scope="module")
def shared_app(store):
    return PlaceApp(store)


def _tab_html(app, index):
    return "".join(o["data"].get("text/html", "") for out in app.outputs[index] for o in out.outputs)


# -- the app ---------------------------------------------------------------------------------------


def test_the_picker_offers_places_of_every_layer(store):
    options = place_options(store)
    assert len(options) == len(store.areas)
    assert any(label.endswith("· District") for label in options)
    assert any(label.endswith("· Health area (ICB)") for label in options)


def test_the_app_opens_on_the_default_place_with_its_name_source_vintage_and_label(shared_app, store):
    shared_app.show("default", "nearest")
    header = shared_app.header.value
    assert f'<h1 class="pd-title">{shared_app.dx.place.name}</h1>' in header
    assert store.source in header and store.vintage in header and "SYNTHETIC DATA" in header
    assert f"?place={shared_app.dx.place.code}" in header
    assert [s.key for s in shared_app.sections] == [s.key for s in sections.available_sections()]
    assert shared_app.tabs.titles[0] == "Summary"


def test_only_the_open_tab_is_drawn_and_the_others_when_opened(shared_app, districts):
    shared_app.tabs.selected_index = 0
    shared_app.show(districts["code"].iloc[0])
    summary_html = _tab_html(shared_app, 0)
    assert 'class="pd-card"' in summary_html and "pd-findings" in summary_html and "<svg" in summary_html
    if len(shared_app.sections) > 1:
        assert _tab_html(shared_app, 1) == ""
        shared_app.tabs.selected_index = 1
        assert "SYNTHETIC DATA" in _tab_html(shared_app, 1)
        shared_app.tabs.selected_index = 0


def test_a_switch_empties_every_tab_not_yet_drawn_for_the_new_place(shared_app, districts):
    shared_app.tabs.selected_index = 0
    shared_app.show(districts["code"].iloc[5])
    if len(shared_app.sections) > 1:
        shared_app.tabs.selected_index = 1
        assert districts["name"].iloc[5] in _tab_html(shared_app, 1)
        shared_app.tabs.selected_index = 0
        shared_app.show(districts["code"].iloc[6])
        assert _tab_html(shared_app, 1) == ""  # never the old place's views under the new title
        assert districts["name"].iloc[6] in _tab_html(shared_app, 0)


def test_going_back_to_a_place_shows_its_drawn_tabs_without_drawing_them_again(store, districts, monkeypatch):
    app = PlaceApp(store, districts["code"].iloc[0], "nearest")
    app.tabs.selected_index = len(app.sections) - 1
    first_place = {index: _tab_html(app, index) for index in (0, len(app.sections) - 1)}
    app.show(districts["code"].iloc[1])
    drawn = []
    original = PlaceApp._draw
    monkeypatch.setattr(PlaceApp, "_draw", lambda self, heading, view: drawn.append(heading) or original(self, heading, view))
    app.show(districts["code"].iloc[0])
    assert drawn == [] and app.dx.place.code == districts["code"].iloc[0]
    assert {index: _tab_html(app, index) for index in first_place} == first_place
    app.comparator.value = "region"  # other comparators: the open tab is drawn again
    assert len(drawn) == len(app.sections[-1].views)


def test_only_the_last_places_drawn_tabs_are_kept(store, districts, monkeypatch):
    app = PlaceApp(store, districts["code"].iloc[0], "nearest")
    for code in districts["code"].iloc[1 : 1 + app_module.PLACES_DRAWN_KEPT]:
        app.show(code)
    drawn = []
    original = PlaceApp._draw
    monkeypatch.setattr(PlaceApp, "_draw", lambda self, heading, view: drawn.append(heading) or original(self, heading, view))
    app.show(districts["code"].iloc[app_module.PLACES_DRAWN_KEPT])  # among the last kept: not drawn again
    assert drawn == []
    app.show(districts["code"].iloc[0])  # the oldest, forgotten: drawn again
    assert len(drawn) == len(app.sections[0].views)
    assert app.timings["show"] > 0 and app.timings[app.sections[0].key] > 0


def test_picking_a_place_redraws_the_title_and_the_summary(shared_app, districts):
    shared_app.tabs.selected_index = 0
    shared_app.show(districts["code"].iloc[0])
    before = _tab_html(shared_app, 0)
    other = districts.iloc[4]
    label = next(k for k, v in shared_app.options.items() if v == other["code"])
    shared_app.picker.value = label
    assert shared_app.dx.place.code == other["code"]
    assert f">{other['name']}</h1>" in shared_app.header.value
    assert _tab_html(shared_app, 0) != before and other["name"] in _tab_html(shared_app, 0)


def test_an_unknown_place_keeps_the_current_one_and_says_so(shared_app):
    current = shared_app.dx.place.code
    assert shared_app.show("Atlantis") is False
    assert shared_app.dx.place.code == current
    assert "No place matches &#x27;Atlantis&#x27;" in shared_app.message.value


def test_comparators_can_be_the_region_or_a_custom_list(shared_app, districts):
    shared_app.show(districts["code"].iloc[0])
    shared_app.comparator.value = "region"
    assert "areas of its region" in shared_app.dx.comparator_method
    shared_app.comparator.value = "custom"
    assert shared_app.custom.layout.display is None and "Type the comparator" in shared_app.message.value
    shared_app.custom.value = ", ".join(districts["code"].iloc[1:4])
    assert shared_app.dx.comparator_method == "a custom list of 3 areas"
    shared_app.custom.value = "Atlantis"
    assert "&#x27;Atlantis&#x27; is not a place of this store" in shared_app.message.value
    shared_app.comparator.value = "nearest"
    assert shared_app.custom.layout.display == "none" and "nearest" in shared_app.dx.comparator_method


class _FakeSection(sections.Section):
    @property
    def is_available(self) -> bool:
        return True


def test_a_section_added_to_the_registry_gets_a_tab_and_a_failing_view_a_short_message(store, monkeypatch):
    def good(dx):
        from diagnostics.render.html import notice

        return notice(f"all fine in {dx.place.name}", title="Fake")

    def bad(dx):
        raise ZeroDivisionError("division by zero in line 3 of secret_code.py")

    module = types.ModuleType("fake_app_views")
    module.VIEWS = (("Fine", good), ("Broken", bad))
    monkeypatch.setitem(sys.modules, "fake_app_views", module)
    fake = _FakeSection("fake", "Fake section", "98_fake.ipynb", "fake_app_views")
    monkeypatch.setattr(sections, "SECTIONS", sections.SECTIONS[:1] + (fake,))
    app = PlaceApp(store)
    assert app.tabs.titles == ("Summary", "Fake section")
    app.tabs.selected_index = 1
    shown = _tab_html(app, 1)
    assert "all fine in" in shown and "Broken could not be drawn" in shown and "unexpected ZeroDivisionError" in shown
    assert "secret_code" not in shown and "Traceback" not in shown


def test_the_report_link_carries_the_runners_report_run_in_a_kernel_without_voilas_variables(
    shared_app, monkeypatch, tmp_path
):
    seen = {}

    def fake_run_place(place, *, store, out, comparators, kernel_env, pdf):
        seen.update(place=place.code, comparators=comparators, kernel_env=kernel_env, environ=dict(os.environ), pdf=pdf)
        report = tmp_path / "report.html"
        report.write_text("<html>the report</html>")
        return types.SimpleNamespace(report=report, pdf=None)

    monkeypatch.setenv("VOILA_KERNEL_ID", "abc")
    monkeypatch.setenv("QUERY_STRING", "place=E1")
    monkeypatch.setenv("PD_TEST_KEPT", "kept")
    monkeypatch.setattr(app_module, "run_place", fake_run_place)
    link = shared_app.report_link()
    payload = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(payload) == b"<html>the report</html>"
    assert seen["place"] == shared_app.dx.place.code
    assert not [k for k in seen["kernel_env"] if k.startswith("VOILA_") or k == "QUERY_STRING"]
    assert seen["kernel_env"]["PD_TEST_KEPT"] == "kept"
    assert seen["environ"]["VOILA_KERNEL_ID"] == "abc"  # this process's environment is left as it is
    assert f'download="{shared_app.dx.place.slug}-place-diagnostic.html"' in link
    assert seen["pdf"] is False and "PDF" not in link  # the "Also as a PDF" box starts unticked


def test_a_report_asked_with_its_pdf_offers_both_downloads(shared_app, monkeypatch, tmp_path):
    def fake_run_place(place, *, store, out, comparators, kernel_env, pdf):
        (tmp_path / "report.html").write_text("<html>the report</html>")
        (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 the report")
        return types.SimpleNamespace(report=tmp_path / "report.html", pdf=tmp_path / "report.pdf" if pdf else None)

    monkeypatch.setattr(app_module, "run_place", fake_run_place)
    link = shared_app.report_link(pdf=True)
    pdf = link.split("data:application/pdf;base64,")[1].split('"')[0]
    assert base64.b64decode(pdf) == b"%PDF-1.4 the report"
    assert f'download="{shared_app.dx.place.slug}-place-diagnostic.pdf"' in link and ">Download PDF</a>" in link


def test_a_pdf_that_cannot_be_made_still_offers_the_html_and_says_why(shared_app, monkeypatch, tmp_path):
    from diagnostics.exceptions import PdfNotMade

    def fake_run_place(place, *, store, out, comparators, kernel_env, pdf):
        (tmp_path / "report.html").write_text("<html>the report</html>")
        raise PdfNotMade(str(tmp_path / "report.pdf"), "no Chromium was found; install Chromium.", str(tmp_path / "report.html"))

    monkeypatch.setattr(app_module, "run_place", fake_run_place)
    link = shared_app.report_link(pdf=True)
    assert base64.b64decode(link.split("data:text/html;base64,")[1].split('"')[0]) == b"<html>the report</html>"
    assert "No PDF: no Chromium was found; install Chromium." in link and "application/pdf" not in link


def test_a_failed_report_becomes_a_message(shared_app, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(app_module, "run_place", failing)
    assert "The report could not be drawn" in shared_app.report_link()


# -- the server --------------------------------------------------------------------------------------


def test_the_app_notebook_is_thin():
    nb = json.loads((notebooks_dir() / "app.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code == ["from diagnostics.app.place_app import launch", "app = launch()"]
    assert all(c.get("outputs") == [] for c in nb["cells"] if c["cell_type"] == "code")


def test_voila_serves_loopback_with_our_template_a_preheated_app_and_culling():
    command = serve.voila_command()
    assert "--Voila.ip=127.0.0.1" in command and "--port=8866" in command
    assert "--template=place_diagnostics" in command and "--preheat_kernel=True" in command
    assert "--strip_sources=True" in command and "--show_tracebacks=False" in command
    pools = json.loads(next(a for a in command if a.startswith("--VoilaKernelManager.kernel_pools_config=")).split("=", 1)[1])
    assert pools == {"default": {"pool_size": 0}, "app.ipynb": {"pool_size": 1}}
    assert f"--MappingKernelManager.cull_idle_timeout={serve.CULL_IDLE_SECONDS}" in command
    assert serve.app_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/voila/render/app.ipynb"


@pytest.mark.parametrize("port", [0, 70000, "8866", True])
def test_a_bad_port_is_refused(port):
    with pytest.raises(InvalidParameter, match=r"The 'port' parameter of serve must be an integer in 1..65535"):
        serve.voila_command(port=port)


def test_the_template_is_found_where_voila_looks_and_fetches_nothing_from_outside():
    from diagnostics.render.offline import find_outside_urls

    env = serve.voila_environment()
    root = env["JUPYTER_PATH"].split(os.pathsep)[0]
    found = os.path.join(root, "voila", "templates", serve.TEMPLATE_NAME, "index.html.j2")
    assert os.path.isfile(found)
    text = (templates_dir() / "voila" / serve.TEMPLATE_NAME / "index.html.j2").read_text()
    assert find_outside_urls(text, anywhere=True) == []
    assert "{{ super.super() }}" in text  # the stock block links Font Awesome from a CDN


def test_the_cli_offers_serve_with_host_port_and_store():
    from typer.testing import CliRunner

    from diagnostics.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--store"):
        assert option in result.output


def test_the_app_shows_the_place_asked_for_even_in_a_voila_kernel_with_a_link(shared_app, districts, monkeypatch):
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("QUERY_STRING", f"place={districts['code'].iloc[2]}")
    assert shared_app.show(districts["code"].iloc[4]) and shared_app.dx.place.code == districts["code"].iloc[4]


def test_launch_opens_the_linked_place_or_says_the_link_is_unknown(small_store, districts, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    code = districts["code"].iloc[5]
    monkeypatch.setenv("QUERY_STRING", f"place={code}")
    app = app_module.launch(small_store)
    assert shown[-1] is app.root and app.dx.place.code == code and app.message.value == ""
    monkeypatch.setenv("QUERY_STRING", "place=%3Cscript%3Ealert(1)%3C/script%3E")
    app = app_module.launch(small_store)
    assert "not a place in this data" in app.message.value and "Type a name or code" in app.message.value
    assert "<script>" not in app.message.value and "&lt;script&gt;" in app.message.value


def test_the_launched_app_shows_leaflet_once_and_maps_that_take_it_from_the_page(small_store, monkeypatch):
    from diagnostics.render.offline import leaflet_assets
    from diagnostics.render.shared_leaflet import provider_html

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
    app = app_module.launch(small_store)
    js, _css = leaflet_assets()
    assert [getattr(obj, "data", obj) for obj in shown] == [provider_html(), app.root]
    summary = _tab_html(app, 0)
    assert summary.count('<iframe class="pd-map"') == 1 and "pd-leaflet-wanted" in summary
    assert html.escape(js, quote=True) not in summary


def test_an_app_not_launched_keeps_each_map_whole(shared_app):
    from diagnostics.render.offline import leaflet_assets

    shared_app.show("default", "nearest")
    js, _css = leaflet_assets()
    summary = _tab_html(shared_app, 0)
    assert summary.count('<iframe class="pd-map"') == 1 and html.escape(js, quote=True) in summary


def test_a_voila_kernel_imports_voilas_helpers_before_drawing_not_after_the_request(small_store, monkeypatch):
    # A preheated kernel must pay for importing Voilà's server stack (~1.5 s) before the page's
    # request arrives: imported inside requested_place, it held up the page's HTML (measured).
    seen = []
    original = app_module.PlaceApp.__init__

    def record(self, *args, **kwargs):
        seen.append("voila.utils" in sys.modules)
        original(self, *args, **kwargs)

    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    monkeypatch.setattr(app_module.PlaceApp, "__init__", record)
    monkeypatch.delitem(sys.modules, "voila.utils", raising=False)
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    app_module.launch(small_store)
    assert seen == [True]


@pytest.mark.slow
def test_a_report_prepared_in_a_served_page_is_of_the_apps_place_not_the_pages_link(store, districts, monkeypatch):
    app = PlaceApp(store)
    other = districts.loc[districts["code"] != app.dx.place.code, "code"].iloc[0]
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", f"place={other}")  # what the report's notebooks would take if they saw it
    link = app.report_link()
    report = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode("utf-8")
    assert f"<title>{app.dx.place.name}: place diagnostic</title>" in report


def test_a_preheated_kernel_waits_for_its_visitors_request_outside_the_cell(small_store, districts, monkeypatch):
    # Voilà times every cell: a kernel that waited in the pool inside the cell would time out
    import importlib
    import threading

    from diagnostics.sections.session import start

    default = start("default", open_store(small_store)).place.code
    wanted = districts.loc[districts["code"] != default, "code"].iloc[-1]
    arrived = threading.Event()

    def request_arrives_later():
        arrived.wait(timeout=60)
        return f"place={wanted}"

    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    # the module served.py imports from (another test may have imported a second copy of it)
    monkeypatch.setattr(importlib.import_module("voila.utils"), "get_query_string", request_arrives_later)
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    app = app_module.launch(small_store)
    assert app.dx.place.code == default  # the cell is done; the visitor has not come yet
    waiting = next(t for t in threading.enumerate() if t.name == "pd-page-request")
    arrived.set()
    waiting.join(timeout=120)
    assert app.dx.place.code == wanted
