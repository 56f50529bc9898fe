"""Time the import of a folder of official downloads into a store, and one real district's full run.

    .venv/bin/python benchmarks/bench_england.py [--from ../shared/ukdata] [--place Manchester]

If a notebook fails on real data, the run is repeated with the notebooks that work on their own
(each alone), and the failures are printed with their error, so the figure is honest about what ran.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from diagnostics.exceptions import NotebookFailed
from diagnostics.outputs.run import available_notebooks, run_place
from diagnostics.sources import open_store
from diagnostics.sources.england import import_folder


def _timed(label: str, fn):
    t0 = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - t0
    print(f"{label:<52s} {seconds:8.1f} s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", default=str(Path(__file__).resolve().parents[2] / "shared" / "ukdata"))
    parser.add_argument("--place", default="Manchester")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report, _ = _timed(f"import {args.folder}", lambda: import_folder(args.folder, tmp / "england"))
        store = open_store(report.store)
        print("  " + ", ".join(f"{k} {v:,}" for k, v in report.counts.items()))
        print(f"  {len(report.used)} files used, {len(report.unused)} recognised but not used, {len(report.ignored)} ignored")
        print(f"  best fit of small areas: {store.manifest['best_fit']}")
        try:
            result, _ = _timed(f"run {args.place} (all notebooks, cold)", lambda: run_place(args.place, store=store, out=tmp / "out"))
            for name, seconds in result.timings.items():
                print(f"  {name:<50s} {seconds:8.1f} s")
        except NotebookFailed as err:
            print(f"  the full run failed: {err}")
            working = []
            for notebook in available_notebooks():
                name = Path(notebook).stem
                try:
                    run_place(args.place, store=store, out=tmp / "probe", notebooks=[name])
                    working.append(name)
                except NotebookFailed as failure:
                    print(f"  {name}: FAILS on real data: {failure.message[:200]}")
            result, _ = _timed(f"run {args.place} ({', '.join(working)})", lambda: run_place(args.place, store=store, out=tmp / "out", notebooks=working))
            for name, seconds in result.timings.items():
                print(f"  {name:<50s} {seconds:8.1f} s")


if __name__ == "__main__":
    main()
