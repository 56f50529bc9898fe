"""The public-money page's sentences: findings tied to the views that show their figures, and the notes.

Text only (no HTML): the page escapes and lays them out. Spending is described, never judged: a
service that costs more per resident than in similar places is "higher", not "worse" (polarity
neutral), so no finding here is a strength or a challenge.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from diagnostics.conventions import SPEND_BODY_TYPES, plural_label
from diagnostics.render.numbers import MISSING, format_change, format_share, format_value
from diagnostics.sections.finding import Finding
from diagnostics.sections.public_money.analysis import (
    per_head_comparison,
    place_spending,
    spending_over_years,
)
from diagnostics.sections.public_money.council_tax import place_council_tax
from diagnostics.sections.public_money.data import NO_DEFLATORS, deflator_index
from diagnostics.sections.session import Session

__all__ = ["HEADINGS", "STANDS_OUT", "millions", "per_resident", "service_words", "public_money_findings", "data_notes_sentences",
           "body_kind"]

#: The headings of the page's views, by key (the findings point at them).
HEADINGS = {
    "findings": "Findings",
    "bodies": "Who spends in the place",
    "chart": "Spending by body and service",
    "per_head": "Spending per resident against similar places",
    "years": "Spending over the years",
    "council_tax": "How it is paid for: council tax",
    "regional": "Central government's spending in the region",
    "notes": "About the data",
}

#: A service's spending per resident "stands out" when it is this many times the comparators' median
#: (or its inverse) or more.
STANDS_OUT = 1.2


def millions(thousands) -> str:
    """£ thousand as people read it in £ million: ``"£12.3 million"`` (a dash when missing)."""
    text = format_value(thousands / 1000 if thousands is not None else None, "£", 1)
    return text if text == MISSING else text + " million"


def per_resident(pounds) -> str:
    """£ per resident, whole pounds: ``"£1,234"``."""
    return format_value(pounds, "£", 0)


def service_words(label: str) -> str:
    """A service's label inside a sentence: lower case, but an acronym kept ("NHS (ICB allocation)")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def body_kind(body_type) -> str:
    """The label of a kind of body (:data:`diagnostics.conventions.SPEND_BODY_TYPES`)."""
    return SPEND_BODY_TYPES.get(body_type, str(body_type))


def _biggest_spenders(dx: Session, spending) -> Finding:
    latest = spending.bodies.loc[spending.bodies["period"] == spending.latest].dropna(subset=["net"])
    total = latest["net"].sum()
    top = latest.nlargest(3, "net")
    parts = [f"{row.body_name} ({millions(row.net)}, {format_share(row.net / total)})" for row in top.itertuples()]
    people = spending.residents[spending.latest]
    text = (f"In {spending.latest} {millions(total)} of public money was spent in {dx.place.name} (net, each body's "
            f"spending shared by residents), {per_resident(1000 * total / people)} per resident. The biggest "
            f"spenders were {', '.join(parts[:-1]) + ' and ' + parts[-1] if len(parts) > 1 else parts[0]}.")
    return Finding(text, (HEADINGS["bodies"], HEADINGS["chart"]))


def _stands_out(dx: Session, comparison: pd.DataFrame) -> Finding | None:
    rows = comparison.loc[(comparison["service"] != "total") & (comparison["n_comparators"] > 0)
                          & (comparison["comparators_median"] >= 1) & (comparison["place"] > 0)].copy()
    if rows.empty:
        return None
    rows["distance"] = np.abs(np.log(rows["ratio"].astype(float)))
    top = rows.loc[rows["distance"].idxmax()]
    layer = plural_label(dx.place.layer_label).lower()
    if top["distance"] < math.log(STANDS_OUT):
        total = comparison.loc[comparison["service"] == "total"].iloc[0]
        return Finding(
            f"No service's spending per resident in {dx.place.name} is {STANDS_OUT:g} times its comparators' median or "
            f"more (or as much below); in all it is {per_resident(total['place'])} against a median of "
            f"{per_resident(total['comparators_median'])}.", (HEADINGS["per_head"],))
    direction = "higher" if top["ratio"] > 1 else "lower"
    return Finding(
        f"Spending per resident on {service_words(top['label'])} stands out: {per_resident(top['place'])} in {top['period']}, "
        f"{direction} than the median of its {int(top['n_comparators'])} comparators ({per_resident(top['comparators_median'])}); "
        f"{int(top['rank'])} of {int(top['n_ranked'])} {layer}, highest first.", (HEADINGS["per_head"],))


def _changed_most(spending, years: pd.DataFrame) -> Finding | None:
    """The service whose spending per resident changed most between the first and last year, counting
    only bodies with spending in both (a missing return or a new body is not a change of spending)."""
    periods = sorted(years["period"].unique())
    if len(periods) < 2:
        return None
    first, last = periods[0], periods[-1]
    rows = spending.by_body.loc[spending.by_body["period"].isin([first, last])]
    both = rows.groupby("body_code")["period"].nunique()
    rows = rows.loc[rows["body_code"].isin(both.index[both == 2])]
    wide = rows.groupby(["service", "period"])["net"].sum().unstack("period").reindex(columns=[first, last]).dropna()
    if wide.empty:
        return None
    wide = 1000 * wide / spending.residents[[first, last]].to_numpy()
    change = wide[last] - wide[first]
    service = change.abs().idxmax()
    label = service_words(years.loc[years["service"] == service, "label"].iloc[0])
    before, after = wide.loc[service, first], wide.loc[service, last]
    text = (f"Between {first} and {last} spending per resident on {label} changed most: from {per_resident(before)} "
            f"to {per_resident(after)} ({format_change(change[service], '£', 0)}, "
            f"{format_change(100 * (after / before - 1), '%', 0) if before > 0 else 'new'}, cash terms)")
    real = years.pivot(index="service", columns="period", values="real_per_head")
    if real.reindex(columns=[first, last]).notna().all(axis=None):
        ratio = real.loc[service, last] / years.set_index(["service", "period"])["per_head"][service, last]
        deflate = real.loc[service, first] / years.set_index(["service", "period"])["per_head"][service, first]
        text += f"; in real terms {format_change(after * ratio - before * deflate, '£', 0)} at {last} prices"
    left_out = sorted(set(spending.by_body["body_name"]) - set(rows["body_name"]))
    if left_out:
        text += f" (counting only bodies with spending in both years, so not {', '.join(left_out)})"
    return Finding(text + ".", (HEADINGS["years"],))


def _council_tax_finding(dx: Session) -> Finding | None:
    tax = place_council_tax(dx)
    if tax.problem or tax.bills.empty:
        return None
    totals = tax.bills.loc[tax.bills["body_type"] == "total"]
    precepts = tax.bills.loc[tax.bills["body_type"] != "total"]
    if len(totals) == 1:
        biggest = precepts.loc[precepts["band_d"].idxmax()]
        whole = totals["band_d"].iloc[0]
        text = (f"A Band D home in {totals['billing_name'].iloc[0]} paid {format_value(whole, '£', 2)} of council tax in "
                f"{tax.period}, of which {format_value(biggest['band_d'], '£', 2)} ({format_share(biggest['band_d'] / whole)}) "
                f"went to {biggest['body_name']}.")
    else:
        low, high = totals.loc[totals["band_d"].idxmin()], totals.loc[totals["band_d"].idxmax()]
        text = (f"Band D bills in {dx.place.name}'s {len(totals)} billing areas ranged from {format_value(low['band_d'], '£', 2)} "
                f"({low['billing_name']}) to {format_value(high['band_d'], '£', 2)} ({high['billing_name']}) in {tax.period}.")
    if tax.period in tax.requirement_per_head.index:
        text += f" Council tax raised {per_resident(tax.requirement_per_head[tax.period])} per resident."
    return Finding(text, (HEADINGS["council_tax"],))


def public_money_findings(dx: Session) -> list[Finding]:
    """The page's findings: biggest spenders, what stands out against similar places, what changed most,
    the council tax bill, and each missing return; [] when the store has no spending for the place."""
    spending = place_spending(dx)
    if spending.problem:
        return []
    found = [_biggest_spenders(dx, spending)]
    comparison = per_head_comparison(dx)
    if not comparison.empty:
        found.append(_stands_out(dx, comparison))
    found.append(_changed_most(spending, spending_over_years(dx)))
    found.append(_council_tax_finding(dx))
    missing = spending.bodies.loc[~spending.bodies["returned"].astype(bool)]
    for row in missing.itertuples(index=False):
        found.append(Finding(f"{row.body_name} made no return for {row.period}: the place's total for {row.period} "
                             "leaves its spending out.", (HEADINGS["bodies"],)))
    return [f for f in found if f is not None]


def data_notes_sentences(dx: Session) -> list[str]:
    """Where the figures come from and how they are made (plain sentences)."""
    store = dx.store
    spending = place_spending(dx)
    if spending.problem:
        return [spending.problem[0].upper() + spending.problem[1:] + ("" if spending.problem.endswith(".") else ".")]
    spend = store.table("spend")
    sources = "; ".join(sorted(set(spend["source"].astype(str) + " (" + spend["vintage"].astype(str) + ")")))
    notes = [
        f"Spending: {sources}. Revenue spending in £ thousand by service area: gross expenditure, income, and net "
        "current expenditure (gross less income); an ICB's figure is its NHS England allocation.",
        "Each body's spending is shared among the places it serves by residents: a place gets the share of the "
        "body's residents who live in it (councils, police, fire and combined authorities cover whole districts; "
        "an ICB's share of a district it splits comes from the small-area lookups).",
        f"{format_share(spending.split_share)} of {dx.place.name}'s residents live in districts its boundary splits "
        f"(split share; 0% means the figures are exact, otherwise they assume each body's residents are spread evenly "
        f"over the district); the store knows a spending body for {format_share(spending.coverage)} of them (coverage).",
        "Per resident: the residents of the place in the year each financial year ends in.",
        "Real terms: in the prices of the latest year of HM Treasury's GDP deflators." if deflator_index(store) is not None
        else NO_DEFLATORS[0].upper() + NO_DEFLATORS[1:] + ".",
    ]
    if store.has_table("council_tax"):
        tax = store.table("council_tax")
        notes.append("Council tax: " + "; ".join(sorted(set(tax["source"].astype(str) + " (" + tax["vintage"].astype(str) + ")")))
                     + ". Band D in £ per Band D dwelling (two adults); requirement in £ thousand.")
    notes += list(spending.notes)
    return notes
