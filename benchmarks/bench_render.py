"""What each chart and map of one place's report costs to draw, and what starting up costs; print the figures.

    .venv/bin/python benchmarks/bench_render.py [--place default] [--skip-imports] [--skip-drawing]
        [--report PATH ...] [--run-report] [--app]

Figures:
- start-up: the CPU seconds (user and system) a fresh interpreter takes to ``import diagnostics`` and
  to run each notebook's first cell's imports (its section's page, the header, the session), less
  those of an empty interpreter, with the five packages that cost most by ``python -X importtime`` (self time, summed
  per top-level package; the tree is printed to a file named by ``--importtime``);
- drawing: every view cell of the five notebooks executed in this process, as the warm kernel runs it
  (the shared SVG text measurements on), twice: cold (a fresh process: the analysis is computed, fonts
  and caches are filled) and warm (the same place again: the analyses come from the cache, so a cell's
  time is building and drawing its views). For each view that draws: its cell's seconds cold and
  warm, its charts (``savefig`` seconds, matplotlib artists drawn, SVG kilobytes) and its maps (the
  page's render seconds, HTML kilobytes, of which GeoJSON geometry), and the totals. Times are CPU
  seconds of this process: steadier than wall time on a shared machine;
- the maps' geometry: how many of the areas drawn are drawn on more than one map of the report;
- a report's weight (``--report PATH``, or ``--run-report`` to run the place into a temporary folder
  first): the file's kilobytes, its map frames' (as written in the page, escaped in ``srcdoc``), the
  GeoJSON geometry they carry, and the copies of Leaflet's JavaScript and CSS in the page (each map
  frame held one before :mod:`diagnostics.render.shared_leaflet`; the page holds one since);
- the app's page weight (``--app``): the kilobytes of every tab's outputs for one place as the app
  sends them to the page (JSON of the Output widgets' outputs), with each map whole and with maps
  that take Leaflet from the page (as :func:`diagnostics.app.place_app.launch` shows them), and the
  one-off block of Leaflet the page receives.

The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


# --------------------------------------------------------------------------------------------------
# Start-up
# --------------------------------------------------------------------------------------------------


def _first_cell_imports(notebook: Path) -> str:
    """The import lines of a notebook's set-up cell (the first code cell after the parameters)."""
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    return "\n".join(line for line in code[0].source.splitlines() if line.startswith(("import ", "from ")))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _interpreter_seconds(code: str, importtime: Path | None = None) -> tuple[float, dict[str, float]]:
    """CPU seconds (user and system) of a fresh interpreter running ``code`` (median of three), and
    with ``importtime`` the self seconds of each top-level package imported (from ``-X importtime``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = []
    for _ in range(3):
        t0 = _children_cpu()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
        runs.append(_children_cpu() - t0)
    packages: dict[str, float] = {}
    if importtime is not None:
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], check=True, env=env, cwd=ROOT,
                              capture_output=True, text=True)
        importtime.write_text(done.stderr)
        for line in done.stderr.splitlines():
            found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
            if found:
                root = found[2].split(".")[0]
                packages[root] = packages.get(root, 0.0) + int(found[1]) / 1e6
    return sorted(runs)[1], packages


def start_up(notebooks: list[Path], importtime: Path) -> None:
    empty, _ = _interpreter_seconds("pass")
    print(f"\nStart-up (CPU seconds of a fresh interpreter, median of 3, less {empty:.2f} s of an empty one; {_load()})")
    targets = [("import diagnostics", "import diagnostics")]
    targets += [(f"{p.name} first cell", _first_cell_imports(p)) for p in notebooks]
    for index, (label, code) in enumerate(targets):
        path = importtime.with_name(f"{importtime.stem}-{index}{importtime.suffix}")
        seconds, packages = _interpreter_seconds(code, path)
        heaviest = ", ".join(f"{k} {v:.2f}" for k, v in sorted(packages.items(), key=lambda kv: -kv[1])[:5])
        print(f"  {label:<34s} {seconds - empty:6.2f} s   heaviest (self s, wall): {heaviest}")
        print(f"    {'':<32s} heavy libraries loaded: "
              f"{', '.join(k for k in HEAVY if k in packages) or 'none'}")


#: The libraries that make start-up slow when they load before they are used.
HEAVY = ("matplotlib", "folium", "branca", "geopandas", "shapely", "scipy", "statsmodels", "pandera", "pyarrow",
         "pandas", "papermill", "nbconvert")


# --------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------


@dataclass
class ViewCost:
    """What one view cell drew: its seconds, charts and maps."""

    notebook: str
    view: str
    seconds: float = 0.0
    charts: int = 0
    chart_seconds: float = 0.0
    artists: int = 0
    svg_bytes: int = 0
    maps: int = 0
    map_seconds: float = 0.0
    map_bytes: int = 0
    geometry_bytes: int = 0
    map_areas: list = field(default_factory=list)


class Recorder:
    """Times every ``savefig`` and every map page rendered, attributing them to the current view."""

    def __init__(self):
        self.current: ViewCost | None = None

    def install(self) -> None:
        import branca.element
        from matplotlib.figure import Figure

        recorder = self
        savefig, render = Figure.savefig, branca.element.Figure.render

        def timed_savefig(fig, fname, *args, **kwargs):
            t0 = time.process_time()
            out = savefig(fig, fname, *args, **kwargs)
            seconds = time.process_time() - t0
            view = recorder.current
            if view is not None and kwargs.get("format") == "svg":
                view.charts += 1
                view.chart_seconds += seconds
                view.artists += sum(1 for _ in fig.findobj())
                view.svg_bytes += len(fname.getvalue().encode()) if hasattr(fname, "getvalue") else 0
            return out

        def timed_render(figure, **kwargs):
            t0 = time.process_time()
            html = render(figure, **kwargs)
            seconds = time.process_time() - t0
            view = recorder.current
            if view is not None:
                view.maps += 1
                view.map_seconds += seconds
                view.map_bytes += len(html.encode())
                geometry, areas = _geometry(html)
                view.geometry_bytes += geometry
                view.map_areas += areas
            return html

        Figure.savefig = timed_savefig
        branca.element.Figure.render = timed_render


_GEOJSON = re.compile(r"_add\((\{.*?\})\);", re.S)  # folium's geo_json_..._add({...}); any key order


def _geometry(html: str) -> tuple[int, list]:
    """Bytes of the GeoJSON geometry a map page carries, and the (code, vertices digest) of each area."""
    total, areas = 0, []
    for found in _GEOJSON.finditer(html):
        try:
            collection = json.loads(found.group(1))
        except ValueError:
            continue
        for feature in collection.get("features", []):
            geometry = json.dumps(feature.get("geometry"), separators=(",", ":"))
            total += len(geometry)
            code = (feature.get("properties") or {}).get("code")
            areas.append((code, hash(geometry)))
    return total, areas


def _notebook_cells(path: Path) -> tuple[str, list[tuple[str | None, str]]]:
    nb = nbformat.read(path, as_version=4)
    defaults = "\n".join(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cells, heading = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell.source[3:].strip()
        elif cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            cells.append((heading, cell.source))
    return defaults, cells


def _execute(notebooks: list[Path], place: str, recorder: Recorder) -> list[ViewCost]:
    """Execute the notebooks' code for ``place`` in this process, timing each view cell."""
    costs = []
    for path in notebooks:
        defaults, cells = _notebook_cells(path)
        namespace: dict = {}
        exec(defaults, namespace)  # noqa: S102 - the notebook's own parameter defaults
        namespace.update(place=place)
        for heading, source in cells:
            view = ViewCost(path.name, heading or "(set-up)")
            recorder.current = view
            t0 = time.process_time()
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the notebooks' own code
            if last is not None:  # the cell's value, rendered as the kernel's display would
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
                for method in ("_repr_html_", "__repr__"):
                    if hasattr(value, method):
                        getattr(value, method)()
                        break
            view.seconds = time.process_time() - t0
            recorder.current = None
            costs.append(view)
    return costs


def drawing(notebooks: list[Path], place: str) -> None:
    import matplotlib

    from diagnostics._compat import share_svg_text_metrics

    matplotlib.use("Agg")
    share_svg_text_metrics()  # as the runner's and the batch's kernels measure text
    recorder = Recorder()
    recorder.install()
    cold = _execute(notebooks, place, recorder)
    warm = _execute(notebooks, place, recorder)
    print(f"\nDrawing, place {place!r} of the default store, CPU seconds of this process ({_load()})")
    print(f"  {'notebook / view':<58s} {'cold s':>7s} {'warm s':>7s} | {'charts':>6s} {'draw s':>7s} "
          f"{'artists':>7s} {'SVG kB':>7s} | {'maps':>4s} {'draw s':>7s} {'HTML kB':>7s} {'geo kB':>7s}")
    totals = Counter()
    for c, w in zip(cold, warm):
        totals.update(cold_s=c.seconds, warm_s=w.seconds)
        if not (w.charts or w.maps):
            continue
        totals.update(charts=w.charts, chart_s=w.chart_seconds, artists=w.artists, svg=w.svg_bytes, maps=w.maps,
                      map_s=w.map_seconds, html=w.map_bytes, geo=w.geometry_bytes)
        print(f"  {w.notebook[:14] + ' / ' + w.view[:41]:<58s} {c.seconds:7.2f} {w.seconds:7.2f} | "
              f"{w.charts:6d} {w.chart_seconds:7.3f} {w.artists:7d} {w.svg_bytes / 1e3:7.1f} | "
              f"{w.maps:4d} {w.map_seconds:7.3f} {w.map_bytes / 1e3:7.1f} {w.geometry_bytes / 1e3:7.1f}")
    print(f"  {'every cell (views that draw nothing too)':<58s} {totals['cold_s']:7.2f} {totals['warm_s']:7.2f} | "
          f"{totals['charts']:6d} {totals['chart_s']:7.3f} {totals['artists']:7d} {totals['svg'] / 1e3:7.1f} | "
          f"{totals['maps']:4d} {totals['map_s']:7.3f} {totals['html'] / 1e3:7.1f} {totals['geo'] / 1e3:7.1f}")
    cold_draw = sum(c.chart_seconds + c.map_seconds for c in cold)
    print(f"  drawing alone (savefig and map pages): cold {cold_draw:.2f} s, "
          f"warm {totals['chart_s'] + totals['map_s']:.2f} s")
    _repeated_geometry(warm)


def _repeated_geometry(costs: list[ViewCost]) -> None:
    maps_of = defaultdict(set)
    for index, view in enumerate(costs):
        for area in view.map_areas:
            maps_of[area].add(index)
    drawn = sum(len(v.map_areas) for v in costs)
    repeated = sum(len(maps) - 1 for maps in maps_of.values())
    print(f"  maps' geometry: {drawn} areas drawn, {len(maps_of)} distinct (same code and same vertices); "
          f"{repeated} drawn again on another map of the report")


# --------------------------------------------------------------------------------------------------
# A report's weight
# --------------------------------------------------------------------------------------------------

_SRCDOC = re.compile(r'<iframe\b[^>]*?\bsrcdoc="([^"]*)"', re.S)


def report_weight(path: Path) -> None:
    """Print what a report's kilobytes are: map frames, their geometry, and Leaflet's copies."""
    import html as html_lib

    from diagnostics.render.offline import leaflet_assets

    page = path.read_text(encoding="utf-8")
    js, css = leaflet_assets()
    frames = _SRCDOC.findall(page)
    documents = [html_lib.unescape(frame) for frame in frames]
    geometry = sum(_geometry(document)[0] for document in documents)
    copies = sum(text.count(piece) for text in (page, *documents) for piece in (js,))
    library = sum(text.count(piece) * len(piece.encode()) for text in (page, *documents) for piece in (js, css))
    escaped = sum(len(html_lib.escape(piece, quote=True).encode()) * frame.count(html_lib.escape(piece, quote=True))
                  for frame in frames for piece in (js, css))
    size = len(page.encode())
    print(f"\nReport {path} ({_load()})")
    print(f"  report {size / 1e3:8.1f} kB; {len(frames)} map frames {sum(len(f.encode()) for f in frames) / 1e3:8.1f} kB "
          f"in the page, of which geometry {geometry / 1e3:.1f} kB (unescaped)")
    print(f"  Leaflet (JS {len(js.encode()) / 1e3:.1f} kB + CSS {len(css.encode()) / 1e3:.1f} kB): {copies} {'copy' if copies == 1 else 'copies'}, "
          f"{library / 1e3:.1f} kB unescaped, of which {escaped / 1e3:.1f} kB as written escaped in frames")


def app_weight(place: str) -> None:
    """Print what one place's tabs weigh as the app sends them, maps whole and maps sharing Leaflet."""
    from diagnostics.app.place_app import PlaceApp
    from diagnostics.render.shared_leaflet import provider_html

    print(f"\nThe app's page, place {place!r} of the default store ({_load()})")
    for share in (False, True):
        app = PlaceApp(None, place, share_leaflet=share)
        sizes = []
        for index, section in enumerate(app.sections):
            app.render_tab(index)
            outputs = [o for out in app.outputs[index] for o in out.outputs]
            sizes.append((section.title, len(json.dumps(outputs).encode())))
        label = "maps sharing Leaflet" if share else "maps whole"
        tabs = ", ".join(f"{title} {size / 1e3:.0f}" for title, size in sizes)
        print(f"  {label:<22s} every tab {sum(s for _, s in sizes) / 1e3:7.1f} kB ({tabs})")
    print(f"  once per page with shared maps: Leaflet and its provider {len(provider_html().encode()) / 1e3:.1f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--place", default="default")
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument("--skip-drawing", action="store_true")
    parser.add_argument("--importtime", type=Path, default=Path("/tmp/bench_render-importtime.txt"),
                        help="where the -X importtime trees are written (one file per target)")
    parser.add_argument("--report", type=Path, nargs="*", default=[], help="report.html files to weigh")
    parser.add_argument("--run-report", action="store_true",
                        help="run the place into a temporary folder and weigh its report")
    parser.add_argument("--app", action="store_true", help="weigh one place's tabs as the app sends them")
    args = parser.parse_args()
    from diagnostics.outputs.run import select_notebooks

    if args.app:
        app_weight(args.place)
    for path in args.report:
        report_weight(path)
    if args.run_report:
        import tempfile

        from diagnostics.outputs.run import run_place

        with tempfile.TemporaryDirectory() as out:
            report_weight(run_place(args.place, out=out).report)

    notebooks = select_notebooks(None)
    if not args.skip_imports:
        start_up(notebooks, args.importtime)
    if not args.skip_drawing:
        drawing(notebooks, args.place)


if __name__ == "__main__":
    main()
