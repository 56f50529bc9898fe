"""The growth page's views of the model (diagnostics.sections.growth.model_views): one rendering test
per view, and the model's terms as people read them."""

from __future__ import annotations

from diagnostics.sections.growth.model_views import factor_label, likely_growers, model_performance, odds_ratios
from diagnostics.sections.growth.place_model import place_candidates, place_model


def test_a_term_reads_as_a_factor_against_its_reference():
    assert factor_label("sector: J") == "Sector: Information and communication (against Wholesale and retail)"
    assert factor_label("age: 3-5 years") == "Age 3-5 years (against 20 years or more)"
    assert factor_label("density: per tenfold") == "Population density of the location: ten times higher"


def test_odds_ratios_are_tabled_with_their_words(small_dx):
    shown = odds_ratios(small_dx).data
    assert "Sector: Information and communication (against Wholesale and retail)" in shown
    assert f"fitted on {place_model(small_dx).model.n_train:,} firm-windows" in shown


def test_model_performance_gives_the_held_out_auc(small_dx):
    model = place_model(small_dx).model
    assert f"<strong>{model.test_auc:.3f}</strong>" in model_performance(small_dx).data


def test_likely_growers_are_ranked(small_dx):
    shown = likely_growers(small_dx).data
    assert f"The {len(place_candidates(small_dx))} firms of {small_dx.place.name}" in shown


def test_without_a_model_each_view_says_why(firms_dx):
    for view in (odds_ratios, model_performance, likely_growers):
        assert "<strong>Not available:</strong> The firm register has too few firm-windows" in view(firms_dx).data
