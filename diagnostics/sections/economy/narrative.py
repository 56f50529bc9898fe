"""The economy page's sentences: findings tied to the figures that back them, and the notes on the data.

Text only (no HTML): the page (:mod:`diagnostics.sections.economy.page`) escapes and lays them out.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.render.html import interval_note
from diagnostics.render.numbers import format_change, format_share, format_value
from diagnostics.sections.economy.analysis import (
    available_headline,
    industry_comparison,
    place_productivity_gap,
    place_shift_share,
    place_structure,
)
from diagnostics.sections.economy.business_analysis import (
    business_comparison,
    place_business_shift_share,
    place_business_structure,
    place_size_profile,
    uses_business_counts,
)
from diagnostics.sections.economy.structure import (
    MIN_SPECIALISATION_SHARE,
    SPECIALISATION_LQ,
    STRONG_SPECIALISATION_LQ,
    UNDER_REPRESENTED_LQ,
)
from diagnostics.sections.economy.years import year_span
from diagnostics.sections.finding import Finding
from diagnostics.sections.session import Session

__all__ = [
    "PRODUCTIVITY_FINDINGS",
    "economy_findings",
    "headline_sentence",
    "headline_note",
    "rule_text",
    "data_notes_sentences",
]

#: The measures of productivity that each get a sentence of their own among the findings, in order.
PRODUCTIVITY_FINDINGS = ("gva_per_head", "gdp_per_head", "gva_per_hour", "gva_per_job")


def rule_text(counted: str = "jobs") -> str:
    """The rule that calls a sector a specialisation or under-represented (``counted``: what the shares are of)."""
    return (
        f"Specialisation: location quotient (LQ) at least {SPECIALISATION_LQ:g} (strong at "
        f"{STRONG_SPECIALISATION_LQ:g}); under-represented: LQ at most {UNDER_REPRESENTED_LQ:g}; "
        f"either only for sectors with at least {format_share(MIN_SPECIALISATION_SHARE)} of the place's {counted}."
    )


def headline_sentence(row, country: str) -> str:
    """One headline measure (a benchmark row) against the country's, with its comparison and trend."""
    unit = row["unit"] if row["unit"] in ("£", "%") else ""
    value = format_value(row["value"], unit, int(row["decimals"]))
    longer_unit = "" if row["unit"] in ("£", "%", "") else f" {row['unit']}"
    national = format_value(row["country_value"], unit, int(row["decimals"]))
    text = f"{row['name']}: {value}{longer_unit} in {row['period']} against {national} in {country}"
    if row["vs_country"] in ("better", "worse"):
        text += f", significantly {row['vs_country']}"
    elif row["vs_country"] == "similar":
        text += ", not significantly different"
    elif pd.notna(row["country_value"]) and row["country_value"]:
        text += f" ({format_change(100 * (row['value'] / row['country_value'] - 1), '%', 1)}; a published figure without an interval)"
    if row["indicator_id"] == "gdp_per_head":
        text += " (output where people work divided by the people who live there: high where many commute in)"
    return text + (f"; recent trend: {row['trend']}" if row["trend"] else "") + "."


def _industry_findings(dx: Session, start_year, end_year) -> list[Finding]:
    found: list[Finding] = []
    structure = place_structure(dx)
    special = structure.loc[structure["specialisation"].str.contains("specialisation")].sort_values("lq", ascending=False)
    if not special.empty:
        listed = "; ".join(f"{n.lower()} (LQ {format_value(q, '', 2)}, {format_value(s, '%', 1)} of jobs)"
                           for n, q, s in special[["name", "lq", "share"]].itertuples(index=False))
        found.append(Finding(
            f"{dx.place.name} specialises in {listed} (rule: LQ at least {SPECIALISATION_LQ:g} with at least "
            f"{format_share(MIN_SPECIALISATION_SHARE)} of jobs).",
            ("Industrial structure",),
        ))
    shift = place_shift_share(dx, start_year, end_year).table
    if shift is not None:
        t = shift.iloc[-1]
        found.append(_shift_share_finding(t, "Jobs", ""))
    gap = place_productivity_gap(dx).table
    if gap is not None:
        t = gap.iloc[-1]
        main = "its mix of industries" if abs(t["mix"]) >= abs(t["within"]) else "productivity within its industries"
        found.append(Finding(
            f"GVA per job differs from {dx.name_of(dx.country_code)}'s by {format_change(t['gap'], '£', 0)} ({t['year']}): "
            f"{format_change(t['mix'], '£', 0)} from the industry mix and {format_change(t['within'], '£', 0)} within "
            f"industries; the larger part is {main}.",
            ("Productivity gap",),
        ))
    return found


def _business_findings(dx: Session, start_year, end_year) -> list[Finding]:
    """Findings from business counts (not jobs), on a store without jobs by industry."""
    found: list[Finding] = []
    b = business_comparison(dx)
    structure = place_business_structure(dx)
    special = structure.loc[structure["specialisation"].str.contains("specialisation")].sort_values("lq", ascending=False)
    if not special.empty:
        listed = "; ".join(f"{n.lower()} (LQ {format_value(q, '', 2)}, {format_value(s, '%', 1)} of local units)"
                           for n, q, s in special[["name", "lq", "share"]].itertuples(index=False))
        found.append(Finding(
            f"By business counts (not jobs), March {b.latest_year}, {dx.place.name} has more of its workplaces than "
            f"{dx.name_of(dx.country_code)} in {listed}.",
            ("Industrial structure",),
        ))
    profile = place_size_profile(dx).set_index("role")
    if {"place", "country"} <= set(profile.index):
        small = [c for c in profile.columns if c.startswith("micro")][0]
        found.append(Finding(
            f"{format_value(profile.loc['place', small], '%', 1)} of {dx.place.name}'s enterprises are micro (0-9 employees) "
            f"against {format_value(profile.loc['country', small], '%', 1)} in {dx.name_of(dx.country_code)} (March {b.latest_year}).",
            ("Location quotients by industry",),
        ))
    shift = place_business_shift_share(dx, start_year, end_year).table
    if shift is not None:
        t = shift.iloc[-1]
        found.append(_shift_share_finding(t, "Local units (workplaces, not jobs)", "March "))
    return found


def economy_findings(dx: Session, start_year=None, end_year=None) -> list[Finding]:
    """The page's plain-English findings, each with the heading of the chart on the page that backs it."""
    found: list[Finding] = []
    country = dx.name_of(dx.country_code)
    ok = available_headline(dx)
    if dx.country_code:
        for indicator_id in PRODUCTIVITY_FINDINGS:
            row = ok.loc[ok["indicator_id"] == indicator_id]
            if not row.empty:
                found.append(Finding(headline_sentence(row.iloc[0], country), ("How the place compares",)))
        for label in ("better", "worse"):
            names = ok.loc[ok["vs_country"] == label, "name"].tolist()
            if names:
                found.append(Finding(f"Significantly {label} than {country} (95% intervals): {', '.join(names)}.",
                                     ("How the place compares",)))
    moving = ok.loc[ok["trend"].astype(str).str.contains("getting"), ["name", "trend"]]
    if not moving.empty:
        listed = "; ".join(f"{n} {t}" for n, t in moving.itertuples(index=False))
        found.append(Finding(f"Recent trends (last five periods): {listed}.", ("Trends",)))
    if not industry_comparison(dx).problem:
        found += _industry_findings(dx, start_year, end_year)
    elif uses_business_counts(dx):
        found += _business_findings(dx, start_year, end_year)
    return found


def headline_note(dx: Session) -> str:
    """Which figures are published without an interval (compared by size only), and units worth spelling out."""
    ok = available_headline(dx)
    bare = ok.loc[ok["lower_ci"].isna(), "name"].tolist()
    parts = []
    if bare:
        parts.append(f"Published without a confidence interval, so compared by size only (see the next chart): "
                     f"{', '.join(bare)}.")
    ids = set(ok["indicator_id"])
    if ids & {"business_birth_rate", "business_death_rate", "business_survival_3yr"}:
        parts.append("Survival, births and deaths are per 100 enterprises.")
    if "business_density" in ids:
        parts.append("Density is per 10,000 adults.")
    if not dx.store.is_synthetic:
        parts.append("Every figure here is ready-made (published by ONS through Explore Local Statistics), with its "
                     "published 95% interval where there is one.")
    return " ".join(parts)


def data_notes_sentences(dx: Session) -> list[str]:
    """Where the figures come from and how they are made: sources, periods, methods and rules."""
    industry = industry_comparison(dx)
    own, nation = industry.place, industry.nation
    notes = []
    ok = available_headline(dx)
    if not ok.empty:
        notes.append(f"Headline indicators: {', '.join(sorted(set(ok['source'].astype(str))))}; latest periods "
                     f"{year_span(ok['period'].astype(str).unique())}. {interval_note(dx.store)}")
    if own.available:
        notes.append(f"Industry figures for {dx.place.name}: {own.method}, {year_span(own.years)}; source {own.source}, "
                     f"vintage {own.vintage}.")
        if own.incomplete_years:
            notes.append(f"Years left out because some of its areas lack industry rows: {', '.join(map(str, own.incomplete_years))}.")
    if nation is not None and nation.available:
        notes.append(f"{dx.name_of(dx.country_code)}: {nation.method}, {year_span(nation.years)}.")
        if nation.incomplete_years:
            notes.append(f"National years left out (incomplete): {', '.join(map(str, nation.incomplete_years))}.")
    if industry.problem:
        notes.append(industry.problem)
    if uses_business_counts(dx):
        b = business_comparison(dx)
        notes.append(f"Industrial structure, size profile and shift-share above: {b.computed}. Location quotients of local "
                     "units and of enterprises by ONS's 17 broad industry groups (groups of SIC 2007 divisions, not "
                     "sections); size classes by employment; shift-share (Dunn 1960) of local units between snapshots. "
                     "Districts that later merged are summed into their successor.")
        if b.place.incomplete_years:
            notes.append(f"Snapshots left out because some of its districts lack counts: {', '.join(map(str, b.place.incomplete_years))}.")
    if own.available:
        notes += [
            rule_text(),
            "Shift-share: Dunn (1960), standard formulation; the local effect is the remainder, so the three parts sum "
            "exactly to the change in jobs. Jobs counts from one year to another move with sampling and reclassification: "
            "read small sectors' figures with care.",
            "Productivity gap: GVA per job = workplace GVA (£ million, current prices) / workplace jobs; the gap to the "
            "country splits exactly into industry mix (structure valued at national sector productivity) and within "
            "industries (the place's sector productivity gaps weighted by its own structure).",
        ]
    return notes


def _shift_share_finding(total, what: str, when: str) -> Finding:
    """The finding of a shift-share's total row: ``what`` changed by how much, split into its three effects
    (``when`` prefixes the years: "March " for business-count snapshots)."""
    return Finding(
        f"{what} changed by {format_change(total['change'], '', 0)} ({format_change(total['local_growth_pct'], '%', 1)}) "
        f"from {when}{int(total['start_year'])} to {when}{int(total['end_year'])}: national growth alone would have "
        f"given {format_change(total['national_growth'], '', 0)}, its mix of industries "
        f"{format_change(total['industry_mix'], '', 0)}, and local performance {format_change(total['local_effect'], '', 0)}.",
        ("Shift-share: national growth, industry mix and local effect",),
    )
