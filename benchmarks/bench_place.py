"""Time one place's cold run from the command line, with the peak memory of the process and its
kernel, against issue 18's aims; optionally profile where the place's own analysis spends its time.

    .venv/bin/python benchmarks/bench_place.py [--store DIR] [--place CODE_OR_NAME] [--runs 2]
                                               [--fresh-cache] [--profile N]

Figures:
- ``run`` from the CLI in a fresh process (``python -m diagnostics.cli run``), as a user types it:
  the wall time, and the peak resident memory of the CLI process plus its kernel (their resident
  sizes summed, sampled every 50 ms over the process tree), against the aim: 5 s for a place of the
  default synthetic store, 6 s for a real district. The first run may build the store's derived
  tables (``--fresh-cache`` starts from an empty cache folder so that it does); the next runs find
  them.
- with ``--profile N``: the notebooks' code for the place executed in this process under cProfile
  (cold: a new process, empty in-process caches), and the N functions of ``diagnostics`` with the
  largest cumulative time.
The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

AIMS = {"synthetic": 5.0, "england": 6.0}  # seconds, issue 18's table


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _tree_rss_mb(process: psutil.Process) -> float:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def cli_run(place: str, store: str | None, out: Path, env: dict) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system of the CLI and every child it waited for, its kernel
    among them: less sensitive than the wall time to other processes on the cores), peak MiB of the
    process tree (CLI + kernel) and exit status of one ``run``."""
    command = [sys.executable, "-m", "diagnostics.cli", "run", "--place", place, "--out", str(out)]
    if store:
        command += ["--store", store]
    t0 = time.perf_counter()
    errors = tempfile.TemporaryFile()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    process = psutil.Process(child.pid)
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss_mb(process))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code:
        errors.seek(0)
        print(errors.read().decode()[-2000:])
    return seconds, usage.ru_utime + usage.ru_stime, peak, code


def profile_place(place: str, store: str | None, top: int) -> None:
    """cProfile of the notebooks' code for one place in this process (see bench_batch)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_batch import _analysis_seconds

    from diagnostics.outputs.run import select_notebooks
    from diagnostics.sources import open_store
    from diagnostics.store.places import resolve_place

    opened = open_store(store)
    code = resolve_place(place, opened).code
    profiler = cProfile.Profile()
    profiler.enable()
    seconds = _analysis_seconds(select_notebooks(None), [code], str(opened.path))[0]
    profiler.disable()
    print(f"the place's analysis in this process, under cProfile: {seconds:.2f} s")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"diagnostics/(?!.*bench)", top)
    print(text.getvalue().split("ncalls", 1)[-1].join(["ncalls", ""]) if "ncalls" in text.getvalue() else text.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="default: the embedded synthetic store")
    parser.add_argument("--place", default="Radworth", help="a code or name")
    parser.add_argument("--runs", type=int, default=2, help="cold runs, each a new process")
    parser.add_argument("--fresh-cache", action="store_true", help="start from an empty cache folder")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()
    env = dict(os.environ)
    from diagnostics.sources import open_store

    opened = open_store(args.store)  # builds the embedded store first if need be (not timed)
    kind = "synthetic" if opened.is_synthetic else "england"
    store = str(opened.path)
    with tempfile.TemporaryDirectory() as tmp:
        if args.fresh_cache:
            env["PLACE_DIAGNOSTICS_CACHE"] = str(Path(tmp) / "cache")  # the store is passed by its path
        print(f"{args.place} on {store} ({kind}); {_load()}", flush=True)
        for run in range(args.runs):
            seconds, cpu, peak, status = cli_run(args.place, store, Path(tmp) / f"out{run}", env)
            print(f"cold run {run + 1} from the CLI: {seconds:6.1f} s (aim {AIMS[kind]:.0f} s), CPU {cpu:6.1f} s, "
                  f"peak CLI + kernel {peak:6.0f} MiB, exit {status}; {_load()}", flush=True)
        if args.profile:
            profile_place(args.place, store, args.profile)


if __name__ == "__main__":
    main()
