"""The public-money step of an England import, read top to bottom: who spends (every body of MHCLG's
Revenue Outturn, returned or not) and on what (13 service areas, £ thousand); what council tax each
body levies in each billing area (Table 9); which current districts each body covers; and NHS
England's allocation to each integrated care board, which covers its districts' residents; and HM
Treasury's spending by region and function (``regional_spend``).

A body that made no return keeps its row in ``spend_bodies`` with ``returned`` False and the reason;
a body whose area the files do not give, a preceptor name no body matches and a council since
re-coded or merged are each one line of the import report.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.council_tax_table9 import Table9, read_table9
from diagnostics.sources.england.country_regional_analysis import read_cra, region_key
from diagnostics.sources.england.district_codes import DistrictCodes, district_codes
from diagnostics.sources.england.icb_allocations import COMPOSITION, icb_place_name, read_icb_allocations
from diagnostics.sources.england.mye import read_mid_year_estimates, sniff_mid_year_estimates
from diagnostics.sources.england.revenue_outturn import read_rsx
from diagnostics.sources.england.spend_areas import COUNCIL_TYPES, locate_bodies, match_preceptors

__all__ = ["read_public_money", "SPEND_PUBLISHER"]

#: The publisher key of the spending files, for the attribution.
SPEND_PUBLISHER = "MHCLG finance"
_BODY_COLUMNS = ["body_code", "period", "year", "body_name", "body_type", "returned", "note", "source", "vintage"]
#: Table 9's preceptor roles -> the hierarchy column that names the body when no spending body matches.
_HIERARCHY_FALLBACK = {"county": "county_code", "combined authorities": "cauth_code"}


def read_public_money(ctx: ImportContext) -> None:
    """``spend_bodies``, ``spend``, ``council_tax`` and ``spend_body_areas`` from the spending files given."""
    bodies = _read_revenue_outturn(ctx)
    table9s = _read_table9s(ctx)
    _read_icb_allocations(ctx)
    _read_regional_spend(ctx)
    if bodies is None and not table9s:
        return
    codes = district_codes(ctx)
    candidates = bodies if bodies is not None else pd.DataFrame(columns=["body_code", "period", "body_name", "body_type"])
    precepting, council_tax = {}, []
    for period, table in table9s.items():
        same_year = candidates.loc[candidates["period"] == _nearest(period, set(candidates["period"]))]
        matched, unmatched = match_preceptors(table.preceptors, same_year)
        for name in unmatched:
            fallback = ("its precept is filed under the billing authority's county or combined authority in ONS's hierarchy"
                        if name.endswith(("(county)", "(combined authorities)")) else "it covers no district and its precept is left out")
            ctx.leave_out(f"Preceptor {name} named in the council tax Table 9 of {period}: no spending body of the "
                          f"Revenue Outturn matches its name; {fallback}.")
        precepting[period] = matched
        council_tax.append(_council_tax(ctx, table, matched, same_year, codes))
    if council_tax:
        ctx.tables["council_tax"] = pd.concat(council_tax, ignore_index=True)
    if bodies is None:
        return
    merged = codes.merged_into(set(bodies.loc[bodies["body_type"].isin(COUNCIL_TYPES), "body_code"]))
    located = locate_bodies(bodies, codes, ctx.hierarchy, precepting, _population(ctx, set(merged)))
    for line in located.renamed + located.problems:
        ctx.leave_out(line)
    rows = located.rows.merge(bodies[["body_code", "period", "source", "vintage"]], on=["body_code", "period"])
    ctx.tables["spend_body_areas"] = pd.concat([ctx.tables.get("spend_body_areas"), rows], ignore_index=True)


def _nearest(period: str, periods: set[str]) -> str | None:
    return min(periods, key=lambda p: abs(int(p[:4]) - int(period[:4]))) if periods else None


def _read_revenue_outturn(ctx: ImportContext) -> pd.DataFrame | None:
    """``spend_bodies`` and ``spend`` from every RSX file (one per year); the bodies with their E-codes."""
    found = ctx.all_of("rsx")
    if not found:
        ctx.leave_out("Public money by body and service (MHCLG Revenue Outturn RSX, 'individual local authority data'): "
                      "none given, so the public money section has no council, police, fire or combined authority spend.")
        return None
    bodies, spend, periods = [], [], set()
    for dataset in sorted(found, key=lambda d: d.detail):
        if dataset.detail in periods:
            ctx.set_aside(dataset.path, f"another RSX file of {dataset.detail} is used")
            continue
        rsx = read_rsx(dataset.path)
        periods.add(rsx.period)
        missing = rsx.bodies.loc[~rsx.bodies["returned"]]
        for _, body in missing.iterrows():
            ctx.leave_out(f"Spend of {body['body_name']} ({body['body_code']}) in {rsx.period}: no Revenue Outturn return "
                          "was received in time for publication; it is kept as 'not returned', never read as zero.")
        ctx.use(dataset.path, f"spend by service of {len(rsx.bodies)} public bodies, {rsx.period} "
                              f"({len(missing)} without a return; dropped the aggregates {', '.join(rsx.aggregates)})",
                SPEND_PUBLISHER)
        bodies.append(rsx.bodies.assign(source=rsx.source, vintage=rsx.vintage))
        if len(rsx.spend):
            spend.append(rsx.spend.assign(source=rsx.source, vintage=rsx.vintage))
    every = pd.concat(bodies, ignore_index=True)
    ctx.tables["spend_bodies"] = every[_BODY_COLUMNS]
    if spend:
        ctx.tables["spend"] = pd.concat(spend, ignore_index=True)
    return every


def _read_table9s(ctx: ImportContext) -> dict[str, Table9]:
    found = ctx.all_of("council_tax_table9")
    if not found:
        ctx.leave_out("Council tax by levying body (MHCLG council tax Table 9 workbook): none given, so there is no "
                      "Band D by precept and police and fire bodies cover no district.")
    tables: dict[str, Table9] = {}
    for dataset in sorted(found, key=lambda d: d.detail):
        if dataset.detail in tables:
            ctx.set_aside(dataset.path, f"another council tax Table 9 of {dataset.detail} is used")
            continue
        table = read_table9(dataset.path)
        tables[table.period] = table
        ctx.use(dataset.path, f"council tax Band D and requirement of {len(table.billing)} billing authorities and the "
                              f"county, police, fire and combined authority levying on each, {table.period}", SPEND_PUBLISHER)
    return tables


def _council_tax(ctx: ImportContext, table: Table9, matched: pd.DataFrame, candidates: pd.DataFrame,
                 codes: DistrictCodes) -> pd.DataFrame:
    """Each billing authority's own Band D and requirement, its parishes', and each preceptor's Band D."""
    year = int(table.period[:4]) + 1
    kinds = candidates.drop_duplicates("body_code").set_index("body_code")["body_type"].to_dict()
    hierarchy = ctx.hierarchy.set_index("district_code")
    preceptor = matched.set_index(["billing_code", "role"])["body_code"].to_dict()
    rows = []
    for b in table.billing.itertuples():
        current = codes.successor(b.billing_code)
        if current is None:
            ctx.leave_out(f"Council tax of {b.name} ({b.billing_code}, {table.period}): no current district succeeds it.")
            continue
        rows.append({"billing_code": current, "body_code": b.billing_code, "body_type": b.body_type,
                     "band_d": b.band_d, "requirement": b.requirement, "tax_base": b.tax_base})
        if b.band_d_with_parishes is not None and b.band_d is not None:
            rows.append({"billing_code": current, "body_code": "parishes", "body_type": "parishes",
                         "band_d": round(b.band_d_with_parishes - b.band_d, 2), "requirement": b.parish_requirement,
                         "tax_base": b.tax_base})
        for role, band in (("county", b.band_d_county), ("police", b.band_d_police), ("fire", b.band_d_fire),
                           ("combined authorities", b.band_d_combined)):
            if not band:
                continue
            body = preceptor.get((b.billing_code, role))
            if body is None and role in _HIERARCHY_FALLBACK and current in hierarchy.index:
                body = hierarchy.loc[current, _HIERARCHY_FALLBACK[role]]
            if body is None or pd.isna(body):
                ctx.leave_out(f"Council tax of the {role} levying on {b.name} ({table.period}, Band D £{band:,.2f}): "
                              "no spending body could be named for it, so the precept is left out.")
                continue
            kind = kinds.get(body) or {"county": "county", "police": "police", "fire": "fire"}.get(role, "combined_authority")
            rows.append({"billing_code": current, "body_code": body, "body_type": kind, "band_d": band,
                         "requirement": None, "tax_base": b.tax_base})
    out = pd.DataFrame(rows)
    return out.assign(period=table.period, year=year, source=table.source, vintage=table.vintage)


def _population(ctx: ImportContext, needed: set[str]) -> dict[str, float]:
    """Residents of the districts ``needed`` (old codes of since-merged districts), from the latest ONS
    mid-year estimates that have each (persons, or females and males summed)."""
    found: dict[str, float] = {}
    if not needed:
        return found
    estimates = [e for e in (sniff_mid_year_estimates(d.path) for d in ctx.all_of("population")) if e is not None and not isinstance(e, str)]
    for estimate in sorted(estimates, key=lambda e: e.year, reverse=True):
        if needed <= set(found):
            break
        sexes = ("P",) if "P" in estimate.sexes else ("F", "M")
        table = read_mid_year_estimates(estimate, sexes)
        totals = table.loc[table["code"].isin(needed - set(found))].groupby("code")["population"].sum()
        found.update(totals.to_dict())
    return found


def _read_icb_allocations(ctx: ImportContext) -> None:
    """ICBs as spending bodies (keyed by the store's health_area codes, joined by name), their allocation
    as ``nhs`` spend, and the share of each district's residents in each ICB."""
    found = ctx.all_of("icb_allocations")
    if not found:
        ctx.leave_out("NHS spend (NHS England's ICB allocation workbooks): none given, so the public money section "
                      "has no NHS figures.")
        return
    icbs = ctx.areas.loc[ctx.areas["layer"] == "health_area"] if ctx.areas is not None else pd.DataFrame(columns=["code", "name"])
    by_name = {icb_place_name(n): (c, n) for c, n in zip(icbs["code"], icbs["name"])}
    bodies, spend, seen = [], [], set()
    for dataset in found:
        allocations = read_icb_allocations(dataset.path)
        fresh = allocations.table.loc[~allocations.table["period"].isin(seen)]
        seen |= set(fresh["period"])
        ctx.use(dataset.path, f"NHS England allocations of {fresh['icb_code'].nunique()} ICBs, "
                              f"{', '.join(sorted(fresh['period'].unique()))}", "NHS England")
        provenance = {"source": allocations.source, "vintage": allocations.vintage}
        for row in fresh.itertuples():
            code, name = by_name.get(icb_place_name(row.icb_name), (row.icb_code, row.icb_name))
            note = f"NHS England allocation to {row.icb_name} ({row.icb_code}): {COMPOSITION}"
            if code == row.icb_code:
                note += "; no ICB boundary of the store has this name, so it is attributed to no place"
                ctx.leave_out(f"ICB allocation of {row.icb_name} ({row.icb_code}, {row.period}): no ICB boundary of the "
                              "store has this name ('NHS X ICB' is joined to 'NHS X Integrated Care Board'); kept under "
                              "its NHS code and attributed to no place.")
            returned = not pd.isna(row.total)
            bodies.append({"body_code": code, "period": row.period, "year": row.year, "body_name": name, "body_type": "icb",
                           "returned": returned, "note": note, **provenance})
            if returned:
                spend.append({"body_code": code, "period": row.period, "year": row.year, "service": "nhs",
                              "gross": row.total, "income": 0.0, "net": row.total, **provenance})
    new_bodies, new_spend = pd.DataFrame(bodies), pd.DataFrame(spend)
    ctx.tables["spend_bodies"] = pd.concat([ctx.tables.get("spend_bodies"), new_bodies[_BODY_COLUMNS]], ignore_index=True)
    ctx.tables["spend"] = pd.concat([ctx.tables.get("spend"), new_spend], ignore_index=True)
    areas = _icb_district_shares(ctx)
    if areas.empty:
        ctx.leave_out("ICB allocations cover no district: the store has no small areas placed in ICBs (an ONS ICB "
                      "boundary file and IoD2019 small-area files are needed), so NHS spend is attributed to no place.")
        return
    located = new_bodies[["body_code", "period", "source", "vintage"]].merge(areas, left_on="body_code", right_on="icb_code")
    rows = located[["body_code", "period", "district_code", "share", "source", "vintage"]]
    ctx.tables["spend_body_areas"] = pd.concat([ctx.tables.get("spend_body_areas"), rows], ignore_index=True)


def _icb_district_shares(ctx: ImportContext) -> pd.DataFrame:
    """icb_code, district_code, share: the fraction of each district's residents (IoD2019's mid-2015 small-area
    populations; each small area counted once when none are given) living in each ICB."""
    lookups = ctx.lookups if ctx.lookups is not None else pd.DataFrame(columns=["small_area_code", "layer", "area_code", "weight"])
    district = lookups.loc[lookups["layer"] == "district", ["small_area_code", "area_code", "weight"]]
    icb = lookups.loc[lookups["layer"] == "health_area", ["small_area_code", "area_code", "weight"]]
    if district.empty or icb.empty:
        return pd.DataFrame(columns=["icb_code", "district_code", "share"])
    people = (ctx.small_area_population.set_index("small_area_code")["total"] if ctx.small_area_population is not None
              else pd.Series(1.0, index=district["small_area_code"].unique()))
    both = district.merge(icb, on="small_area_code", suffixes=("_district", "_icb"))
    both["people"] = both["small_area_code"].map(people).fillna(0) * both["weight_district"] * both["weight_icb"]
    residents = (district.assign(people=district["small_area_code"].map(people).fillna(0) * district["weight"])
                 .groupby("area_code")["people"].sum())
    shares = both.groupby(["area_code_icb", "area_code_district"])["people"].sum().reset_index()
    shares["share"] = shares["people"] / shares["area_code_district"].map(residents)
    shares = shares.loc[shares["share"] > 0].rename(columns={"area_code_icb": "icb_code", "area_code_district": "district_code"})
    return shares[["icb_code", "district_code", "share"]].assign(share=lambda d: d["share"].clip(upper=1.0))


def _read_regional_spend(ctx: ImportContext) -> None:
    """``regional_spend``: HM Treasury's Country and Regional Analysis for the store's regions and England."""
    dataset = ctx.pick("cra")
    if dataset is None:
        ctx.leave_out("Central government spending by region (HM Treasury's Country and Regional Analysis, PESA chapter 9): "
                      "none given, so there is no regional spend per head.")
        return
    cra = read_cra(dataset.path)
    areas = ctx.areas.loc[ctx.areas["layer"].isin(("region", "country"))] if ctx.areas is not None else pd.DataFrame(columns=["code", "name"])
    codes = {region_key(n): c for c, n in zip(areas["code"], areas["name"])}
    table = cra.table.assign(region_code=cra.table["region_name"].map(lambda n: codes.get(region_key(n))))
    english = {"north east", "north west", "yorkshire and the humber", "east midlands", "west midlands", "east of england",
               "london", "south east", "south west", "england"}
    lost = sorted({n for n in table.loc[table["region_code"].isna(), "region_name"] if region_key(n) in english})
    if lost:
        ctx.leave_out(f"Regional spend of {', '.join(lost)}: no region of the store has this name, so it is left out.")
    table = table.dropna(subset=["region_code"]).drop_duplicates(["region_code", "period", "function"])
    ctx.tables["regional_spend"] = table[["region_code", "period", "year", "function", "spend_million", "per_head"]].assign(
        source=cra.source, vintage=cra.vintage)
    ctx.use(dataset.path, f"central government spending by region and function, {cra.vintage.split(' (')[0]}", "HM Treasury")
