"""The geographies page's tables: one coterminosity score per layer, and every overlap both ways.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's table, or a
notice when the overlaps cannot be worked out.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.render.numbers import format_share, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.geographies.analysis import geography_analysis
from diagnostics.sections.geographies.narrative import Counting, counting
from diagnostics.sections.geographies.notes import basis_note, geography_source, overlaps_unavailable
from diagnostics.sections.session import Session

__all__ = ["coterminosity_table", "overlap_table"]


def _table_page(dx: Session, frame: pd.DataFrame, caption: str, counted: Counting, sources: str):
    """``frame`` as a captioned table with the basis note and the source line."""
    return as_html(synthetic_banner(dx) + html_table(frame, caption) + basis_note(counted) + geography_source(dx, sources))


def _whole(value) -> str:
    return format_value(value, "", 0)


def coterminosity_table(dx: Session):
    """One coterminosity score per layer (1 = the boundaries line up), messiest first."""
    overlaps = geography_analysis(dx)
    if overlaps.problem:
        return overlaps_unavailable(dx, overlaps.problem)
    s, counted = overlaps.scores, counting(dx.store)
    noun = counted.noun
    frame = pd.DataFrame(
        {
            "Geography": s["layer_label"],
            f"Coterminosity ({noun})": s["coterminosity"].map(lambda v: format_value(v, "", 2)),
            "Coterminosity (land)": s["land_coterminosity"].map(lambda v: format_value(v, "", 2)),
            "Areas": s["n_areas"],
            "Relationship": s["relationship"],
            "Main area": s["main_area_name"],
            f"{noun.capitalize()} in main area": s["main_place_share"].map(format_share),
            f"{noun.capitalize()} elsewhere": s["population_outside_main"].map(_whole),
            "Split small areas": s["n_split_small_areas"],
        }
    )
    caption = (
        f"Coterminosity: the {counted.weighted} share of the smaller of the place and each of its areas that their "
        "overlap covers (1 = every area either contains the place or lies wholly inside it; a place split 70/30 "
        "between two larger areas scores 0.58). Split small areas: small areas cut by a boundary (lookup weight "
        "below 1)."
    )
    return _table_page(dx, frame, caption, counted, "lookups and boundaries")


def overlap_table(dx: Session):
    """Every area the place overlaps, both ways, by residents and by land, messiest layer first."""
    overlaps = geography_analysis(dx)
    if overlaps.problem:
        return overlaps_unavailable(dx, overlaps.problem)
    t, counted = overlaps.table, counting(dx.store)
    noun = counted.noun
    frame = pd.DataFrame(
        {
            "Geography": t["layer_label"],
            "Area": t["area_name"],
            "Code": t["area_code"],
            f"Shared {noun}": t["population"].map(_whole),
            f"Share of the place's {noun}": t["place_share"].map(format_share),
            f"Share of the area's {noun}": t["area_share"].map(format_share),
            "Share of the place's land": t["land_place_share"].map(format_share),
            "Share of the area's land": t["land_area_share"].map(format_share),
            "Small areas": t["n_small_areas"],
            "Split small areas": t["n_split_small_areas"],
        }
    )
    caption = (
        f"{dx.place.name} ({_whole(t['place_population'].iloc[0])} {noun}) against each area of every other geography. "
        f"{counted.measured}; land from the boundaries (British National Grid)."
    )
    return _table_page(dx, frame, caption, counted, f"{counted.populations}, lookups, boundaries")
