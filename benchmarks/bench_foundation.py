"""Time the synthetic country's build (default and, with --england, england scale) and one
place's full run, and print the figures.

    .venv/bin/python benchmarks/bench_foundation.py [--england] [--seed 42]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from diagnostics.outputs.run import run_place
from diagnostics.sources import open_store
from diagnostics.sources.synthetic import build_synthetic


def _timed(label: str, fn):
    t0 = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - t0
    print(f"{label:<48s} {seconds:8.1f} s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--england", action="store_true", help="also build the england-scale country")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scales = ["default"] + (["england"] if args.england else [])
        for scale in scales:
            path, _ = _timed(f"build synthetic country ({scale})", lambda: build_synthetic(tmp / scale, scale=scale, seed=args.seed))
            store = open_store(path)
            areas = store.areas["layer"].value_counts()
            print(
                f"  {areas.get('district', 0)} districts, {areas.get('small_area', 0)} small areas, "
                f"{len(store.firms):,} firms, {sum(p.stat().st_size for p in path.rglob('*.parquet')) / 1e6:.0f} MB"
            )
        store = open_store(tmp / "default")
        result, _ = _timed("run the default place (all notebooks, cold)", lambda: run_place("default", store=store, out=tmp / "out"))
        for name, seconds in result.timings.items():
            print(f"  {name:<46s} {seconds:8.1f} s")
        _timed("run the default place again", lambda: run_place("default", store=store, out=tmp / "out"))


if __name__ == "__main__":
    main()
