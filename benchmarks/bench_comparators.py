"""How many of ONS's 15 most similar areas the toolkit's own statistical neighbours share, per district.

    .venv/bin/python benchmarks/bench_comparators.py --store PATH [--set global]

On a real-England store (``place-diagnostic data import``), for every district with ONS's published
list (Explore Local Statistics similar areas), the overlap of the 15 nearest neighbours computed
here (the stand-in variables the store holds) with ONS's 15, in England. The reason ONS's lists
are the default on real data (``comparators="default"``).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from diagnostics.compare.benchmark import nearest_neighbours
from diagnostics.sections.session import official_comparators
from diagnostics.store.places import resolve_place
from diagnostics.store.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--set", dest="set_name", default="global", choices=("global", "economic", "demographic"))
    parser.add_argument("-k", type=int, default=15)
    args = parser.parse_args()
    store = open_store(args.store)
    table = store.table("comparators")
    codes = sorted(table.loc[table["set_name"] == args.set_name, "area_code"].unique())
    t0 = time.perf_counter()
    rows = []
    for code in codes:
        place = resolve_place(code, store)
        ours = list(nearest_neighbours(store, place, k=args.k)["code"])
        official, _ = official_comparators(store, place, args.set_name, args.k)
        rows.append({"code": code, "name": place.name, "shared": len(set(ours) & set(official)), "of": len(official)})
    out = pd.DataFrame(rows)
    print(f"{len(out)} areas (districts and counties) with ONS's {args.set_name} list; {time.perf_counter() - t0:.1f} s")
    print(f"shared with ONS's {args.k}: mean {out['shared'].mean():.2f} ({100 * out['shared'].sum() / out['of'].sum():.1f}%), "
          f"median {out['shared'].median():.0f}, none shared for {(out['shared'] == 0).sum()} areas, "
          f"10 or more for {(out['shared'] >= 10).sum()}")
    print(out["shared"].value_counts().sort_index().to_string())
    for name in ("Manchester", "Leeds", "Cornwall", "Westminster"):
        hit = out.loc[out["name"] == name]
        if not hit.empty:
            print(f"  {name}: {int(hit['shared'].iloc[0])} of {int(hit['of'].iloc[0])}")


if __name__ == "__main__":
    main()
