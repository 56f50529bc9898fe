"""`--store DIR` of data build, import and fetch replaces only an empty folder or a store of its own
kind, never a user's files, the current folder or the downloads; a rebuild that would lose what the
previous store had needs --allow-fewer; a broken store is exit status 2 with the fix."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import england_files as ef
from helpers.tiny import build_tiny_store
from typer.testing import CliRunner

from diagnostics.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _version(store) -> str:
    return json.loads((store / "store.json").read_text())["store_version"]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return ef.write_tiny_england(tmp_path_factory.mktemp("england") / "downloads")


# -- item 1: what --store may replace ---------------------------------------------------------------
def test_data_build_refuses_a_folder_holding_other_files_and_keeps_them(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "thesis.txt").write_text("keep")
    result = invoke("data", "build", "--scale", "small", "--store", folder)
    assert result.exit_code == 2
    assert f"Refusing to write a store to {folder}: it holds thesis.txt and no store" in result.output
    assert "Name a new or empty folder for --store" in result.output
    assert (folder / "thesis.txt").read_text() == "keep"


def test_data_build_refuses_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text("a project")
    monkeypatch.chdir(tmp_path)
    result = invoke("data", "build", "--scale", "small", "--store", ".")
    assert result.exit_code == 2 and "it is the current folder or holds it" in result.output
    assert (tmp_path / "README.md").is_file()


def test_data_build_refuses_a_parent_of_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    result = invoke("data", "build", "--scale", "small", "--store", "..")
    assert result.exit_code == 2 and "it is the current folder or holds it" in result.output


def test_data_build_refuses_a_file(tmp_path):
    (tmp_path / "notes").write_text("keep")
    result = invoke("data", "build", "--scale", "small", "--store", tmp_path / "notes")
    assert result.exit_code == 2 and "it is a file, not a folder" in result.output


def test_data_build_fills_an_empty_folder_and_replaces_its_own_store(tmp_path):
    (tmp_path / "s").mkdir()
    assert invoke("data", "build", "--scale", "small", "--store", tmp_path / "s").exit_code == 0
    again = invoke("data", "build", "--scale", "small", "--store", tmp_path / "s")
    assert again.exit_code == 0, again.output


def test_a_store_holding_files_of_its_own_is_not_replaced(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    (store / "my-notes.md").write_text("keep")
    result = invoke("data", "build", "--scale", "small", "--store", store)
    assert result.exit_code == 2
    assert "besides the store it holds my-notes.md, which replacing the store would delete" in result.output


def test_a_smaller_synthetic_rebuild_says_what_it_would_lose_and_needs_allow_fewer(tmp_path):
    store = build_tiny_store(tmp_path / "s")  # a synthetic store with its own districts D1..D4
    before = _version(store)
    result = invoke("data", "build", "--scale", "small", "--store", store)
    assert result.exit_code == 2
    assert "it would lose 17 areas (C1, D1, D2, D3, D4 and 12 more)" in result.output
    assert "pass --allow-fewer" in result.output and _version(store) == before
    forced = invoke("data", "build", "--scale", "small", "--store", store, "--allow-fewer")
    assert forced.exit_code == 0, forced.output
    assert _version(store) != before


def test_data_import_refuses_to_write_over_its_own_downloads(downloads, tmp_path):
    folder = tmp_path / "dl"
    shutil.copytree(downloads, folder)
    files = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    result = invoke("data", "import", "--from", folder, "--store", folder)
    assert result.exit_code == 2
    assert f"it is or holds {folder}, the folder the store is built from" in result.output
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == files


def test_data_import_refuses_a_parent_of_the_downloads(downloads, tmp_path):
    shutil.copytree(downloads, tmp_path / "project" / "dl")
    result = invoke("data", "import", "--from", tmp_path / "project" / "dl", "--store", tmp_path / "project")
    assert result.exit_code == 2 and "the folder the store is built from" in result.output
    assert (tmp_path / "project" / "dl").is_dir()


def test_data_import_does_not_replace_a_synthetic_store(downloads, tmp_path):
    store = build_tiny_store(tmp_path / "s")
    result = invoke("data", "import", "--from", downloads, "--store", store)
    assert result.exit_code == 2
    assert "it holds a store from 'synthetic', which a 'england-official' build does not replace" in result.output


def test_data_fetch_refuses_the_store_folder_before_downloading_anything(tmp_path):
    (tmp_path / "dl").mkdir()
    result = invoke("data", "fetch", "--to", tmp_path / "dl", "--store", tmp_path / "dl",
                    "--base-url", "ons_els=http://127.0.0.1:9/never")
    assert result.exit_code == 2 and "the folder the store is built from" in result.output
    assert list((tmp_path / "dl").iterdir()) == []


# -- item 2: a rebuild from worse downloads ----------------------------------------------------------
def test_an_import_that_would_lose_indicators_names_them_and_needs_allow_fewer(downloads, tmp_path):
    store = tmp_path / "store"
    assert invoke("data", "import", "--from", downloads, "--store", store).exit_code == 0
    before = _version(store)
    fewer = tmp_path / "fewer"
    shutil.copytree(downloads, fewer)
    for path in (fewer / "economy").glob("ons_els_*employment*"):
        path.unlink()
    result = invoke("data", "import", "--from", fewer, "--store", store)
    assert result.exit_code == 2
    assert "it would lose" in result.output and "indicators (employment_rate" in result.output
    assert _version(store) == before
    assert invoke("data", "import", "--from", fewer, "--store", store, "--allow-fewer").exit_code == 0
    assert _version(store) != before


# -- item 8: a broken store is exit status 2, naming the file ----------------------------------------
@pytest.mark.parametrize(
    "content, problem",
    [
        (b"[1, 2, 3]", "store.json holds a JSON list, not the object a store's manifest is"),
        (bytes(range(256)), "store.json is not text (binary content)"),
        (json.dumps({"schema_version": 1}).encode(), "store.json lacks the field 'store_version'"),
        (json.dumps({"schema_version": 1, "store_version": "x"}).encode(), "store.json lacks the field 'source'"),
    ],
    ids=["list", "binary", "no-store-version", "no-source"],
)
def test_a_damaged_manifest_is_a_broken_store_with_exit_status_2(tmp_path, content, problem):
    store = build_tiny_store(tmp_path / "s")
    (store / "store.json").write_bytes(content)
    result = invoke("places", "--store", store)
    assert result.exit_code == 2, result.output
    assert f"The store at {store} is broken" in result.output and problem in result.output
    assert "Rebuild it (`place-diagnostic data build`" in result.output and "Traceback" not in result.output


def test_a_missing_table_the_manifest_lists_is_said_not_silently_dropped(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    (store / "population.parquet").unlink()
    result = invoke("indicators", "--place", "D2", "--store", store)
    assert result.exit_code == 2
    assert "population.parquet is listed in store.json but missing: the figures built from it would vanish" in result.output


def test_a_corrupt_boundary_file_is_a_broken_store_before_anything_runs(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    (store / "boundaries" / "district.parquet").write_bytes(b"PAR1 cut short")
    result = invoke("run", "--place", "D2", "--store", store, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "boundaries/district.parquet cannot be read as parquet (it is 14 bytes, not a whole parquet file" in result.output
    assert not (tmp_path / "out").exists()
