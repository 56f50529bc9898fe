"""Time the messy-geographies analyses at england scale and print the figures.

    .venv/bin/python benchmarks/bench_geography.py [--store DIR] [--place CODE]

Figures (targets from issue 5): best-fit lookups from small areas to every layer (< 10 s); one
place's overlap table for all layers (< 2 s); apportioning 50 indicators from districts to health
areas once the allocation table exists (< 1 s). Reading the store's tables and boundaries is timed
apart, since every analysis shares them once per process. CPU seconds are printed beside wall-clock
seconds: on a shared machine the wall clock also counts time waiting for a core.
"""

from __future__ import annotations

import argparse
import importlib
import time

import pandas as pd

from diagnostics.geography.apportion import allocation_matrix, apportion
from diagnostics.geography.best_fit import best_fit_lookups
from diagnostics.geography.overlaps import overlap_table
from diagnostics.sources import open_store


def _timed(label: str, fn):
    """Run ``fn``; print wall-clock seconds and this process's CPU seconds (less sensitive to a busy machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<76s} {seconds:7.2f} s wall {cpu:7.2f} s cpu", flush=True)
    return value, seconds


def _fifty_indicators(store) -> pd.DataFrame:
    """District rows of every indicator, repeated under extra period labels up to 50 indicators' worth."""
    rows = store.indicators
    rows = rows.loc[rows["area_code"].isin(store.areas_in_layer("district")["code"])]
    ids = sorted(rows["indicator_id"].unique())
    copies = [rows]
    for n, indicator in enumerate((ids * 3)[: max(0, 50 - len(ids))]):
        extra = rows.loc[rows["indicator_id"] == indicator].copy()
        extra["period"] = extra["period"] + f" (copy {n + 1})"
        copies.append(extra)
    return pd.concat(copies, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store", default=None,
        help="default: the england-scale synthetic store in the cache (built first if missing, ~2 minutes)",
    )
    parser.add_argument("--place", default=None, help="default: the store's default place")
    args = parser.parse_args()
    path = args.store
    if path is None:
        from diagnostics.sources.synthetic import build_synthetic, default_store_path

        path = default_store_path("england")
        if not (path / "store.json").is_file():
            build_synthetic(path, scale="england")
    store = open_store(path)
    place = args.place or store.manifest.get("default_place")

    def load():
        # the intervals' first import parses scipy's docstrings (~2 s): a cost of the process, not of apportioning
        importlib.import_module("scipy.stats")
        importlib.import_module("diagnostics.store.rollup")
        store.areas, store.lookups, store.population, store.catalogue
        for layer in store.boundary_layers():
            store.boundaries(layer)

    _timed("imports; read and validate areas, lookups, population, catalogue, boundaries", load)
    n_small = len(store.areas_in_layer("small_area"))
    print(f"  {n_small:,} small areas, {len(store.boundary_layers())} boundary layers, {len(store.lookups):,} lookup rows")
    fit, _ = _timed("best-fit lookups, small areas -> every layer (target < 10 s)", lambda: best_fit_lookups(store))
    print(f"  {len(fit):,} links; misplaced residents {fit['misplaced_population'].sum():,.0f}")
    _timed("  again (cached)", lambda: best_fit_lookups(store))
    table, _ = _timed(f"overlap table of {place}, all layers, cold (target < 2 s)", lambda: overlap_table(store, place))
    print(f"  {len(table)} rows over {table['layer'].nunique()} layers")
    _timed(f"overlap table of {place}, all layers, warm", lambda: overlap_table(store, place))
    other = store.areas_in_layer(store.layer_of(place))["code"].iloc[1]
    _timed(f"overlap table of another place ({other})", lambda: overlap_table(store, other))
    values = _fifty_indicators(store)
    print(f"  apportioning {values['indicator_id'].nunique()} indicator ids x periods = "
          f"{values[['indicator_id', 'period']].drop_duplicates().shape[0]} series ({len(values):,} district rows)")
    for weights in ("population", "area"):
        _timed(f"allocation table district -> health_area by {weights} (once)",
               lambda: allocation_matrix(store, "district", "health_area", weights))
        out, _ = _timed(f"apportion 50 indicators district -> health_area by {weights} (target < 1 s)",
                        lambda: apportion(values, "district", "health_area", weights, store=store))
        print(f"  {len(out):,} health-area rows")
        _timed("  again", lambda: apportion(values, "district", "health_area", weights, store=store))


if __name__ == "__main__":
    main()
