"""A place's figures are the same when its whole-country results are read back from the store's
derived tables (``place-diagnostic data derive`` first, then the run's kernel reads them from the
cache folder) as when its kernel computes them: the golden test's figures, recorded in
``tests/golden/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.figures import run_figures

from diagnostics import cache
from diagnostics.sections.derived import derive_tables

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parents[1] / "golden" / "small-seed42-default.json"


def test_a_run_that_reads_the_derived_tables_shows_the_recorded_figures(small_store, tmp_path, monkeypatch):
    from diagnostics.outputs.run import run_place

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path / "cache"))  # the kernel inherits it
    cache.clear()
    derived = derive_tables(small_store)
    files = {f: f.stat().st_mtime_ns for f in (tmp_path / "cache" / "results").rglob("*.parquet")}
    assert len(files) >= len(derived)
    result = run_place("default", store=small_store, out=tmp_path / "out")
    cache.clear()
    assert {f: f.stat().st_mtime_ns for f in files} == files  # the kernel read them, computed none again
    assert run_figures(result.out_dir) == json.loads(GOLDEN.read_text())
