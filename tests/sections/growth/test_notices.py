"""What the growth page shows in place of a view the data cannot support
(diagnostics.sections.growth.notices): one notice without a register, a pointer under each firm-level
view, and what a register too short for one window needs."""

from __future__ import annotations

from diagnostics.exceptions import DiagnosticsError
from diagnostics.sections.growth import page
from diagnostics.sections.growth.notices import guarded, needs_register, unavailable
from diagnostics.sections.session import start

#: Views that show something other than the pointer without a register.
_NOT_FIRM_LEVEL = (page.growth_headline_table, page.skills_productivity_survival, page.definitions)


def test_a_store_without_firms_shows_one_notice_and_a_pointer_under_each_firm_level_view(tiny_store):
    dx = start("default", tiny_store, comparators="region")
    shown = {heading: view(dx).data for heading, view in page.VIEWS}
    first = shown["High-growth firms at a glance"]
    assert first.count("Firm-level analysis not available") == 1 and "data import --firms FILE" in first
    assert "No published growth figures" in first  # the tiny store has no high-growth share either
    assert sum(markup.count("Firm-level analysis not available") for markup in shown.values()) == 1  # said once
    pointer = needs_register().data
    assert "class='pd-notice pd-needs-register'" in pointer and "style=" not in pointer
    for heading, view in page.VIEWS:
        if view not in _NOT_FIRM_LEVEL:
            assert shown[heading] == pointer, heading


def test_a_register_too_short_for_one_window_says_how_many_years_it_needs(short_firms_store):
    dx = start("D1", short_firms_store, comparators="region")
    text = ("The firm register covers 2022 to 2023: a growth window of 3 years needs at least 4 years of records. "
            "Add earlier years to the register, or choose a shorter window.")
    assert text in page.sectors(dx).data and "Too few years" in page.hot_spots(dx).data
    assert "Data-quality checks of the firm register (4 firms, 8 firm-years)" in page.data_quality(dx).data


def test_a_guarded_view_shows_a_problem_on_the_way_as_a_notice(firms_store):
    @guarded
    def too_thin(dx):
        """A view whose data is too thin."""
        raise DiagnosticsError("Too few areas.")

    shown = too_thin(start("D1", firms_store, comparators="region")).data
    assert shown == unavailable(DiagnosticsError("Too few areas.")).data
    assert "<strong>Not available:</strong> Too few areas." in shown
    assert too_thin.__name__ == "too_thin" and too_thin.__doc__ == "A view whose data is too thin."
