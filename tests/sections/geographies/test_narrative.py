"""The geographies page's sentences (diagnostics.sections.geographies.narrative), worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.sections.geographies.narrative import (
    Counting,
    apportioned_place_sentence,
    counting,
    custom_boundary_lines,
    largest_gap_sentence,
    layer_sentence,
    other_way_round_sentence,
    split_lead,
)

SPLIT = pd.Series({"layer_label": "Health area (ICB)", "relationship": "split between 2 areas"})
ROWS = pd.DataFrame({"area_name": ["Health Area North", "Health Area East"], "place_share": [0.82, 0.18],
                     "area_share": [0.2, 0.05], "population": [82.0, 18.0]})
SMALL_AREAS = Counting("small areas")


def test_a_split_layer_names_both_areas_and_their_shares():
    assert layer_sentence("Radworth", SPLIT, ROWS) == (
        "Health area (ICB): 82% of Radworth's residents are in Health Area North; "
        "the other 18% are in Health Area East."
    )


def test_a_place_inside_one_area_says_what_share_of_the_area_it_is():
    inside = pd.Series({"layer_label": "Region", "relationship": "inside one area"})
    assert layer_sentence("Radworth", inside, ROWS.head(1).assign(place_share=1.0)) == (
        "Region: all of Radworth's residents are in Health Area North, where they are 20% of its residents."
    )
    assert layer_sentence("Radworth", inside, ROWS.head(1).assign(place_share=1.0), SMALL_AREAS) == (
        "Region: all of Radworth's small areas are in Health Area North, where they are 20% of its small areas."
    )


def test_many_areas_are_listed_three_then_counted():
    rows = pd.DataFrame({"area_name": list("ABCDEF"), "place_share": [0.5, 0.2, 0.1, 0.1, 0.06, 0.04],
                         "area_share": [0.1] * 6, "population": [50.0, 20, 10, 10, 6, 4]})
    assert layer_sentence("Radworth", SPLIT, rows) == (
        "Health area (ICB): 50% of Radworth's residents are in A; the other 50% are spread over 5 areas "
        "(20% in B, 10% in C, 10% in D and 10% in 2 more)."
    )


def test_a_place_of_whole_areas_and_one_sharing_nobody_say_so():
    whole = pd.Series({"layer_label": "Ward", "relationship": "made of whole areas"})
    assert layer_sentence("Radworth", whole, ROWS) == (
        "Ward: Radworth is made of 2 whole areas, so its figures add up exactly from theirs."
    )
    assert layer_sentence("Radworth", SPLIT, ROWS.assign(population=0.0), SMALL_AREAS) == (
        "Health area (ICB): none of Radworth's small areas are in an area of this layer."
    )


def test_the_lead_counts_the_splitting_layers_and_keeps_acronyms():
    scores = pd.DataFrame({"layer_label": ["Health area (ICB)", "NHS region", "Region"],
                           "relationship": ["split between 2 areas", "split between 3 areas", "inside one area"]})
    assert split_lead("Radworth", scores) == (
        "Radworth is split by 2 of the 3 other geographies: health area (ICB), NHS region. Figures published for "
        "those areas do not describe the place, and the place's own figures cannot be added up from theirs."
    )
    assert split_lead("Radworth", scores.iloc[[2]]) == (
        "Radworth lines up with every other geography: each area either contains it or lies wholly inside it."
    )


def test_counting_words_follow_the_store(tiny_store, tiny_england_store):
    assert counting(tiny_store) == Counting("residents")
    assert counting(tiny_england_store) == SMALL_AREAS
    assert (Counting().weighted, SMALL_AREAS.weighted) == ("residents-weighted", "small-area-count-weighted")
    assert (Counting().populations, SMALL_AREAS.populations) == ("small-area populations", "small-area counts")
    assert SMALL_AREAS.measured == "Small areas counted through the lookups"
    assert "residents" not in " ".join([SMALL_AREAS.noun, SMALL_AREAS.weighted, SMALL_AREAS.measured])


def test_the_worked_examples_sentences_by_hand():
    worst = pd.Series({"method_label": "apportioned from district by residents", "area_name": "Health Area South",
                       "value": 23.576271, "difference": 7.576271, "split_share": 0.184615})
    assert largest_gap_sentence(worst, 1) == (
        "The largest gap: apportioned from district by residents gives Health Area South 23.6 against 16.0 built "
        "from small areas (+7.58); 18% of its residents or land came from districts it shares."
    )
    meta = pd.Series({"name": "Smoking prevalence in adults", "short_name": "Smoking"})
    assert other_way_round_sentence(meta, "Radworth") == (
        "The other way round: had Smoking been published only for health areas, Radworth's own figure would have "
        "to be apportioned from them:"
    )
    unnamed = pd.Series({"name": "Smoking prevalence in adults", "short_name": None})
    assert other_way_round_sentence(unnamed, "Radworth").startswith(
        "The other way round: had Smoking prevalence in adults been")


@pytest.mark.parametrize(("lower", "upper", "ending"), [
    (12.0, 16.0, "within the interval of its own figure: here the method changes little."),
    (10.0, 14.0, "outside the interval of its own figure: here the method changes the conclusion."),
])
def test_the_place_apportioned_from_health_areas_is_set_against_its_own_interval(lower, upper, ending):
    assert apportioned_place_sentence("Radworth", 15.25, 1.75, lower, upper, 1) == (
        f"Apportioned from health areas by residents, Radworth would read 15.2 instead of 13.5 (+1.75), {ending}"
    )


def test_a_custom_boundary_says_how_it_was_matched_and_what_best_fit_misplaces():
    info = {"file": "town.geojson", "n_small_areas": 1234, "misplaced_share": 0.062, "residents_outside": 410.4,
            "residents_left_out": 1290.6, "notes": ["Repaired an invalid polygon."]}
    assert custom_boundary_lines("Town centre", info, "its region's districts") == [
        "Town centre was drawn from the file town.geojson and matched to 1,234 small areas by best fit (each small "
        "area whose representative point lies inside the boundary).",
        "6% of the residents counted are misplaced by best fit: about 410 counted live outside the boundary and "
        "about 1,291 living inside it are in small areas counted elsewhere (assuming residents are spread evenly "
        "over each small area's land).",
        "Its indicators are built from small-area counts (numerators and denominators summed, intervals recomputed); "
        "it is compared with its region's districts.",
        "Repaired an invalid polygon.",
    ]
