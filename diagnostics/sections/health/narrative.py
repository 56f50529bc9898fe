"""Health: the findings in plain English, each sentence naming the view whose figure it states.

Built from the section's results (:func:`~diagnostics.sections.health.headline.health_headline` and
:func:`~diagnostics.sections.health.inequality.inequality_summary`); numbers are written by
:mod:`diagnostics.render.numbers`, as in the tables. Only differences whose 95% intervals exclude
the benchmark are called significant (Fingertips' rule).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.render.numbers import format_value
from diagnostics.sections.finding import Finding
from diagnostics.sections.health.headline import READY_MADE_EQUIVALENTS
from diagnostics.sections.health.inequality import InequalitySummary
from diagnostics.sections.health.mortality import MEASURE_IDS

__all__ = ["findings"]

_SEX_WORD = {"female": "women", "male": "men"}


def findings(headline: pd.DataFrame, inequality: InequalitySummary | None, place_name: str, country_name: str,
             mortality_reason: str | None = None) -> list[Finding]:
    """Plain-English findings, each naming the view whose figure it comes from.

    Parameters
    ----------
    headline : DataFrame
        :func:`~diagnostics.sections.health.headline.health_headline` for the place.
    inequality : InequalitySummary or None
        :func:`~diagnostics.sections.health.inequality.inequality_summary` for the place (None
        when the store cannot compute it).
    place_name, country_name : str
    mortality_reason : str, optional
        Why life expectancy and mortality are missing
        (:func:`~diagnostics.sections.health.mortality.mortality_unavailable_reason`).

    Returns
    -------
    list of Finding
        In page order: what cannot be shown, life expectancy by sex (with the gap between the most
        and least deprived), under-75 mortality, the other indicators significantly better or
        worse than the country, those getting worse, and those missing.
    """
    table = headline.set_index("indicator_id")
    out = []
    if mortality_reason:
        out += _ready_made_life_expectancy(table, country_name, mortality_reason)
    else:
        out += _life_expectancy(table, inequality, place_name, country_name)
        out += _under75_mortality(table, place_name, country_name)
    out += _other_indicators(headline, country_name)
    worse = headline.loc[headline["trend"].astype(str).str.endswith("getting worse"), "name"].tolist()
    if worse:
        out.append(Finding("Getting significantly worse over the last five points: " + "; ".join(worse) + ".",
                           ("Headline health (recent trend)",)))
    missing = headline.loc[(headline["status"] != "ok") & ~headline["indicator_id"].isin(MEASURE_IDS), "name"].tolist()
    if missing:
        out.append(Finding("Not available for this place: " + "; ".join(missing) + " (reasons in the headline table).",
                           ("Headline health",)))
    return out


def _years(value: float) -> str:
    """Years of life expectancy, or a difference of them, as the findings write them (one decimal)."""
    return format_value(value, "", 1)


def _above_or_below(row: pd.Series, country_name: str) -> str:
    """The place's life expectancy against the country's: ``", 1.0 years below England's 81.0"``."""
    diff = row["value"] - row["country_value"]
    return (f", {_years(abs(diff))} years {'above' if diff >= 0 else 'below'} {country_name}'s "
            f"{_years(row['country_value'])}")


def _ready_made_life_expectancy(table: pd.DataFrame, country_name: str, mortality_reason: str) -> list[Finding]:
    """What cannot be computed, and the ready-made life expectancy shown in its place."""
    ready = {sex: table.loc[indicator_id] for sex, indicator_id in
             (("female", READY_MADE_EQUIVALENTS["life_expectancy_birth_female"]),
              ("male", READY_MADE_EQUIVALENTS["life_expectancy_birth_male"]))
             if indicator_id in table.index and table.loc[indicator_id, "status"] == "ok"}
    what = "Life expectancy at 65 and under-75 mortality" if ready else "Life expectancy and mortality"
    out = [Finding(f"{what} cannot be shown: {mortality_reason}.", ("Headline health",))]
    for sex, r in ready.items():
        text = (f"Life expectancy at birth for {_SEX_WORD[sex]} is {_years(r['value'])} years ({r['period']}; "
                f"ready-made, {r['source']})")
        if pd.notna(r["value"] - r["country_value"]):
            text += _above_or_below(r, country_name)
            if r["vs_country"] in ("better", "worse", "similar"):
                text += ": " + {"better": "significantly higher than", "worse": "significantly lower than",
                                "similar": "not significantly different from"}[r["vs_country"]] + f" {country_name}"
            else:
                text += " (the imported figure has no interval, so the difference is not tested)"
        out.append(Finding(text + ".", ("Headline health",)))
    return out


def _life_expectancy(table: pd.DataFrame, inequality: InequalitySummary | None, place_name: str,
                     country_name: str) -> list[Finding]:
    """Life expectancy at birth by sex against the country, and the gap between the most and least deprived."""
    out = []
    for sex in ("female", "male"):
        indicator_id = f"life_expectancy_birth_{sex}"
        if indicator_id not in table.index:
            continue
        r = table.loc[indicator_id]
        if r["status"] != "ok":
            out.append(Finding(f"Life expectancy at birth for {_SEX_WORD[sex]} is not published for {place_name}: "
                               f"{r['status']}.", ("Headline health",)))
            continue
        text = f"Life expectancy at birth for {_SEX_WORD[sex]} is {_years(r['value'])} years ({r['period']})"
        if pd.isna(r["value"] - r["country_value"]):
            text += "."
        else:
            verdict = {"better": "significantly higher than", "worse": "significantly lower than"}.get(
                r["vs_country"], "not significantly different from")
            text += _above_or_below(r, country_name) + f": {verdict} {country_name}."
        gap = _deprivation_gap(inequality, indicator_id, place_name)
        out.append(Finding(text + gap, ("Headline health", "Inequality within the place") if gap else ("Headline health",)))
    return out


def _deprivation_gap(inequality: InequalitySummary | None, indicator_id: str, place_name: str) -> str:
    """The sentence on the gap between the most and least deprived groups of the place, with a leading space
    (``" The gap between the most and least deprived tenths of X is 9.4 years, wider than in 12 of 15 similar
    places."``), or ``""`` when the place could not be divided or the gap is not known."""
    if inequality is None or not inequality.available:
        return ""
    slope = inequality.sii.set_index("indicator_id")
    if indicator_id not in slope.index or not np.isfinite(slope.loc[indicator_id, "gap"]):
        return ""
    narrower, n = inequality.gap_against_comparators(indicator_id)
    groups = "tenths" if inequality.groups_name == "decile" else "fifths"
    return (f" The gap between the most and least deprived {groups} of {place_name} is "
            f"{_years(slope.loc[indicator_id, 'gap'])} years"
            + (f", wider than in {narrower} of {n} similar places." if n else "."))


def _under75_mortality(table: pd.DataFrame, place_name: str, country_name: str) -> list[Finding]:
    """Under-75 mortality against the country."""
    if "under75_mortality" not in table.index:
        return []
    r = table.loc["under75_mortality"]
    if r["status"] != "ok":
        return [Finding(f"Under-75 mortality is not published for {place_name}: {r['status']}.", ("Headline health",))]
    verdict = {"better": "significantly lower (better) than", "worse": "significantly higher (worse) than"}.get(
        r["vs_country"], "not significantly different from")
    country = (f" {country_name}'s {format_value(r['country_value'], '', 0)}" if pd.notna(r["country_value"])
               else f" {country_name}")
    return [Finding(f"Under-75 mortality is {format_value(r['value'], '', 0)} deaths per 100,000 ({r['period']}, "
                    f"age-standardised), {verdict}{country}.", ("Headline health", "Funnel plots"))]


def _other_indicators(headline: pd.DataFrame, country_name: str) -> list[Finding]:
    """The store's other health indicators that are significantly worse, or better, than the country."""
    prevalence = headline.loc[~headline["indicator_id"].isin([*MEASURE_IDS, *READY_MADE_EQUIVALENTS.values()])
                              & (headline["status"] == "ok")]
    out = []
    for label, words in (("worse", "Significantly worse than"), ("better", "Significantly better than")):
        part = prevalence.loc[prevalence["vs_country"] == label]
        if len(part):
            items = [f"{_lower_first(r['name'])} ({_value(r, 'value')} against {_value(r, 'country_value')})"
                     for _, r in part.iterrows()]
            out.append(Finding(f"{words} {country_name} on {len(part)} of {len(prevalence)} other health indicators: "
                               + "; ".join(items) + ".", ("Headline health", "Spine chart")))
    return out


def _value(row: pd.Series, column: str) -> str:
    """A headline row's value (or its country's) with its unit; years are left to the sentence."""
    unit = row["unit"]
    return format_value(row[column], "" if unit == "years" else unit, int(row["decimals"]))


def _lower_first(name: str) -> str:
    """An indicator's name inside a sentence ("Adults who smoke" -> "adults who smoke"; "GP" stays)."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]
