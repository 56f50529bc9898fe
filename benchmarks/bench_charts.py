"""What each chart of one place's report costs to save as SVG, chart by chart; and whether two versions draw the same.

    .venv/bin/python benchmarks/bench_charts.py [--place default] [--repeat 3] [--svg-dir DIR] [--profile N]
    .venv/bin/python benchmarks/bench_charts.py --compare DIR_BEFORE DIR_AFTER

The five notebooks' view cells are executed in this process as the warm kernel runs them (the shared
SVG text measurements on; see ``bench_render.py``): once cold, to compute the analyses and fill the
caches, then ``--repeat`` times warm, each drawing every chart anew. For each chart: the CPU seconds
of its first (and in a report only) ``savefig`` to SVG, as the report saves it
(:func:`diagnostics.render.charts._svg_markup`; median of the warm runs), the matplotlib artists the
figure holds, and the SVG's kilobytes; then the totals, against issue 18's aim for the charts: half
of the 3.07 s measured before this work (16 charts then). The first save is the one timed because a
figure saved again is laid out again from where the first save left it (constrained layout starts
from the axes' positions), so a second save neither costs nor draws exactly what the first does.

``--svg-dir`` writes each chart's SVG (its random ids numbered in order) named by notebook, view and
order; ``--compare`` then says, chart by chart, whether two versions of the code drew the same SVG
(the same SVG text is the same picture). ``--profile N`` prints the N functions with the most
cumulative time in the first warm run's saves (cProfile).

The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench_render import _execute, _load

#: Issue 18's aim for the charts of one place: half the savefig CPU seconds measured before (3.07 s).
AIM_SECONDS = 3.07 / 2


@dataclass
class Save:
    """One chart's first save to SVG in one run."""

    notebook: str
    view: str
    figure: object
    seconds: float
    svg: str

    def name(self, index: int) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", f"{self.notebook.split('.')[0]}-{self.view}")[:60] + f"-{index}"


def _normalised(svg: str) -> str:
    """``svg`` with its random ids (page prefixes, salted clip-path and glyph ids) numbered in order."""
    names = {old: f"id{k}" for k, old in enumerate(dict.fromkeys(re.findall(r'\bid="([^"]+)"', svg)))}
    return re.sub(r'(?<=id=")[^"]+|(?<=href="#)[^"]+|(?<=url\(#)[^)]+',
                  lambda m: names.get(m.group(0), m.group(0)), svg)


def measure(place: str, repeat: int, svg_dir: Path | None, profile: int) -> None:
    import matplotlib

    from diagnostics._compat import share_svg_text_metrics
    from diagnostics.outputs.run import select_notebooks
    from diagnostics.render import charts as charts_module

    matplotlib.use("Agg")
    share_svg_text_metrics()  # as the runner's and the batch's kernels measure text
    notebooks = select_notebooks(None)

    class Current:  # _execute sets its current view
        current = None

    recorder = Current()
    _execute(notebooks, place, recorder)  # cold
    original = charts_module._svg_markup
    runs: list[list[Save]] = []
    profiler = cProfile.Profile()

    def first_save(fig):
        profiling = profile and len(runs) == 1
        if profiling:
            profiler.enable()
        t0 = time.process_time()
        svg = original(fig)
        seconds = time.process_time() - t0
        if profiling:
            profiler.disable()
        view = recorder.current
        if view is not None:
            runs[-1].append(Save(view.notebook, view.view, fig, seconds, svg))
        return svg

    charts_module._svg_markup = first_save
    try:
        for _ in range(repeat):
            runs.append([])
            _execute(notebooks, place, recorder)
    finally:
        charts_module._svg_markup = original

    print(f"\nCharts of place {place!r}: each chart's first savefig to SVG as the report saves it, "
          f"CPU s (median of {repeat} warm runs); {_load()}")
    print(f"  {'chart':<64s} {'save s':>7s} {'artists':>7s} {'SVG kB':>7s}")
    total_s = total_artists = total_bytes = 0
    if svg_dir is not None:
        svg_dir.mkdir(parents=True, exist_ok=True)
    for index, save in enumerate(runs[0]):
        seconds = statistics.median(run[index].seconds for run in runs)
        artists = sum(1 for _ in save.figure.findobj())
        size = len(save.svg.encode())
        total_s, total_artists, total_bytes = total_s + seconds, total_artists + artists, total_bytes + size
        print(f"  {(save.notebook[:14] + ' / ' + save.view)[:60] + f' #{index}':<64s} {seconds:7.3f} "
              f"{artists:7d} {size / 1e3:7.1f}")
        if svg_dir is not None:
            (svg_dir / f"{save.name(index)}.svg").write_text(_normalised(save.svg))
    print(f"  {f'{len(runs[0])} charts':<64s} {total_s:7.3f} {total_artists:7d} {total_bytes / 1e3:7.1f}")
    print(f"  aim (issue 18): at most {AIM_SECONDS:.2f} s of savefig for one place's charts (half of 3.07 s): "
          f"{'met' if total_s <= AIM_SECONDS else 'not met'}")
    if profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        print(out.getvalue())


def compare(before: Path, after: Path) -> None:
    """Print, for each SVG of ``before``, whether ``after`` holds the same one."""
    print(f"  {'chart':<64s} {'same SVG':>8s} {'lines differing':>15s}")
    for path in sorted(before.glob("*.svg")):
        other = after / path.name
        if not other.exists():
            print(f"  {path.stem:<64s} missing in {after}")
            continue
        a, b = path.read_text().splitlines(), other.read_text().splitlines()
        differing = sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
        print(f"  {path.stem:<64s} {'yes' if a == b else 'no':>8s} {differing:15d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--place", default="default")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs, each drawing every chart anew")
    parser.add_argument("--svg-dir", type=Path, help="where each chart's SVG is written, to --compare")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    measure(args.place, args.repeat, args.svg_dir, args.profile)


if __name__ == "__main__":
    main()
