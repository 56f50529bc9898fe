"""The summary section: the place on one page (``notebooks/00_summary.ipynb``).

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell
shows: the cards are :mod:`~diagnostics.sections.summary.cards`, the strengths and challenges
:mod:`~diagnostics.sections.summary.strengths`, the headline table and chart
:mod:`~diagnostics.sections.summary.headline`; the map, the comparators and the notes on the data are
below. What they show is chosen by :mod:`diagnostics.sections.summary.analysis` and
:mod:`diagnostics.sections.summary.findings`, from :mod:`diagnostics.compare.benchmark`'s tables.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.compare.benchmark import sibling_areas
from diagnostics.render.html import as_html, interval_note, notice, synthetic_banner
from diagnostics.render.maps import place_map
from diagnostics.render.offline import show_map
from diagnostics.render.tables import html_table
from diagnostics.sections.session import Session
from diagnostics.sections.summary.cards import headline_cards
from diagnostics.sections.summary.headline import headline_chart, headline_table
from diagnostics.sections.summary.narrative import stand_ins_sentence
from diagnostics.sections.summary.strengths import strengths_and_challenges

__all__ = [
    "VIEWS",
    "MAX_MAP_CONTEXT",
    "location_map",
    "headline_cards",
    "strengths_and_challenges",
    "headline_table",
    "headline_chart",
    "comparators_table",
    "data_notes",
]

#: The most neighbouring areas the location map draws around a place.
MAX_MAP_CONTEXT = 80


def location_map(dx: Session):
    """A map of the place among its neighbours of the same layer (no tile server).

    The neighbours are the areas of the same layer in its region when there are at most
    :data:`MAX_MAP_CONTEXT` of them (a district among its region's districts); otherwise those
    sharing its nearest ancestor that holds at least five (a small area among those of its
    neighbourhood), see :func:`diagnostics.compare.benchmark.sibling_areas`.
    """
    if dx.place.layer not in dx.store.boundary_layers():
        where = [dx.name_of(code) for code in dx.store.ancestors(dx.place.code)]
        return notice(
            f"The store has no boundaries for the {dx.place.layer_label.lower()} layer (the files it was built from "
            f"give none; its manifest says why), so {dx.place.name} cannot be drawn"
            + (f"; it lies in {', '.join(where)}" if where else "")
            + ". The figures below do not depend on the map.",
            title="No map",
        )
    shapes = dx.store.boundaries(dx.place.layer)
    siblings, ancestor = sibling_areas(dx.store, dx.place)
    if dx.region_code and ancestor != dx.region_code:
        in_region, _ = sibling_areas(dx.store, dx.place, min_count=1, within=dx.region_code)
        if len(in_region) <= MAX_MAP_CONTEXT:
            siblings, ancestor = in_region, dx.region_code
    context = shapes.loc[shapes["code"].isin(siblings)]
    place_shape = shapes.loc[shapes["code"] == dx.place.code]
    title = f"{dx.place.name} within {dx.name_of(ancestor)}" if ancestor else dx.place.name
    return show_map(place_map(place_shape, context_gdf=context, title=title, labels=len(context) <= 60), title=f"Map of {title}")


def comparators_table(dx: Session):
    """The comparator areas: for nearest neighbours, their distance and what makes them similar."""
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
            f"{n['basis'].iloc[0]} (latest period of each)." + stand_ins_sentence(dx.store, n)
        )
    return as_html(html_table(frame, caption))


def data_notes(dx: Session):
    """Where the data comes from: source, vintage, attribution and the store's version."""
    store = dx.store
    created = store.manifest.get("created", "")
    left_out = [str(item) for item in store.manifest.get("left_out", []) or []]
    return as_html(
        synthetic_banner(dx)
        + "<ul>"
        + f"<li>Source: {html.escape(store.source)}; vintage: {html.escape(store.vintage)}; "
        + f"store version {html.escape(store.version)} built {html.escape(created)}.</li>"
        + f"<li>{html.escape(store.attribution)}</li>"
        + f"<li>{html.escape(interval_note(store))} Each figure's period and source are shown beside it.</li>"
        + "".join(f"<li>Not in this store: {html.escape(item)}</li>" for item in left_out)
        + "</ul>"
    )


#: The summary's views in page order (the notebook's place_header comes first, then these).
VIEWS = (
    ("Where the place is", location_map),
    ("Headline measures", headline_cards),
    ("Strengths and challenges", strengths_and_challenges),
    ("Headline indicators", headline_table),
    ("Against the country", headline_chart),
    ("Comparators", comparators_table),
    ("About the data", data_notes),
)
