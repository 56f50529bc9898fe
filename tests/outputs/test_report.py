"""Tests for diagnostics.outputs.report: one self-contained HTML report from executed notebooks."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import geopandas as gpd
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from shapely.geometry import box

from diagnostics.exceptions import InvalidParameter, OfflineViolation
from diagnostics.outputs.report import export_report, report_toc
from diagnostics.render import maps, offline
from diagnostics.render.offline import find_outside_urls

# A 1x1 transparent PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c80000000049454e44ae426082"
    )
).decode("ascii")

REPORT_ARGS = dict(
    place_name="Alphaton",
    source="place-diagnostics synthetic store",
    vintage="synthetic 2024",
    attribution="Synthetic data, free to reuse",
    synthetic=True,
)


@pytest.fixture
def map_markup() -> str:
    gdf = gpd.GeoDataFrame(
        {"code": ["E07000001", "E07000002"], "name": ["Alphaton", "Betaby"]},
        geometry=[box(400_000, 300_000, 410_000, 310_000), box(410_000, 300_000, 420_000, 310_000)],
        crs=27700,
    )
    return offline.show_map(maps.place_map(gdf.iloc[[0]], gdf), height=300).data


@pytest.fixture
def notebooks(map_markup) -> list[nbformat.NotebookNode]:
    first = new_notebook(
        cells=[
            new_markdown_cell("# Summary\n\nAlphaton at a glance. Wilson (1927), doi:10.1080/01621459.1927.10502953."),
            new_code_cell(
                "show_map(place_map(place))",
                outputs=[
                    new_output("display_data", data={"text/html": map_markup, "text/plain": "<map>"}),
                    new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                ],
                execution_count=1,
            ),
            new_markdown_cell("## Headline indicators"),
        ]
    )
    first.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    second = new_notebook(
        cells=[
            new_markdown_cell("# Economy\n\n## Jobs & pay\n\nText."),
            new_code_cell(
                "secret_code_input = 42",
                outputs=[new_output("execute_result", data={"text/plain": "42"}, execution_count=2)],
                execution_count=2,
            ),
        ]
    )
    return [first, second]


@pytest.fixture
def report_html(notebooks, tmp_path) -> str:
    path = export_report(notebooks, tmp_path / "alphaton.html", **REPORT_ARGS)
    return path.read_text(encoding="utf-8")


def test_report_has_the_place_name_and_the_synthetic_banner(report_html):
    assert '<p class="pd-place">Alphaton</p>' in report_html
    assert "SYNTHETIC DATA" in report_html


def test_report_has_no_synthetic_banner_for_real_data(notebooks, tmp_path):
    args = {**REPORT_ARGS, "synthetic": False}
    text = export_report(notebooks, tmp_path / "real.html", **args).read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" not in text


def test_report_has_a_table_of_contents_whose_links_reach_the_headings(report_html):
    toc = re.search(r'<nav[^>]*class="pd-toc"[^>]*>(.*?)</nav>', report_html, re.DOTALL).group(1)
    for heading in ("Summary", "Headline indicators", "Economy", "Jobs &amp; pay"):
        assert heading in toc
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) == 4
    for anchor in anchors:
        assert f'id="{anchor}"' in report_html


def test_report_toc_keeps_levels_one_and_two_in_order(notebooks):
    from diagnostics.outputs.report import _concatenate

    toc = report_toc(_concatenate(notebooks, "t"))
    assert [(e["level"], e["text"]) for e in toc] == [
        (1, "Summary"),
        (2, "Headline indicators"),
        (1, "Economy"),
        (2, "Jobs & pay"),
    ]


def test_report_footer_gives_source_vintage_attribution_and_time(report_html):
    footer = re.search(r'<footer[^>]*class="pd-footer"[^>]*>(.*?)</footer>', report_html, re.DOTALL).group(1)
    assert "place-diagnostics synthetic store" in footer
    assert "synthetic 2024" in footer
    assert "Synthetic data, free to reuse" in footer
    assert "<time datetime=" in footer


def test_report_hides_code_inputs_and_prompts(report_html):
    body = report_html.split("</head>", 1)[1]
    assert "secret_code_input" not in report_html
    assert "show_map(place_map" not in report_html
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body and "In&nbsp;[" not in body
    assert not re.search(r"(In|Out)(&nbsp;|\s)*\[\d+\]", body)


def test_report_keeps_outputs_in_notebook_order(report_html):
    assert report_html.index('id="Summary"') < report_html.index("<iframe") < report_html.index('id="Economy"')
    assert f"data:image/png;base64,{PNG}" in report_html


def test_report_has_no_outside_url(report_html):
    assert find_outside_urls(report_html) == []
    for stock in ("require.js", "mathjax", "unpkg", "jupyter-widgets", "mermaid", "fonts.googleapis"):
        assert stock not in report_html.lower()
    assert "<link" not in report_html


def test_report_carries_leaflet_once_however_many_maps_it_shows(notebooks, map_markup, tmp_path):
    notebooks[1].cells.append(new_code_cell("show_map(m)", outputs=[
        new_output("display_data", data={"text/html": map_markup, "text/plain": "<map>"})], execution_count=3))
    page = export_report(notebooks, tmp_path / "two-maps.html", **REPORT_ARGS).read_text(encoding="utf-8")
    js, css = offline.leaflet_assets()
    assert page.count('<iframe class="pd-map"') == 2
    assert page.count(js) == 1 and page.count(css) == 1
    assert page.count("pd-leaflet-wanted") == 1 + 2  # the page's provider, and each frame's loader


def test_report_inlines_its_css(report_html):
    assert "<style>" in report_html and ".pd-banner" in report_html


def test_report_refuses_a_hyperlink_in_prose_and_writes_nothing(notebooks, tmp_path):
    notebooks[1].cells.append(new_markdown_cell("See [the paper](https://doi.org/10.1080/01621459.1927.10502953)."))
    target = tmp_path / "linked.html"
    with pytest.raises(
        OfflineViolation,
        match=r"^The report from the 'notebooks' parameter of export_report refers outside itself: "
        r"https://doi\.org/10\.1080.*Write references as plain text",
    ):
        export_report(notebooks, target, **REPORT_ARGS)
    assert not target.exists()


def test_report_reads_notebooks_from_paths(notebooks, tmp_path):
    paths = []
    for i, nb in enumerate(notebooks):
        path = tmp_path / f"{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    text = export_report(paths, tmp_path / "from_paths.html", **REPORT_ARGS).read_text(encoding="utf-8")
    assert 'id="Economy"' in text


def test_report_rejects_an_empty_list(tmp_path):
    with pytest.raises(InvalidParameter, match=r"'notebooks' parameter of export_report must be a non-empty list"):
        export_report([], tmp_path / "x.html", **REPORT_ARGS)


def test_report_rejects_a_missing_notebook_file(tmp_path):
    with pytest.raises(InvalidParameter, match=r"which is not a file"):
        export_report([tmp_path / "missing.ipynb"], tmp_path / "x.html", **REPORT_ARGS)


def test_report_rejects_a_non_boolean_synthetic_flag(notebooks, tmp_path):
    with pytest.raises(InvalidParameter, match=r"'synthetic' parameter of export_report must be True or False"):
        export_report(notebooks, tmp_path / "x.html", **{**REPORT_ARGS, "synthetic": "yes"})


def test_report_rejects_an_empty_source(notebooks, tmp_path):
    with pytest.raises(InvalidParameter, match=r"'source' parameter of export_report must be a non-empty str"):
        export_report(notebooks, tmp_path / "x.html", **{**REPORT_ARGS, "source": " "})


def test_importing_diagnostics_does_not_import_nbconvert():
    code = "import sys, diagnostics.outputs.report; print('nbconvert' in sys.modules, 'nbformat' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_report_exporter_gives_the_page_nbconverts_own_html_exporter_gives(notebooks):
    # our exporter skips HTMLExporter's BeautifulSoup pass and adds its alt texts itself: once both
    # are parsed the same way, the two pages are the same
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from diagnostics._compat import report_exporter_class
    from diagnostics.outputs.report import TEMPLATE_NAME, _accessible
    from diagnostics.resources import templates_dir

    notebooks[0].cells.append(new_markdown_cell("![](data:image/png;base64," + PNG + ")"))
    pages = []
    for exporter_class in (HTMLExporter, report_exporter_class()):
        exporter = exporter_class(template_name=TEMPLATE_NAME,
                                  extra_template_basedirs=[str(templates_dir() / "nbconvert")],
                                  exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        html, _ = exporter.from_notebook_node(notebooks[0], resources={"report": {"title": "T"}})
        pages.append(html)
    assert report_exporter_class() is not HTMLExporter  # this nbconvert is one the copy was checked against
    ours = _accessible(pages[1])
    assert 'alt="No description has been provided for this image"' in ours
    assert str(BeautifulSoup(ours, "html.parser")) == pages[0]


def test_a_reused_exporter_gives_the_report_a_new_one_gives(notebooks, tmp_path, monkeypatch):
    import re

    from diagnostics.outputs import report

    def normalised(path):  # the time of making differs
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", "T", text)
        return re.sub(r"\d\d \w+ \d{4}, \d\d:\d\d[^<\"]*", "T", text)

    export_report(notebooks[:1], tmp_path / "first.html", **REPORT_ARGS)  # the thread's exporter, used once
    reused = normalised(export_report(notebooks, tmp_path / "reused.html", **REPORT_ARGS))
    monkeypatch.setattr(report, "_EXPORTERS", type(report._EXPORTERS)())  # a new thread's: a new exporter
    fresh = normalised(export_report(notebooks, tmp_path / "fresh.html", **REPORT_ARGS))
    assert reused == fresh and "Alphaton" in fresh
