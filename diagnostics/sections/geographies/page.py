"""The geographies section: the place seen through every boundary that matters
(``notebooks/30_geographies.ipynb``).

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell
shows: the map is :mod:`~diagnostics.sections.geographies.boundaries_map`, the tables
:mod:`~diagnostics.sections.geographies.tables`, the worked example
:mod:`~diagnostics.sections.geographies.worked_example`; the layer sentences and the note on a user's own
boundary are below, their words from :mod:`~diagnostics.sections.geographies.narrative`. They render the
typed results of :mod:`diagnostics.sections.geographies.analysis`, computed once per place.
"""

from __future__ import annotations

import html

from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.sections.geographies.analysis import geography_analysis
from diagnostics.sections.geographies.boundaries_map import boundaries_map
from diagnostics.sections.geographies.narrative import counting, custom_boundary_lines, layer_sentence, split_lead
from diagnostics.sections.geographies.notes import basis_note, geography_source, overlaps_unavailable
from diagnostics.sections.geographies.tables import coterminosity_table, overlap_table
from diagnostics.sections.geographies.worked_example import worked_example
from diagnostics.sections.notebooks import NotebookSpec
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "NOTEBOOK",
    "boundaries_map",
    "layer_sentences",
    "coterminosity_table",
    "overlap_table",
    "worked_example",
    "custom_boundary_note",
]


def layer_sentences(dx: Session):
    """A sentence per layer in plain English, messiest layer first."""
    overlaps = geography_analysis(dx)
    if overlaps.problem:
        return overlaps_unavailable(dx, overlaps.problem)
    table, scores, counted = overlaps.table, overlaps.scores, counting(dx.store)
    items = []
    for _, score in scores.iterrows():
        sentence = layer_sentence(dx.place.name, score, table.loc[table["layer"] == score["layer"]], counted)
        if score["relationship"].startswith("split"):
            items.append(f"<li class='pd-layer pd-layer-split'><strong>Split.</strong> {html.escape(sentence)}</li>")
        else:
            items.append(f"<li class='pd-layer'>{html.escape(sentence)}</li>")
    return as_html(
        synthetic_banner(dx)
        + f"<p>{html.escape(split_lead(dx.place.name, scores))}</p><ul class='pd-layers'>{''.join(items)}</ul>"
        + basis_note(counted)
        + geography_source(dx, f"{counted.populations} and lookups")
    )


def custom_boundary_note(dx: Session):
    """For a place drawn by the user: how its boundary was matched to small areas and what that misplaces."""
    info = dx.store.manifest.get("custom_places", {}).get(dx.place.code)
    if not info:
        return as_html(
            "<p>"
            + html.escape(
                f"{dx.place.name} is an area of the store's own {dx.place.layer_label.lower()} layer. To run the "
                "diagnostic for a boundary of your own (a town centre, a neighbourhood, a hospital catchment), use "
                "`place-diagnostic run --boundary my_area.geojson --name \"Town centre\"`."
            )
            + "</p>"
        )
    items = "".join(f"<li>{html.escape(line)}</li>" for line in custom_boundary_lines(dx.place.name, info, dx.comparator_method))
    return as_html(synthetic_banner(dx) + f"<ul>{items}</ul>")


#: The section's views in page order: (heading, view).
VIEWS = (
    ("Every geography at once", boundaries_map),
    ("How the place sits in each geography", layer_sentences),
    ("Coterminosity", coterminosity_table),
    ("Overlaps, both ways", overlap_table),
    ("How much the method matters", worked_example),
    ("Your own boundary", custom_boundary_note),
)


NOTEBOOK = NotebookSpec(
    intro=(
        "How the place sits in every boundary that matters (councils, the NHS, police, travel to work, "
        "economic partnerships, universities), and how much moving data between them matters."
    ),
)
