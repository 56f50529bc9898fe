"""Time the economy analyses: industry figures for every area of a store (read or summed from districts),
location quotients, shift-share and the productivity gap, and the economy page's views for one place.

    .venv/bin/python benchmarks/bench_economy.py [--store PATH] [--no-views]

Without ``--store`` the default synthetic store is used (built into the cache on first use).
"""

from __future__ import annotations

import argparse
import time

from diagnostics.sections.economy import industry
from diagnostics.sections.economy import page as economy_page
from diagnostics.sections.economy.productivity_gap import productivity_gap
from diagnostics.sections.economy.shift_share import shift_share
from diagnostics.sections.economy.structure import industrial_structure
from diagnostics.sections.economy.years import common_years
from diagnostics.sections.session import start
from diagnostics.sources import open_store
from diagnostics.store.places import Place


def _timed(label: str, fn):
    """Run ``fn`` and print its wall-clock and CPU seconds (they differ on a shared machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<58s} {seconds:8.2f} s wall {cpu:8.2f} s cpu", flush=True)
    return value, cpu


def _analyse_layer(store, layer: str, nation) -> tuple[int, int]:
    """Every analysis for every area of a layer; returns (areas analysed, areas without figures)."""
    analysed = missing = 0
    for row in store.areas_in_layer(layer).itertuples():
        own = industry.place_industry(store, Place(row.code, row.name, row.layer))
        if not own.available:
            missing += 1
            continue
        years = common_years(own.table, nation.table)
        industrial_structure(own.table, nation.table, years[-1])
        if len(years) > 1:
            shift_share(own.table, nation.table)
        productivity_gap(own.table, nation.table)
        analysed += 1
    return analysed, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="a store folder (default: the synthetic country)")
    parser.add_argument("--no-views", action="store_true", help="skip timing the page's views")
    args = parser.parse_args()
    store = open_store(args.store)
    _timed("read industry, areas and lookups", lambda: (store.industry, store.areas, store.lookups))
    print(f"  {len(store.industry):,} industry rows; {len(store.lookups):,} lookup rows")
    country = store.areas_in_layer("country")["code"].iloc[0]
    nation, _ = _timed("country: sum of every district", lambda: industry.place_industry(store, country))
    print(f"  {len(nation.members)} districts, years {nation.years[0]} to {nation.years[-1]}")
    for layer in ("district", "county", "region", "health_area", "ttwa"):
        if store.areas_in_layer(layer).empty:
            continue
        (done, missing), seconds = _timed(
            f"all analyses, every {layer}", lambda layer=layer: _analyse_layer(store, layer, nation)
        )
        print(f"  {done} analysed, {missing} without figures ({1000 * seconds / max(done + missing, 1):.0f} ms cpu per area)")
    if not args.no_views:
        dx, _ = _timed("start a session for the default place", lambda: start("default", store))
        _timed("the economy page's views (cold session)", lambda: [view(dx) for _, view in economy_page.VIEWS])
        dx = start("default", store)
        _timed("the economy page's views (another session, warm store)", lambda: [view(dx) for _, view in economy_page.VIEWS])


if __name__ == "__main__":
    main()
