"""diagnostics.cache: one call, three scopes."""

from __future__ import annotations

import json

import pytest

from diagnostics import cache
from diagnostics.cache import (
    DiskFormat,
    Scope,
    cached,
    per_place,
    per_session,
    per_store,
)
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.session import start


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _counter():
    calls = []

    def compute(label):
        calls.append(label)
        return object()

    return calls, compute


def test_a_store_result_is_computed_once_per_name_and_parameters(tiny_store):
    calls, compute = _counter()
    first = cached(per_store(tiny_store, "x", "district"), lambda: compute("district"))
    assert cached(per_store(tiny_store, "x", "district"), lambda: compute("again")) is first
    cached(per_store(tiny_store, "x", "ward"), lambda: compute("ward"))
    cached(per_store(tiny_store, "y", "district"), lambda: compute("y"))
    assert calls == ["district", "ward", "y"]


def test_clearing_one_scope_keeps_the_others(tiny_store):
    calls, compute = _counter()
    dx = start("D2", tiny_store, comparators="D3")
    cached(per_store(tiny_store, "x"), lambda: compute("store"))
    cached(per_place(dx, "x"), lambda: compute("place"))
    cache.clear(Scope.PLACE)
    cached(per_store(tiny_store, "x"), lambda: compute("store again"))
    cached(per_place(dx, "x"), lambda: compute("place again"))
    assert calls == ["store", "place", "place again"]


def test_sessions_of_one_place_and_comparators_share_results_and_only_the_last_places_are_kept(tiny_store):
    calls, compute = _counter()
    first, second = start("D2", tiny_store, comparators="D3"), start("D2", tiny_store, comparators="D3")
    shared = cached(per_place(first, "x"), lambda: compute("D2"))
    assert cached(per_place(second, "x"), lambda: compute("again")) is shared  # another notebook of the same run
    assert cached(per_session(first, "x"), lambda: "own") == "own"  # a session's own result stays its own
    assert cached(per_session(second, "x"), lambda: "other") == "other"
    other = start("D2", tiny_store, comparators="D4")
    assert cached(per_place(other, "x"), lambda: compute("D2 with D4")) is not shared  # other comparators
    for code in ("D1", "D3", "D4")[: cache.PLACES_KEPT]:
        cached(per_place(start(code, tiny_store, comparators="D2"), "x"), lambda c=code: compute(c))
    cached(per_place(start("D2", tiny_store, comparators="D3"), "x"), lambda: compute("D2 after others"))
    assert calls == ["D2", "D2 with D4", "D1", "D3", "D2 after others"]


def test_a_session_result_lives_on_the_session(tiny_store):
    dx = start("D2", tiny_store, comparators="D3")
    assert cached(per_session(dx, "k"), lambda: 41) == 41
    assert cached(per_session(dx, "k"), lambda: 42) == 41
    assert dx.results == {("k", ()): 41}


def test_a_result_kept_on_disk_is_read_back_by_a_later_process(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    as_json = DiskFormat(".json", json.dumps, json.loads)
    key = per_store(tiny_store, "model", "oecd", disk=as_json)
    assert cached(key, lambda: {"auc": 0.7}) == {"auc": 0.7}
    files = list((tmp_path / "results" / "model").glob(f"{tiny_store.version}-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text()) == {"auc": 0.7}
    cache.clear()  # a new process: nothing in memory
    assert cached(key, lambda: pytest.fail("computed again although it is on disk")) == {"auc": 0.7}


def test_an_unreadable_file_on_disk_is_computed_again_and_replaced(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    key = per_store(tiny_store, "model", disk=DiskFormat(".json", json.dumps, json.loads))
    cached(key, lambda: [1])
    (file,) = (tmp_path / "results" / "model").iterdir()
    file.write_text("{not json")
    cache.clear()
    assert cached(key, lambda: [2]) == [2] and json.loads(file.read_text()) == [2]


def test_a_cache_variable_naming_a_file_is_refused_with_the_fix(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("keep")
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path / "afile"))
    with pytest.raises(InvalidParameter, match=r"PLACE_DIAGNOSTICS_CACHE environment variable names .*afile'"
                       r", which is a file; .*point PLACE_DIAGNOSTICS_CACHE at a folder, or unset it"):
        cache.cache_folder()
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path / "afile" / "sub"))
    with pytest.raises(InvalidParameter, match=r"which lies under the file .*afile"):
        cache.cache_folder()


def test_a_cache_folder_that_does_not_exist_yet_is_fine(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path / "new" / "cache"))
    assert cache.cache_folder() == tmp_path / "new" / "cache" and not (tmp_path / "new").exists()


def _table():
    import pandas as pd

    table = pd.DataFrame({"area_code": ["A", "B", "C"], "value": [1.5, float("nan"), 3.0],
                          "note": [None, "withheld", None], "count": [1, 2, 3]})
    table["layer"] = pd.Categorical(["district", "district", "region"])
    return table


def test_a_derived_table_is_written_as_parquet_and_read_back_equal_by_a_later_process(tiny_store, tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    key = per_store(tiny_store, "derived", "district", disk=cache.TABLE)
    computed = cached(key, _table)
    (file,) = (tmp_path / "results" / "derived").iterdir()
    assert file.name.startswith(f"{tiny_store.version}-{cache.code_version()}-") and file.suffix == ".parquet"
    pd.testing.assert_frame_equal(pd.read_parquet(file), computed)
    cache.clear()
    again = cached(key, lambda: pytest.fail("computed again although it is on disk"))
    pd.testing.assert_frame_equal(again, computed)


def test_a_derived_table_is_computed_again_when_the_store_version_changes(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    calls = []
    old = tiny_store.version
    cached(per_store(tiny_store, "derived", disk=cache.TABLE), lambda: calls.append("old") or _table())
    monkeypatch.setitem(tiny_store.manifest, "store_version", "0123456789abcdef")  # the store was rebuilt
    cache.clear()
    cached(per_store(tiny_store, "derived", disk=cache.TABLE), lambda: calls.append("new") or _table())
    assert calls == ["old", "new"]
    versions = sorted(f.name.split("-")[0] for f in (tmp_path / "results" / "derived").iterdir())
    assert versions == sorted([old, "0123456789abcdef"])


def test_a_derived_table_is_computed_again_when_the_code_changes(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    calls = []
    cached(per_store(tiny_store, "derived", disk=cache.TABLE), lambda: calls.append("before") or _table())
    monkeypatch.setattr(cache, "_CODE_VERSION", ["changedcode0"])  # another release of the package
    cache.clear()
    cached(per_store(tiny_store, "derived", disk=cache.TABLE), lambda: calls.append("after") or _table())
    assert calls == ["before", "after"]


@pytest.mark.parametrize("damage", ["cut short", "garbage", "empty"])
def test_a_damaged_derived_table_is_computed_again_and_replaced_not_trusted(tiny_store, tmp_path, monkeypatch, damage):
    import pandas as pd

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    key = per_store(tiny_store, "derived", disk=cache.TABLE)
    cached(key, _table)
    (file,) = (tmp_path / "results" / "derived").iterdir()
    whole = file.read_bytes()
    file.write_bytes({"cut short": whole[: len(whole) // 2], "garbage": b"PAR1" + b"\x00" * 64, "empty": b""}[damage])
    cache.clear()
    rebuilt = cached(key, lambda: _table().assign(value=9.0))
    assert rebuilt["value"].tolist() == [9.0, 9.0, 9.0]
    pd.testing.assert_frame_equal(pd.read_parquet(file), rebuilt)  # the damaged file was replaced
    assert [f.name for f in file.parent.iterdir()] == [file.name]  # no temporary file left beside it


def test_a_derived_table_is_written_atomically_so_a_failed_write_leaves_no_file(tiny_store, tmp_path, monkeypatch):
    from diagnostics import atomic

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))

    def interrupted(source, target):
        raise OSError("the disk is full")

    monkeypatch.setattr(atomic.os, "replace", interrupted)  # the process dies before the rename
    with pytest.raises(OSError, match="the disk is full"):
        cached(per_store(tiny_store, "derived", disk=cache.TABLE), _table)
    assert list((tmp_path / "results" / "derived").iterdir()) == []  # neither a part-file nor a file
