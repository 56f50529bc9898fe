"""Time the report's PDF and weigh it: what ``run --pdf`` adds to a place, and the static maps it prints.

    .venv/bin/python benchmarks/bench_pdf.py [--store DIR] [--place CODE] [--repeat 3]

Figures, for one district (default: the store's default place of the embedded synthetic country):
- the run without a PDF (every notebook and the HTML report), then the PDF printed from that report
  ``--repeat`` times: seconds each (median), pages and bytes of the PDF, bytes of the HTML;
- the static drawing that every map now carries for print (``static_map_figure``): milliseconds and
  bytes for the place's map among its region's districts and for a choropleth of its small areas.
The machine's load average is printed: other processes on the cores inflate every figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from diagnostics.outputs.pdf import footer_label, write_report_pdf
from diagnostics.outputs.run import run_place
from diagnostics.render.maps import choropleth_map, place_map
from diagnostics.render.static_map import static_map_figure
from diagnostics.sources import open_store
from diagnostics.store.places import resolve_place


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _timed(function, repeat: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--place", default="default")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    store = open_store(args.store)
    place = resolve_place(args.place, store) if args.place != "default" else None
    print(_load())
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        result = run_place(place or "default", store=store, out=tmp)
        place = result.place
        print(f"{place.label}: run without a PDF {result.seconds:.1f} s; report.html {result.report.stat().st_size / 1e6:.2f} MB")
        pdf = Path(tmp) / "report.pdf"
        seconds, _ = _timed(lambda: write_report_pdf(result.report, pdf, place_name=place.name, vintage=store.vintage,
                                                      label=footer_label(store.attribution, store.is_synthetic)), args.repeat)
        from pypdf import PdfReader

        pages = len(PdfReader(pdf).pages)
        print(f"PDF: {seconds:.2f} s (median of {args.repeat}), {pages} pages, {pdf.stat().st_size / 1e6:.2f} MB")

    boundaries = store.boundaries(store.layer_of(place.code))
    region = store.areas.set_index("code").loc[place.code, "parent_code"] if "parent_code" in store.areas else None
    context = boundaries.loc[boundaries["code"].isin(store.areas.loc[store.areas["parent_code"] == region, "code"])]
    own = boundaries.loc[boundaries["code"] == place.code]
    small = store.boundaries("small_area")
    inside = small.loc[small.geometry.representative_point().within(own.geometry.iloc[0])].copy()
    inside["value"] = range(len(inside))
    for label, m in (
        (f"place among {len(context)} districts", place_map(own, context, title=place.name)),
        (f"choropleth of {len(inside)} small areas", choropleth_map(inside, "value", title="t", legend_label="v")),
    ):
        seconds, figure = _timed(lambda m=m: static_map_figure(m), args.repeat)
        print(f"static drawing, {label}: {1000 * seconds:.0f} ms, {len(figure) / 1e3:.0f} kB in the page")
    print(_load())


if __name__ == "__main__":
    main()
