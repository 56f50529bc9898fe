"""The health section (``notebooks/40_health.ipynb``): its views, in page order, and its headline.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell
shows; :data:`VIEWS` lists them with their headings (the notebook and the app are generated from
it). The views live by kind: the findings and the methods here, the tables in
:mod:`~diagnostics.sections.health.page_tables`, the spine chart in
:mod:`~diagnostics.sections.health.spine`, the other charts and the map in
:mod:`~diagnostics.sections.health.page_figures`. The results they show are computed once per
place (:mod:`~diagnostics.sections.health.place_results`) by the section's analysis. Views never
raise for missing data: a store without deaths, a value PHE would withhold, a place with too few
small areas is each shown as a notice that says why.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.render.numbers import format_value
from diagnostics.sections.health.analysis import prevalence_indicator_ids
from diagnostics.sections.health.district_counts import district_inputs, still_missing, uses_district_counts
from diagnostics.sections.health.headline import HEADLINE_MEASURE_IDS, is_ready_made, ready_made_in_place_of
from diagnostics.sections.health.inequality import DECILE_BASIS
from diagnostics.sections.health.mortality import POOL_YEARS, mortality_unavailable_reason, pool_years
from diagnostics.sections.health.narrative import findings
from diagnostics.sections.health.page_figures import (
    deprivation_map_view,
    funnel_plots_view,
    inequality_view,
    small_area_map_view,
)
from diagnostics.sections.health.page_tables import (
    deprivation_view,
    headline_table_view,
    health_areas_view,
    similar_places_view,
)
from diagnostics.sections.health.place_results import (
    country_name,
    headline_table_of,
    inequality_of,
)
from diagnostics.sections.health.spine import spine_chart_view
from diagnostics.sections.session import Session
from diagnostics.stats.life_table import MIN_POPULATION

__all__ = [
    "VIEWS",
    "headline",
    "findings_view",
    "headline_table_view",
    "spine_chart_view",
    "funnel_plots_view",
    "inequality_view",
    "deprivation_view",
    "small_area_map_view",
    "deprivation_map_view",
    "similar_places_view",
    "health_areas_view",
    "methods_view",
]


def headline(dx: Session) -> pd.DataFrame:
    """The section's headline measures for the summary's cards (:data:`diagnostics.compare.benchmark.BENCHMARK_COLUMNS`).

    Life expectancy at birth and at 65 for women and men, and under-75 mortality (directly
    standardised), computed from the store's deaths and populations (3-year pooled). Where the
    store has no deaths or a value is withheld, the row's ``status`` says why; a real store's
    ready-made life expectancy at birth (OHID Fingertips) stands in for the computed one.
    """
    table = headline_table_of(dx)
    ids = set(HEADLINE_MEASURE_IDS) | set(ready_made_in_place_of(dx.store).values())
    return table.loc[table["indicator_id"].isin(ids), BENCHMARK_COLUMNS].reset_index(drop=True)


def findings_view(dx: Session):
    """The findings in plain English, each pointing at the view whose figure it states."""
    reason = mortality_unavailable_reason(dx.store)
    items = findings(headline_table_of(dx), inequality_of(dx) if reason is None else None, dx.place.name,
                     country_name(dx, "the country"), reason)
    if not items:
        return notice("No health measure is available for this place in the store.", title="No findings")
    body = "".join(
        f"<li>{html.escape(item.text)} <span class='pd-health-see'>(see: {html.escape(item.evidence)})</span></li>"
        for item in items
    )
    return as_html(
        synthetic_banner(dx)
        + f"<ul class='pd-findings'>{body}</ul>"
        + "<p class='pd-health-footnote'>'Significantly' means the place's 95% confidence interval "
          "excludes the benchmark's value (Fingertips' rule); a difference that is not significant is called so.</p>"
    )


def methods_view(dx: Session):
    """How the health figures are made and when a value is withheld (PHE's rules)."""
    pool = pool_years(dx.store)
    pooled = f"pooled over {pool} years (person-years), as ONS and OHID publish it" if pool >= POOL_YEARS else (
        "of single years (the store's deaths cover too few years for ONS's and OHID's 3-year periods)")
    items = [
        f"Life expectancy at birth and at 65 by sex: abridged life table in 20 age bands (open at 90+), Chiang's "
        f"method II with Silcocks' 95% interval, from deaths and mid-year populations {pooled}.",
        "Under-75 mortality from all causes: directly standardised rate per 100,000, European Standard Population "
        f"2013 (bands 0 to 70-74), persons, Dobson's 95% interval, {f'{pool} years pooled' if pool > 1 else 'single years'}.",
        f"Withheld, with the reason shown (PHE's rules): life expectancy where the period's person-years are "
        f"{format_value(MIN_POPULATION, '', 0)} or fewer, a band has no population or more deaths than people, nobody died in the 90+ "
        "band, or the 95% interval is wider than 20 years; a standardised rate where fewer than 10 deaths occurred.",
        "Comparisons: the place's 95% interval against the benchmark's value (Fingertips' rule: better, similar or "
        "worse). Recent trend: the last five single years (computed measures) or periods (other indicators), "
        "Fingertips' tests at the 99.9% level.",
        f"Inequality: {DECILE_BASIS}. Quintiles are used where a decile cannot hold a life table. Slope index "
        "of inequality by weighted regression on the population midpoints (Low & Low 2004), simulated interval.",
    ]
    catalogue = dx.store.catalogue
    stored = prevalence_indicator_ids(dx.store)
    ready = [i for i in stored if is_ready_made(catalogue.loc[i].get("method"))]
    own = [i for i in stored if i not in ready]

    def names(ids) -> str:
        return ", ".join(str(catalogue.loc[i, "short_name"]).lower() for i in ids)

    if own:
        items.append(f"The other indicators ({names(own)}) are the store's own ({dx.store.source}, vintage "
                     f"{dx.store.vintage}).")
    if ready:
        items.append(f"Ready-made (published, not computed here; marked so in the tables): {names(ready)}. Each keeps "
                     "its publisher's 95% interval where the imported file carries one; a figure without one is "
                     "compared by size only, never called significant.")
    reason = mortality_unavailable_reason(dx.store)
    if reason:
        items = [f"Life expectancy and mortality are not computed here: {reason}. The methods below apply when a "
                 "store has deaths and populations."] + items
    elif uses_district_counts(dx.store):
        items = [f"{district_inputs(dx.store)}."] + items
        items.append("Not computed from this store (the one list): " + "; ".join(still_missing(dx.store)) + ".")
    if not dx.store.is_synthetic and not dx.store.has_table("deaths"):
        items.append("Deprivation profile: MHCLG's local-authority summaries of the English Indices of Deprivation "
                     "2019, computed from its small-area files at import (diagnostics.store.deprivation).")
    return as_html(synthetic_banner(dx) + "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>")


VIEWS = (
    ("Findings", findings_view),
    ("Headline health", headline_table_view),
    ("Spine chart", spine_chart_view),
    ("Funnel plots", funnel_plots_view),
    ("Inequality within the place", inequality_view),
    ("Deprivation profile", deprivation_view),
    ("Deprivation map of the small areas", deprivation_map_view),
    ("Small-area health map", small_area_map_view),
    ("Similar places", similar_places_view),
    ("Across boundaries: health areas", health_areas_view),
    ("About these figures", methods_view),
)
