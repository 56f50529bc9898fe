import multiprocessing
import os
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from diagnostics import atomic
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


def _swap_many(target, label: str, times: int) -> list[BaseException]:
    errors = []
    for i in range(times):
        try:
            with staged_directory(target) as staging:
                (staging / "who.txt").write_text(f"{label}-{i}")
                for n in range(20):  # enough files that a rename over a non-empty folder is caught
                    (staging / f"f{n}.txt").write_text(label)
        except OSError as err:
            errors.append(err)
    return errors


def test_concurrent_swaps_of_one_target_all_succeed_and_leave_only_the_target(tmp_path):
    target = tmp_path / "out"
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda k: _swap_many(target, f"t{k}", 40), range(6)))
    assert [err for errors in results for err in errors] == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert (target / "who.txt").read_text().split("-")[0] in {f"t{k}" for k in range(6)}
    assert len(list(target.iterdir())) == 21  # one writer's whole folder, nothing mixed in


@pytest.mark.slow  # starts three interpreters
def test_concurrent_swaps_from_processes_all_succeed(tmp_path):
    target = tmp_path / "out"
    with ProcessPoolExecutor(max_workers=3, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_swap_many, [target] * 3, ["p0", "p1", "p2"], [30] * 3))
    assert [err for errors in results for err in errors] == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_sweeps_working_folders_left_by_stopped_processes_but_not_live_ones(tmp_path):
    target = tmp_path / "out"
    host = atomic._host()
    dead = _dead_pid()
    stale = [tmp_path / f".out.building-{host}-{dead}-abc", tmp_path / f".out.old-{host}-{dead}-def"]
    live = tmp_path / f".out.building-{host}-{os.getpid()}-ghi"
    other_host = tmp_path / f".out.building-elsewhere-{dead}-jkl"
    other_target = tmp_path / f".other.building-{host}-{dead}-mno"
    for folder in [*stale, live, other_host, other_target]:
        (folder / "half").mkdir(parents=True)
    with staged_directory(target) as staging:
        (staging / "a.txt").write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out", live.name, other_host.name, other_target.name]
    )


def test_a_swap_onto_a_file_fails_and_leaves_the_file(tmp_path):
    target = tmp_path / "out"
    target.write_text("keep")
    with pytest.raises(NotADirectoryError):
        with staged_directory(target) as staging:
            (staging / "a.txt").write_text("new")
    assert target.read_text() == "keep" and [p.name for p in tmp_path.iterdir()] == ["out"]
