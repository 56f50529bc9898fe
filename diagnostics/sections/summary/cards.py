"""The summary's headline cards: each measure's value, interval, comparison, trend and rank, then the
place's deprivation profile.

A card's left edge is coloured by its comparison with the country: the card carries the label as
``data-comparison`` and the stylesheet's Summary rules colour it (the colours of
:data:`diagnostics.render.palette.COMPARISON_COLOURS`).
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.conventions import plural_label
from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.render.numbers import format_interval, format_value
from diagnostics.sections.health.place_results import deprivation_profile_of
from diagnostics.sections.session import Session
from diagnostics.sections.summary.analysis import card_measures
from diagnostics.sections.summary.narrative import unit_and_decimals

__all__ = ["headline_cards", "deprivation_cards", "card_html"]

_TREND_ARROWS = {"increasing": "↑", "decreasing": "↓", "no significant change": "→"}

#: Units shown as part of the number (``£28,431``, ``74.5%``); any other unit follows the number, smaller.
_INLINE_UNITS = ("£", "%", "", "people", "score", "count")


def _trend_text(label) -> tuple[str, str]:
    """(arrow, words) for a recent-trend label; the arrow is decoration, the words carry it."""
    label = str(label) if isinstance(label, str) and label else "cannot be calculated"
    direction = label.split(" and ")[0]
    return _TREND_ARROWS.get(direction, "–"), label


def _card_value(row) -> str:
    """The card's big number (HTML): money and percentages as written, other units smaller after it."""
    unit, decimals = unit_and_decimals(row)
    if unit in _INLINE_UNITS:
        return format_value(row["value"], unit, decimals)
    return f'{format_value(row["value"], "", decimals)} <span class="pd-card-unit">{html.escape(unit)}</span>'


def _against(row, country_name: str, value_type: str) -> str:
    """The card's line (HTML) comparing the place with the country, or '' for a count."""
    if value_type == "count":  # a count (the population) is not compared with the country's total
        return ""
    unit, decimals = unit_and_decimals(row)
    comparison = str(row["vs_country"]) if isinstance(row.get("vs_country"), str) else "not compared"
    national = format_value(row["country_value"], unit, decimals)
    if pd.notna(row.get("country_value")) and comparison != "not compared":
        if comparison == "similar":
            return f"Similar to {html.escape(country_name)} ({national})"
        return f"{html.escape(comparison.capitalize())} than {html.escape(country_name)} ({national})"
    if pd.notna(row.get("country_value")):
        return f"{html.escape(country_name)}: {national} (not compared: no interval)"
    return "No national value to compare with"


def card_html(row, country_name: str, value_type: str = "") -> str:
    """One measure (a row of :func:`~diagnostics.sections.summary.analysis.card_measures`) as a card (HTML)."""
    name = html.escape(str(row["name"]))
    indicator = html.escape(str(row["indicator_id"]))
    if row.get("status") != "ok":
        return (
            f'<div class="pd-card" role="listitem" data-indicator="{indicator}">'
            f'<div class="pd-card-name">{name}</div>'
            f'<div class="pd-card-line"><em>{html.escape(str(row["status"]))}</em></div></div>'
        )
    _, decimals = unit_and_decimals(row)
    interval = format_interval(row["lower_ci"], row["upper_ci"], "", decimals)
    comparison = str(row["vs_country"]) if isinstance(row.get("vs_country"), str) else "not compared"
    against = _against(row, country_name, value_type)
    arrow, words = _trend_text(row.get("trend"))
    rank = f"Rank {int(row['rank'])} of {int(row['n_ranked'])}" if pd.notna(row.get("rank")) else ""
    return (
        f'<div class="pd-card" role="listitem" data-indicator="{indicator}" '
        f'data-comparison="{html.escape(comparison)}">'
        f'<div class="pd-card-name">{name}</div>'
        f'<div class="pd-card-value">{_card_value(row)}</div>'
        + (f'<div class="pd-card-line">95% CI {html.escape(interval)}</div>' if interval else "")
        + (f'<div class="pd-card-line">{against}</div>' if against else "")
        + f'<div class="pd-card-line"><span aria-hidden="true">{arrow}</span> Trend: {html.escape(words)}</div>'
        + (f'<div class="pd-card-line">{rank}</div>' if rank else "")
        + f'<div class="pd-card-source">{html.escape(str(row["period"]))}; {html.escape(str(row["source"]))}</div></div>'
    )


def deprivation_cards(dx: Session) -> str:
    """Cards (HTML) of the place's deprivation: the IMD's average rank and the share of its small areas
    in the most deprived 10% nationally, each with its rank among the areas of its layer.

    MHCLG's local-authority summaries of the English Indices of Deprivation, read from the store
    (real England: computed at import from the IoD2019 small-area files) or computed from the
    synthetic store's small-area scores (:func:`diagnostics.sections.health.analysis.deprivation_profile`),
    the profile the health section shows (computed once for both). Neither is an estimate, so no
    interval is shown; not compared with the country, whose average rank is the middle by
    construction (``data-comparison=""``: a grey edge). '' when the store has no profile for the
    place (a small area, a layer without one): the health section says why.
    """
    if dx.place.layer == "small_area":
        return ""
    try:
        profile = deprivation_profile_of(dx)
    except Exception:  # noqa: BLE001 - the health section shows the same profile and says what failed
        return ""
    if profile.empty or "imd" not in set(profile["domain"]):
        return ""
    imd = profile.loc[profile["domain"] == "imd"].iloc[0]
    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    layer = plural_label(dx.place.layer_label)
    n = int(imd["n_ranked"]) if pd.notna(imd.get("n_ranked")) else None
    source = f"{imd['period']}; {imd['source']} ({imd['vintage']})"
    items = [
        ("average_rank", "rank_of_average_rank", "Deprivation (IMD): average rank", "", 0,
         "Population-weighted mean of its small areas' national ranks, reversed so that higher is more deprived."),
        ("most_deprived_10pct", "rank_of_most_deprived_10pct", f"Small areas in {country}'s most deprived 10% (IMD)", "%", 1,
         "Share of its small areas (LSOAs) among the most deprived tenth nationally."),
    ]
    cards = []
    for measure, rank_measure, name, unit, decimals, meaning in items:
        value = imd.get(measure)
        if value is None or pd.isna(value):
            continue
        rank = imd.get(rank_measure)
        rank_line = (f"Rank {int(rank)} of {n} {html.escape(layer)} (1 = most deprived)"
                     if rank is not None and pd.notna(rank) and n else "")
        cards.append(
            f'<div class="pd-card" role="listitem" data-indicator="deprivation_imd_{measure}" data-comparison="">'
            f'<div class="pd-card-name">{html.escape(name)}</div>'
            f'<div class="pd-card-value">{html.escape(format_value(float(value), unit, decimals))}</div>'
            + (f'<div class="pd-card-line">{rank_line}</div>' if rank_line else "")
            + f'<div class="pd-card-line">{html.escape(meaning)}</div>'
            + f'<div class="pd-card-source">{html.escape(source)}</div></div>'
        )
    return "".join(cards)


def headline_cards(dx: Session):
    """The place's headline measures as cards: value and interval, against the country, trend, rank;
    then its deprivation profile (:func:`deprivation_cards`)."""
    cards = card_measures(dx)
    deprivation = deprivation_cards(dx)
    if cards.empty and not deprivation:
        return notice("The store holds none of the headline measures for this place.", title="Headline measures")
    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    kinds = dx.store.catalogue["value_type"].to_dict() if "value_type" in dx.store.catalogue else {}
    body = "".join(card_html(row, country, kinds.get(row["indicator_id"], "")) for row in cards.to_dict("records"))
    return as_html(
        synthetic_banner(dx)
        + f'<div class="pd-cards" role="list" aria-label="Headline measures of {html.escape(dx.place.name)}">{body}{deprivation}</div>'
        + "<p class='pd-source'>Each card: the latest value with its 95% "
        + "confidence interval where it is an estimate, how it compares with the country (Fingertips' rule), the "
        + "recent trend and the rank among all areas of the same kind (1 = best)."
        + (" The deprivation cards are MHCLG's summaries of the English Indices of Deprivation, ranked 1 = most "
           "deprived; the Health section shows every domain." if deprivation else "")
        + "</p>"
    )
