"""The economy page's tables from business counts, shown in place of the jobs tables on a store that
has business counts but no jobs by industry (real England): location quotients of local units and
enterprises with the size profile, and the shift-share of local units.

Every table says plainly that these are counts of businesses, not jobs, and carries its
"Computed:" line (inputs and vintage).
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import format_change, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.economy.business_analysis import (
    business_comparison,
    place_business_shift_share,
    place_business_structure,
    place_size_profile,
)
from diagnostics.sections.economy.narrative import rule_text
from diagnostics.sections.session import Session

__all__ = ["NOT_JOBS", "business_structure_table", "business_shift_share_table"]

#: The sentence every business-count view starts with.
NOT_JOBS = ("These are counts of businesses, not jobs: a local unit is a workplace (a shop, office or factory), an "
            "enterprise the business that owns one or more; a large employer counts once.")


def _note(text: str) -> str:
    return f"<p class='pd-economy-note'><strong>{html.escape(text)}</strong></p>"


def _size_table(dx: Session) -> str:
    profile = place_size_profile(dx)
    classes = [c for c in profile.columns if c not in ("area", "role", "total")]
    frame = pd.DataFrame({"Area": profile["area"]})
    for size in classes:
        frame[size.capitalize()] = [format_value(v, "%", 1) for v in profile[size]]
    frame["Enterprises"] = [format_value(v, "", 0) if r != "comparators" else "" for v, r in zip(profile["total"], profile["role"])]
    year = business_comparison(dx).latest_year
    caption = (f"Size profile of enterprises by employment, March {year}: micro 0-9, small 10-49, medium 50-249, large 250+ "
               "employees. Counts of the whole business register, not a sample, so no confidence interval; ONS rounds "
               "each count to 5, which moves small shares a little.")
    return html_table(frame, caption)


def business_structure_table(dx: Session):
    """Local units and enterprises by broad industry group: shares, location quotients, call-outs, then
    the size profile against region, country and comparators."""
    b = business_comparison(dx)
    if b.problem:
        return notice(b.problem, title="Business counts not available")
    table = place_business_structure(dx).sort_values("local_units", ascending=False)
    country = dx.name_of(dx.country_code)
    frame = pd.DataFrame({
        "SIC divisions": table["group"],
        "Industry group": table["name"],
        "Local units": [format_value(v, "", 0) for v in table["local_units"]],
        "Share of local units": [format_value(v, "%", 1) for v in table["share"]],
        f"Share in {country}": [format_value(v, "%", 1) for v in table["national_share"]],
        "LQ (local units)": [format_value(v, "", 2) for v in table["lq"]],
        "Enterprises": [format_value(v, "", 0) for v in table["enterprises"]],
        "LQ (enterprises)": [format_value(v, "", 2) for v in table["lq_enterprises"]],
        "Call-out": table["specialisation"].str.capitalize(),
    })
    year = b.latest_year
    caption = (f"{dx.place.name}, March {year}: {b.place.method}. Location quotient = the group's share of the place's "
               f"businesses over its share of {country}'s. {rule_text('local units')}")
    return as_html(synthetic_banner(dx) + _note(NOT_JOBS) + html_table(frame, caption) + _size_table(dx)
                   + source_line(b.computed, f"March {year}"))


def business_shift_share_table(dx: Session, start_year=None, end_year=None):
    """The shift-share of local units by broad industry group and in total (the parts sum to the change)."""
    result = place_business_shift_share(dx, start_year, end_year)
    if result.table is None:
        return notice(result.problem, title="Shift-share not available")
    table = result.table
    start, end = int(table["start_year"].iloc[0]), int(table["end_year"].iloc[0])
    body = table.iloc[:-1].assign(size=lambda t: t["change"].abs()).sort_values("size", ascending=False)
    body = pd.concat([body, table.iloc[[-1]]])
    change = [format_change(v, "", 0) for v in body["change"]]
    frame = pd.DataFrame({
        "Industry group": [n if s == "Total" else f"{n} ({s})" for n, s in zip(body["name"], body["sic_section"])],
        f"Local units {start}": [format_value(v, "", 0) for v in body["start_employment"]],
        f"Local units {end}": [format_value(v, "", 0) for v in body["end_employment"]],
        "Change": change,
        "National growth": [format_change(v, "", 0) for v in body["national_growth"]],
        "Industry mix": [format_change(v, "", 0) for v in body["industry_mix"]],
        "Local effect": [format_change(v, "", 0) for v in body["local_effect"]],
        "Growth here": [format_change(v, "%", 1) if pd.notna(v) else "new" for v in body["local_growth_pct"]],
        "Group's national growth": [format_change(v, "%", 1) for v in body["national_sector_growth_pct"]],
    })
    growth = table["national_growth_pct"].iloc[0]
    caption = (f"Shift-share of local units (workplaces), March {start} to March {end}. National growth: the local units "
               f"the place would have gained had every group grown as all of {dx.name_of(dx.country_code)}'s did "
               f"({format_change(growth, '%', 1)}); industry mix: the extra from its groups growing faster or slower "
               "nationally; local effect: the rest. The three sum to the change. A change in local units is not a "
               "change in jobs.")
    return as_html(_note(NOT_JOBS) + html_table(frame, caption)
                   + source_line(business_comparison(dx).computed, f"March {start} to March {end}"))
