"""The report as a PDF: A4 pages with the place, the vintage, the label and "Page N of M" on each;
maps printed as their static drawings; a clear message and nothing lost when a tool is missing."""

from __future__ import annotations

import json
import sys

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.exceptions import InvalidParameter, PdfNotMade
from diagnostics.outputs.pdf import CHROMIUM_VARIABLE, find_chromium, footer_label, write_report_pdf
from diagnostics.render import maps
from diagnostics.render.offline import show_map
from diagnostics.render.style import style_block

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="no Chromium to print with (apt-get install chromium, or set PLACE_DIAGNOSTICS_CHROMIUM)"
)


def _reader(path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDFs back (pip install pypdf)")
    return pypdf.PdfReader(path)


def _pages_text(path) -> list[str]:
    return [page.extract_text() for page in _reader(path).pages]


@pytest.fixture
def two_page_report(tmp_path):
    """A small report page: a heading, a map, a forced page break and a second heading."""
    areas = gpd.GeoDataFrame({"code": ["A1", "B2"], "name": ["Alphaton", "Betaby"]},
                             geometry=[shapely.box(400_000, 300_000, 410_000, 310_000),
                                       shapely.box(410_000, 300_000, 420_000, 310_000)], crs=27700)
    shown = show_map(maps.place_map(areas.iloc[[0]], areas, title="Alphaton among its neighbours")).data
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Alphaton</title>{style_block()}</head>"
            f"<body><h1>Where the place is</h1>{shown}<h1 style='break-before:page'>Health</h1><p>Second page.</p></body></html>")
    path = tmp_path / "report.html"
    path.write_text(page)
    return path


@needs_chromium
def test_a_report_prints_to_a4_pages_each_with_the_place_the_vintage_the_label_and_its_number(two_page_report, tmp_path):
    out = write_report_pdf(two_page_report, tmp_path / "report.pdf", place_name="Alphaton", vintage="2024 release",
                           label="SYNTHETIC DATA: describes no real place")
    reader = _reader(out)
    assert len(reader.pages) == 2
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(596, 843)}  # A4
    for number, text in enumerate(_pages_text(out), start=1):
        assert "Place diagnostic: Alphaton" in text and "Data: 2024 release" in text
        assert "SYNTHETIC DATA: describes no real place" in text
        assert f"Page {number} of 2" in text
    first = _pages_text(out)[0]
    # the map is its static drawing, whose words are text: the title and the areas' labels
    assert "Alphaton among its neighbours" in first and "Betaby" in first
    assert [item["/Title"] for item in reader.outline] == ["Where the place is", "Health"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


def test_a_pdf_replaces_an_earlier_one_only_when_complete(two_page_report, tmp_path, monkeypatch):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-1.4 earlier")
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "no-such-chromium"))
    with pytest.raises(PdfNotMade):
        write_report_pdf(two_page_report, target, place_name="A", vintage="v", label="l")
    assert target.read_bytes() == b"%PDF-1.4 earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]  # no temporary file left


def test_without_playwright_the_message_says_what_to_install(two_page_report, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import raises ImportError
    with pytest.raises(PdfNotMade, match=r"needs the Python package playwright, which is not installed: `pip install playwright`, "
                                         r"and install Chromium \(`apt-get install chromium` on Debian"):
        write_report_pdf(two_page_report, tmp_path / "report.pdf", place_name="A", vintage="v", label="l")
    assert not (tmp_path / "report.pdf").exists()


def test_a_chromium_variable_naming_no_executable_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "chrome"))
    with pytest.raises(PdfNotMade, match=rf"{CHROMIUM_VARIABLE} is set to '.*chrome', which is not an executable file; "
                                         "set it to a Chromium or Google Chrome executable, or unset it"):
        find_chromium()


def test_without_any_chromium_the_message_says_what_to_install(two_page_report, tmp_path, monkeypatch):
    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))  # and no downloaded one
    pytest.importorskip("playwright.sync_api", reason="playwright is needed to reach the browser check")
    with pytest.raises(PdfNotMade, match=r"no Chromium was found; install Chromium \(`apt-get install chromium` on Debian, "
                                         rf"`apt-get install chromium-browser` on Ubuntu\) or set {CHROMIUM_VARIABLE}"):
        write_report_pdf(two_page_report, tmp_path / "report.pdf", place_name="A", vintage="v", label="l")
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"report_html": "missing.html"}, r"The 'report_html' parameter of write_report_pdf must be a written report; "
                                      r"'missing.html' is not a file"),
    ({"place_name": " "}, r"The 'place_name' parameter of write_report_pdf must be a non-empty str; got ' '"),
    ({"label": None}, r"The 'label' parameter of write_report_pdf must be a non-empty str; got None"),
])
def test_write_report_pdf_names_a_bad_argument(two_page_report, tmp_path, kwargs, message):
    arguments = {"report_html": two_page_report, "out_pdf": tmp_path / "r.pdf", "place_name": "A", "vintage": "v",
                 "label": "l", **kwargs}
    with pytest.raises(InvalidParameter, match=message):
        write_report_pdf(**arguments)


def test_the_footer_carries_the_synthetic_label_or_the_licence():
    assert footer_label("Anything.", True) == "SYNTHETIC DATA: describes no real place"
    ogl = ("Contains public sector information licensed under the Open Government Licence v3.0 "
           "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Sources: ONS.")
    assert footer_label(ogl, False) == "Contains public sector information licensed under the Open Government Licence v3.0"


# -- a whole run --------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_chromium
def test_run_with_pdf_writes_the_report_of_the_small_country_as_a_pdf(small_store, tmp_path):
    from diagnostics.outputs.run import run_place

    result = run_place("default", store=small_store, out=tmp_path, pdf=True)
    assert result.pdf == result.out_dir / "report.pdf"
    pages = _pages_text(result.pdf)
    assert len(pages) > 1
    name = result.place.name
    assert all(f"Place diagnostic: {name}" in text and f"Page {i} of {len(pages)}" in text
               for i, text in enumerate(pages, start=1))
    assert all("SYNTHETIC DATA" in text for text in pages)
    record = json.loads((result.out_dir / "run.json").read_text())
    assert record["pdf"] == "report.pdf" and record["pdf_problem"] is None and record["timings"]["pdf"] > 0


@pytest.mark.slow
def test_run_pdf_without_chromium_exits_1_naming_what_to_install_and_keeps_the_html(tiny_store_path, tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "no-chromium"))
    result = CliRunner().invoke(app, ["run", "--store", str(tiny_store_path), "--out", str(tmp_path / "out"),
                                      "--notebooks", "summary", "--pdf"])
    assert result.exit_code == 1
    reports = list((tmp_path / "out").glob("*/report.html"))
    assert len(reports) == 1 and not (reports[0].parent / "report.pdf").exists()
    assert f"The HTML report is written: {reports[0]}" in result.output
    assert f"{CHROMIUM_VARIABLE} is set to" in result.output
    record = json.loads((reports[0].parent / "run.json").read_text())
    assert record["pdf"] is None and "not an executable file" in record["pdf_problem"]


# -- the batch ----------------------------------------------------------------------------------------


def test_a_batch_asked_for_pdfs_on_a_machine_without_chromium_runs_nothing_and_says_what_to_install(
        tiny_store_path, tmp_path, monkeypatch):
    from diagnostics.outputs.batch import run_batch, select_places

    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))
    places = select_places(tiny_store_path)
    with pytest.raises(PdfNotMade, match=r"no Chromium was found; install Chromium .* Nothing was run; run the batch again "
                                         r"without --pdf, or once it is installed"):
        run_batch(places, store=tiny_store_path, out=tmp_path / "out", pdf=True)
    assert not (tmp_path / "out").exists()


def test_resume_runs_again_a_place_whose_pdf_is_missing(tmp_path):
    from diagnostics.outputs.batch import _is_current

    folder = tmp_path / "Z1"
    folder.mkdir()
    (folder / "report.html").write_text("<html></html>")
    (folder / "run.json").write_text(json.dumps({"input_hash": "sha256:x"}))
    assert _is_current(folder, "sha256:x", [])
    assert not _is_current(folder, "sha256:x", [], pdf=True)
    (folder / "report.pdf").write_bytes(b"%PDF")
    assert _is_current(folder, "sha256:x", [], pdf=True)


@pytest.mark.slow
@needs_chromium
def test_batch_pdf_writes_each_places_pdf(tiny_store_path, tmp_path):
    from diagnostics.outputs.batch import run_batch, select_places

    places = select_places(tiny_store_path)[:1]
    result = run_batch(places, store=tiny_store_path, out=tmp_path, notebooks=["summary"], workers=1, pdf=True)
    assert result.all_succeeded
    pdf = tmp_path / places[0].slug / "report.pdf"
    assert f"Place diagnostic: {places[0].name}" in _pages_text(pdf)[0]
