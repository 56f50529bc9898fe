"""Pieces the geographies page's views share (diagnostics.sections.geographies.notes)."""

from __future__ import annotations

from diagnostics.sections.geographies.narrative import Counting
from diagnostics.sections.geographies.notes import basis_note, geography_source, overlaps_unavailable
from diagnostics.sections.session import start


def test_the_basis_note_appears_only_when_small_areas_are_counted():
    assert basis_note(Counting("residents")) == ""
    note = basis_note(Counting("small areas"))
    assert note.startswith("<p class='pd-basis'><strong>Counted in small areas, not residents:</strong>")


def test_the_source_line_gives_the_year_of_the_residents(tiny_store, tiny_england_store):
    assert geography_source(start("D2", tiny_store, comparators="region"), "lookups") == (
        '<p class="pd-source">Source: synthetic (synthetic): lookups; period: residents 2023</p>'
    )
    real = geography_source(start("E08000002", tiny_england_store, comparators="region"), "lookups")
    assert real.endswith("): lookups</p>") and "; period:" not in real


def test_the_notice_says_why_the_overlaps_cannot_be_worked_out(tiny_store):
    shown = overlaps_unavailable(start("D2", tiny_store, comparators="region"), "no lookups").data
    assert "Overlaps not available" in shown and "The overlaps of Brackley Vale cannot be worked out: no lookups." in shown
