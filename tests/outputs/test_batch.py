"""The batch: many places on a Dask cluster (two workers on loopback), the index and the manifest."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter, PlaceNotFound
from diagnostics.outputs.batch import run_batch, select_places
from diagnostics.outputs.batch_index import write_index
from diagnostics.outputs.batch_outcomes import PlaceOutcome
from diagnostics.outputs.run import input_hash, select_notebooks
from diagnostics.render.offline import find_outside_urls

FAILING_PLACE = "D3"
ALL = ("D1", "D2", "D3", "D4")


def _probe(path: Path, extra: str = "") -> Path:
    """A diagnostic-like notebook: the session for the place, its name shown; D3's raises if asked."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('place = "default"\nstore = None\ncomparators = "nearest"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Probe"),
        params,
        nbformat.v4.new_code_cell("from diagnostics.sections.session import start\ndx = start(place, store, comparators)"),
        nbformat.v4.new_code_cell(extra or "dx.place.name"),
        nbformat.v4.new_markdown_cell("## Where"),
        nbformat.v4.new_code_cell("dx.comparator_method"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    failing = _probe(
        folder / "failing" / "00_probe.ipynb",
        f"if place == {FAILING_PLACE!r}:\n    raise RuntimeError('the probe fails for ' + place)\ndx.place.name",
    )
    light = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('place = "default"\nstore = None\ncomparators = "nearest"')
    params.metadata["tags"] = ["parameters"]
    light.cells = [nbformat.v4.new_markdown_cell("# Light"), params, nbformat.v4.new_code_cell("place")]
    light.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (folder / "light").mkdir()
    nbformat.write(light, folder / "light" / "00_light.ipynb")
    return {"ok": folder / "light" / "00_light.ipynb", "failing": failing}


# --------------------------------------------------------------------------------------------------
# Choosing places (no cluster)
# --------------------------------------------------------------------------------------------------


def test_all_places_of_a_layer_in_code_order(tiny_store):
    assert [p.code for p in select_places(tiny_store)] == ["D1", "D2", "D3", "D4"]
    assert [p.code for p in select_places(tiny_store, layer="region")] == ["R1", "R2"]


def test_places_within_a_region_by_name(tiny_store):
    assert [p.code for p in select_places(tiny_store, within="south region")] == ["D3", "D4"]


def test_places_from_a_file_of_codes_and_names(tiny_store, tmp_path):
    listing = tmp_path / "places.txt"
    listing.write_text("# my places\nD4\n\nashcombe  # by name\n")
    assert [p.code for p in select_places(tiny_store, from_file=listing)] == ["D1", "D4"]
    csv = tmp_path / "places.csv"
    csv.write_text("code,note\nD2,x\nD3,y\n")
    assert [p.code for p in select_places(tiny_store, from_file=csv)] == ["D2", "D3"]


def test_a_listed_place_that_does_not_exist_is_named_with_suggestions(tiny_store):
    with pytest.raises(PlaceNotFound, match=r"No place matches 'Ashcomb'. Did you mean: Ashcombe \(D1\)"):
        select_places(tiny_store, places="D1,Ashcomb")


def test_an_unknown_layer_lists_the_layers_of_the_store(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'layer' parameter must be one of the store's layers .*'district'.*; got 'ward'"):
        select_places(tiny_store, layer="ward")


def test_workers_and_scheduler_exclude_each_other(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'workers' and 'scheduler' parameters of run_batch exclude each other"):
        run_batch(select_places(tiny_store), store=tiny_store, workers=2, scheduler="tcp://127.0.0.1:1")


def test_an_unknown_map_indicator_is_refused_before_anything_runs(tiny_store, tmp_path):
    with pytest.raises(InvalidParameter, match=r"'map_indicator' parameter names 'gdp'.*smoking_prevalence"):
        run_batch(select_places(tiny_store), store=tiny_store, out=tmp_path, map_indicator="gdp")
    assert not any(tmp_path.iterdir())


def test_the_input_hash_follows_the_store_the_notebooks_and_the_parameters(tiny_store, tmp_path):
    a = _probe(tmp_path / "a" / "00_probe.ipynb")
    b = _probe(tmp_path / "b" / "00_probe.ipynb", "1 + 1")
    base = input_hash("D1", tiny_store, [a])
    assert base == input_hash("D1", tiny_store, [a]) and base.startswith("sha256:")
    assert base != input_hash("D2", tiny_store, [a])
    assert base != input_hash("D1", tiny_store, [b])
    assert base != input_hash("D1", tiny_store, [a], comparators="region")


def test_the_index_maps_a_chosen_indicator_offline_and_lists_every_place(tiny_store, tmp_path):
    outcomes = [PlaceOutcome(c, tiny_store.name_of(c), "district", "ok", seconds=1.0) for c in ("D1", "D2", "D3")]
    outcomes.append(PlaceOutcome("D4", "Dunmore", "district", "failed", error="Notebook x failed in cell 3: boom"))
    page = write_index(tmp_path, outcomes, tiny_store, map_indicator="smoking_prevalence").read_text()
    assert find_outside_urls(page) == []
    assert "L.map(" in page or "leaflet" in page.lower()
    assert "SYNTHETIC DATA" in page
    for name in ("Ashcombe", "Brackley Vale", "Caddington", "Dunmore"):
        assert name in page
    assert "Notebook x failed in cell 3: boom" in page


def test_the_index_map_of_an_indicator_the_table_lacks_carries_its_figures(tiny_store, tmp_path):
    outcomes = [PlaceOutcome(c, tiny_store.name_of(c), "district", "ok", seconds=1.0) for c in ("D1", "D2", "D3")]
    page = write_index(tmp_path, outcomes, tiny_store, map_indicator="smoking_prevalence").read_text()
    figures = page.split('<details class="pd-chart-data"', 1)[1].split("</details>", 1)[0]
    values = tiny_store.indicator_values(["smoking_prevalence"], ["D1", "D2", "D3"])
    latest = values.loc[values["year"] == values["year"].max()].set_index("area_code")["value"]
    rows = re.findall(r"<th scope=.row.>([^<]+)</th>\s*<td>([^<]+)</td>\s*<td class=.num.>([^<]+)</td>", figures)
    assert [(name, code) for name, code, _ in rows] == [(tiny_store.name_of(c), c) for c in latest.sort_values(ascending=False).index]
    assert all(text.startswith(f"{latest[code]:.1f}") for _, code, text in rows)
    assert "The map's figures" in figures and "table under the map" in page


def test_the_index_map_of_a_headline_indicator_names_the_places_table(tmp_path):
    from diagnostics.outputs.batch_index import PLACES_TABLE
    from diagnostics.sources import open_store

    store = open_store()
    codes = list(store.areas_in_layer("district")["code"][:3])
    outcomes = [PlaceOutcome(c, store.name_of(c), "district", "ok", seconds=1.0) for c in codes]
    page = write_index(tmp_path, outcomes, store).read_text()
    assert 'class="pd-chart-data"' not in page
    assert f"in the table \u201c{PLACES_TABLE}\u201d" in html.unescape(page) and f"<caption>{PLACES_TABLE}:" in page


# --------------------------------------------------------------------------------------------------
# On a cluster (two workers on loopback)
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_batch(tiny_store_path, probes, tmp_path_factory):
    """The command, on a local cluster of two workers, with the probe failing for one place."""
    out = tmp_path_factory.mktemp("batch")
    exe = Path(sys.executable).with_name("place-diagnostic")
    result = subprocess.run(
        [str(exe), "batch", "--store", str(tiny_store_path), "--out", str(out), "--workers", "2",
         "--notebooks", str(probes["failing"]), "--quiet", "--map-indicator", "smoking_prevalence"],
        capture_output=True, text=True, timeout=300,
    )
    return result, out


@pytest.mark.slow
def test_a_failing_place_is_recorded_retried_and_the_others_finish(cli_batch, tiny_store):
    result, out = cli_batch
    assert result.returncode == 1, result.stderr
    manifest = pd.read_csv(out / "manifest.csv").set_index("place")
    assert list(manifest.index) == ["D1", "D2", "D3", "D4"]
    assert manifest.loc[["D1", "D2", "D4"], "status"].tolist() == ["ok"] * 3
    failed = manifest.loc[FAILING_PLACE]
    assert failed["status"] == "failed" and failed["attempts"] == 2
    assert failed["notebook"] == "00_probe.ipynb" and failed["cell"] == 4  # after the injected cell
    assert "RuntimeError: the probe fails for D3" in failed["error"]
    assert manifest["input_hash"].str.match(r"^sha256:[0-9a-f]{64}$").all()
    assert (out / "D3.failed" / "00_probe.ipynb").is_file() and not (out / "D3").exists()
    assert "Failed: Caddington (D3)" in result.stderr
    assert re.search(r"\[4/4\] .* \d+ failed", result.stderr)


@pytest.mark.slow
def test_each_place_gets_what_the_run_command_writes(cli_batch, tiny_store):
    _, out = cli_batch
    for code in ("D1", "D2", "D4"):
        names = sorted(p.name for p in (out / code).iterdir())
        assert names == ["00_probe.ipynb", "figures.csv", "figures.xlsx", "report.html", "run.json"]
        record = json.loads((out / code / "run.json").read_text())
        assert record["place"] == code and record["store_version"] == tiny_store.version
        executed = nbformat.read(out / code / "00_probe.ipynb", as_version=4)
        assert executed.metadata["papermill"]["parameters"]["place"] == code
        assert executed.metadata["place_diagnostics"]["place"] == code
        assert executed.cells[4].outputs[0].data["text/plain"] == repr(tiny_store.name_of(code))


@pytest.mark.slow
def test_the_index_lists_every_place_with_a_working_link(cli_batch, tiny_store):
    _, out = cli_batch
    page = (out / "index.html").read_text()
    assert find_outside_urls(page) == []
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', page))
    for code in ("D1", "D2", "D4"):
        assert links[f"{code}/report.html"] == tiny_store.name_of(code)
        assert (out / code / "report.html").is_file()
    assert "Caddington" in page and "D3/report.html" not in page
    assert 'href="D3.failed/00_probe.ipynb"' in page and (out / "D3.failed" / "00_probe.ipynb").is_file()


@pytest.mark.slow
def test_resume_after_an_interrupted_batch_runs_only_what_was_left(tiny_store, probes, tmp_path):
    places = select_places(tiny_store)
    seen = []

    def interrupt_after_two(progress):
        seen.append(progress.outcome.code)
        if progress.done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(places, store=tiny_store, out=tmp_path, notebooks=[str(probes["ok"])], workers=1,
                  progress=interrupt_after_two)
    manifest = pd.read_csv(tmp_path / "manifest.csv").set_index("place")
    done = sorted(manifest.index[manifest["status"] == "ok"])
    assert len(done) == 2 and sorted(manifest.index[manifest["status"] == "not run"]) == sorted(set(ALL) - set(done))
    # a place whose outputs were swapped in before the interruption is finished too, listed or not
    finished = {c for c in ALL if (tmp_path / c / "report.html").is_file()}
    assert set(done) <= finished and finished != set(ALL)
    stamps = {c: (tmp_path / c / "report.html").stat().st_mtime_ns for c in finished}

    result = run_batch(places, store=tiny_store, out=tmp_path, notebooks=[str(probes["ok"])], workers=2, resume=True)
    status = {o.code: o.status for o in result.outcomes}
    assert {c for c, s in status.items() if s == "unchanged"} == finished
    assert {c for c, s in status.items() if s == "ok"} == set(ALL) - finished
    assert result.all_succeeded
    assert {c: (tmp_path / c / "report.html").stat().st_mtime_ns for c in finished} == stamps
    assert 'href="D1/report.html"' in result.index.read_text()


@pytest.mark.slow
def test_the_same_batch_runs_on_an_existing_cluster_given_by_its_scheduler(tiny_store, probes, tmp_path):
    from distributed import LocalCluster

    places = select_places(tiny_store, within="R1")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        result = run_batch(places, store=tiny_store, out=tmp_path, notebooks=[str(probes["ok"])],
                           scheduler=cluster.scheduler_address)
        assert cluster.status.name == "running"  # the batch leaves someone else's cluster up
    assert result.workers == 2 and result.all_succeeded
    assert [o.code for o in result.outcomes] == ["D1", "D2"]
    assert all((tmp_path / c / "report.html").is_file() for c in ("D1", "D2"))


def test_select_notebooks_takes_a_notebook_path_as_it_is(probes):
    assert select_notebooks([str(probes["ok"])]) == [probes["ok"].resolve()]


def test_progress_is_a_bar_or_one_line_per_place_with_failures_and_time_left():
    import io

    from diagnostics.outputs.batch_outcomes import BatchProgress, progress_reporter

    outcome = PlaceOutcome("D3", "Caddington", "district", "failed", seconds=2.0, error="Notebook x failed in cell 4: boom")
    lines = io.StringIO()
    with progress_reporter(quiet=True, stream=lines) as report:
        report(BatchProgress(total=4, done=1, failed=1, retrying=1, outcome=outcome, elapsed=30.0))
    assert lines.getvalue() == (
        "[1/4] Caddington (D3) failed in 2.0 s (Notebook x failed in cell 4: boom); 1 failed; about 1.5 min left\n"
    )
    bar = io.StringIO()
    with progress_reporter(stream=bar) as report:
        report(BatchProgress(total=4, done=2, failed=1, retrying=1, outcome=outcome, elapsed=30.0))
    assert "2/4" in bar.getvalue() and "failed 1" in bar.getvalue()


def test_the_workers_a_batch_starts_do_not_sample_their_stacks():
    from diagnostics.outputs.batch_cluster import LOCAL_WORKER_CONFIG, connect

    client, cluster = connect(2, None, 2)
    try:
        import dask

        seen = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        assert list(seen.values()) == [False, False] == [LOCAL_WORKER_CONFIG["distributed.worker.profile.enabled"]] * 2
    finally:
        client.close()
        cluster.close()
