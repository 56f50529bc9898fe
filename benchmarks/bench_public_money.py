"""Time the public-money section: the per-store tables, then one place's page, cold and warm.

Run: ``.venv/bin/python benchmarks/bench_public_money.py [--store DIR] [--place CODE]`` (default: the
embedded synthetic store). The cache is cleared first, so the per-store steps are cold; then one
place's whole page (every view), and the next place's in the same process, as a batch runs them.
Each line gives wall-clock and CPU seconds: on a shared machine the CPU time is the fairer figure.
"""

from __future__ import annotations

import argparse

from timing import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default=None, help="store folder (default: the embedded synthetic store)")
    parser.add_argument("--place", default="default", help="place for the page timing (default: the store's)")
    args = parser.parse_args()

    from diagnostics import cache
    from diagnostics.sections.public_money import page
    from diagnostics.sections.public_money.attribution import body_fractions, layer_spend
    from diagnostics.sections.public_money.data import spending_tables
    from diagnostics.sections.session import start
    from diagnostics.sources import open_store

    store = timed("open store", open_store, args.store)
    cache.clear()
    tables = timed("read the five public-money tables", spending_tables, store)
    print(f"  {tables.bodies['body_code'].nunique():,} bodies, {len(tables.spend):,} spend rows, "
          f"{len(tables.council_tax):,} council tax rows")
    timed("every body shared among districts (residents)", body_fractions, store, "district")
    timed("attributed spending of every district (comparators)", layer_spend, store, "district")
    timed("... of every region and the country", lambda: [layer_spend(store, lay) for lay in ("region", "country")])
    dx = timed("session (place and comparators)", start, args.place, store)
    timed(f"one place's public-money page, first place ({dx.place.name})",
          lambda: [view(dx) for _heading, view in page.VIEWS])
    dx2 = start(dx.comparator_codes[0] if dx.comparator_codes else args.place, store)
    timed(f"the next place's page in the same process ({dx2.place.name})",
          lambda: [view(dx2) for _heading, view in page.VIEWS])


if __name__ == "__main__":
    main()
