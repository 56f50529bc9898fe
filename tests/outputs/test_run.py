"""End-to-end: the runner executes the notebooks and writes one self-contained report."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from diagnostics.exceptions import InvalidParameter, NotebookFailed, PlaceNotFound
from diagnostics.outputs import run as run_module
from diagnostics.outputs.run import run_place, select_notebooks
from diagnostics.render.offline import find_outside_urls
from diagnostics.store.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def summary_run(small_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    return run_place("default", store=small_store, out=out, notebooks=["summary"])


def test_run_writes_executed_notebooks_a_report_and_a_record(summary_run, small_store):
    store = open_store(small_store)
    assert summary_run.report.is_file()
    assert [p.name for p in summary_run.notebooks] == ["00_summary.ipynb"]
    executed = nbformat.read(summary_run.notebooks[0], as_version=4)
    assert executed.metadata["papermill"]["parameters"]["place"] == summary_run.place.code
    assert executed.metadata["place_diagnostics"]["store_version"] == store.version
    record = json.loads((summary_run.out_dir / "run.json").read_text())
    assert record["store_version"] == store.version and record["place"] == summary_run.place.code


def test_report_names_the_place_says_synthetic_and_has_a_map(summary_run):
    html = summary_run.report.read_text()
    assert summary_run.place.name in html
    assert "SYNTHETIC DATA" in html
    assert "L.map(" in html or "leaflet" in html.lower()
    assert "Headline indicators" in html


def test_report_references_no_outside_url(summary_run):
    assert find_outside_urls(summary_run.report.read_text()) == []


def test_report_hides_code(summary_run):
    html = summary_run.report.read_text()
    assert "from diagnostics import summary" not in html


def test_unknown_place_fails_before_anything_runs(small_store, tmp_path):
    with pytest.raises(PlaceNotFound, match="Did you mean"):
        run_place("Nowhereshire Vale", store=small_store, out=tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_kernel_preloads_the_set_up_imports_of_the_diagnostics_own_notebooks_only(tmp_path):
    own = tmp_path / "05_mine.ipynb"
    shutil.copy2(select_notebooks(["health"])[0], own)
    lines = run_module.set_up_imports([*select_notebooks(["summary", "health"]), own]).splitlines()
    assert lines[0] == "import diagnostics"
    assert "from diagnostics.sections.summary import page as summary" in lines
    assert "from diagnostics.sections.health import page as health" in lines
    assert lines[-len(run_module.VIEW_LIBRARIES):] == [f"import {m}" for m in run_module.VIEW_LIBRARIES]
    assert len(lines) == len(set(lines))
    assert run_module.set_up_imports([own]) == "import diagnostics"


def test_unknown_notebook_lists_the_notebooks_there_are():
    with pytest.raises(InvalidParameter, match=r"'notebooks' parameter names 'economics'.*00_summary"):
        select_notebooks(["economics"])


def test_a_failing_notebook_names_itself_and_its_cell_and_keeps_the_previous_output(
    small_store, tmp_path, monkeypatch, summary_run
):
    out = tmp_path / "out"
    shutil.copytree(summary_run.out_dir, out / summary_run.place.slug)
    before = (out / summary_run.place.slug / "report.html").read_text()
    broken = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("place = 'x'\nstore = None\ncomparators = 'nearest'")
    params.metadata["tags"] = ["parameters"]
    broken.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise RuntimeError('boom')")]
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(broken, folder / "00_broken.ipynb")
    monkeypatch.setattr(run_module, "notebooks_dir", lambda: folder)
    with pytest.raises(NotebookFailed) as info:
        run_place("default", store=small_store, out=out)
    err = info.value
    assert err.notebook == "00_broken.ipynb" and "RuntimeError: boom" in err.message
    assert "00_broken.ipynb failed in cell" in str(err)
    assert Path(err.output).is_file() and Path(err.output).parent.name.endswith(".failed")
    assert (out / summary_run.place.slug / "report.html").read_text() == before
    assert sorted(p.name for p in out.iterdir()) == sorted([summary_run.place.slug, summary_run.place.slug + ".failed"])


def test_the_console_script_runs_a_place_and_prints_the_report_path(small_store, tmp_path):
    exe = Path(sys.executable).with_name("place-diagnostic")
    result = subprocess.run(
        [str(exe), "run", "--place", "default", "--store", str(small_store), "--out", str(tmp_path), "--notebooks", "summary"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = Path(result.stdout.strip().rsplit(": ", 1)[1])
    assert report.is_file() and report.name == "report.html"


def test_the_console_script_exits_2_for_an_unknown_place(small_store):
    exe = Path(sys.executable).with_name("place-diagnostic")
    result = subprocess.run(
        [str(exe), "run", "--place", "Atlantis", "--store", str(small_store)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "No place matches 'Atlantis'" in result.stderr
