"""Time what the figures files and the changes add to a place's run; print the figures.

    .venv/bin/python benchmarks/bench_figures.py [--store DIR] [--place default] [--repeat 5] [--run OUT/CODE]

Figures:
- one place's full run (``run_place``) and the part of it its ``timings["figures"]`` records (with
  ``--run``, an existing run's folder is used instead and its recorded timings are printed);
- the pieces, each the median of ``--repeat`` times in this process, on that run's executed notebooks:
  reading every table of the notebooks into figures (``figures_of_notebooks``), writing figures.csv,
  building figures.xlsx, and comparing the run with itself plus the "Changes since" section
  (``compare_editions`` and ``changes_notebook``, what ``run --since`` adds);
- ``place-diagnostic figures``' own work: every view computed in this (warm) process and its tables read.
The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from diagnostics.outputs.changes import compare_editions, edition_of
from diagnostics.outputs.changes_report import changes_notebook
from diagnostics.outputs.figures import figures_of_notebooks, figures_of_session
from diagnostics.outputs.figures_files import figures_csv_text, figures_workbook_bytes
from diagnostics.outputs.run import run_place
from diagnostics.sections.session import start


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--place", default="default")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--run", type=Path, default=None, help="An existing run's folder (OUT/CODE) instead of a new run.")
    args = parser.parse_args()
    print(_load())
    if args.run is not None:
        record = json.loads((args.run / "run.json").read_text())
        place = record["place"]
        notebooks = [nbformat.read(args.run / name, as_version=4) for name in record["notebooks"]]
        timings = record["timings"]
        print(f"existing run of {place}: notebooks and report {sum(timings.values()):.1f} s "
              f"(figures files {timings.get('figures', float('nan')):.2f} s where recorded)")
    else:
        with tempfile.TemporaryDirectory() as folder:
            result = run_place(args.place, store=args.store, out=Path(folder))
            share = 100 * result.timings["figures"] / result.seconds
            print(f"full run of {result.place.label}: {result.seconds:.1f} s, of which figures files "
                  f"{result.timings['figures']:.2f} s ({share:.1f}%)")
            notebooks = [nbformat.read(p, as_version=4) for p in result.notebooks]
            place = result.place
    dx = start(place, args.store)
    shown = figures_of_notebooks(notebooks, dx.place, dx.store)
    print(f"{len(shown.figures)} figures in {len(shown.tables)} tables")
    edition = edition_of(shown.figures)
    pieces = {
        "read the notebooks' tables": lambda: figures_of_notebooks(notebooks, dx.place, dx.store),
        "figures.csv": lambda: figures_csv_text(shown),
        "figures.xlsx": lambda: figures_workbook_bytes(shown),
        "changes since (run --since)": lambda: changes_notebook(compare_editions(edition, edition)),
    }
    total = 0.0
    for name, function in pieces.items():
        seconds = _median_seconds(function, args.repeat)
        total += seconds
        print(f"{name:32s} {seconds * 1000:8.0f} ms (median of {args.repeat})")
    print(f"{'added per place (all four)':32s} {total * 1000:8.0f} ms")
    t0 = time.perf_counter()
    figures_of_session(dx)
    print(f"place-diagnostic figures' own work (views in a warm process): {time.perf_counter() - t0:.1f} s")
    print(_load())


if __name__ == "__main__":
    main()
