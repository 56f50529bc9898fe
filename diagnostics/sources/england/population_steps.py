"""The population step of an England import: ONS mid-year estimates by district, sex and five-year
age band for every year given, on current district codes, and the population indicators of every
district and every area made of whole districts (county, combined authority, region, country).

Districts that later merged (Dorset 2019, Buckinghamshire 2020, Northamptonshire 2021, Cumbria,
North Yorkshire and Somerset 2023...) have their counts summed into their successor: valid for
counts of people, unlike rates. Each year's vintage says which codes were moved.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.district_codes import DistrictCodes, district_codes
from diagnostics.sources.england.mye import MYE_LAYOUT, read_mid_year_estimates, sniff_mid_year_estimates, to_age_bands

__all__ = ["read_population_estimates", "POPULATION_IDS", "population_catalogue", "whole_district_parents"]

SOURCE = "ONS mid-year population estimates (MYE2)"

#: Indicator id -> (name, short name, first age, last age or None, description); "total" is the count.
POPULATION_IDS: dict[str, tuple[str, str, int, int | None]] = {
    "population_total": ("Resident population (ONS mid-year estimate)", "Population", 0, None),
    "population_aged_0_15_share": ("Population aged 0-15", "Aged 0-15", 0, 15),
    "population_aged_60_plus_share": ("Population aged 60 and over", "Aged 60+", 60, None),
    "population_aged_65_plus": ("Population aged 65 and over", "Aged 65+", 65, None),
    "working_age_share": ("Working-age population (16-64)", "Working age", 16, 64),
}


def population_catalogue(years: list[int]) -> pd.DataFrame:
    """Catalogue rows of :data:`POPULATION_IDS` (the mid-year estimates of ``years``)."""
    span = f"mid-{min(years)} to mid-{max(years)}" if len(years) > 1 else f"mid-{years[0]}"
    rows = []
    for ident, (name, short, first, last) in POPULATION_IDS.items():
        total = ident == "population_total"
        ages = f"{first}-{last}" if last is not None else f"{first} and over"
        rows.append({
            "indicator_id": ident, "name": name, "short_name": short, "domain": "population",
            "unit": "people" if total else "%", "value_type": "count" if total else "proportion",
            "multiplier": 1.0 if total else 100.0, "polarity": "neutral", "decimals": 0 if total else 1,
            "description": (f"Usual residents at 30 June ({span}), ONS mid-year estimates." if total else
                            f"Share of usual residents aged {ages} at 30 June ({span})."),
            "method": ("Computed: ONS mid-year estimates by district, summed over the districts of larger areas; "
                       "districts that later merged are summed into their successor; other layers (health, police, "
                       "travel-to-work areas) keep IoD2019's mid-2015 small-area sums." if total else
                       f"Computed: residents aged {ages} / all residents, ONS mid-year estimates by single year of age; "
                       "a population estimate, so no sampling interval."),
            "source": SOURCE, "vintage": span,
        })
    return pd.DataFrame(rows)


def whole_district_parents(ctx: ImportContext) -> pd.Series:
    """District -> every area made of whole districts that contains it (county, combined authority, region, country).

    Returns
    -------
    Series
        Indexed by district code (repeated, one entry per containing area), values the area codes.
    """
    hierarchy = ctx.hierarchy.set_index("district_code")
    pairs = [hierarchy[column].dropna() for column in ("county_code", "cauth_code", "region_code", "country_code")]
    known = ctx.area_codes
    out = pd.concat(pairs)
    return out.loc[out.isin(known)]


def _read_year(ctx: ImportContext, year: int, files: list, codes: DistrictCodes) -> pd.DataFrame | None:
    """One year's estimates: single years of age by current district and sex (F/M, else P)."""
    sexes = set().union(*(found.sexes for _, found in files))
    wanted = ("F", "M") if {"F", "M"} <= sexes else ("P",)
    names = ", ".join(ds.path.name for ds, _ in files)
    if "P" not in sexes and wanted == ("P",):
        ctx.leave_out(f"Population mid-{year}: {names} has no complete set of sheets (expected {MYE_LAYOUT}).")
        return None
    if wanted == ("P",) and sexes & {"F", "M"}:
        have = "females" if "F" in sexes else "males"
        ctx.leave_out(f"Population mid-{year} by sex: {names} has {have} but not "
                      f"{'males' if have == 'females' else 'females'} (expected a sheet per sex: {MYE_LAYOUT}); "
                      "persons are used for that year. Fix: give the full MYE2 workbook or both CSV exports.")
    frames = []
    for _, found in files:
        try:
            frames.append(read_mid_year_estimates(found, wanted))
        except ValueError as err:
            ctx.leave_out(f"Population mid-{year}: {err}. Fix: download the MYE2 table again from ONS; the other years are imported.")
            return None
    raw = pd.concat(frames, ignore_index=True)
    raw = raw.loc[raw["code"].str.match(r"^E0[6-9]")]
    successor = {c: codes.successor(c) for c in raw["code"].unique()}
    lost = sorted(c for c, s in successor.items() if s is None)
    if lost:
        ctx.leave_out(f"Population mid-{year}: district codes {lost[:6]} of {names} match no current district (nor a "
                      "successor in the code-change list); their people are left out. Fix: add ONS's code-change list.")
    raw = raw.assign(area_code=raw["code"].map(successor)).dropna(subset=["area_code"])
    merged = codes.merged_into(successor)
    moved = sorted({c for c, s in successor.items() if s and s != c})
    note = f"mid-{year} ({names}); {raw['code'].nunique()} districts of {year}"
    if merged:
        note += f"; {len(merged)} districts that later merged summed into their {len(set(merged.values()))} successors"
    renamed = [c for c in moved if c not in merged]
    if renamed:
        note += f"; {len(renamed)} re-coded districts moved to current codes"
    for ds, found in files:
        if not found.sexes & set(wanted):
            ctx.set_aside(ds.path, f"persons of mid-{year}: the females and males of the same year are used")
            continue
        how = " (year taken from the file name)" if found.year_from_name else ""
        ctx.use(ds.path, f"population mid-{year}{how}, {'females and males' if wanted != ('P',) else 'persons only'} "
                         f"by single year of age, {len(successor)} districts on {year} codes", "ONS")
    grouped = raw.groupby(["area_code", "sex", "age"], as_index=False)["population"].sum()
    return grouped.assign(year=year, vintage=note)


def _indicators(single: pd.DataFrame, parents: pd.Series) -> pd.DataFrame:
    """Population indicators of districts and their whole-district parents, every year."""
    persons = single.groupby(["area_code", "year", "age"], as_index=False)["population"].sum()
    total = persons.groupby(["area_code", "year"])["population"].sum()
    frames = []
    for ident, (_, _, first, last) in POPULATION_IDS.items():
        ages = persons["age"].between(first, 200 if last is None else last)
        part = persons.loc[ages].groupby(["area_code", "year"])["population"].sum().reindex(total.index, fill_value=0)
        is_total = ident == "population_total"
        frames.append(pd.DataFrame({
            "indicator_id": ident, "area_code": total.index.get_level_values(0),
            "period": total.index.get_level_values(1).astype(str), "year": total.index.get_level_values(1),
            "numerator": part.to_numpy(float), "denominator": np.nan if is_total else total.to_numpy(float),
        }))
    districts = pd.concat(frames, ignore_index=True)
    links = parents.rename("parent").rename_axis("area_code").reset_index()
    up = (districts.merge(links, on="area_code").drop(columns="area_code").rename(columns={"parent": "area_code"})
          .groupby(["indicator_id", "area_code", "period", "year"], as_index=False)[["numerator", "denominator"]]
          .sum(min_count=1))
    rows = pd.concat([districts, up[districts.columns]], ignore_index=True)
    rows["value"] = np.where(rows["indicator_id"] == "population_total", rows["numerator"],
                             100 * rows["numerator"] / rows["denominator"])
    rows["lower_ci"] = rows["upper_ci"] = rows["confidence"] = np.nan
    rows["note"] = None
    return rows


def read_population_estimates(ctx: ImportContext) -> None:
    """ONS mid-year estimates, every year given: the ``district_population`` table and population indicators.

    The latest year becomes the population headline of every district and area made of whole
    districts (their IoD2019 mid-2015 sums are replaced); the other layers keep IoD2019's.
    """
    datasets = ctx.all_of("population")
    if not datasets:
        ctx.leave_out("Population by district, sex and age band: no ONS mid-year estimates (MYE2) were given; the population "
                      "headline is IoD2019's mid-2015 small-area sums.")
        return
    by_year: dict[int, list] = defaultdict(list)
    for ds in datasets:
        found = sniff_mid_year_estimates(ds.path)
        if found is not None and not isinstance(found, str):
            by_year[found.year].append((ds, found))
    codes = district_codes(ctx)
    read = {year: _read_year(ctx, year, by_year[year], codes) for year in sorted(by_year)}
    years = [year for year, frame in read.items() if frame is not None]
    if not years:
        return
    single = pd.concat([read[y] for y in years], ignore_index=True)
    banded = single.assign(age_band=to_age_bands(single["age"]))
    table = banded.groupby(["area_code", "year", "sex", "age_band", "vintage"], as_index=False)["population"].sum()
    table["population"] = table["population"].round().astype(np.int64)
    ctx.tables["district_population"] = table.assign(source=SOURCE)[
        ["area_code", "year", "sex", "age_band", "population", "source", "vintage"]]
    catalogue = population_catalogue(years)
    rows = _indicators(single, whole_district_parents(ctx))
    rows["source"] = SOURCE
    rows["vintage"] = rows["year"].map(lambda y: f"mid-{y}; district codes current (2025), merged districts summed")
    covered = set(rows["area_code"])
    kept = []
    for frame in ctx.indicators:  # IoD2019's mid-2015 sums stay only for areas the estimates do not cover
        is_old = frame["indicator_id"].isin(POPULATION_IDS) & frame["area_code"].isin(covered)
        kept.append(frame.loc[~is_old])
    ctx.indicators[:] = kept
    ctx.indicators.append(rows)
    ctx.used_ids -= set(POPULATION_IDS)
    ctx.catalogue_rows.append(catalogue)
