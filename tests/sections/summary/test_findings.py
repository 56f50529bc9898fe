"""Strengths and challenges across every section (diagnostics.sections.summary.findings)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.sections.session import start
from diagnostics.sections.summary import findings


def test_standing_score_is_the_normal_score_of_the_rank():
    assert findings.standing_score(1, 50) == pytest.approx(2.326, abs=1e-3)
    assert findings.standing_score(50, 50) == pytest.approx(-2.326, abs=1e-3)
    assert findings.standing_score(5, 9) == pytest.approx(0.0)
    assert np.isnan(findings.standing_score(1, 2)) and np.isnan(findings.standing_score(np.nan, 50))


def _measures(**columns):
    n = len(columns["indicator_id"])
    base = {c: [np.nan] * n for c in BENCHMARK_COLUMNS}
    base.update(status=["ok"] * n, polarity=["higher_is_better"] * n, n_ranked=[50] * n)
    base.update(columns)
    frame = pd.DataFrame(base)
    frame["score"] = [findings.standing_score(r, k) for r, k in zip(frame["rank"], frame["n_ranked"])]
    return frame


def test_strengths_are_significantly_better_and_ordered_by_how_far_the_place_stands():
    measures = _measures(
        indicator_id=["a", "b", "c", "d", "e", "f"],
        rank=[10, 2, 1, 49, 40, 3],
        vs_country=["better", "better", "similar", "worse", "worse", "better"],
    )
    measures.loc[5, "status"] = "not available for this place in the store"
    chosen = findings.choose_strengths_and_challenges(measures, n=5)
    assert list(chosen.strengths["indicator_id"]) == ["b", "a"]  # c is not significant, f has no value
    assert list(chosen.challenges["indicator_id"]) == ["d", "e"]
    assert len(findings.choose_strengths_and_challenges(measures, n=1).strengths) == 1


def test_a_better_measure_ranked_below_the_middle_is_not_a_strength():
    measures = _measures(indicator_id=["a"], rank=[45], vs_country=["better"])
    assert findings.choose_strengths_and_challenges(measures).strengths.empty


def test_every_measure_is_attributed_to_the_section_showing_its_evidence(store):
    measures = findings.all_measures(start("default", store))
    assert list(measures.columns) == BENCHMARK_COLUMNS + findings.FINDING_COLUMNS
    assert measures["indicator_id"].is_unique
    sections = measures.set_index("indicator_id")["section"]
    assert sections["gva_per_job"] == "economy" and sections["population_total"] == "summary"
    assert measures.loc[measures["polarity"] == "neutral", "score"].isna().all()


def test_a_new_sections_headline_joins_the_measures_and_can_be_the_first_strength(store, with_fake_section):
    dx = start("default", store)
    headlines = findings.section_headlines(dx)
    assert list(headlines.tables["fake"]["indicator_id"]) == ["fake_excellence"] and headlines.problems == {}
    chosen = findings.choose_strengths_and_challenges(findings.all_measures(dx))
    first = chosen.strengths.iloc[0]
    assert (first["indicator_id"], first["section"], first["section_title"]) == ("fake_excellence", "fake", "Fake section")


def test_a_section_whose_headline_fails_is_named_with_the_reason(store, fake_section):
    def broken(dx):
        raise ValueError("no firm register")

    fake_section(broken)
    headlines = findings.section_headlines(start("default", store))
    assert headlines.problems == {"fake": "ValueError: no firm register"} and "fake" not in headlines.tables


def test_a_headline_without_the_benchmark_columns_is_named_too(store, fake_section):
    fake_section(lambda dx: pd.DataFrame({"indicator_id": ["x"]}))
    problems = findings.section_headlines(start("default", store)).problems
    assert problems["fake"].startswith("its headline table lacks the columns name, unit")
