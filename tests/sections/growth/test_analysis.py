"""The growth section's results for a session's place (diagnostics.sections.growth.analysis), on the
tiny store's hand-made register (tests/sections/growth/registers.py) and the small country."""

from __future__ import annotations

import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.analysis import (
    GrowthPage,
    HotSpots,
    definition_of,
    growth_page,
    place_hot_spots,
    place_sectors,
    recent_growth_firms,
    register_problem,
    register_source,
    set_definition,
)
from diagnostics.sections.growth.classify import OECD_EUROSTAT
from diagnostics.sections.session import start


def test_growth_page_holds_the_places_register_rates_and_years(firms_dx):
    page = growth_page(firms_dx)
    assert isinstance(page, GrowthPage) and page.definition == OECD_EUROSTAT
    assert (page.years, page.latest, page.recent_years) == ((2022, 2023), 2023, [2022, 2023])
    assert (page.period(), page.period(2022)) == ("growth 2020 to 2023", "growth 2019 to 2022")
    assert page.register.firms.loc[page.in_place, "firm_id"].tolist() == ["A", "B", "D"]  # Ashcombe's
    assert set(page.rates["area_code"]) == {"D1", "D2", "R1", "C1"}  # the place, its comparator, region, country
    assert set(page.peer_rates["area_code"]) == {"D1", "D2"}  # every district with firms, for ranks


def test_growth_page_is_computed_once_per_place_for_every_session(firms_store):
    assert growth_page(start("D1", firms_store, comparators="region")) is growth_page(
        start("D1", firms_store, comparators="region"))


def test_recent_growth_firms_are_the_recent_scaleups_fastest_first(firms_dx):
    firms = recent_growth_firms(growth_page(firms_dx))
    assert firms["firm_id"].tolist() == ["C", "A"]  # of the whole register: the map and hot spots place them
    assert firms["end_year"].tolist() == [2022, 2022]
    assert firms["employment_growth"].tolist() == pytest.approx([3 ** (1 / 3) - 1, 1.8 ** (1 / 3) - 1])


def test_place_sectors_pool_the_recent_windows(firms_dx):
    table = place_sectors(firms_dx).set_index("section")
    # A (J) is high-growth in the window ending 2022 and has 10+ employees in 2022 and 2023; so has B (G)
    assert table.loc["J", ["businesses_10plus", "high_growth", "share"]].tolist() == [2, 1, 100.0]
    assert table.loc["G", ["businesses_10plus", "high_growth"]].tolist() == [2, 0]
    assert table.loc["J", "country_high_growth"] == 1  # C (manufacturing) is in Brackley Vale


def test_hot_spots_say_why_four_small_areas_cannot_be_tested(firms_dx):
    result = place_hot_spots(firms_dx)
    assert isinstance(result, HotSpots) and result.spots is None
    assert result.problem == "The 'areas' parameter of getis_ord_hot_spots must have at least 5 areas to test; got 4."
    assert result.study_area == "North Region"


def test_hot_spots_of_the_small_country_cover_the_region_and_mark_the_place(small_dx):
    result = place_hot_spots(small_dx)
    spots = result.spots
    assert result.problem == "" and result.study_area == small_dx.name_of(small_dx.region_code)
    assert set(spots["spot"]) <= {"hot", "cold", "not significant"}
    assert 0 < spots["in_place"].sum() < len(spots)
    assert spots["neighbourhood"].notna().all() and spots["name"].notna().all()


def test_register_problem_says_what_is_missing_and_how_to_add_a_register(tiny_store, firms_store):
    problem = register_problem(start("default", tiny_store, comparators="region"))
    assert problem.startswith("This store has none (no firms and firm_years tables). Published data does not include one.")
    assert "place-diagnostic data import --firms FILE --store STORE" in problem and "--map COLUMN=FIELD" in problem
    assert register_problem(start("D1", firms_store, comparators="region")) is None


def test_register_source_names_the_register_and_its_vintage(firms_store):
    assert register_source(firms_store) == "synthetic firm register (synthetic)"


def test_set_definition_must_come_before_the_views(firms_store):
    dx = start("D1", firms_store, comparators="region")
    set_definition(dx, threshold=0.10)
    assert definition_of(dx).threshold == 0.10 and growth_page(dx).definition.threshold == 0.10
    with pytest.raises(InvalidParameter, match="must be set before any growth view runs in this session; views "
                                               "already used more than 10% a year over 3 years"):
        set_definition(dx, threshold=0.20)


def test_a_session_without_a_chosen_definition_uses_oecd_eurostat(firms_dx):
    assert definition_of(firms_dx) is OECD_EUROSTAT
