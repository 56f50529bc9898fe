"""Time the health analysis: life expectancy and standardised rates for every district and year.

Run: ``.venv/bin/python benchmarks/bench_health.py [--store DIR] [--place CODE]`` (default: the embedded
synthetic store; pass an england-scale store, built with ``place-diagnostic data build --scale england
--store DIR``, for the figure of issue 7). Prints one line per step; the cache is cleared first, so
every step is cold except the last (one place's page in a warm process, as a batch runs it). Each
line gives wall-clock and CPU seconds: on a shared machine the CPU time is the fairer figure.
"""

from __future__ import annotations

import argparse
import time

from timing import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default=None, help="store folder (default: the embedded synthetic store)")
    parser.add_argument("--place", default="default", help="place for the page timing (default: the store's)")
    args = parser.parse_args()

    from diagnostics import cache
    from diagnostics.sections.health import analysis as health
    from diagnostics.sections.health import inequality, mortality
    from diagnostics.sections.health import page as health_views
    from diagnostics.sections.session import start
    from diagnostics.sources import open_store

    store = timed("open store", open_store, args.store)
    small = store.areas_in_layer("small_area")
    districts = store.areas_in_layer("district")
    print(f"store {store.path}: {len(small):,} small areas, {len(districts):,} districts")
    population = timed("read population table", lambda: store.population)
    timed("read deaths table", lambda: store.deaths)
    print(f"  {len(population):,} rows each (small area x year x sex x band)")
    cache.clear()
    total, total_cpu = time.perf_counter(), time.process_time()
    counts = timed("small-area counts as arrays (area x year x sex x band)", mortality.small_area_counts, store)
    timed("district counts through the lookup weights (sparse product)", mortality.layer_counts, store, "district")
    m3 = timed("LE (birth, 65; F, M) + under-75 DSR, every district, 3-year periods",
               mortality.mortality_measures, store, "district")
    m1 = timed("the same, single years (for trends)", mortality.mortality_measures, store, "district", 1)
    core, core_cpu = time.perf_counter() - total, time.process_time() - total_cpu
    print(f"{'=> LE and standardised rates, all districts and years (tables loaded)':<74} {core:8.3f} s wall "
          f"{core_cpu:8.3f} s cpu")
    print(f"   {len(m3) + len(m1):,} values: {len(districts)} districts x {len(counts.years)} years, "
          f"{m3['value'].isna().sum() + m1['value'].isna().sum():,} withheld by PHE's rules")
    timed("regions and country, 3-year periods", lambda: [mortality.mortality_measures(store, lay) for lay in ("region", "country")])
    timed("every district against the country, all health measures (reads indicators)",
          health.layer_comparison, store, "district")
    timed("local deprivation deciles of every district", inequality.deprivation_groups, store, "district", 10)
    timed("LE and under-75 DSR by decile, every district", inequality.inequality_by_deprivation, store, "district", 10)
    dx = start(args.place, store)

    def page():
        return [view(dx) for _heading, view in health_views.VIEWS]

    timed(f"one place's health page, first place ({dx.place.name})", page)
    dx2 = start(dx.comparator_codes[0] if dx.comparator_codes else args.place, store)
    timed(f"the next place's page in the same process ({dx2.place.name})",
          lambda: [view(dx2) for _heading, view in health_views.VIEWS])


if __name__ == "__main__":
    main()
