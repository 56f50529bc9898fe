"""The summary page (diagnostics.sections.summary.page): its views in order, the map, the comparators and
the notes on the data (one rendering test each), and every view for every kind of place."""

from __future__ import annotations

import json
import re

import pytest

from diagnostics.resources import notebooks_dir
from diagnostics.sections.session import start
from diagnostics.sections.summary import page


def test_the_summary_notebook_shows_every_view_in_order():
    assert [heading for heading, _ in page.VIEWS] == [
        "Where the place is", "Headline measures", "Strengths and challenges", "Headline indicators",
        "Against the country", "Comparators", "About the data",
    ]
    nb = json.loads((notebooks_dir() / "00_summary.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    headings = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"][1:]
    assert headings == [f"## {h}" for h, _ in page.VIEWS]
    assert code[2:] == [f"summary.{view.__name__}(dx)" for _, view in page.VIEWS]


def test_the_location_map_draws_the_place_or_says_why_it_cannot(store, tiny_england_store):
    assert "L.map(" in page.location_map(start("default", store)).data
    assert "ttwa" not in tiny_england_store.boundary_layers()
    code = tiny_england_store.areas_in_layer("ttwa")["code"].iloc[0]
    shown = page.location_map(start(code, tiny_england_store)).data
    assert "No map" in shown and "no boundaries for the" in shown


def test_the_comparators_table_gives_the_neighbours_and_what_stood_in(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="nearest")
    shown = page.comparators_table(dx).data
    caption = re.search(r"<caption>(.*?)</caption>", shown, re.S).group(1)
    assert caption.startswith("Statistical nearest neighbours: weighted Euclidean distance")
    assert "stand-ins are used" in caption
    assert shown.count("<tr>") == len(dx.neighbours) + 1


def test_data_notes_name_the_intervals_each_store_really_has(store, tiny_england_store):
    synthetic = page.data_notes(start("default", store)).data
    real = page.data_notes(start("E08000001", tiny_england_store)).data
    assert "Wilson score" in synthetic and "publishers" not in synthetic
    assert "publishers&#x27; own 95% intervals" in real and "Wilson" not in real and "Byar" not in real
    assert "Not in this store: " in real  # the manifest's list of what real open data cannot give


@pytest.mark.parametrize(("fixture", "code"), [("store", "country"), ("store", "health_area"), ("store", "small_area"),
                                               ("store", "ttwa"), ("tiny_store", "H1"), ("tiny_england_store", "E07000001")])
def test_no_view_raises_or_shows_a_missing_number_for_any_kind_of_place(request, fixture, code):
    chosen = request.getfixturevalue(fixture)
    if code in chosen.layers:
        code = chosen.areas_in_layer(code)["code"].iloc[0]
    dx = start(code, chosen)
    for heading, view in page.VIEWS:
        text = re.sub(r"<[^>]+>", " ", view(dx).data)
        assert "Traceback" not in text and "nan" not in text.split(), heading
        assert "gva_per_head not available" not in text, heading


def test_the_comparators_table_of_a_real_store_lists_onss_areas_and_says_why_by_default(tiny_england_store):
    dx = start("E08000001", tiny_england_store)
    shown = page.comparators_table(dx).data
    caption = re.search(r"<caption>(.*?)</caption>", shown, re.S).group(1)
    assert caption.startswith("Comparators: ONS&#x27;s 3 most similar areas (global), the default where ONS publishes them")
    assert shown.count("<tr>") == len(dx.comparator_codes) + 1
