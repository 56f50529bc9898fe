"""The economy page's sentences (diagnostics.sections.economy.narrative)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.html import interval_note
from diagnostics.sections.economy import page
from diagnostics.sections.economy.analysis import place_productivity_gap, place_shift_share
from diagnostics.sections.economy.narrative import (
    data_notes_sentences,
    economy_findings,
    headline_note,
    headline_sentence,
    rule_text,
)
from diagnostics.sections.finding import Finding
from diagnostics.sections.session import start


def _row(**values):
    row = {"indicator_id": "gva_per_job", "name": "GVA per job", "unit": "£", "decimals": 0, "value": 52_340.4,
           "country_value": 61_000.0, "period": "2023", "vs_country": "worse", "trend": "increasing"}
    return pd.Series({**row, **values})


def test_a_headline_sentence_gives_value_country_comparison_and_trend():
    assert headline_sentence(_row(), "England") == (
        "GVA per job: £52,340 in 2023 against £61,000 in England, significantly worse; recent trend: increasing."
    )
    assert headline_sentence(_row(vs_country="similar", trend=""), "England") == (
        "GVA per job: £52,340 in 2023 against £61,000 in England, not significantly different."
    )


def test_a_figure_published_without_an_interval_is_compared_by_size():
    row = _row(indicator_id="gdp_per_head", name="GDP per head", vs_country="not compared", value=91_500.0,
               country_value=61_000.0, trend="")
    assert headline_sentence(row, "England") == (
        "GDP per head: £91,500 in 2023 against £61,000 in England (+50.0%; a published figure without an interval) "
        "(output where people work divided by the people who live there: high where many commute in)."
    )


def test_a_longer_unit_follows_the_value():
    row = _row(unit="per 10,000 adults", decimals=1, value=412.25, country_value=400.0, vs_country="better", trend="")
    assert headline_sentence(row, "England") == (
        "GVA per job: 412.2 per 10,000 adults in 2023 against 400.0 in England, significantly better."
    )


def test_the_rule_names_the_thresholds():
    assert rule_text() == (
        "Specialisation: location quotient (LQ) at least 1.25 (strong at 2); under-represented: LQ at most 0.8; "
        "either only for sectors with at least 1% of the place's jobs."
    )


def test_findings_each_name_a_chart_on_the_page(default_dx):
    found = economy_findings(default_dx)
    charts = {heading for heading, view in page.VIEWS if view.__name__.endswith("chart")}
    assert len(found) >= 4 and all(isinstance(f, Finding) for f in found)
    assert all(f.evidence in charts for f in found)
    assert {"Industrial structure", "Shift-share: national growth, industry mix and local effect", "Productivity gap"} <= {f.evidence for f in found}


def test_the_industry_findings_give_the_numbers_of_their_tables(default_dx):
    found = {f.evidence: f.text for f in economy_findings(default_dx)}
    shift = place_shift_share(default_dx).table.iloc[-1]
    assert f"Jobs changed by {shift['change']:+,.0f} ({shift['local_growth_pct']:+.1f}%)" in found["Shift-share: national growth, industry mix and local effect"]
    gap = place_productivity_gap(default_dx).table.iloc[-1]
    sign = "-" if gap["gap"] < 0 else "+"
    assert re.search(rf"by \{sign}£{abs(gap['gap']):,.0f} \(", found["Productivity gap"])


def test_findings_on_real_data_explain_gdp_per_head(england_dx):
    found = economy_findings(england_dx)
    gdp = [f for f in found if f.text.startswith("Gross domestic product per head")]
    assert gdp and "commute in" in gdp[0].text and gdp[0].evidence == "How the place compares"


def test_the_headline_note_names_figures_without_intervals_on_real_data(england_dx):
    note = headline_note(england_dx)
    assert note.startswith("Published without a confidence interval, so compared by size only")
    assert note.endswith("Every figure here is ready-made (published by ONS through Explore Local Statistics), with its "
                         "published 95% interval where there is one.")


def test_data_notes_say_how_industry_figures_were_made(industry_store):
    notes = data_notes_sentences(start("D1", industry_store, comparators="region"))
    assert "Industry figures for Ashcombe: published for the district, 2022 to 2023; source hand-made, vintage test." in notes
    assert "Tinyland: the sum of its 4 districts, 2023." in notes
    assert "National years left out (incomplete): 2022." in notes
    assert rule_text() in notes


def test_data_notes_give_the_reason_and_no_methods_without_industry_figures(tiny_store, england_dx):
    notes = data_notes_sentences(start("D2", tiny_store, comparators="region"))
    assert any("no industry table" in n for n in notes) and rule_text() not in notes
    real = data_notes_sentences(england_dx)
    assert interval_note(england_dx.store) in real[0] and "Wilson" not in real[0]
    assert not any(n.startswith("Shift-share: Dunn") for n in real)


@pytest.mark.parametrize("start_year", [1990, "last year"])
def test_findings_refuse_bad_years(default_dx, start_year):
    with pytest.raises(InvalidParameter, match="'start_year' parameter of shift_share must be a year"):
        economy_findings(default_dx, start_year=start_year)
