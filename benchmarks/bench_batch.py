"""Time the batch: one place alone against its floors, the default country on 1 and 2 workers,
and (with --england) the england-scale set of districts; print the figures.

    .venv/bin/python benchmarks/bench_batch.py [--workers 1 2] [--england DIR]
                                              [--skip-single] [--skip-country] [--notebooks ...]

Figures:
- one place's full run (``run_place``: kernel start, every notebook, the report) against the floor of
  the same pipeline with every code cell emptied, and against the analysis itself: the notebooks'
  code executed in this (warm) process, place after place, without papermill, kernel or report;
- a place's run in a warm kernel against its analysis itself, measured one right after the other
  for each place, so that a drift in the machine's speed slows both;
- places per minute for every district of the default country with each number of workers, the
  scaling efficiency (places per minute per worker against one worker's), and the median seconds
  per place a worker spends once warm;
- with --england: the same batch over every district of that store on 2 workers, total time and
  the peak resident memory of each worker process and of its kernel.
The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from diagnostics._compat import share_svg_text_metrics
from diagnostics.outputs.batch import run_batch, select_places
from diagnostics.outputs.batch_outcomes import PlaceOutcome, progress_reporter
from diagnostics.outputs.run import run_place, select_notebooks
from diagnostics.sources import open_store


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _empty_copies(notebooks: list[Path], folder: Path) -> list[Path]:
    """The notebooks with every code cell but the parameters cell emptied: the pipeline's floor."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                cell.source = ""
        nbformat.write(nb, folder / path.name)
        copies.append(folder / path.name)
    return copies


def _analysis_seconds(notebooks: list[Path], places: list[str], store_path: str) -> list[float]:
    """Seconds to execute the notebooks' code for each place in this process (no kernel, no papermill)."""
    import matplotlib

    matplotlib.use("Agg")
    share_svg_text_metrics()  # as the runner's and the batch's kernels measure text
    sources = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        defaults = "\n".join(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        code = [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        sources.append((defaults, code))
    seconds = []
    for place in places:
        t0 = time.perf_counter()
        for defaults, cells in sources:
            namespace: dict = {}
            exec(defaults, namespace)  # noqa: S102 - the notebook's own parameter defaults
            namespace.update(place=place, store=store_path, comparators="nearest")
            for source in cells:
                tree = ast.parse(source)
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the notebooks' own code
                if last is not None:  # the cell's value, rendered as the kernel's display would
                    value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
                    for method in ("_repr_html_", "_repr_svg_", "__repr__"):
                        if hasattr(value, method):
                            getattr(value, method)()
                            break
        seconds.append(time.perf_counter() - t0)
    return seconds


def _interleaved(notebooks: list[Path], places: list[str], store, out: Path) -> list[tuple[float, float]]:
    """Per place: seconds of its full run in a warm kernel (execute_place: papermill, report,
    record) and, right after, of its analysis itself in this process (a machine whose speed drifts
    from minute to minute slows both alike). The first place warms both and is left out."""
    from diagnostics.outputs.kernel import WarmKernel
    from diagnostics.outputs.run import execute_place
    from diagnostics.store.places import resolve_place

    pairs = []
    with WarmKernel("python3", preload="import diagnostics") as kernel:
        for code in places:
            t0 = time.perf_counter()
            execute_place(resolve_place(code, store), store, kernel, out=out, notebooks=notebooks)
            run = time.perf_counter() - t0
            pairs.append((run, _analysis_seconds(notebooks, [code], str(store.path))[0]))
    return pairs[1:]


class _Deadline(KeyboardInterrupt):
    """Raised from the progress callback to stop a batch at its time limit (as Ctrl-C would)."""


def _batch(label: str, store, out: Path, notebooks, workers: int, minutes: float | None = None) -> dict:
    places = select_places(store)
    t0 = time.perf_counter()

    def progress(event):
        report(event)
        if minutes is not None and event.elapsed > minutes * 60 and event.done < event.total:
            raise _Deadline

    with progress_reporter(quiet=True) as report:
        try:
            result = run_batch(places, store=store, out=out, notebooks=notebooks, workers=workers, progress=progress)
            outcomes = result.outcomes
        except _Deadline:
            import pandas as pd

            manifest = pd.read_csv(out / "manifest.csv")
            outcomes = [PlaceOutcome(**{("code" if k == "place" else k): (None if pd.isna(v) else v) for k, v in row.items()})
                        for row in manifest.to_dict("records")]
    seconds = time.perf_counter() - t0
    ran = [o for o in outcomes if o.status in ("ok", "failed")]
    # a worker's first place pays its kernel start and imports: the steady state is the rest
    by_worker: dict[str, list] = {}
    for o in ran:
        by_worker.setdefault(o.worker, []).append(o)
    warm = [o.seconds for runs in by_worker.values() for o in runs[1:]] or [o.seconds for o in ran]
    ppm = len(ran) / seconds * 60
    figures = {
        "places": len(ran),
        "seconds": seconds,
        "ppm": ppm,
        "failed": sum(o.status == "failed" for o in ran),
        "median_place": statistics.median(warm),
        "first_place": statistics.median([runs[0].seconds for runs in by_worker.values()]),
        "worker_mb": max(o.worker_mb for o in ran),
        "kernel_mb": max(o.kernel_mb for o in ran),
    }
    done = f"{len(ran)} of {len(places)}" if len(ran) < len(places) else f"{len(places)}"
    print(
        f"{label:<34s} {done} places {seconds:7.1f} s  {ppm:6.1f} places/min  "
        f"median warm place {figures['median_place']:.2f} s, first place {figures['first_place']:.1f} s, "
        f"{figures['failed']} failed; peak worker {figures['worker_mb']:.0f} MiB + kernel {figures['kernel_mb']:.0f} MiB",
        flush=True,
    )
    if len(ran) < len(places):
        print(f"  stopped at the time limit: all {len(places)} places would take about "
              f"{len(places) / ppm:.0f} min at this rate; resume with `place-diagnostic batch --resume --out {out}`")
    for o in [o for o in ran if o.status == "failed"][:3]:
        print(f"    failed: {o.code}: {o.error[:200]}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--england", type=Path, default=None, help="an england-scale store to batch over")
    parser.add_argument("--england-workers", type=int, default=2)
    parser.add_argument("--england-out", type=Path, default=None, help="keep the england outputs here (resumable)")
    parser.add_argument("--minutes", type=float, default=None, help="stop the england batch after this long")
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument("--skip-country", action="store_true")
    parser.add_argument("--notebooks", nargs="*", default=None, help="default: every notebook there is")
    args = parser.parse_args()
    # started in the background, a process may have SIGINT ignored: stop cleanly on INT or TERM
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)

    store = open_store()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # a snapshot: the notebooks stay the same from the first measurement to the last
        (tmp / "notebooks").mkdir()
        notebooks = [Path(shutil.copy2(p, tmp / "notebooks" / p.name)) for p in select_notebooks(args.notebooks)]
        print(f"notebooks: {', '.join(p.name for p in notebooks)}; {_load()}")
        if not args.skip_single:
            t0 = time.perf_counter()
            result = run_place("default", store=store, out=tmp / "single", notebooks=[str(p) for p in notebooks])
            full = time.perf_counter() - t0
            parts = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
            print(f"one place alone (run_place, cold kernel) {full:7.2f} s  ({parts})")
            empty = _empty_copies(notebooks, tmp / "empty")
            t0 = time.perf_counter()
            run_place("default", store=store, out=tmp / "floor", notebooks=[str(p) for p in empty])
            floor = time.perf_counter() - t0
            print(f"same pipeline, empty cells (floor)       {floor:7.2f} s")
            codes = list(store.areas_in_layer("district")["code"][:6])
            seconds = _analysis_seconds(notebooks, codes, str(store.path))
            analysis = statistics.median(seconds[1:])
            print(
                f"the analysis itself, in process          first {seconds[0]:.2f} s, then median {analysis:.2f} s "
                f"per place ({len(codes) - 1} places)"
            )
            pairs = _interleaved(notebooks, codes, store, tmp / "interleaved")
            ratio = statistics.median(run / alone for run, alone in pairs)
            print(
                f"a warm kernel's run against the analysis, place by place: median {statistics.median(r for r, _ in pairs):.2f} s "
                f"against {statistics.median(a for _, a in pairs):.2f} s, {ratio:.2f}x ({len(pairs)} places)"
            )
        country = {}
        if not args.skip_country:
            for workers in args.workers:
                country[workers] = _batch(f"default country, {workers} worker(s)", store, tmp / f"country{workers}", notebooks, workers)
            if 1 in country:
                for workers, figures in country.items():
                    if workers > 1:
                        efficiency = figures["ppm"] / (workers * country[1]["ppm"])
                        print(f"  scaling efficiency with {workers} workers: {efficiency:.0%}")
            if not args.skip_single and country:
                warm = min(f["median_place"] for f in country.values())
                print(f"  a warm place in the batch / the analysis measured before it: {warm:.2f} / {analysis:.2f} = "
                      f"{warm / analysis:.2f}x (minutes apart: see the place-by-place figure above)")
        if args.england:
            england = open_store(args.england)
            _batch(f"england-scale, {args.england_workers} workers", england, args.england_out or tmp / "england",
                   notebooks, args.england_workers, args.minutes)
    print(_load())


if __name__ == "__main__":
    main()
