"""The deaths step of an England import: ONS deaths by district, sex and age band (Table 2 of
"Deaths registered by area of usual residence"), matched by name to the district codes of their
year and moved to current codes, as the ``district_deaths`` table from which the health section
computes life expectancy and standardised mortality.

Names are matched to the codes of the same year's mid-year estimates (the areas as they were),
else to the current districts and the old names of the code-change list. A name ONS publishes for
two districts together ("Cornwall and Isles of Scilly") is split between them in proportion to
their population in each sex and age band. Every name left unmatched is named in the import report.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.conventions import AGE_BANDS
from diagnostics.sources.england.area_names import match_area_names
from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.deaths import DEATHS_LAYOUT, read_deaths_by_age, sniff_deaths_table
from diagnostics.sources.england.district_codes import district_codes
from diagnostics.sources.england.mortality_rates import all_age_catalogue, all_age_rates
from diagnostics.sources.england.mye import read_mid_year_estimates, sniff_mid_year_estimates
from diagnostics.sources.england.population_steps import SOURCE as POPULATION_SOURCE
from diagnostics.sources.england.population_steps import whole_district_parents

__all__ = ["read_deaths", "DEATHS_SOURCE", "names_of_year"]

DEATHS_SOURCE = "ONS deaths registered by area of usual residence (Table 2)"


def names_of_year(ctx: ImportContext, year: int) -> tuple[dict[str, str], str]:
    """Code -> name of every English and Welsh area of ``year`` (from that year's mid-year estimates),
    else of the current districts and the old names in the code-change list; and where they came from."""
    for ds in ctx.all_of("population"):
        found = sniff_mid_year_estimates(ds.path)
        if found is None or isinstance(found, str) or found.year != year:
            continue
        sex = sorted(found.sexes)[0]
        table = read_mid_year_estimates(found, (sex,))
        table = table.loc[table["code"].str.match(r"^[EW]")].drop_duplicates("code")
        return dict(zip(table["code"], table["name"])), f"the codes of mid-{year} ({ds.path.name})"
    names = dict(zip(ctx.hierarchy["district_code"], ctx.hierarchy["district_name"]))
    old = ctx.changes.table
    if not old.empty and {"oldcd", "oldnm"} <= set(old.columns):
        names.update({c: n for c, n in zip(old["oldcd"], old["oldnm"]) if isinstance(n, str) and c.startswith("E0")})
    return names, "current district names and the old names of the code-change list (no mid-year estimates of that year)"


def _split_by_population(deaths: pd.DataFrame, codes: list[str], population: pd.DataFrame, year: int) -> pd.DataFrame:
    """Deaths of areas published together, shared out in proportion to each one's population by sex and band."""
    pop = population.loc[(population["year"] == year) & population["area_code"].isin(codes) & population["sex"].isin(["F", "M"])]
    if pop.empty:
        return deaths.assign(area_code=codes[0])
    share = pop.pivot_table(index=["sex", "age_band"], columns="area_code", values="population", aggfunc="sum").fillna(0)
    share = share.div(share.sum(axis=1).where(lambda s: s > 0, 1), axis=0)
    parts = []
    for code in codes:
        weight = deaths.set_index(["sex", "age_band"]).index.map(share.get(code, pd.Series(dtype=float))).fillna(0)
        parts.append(deaths.assign(area_code=code, deaths=deaths["deaths"].to_numpy() * weight.to_numpy(float)))
    return pd.concat(parts, ignore_index=True)


def read_deaths(ctx: ImportContext) -> None:
    """ONS deaths by district, sex and age band for every year given (the ``district_deaths`` table)."""
    tables = [(ds, sniff_deaths_table(ds.path)) for ds in ctx.all_of("deaths")]
    for ds, table in tables:
        if table is not None and table.table == "1a":
            ctx.set_aside(ds.path, "ONS's published age-standardised rates: the reference the computed rates are checked "
                                   "against (benchmarks/bench_england_health.py)")
    table2 = [(ds, t) for ds, t in tables if t is not None and t.table == "2"]
    if not table2:
        return
    codes = district_codes(ctx)
    population = ctx.tables.get("district_population", pd.DataFrame(columns=["area_code", "year", "sex", "age_band", "population"]))
    frames = []
    for ds, table in table2:
        try:
            raw = read_deaths_by_age(ds.path)
        except ValueError as err:
            ctx.leave_out(f"Deaths {table.year}: {err}. Fix: export Table 2 again from ONS's workbook; the rest of the import goes on.")
            continue
        candidates, basis = names_of_year(ctx, table.year)
        match = match_area_names(list(dict.fromkeys(raw["name"])), candidates)
        together = {n: pair for n, pair in match.combined.items() if any(c.startswith("E0") for c in pair)}
        parts = []
        for name, code in match.codes.items():
            current = codes.successor(code) if code.startswith("E0") else None
            if current:
                parts.append(raw.loc[raw["name"] == name].assign(area_code=current))
        for name, pair in together.items():
            current = [codes.successor(c) for c in pair if c.startswith("E0")]
            current = [c for c in current if c]
            if current:
                parts.append(_split_by_population(raw.loc[raw["name"] == name], current, population, table.year))
        if not parts:
            shown = "; ".join(match.unmatched[:6]) + (" ..." if len(match.unmatched) > 6 else "")
            ctx.leave_out(f"Deaths {table.year}: no area name of {ds.path.name} matched a district of {basis} "
                          f"(names such as {shown}; expected {DEATHS_LAYOUT}). Fix: give the mid-year estimates of "
                          f"{table.year} (their names are matched) or check the file is ONS's Table 2 for England.")
            continue
        year_deaths = pd.concat(parts, ignore_index=True)
        year_deaths = year_deaths.groupby(["area_code", "sex", "age_band"], as_index=False)["deaths"].sum().assign(year=table.year)
        missing = sorted(codes.current - set(year_deaths["area_code"]))
        what = (f"deaths {table.year} registrations by sex and age band, {year_deaths['area_code'].nunique()} current districts; "
                f"names matched to {basis}")
        if match.loose:
            what += "; matched loosely: " + "; ".join(f"'{a}' as '{b}'" for a, b in match.loose.items())
        if together:
            what += "; published together, split by population: " + "; ".join(together)
        ctx.use(ds.path, what, "ONS")
        not_matched = match.unmatched + list(match.ambiguous)
        if not_matched:
            ctx.leave_out(f"Deaths {table.year}: names of {ds.path.name} matched to no area of {table.year} and left out: "
                          f"{'; '.join(not_matched)} (aggregates such as Inner London are expected here; a district's name "
                          "means its deaths are missing: add it to the file as ONS spells it).")
        if missing:
            ctx.leave_out(f"Deaths {table.year}: no deaths for current districts {missing[:8]}"
                          f"{' ...' if len(missing) > 8 else ''}: no life expectancy or mortality is computed for them.")
        vintage = f"{table.year} registrations ({ds.path.name}); names matched to {table.year} codes, moved to current codes"
        if together:
            vintage += f"; {', '.join(together)} split by population"
        frames.append(year_deaths.assign(vintage=vintage))
    if frames:
        deaths = pd.concat(frames, ignore_index=True).assign(source=DEATHS_SOURCE)
        deaths = deaths.loc[deaths["age_band"].isin(AGE_BANDS)]
        ctx.tables["district_deaths"] = deaths[["area_code", "year", "sex", "age_band", "deaths", "source", "vintage"]]
        _all_age_rates(ctx)


def _all_age_rates(ctx: ImportContext) -> None:
    """All-age standardised mortality (ESP2013) of every district and area of whole districts, each year with both tables."""
    population, deaths = ctx.tables.get("district_population"), ctx.tables["district_deaths"]
    if population is None:
        ctx.leave_out("All-age mortality rates: deaths were given but no ONS mid-year estimates by sex and age for the same year.")
        return
    rows = all_age_rates(population, deaths, whole_district_parents(ctx))
    if rows.empty:
        ctx.leave_out(f"All-age mortality rates: no year has both deaths ({sorted(set(deaths['year']))}) and population by sex.")
        return
    years = ", ".join(str(y) for y in sorted(set(rows["year"])))
    source = f"{DEATHS_SOURCE}; {POPULATION_SOURCE}"
    vintage = f"deaths registered in {years} and mid-{years} estimates; district codes current (2025)"
    ctx.indicators.append(rows.assign(source=source, vintage=vintage))
    ctx.catalogue_rows.append(all_age_catalogue(source, vintage))
