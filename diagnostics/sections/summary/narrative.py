"""The summary's sentences: a strength or challenge in one sentence, and how the comparators were chosen.

Text only (no HTML): the views escape and lay them out. A sentence uses only the numbers its evidence
shows, formatted as the evidence formats them (:func:`unit_and_decimals`).
"""

from __future__ import annotations

import pandas as pd

from diagnostics.compare.benchmark import NEIGHBOUR_INDICATORS
from diagnostics.conventions import plural_label
from diagnostics.render.numbers import format_value, ordinal

__all__ = ["unit_and_decimals", "finding_sentence", "stand_ins_sentence"]

#: Names of the default similarity variables, for a store whose catalogue does not hold them.
_DEFAULT_LABELS = {
    "population_total": "Population", "population_aged_65_plus": "Aged 65+", "working_age_share": "Working age (16-64)",
    "deprivation_score": "Deprivation score", "gva_per_head": "GVA per head", "employment_rate": "Employment rate",
}


def unit_and_decimals(row) -> tuple[str, int]:
    """The unit and decimals a benchmark row's figures are shown with (one decimal when the row gives none).

    >>> unit_and_decimals({"unit": "%", "decimals": 1.0}), unit_and_decimals({"unit": None, "decimals": float("nan")})
    (('%', 1), ('', 1))
    """
    decimals = int(row["decimals"]) if pd.notna(row.get("decimals")) else 1
    return str(row.get("unit") or ""), decimals


def finding_sentence(row, place_name: str, country_name: str, layer_label: str) -> str:
    """One plain sentence (text, not HTML) for a strength or challenge, using only the numbers that
    the evidence table shows: the value, its period, the national value and the rank.

    >>> row = {"name": "Employment rate", "unit": "%", "decimals": 1, "value": 78.44, "period": "2024",
    ...        "vs_country": "better", "country_value": 75.0, "rank": 3, "n_ranked": 40}
    >>> finding_sentence(row, "Radworth", "England", "District")
    'Employment rate in Radworth: 78.4% (2024), better than England (75.0%); ranked 3rd of 40 districts (first is best).'
    """
    unit, decimals = unit_and_decimals(row)
    comparison = "better" if row["vs_country"] == "better" else "worse"
    return (
        f"{row['name']} in {place_name}: {format_value(row['value'], unit, decimals)} ({row['period']}), {comparison} than "
        f"{country_name} ({format_value(row['country_value'], unit, decimals)}); ranked {ordinal(int(row['rank']))} of "
        f"{int(row['n_ranked'])} {plural_label(layer_label)} (first is best)."
    )


def stand_ins_sentence(store, neighbours: pd.DataFrame) -> str:
    """' ... stand-ins ...' naming the default similarity variables replaced or left out on this store, or ''.

    Parameters
    ----------
    store : Store
    neighbours : DataFrame
        :func:`diagnostics.compare.benchmark.nearest_neighbours`' table; its ``attrs`` say which
        variables were used (``indicators``) and which stood in for a default (``stand_ins``).
    """
    used = neighbours.attrs.get("indicators")
    if used is None:  # a table from elsewhere: nothing known about stand-ins
        return ""
    stand_ins = neighbours.attrs.get("stand_ins", {})
    catalogue = store.catalogue

    def label(indicator_id: str) -> str:
        if indicator_id in catalogue.index:
            return str(catalogue.loc[indicator_id, "short_name"])
        return _DEFAULT_LABELS.get(indicator_id, indicator_id)

    swaps = [f"{label(stand_in)} for {label(default)}" for default, stand_in in stand_ins.items()]
    missing = [label(d) for d in NEIGHBOUR_INDICATORS if d not in used and d not in stand_ins]
    text = ""
    if swaps:
        text += (" This store lacks some of the default variables, so stand-ins are used "
                 f"(diagnostics.compare.benchmark.NEIGHBOUR_EQUIVALENTS): {'; '.join(swaps)}.")
    if missing:
        text += f" Without values here, so not used: {', '.join(missing)}."
    return text
