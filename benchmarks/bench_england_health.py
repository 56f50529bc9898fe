"""Health computed on real England, checked against ONS and timed: the all-age standardised mortality
rates the import computes from ONS's 2014 deaths (Table 2) and mid-2014 estimates, beside ONS's own
published ASMRs (Table 1a), and the time to compute life expectancy and mortality for every district.

    .venv/bin/python benchmarks/bench_england_health.py [--from ../shared/ukdata] [--store DIR]

Without --store the folder is imported first (into a temporary store). The comparison covers the
districts whose code is unchanged since 2014, England and its regions.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from diagnostics.cache import clear
from diagnostics.sections.health.mortality import mortality_measures
from diagnostics.sources import open_store
from diagnostics.sources.england import import_folder
from diagnostics.sources.england.published_rates import agreement_with_ons


def _agreement(store, folder: Path) -> None:
    table = agreement_with_ons(store, folder / "mortality" / "ons_deaths_by_area_2014_table1a_deaths_rates_asmr_uk.csv",
                               folder / "population" / "ons_mye2_uk_mid2014_persons_syoa.csv")
    print("All-age mortality 2014, ESP2013: computed here vs ONS Table 1a (difference, % of ONS's rate)")
    print(f"  {'areas':<10s} {'sex':<4s} {'n':>4s} {'mean':>8s} {'mean |d|':>9s} {'max |d|':>8s} {'within 0.1%':>12s}")
    for (layer, sex), part in table.groupby(["layer", "sex"]):
        d = part["difference_pct"]
        print(f"  {layer:<10s} {sex:<4s} {len(part):>4d} {d.mean():>8.3f} {d.abs().mean():>9.3f} {d.abs().max():>8.3f} "
              f"{(d.abs() <= 0.1).mean():>11.0%}")
    worst = table.loc[table["difference_pct"].abs().nlargest(3).index]
    for row in worst.itertuples():
        print(f"  largest: {row.name} ({row.area_code}, {row.sex}) {row.computed:.1f} vs {row.published:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", default=str(Path(__file__).resolve().parents[2] / "shared" / "ukdata"))
    parser.add_argument("--store", default=None, help="an imported real store (default: import --from first)")
    args = parser.parse_args()
    folder = Path(args.folder)
    with tempfile.TemporaryDirectory() as tmp:
        if args.store is None:
            t0 = time.perf_counter()
            report = import_folder(folder, Path(tmp) / "england")
            print(f"import {folder}: {time.perf_counter() - t0:.1f} s")
            store = open_store(report.store)
        else:
            store = open_store(args.store)
        _agreement(store, folder)
        clear()
        t0 = time.perf_counter()
        districts = mortality_measures(store, "district")
        seconds = time.perf_counter() - t0
        shown = districts.dropna(subset=["value"])
        print(f"Life expectancy (birth, 65, by sex) and under-75 mortality for {districts['area_code'].nunique()} districts "
              f"({len(shown)} of {len(districts)} values shown, the others withheld by PHE's rules): {seconds:.2f} s (cold, target < 5 s)")
        t0 = time.perf_counter()
        for layer in ("county", "combined_authority", "region", "country"):
            mortality_measures(store, layer)
        print(f"  the same for counties, combined authorities, regions and England: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
