"""What a store may replace (check_store_target), what a rebuild would lose (store_losses), and the
broken-store checks made when a store opens (read_manifest)."""

from __future__ import annotations

import json
import pickle

import pytest
from helpers.tiny import build_tiny_store, tiny_tables

from diagnostics.exceptions import BrokenStore, StoreTargetRefused, StoreWouldShrink
from diagnostics.store.manifest import read_manifest, store_version_of
from diagnostics.store.store import open_store, write_store
from diagnostics.store.target import check_store_target, store_losses


@pytest.mark.parametrize(
    "error",
    [BrokenStore("/s", ["store.json is not valid JSON"]), StoreTargetRefused("/s", "it is a file"), StoreWouldShrink("/s", ["2 areas (D1, D2)"])],
    ids=lambda e: type(e).__name__,
)
def test_the_store_exceptions_pickle_with_their_message(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)


def test_a_new_folder_or_an_empty_one_may_be_written(tmp_path):
    assert check_store_target(tmp_path / "new", "synthetic") == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    assert check_store_target(tmp_path / "empty", "synthetic") == (tmp_path / "empty").resolve()


def test_write_store_refuses_a_folder_of_other_files(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.csv").write_text("keep")
    tables, boundaries = tiny_tables()
    with pytest.raises(StoreTargetRefused, match=r"Refusing to write a store to .*x: it holds a.csv and no store"):
        write_store(tmp_path / "x", tables, boundaries, source="synthetic", vintage="v", attribution="a")
    assert (tmp_path / "x" / "a.csv").read_text() == "keep"


def test_a_folder_a_store_is_built_from_may_not_hold_the_store(tmp_path):
    with pytest.raises(StoreTargetRefused, match=r"it is or holds .*dl, the folder the store is built from"):
        check_store_target(tmp_path, "england-official", reads_from=[tmp_path / "dl"])


def test_a_stray_file_among_the_boundaries_is_named(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    (store / "boundaries" / "mine.geojson").write_text("{}")
    with pytest.raises(StoreTargetRefused, match=r"besides the store it holds boundaries/mine.geojson"):
        check_store_target(store, "synthetic")


def test_losses_name_tables_boundary_layers_and_indicators(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    tables, boundaries = tiny_tables()
    tables["indicators"] = tables["indicators"].iloc[0:0]
    del tables["population"]
    boundaries = {layer: gdf for layer, gdf in boundaries.items() if layer != "health_area"}
    assert store_losses(store, tables, boundaries) == [
        "1 indicators (smoking_prevalence)", "2 tables (indicators, population)", "1 boundary layers (health_area)",
    ]
    with pytest.raises(StoreWouldShrink, match=r"it would lose 1 indicators \(smoking_prevalence\); 2 tables"):
        write_store(store, tables, boundaries, source="synthetic", vintage="v", attribution="a",
                    extra={"absent_tables": {"population": "none"}})


def test_the_same_tables_again_lose_nothing(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    assert store_losses(store, *tiny_tables()) == []
    assert store_losses(tmp_path / "nothing", *tiny_tables()) == []


def test_a_manifest_with_a_wrongly_typed_field_is_named(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    manifest = json.loads((store / "store.json").read_text())
    (store / "store.json").write_text(json.dumps({**manifest, "source": 3, "tables": "areas"}))
    with pytest.raises(BrokenStore, match=r"(?s)store.json's 'source' is 3, not a str.*store.json's 'tables' is 'areas', not a list of names"):
        read_manifest(store)


def test_open_store_reports_a_binary_manifest_as_broken(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    (store / "store.json").write_bytes(b"\xff\xfe\x00binary")
    assert store_version_of(store) == ""
    with pytest.raises(BrokenStore, match=r"store.json is not text \(binary content\)"):
        open_store(store)


def test_a_boundary_file_damaged_inside_is_a_broken_store_when_read(tmp_path):
    store = build_tiny_store(tmp_path / "s")
    file = store / "boundaries" / "district.parquet"
    data = bytearray(file.read_bytes())
    data[8:400] = bytes(392)  # the head and tail are whole, the pages between are not
    file.write_bytes(bytes(data))
    with pytest.raises(BrokenStore, match=r"boundaries/district.parquet cannot be read \(\w+: "):
        open_store(store).boundaries("district")
