"""The summary's headline cards (diagnostics.sections.summary.cards)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from diagnostics.render.palette import COMPARISON_COLOURS
from diagnostics.render.style import stylesheet
from diagnostics.sections.session import start
from diagnostics.sections.summary import cards
from diagnostics.sections.summary.analysis import card_measures

ROW = {"indicator_id": "employment_rate", "name": "Employment rate", "unit": "%", "decimals": 1, "status": "ok",
       "value": 76.25, "lower_ci": 74.0, "upper_ci": 78.5, "country_value": 75.0, "vs_country": "similar",
       "trend": "increasing and getting better", "rank": 3, "n_ranked": 40, "period": "2024", "source": "APS"}


def _text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_a_card_shows_value_interval_comparison_trend_rank_and_source():
    card = cards.card_html(ROW, "England")
    assert card.startswith('<div class="pd-card" role="listitem" data-indicator="employment_rate" data-comparison="similar">')
    assert _text(card) == ("Employment rate 76.2% 95% CI (74.0 to 78.5) Similar to England (75.0%) ↑ Trend: increasing "
                           "and getting better Rank 3 of 40 2024; APS")


@pytest.mark.parametrize(("changes", "line"), [
    ({"vs_country": "better"}, "Better than England (75.0%)"),
    ({"vs_country": "not compared"}, "England: 75.0% (not compared: no interval)"),
    ({"country_value": np.nan}, "No national value to compare with"),
])
def test_a_card_says_how_it_compares_in_words(changes, line):
    assert f'<div class="pd-card-line">{line}</div>' in cards.card_html({**ROW, **changes}, "England")


def test_a_count_is_not_compared_with_the_countrys_total_and_a_long_unit_is_set_apart():
    population = {**ROW, "unit": "people", "decimals": 0, "value": 141_250.0, "country_value": 5.6e7}
    assert "England" not in cards.card_html(population, "England", value_type="count")
    rate = cards.card_html({**ROW, "unit": "per 100 000", "value": 812.4}, "England")
    assert '<div class="pd-card-value">812.4 <span class="pd-card-unit">per 100 000</span></div>' in rate


def test_a_card_without_data_says_so_and_never_shows_a_zero():
    card = cards.card_html({**ROW, "status": "not available for this place in the store"}, "England")
    assert 'class="pd-card-value"' not in card and "data-comparison" not in card
    assert "<em>not available for this place in the store</em>" in card


def test_the_stylesheet_colours_each_cards_edge_as_the_palette_colours_its_comparison():
    css = stylesheet()
    for label, colour in COMPARISON_COLOURS.items():
        assert f'.pd-card[data-comparison="{label}"]{{border-left-color:{colour}}}' in css, label


def test_the_cards_view_shows_every_measure_then_the_deprivation_cards(store):
    dx = start("default", store)
    shown = cards.headline_cards(dx).data
    measures = card_measures(dx)
    indicators = re.findall(r'class="pd-card" role="listitem" data-indicator="([^"]*)"', shown)
    assert indicators == list(measures["indicator_id"]) + ["deprivation_imd_average_rank", "deprivation_imd_most_deprived_10pct"]
    assert shown.startswith('<div class="pd-synthetic">') and "<p class='pd-source'>Each card:" in shown


def test_deprivation_cards_show_the_imd_average_rank_and_most_deprived_share_with_ranks(tiny_england_store):
    dx = start("E08000038", tiny_england_store)  # Delta: worked by hand in tests/helpers/england_files.py
    shown = cards.deprivation_cards(dx)
    assert shown.count('class="pd-card"') == 2 and shown.count('data-comparison=""') == 2
    text = _text(shown)
    assert "19,645" in text and "Rank 2 of 4 districts (1 = most deprived)" in text
    assert "50.0%" in text
    assert "2019; MHCLG English Indices of Deprivation 2019" in text  # period and source
    assert "IoD2019" in text  # vintage


def test_deprivation_cards_on_the_synthetic_store_are_computed_from_small_area_scores(store):
    text = _text(cards.deprivation_cards(start("default", store)))
    n = len(store.areas_in_layer("district"))
    assert "Deprivation (IMD): average rank" in text and f"of {n} districts" in text
    assert "small-area deprivation scores, summarised here" in text
    assert cards.deprivation_cards(start(store.areas_in_layer("small_area")["code"].iloc[0], store)) == ""

