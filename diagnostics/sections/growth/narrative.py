"""The growth page's sentences: what holds the place's growth firms back, each finding tied to the
figures on the page that show its evidence.

Text only (no HTML): the page (:mod:`diagnostics.sections.growth.page`) escapes and lays them out.
Only differences whose 95% intervals exclude the comparison value are called significant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.conventions import plural_label
from diagnostics.render.numbers import format_value
from diagnostics.sections.finding import Finding
from diagnostics.sections.growth.headline import context_benchmarks, headline, published_shown
from diagnostics.sections.growth.place_model import place_model, place_observed_expected
from diagnostics.sections.growth.scoring import odds_ratio_table
from diagnostics.sections.session import Session

__all__ = ["register_findings", "published_findings", "NO_FINDING"]

#: What the findings say when nothing differs significantly.
NO_FINDING = "No significant difference from the country or from the model's expectation was found."

_RATES_FIGURES = ("High-growth rates over time", "How the place compares")
_OBSERVED_EXPECTED_FIGURE = ("Observed and expected high growth",)
_MODEL_FIGURE = ("What the model links to high growth",)
_CONTEXT_FIGURE = ("Skills, productivity and business survival",)


def _country(dx: Session) -> str:
    return dx.name_of(dx.country_code) if dx.country_code else "the country"


def _context_findings(dx: Session) -> list[Finding]:
    """Skills, productivity and survival significantly better or worse than the country's."""
    context = context_benchmarks(dx)
    country = _country(dx)
    return [
        Finding(f"{row.name}: {format_value(row.value, row.unit, int(row.decimals))} ({row.period}), {row.vs_country} "
                f"than {country} ({format_value(row.country_value, row.unit, int(row.decimals))}).", _CONTEXT_FIGURE)
        for row in context.loc[context["status"] == "ok"].itertuples(index=False)
        if row.vs_country in ("worse", "better")
    ]


def published_findings(dx: Session) -> list[Finding]:
    """What the published figures say without a firm register: the high-growth share against the
    country and its rank, then skills, productivity and survival significantly better or worse
    than the country."""
    country = _country(dx)
    findings: list[Finding] = []
    for row in published_shown(dx).to_dict("records"):
        unit, decimals = str(row["unit"] or ""), int(row["decimals"])
        text = f"{row['name']}: {format_value(row['value'], unit, decimals)} ({row['period']})"
        if pd.notna(row["country_value"]):
            text += f", against {country} {format_value(row['country_value'], unit, decimals)}"
        if pd.notna(row["rank"]):
            text += f"; ranked {int(row['rank'])} of {int(row['n_ranked'])} {plural_label(dx.place.layer_label)} (1 = highest)"
        text += (f"; {row['vs_country']} than {country} (95% intervals)." if row["vs_country"] in ("better", "worse")
                 else "; published without an interval, so not marked significantly higher or lower."
                 if pd.isna(row["lower_ci"]) else f"; {row['vs_country']} to {country} (95% intervals).")
        findings.append(Finding(text, _RATES_FIGURES))
    return findings + _context_findings(dx)


def register_findings(dx: Session) -> list[Finding]:
    """What the firm register, the model and the context indicators say holds the place's growth firms
    back, in page order; :data:`NO_FINDING` alone when nothing differs significantly."""
    findings: list[Finding] = []
    rate = headline(dx).iloc[0]
    country = _country(dx)
    if rate["status"] == "ok" and rate["vs_country"] in ("worse", "better", "similar"):
        findings.append(Finding(
            f"The high-growth rate is {format_value(rate['value'], '', 0)} per 10,000 firms with 10+ employees "
            f"({rate['period']}), {rate['vs_country']} {'to' if rate['vs_country'] == 'similar' else 'than'} {country} "
            f"({format_value(rate['country_value'], '', 0)}).", _RATES_FIGURES))
    result = place_model(dx)
    if result.problem is not None:
        findings.append(Finding(
            f"The model could not be fitted on this store ({type(result.problem).__name__}: {result.problem})."))
    else:
        findings += _model_findings(dx)
    findings += _context_findings(dx)
    return findings or [Finding(NO_FINDING)]


def _model_findings(dx: Session) -> list[Finding]:
    """The place's firms against the model: overall, by sector and neighbourhood, and where they are."""
    findings: list[Finding] = []
    oe = place_observed_expected(dx)
    if oe.overall is not None:
        o = oe.overall
        verdict = ("fewer than" if o["upper"] < 1 else "more than" if o["lower"] > 1 else "about as many as")
        findings.append(Finding(
            f"Given their age, size, sector, recent growth and location, the place's firms had {verdict} the "
            f"high-growth episodes the national model expects: {int(o['observed'])} against {o['expected']:.1f} "
            f"(ratio {o['ratio']:.2f}, 95% CI {o['lower']:.2f} to {o['upper']:.2f}).", _OBSERVED_EXPECTED_FIGURE))
        for kind, table in (("sector", oe.sector), ("neighbourhood", oe.neighbourhood)):
            under = table.loc[(table["upper"] < 1) & (table["expected"] >= 2)]
            if len(under):
                names = ", ".join(f"{g} ({r:.2f})" for g, r in zip(under["group"].head(4), under["ratio"].head(4)))
                findings.append(Finding(f"Significantly below the model's expectation by {kind}: {names}.",
                                        _OBSERVED_EXPECTED_FIGURE))
    result = place_model(dx)
    if len(result.windows):
        dep_place = float(result.windows["deprivation"].mean())
        dep_country = result.country_deprivation
        ors = odds_ratio_table(result.model).set_index("term")
        term = "deprivation: per standard deviation"
        dep_or = ors.loc[term] if term in ors.index else None
        if dep_or is not None and np.isfinite(dep_place) and dep_place > dep_country and dep_or["upper"] < 1:
            findings.append(Finding(
                f"The place's firms with 10+ employees sit in more deprived small areas than the country's "
                f"(mean deprivation score {dep_place:.1f} against {dep_country:.1f}); nationally, each standard deviation "
                f"more deprivation goes with {dep_or['odds_ratio']:.2f} times the odds of high growth.", _MODEL_FIGURE))
    return findings
