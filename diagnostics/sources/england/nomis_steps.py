"""The Nomis step of an England import: BRES jobs by district, year and SIC section (the store's
``industry`` table), moved to current district codes.

Jobs of districts that later merged are summed into their successor (valid for counts); a code the
code-change list cannot place is reported and its rows left out. BRES publishes no GVA, so the
table's ``gva`` is empty and the productivity gap stays unavailable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.nomis import BRES_SOURCE, read_bres

__all__ = ["read_bres_employment"]


def read_bres_employment(ctx: ImportContext) -> None:
    """Jobs by district and SIC section, every year given, from Nomis BRES downloads (a year given by two files
    is read from the first in path order; the other is reported)."""
    found = ctx.all_of("nomis", "bres")
    if not found:
        return
    years: dict[int, pd.DataFrame] = {}
    statuses: set[str] = set()
    for dataset in found:
        jobs, status = read_bres(dataset.path)
        jobs = jobs.loc[jobs["area_code"].str.startswith("E")]  # Nomis's districts include Wales's
        moved = ctx.on_current_districts(jobs, dataset.path, "BRES jobs")
        new = sorted(set(moved["year"]) - set(years))
        for year in new:
            years[year] = moved.loc[moved["year"] == year]
        if not new:
            ctx.set_aside(dataset.path, "its years are read from another BRES file")
            continue
        statuses.add(status)
        ctx.use(dataset.path, f"BRES {status.lower()} by district and SIC section, {new[0]}-{new[-1]} "
                              f"({moved['area_code'].nunique()} districts, summed onto current codes)", "ONS")
    if not years:
        return
    table = (pd.concat(years.values(), ignore_index=True)
             .groupby(["area_code", "year", "sic_section"], as_index=False)["employment"].sum())
    what = " and ".join(sorted(s.lower() for s in statuses))
    table = table.assign(
        gva=np.nan, source=f"{BRES_SOURCE} (dataset NM_189_1)",
        vintage=("September " + table["year"].astype(str) + f" {what} (employees"
                 + (" plus working owners" if "Employment" in statuses else "") + "), rounded by ONS; "
                 "districts summed onto current codes"),
    )
    ctx.tables["industry"] = table
    ctx.leave_out("GVA by industry for districts: BRES gives jobs only, so the industrial structure and shift-share use "
                  "jobs and the productivity gap stays unavailable.")
