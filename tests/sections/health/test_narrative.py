"""The findings in plain English: only significant differences are called significant, each names its view."""

from __future__ import annotations

import pandas as pd

from diagnostics.sections.finding import Finding
from diagnostics.sections.health import headline, mortality, narrative
from diagnostics.sections.health.inequality import InequalitySummary


def _headline(**columns) -> pd.DataFrame:
    base = {"name": "?", "unit": "years", "decimals": 1, "period": "2021-23", "status": "ok",
            "trend": "no significant change", "source": "test"}
    n = len(columns["indicator_id"])
    return pd.DataFrame({**{k: [v] * n for k, v in base.items()}, **columns})


def test_findings_only_call_significant_differences_significant():
    table = _headline(
        indicator_id=["life_expectancy_birth_female", "life_expectancy_birth_male", "under75_mortality"],
        name=["LE F", "LE M", "U75"], unit=["years", "years", "per 100 000"], decimals=[1, 1, 0],
        value=[80.0, 76.2, 400.0], country_value=[81.0, 78.3, 350.0], vs_country=["similar", "worse", "worse"],
    )
    inequality = InequalitySummary(
        available=True, sii=pd.DataFrame({"indicator_id": ["life_expectancy_birth_male"], "gap": [9.4]}),
        comparator_gaps=pd.DataFrame({"indicator_id": ["life_expectancy_birth_male"] * 15, "gap": [5.0] * 12 + [10.0] * 3}),
    )
    found = narrative.findings(table, inequality, "Slopeford", "England")
    assert found == [
        Finding("Life expectancy at birth for women is 80.0 years (2021-23), 1.0 years below England's 81.0: not "
                "significantly different from England.", ("Headline health",)),
        Finding("Life expectancy at birth for men is 76.2 years (2021-23), 2.1 years below England's 78.3: significantly "
                "lower than England. The gap between the most and least deprived tenths of Slopeford is 9.4 years, "
                "wider than in 12 of 15 similar places.", ("Headline health", "Inequality within the place")),
        Finding("Under-75 mortality is 400 deaths per 100,000 (2021-23, age-standardised), significantly higher (worse) "
                "than England's 350.", ("Headline health", "Funnel plots")),
    ]


def test_other_indicators_are_listed_with_their_units_when_significantly_worse_or_better():
    table = _headline(
        indicator_id=["smoking_prevalence", "emergency_admissions", "obesity_prevalence"],
        name=["Adults who smoke", "Emergency admissions", "Obesity"], unit=["%", "per 100 000", "%"],
        decimals=[1, 0, 1], value=[20.5, 1234.0, 25.0], country_value=[14.0, 1000.0, 25.5],
        vs_country=["worse", "worse", "similar"], trend=["getting worse", "no significant change", "no significant change"],
    )
    found = narrative.findings(table, None, "Slopeford", "England")
    assert [f.text for f in found] == [
        "Significantly worse than England on 2 of 3 other health indicators: adults who smoke (20.5% against 14.0%); "
        "emergency admissions (1,234 per 100 000 against 1,000 per 100 000).",
        "Getting significantly worse over the last five points: Adults who smoke.",
    ]
    assert [f.evidence for f in found] == ["Headline health; Spine chart", "Headline health (recent trend)"]


def test_a_store_without_deaths_says_so_first_and_shows_the_ready_made_life_expectancy(tiny_england_store):
    reason = mortality.mortality_unavailable_reason(tiny_england_store)
    table = headline.health_headline(tiny_england_store, "E08000001")
    found = narrative.findings(table, None, "Alpha", "England", reason)
    assert found[0] == Finding(f"Life expectancy at 65 and under-75 mortality cannot be shown: {reason}.",
                               ("Headline health",))
    assert found[1].text == ("Life expectancy at birth for women is 82.1 years (2021-23; ready-made, OHID Fingertips "
                             "indicator 90366).")
    assert found[-1].text.startswith("Not available for this place: Life expectancy at birth (male)")


def test_a_ready_made_figure_without_an_interval_is_compared_by_size_only():
    table = _headline(indicator_id=["life_expectancy_female", "life_expectancy_male"], name=["LE F", "LE M"],
                      value=[82.1, 78.0], country_value=[83.0, 79.0], vs_country=["not compared", "worse"],
                      source="OHID")
    found = narrative.findings(table, None, "Alpha", "England", "no deaths")
    assert [f.text for f in found[1:]] == [
        "Life expectancy at birth for women is 82.1 years (2021-23; ready-made, OHID), 0.9 years below England's "
        "83.0 (the imported figure has no interval, so the difference is not tested).",
        "Life expectancy at birth for men is 78.0 years (2021-23; ready-made, OHID), 1.0 years below England's 79.0: "
        "significantly lower than England.",
    ]
