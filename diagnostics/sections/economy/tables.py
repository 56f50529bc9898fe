"""The economy page's tables: the headline economy, jobs and location quotients, shift-share and the
productivity gap by industry.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's table, or a
notice when the data cannot support it (:mod:`diagnostics.sections.economy.notices`).
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import format_change, format_value
from diagnostics.render.tables import headline_html, html_table
from diagnostics.sections.economy.analysis import (
    available_headline,
    headline,
    industry_comparison,
    place_productivity_gap,
    place_shift_share,
    place_structure,
)
from diagnostics.sections.economy.business_analysis import uses_business_counts
from diagnostics.sections.economy.business_tables import business_shift_share_table, business_structure_table
from diagnostics.sections.economy.narrative import headline_note, rule_text
from diagnostics.sections.economy.notices import missing_headline, missing_industry
from diagnostics.sections.session import Session

__all__ = ["headline_table", "structure_table", "shift_share_table", "productivity_table"]


def _industry_names(body: pd.DataFrame) -> list[str]:
    """Each row's industry as "Name (section)"; the Total row by its name alone."""
    return [f"{n} ({s})" if s != "Total" else n for n, s in zip(body["name"], body["sic_section"])]


def _largest_first(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The sector rows by the size of ``column``, largest first, then the Total row."""
    body = table.iloc[:-1].assign(size=lambda t: t[column].abs()).sort_values("size", ascending=False)
    return pd.concat([body, table.iloc[[-1]]])


def _changes(values) -> list[str]:
    return [format_change(v, "", 0) for v in values]


def headline_table(dx: Session):
    """The headline economy: each measure's value and interval, region, country, comparators, comparison, trend."""
    if available_headline(dx).empty:
        return missing_headline(dx)
    note = headline_note(dx)
    return as_html(
        synthetic_banner(dx)
        + headline_html(
            headline(dx), dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
            dx.name_of(dx.country_code), dx.comparator_method,
        )
        + (f"<p class='pd-economy-note'>{html.escape(note)}</p>" if note else "")
    )


def structure_table(dx: Session):
    """Jobs by SIC section, shares of the place's and the country's jobs, location quotients and the call-outs
    (on a store with business counts but no jobs by industry, :func:`business_structure_table`)."""
    if uses_business_counts(dx):
        return business_structure_table(dx)
    if (shown := missing_industry(dx)) is not None:
        return shown
    industry = industry_comparison(dx)
    table = place_structure(dx).sort_values("employment", ascending=False)
    year = industry.latest_year
    country = dx.name_of(dx.country_code)
    frame = pd.DataFrame(
        {
            "Section": table["sic_section"],
            "Industry": table["name"],
            "Jobs": [format_value(v, "", 0) for v in table["employment"]],
            "Share of jobs": [format_value(v, "%", 1) for v in table["share"]],
            f"Share in {country}": [format_value(v, "%", 1) for v in table["national_share"]],
            "Location quotient": [format_value(v, "", 2) for v in table["lq"]],
            "Call-out": table["specialisation"].str.capitalize(),
        }
    )
    caption = f"{dx.place.name}, {year}: {industry.place.method}. {rule_text()}"
    return as_html(html_table(frame, caption) + source_line(industry.source, str(year)))


def shift_share_table(dx: Session, start_year=None, end_year=None):
    """The shift-share components by SIC section and in total (they sum exactly to the change in jobs); on a
    store with business counts but no jobs by industry, of local units (:func:`business_shift_share_table`)."""
    if uses_business_counts(dx):
        return business_shift_share_table(dx, start_year, end_year)
    result = place_shift_share(dx, start_year, end_year)
    if (shown := missing_industry(dx)) is not None:
        return shown
    if result.table is None:
        return notice(result.problem, title="Shift-share not available")
    table = result.table
    start, end = int(table["start_year"].iloc[0]), int(table["end_year"].iloc[0])
    body = _largest_first(table, "change")
    frame = pd.DataFrame(
        {
            "Industry": _industry_names(body),
            f"Jobs {start}": [format_value(v, "", 0) for v in body["start_employment"]],
            f"Jobs {end}": [format_value(v, "", 0) for v in body["end_employment"]],
            "Change": _changes(body["change"]),
            "National growth": _changes(body["national_growth"]),
            "Industry mix": _changes(body["industry_mix"]),
            "Local effect": _changes(body["local_effect"]),
            "Growth here": [format_change(v, "%", 1) if pd.notna(v) else "new" for v in body["local_growth_pct"]],
            "Sector's national growth": [format_change(v, "%", 1) for v in body["national_sector_growth_pct"]],
        }
    )
    growth = table["national_growth_pct"].iloc[0]
    caption = (
        f"National growth: the jobs the place would have gained had every sector grown as all jobs in "
        f"{dx.name_of(dx.country_code)} did ({format_change(growth, '%', 1)}). Industry mix: the extra from its sectors "
        "growing faster or slower nationally than jobs overall. Local effect: the rest, how its sectors did "
        "against the same sectors nationally. The three sum to the change. Rounded to whole jobs."
    )
    return as_html(html_table(frame, caption) + source_line(industry_comparison(dx).source, f"{start} to {end}"))


def productivity_table(dx: Session):
    """Each sector's share and GVA per job here and in the country, and its part of the productivity gap."""
    if (shown := missing_industry(dx)) is not None:
        return shown
    gap = place_productivity_gap(dx)
    if gap.table is None:
        return notice(f"No productivity gap for {dx.place.name}: {gap.problem}", title="Productivity gap not available")
    table = gap.table
    year = int(table["year"].iloc[0])
    body = _largest_first(table, "gap")
    country = dx.name_of(dx.country_code)
    frame = pd.DataFrame(
        {
            "Industry": _industry_names(body),
            "Share of jobs": [format_value(v, "%", 1) for v in body["share"]],
            f"Share in {country}": [format_value(v, "%", 1) for v in body["national_share"]],
            "GVA per job": [format_value(v, "£", 0) for v in body["gva_per_job"]],
            f"GVA per job in {country}": [format_value(v, "£", 0) for v in body["national_gva_per_job"]],
            "Industry mix (£/job)": _changes(body["mix"]),
            "Within industry (£/job)": _changes(body["within"]),
            "Contribution to gap (£/job)": _changes(body["gap"]),
        }
    )
    caption = (
        "Industry mix: (share here - national share) x national GVA per job in the sector. Within industry: "
        "share here x (GVA per job here - national GVA per job in the sector). Summed over sectors they give "
        "the gap exactly. A large within-industry part means the same sectors produce less (or more) per job "
        "here; a large mix part means the place has more of high- (or low-) value sectors."
    )
    return as_html(html_table(frame, caption) + source_line(industry_comparison(dx).source, str(year)))
