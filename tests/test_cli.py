import json

import pytest
from typer.testing import CliRunner

from diagnostics.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_places_lists_the_districts_of_a_store(tiny_store_path):
    result = invoke("places", "--layer", "district", "--store", tiny_store_path)
    assert result.exit_code == 0, result.output
    assert "Brackley Vale" in result.output and "D4" in result.output
    assert "Health Area" not in result.output


def test_places_search_as_csv(tiny_store_path):
    result = invoke("places", "--search", "health", "--format", "csv", "--store", tiny_store_path)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "code,name,layer,parent_code"
    assert len(result.output.splitlines()) == 3


def test_indicators_prints_the_place_figures_as_json(tiny_store_path):
    result = invoke("indicators", "--place", "brackley vale", "--format", "json", "--store", tiny_store_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["indicator_id"] for r in rows] == ["smoking_prevalence"]
    row = rows[0]
    assert row["period"] == "2023" and row["value"] == pytest.approx(18.0)
    assert row["lower_ci"] < 18.0 < row["upper_ci"] and row["unit"] == "%" and row["source"] == "synthetic"


def test_indicators_all_periods(tiny_store_path):
    result = invoke("indicators", "--place", "D2", "--periods", "all", "--format", "csv", "--store", tiny_store_path)
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1 + 2


def test_an_unknown_place_exits_2_naming_close_matches(tiny_store_path):
    result = invoke("indicators", "--place", "Brakley Vale", "--store", tiny_store_path)
    assert result.exit_code == 2
    assert "No place matches 'Brakley Vale'. Did you mean: Brackley Vale (D2)" in result.output


def test_a_missing_store_exits_2_with_the_fix(tmp_path):
    result = invoke("places", "--store", tmp_path / "nothing")
    assert result.exit_code == 2
    assert "place-diagnostic data build" in result.output


def test_an_unknown_layer_exits_2(tiny_store_path):
    result = invoke("places", "--layer", "parish", "--store", tiny_store_path)
    assert result.exit_code == 2 and "'layer' parameter must be one of" in result.output


def test_data_build_writes_a_small_synthetic_store_and_prints_its_path(tmp_path):
    result = invoke("data", "build", "--source", "synthetic", "--scale", "small", "--seed", 3, "--store", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str((tmp_path / "s").resolve())
    listed = invoke("places", "--layer", "region", "--format", "csv", "--store", tmp_path / "s")
    assert listed.exit_code == 0 and len(listed.output.strip().splitlines()) == 1 + 2


def test_data_build_refuses_an_unknown_scale():
    result = invoke("data", "build", "--scale", "galactic")
    assert result.exit_code == 2 and "galactic" in result.output


def test_data_derive_writes_the_derived_tables_into_the_cache_folder(small_store, tmp_path, monkeypatch):
    from diagnostics import cache

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    cache.clear()
    result = invoke("data", "derive", "--store", small_store)
    cache.clear()
    assert result.exit_code == 0, result.output
    assert "layer_comparison" in result.output and f"derived tables in {tmp_path / 'results'}" in result.output
    assert (tmp_path / "results" / "layer_comparison").is_dir()


def test_data_derive_refuses_a_layer_the_store_lacks_with_exit_status_2(tiny_store_path):
    result = invoke("data", "derive", "--store", tiny_store_path, "--layer", "parish")
    assert result.exit_code == 2 and "must name layers of the store" in result.output and "got 'parish'" in result.output
