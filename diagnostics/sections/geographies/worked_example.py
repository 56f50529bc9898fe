"""The worked example of the geographies page: how much the method matters when an indicator published
for districts is moved to health areas (and back), against the same built from small-area counts."""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.render.numbers import format_change, format_interval, format_share, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.geographies.analysis import WORKED_EXAMPLE_INDICATOR, method_comparison
from diagnostics.sections.geographies.narrative import (
    apportioned_place_sentence,
    counting,
    largest_gap_sentence,
    other_way_round_sentence,
)
from diagnostics.sections.geographies.notes import geography_source
from diagnostics.sections.session import Session

__all__ = ["worked_example"]


def _method_rows(frame: pd.DataFrame, unit: str, decimals: int) -> pd.DataFrame:
    """One area's figure by each method, as the table shows it."""
    return pd.DataFrame(
        {
            "Area": frame["area_name"],
            "Method": frame["method_label"],
            "Value": [format_value(v, unit, decimals) for v in frame["value"]],
            "95% interval": [format_interval(lo, hi, "", decimals) for lo, hi in zip(frame["lower_ci"], frame["upper_ci"])],
            "Difference from the small-area build": [format_change(d, "", decimals + 1) for d in frame["difference"]],
            "Share of weight from split areas": frame["split_share"].map(format_share),
        }
    )


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _not_available(dx: Session, problem: str):
    reason = problem.rstrip(". ")
    real = "" if dx.store.is_synthetic else (
        " Published real data gives this indicator for districts only (smoking: ONS Annual Population Survey), "
        "so on a real store the example needs small-area counts of your own (a numerator and denominator per "
        "LSOA, added to the store's indicators table as data/README.md describes)."
    )
    return notice(
        f"The worked example cannot be shown: {reason}. It needs small-area and district rows of "
        f"{WORKED_EXAMPLE_INDICATOR} with numerators and denominators, and health areas.{real}",
        title="Worked example not available",
    )


def worked_example(dx: Session):
    """A health indicator built four ways (published, from small areas, apportioned by residents or land)."""
    result = method_comparison(dx)
    if result.problem:
        return _not_available(dx, result.problem)
    meta = dx.store.catalogue.loc[result.indicator]
    unit, decimals = meta["unit"], int(meta["decimals"])
    down, up = result.down, result.up
    parts = [
        synthetic_banner(dx),
        _paragraph(
            f"{meta['name']} is published for districts. A health area made of parts of several districts has no "
            "district figure of its own: it can be apportioned from the districts (assuming smokers are spread like "
            "residents, or like land), or built from small-area counts. The table shows the difference."
        ),
        html_table(_method_rows(down, unit, decimals),
                   f"{meta['name']} ({unit}), {down['period'].iloc[0]}, for the health areas {dx.place.name} is in."),
    ]
    apportioned = down.loc[down["method"].isin(["population", "area"])]
    if not apportioned.empty:
        parts.append(_paragraph(largest_gap_sentence(apportioned.loc[apportioned["difference"].abs().idxmax()], decimals)))
    if up is not None and not up.empty:
        parts.append(_paragraph(other_way_round_sentence(meta, dx.place.name)))
        parts.append(html_table(_method_rows(up, unit, decimals),
                                f"{dx.place.name}: published, built from small areas, and apportioned from health areas."))
        own = up.loc[up["method"] == "population"]
        if not own.empty:
            lower, upper = up.loc[up["method"] == "small_areas", ["lower_ci", "upper_ci"]].iloc[0]
            parts.append(_paragraph(apportioned_place_sentence(
                dx.place.name, own["value"].iloc[0], own["difference"].iloc[0], lower, upper, decimals)))
    parts.append(geography_source(dx, f"{meta['name']} ({meta['source']}); {counting(dx.store).populations} and lookups"))
    return as_html("".join(parts))
