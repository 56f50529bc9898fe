"""The growth page's tables: growth firms at a glance, the sectors they are in, and their hot spots.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's HTML, built from
the section's results (:mod:`diagnostics.sections.growth.analysis`); numbers are written by
:mod:`diagnostics.render.numbers`.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import format_interval, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.growth.analysis import (
    growth_page,
    place_hot_spots,
    place_sectors,
    register_problem,
    register_source,
)
from diagnostics.sections.growth.notices import guarded
from diagnostics.sections.growth.published import published_headline_table
from diagnostics.sections.growth.rates import MEASURES
from diagnostics.sections.growth.sectors import section_name
from diagnostics.sections.session import Session

__all__ = ["growth_headline_table", "sectors", "hot_spots"]


def growth_headline_table(dx: Session):
    """High-growth firms, gazelles and scale-ups in the latest window: the place, its region, its
    country and its comparators, with 95% intervals.

    Without a firm register: the one notice saying what the firm-level analysis needs and how to
    add a register, then the published high-growth share
    (:func:`~diagnostics.sections.growth.headline.published_growth`) where the store has it.
    """
    reason = register_problem(dx)
    if reason:
        return published_headline_table(dx, reason)
    return _register_headline_table(dx)


def _rate_cell(r: pd.Series) -> str:
    """One area's count and rates of a measure: "3: 3,000 (1,078 to 6,032) per 10,000 10+; ..."."""
    return (f"{int(r['count']):,}: {format_value(r['per_10k_10plus'], '', 0)} "
            f"{format_interval(r['per_10k_10plus_lower'], r['per_10k_10plus_upper'], '', 0)}"
            f" per 10,000 10+; {format_value(r['per_10k_businesses'], '', 1)} per 10,000 businesses")


@guarded
def _register_headline_table(dx: Session):
    """High-growth firms, gazelles and scale-ups in the latest window from the firm register."""
    page = growth_page(dx)
    now = page.rates.loc[page.rates["year"] == page.latest]
    roles = [(dx.place.code, dx.place.name)]
    if dx.region_code:
        roles.append((dx.region_code, dx.name_of(dx.region_code)))
    if dx.country_code:
        roles.append((dx.country_code, dx.name_of(dx.country_code)))
    rows = []
    for measure, label in MEASURES.items():
        m = now.loc[now["measure"] == measure].set_index("area_code")
        row = {"Measure": label}
        for code, name in roles:
            if code in m.index:
                row[name] = _rate_cell(m.loc[code])
        comps = m["per_10k_10plus"].reindex(dx.comparator_codes).dropna()
        row["Comparators (median, range)"] = (
            f"{format_value(comps.median(), '', 0)} ({format_value(comps.min(), '', 0)} to "
            f"{format_value(comps.max(), '', 0)}) per 10,000 10+" if len(comps) else "–")
        rows.append(row)
    base = now.loc[(now["area_code"] == dx.place.code)].iloc[0] if (now["area_code"] == dx.place.code).any() else None
    extra = (f" {dx.place.name} had {int(base['businesses']):,} active businesses in {page.latest}, "
             f"{int(base['businesses_10plus']):,} of them with 10+ employees." if base is not None else "")
    caption = (f"Growth firms in the window {page.period()}: count, then rate per 10,000 active firms with 10+ "
               f"employees (95% Wilson interval) and per 10,000 active businesses. Definition: {page.definition.label}."
               + extra + f" Comparators: {dx.comparator_method}.")
    return as_html(synthetic_banner(dx) + html_table(pd.DataFrame(rows), caption)
                   + source_line(register_source(dx.store), page.period()))


@guarded
def sectors(dx: Session):
    """The sectors of the place's high-growth firms (recent windows pooled), against the country."""
    years = growth_page(dx).recent_years
    table = place_sectors(dx)
    if table.empty or table["high_growth"].sum() == 0:
        return notice(f"No firm in {dx.place.name} was high-growth in windows ending {years[0]} to {years[-1]}.",
                      title="Sectors")
    shown = pd.DataFrame({
        "Sector": [f"{s} {section_name(s)}" for s in table["section"]],
        "High-growth firm-windows": table["high_growth"],
        "Share of the place's (%)": table["share"].round(1),
        "Rate per 10,000 10+ (95% CI)": [f"{format_value(v, '', 0)} {format_interval(lo, hi, '', 0)}" for v, lo, hi in
                                         zip(table["rate"], table["rate_lower"], table["rate_upper"])],
        f"{dx.name_of(dx.country_code) if dx.country_code else 'All'} rate per 10,000 10+": table["country_rate"].round(0),
        "Firm-years with 10+ employees": table["businesses_10plus"],
    })
    caption = (f"High-growth firms (employment) of {dx.place.name} by SIC 2007 section, windows ending {years[0]} to "
               f"{years[-1]} pooled (a firm counts once per window). The rate's interval is Wilson's; a sector whose "
               "interval is wide has few firms.")
    return as_html(synthetic_banner(dx) + html_table(shown, caption)
                   + source_line(register_source(dx.store), f"windows ending {years[0]}-{years[-1]}"))


@guarded
def hot_spots(dx: Session):
    """Statistically significant hot spots of growth firms (Getis-Ord Gi*), listed by neighbourhood."""
    result = place_hot_spots(dx)
    if result.spots is None:
        return notice(f"Hot spots cannot be tested here: {result.problem}", title="Hot spots")
    spots = result.spots
    years = growth_page(dx).recent_years
    inside = spots.loc[spots["in_place"]]
    hot = inside.loc[inside["spot"] == "hot"]
    cold = inside.loc[inside["spot"] == "cold"]
    method = (f"Local Getis-Ord Gi* of growth firms per small area (high-growth by employment or turnover in windows "
              f"ending {years[0]}-{years[-1]}) across the {len(spots):,} small areas of {result.study_area}, binary "
              "queen-contiguity weights including each area itself, 999 conditional permutations (fixed seed), p < 0.05 "
              "with no correction for multiple testing: about 1 in 20 areas of a random pattern would be flagged.")
    if hot.empty:
        body = f"<p>No small area of {html.escape(dx.place.name)} is a significant hot spot of growth firms.</p>"
    else:
        grouped = hot.groupby("neighbourhood").agg(
            areas=("code", "size"), firms=("value", "sum"), names=("name", lambda s: ", ".join(sorted(s))),
            strongest=("gi_z", "max")).reset_index().sort_values(["firms", "strongest"], ascending=False)
        shown = pd.DataFrame({"Neighbourhood": grouped["neighbourhood"], "Hot small areas": grouped["areas"],
                              "Growth firms in them": grouped["firms"].astype(int), "Small areas": grouped["names"],
                              "Largest Gi* z": grouped["strongest"].round(2)})
        body = html_table(shown, f"Hot spots of growth firms in {dx.place.name}, by neighbourhood.")
    body += (f"<p>{len(hot)} hot and {len(cold)} cold small area(s) of {len(inside)} in {html.escape(dx.place.name)}.</p>")
    return as_html(synthetic_banner(dx) + body + f"<p class='pd-growth-note'>{html.escape(method)}</p>"
                   + source_line(register_source(dx.store), f"windows ending {years[0]}-{years[-1]}"))
