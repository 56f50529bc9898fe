"""Which current districts each spending body's area is made of, per financial year
(the ``spend_body_areas`` table), from the files of the import alone.

- A council covers itself. A council of a past year that has since been re-coded (Barnsley
  E08000016 -> E08000038) covers its successor wholly; one that has since merged (Allerdale into
  Cumberland, 2023) covers the share of its successor's residents that lived in it.
- A shire county covers its districts, known by MHCLG's E-codes (a county ``E0520`` and its
  districts ``E0531``... share the first three characters; checked against ONS's hierarchy for the
  current counties), so the pre-2023 counties (Cumbria, North Yorkshire, Somerset) are placed too.
- The GLA covers the London boroughs; a combined authority its districts in ONS's current hierarchy.
- A police or fire body covers the billing authorities whose preceptor it is in the council tax
  Table 9's ``Precepting_Bodies`` sheet (the workbook of the same year, else the nearest), found by its
  place name (:func:`~diagnostics.sources.england.council_tax_table9.body_key`).
- National parks, waste authorities and the like: the files do not say their area; no rows.

Notes
-----
The share of a current district *d* in a body *b* is the fraction of *d*'s residents living in *b*:
:math:`s_{b,d} = \\sum_{o \\in b,\\ succ(o) = d} P_o / \\sum_{o:\\ succ(o) = d} P_o`, over the
districts *o* of the body's year, :math:`P_o` their residents (ONS mid-year estimates of the latest
year that has them). It is 1 whenever every predecessor of *d* lies in *b*, with or without estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from diagnostics.conventions import SPEND_BODY_TYPES
from diagnostics.sources.england.council_tax_table9 import body_key
from diagnostics.sources.england.district_codes import DistrictCodes

__all__ = ["BodyAreas", "locate_bodies", "match_preceptors", "COUNCIL_TYPES"]

#: Body types that are billing authorities (councils of districts).
COUNCIL_TYPES = ("district", "unitary", "metropolitan", "london_borough")
#: Table 9's preceptor roles -> the body types that may fill them.
_ROLE_TYPES = {"county": ("county", "gla"), "police": ("police",), "fire": ("fire",), "combined authorities": ("combined_authority",)}


@dataclass
class BodyAreas:
    """The districts of each body, and what could not be placed (one sentence each, for the report)."""

    rows: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)


def match_preceptors(preceptors: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Table 9's preceptor names matched to spending bodies by place name.

    Parameters
    ----------
    preceptors : DataFrame
        billing_code, role, preceptor_name (from :func:`~diagnostics.sources.england.council_tax_table9.read_table9`).
    candidates : DataFrame
        body_code, body_name, body_type of the bodies of the year.

    Returns
    -------
    (DataFrame, list of str)
        The preceptors with ``body_code`` (unmatched ones dropped), and the names no body matched.
        A name matches the one body of its role whose place name equals its own, else the one whose place
        name begins with it ("Nottinghamshire Fire" -> "Nottinghamshire & City of Nottingham Fire Authority").
    """
    matched, unmatched = {}, []
    for (role, name), _ in preceptors.groupby(["role", "preceptor_name"]):
        pool = candidates.loc[candidates["body_type"].isin(_ROLE_TYPES[role])]
        keys = pool["body_name"].map(body_key)
        key = body_key(name)
        found = pool.loc[keys == key]
        if len(found) != 1:
            found = pool.loc[keys.str.startswith(key + " ")]
        if len(found) == 1:
            matched[(role, name)] = found["body_code"].iloc[0]
        else:
            unmatched.append(f"{name} ({role})")
    out = preceptors.assign(body_code=[matched.get((r, n)) for r, n in zip(preceptors["role"], preceptors["preceptor_name"])])
    return out.dropna(subset=["body_code"]), unmatched


def _shares(members: pd.Series, universe: set[str], codes: DistrictCodes, population: dict[str, float]) -> dict[str, float] | None:
    """Current district -> share of its residents in the union of old districts ``members``, or None when a
    share below 1 is needed and a population is missing."""
    out = {}
    for successor in {codes.successor(m) for m in members} - {None}:
        olds = [o for o in universe if codes.successor(o) == successor]
        inside = [o for o in olds if o in set(members)]
        if len(inside) == len(olds):
            out[successor] = 1.0
            continue
        if any(o not in population for o in olds):
            return None
        out[successor] = sum(population[o] for o in inside) / sum(population[o] for o in olds)
    return out


def locate_bodies(bodies: pd.DataFrame, codes: DistrictCodes, hierarchy: pd.DataFrame,
                  precepting: dict[str, pd.DataFrame], population: dict[str, float]) -> BodyAreas:
    """The current districts of every body of every year (see the module's notes for the method).

    Parameters
    ----------
    bodies : DataFrame
        body_code, period, body_name, body_type and e_code (MHCLG's E-code) of every spending body.
    codes : DistrictCodes
        The current districts and the ways to reach them from older codes.
    hierarchy : DataFrame
        Current districts: district_code, county_code, cauth_code, region_code.
    precepting : dict
        Period -> matched preceptors of that year's Table 9 (billing_code, role, body_code).
    population : dict
        District code (any year's) -> residents, for the shares of merged districts.

    Returns
    -------
    BodyAreas
        rows: body_code, period, district_code, share in (0, 1].
    """
    rows: list[dict] = []
    problems: dict[tuple[str, str], list[str]] = {}  # (body, what is wrong) -> the years it is wrong in
    renamed: dict[tuple[str, str], list[str]] = {}
    cauth = hierarchy.dropna(subset=["cauth_code"]).groupby("cauth_code")["district_code"].apply(list).to_dict()
    london = hierarchy.loc[hierarchy["region_code"] == "E12000007", "district_code"].tolist()
    years = sorted(precepting)
    for period, year_bodies in bodies.groupby("period"):
        councils = year_bodies.loc[year_bodies["body_type"].isin(COUNCIL_TYPES)]
        universe = set(councils["body_code"])
        nearest = min(years, key=lambda p: abs(int(p[:4]) - int(period[:4]))) if years else None
        served = precepting[nearest].groupby("body_code")["billing_code"].apply(list).to_dict() if nearest else {}
        for body in year_bodies.itertuples():
            kind, code = body.body_type, body.body_code
            if kind in COUNCIL_TYPES:
                members = [code]
            elif kind == "county":
                prefix = str(body.e_code)[:3]
                members = councils.loc[(councils["body_type"] == "district") & councils["e_code"].str.startswith(prefix), "body_code"].tolist()
            elif kind == "gla":
                members = london
            elif kind == "combined_authority":
                members = cauth.get(code, [])
            elif kind in ("police", "fire"):
                members = served.get(code, [])
            else:
                problems.setdefault((f"{body.body_name} ({code})", f"the files do not say which districts a "
                                     f"{SPEND_BODY_TYPES[kind].lower()} covers, so its spend is not attributed to any place.".replace(" a other", " an other")), []).append(period)
                continue
            if not members:
                problems.setdefault((f"{body.body_name} ({code})", "no district of its area could be found (not in ONS's "
                                     "hierarchy or Table 9's preceptors); its spend is not attributed to any place."), []).append(period)
                continue
            # councils and counties are made of the year's own councils; the others of current districts
            same_year = kind in COUNCIL_TYPES or kind == "county"
            shares = _shares(pd.Series(members), universe if same_year else set(members), codes, population)
            if shares is None:
                problems.setdefault((f"{body.body_name} ({code})", "its districts have since merged and no mid-year population "
                                     "estimate of the old districts was given; its spend is not attributed. Fix: add ONS's "
                                     "mid-year estimates of a year before the merger."), []).append(period)
                continue
            successor = codes.successor(code) if kind in COUNCIL_TYPES else code
            if successor not in (code, None):
                share = shares[successor]
                how = "re-coded as" if share == 1 else f"merged into (its residents are {share:.1%} of)"
                renamed.setdefault((f"{body.body_name} ({code})", f"{how} district {successor}, where its spend is "
                                    "attributed."), []).append(period)
            rows += [{"body_code": code, "period": period, "district_code": d, "share": s} for d, s in shares.items() if s > 0]
    columns = ["body_code", "period", "district_code", "share"]
    return BodyAreas(pd.DataFrame(rows, columns=columns), _sentences(problems), _sentences(renamed))


def _sentences(found: dict[tuple[str, str], list[str]]) -> list[str]:
    """One sentence per body and problem, naming the years: "Eden (E07000030), 2021-22 and 2022-23: ..."."""
    out = []
    for (body, what), periods in found.items():
        years = periods[0] if len(periods) == 1 else ", ".join(periods[:-1]) + f" and {periods[-1]}"
        out.append(f"{body}, {years}: {what}")
    return out
