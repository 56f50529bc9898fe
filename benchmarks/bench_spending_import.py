"""Time the public-spending part of ``data import``: recognising the spending files and reading each one.

    .venv/bin/python benchmarks/bench_spending_import.py [--from ../shared/ukdata/spending]

Prints one line per file (what it was recognised as, the seconds to recognise and to read it, the rows
read) and the totals. The attribution to districts (spend_body_areas) needs the rest of the import's
geography; its cost is inside ``bench_england.py``'s import figure.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from diagnostics.sources.england.council_tax_table9 import read_table9
from diagnostics.sources.england.country_regional_analysis import read_cra
from diagnostics.sources.england.icb_allocations import read_icb_allocations
from diagnostics.sources.england.revenue_outturn import read_rsx
from diagnostics.sources.england.spending_files import sniff_spending

READERS = {
    "rsx": lambda p: len(read_rsx(p).spend),
    "council_tax_table9": lambda p: len(read_table9(p).billing),
    "icb_allocations": lambda p: len(read_icb_allocations(p).table),
    "cra": lambda p: len(read_cra(p).table),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", default=str(Path(__file__).resolve().parents[2] / "shared" / "ukdata" / "spending"))
    args = parser.parse_args()
    total_sniff = total_read = 0.0
    for path in sorted(p for p in Path(args.folder).rglob("*") if p.is_file()):
        t0 = time.perf_counter()
        found = sniff_spending(path)
        sniffed = time.perf_counter() - t0
        total_sniff += sniffed
        if found is None:
            print(f"{path.name:<58s} {'(not a file the import reads)':<22s} {sniffed:6.2f} s")
            continue
        t0 = time.perf_counter()
        rows = READERS[found[0]](path)
        read = time.perf_counter() - t0
        total_read += read
        print(f"{path.name:<58s} {found[0] + ' ' + found[1]:<22s} {sniffed:6.2f} s + read {read:6.2f} s, {rows:,} rows")
    print(f"{'total':<58s} {'':<22s} {total_sniff:6.2f} s + read {total_read:6.2f} s")


if __name__ == "__main__":
    main()
