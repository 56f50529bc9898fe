"""The economy page (diagnostics.sections.economy.page): its views in order, its notebook, and end to end."""

from __future__ import annotations

import json

import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import notebooks_dir
from diagnostics.sections.economy import page
from diagnostics.sections.economy.narrative import economy_findings
from diagnostics.sections.session import start


def _call(view, dx):
    return view(dx, None, None) if "start_year" in view.__code__.co_varnames else view(dx)


def test_the_page_shows_its_views_under_the_same_headings_in_the_same_order():
    assert [heading for heading, _ in page.VIEWS] == [
        "Findings", "Headline economy", "How the place compares", "Trends", "Industrial structure",
        "Location quotients by industry", "Shift-share: national growth, industry mix and local effect", "Shift-share by industry",
        "Productivity gap", "Productivity gap by industry", "About the data",
    ]


@pytest.mark.parametrize("store_place", [("tiny_store", "D2"), ("industry_store", "H1"), ("tiny_england_store", "E08000001")])
def test_views_never_raise_for_missing_data(request, store_place):
    fixture, code = store_place
    dx = start(code, request.getfixturevalue(fixture), comparators="region")
    for heading, view in page.VIEWS:
        assert _call(view, dx).data, heading


def test_the_findings_list_each_finding_with_its_figure(default_dx):
    shown = page.findings(default_dx).data
    found = economy_findings(default_dx)
    assert shown.startswith("<ul class='pd-findings'><li>") and shown.count("<li>") == len(found)
    assert f"<em class='pd-economy-figure'>(figure: {found[0].evidence})</em>" in shown


def test_findings_raise_on_bad_years_even_without_industry_figures(tiny_store):
    with pytest.raises(InvalidParameter, match="must be before 'end_year'"):
        page.findings(start("D2", tiny_store, comparators="region"), start_year=2023, end_year=2022)


def test_the_data_notes_are_a_list_under_the_synthetic_label(default_dx):
    shown = page.data_notes(default_dx).data
    assert shown.startswith('<div class="pd-synthetic">') and shown.endswith("</li></ul>")


def test_the_notebook_has_the_standard_parameters_and_no_outputs():
    nb = json.loads((notebooks_dir() / "10_economy.ipynb").read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = "".join(code[0]["source"])
    assert code[0]["metadata"]["tags"] == ["parameters"]
    for line in ('place = "default"', "store = None", 'comparators = "default"', "start_year = None", "end_year = None"):
        assert line in params
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


@pytest.mark.slow
def test_the_economy_notebook_runs_end_to_end(small_store, tmp_path):
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["economy"])
    html = result.report.read_text()
    assert [p.name for p in result.notebooks] == ["10_economy.ipynb"]
    for heading, _ in page.VIEWS:
        assert heading.split(":")[0] in html
    assert "SYNTHETIC DATA" in html and "Location quotient" in html and "Dunn" in html
    assert find_outside_urls(html) == []


@pytest.mark.slow
def test_the_economy_notebook_fails_clearly_on_a_bad_start_year(small_store, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="InvalidParameter") as err:
        papermill.execute_notebook(
            str(notebooks_dir() / "10_economy.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"store": str(small_store), "comparators": "region", "start_year": 1990},
            progress_bar=False, cwd=str(tmp_path),
        )
    assert "'start_year' parameter of shift_share must be a year with industry figures" in err.value.evalue
