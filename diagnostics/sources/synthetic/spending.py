"""The synthetic country's public money: who spends in each district, on what, and the council tax that pays.

The bodies follow the shapes of English local government, on the synthetic layers:

- a county of one district is a **unitary** council; a "Greater" county (the most populous quarter)
  is a set of **metropolitan** boroughs with a **combined authority** over them; any other county is
  two-tier: its **district** councils and a **county** council;
- a **police** force for each police-force area and a **fire** authority over the same area;
- an **integrated care board** for each health area (a district split between two health areas
  belongs to both, in proportion to its residents);
- in the last year, a new combined authority over the largest two-tier county (so a body appears
  between years, as England's new combined authorities did in 2024).

Each body's spending per head by service is drawn around the medians of the same kind of English body
(:mod:`diagnostics.sources.synthetic.spending_calibration`), persistent from year to year, a little
higher where its residents are more deprived for social care, public health and housing, and grown
in cash by :data:`~diagnostics.sources.synthetic.spending_calibration.CASH_GROWTH` a year. Two returns
are missing (a district council in the last year, a fire authority in the first), so the section's
notes show how a missing return reads. Council tax gives each billing area the Band D of every body
levying on it, and its tax base from its residents. Central government's spending by region follows
HM Treasury's Country and Regional Analysis for England.

Everything is drawn from the ``spending`` generator alone, so the country's other tables are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.sources.synthetic import spending_calibration as cal
from diagnostics.sources.synthetic.model import SOURCE, VINTAGE, SyntheticGeography

__all__ = ["SPEND_PERIODS", "REGIONAL_PERIODS", "MISSING_RETURN_NOTE", "build_spending", "financial_year"]

#: Financial years of the synthetic bodies' spending and council tax.
SPEND_PERIODS: tuple[str, ...] = ("2021-22", "2022-23", "2023-24")
#: Financial years of central government's regional spending (as HM Treasury's PESA 2024 gives).
REGIONAL_PERIODS: tuple[str, ...] = tuple(cal.REGIONAL_PER_HEAD["Health"])
#: The note a body without a return carries.
MISSING_RETURN_NOTE = "no return received by the publication date (synthetic: left out on purpose)"

#: Services whose spending per head rises with the deprivation of the body's residents, and how
#: steeply (elasticity on the deprivation score relative to the country's).
_DEPRIVATION_ELASTICITY = {"adult_social_care": 0.15, "childrens_social_care": 0.35, "public_health": 0.30,
                           "housing": 0.30}
#: The widest spread of log spend per head drawn (a few measured spreads exceed 1, from bodies that
#: spend almost nothing on a service; drawn at that width they give implausible extremes).
_MAX_SPREAD = 0.6
_YEAR_NOISE = 0.03


def financial_year(period: str) -> int:
    """The calendar year a financial year ends in: ``"2023-24"`` -> 2024."""
    return int(period[:4]) + 1


def _district_residents(geo: SyntheticGeography, population: pd.DataFrame) -> pd.DataFrame:
    """Residents of each district by calendar year (district_code x year)."""
    totals = population.groupby(["area_code", "year"], observed=True)["population"].sum().reset_index()
    totals["district_code"] = totals["area_code"].map(geo.small_areas.set_index("code")["district_code"])
    return totals.groupby(["district_code", "year"])["population"].sum().unstack("year")


def _layer_shares(geo: SyntheticGeography, population: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The share of each district's residents in each area of ``layer``: area_code, district_code, share."""
    latest = population.loc[population["year"] == population["year"].max()]
    people = latest.groupby("area_code", observed=True)["population"].sum()
    links = geo.lookups.loc[geo.lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]].copy()
    links["district_code"] = links["small_area_code"].map(geo.small_areas.set_index("code")["district_code"])
    links["people"] = links["weight"] * links["small_area_code"].map(people).fillna(0.0)
    shared = links.groupby(["area_code", "district_code"])["people"].sum().reset_index()
    shared["share"] = shared["people"] / shared["district_code"].map(shared.groupby("district_code")["people"].sum())
    return shared.loc[shared["share"] > 1e-9, ["area_code", "district_code", "share"]]


def _bodies(geo: SyntheticGeography, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every body (body_code, body_name, body_type, first_period) and its districts (body_code, district_code, share)."""
    districts = geo.districts.set_index("code")
    counties = geo.areas.loc[geo.areas["layer"] == "county"].set_index("code")["name"]
    sizes = districts.groupby("county_code").size()
    people = _district_residents(geo, population).iloc[:, -1]
    county_people = people.groupby(districts["county_code"]).sum()
    bodies, areas = [], []
    for county, n in sizes.items():
        members = districts.index[districts["county_code"] == county]
        metropolitan = counties[county].startswith("Greater") and n > 1
        kind = "unitary" if n == 1 else "metropolitan" if metropolitan else "district"
        for code in members:
            bodies.append((code, districts.loc[code, "name"] + (" Council" if kind != "metropolitan" else " Borough Council"),
                           kind, SPEND_PERIODS[0]))
            areas.append((code, code, 1.0))
        if kind == "district":
            bodies.append((county, f"{counties[county]} County Council", "county", SPEND_PERIODS[0]))
            areas += [(county, code, 1.0) for code in members]
        if metropolitan:
            ca = "Z47" + county[3:]
            bodies.append((ca, f"{counties[county]} Combined Authority", "combined_authority", SPEND_PERIODS[0]))
            areas += [(ca, code, 1.0) for code in members]
    two_tier = [c for c, n in sizes.items() if n > 1 and not counties[c].startswith("Greater")]
    if two_tier:
        newest = max(two_tier, key=lambda c: county_people[c])
        ca = "Z47" + newest[3:]
        bodies.append((ca, f"{counties[newest]} County Combined Authority", "combined_authority", SPEND_PERIODS[-1]))
        areas += [(ca, code, 1.0) for code in districts.index[districts["county_code"] == newest]]
    layer_names = geo.areas.set_index("code")["name"]
    for layer, kind in (("police_force", "police"), ("police_force", "fire"), ("health_area", "icb")):
        for _, row in _layer_shares(geo, population, layer).iterrows():
            code = row["area_code"] if kind != "fire" else "Z31" + row["area_code"][3:]
            areas.append((code, row["district_code"], float(row["share"])))
        for code in sorted(geo.areas.loc[geo.areas["layer"] == layer, "code"]):
            name = layer_names[code]
            if kind == "police":
                bodies.append((code, f"Police and Crime Commissioner for {name}", "police", SPEND_PERIODS[0]))
            elif kind == "fire":
                stem = name.removesuffix(" Constabulary").removesuffix(" Police")
                bodies.append(("Z31" + code[3:], f"{stem} Fire and Rescue Authority", "fire", SPEND_PERIODS[0]))
            else:
                bodies.append((code, name.replace("Health Area", "Integrated Care Board"), "icb", SPEND_PERIODS[0]))
    body_table = pd.DataFrame(bodies, columns=["body_code", "body_name", "body_type", "first_period"])
    area_table = pd.DataFrame(areas, columns=["body_code", "district_code", "share"])
    return body_table, area_table


def _deprivation(geo: SyntheticGeography, areas: pd.DataFrame, people: pd.Series) -> pd.Series:
    """Each body's residents' deprivation score relative to the country's (1 = the country's)."""
    score = areas["district_code"].map(geo.districts.set_index("code")["deprivation_score"])
    weight = areas["share"] * areas["district_code"].map(people)
    body = (score * weight).groupby(areas["body_code"]).sum() / weight.groupby(areas["body_code"]).sum()
    country = float((geo.districts.set_index("code")["deprivation_score"] * people).sum() / people.sum())
    return body / country


def _spend(bodies, areas, residents, relative_deprivation, rng) -> pd.DataFrame:
    """Revenue spending by body, period and service (£ thousand), for every body (returns or not)."""
    rows = []
    for body in bodies.itertuples(index=False):
        served = areas.loc[areas["body_code"] == body.body_code]
        services = {"nhs": (*cal.ICB_PER_HEAD, 0.0)} if body.body_type == "icb" else cal.NET_PER_HEAD[body.body_type]
        level = {s: rng.normal() for s in services}
        for t, period in enumerate(SPEND_PERIODS):
            year = financial_year(period)
            people = float((served["share"] * served["district_code"].map(residents[year])).sum())
            for service, (median, spread, income_share) in services.items():
                if SPEND_PERIODS.index(period) < SPEND_PERIODS.index(body.first_period):
                    continue
                tilt = relative_deprivation[body.body_code] ** _DEPRIVATION_ELASTICITY.get(service, 0.0)
                per_head = (median * tilt * np.exp(min(spread, _MAX_SPREAD) * level[service] + _YEAR_NOISE * rng.normal())
                            * (1 + cal.CASH_GROWTH) ** t)
                net = per_head * people / 1000.0
                gross = net / (1.0 - income_share)
                rows.append((body.body_code, period, service, round(gross, 1), round(gross - net, 1), round(net, 1)))
    return pd.DataFrame(rows, columns=["body_code", "period", "service", "gross", "income", "net"])


def _missing_returns(bodies: pd.DataFrame) -> set[tuple[str, str]]:
    """The (body, period) pairs without a return: the first district council in the last year and
    the first fire authority in the first year."""
    missing = set()
    for kind, period in (("district", SPEND_PERIODS[-1]), ("fire", SPEND_PERIODS[0])):
        of_kind = bodies.loc[bodies["body_type"] == kind, "body_code"]
        if not of_kind.empty:
            missing.add((sorted(of_kind)[0], period))
    return missing


def _council_tax(geo, bodies, areas, residents, rng) -> pd.DataFrame:
    """Band D, requirement and tax base of every body levying on each billing area (a district)."""
    kinds = bodies.set_index("body_code")["body_type"]
    first = bodies.set_index("body_code")["first_period"]
    band_d = {code: cal.BAND_D[kind][0] * np.exp(cal.BAND_D[kind][1] * rng.normal())
              for code, kind in kinds.items() if kind in cal.BAND_D}
    base_factor = {code: np.exp(0.1 * rng.normal()) for code in geo.districts["code"]}
    rows = []
    for district in geo.districts["code"]:
        levying = areas.loc[areas["district_code"] == district].copy()
        levying["kind"] = levying["body_code"].map(kinds)
        levying = levying.loc[levying["kind"].isin(list(cal.BAND_D))]
        # a billing area pays the police (and fire) body that covers most of its residents
        levying = levying.sort_values("share", ascending=False).drop_duplicates("kind")
        own_kind = kinds[district]
        for t, period in enumerate(SPEND_PERIODS):
            tax_base = cal.TAX_BASE_PER_RESIDENT * residents.loc[district, financial_year(period)] * base_factor[district]
            growth = (1 + cal.CASH_GROWTH) ** t
            for body in levying.itertuples(index=False):
                if SPEND_PERIODS.index(period) < SPEND_PERIODS.index(first[body.body_code]):
                    continue
                if body.kind == "combined_authority" and first[body.body_code] != SPEND_PERIODS[0]:
                    continue  # a new combined authority levies no precept in its first year
                value = round(band_d[body.body_code] * growth, 2)
                rows.append((district, period, body.body_code, body.kind, value, round(value * tax_base / 1000, 1), tax_base))
            parish = cal.PARISH_BAND_D.get(own_kind)
            if parish:
                value = round(parish * growth, 2)
                rows.append((district, period, "parishes", "parishes", value, round(value * tax_base / 1000, 1), tax_base))
    return pd.DataFrame(rows, columns=["billing_code", "period", "body_code", "body_type", "band_d", "requirement",
                                       "tax_base"]).assign(tax_base=lambda f: f["tax_base"].round(1))


def _regional_spend(geo, residents, rng) -> pd.DataFrame:
    """Central government's identifiable spending per head by region and function, and the country's."""
    regions = geo.districts.groupby("region_code")["code"].apply(list)
    country = geo.areas.loc[geo.areas["layer"] == "country", "code"].iloc[0]
    rows = []
    for function, by_period in cal.REGIONAL_PER_HEAD.items():
        level = {region: np.exp(cal.REGIONAL_SPREAD[function] * rng.normal()) for region in regions.index}
        for period, england in by_period.items():
            year = min(financial_year(period), max(residents.columns))
            spend = {r: england * level[r] * residents.loc[codes, year].sum() / 1e6 for r, codes in regions.items()}
            people = {r: residents.loc[codes, year].sum() for r, codes in regions.items()}
            for region in regions.index:
                rows.append((region, period, function, round(spend[region], 1), round(spend[region] * 1e6 / people[region], 0)))
            total = sum(spend.values())
            rows.append((country, period, function, round(total, 1), round(total * 1e6 / sum(people.values()), 0)))
    return pd.DataFrame(rows, columns=["region_code", "period", "function", "spend_million", "per_head"])


def build_spending(geo: SyntheticGeography, population: pd.DataFrame, rng: np.random.Generator,
                   periods: Sequence[str] = SPEND_PERIODS) -> dict[str, pd.DataFrame]:
    """The five public-money tables of the contract for the synthetic country.

    Parameters
    ----------
    geo : SyntheticGeography
        The country (districts with county, region and deprivation; lookups to police forces and
        health areas).
    population : DataFrame
        The ``population`` table (small areas by year; the years of :data:`SPEND_PERIODS` must be in it).
    rng : numpy.random.Generator
        The ``spending`` component's own generator.
    periods : sequence of str
        Only :data:`SPEND_PERIODS` is supported (the argument documents what is built).

    Returns
    -------
    dict of str to DataFrame
        ``spend_bodies``, ``spend_body_areas``, ``spend`` (£ thousand), ``council_tax`` (Band D £,
        requirement £ thousand, tax base in Band D equivalents) and ``regional_spend`` (£ million, £
        per head), each with ``source`` and ``vintage`` "synthetic".
    """
    residents = _district_residents(geo, population)
    bodies, areas = _bodies(geo, population)
    relative = _deprivation(geo, areas, residents.iloc[:, -1])
    spend = _spend(bodies, areas, residents, relative, rng)
    missing = _missing_returns(bodies)
    body_rows, area_rows = [], []
    for period in periods:
        live = bodies.loc[bodies["first_period"].map(periods.index) <= periods.index(period)]
        for body in live.itertuples(index=False):
            absent = (body.body_code, period) in missing
            body_rows.append((body.body_code, period, financial_year(period), body.body_name, body.body_type,
                              not absent, MISSING_RETURN_NOTE if absent else None))
        served = areas.loc[areas["body_code"].isin(live["body_code"])]
        area_rows.append(served.assign(period=period))
    spend = spend.loc[[(b, p) not in missing for b, p in zip(spend["body_code"], spend["period"])]]
    provenance = {"source": SOURCE, "vintage": VINTAGE}
    return {
        "spend_bodies": pd.DataFrame(body_rows, columns=["body_code", "period", "year", "body_name", "body_type",
                                                         "returned", "note"]).assign(**provenance),
        "spend_body_areas": pd.concat(area_rows, ignore_index=True)[["body_code", "period", "district_code", "share"]]
        .assign(**provenance),
        "spend": spend.assign(year=spend["period"].map(financial_year))[
            ["body_code", "period", "year", "service", "gross", "income", "net"]].reset_index(drop=True).assign(**provenance),
        "council_tax": _council_tax(geo, bodies, areas, residents, rng)
        .assign(year=lambda f: f["period"].map(financial_year), **provenance),
        "regional_spend": _regional_spend(geo, residents, rng)
        .assign(year=lambda f: f["period"].map(financial_year), **provenance),
    }
