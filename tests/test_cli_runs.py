"""The run and batch commands meet bad input and stop signals: a message and exit 2 (never a
traceback), nothing of an earlier batch overwritten by one that could not start, nothing left
behind by a stopped run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.outputs import batch_cluster
from diagnostics.outputs.batch_index import read_manifest, write_manifest
from diagnostics.outputs.batch_outcomes import PlaceOutcome, merge_outcomes

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _notebook(path: Path, code: str) -> Path:
    """A notebook with the diagnostic's parameters cell and one cell of ``code``."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('place = "default"\nstore = None\ncomparators = "nearest"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def earlier_batch(tmp_path):
    """An output folder holding an earlier batch's manifest and index."""
    out = tmp_path / "out"
    write_manifest(out, [PlaceOutcome("D1", "Ashcombe", "district", "ok", seconds=2.0, attempts=1)])
    (out / "index.html").write_text("earlier index")
    return out


# --------------------------------------------------------------------------------------------------
# A batch that cannot start writes nothing
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, message",
    [
        ("nonsense", r"The 'scheduler' parameter must be a Dask scheduler's address; got 'nonsense': give it as tcp://HOST:PORT"),
        ("tcp://127.0.0.1", r"needs a port from 1 to 65535 after the host; got 'tcp://127.0.0.1'"),
        ("tcp://127.0.0.1:99999", r"needs a port from 1 to 65535"),
        ("foo://127.0.0.1:8786", r"protocol must be one of .*tcp.*; got 'foo'"),
    ],
)
def test_a_malformed_scheduler_exits_2_and_leaves_the_earlier_batch(tiny_store_path, earlier_batch, address, message):
    before = (earlier_batch / "manifest.csv").read_text()
    result = invoke("batch", "--store", tiny_store_path, "--places", "D2", "--out", earlier_batch, "--scheduler", address)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


    assert re.search(message, result.output)
    assert (earlier_batch / "manifest.csv").read_text() == before
    assert (earlier_batch / "index.html").read_text() == "earlier index"


def test_an_unreachable_scheduler_exits_2_within_its_timeout_and_writes_nothing(tiny_store_path, earlier_batch, monkeypatch):
    monkeypatch.setattr(batch_cluster, "SCHEDULER_TIMEOUT_S", 1)
    before = sorted(p.name for p in earlier_batch.iterdir())
    manifest = (earlier_batch / "manifest.csv").read_text()
    result = invoke("batch", "--store", tiny_store_path, "--places", "D2", "--out", earlier_batch,
                    "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2, result.output
    assert "Cannot reach the Dask scheduler at 'tcp://127.0.0.1:1': no answer within 1 s" in result.output
    assert "leave out --scheduler" in result.output
    assert sorted(p.name for p in earlier_batch.iterdir()) == before
    assert (earlier_batch / "manifest.csv").read_text() == manifest


def test_a_batch_lists_the_places_of_earlier_batches_and_keeps_their_row_when_it_did_not_run_them(tmp_path):
    earlier = [
        PlaceOutcome("D1", "Ashcombe", "district", "ok", seconds=2.0, attempts=1, input_hash="sha256:1",
                     worker="1", worker_mb=260.0, kernel_mb=170.5),
        PlaceOutcome("D2", "Brackley Vale", "district", "failed", seconds=1.5, attempts=2, error="boom",
                     notebook="00_summary.ipynb", cell=3, worker="0", worker_mb=250.0, kernel_mb=480.5),
    ]
    write_manifest(tmp_path, earlier)
    assert read_manifest(tmp_path) == earlier  # what is written reads back the same
    now = [
        PlaceOutcome("D2", "Brackley Vale", "district", "ok", seconds=1.0, attempts=1),
        PlaceOutcome("D1", "Ashcombe", "district", "not run"),
        PlaceOutcome("D3", "Caddington", "district", "not run"),
    ]
    merged = merge_outcomes(read_manifest(tmp_path), now)
    assert [(o.code, o.status) for o in merged] == [("D1", "ok"), ("D2", "ok"), ("D3", "not run")]


def test_an_unreadable_manifest_is_set_aside_with_a_warning(tmp_path):
    (tmp_path / "manifest.csv").write_text("just,some\ncolumns,here\n")
    with pytest.warns(UserWarning, match=r"manifest.csv could not be read \(no column place"):
        assert read_manifest(tmp_path) == []


# --------------------------------------------------------------------------------------------------
# Bad output folders, notebooks and cache: a message and exit 2
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "batch"])
def test_an_out_that_is_a_file_or_under_a_file_exits_2(tiny_store_path, tmp_path, command):
    afile = tmp_path / "afile"
    afile.write_text("keep")
    for out, message in [(afile, "afile: it is a file; give a folder"),
                         (afile / "sub", "afile is a file, so no folder can be made under it")]:
        result = invoke(command, "--store", tiny_store_path, "--places" if command == "batch" else "--place", "D2",
                        "--out", out)
        assert result.exit_code == 2, result.output
        assert f"Error: Cannot write the outputs to {out}: " in result.output and message in result.output
    assert afile.read_text() == "keep"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a folder whatever its permissions")
def test_a_read_only_out_exits_2(tiny_store_path, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    result = invoke("run", "--store", tiny_store_path, "--place", "D2", "--out", folder)
    folder.chmod(0o755)
    assert result.exit_code == 2 and "cannot be written to" in result.output


def test_a_user_notebook_that_is_not_json_exits_2(tiny_store_path, tmp_path):
    bad = tmp_path / "mine" / "05_mine.ipynb"
    bad.parent.mkdir()
    bad.write_text("not json at all")
    result = invoke("run", "--store", tiny_store_path, "--place", "D2", "--out", tmp_path / "out", "--notebooks", bad)
    assert result.exit_code == 2, result.output
    assert f"The 'notebooks' parameter names '{bad}', which is not a Jupyter notebook (Notebook does not appear to be JSON" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "batch"])
def test_a_cache_variable_naming_a_file_exits_2(tmp_path, monkeypatch, command):
    (tmp_path / "afile").write_text("keep")
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path / "afile"))
    result = invoke(command, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "The PLACE_DIAGNOSTICS_CACHE environment variable names" in result.output and "which is a file" in result.output


# --------------------------------------------------------------------------------------------------
# Stop signals (real processes)
# --------------------------------------------------------------------------------------------------


def _start(args: list[str], tmp: Path) -> subprocess.Popen:
    """The command line in a process of its own group, its temporary files (kernel connection files
    among them) in ``tmp``, with Ctrl-C's signal at its default as in a terminal (a shell without job
    control starts background jobs with SIGINT ignored, and a child inherits that: the test suite run
    with ``&`` would otherwise test a command that cannot be interrupted)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [sys.executable, "-m", "diagnostics.cli", *args], cwd=REPO, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(condition, process: subprocess.Popen, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the command ended before it was stopped: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the command never reached the point where it is stopped")
        time.sleep(0.2)


def _connection_files(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("tmp*.json"))


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stopped_run_leaves_no_staging_folder_kernel_or_connection_file(tiny_store_path, tmp_path, stop):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    (out / "D2").mkdir(parents=True)
    (out / "D2" / "report.html").write_text("the previous report")
    running = tmp_path / "running"
    sleeper = _notebook(tmp_path / "nb" / "00_sleep.ipynb", f"import time\nopen({str(running)!r}, 'w').close()\ntime.sleep(600)")
    process = _start(["run", "--store", str(tiny_store_path), "--place", "D2", "--out", str(out),
                      "--notebooks", str(sleeper)], tmp)
    _wait_for(running.exists, process)  # the notebook is running, in the staging folder
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + stop, stderr
    assert f"Stopped by {stop.name}: the previous outputs in {out} are as they were." in stderr
    assert "Traceback" not in stderr, stderr
    assert sorted(p.name for p in out.iterdir()) == ["D2"]
    assert (out / "D2" / "report.html").read_text() == "the previous report"
    assert _connection_files(tmp) == []


@pytest.mark.slow
def test_a_batch_stopped_by_sigterm_lists_what_finished(tiny_store_path, tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    running = tmp_path / "running"
    slow_after_d1 = _notebook(
        tmp_path / "nb" / "00_slow.ipynb",
        f"import time\nif place != 'D1':\n    open({str(running)!r}, 'w').close()\n    time.sleep(600)",
    )
    process = _start(["batch", "--store", str(tiny_store_path), "--out", str(out), "--workers", "1", "--quiet",
                      "--notebooks", str(slow_after_d1)], tmp)
    _wait_for(lambda: (out / "D1" / "report.html").is_file() and running.exists(), process)  # D2 is running
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Stopped by SIGTERM: finished places are kept in" in stderr and "Traceback" not in stderr
    manifest = pd.read_csv(out / "manifest.csv").set_index("place")["status"].to_dict()
    assert manifest == {"D1": "ok", "D2": "not run", "D3": "not run", "D4": "not run"}
    assert (out / "index.html").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging folder of D2's
    assert _connection_files(tmp) == []


@pytest.mark.slow
def test_ctrl_c_on_a_batch_prints_no_traceback(tiny_store_path, tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    running = tmp_path / "running"
    slow = _notebook(
        tmp_path / "nb" / "00_slow.ipynb",
        f"import time\nif place != 'D1':\n    open({str(running)!r}, 'w').close()\n    time.sleep(600)",
    )
    process = _start(["batch", "--store", str(tiny_store_path), "--out", str(out), "--workers", "2", "--quiet",
                      "--notebooks", str(slow)], tmp)
    _wait_for(lambda: (out / "D1" / "report.html").is_file() and running.exists(), process)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Interrupted: finished places are kept in" in stderr
    assert "Traceback" not in stderr, stderr
    assert pd.read_csv(out / "manifest.csv").set_index("place").loc["D1", "status"] == "ok"
