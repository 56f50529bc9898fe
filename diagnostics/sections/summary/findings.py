"""Strengths and challenges: where a place stands furthest from the rest, across every section.

Analysis only (no HTML): the summary's views (:mod:`diagnostics.sections.summary.page`) turn these tables into
cards and sentences.

- :func:`all_measures` gathers one benchmark table for the whole diagnostic: every catalogue
  indicator (:func:`diagnostics.compare.benchmark.benchmark_table`) plus each available section's headline
  measures (``Section.headline(dx)``, see :mod:`diagnostics.sections.registry`), each row attributed to the
  section that shows its evidence.
- :func:`standing_score` puts every measure on one standardised, polarity-aware scale.
- :func:`choose_strengths_and_challenges` picks the biggest significant strengths and challenges
  (:class:`StrengthsAndChallenges`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_session
from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.sections.registry import available_sections

__all__ = [
    "DOMAIN_SECTIONS",
    "FINDING_COLUMNS",
    "SectionHeadlines",
    "StrengthsAndChallenges",
    "catalogue_benchmarks",
    "section_headlines",
    "all_measures",
    "standing_score",
    "choose_strengths_and_challenges",
]

#: The section that shows the evidence for a catalogue indicator of each domain; indicators of other
#: domains (population, deprivation), or of a section not installed, are shown by the summary.
DOMAIN_SECTIONS = {"economy": "economy", "growth": "growth", "health": "health"}

#: Columns of :func:`all_measures` beyond :data:`~diagnostics.compare.benchmark.BENCHMARK_COLUMNS`.
FINDING_COLUMNS = ["section", "section_title", "score"]


def catalogue_benchmarks(dx) -> pd.DataFrame:
    """Every catalogue indicator of the store for the place, as a benchmark table (computed once per session)."""
    return dx.benchmarks(dx.store.catalogue.index)


@dataclass(frozen=True)
class SectionHeadlines:
    """Every available section's headline table, and why a section's could not be had.

    Attributes
    ----------
    tables : dict
        Section key to its headline table (the columns of BENCHMARK_COLUMNS, in that order).
    problems : dict
        Section key to the reason its headline could not be computed (for the page to say so).
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def section_headlines(dx) -> SectionHeadlines:
    """Each available section's headline table (sections without one are left out), once per session."""

    def compute() -> SectionHeadlines:
        tables, problems = {}, {}
        for sec in available_sections():
            if sec.key == "summary":
                continue
            # A boundary between independently written sections: one section's failure must not
            # take the leaders' summary down with it; the summary names the section instead.
            try:
                table = sec.headline(dx)
            except Exception as err:  # noqa: BLE001
                problems[sec.key] = f"{type(err).__name__}: {err}"
                continue
            if table is None:
                continue
            missing = [c for c in BENCHMARK_COLUMNS if c not in table.columns]
            if missing:
                problems[sec.key] = f"its headline table lacks the columns {', '.join(missing)}"
                continue
            tables[sec.key] = table[BENCHMARK_COLUMNS].reset_index(drop=True)
        return SectionHeadlines(tables, problems)

    return cached(per_session(dx, "findings.section_headlines"), compute)


def standing_score(rank, n_ranked) -> float:
    """How far a place stands from the other areas of its layer: the normal score of its rank.

    Parameters
    ----------
    rank : float
        1 = the best of the layer's areas by the indicator's polarity (highest first if neutral).
    n_ranked : int
        How many areas were ranked.

    Returns
    -------
    float
        ``z = Φ⁻¹((n − rank + 0.5) / n)``: positive when better than the middle area, about +2.3
        for the best of 50 and −2.3 for the worst; NaN without a rank or with fewer than 3 areas.

    Notes
    -----
    A rank-based (van der Waerden) normal score rather than ``(x − mean) / sd``: it needs only the
    rank that every section's headline table carries, it is polarity-aware because the rank is, and
    one outlying area cannot compress everyone else's scores. It puts measures in different units
    on one scale, so the biggest strengths and challenges can be chosen across domains.

    References
    ----------
    van der Waerden, B. L. (1952). Order tests for the two-sample problem and their power.
    Indagationes Mathematicae 14, 453-458.

    Examples
    --------
    >>> round(standing_score(1, 50), 2), standing_score(25.5, 50), round(standing_score(50, 50), 2)
    (2.33, 0.0, -2.33)
    """
    if rank is None or n_ranked is None or pd.isna(rank) or pd.isna(n_ranked) or int(n_ranked) < 3:
        return math.nan
    n = float(n_ranked)
    return NormalDist().inv_cdf((n - float(rank) + 0.5) / n)


def all_measures(dx) -> pd.DataFrame:
    """One benchmark table for the whole diagnostic, each row attributed to a section.

    The catalogue's indicators come first; a section's headline row for the same ``indicator_id``
    replaces the catalogue's row (the section shows its evidence). Catalogue indicators go to the
    section of their domain (:data:`DOMAIN_SECTIONS`) when it is available, else to the summary.

    Returns
    -------
    DataFrame
        The columns of :data:`~diagnostics.compare.benchmark.BENCHMARK_COLUMNS`, then ``section`` (key),
        ``section_title`` and ``score`` (:func:`standing_score`; NaN for neutral indicators).
    """

    def compute():
        titles = {s.key: s.title for s in available_sections()}
        catalogue = dx.store.catalogue
        own = catalogue_benchmarks(dx).copy()
        domains = own["indicator_id"].map(catalogue["domain"]) if "domain" in catalogue else pd.Series("", index=own.index)
        own["section"] = [DOMAIN_SECTIONS.get(d, "summary") for d in domains]
        own.loc[~own["section"].isin(list(titles)), "section"] = "summary"
        frames = [own]
        for key, table in section_headlines(dx).tables.items():
            frames[0] = frames[0].loc[~frames[0]["indicator_id"].isin(table["indicator_id"])]
            frames.append(table.assign(section=key))
        with warnings.catch_warnings():  # empty or all-NA frames concatenate to the same result
            warnings.simplefilter("ignore", FutureWarning)
            measures = pd.concat(frames, ignore_index=True)
        measures = measures.drop_duplicates("indicator_id", keep="last").reset_index(drop=True)
        measures["section_title"] = measures["section"].map(titles).fillna("Summary")
        scores = [
            standing_score(r, n) if p in ("higher_is_better", "lower_is_better") else math.nan
            for r, n, p in zip(measures["rank"], measures["n_ranked"], measures["polarity"])
        ]
        measures["score"] = np.asarray(scores, dtype=float)
        return measures

    return cached(per_session(dx, "findings.all_measures"), compute)


@dataclass(frozen=True)
class StrengthsAndChallenges:
    """The biggest significant strengths and challenges: rows of :func:`all_measures`, best-evidenced first."""

    strengths: pd.DataFrame
    challenges: pd.DataFrame


def choose_strengths_and_challenges(measures: pd.DataFrame, n: int = 5) -> StrengthsAndChallenges:
    """The ``n`` biggest significant strengths and challenges.

    A strength is a measure significantly *better* than the country (``vs_country``, Fingertips'
    rule: the national value lies outside the place's 95% interval, polarity-aware) that also ranks
    above the middle of its layer (``score > 0``); a challenge is significantly *worse* and below
    the middle. Strengths are ordered by score, highest first; challenges lowest first. Neutral
    indicators, measures without a rank and ones not compared are never chosen.

    Parameters
    ----------
    measures : DataFrame
        From :func:`all_measures`.
    n : int, default 5
        The most of each.

    Returns
    -------
    StrengthsAndChallenges
        Rows of ``measures``, best-evidenced first.
    """
    ok = measures.loc[(measures["status"] == "ok") & measures["score"].notna()]
    strengths = ok.loc[(ok["vs_country"] == "better") & (ok["score"] > 0)].sort_values("score", ascending=False, kind="stable")
    challenges = ok.loc[(ok["vs_country"] == "worse") & (ok["score"] < 0)].sort_values("score", kind="stable")
    return StrengthsAndChallenges(strengths.head(n).reset_index(drop=True), challenges.head(n).reset_index(drop=True))
