"""Time the growth-firms analysis on a store: reading the register, classifying every firm, counting
by small area and fitting the national model, and print the figures.

    .venv/bin/python benchmarks/bench_growth.py [--store DIR]

Without --store, the default synthetic store. The issue's target: at england scale, classifying every
firm and fitting the model in under 30 s (reading the parquet tables is timed apart).
"""

from __future__ import annotations

import argparse
import os
import time

from diagnostics.sections.growth.classify import OECD_EUROSTAT, classify
from diagnostics.sections.growth.features import firm_windows, location_features
from diagnostics.sections.growth.model import train_model
from diagnostics.sections.growth.rates import small_area_counts
from diagnostics.sections.growth.register import prepare_register
from diagnostics.sources import open_store

_CPU: dict[str, float] = {}


def _timed(label: str, fn):
    """Run ``fn`` and print its wall-clock and CPU time (CPU time is the fairer figure on a busy machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    _CPU[label] = cpu
    print(f"{label:<52s} {seconds:8.2f} s wall {cpu:8.2f} s CPU", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="store folder (default: the embedded synthetic store)")
    args = parser.parse_args()
    store = open_store(args.store)
    print(f"store {store.path} (version {store.version}, {store.source})")
    firms, _ = _timed("read and validate firms", lambda: store.firms)
    firm_years, _ = _timed("read and validate firm_years", lambda: store.firm_years)
    _timed("read indicators and small-area boundaries", lambda: (store.indicators, store.boundaries("small_area")))
    small_areas = store.areas_in_layer("small_area")["code"]
    active = firm_years.groupby("year").size()
    print(f"  {len(firms):,} firms in the register, {len(firm_years):,} firm-years, "
          f"{active.min():,} to {active.max():,} active a year, {len(small_areas):,} small areas")

    stages = {}
    register, stages["prepare"] = _timed("prepare register (ids, quality checks)", lambda: prepare_register(firms, firm_years, small_areas))
    classified, stages["classify"] = _timed("classify every firm-window (OECD-Eurostat)", lambda: classify(register))
    _, stages["counts"] = _timed("counts by small area and year", lambda: small_area_counts(register, classified))
    print(f"  {len(classified):,} eligible firm-windows, {int(classified['high_growth_employment'].sum()):,} high-growth "
          f"by employment, {int(classified['scaleup'].sum()):,} scale-ups, {int(classified['gazelle'].sum()):,} gazelles")
    locations, stages["locations"] = _timed("location features (deprivation, density)", lambda: location_features(store))
    windows, stages["windows"] = _timed("model rows (firm-windows with features)", lambda: firm_windows(register, locations))
    model, stages["fit"] = _timed("fit the logit (statsmodels, Newton)",
                                  lambda: train_model(windows, OECD_EUROSTAT, store.version))
    print(f"  fitted on {model.n_train:,} windows ({model.events_train:,} high-growth), {len(model.fit['names'])} terms; "
          f"held-out AUC {model.test_auc:.3f} on {model.n_test:,} windows starting {model.test_year}")
    total = sum(stages.values())
    cpu = sum(list(_CPU.values())[3:])
    print(f"{'classify every firm and fit the model (total)':<52s} {total:8.2f} s wall {cpu:8.2f} s CPU")
    print(f"  (the machine had {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()
