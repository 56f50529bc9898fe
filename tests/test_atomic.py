import os
import stat

import pytest

from diagnostics.atomic import staged_directory, write_text_atomic


def test_a_staged_directory_becomes_the_target_only_on_success(tmp_path):
    target = tmp_path / "out"
    with staged_directory(target) as staging:
        (staging / "a.txt").write_text("new")
        assert not target.exists()
    assert (target / "a.txt").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failure_leaves_the_previous_target_untouched_and_no_staging(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with staged_directory(target) as staging:
            (staging / "a.txt").write_text("half")
            raise RuntimeError("boom")
    assert (target / "a.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_success_replaces_the_previous_target_whole(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "stale.txt").write_text("old")
    with staged_directory(target) as staging:
        (staging / "fresh.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["fresh.txt"]


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        with staged_directory(tmp_path / "out") as staging:
            pass
        file = write_text_atomic(tmp_path / "out" / "r.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE(file.stat().st_mode) == 0o644
    assert staging.name.startswith(".out.building-")


def test_write_text_atomic_leaves_no_temporary_file(tmp_path):
    write_text_atomic(tmp_path / "a.txt", "one")
    write_text_atomic(tmp_path / "a.txt", "two")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"] and (tmp_path / "a.txt").read_text() == "two"
