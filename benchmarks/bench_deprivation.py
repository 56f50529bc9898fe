"""The deprivation profile against MHCLG's published local-authority summaries, district by district.

    .venv/bin/python benchmarks/bench_deprivation.py [--from ../shared/ukdata] [--published FILE_10] [--all]

Computes MHCLG's summaries (average rank, share of LSOAs in the most deprived 10%, their ranks among
the 317 districts of 2019; average score when File 5 is given) from the IoD2019 small-area files
in the folder, exactly as the import does, for every district and domain the files hold. With
``--published`` (IoD2019 File 10, "Local Authority District Summaries (lower-tier)", the workbook
or a CSV export) it prints, per domain and measure, how many districts agree and the largest
difference; ``--all`` prints every district. Without it, it prints the one published figure the
issue quotes (Manchester's employment average rank, 20,752.92) beside ours, and both weightings,
so the effect of the employment domain's working-age weights is visible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from diagnostics.sources.england.iod import read_iod_district_summaries, read_iod_measures, read_iod_population
from diagnostics.store.deprivation import agreement_with_published, area_summaries, ranks_among_published_districts

#: Tolerances for "agrees": MHCLG publishes averages to 2-3 decimals and shares to 4.
TOLERANCE = {"average_rank": 0.5, "average_score": 0.0005, "most_deprived_10pct": 0.00005}
MANCHESTER_EMPLOYMENT_PUBLISHED = 20752.92


def _summaries(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    files = sorted(folder.rglob("iod2019_*.csv.gz")) + sorted(folder.rglob("File_*IoD2019*.csv"))
    measures = []
    population = None
    for path in files:
        head = path.name.lower()
        if "population" in head or "file6" in head or "file_6" in head:
            population = read_iod_population(path)
        elif "file1" not in head:
            measures.append(read_iod_measures(path, "rank"))
    measures = pd.concat(measures, ignore_index=True)
    weights = population.set_index("small_area_code")[["total", "working_age", "aged_0_15", "aged_60_plus"]]
    members = measures.drop_duplicates("small_area_code")
    membership = pd.DataFrame({"small_area_code": members["small_area_code"], "layer": "district",
                               "area_code": members["district_code_2019"]})
    n = int(measures["value"].max())
    ours = area_summaries(measures, weights, membership, n)
    ours = pd.concat([ours, ranks_among_published_districts(measures, weights, membership["area_code"].unique(), n)])
    return ours, measures, weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="folder", type=Path, default=Path("../shared/ukdata"))
    parser.add_argument("--published", type=Path, default=None, help="MHCLG IoD2019 File 10 (xlsx or csv)")
    parser.add_argument("--all", action="store_true", help="print every district and domain")
    args = parser.parse_args()
    ours, measures, weights = _summaries(args.folder)
    print(f"Computed: {ours['area_code'].nunique()} districts of 2019, domains {sorted(ours['domain'].unique())}")
    manchester = ours.set_index(["area_code", "domain", "measure"])["value"]
    flat = area_summaries(measures.loc[measures["domain"] == "employment"], weights["total"],
                          pd.DataFrame({"small_area_code": measures["small_area_code"].unique(), "layer": "district"}).merge(
                              measures[["small_area_code", "district_code_2019"]].drop_duplicates()).rename(
                              columns={"district_code_2019": "area_code"}), int(measures["value"].max()))
    flat = flat.set_index(["area_code", "domain", "measure"])["value"]
    print("Manchester (E08000003), employment domain, average rank:")
    print(f"  published by MHCLG (File 10)              {MANCHESTER_EMPLOYMENT_PUBLISHED:12,.2f}")
    print(f"  ours, working-age weights (MHCLG method)  {manchester[('E08000003', 'employment', 'average_rank')]:12,.2f}")
    print(f"  ours, total-population weights (before)   {flat[('E08000003', 'employment', 'average_rank')]:12,.2f}")
    if args.published is None:
        print("No --published file: MHCLG's File 10 is not among the ../shared/ukdata downloads, so the agreement for "
              "every district and domain cannot be printed here. Pass the workbook with --published.")
        return
    table = agreement_with_published(ours, read_iod_district_summaries(args.published))
    table["agrees"] = [abs(d) <= TOLERANCE.get(m, 0) for d, m in zip(table["difference"], table["measure"])]
    summary = table.groupby(["domain", "measure"]).agg(
        districts=("area_code", "size"), agree=("agrees", "sum"), largest_difference=("difference", lambda d: d.abs().max()))
    print(summary.to_string())
    if args.all:
        print(table.to_string())


if __name__ == "__main__":
    main()
