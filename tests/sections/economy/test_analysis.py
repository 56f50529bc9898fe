"""The economy of one place as typed results (diagnostics.sections.economy.analysis)."""

from __future__ import annotations

import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.analysis import (
    ProductivityGap,
    ShiftShare,
    available_headline,
    headline,
    industry_comparison,
    place_productivity_gap,
    place_shift_share,
    place_structure,
)
from diagnostics.sections.economy.indicators import ECONOMY_INDICATORS
from diagnostics.sections.session import start


def test_a_store_without_industry_or_economy_indicators_gives_reasons_not_results(tiny_store):
    dx = start("D2", tiny_store, comparators="region")
    industry = industry_comparison(dx)
    assert industry.problem.startswith("No industry figures for Brackley Vale: the store has no industry table")
    assert industry.nation is None and industry.years == []
    assert place_shift_share(dx) == ShiftShare(None, industry.problem)
    assert place_productivity_gap(dx) == ProductivityGap(None, industry.problem)
    assert list(headline(dx).columns) == BENCHMARK_COLUMNS and available_headline(dx).empty


def test_a_district_is_compared_with_the_sum_of_the_countrys_districts(industry_store):
    dx = start("D1", industry_store, comparators="region")
    industry = industry_comparison(dx)
    assert industry.problem == "" and industry.nation.members == ("D1", "D2", "D3", "D4")
    assert industry.years == [2023] and industry.latest_year == 2023
    assert industry.source == "hand-made (vintage test)"
    structure = place_structure(dx).set_index("sic_section")
    assert structure.loc[["A", "C", "K"], "employment"].tolist() == [110, 310, 160]
    gap = place_productivity_gap(dx)
    assert gap.problem == "" and gap.table.iloc[-1]["year"] == 2023


def test_jobs_without_gva_give_no_productivity_gap_and_name_the_dataset_that_would(jobs_only_store):
    gap = place_productivity_gap(start("D1", jobs_only_store, comparators="region"))
    assert gap.table is None
    assert gap.problem.startswith("the store's jobs by industry (hand-made (vintage test)) carry no gross value added")
    assert "'Regional gross value added (balanced) by industry: local authorities by ITL1 region'" in gap.problem


def test_one_common_year_gives_no_shift_share_and_says_which(industry_store):
    # the country lacks 2022 (D3 has no rows then): one common year
    shift = place_shift_share(start("D1", industry_store, comparators="region"))
    assert shift.table is None
    assert shift.problem == ("A shift-share compares two years, and the industry figures of Ashcombe and Tinyland "
                             "share only 2023 (some areas lack other years; see About the data).")


def test_shift_share_rejects_years_the_figures_do_not_hold(industry_store):
    dx = start("D1", industry_store, comparators="region")
    with pytest.raises(InvalidParameter, match=r"'start_year' parameter of shift_share must be a year with industry figures .*\(2023\); got 2010"):
        place_shift_share(dx, start_year=2010)
    with pytest.raises(InvalidParameter, match="must be before 'end_year'"):
        place_shift_share(dx, start_year=2023, end_year=2022)


def test_a_bad_year_is_refused_even_where_there_are_no_industry_figures(tiny_store):
    with pytest.raises(InvalidParameter, match="'start_year' parameter of shift_share must be a year such as 2015"):
        place_shift_share(start("D2", tiny_store, comparators="region"), start_year="last year")


def test_a_health_area_across_districts_has_no_industry_comparison(industry_store):
    dx = start("H1", industry_store, comparators="region")
    assert "does not follow district boundaries" in industry_comparison(dx).problem
    assert place_shift_share(dx).table is None


def test_the_country_itself_has_no_national_benchmark(industry_store):
    problem = industry_comparison(start("C1", industry_store, comparators="region")).problem
    assert problem.startswith("Tinyland is the whole country (or lies in none), so there is no national benchmark")


def test_headline_is_a_benchmark_table_of_the_economy_indicators(default_dx):
    table = headline(default_dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert list(table["indicator_id"]) == list(ECONOMY_INDICATORS)
    assert (table["status"] == "ok").all()


def test_productivity_gap_agrees_with_the_published_gva_per_job(default_dx):
    """Two routes to GVA per job (the industry table and the indicators table) give the same figure."""
    total = place_productivity_gap(default_dx).table.iloc[-1]
    published = headline(default_dx).set_index("indicator_id").loc["gva_per_job"]
    assert str(int(total["year"])) == published["period"]
    assert total["gva_per_job"] == pytest.approx(published["value"], rel=1e-9)
    assert total["national_gva_per_job"] == pytest.approx(published["country_value"], rel=1e-9)


def test_the_default_place_has_every_industry_result(default_dx):
    industry = industry_comparison(default_dx)
    shift = place_shift_share(default_dx).table
    assert industry.problem == "" and len(industry.years) > 1
    assert (shift["start_year"].iloc[0], shift["end_year"].iloc[0]) == (industry.years[0], industry.years[-1])
    assert place_structure(default_dx)["share"].sum() == pytest.approx(100.0)


def test_the_headline_on_real_data_is_the_ready_made_figures(england_dx):
    assert list(headline(england_dx)["indicator_id"]) == ["gdp_per_head", "gva_per_hour", "employment_rate"]
    assert "no industry table" in industry_comparison(england_dx).problem
