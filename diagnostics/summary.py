"""The summary section: the place on one page (``notebooks/00_summary.ipynb``).

Each function takes a :class:`~diagnostics.session.Session` and returns what one notebook cell
shows; the analysis behind it lives in :mod:`diagnostics.compare`.
"""

from __future__ import annotations

import html

import pandas as pd

from .compare import benchmark_table
from .session import Session
from .views import as_html, synthetic_banner

__all__ = [
    "HEADLINE_INDICATORS",
    "headline_benchmarks",
    "place_header",
    "location_map",
    "headline_table",
    "headline_chart",
    "comparators_table",
    "data_notes",
]

#: The dozen-odd indicators of the summary's headline table, in the order shown.
HEADLINE_INDICATORS: tuple[str, ...] = (
    "population_total",
    "gva_per_head",
    "gva_per_job",
    "employment_rate",
    "claimant_rate",
    "median_weekly_pay",
    "qualifications_level3_plus",
    "business_density",
    "business_survival_3yr",
    "deprivation_score",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
    "smoking_prevalence",
    "obesity_prevalence",
    "emergency_admissions",
)


_html = as_html

#: The most neighbouring areas the location map draws around a place.
MAX_MAP_CONTEXT = 80


def headline_benchmarks(dx: Session) -> pd.DataFrame:
    """The headline indicators against region, country and comparators (a benchmark table)."""
    return benchmark_table(dx.store, dx.place, HEADLINE_INDICATORS, dx.comparator_codes)


def place_header(dx: Session):
    """The place's name, layer, where it sits, its population and how it is compared."""
    parents = [dx.name_of(code) for code in dx.store.ancestors(dx.place.code)]
    population = dx.store.indicator_values("population_total", [dx.place.code])
    pop_text = ""
    if not population.empty:
        latest = population.sort_values("year").iloc[-1]
        pop_text = f"Population {latest['value']:,.0f} ({latest['period']}, {latest['source']}). "
    where = " › ".join(parents) if parents else ""
    return _html(
        synthetic_banner(dx)
        + f"<h2 style='margin-bottom:2px'>{html.escape(dx.place.name)}</h2>"
        + f"<p style='margin-top:0;color:#333'>{html.escape(dx.place.layer_label)} {html.escape(dx.place.code)}"
        + (f" in {html.escape(where)}" if where else "")
        + f". {html.escape(pop_text)}Compared with {html.escape(dx.comparator_method)}.</p>"
    )


def location_map(dx: Session):
    """A map of the place among its neighbours of the same layer (no tile server).

    The neighbours are the areas of the same layer in its region when there are at most
    :data:`MAX_MAP_CONTEXT` of them (a district among its region's districts); otherwise those
    sharing its nearest ancestor that holds at least five (a small area among those of its
    neighbourhood), see :func:`diagnostics.compare.sibling_areas`.
    """
    from .compare import sibling_areas
    from .maps import place_map, show_map

    shapes = dx.store.boundaries(dx.place.layer)
    siblings, ancestor = sibling_areas(dx.store, dx.place)
    if dx.region_code and ancestor != dx.region_code:
        in_region, _ = sibling_areas(dx.store, dx.place, min_count=1, within=dx.region_code)
        if len(in_region) <= MAX_MAP_CONTEXT:
            siblings, ancestor = in_region, dx.region_code
    context = shapes.loc[shapes["code"].isin(siblings)]
    place_shape = shapes.loc[shapes["code"] == dx.place.code]
    title = f"{dx.place.name} within {dx.name_of(ancestor)}" if ancestor else dx.place.name
    return show_map(place_map(place_shape, context_gdf=context, title=title, labels=len(context) <= 60))


def headline_table(dx: Session, table: pd.DataFrame | None = None):
    """The headline benchmark table, with intervals, comparisons, trends and sources."""
    from .tables import headline_html

    table = headline_benchmarks(dx) if table is None else table
    return _html(
        synthetic_banner(dx)
        + headline_html(
            table,
            dx.place.name,
            dx.name_of(dx.region_code) if dx.region_code else None,
            dx.name_of(dx.country_code),
            dx.comparator_method,
        )
    )


def headline_chart(dx: Session, table: pd.DataFrame | None = None):
    """Each headline indicator as the place's difference from the country, with its interval."""
    from .charts import headline_dot_chart, show_figure

    table = headline_benchmarks(dx) if table is None else table
    # a count (the population) has no meaningful % difference from the whole country
    catalogue = dx.store.catalogue
    kinds = table["indicator_id"].map(catalogue["value_type"])
    available = table.loc[(table["status"] == "ok") & (kinds != "count") & table["country_value"].notna()]
    if available.empty:
        reason = (
            "the place is the whole country"
            if dx.country_code is None
            else "no headline indicator has a national value to compare with"
        )
        return _html(f"<p><em>No chart of differences from the country: {html.escape(reason)}.</em></p>")
    frame = pd.DataFrame(
        {
            "indicator": available["name"],
            "value": available["value"],
            "lower_ci": available["lower_ci"],
            "upper_ci": available["upper_ci"],
            "country": available["country_value"],
            "region": available["region_value"],
            "unit": available["unit"],
            "comparison": available["vs_country"],
        }
    )
    periods = sorted(set(available["period"]))
    fig = headline_dot_chart(
        frame,
        title=f"{dx.place.name} against {dx.name_of(dx.country_code)}",
        source=", ".join(sorted(set(available["source"]))),
        period=periods[0] if len(periods) == 1 else f"latest of each ({periods[0]} to {periods[-1]})",
        country_label=dx.name_of(dx.country_code),
        region_label=dx.name_of(dx.region_code),
    )
    return show_figure(fig, alt=f"Headline indicators of {dx.place.name} as % difference from the country")


def comparators_table(dx: Session):
    """The comparator areas: for nearest neighbours, their distance and what makes them similar."""
    from .tables import html_table

    if dx.neighbours.empty:
        frame = pd.DataFrame({"Code": dx.comparator_codes, "Name": [dx.name_of(c) for c in dx.comparator_codes]})
        caption = f"Comparators: {dx.comparator_method}."
    else:
        n = dx.neighbours
        frame = pd.DataFrame(
            {
                "Rank": n["rank"],
                "Name": n["name"],
                "Code": n["code"],
                "Distance (SD)": n["distance"].round(2),
                "Closest on": n["closest_on"],
                "Differs most on": n["furthest_on"],
            }
        )
        caption = (
            f"Statistical nearest neighbours: weighted Euclidean distance in standard deviations on "
            f"{n['basis'].iloc[0]} (latest period of each)."
        )
    return _html(html_table(frame, caption))


def data_notes(dx: Session):
    """Where the data comes from: source, vintage, attribution and the store's version."""
    store = dx.store
    created = store.manifest.get("created", "")
    return _html(
        synthetic_banner(dx)
        + "<ul>"
        + f"<li>Source: {html.escape(store.source)}; vintage: {html.escape(store.vintage)}; "
        + f"store version {html.escape(store.version)} built {html.escape(created)}.</li>"
        + f"<li>{html.escape(store.attribution)}</li>"
        + "<li>Intervals are 95% confidence intervals: Wilson score for proportions, Byar's method "
        + "(exact Poisson below 10 events) for rates, as in OHID Fingertips and PHEindicatormethods.</li>"
        + "</ul>"
    )
