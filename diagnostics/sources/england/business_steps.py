"""The business steps of an England import: ONS business counts by district (enterprises and local
units by industry group, size and turnover band) and high-growth enterprises counted against the
enterprises with 10+ employees, both moved to current district codes.

Counts of districts that later merged are summed into their successor (valid for counts, unlike
rates); a code the code-change list cannot place is reported and its rows left out.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.sources.england.business_workbook import read_business_workbook
from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.lookups import read_csv
from diagnostics.store.rollup import INDICATOR_COLUMNS, finalise_indicators

__all__ = ["count_businesses", "count_high_growth_enterprises", "counted_twice", "HIGH_GROWTH_ID", "high_growth_catalogue"]

_WORKBOOK_SOURCE = "ONS UK business: activity, size and location (Inter-Departmental Business Register)"
_DEMOGRAPHY_SOURCE = "ONS Business Demography (counts harmonised to one district set by D. Olner, FirmAnalysis)"
#: The computed high-growth indicator (the ready-made share from Explore Local Statistics is ``high_growth_share``).
HIGH_GROWTH_ID = "high_growth_enterprises_pct"


def count_businesses(ctx: ImportContext) -> None:
    """Enterprises and local units by district, industry group, size and turnover band, every year given."""
    found = ctx.all_of("business_counts")
    if not found:
        ctx.leave_out("Business counts by industry and size (ONS 'UK business: activity, size and location' workbooks, "
                      "or UK Business Counts): none given, so the economy page has no location quotients of businesses.")
        return
    years: dict[int, pd.DataFrame] = {}
    for dataset in found:
        counts = read_business_workbook(dataset.path)
        year = int(counts["year"].iloc[0]) if len(counts) else 0
        if year in years:
            ctx.set_aside(dataset.path, f"another workbook of March {year} is used")
            continue
        moved = ctx.on_current_districts(counts, dataset.path, f"Business counts of March {year}")
        years[year] = moved
        ctx.use(dataset.path, f"enterprises and local units by district, March {year} "
                              f"({counts['area_code'].nunique()} districts of then, summed onto current codes)", "ONS")
    keys = ["area_code", "year", "unit", "breakdown", "category"]
    table = pd.concat(years.values(), ignore_index=True).groupby(keys, as_index=False)["count"].sum()
    table["source"] = _WORKBOOK_SOURCE
    table["vintage"] = "March " + table["year"].astype(str) + " snapshot; districts summed onto current codes"
    ctx.tables["business_counts"] = table


def high_growth_catalogue() -> pd.DataFrame:
    """The catalogue row of :data:`HIGH_GROWTH_ID` (contract columns)."""
    return pd.DataFrame([{
        "indicator_id": HIGH_GROWTH_ID,
        "name": "High-growth enterprises (% of active enterprises with 10+ employees), computed",
        "short_name": "High-growth enterprises",
        "domain": "growth",
        "unit": "%",
        "value_type": "proportion",
        "multiplier": 100.0,
        "polarity": "higher_is_better",
        "decimals": 1,
        "description": ("Enterprises whose employment grew by more than 20% a year over three years, as a share of "
                        "active enterprises with 10 or more employees (ONS Business Demography counts)."),
        "method": ("Computed: high-growth count / active enterprises with 10+ employees, Wilson score 95% interval; "
                   "areas of whole districts sum their districts' counts. ONS rounds both counts to 5, which the "
                   "interval does not allow for."),
        "source": _DEMOGRAPHY_SOURCE,
        "vintage": "ONS Business Demography, reference years as given; districts summed onto current codes",
    }])


def _wide_counts(ctx: ImportContext, dataset, what: str) -> pd.DataFrame:
    frame = read_csv(dataset.path)
    years = [c for c in frame.columns if c.isdigit()]
    long = frame.melt(id_vars=["code"], value_vars=years, var_name="year", value_name="count")
    long = long.assign(area_code=long["code"], count=pd.to_numeric(long["count"], errors="coerce")).dropna(subset=["count"])
    long = long.loc[long["area_code"].str.startswith("E")]
    moved = ctx.on_current_districts(long[["area_code", "year", "count"]], dataset.path, what)
    return moved.groupby(["area_code", "year"])["count"].sum()


#: A year whose enterprise count is at least this multiple of the mean of the years either side is
#: an area counted twice, not growth: active 10+ employee enterprises of a district move by under 15% a
#: year (largest change in the 2017-2022 harmonised file apart from Buckinghamshire 2019: 1.2).
DOUBLED_COUNT_RATIO = 1.8


def counted_twice(counts: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``counts`` (area_code, year, denominator, ...) whose denominator is at least
    :data:`DOUBLED_COUNT_RATIO` times the mean of the same area's years either side: an area counted twice in
    a harmonised file. The first and last years of an area, lacking a year on one side, are never flagged.

    >>> rows = pd.DataFrame({"area_code": ["A"] * 3 + ["B"] * 3, "year": [2018, 2019, 2020] * 2,
    ...                      "denominator": [2590, 5190, 2590, 100, 110, 105]})
    >>> counted_twice(rows)[["area_code", "year"]].to_dict("records")
    [{'area_code': 'A', 'year': 2019}]
    """
    ordered = counts.assign(year=counts["year"].astype(int)).sort_values(["area_code", "year"])
    by_area = ordered.groupby("area_code")["denominator"]
    either_side = (by_area.shift(1) + by_area.shift(-1)) / 2
    return counts.loc[ordered.index[(ordered["denominator"] >= DOUBLED_COUNT_RATIO * either_side).to_numpy()]]


def count_high_growth_enterprises(ctx: ImportContext) -> None:
    """High-growth enterprises as a % of active enterprises with 10+ employees, with Wilson intervals,
    for every district and every area made of whole districts, each year both counts are given."""
    found = {d.detail: d for d in ctx.all_of("business_demography")}
    for detail, dataset in found.items():
        if detail not in ("highgrowth", "active10plus"):
            ctx.set_aside(dataset.path, "business births, deaths and actives: the ready-made rates of Explore Local "
                                        "Statistics are used instead")
    if "highgrowth" not in found or "active10plus" not in found:
        if found:
            ctx.leave_out("High-growth enterprises with intervals: both the high-growth and the active 10+ employee "
                          "enterprise counts (Business Demography) are needed; only one was given.")
        return
    high = _wide_counts(ctx, found["highgrowth"], "High-growth enterprise counts")
    base = _wide_counts(ctx, found["active10plus"], "Active 10+ employee enterprise counts")
    both = pd.concat({"numerator": high, "denominator": base}, axis=1).dropna().reset_index()
    doubled = counted_twice(both)
    if len(doubled):
        shown = ", ".join(f"{code} {year}" for code, year in doubled[["area_code", "year"]].itertuples(index=False))
        ctx.leave_out(f"High-growth enterprises of {shown}: the active 10+ employee enterprises of that year are about "
                      "twice those of the years either side (the harmonised file counts the area twice, e.g. "
                      "Buckinghamshire 2019 as its four former districts and the county); that year is left out "
                      "there, and from the areas it belongs to.")
        both = both.drop(doubled.index)
    for dataset in (found["highgrowth"], found["active10plus"]):
        ctx.use(dataset.path, "high-growth enterprises and their base (10+ employees) by district", "ONS")
    # every area made of whole districts: its county, combined authority, region and the country
    membership = ctx.hierarchy.melt(id_vars="district_code", value_vars=["county_code", "cauth_code", "region_code", "country_code"],
                                    value_name="parent").dropna(subset=["parent"])
    parents = both.merge(membership[["district_code", "parent"]], left_on="area_code", right_on="district_code")
    parents = parents.groupby(["parent", "year"], as_index=False)[["numerator", "denominator"]].sum().rename(columns={"parent": "area_code"})
    rows = pd.concat([both, parents], ignore_index=True)
    rows = rows.loc[rows["area_code"].isin(ctx.area_codes) & (rows["denominator"] > 0)]
    rows = rows.assign(indicator_id=HIGH_GROWTH_ID, period=rows["year"].astype(str), year=rows["year"].astype(int))
    catalogue = high_growth_catalogue()
    rows = finalise_indicators(rows, catalogue)
    rows["source"], rows["vintage"] = catalogue.loc[0, "source"], catalogue.loc[0, "vintage"]
    ctx.indicators.append(rows[INDICATOR_COLUMNS])
    ctx.catalogue_rows.append(catalogue)

