"""Every figure a reader sees for one place stays what it was: the five notebooks of the small
synthetic country's default place, run end to end, against the figures recorded in
``tests/golden/`` (see :mod:`helpers.figures` for what a figure is and how to record them again
after a change that is meant to change them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.figures import run_figures

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parents[1] / "golden" / "small-seed42-default.json"


@pytest.fixture(scope="module")
def figures(small_store, tmp_path_factory):
    from diagnostics.outputs.run import run_place

    result = run_place("default", store=small_store, out=tmp_path_factory.mktemp("figures"))
    return run_figures(result.out_dir)


def test_every_view_of_every_notebook_shows_the_recorded_figures(figures):
    expected = json.loads(GOLDEN.read_text())
    assert list(figures) == list(expected)
    for notebook, views in expected.items():
        assert [v["view"] for v in figures[notebook]] == [v["view"] for v in views], notebook
        for got, want in zip(figures[notebook], views):
            assert got == want, f"{notebook}, view {want['view']!r} shows other figures than recorded"
