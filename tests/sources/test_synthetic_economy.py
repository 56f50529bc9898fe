"""Tests of the synthetic country's economy (industry, economy indicators) and firm register."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.sources.synthetic.demography import build_demography
from diagnostics.sources.synthetic.economy import ECONOMY_INDICATORS, build_economy
from diagnostics.sources.synthetic.firms import SIC_CODES, build_firms
from diagnostics.sources.synthetic.geography import build_geography
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.schema import validate_table

YEARS = tuple(range(2013, 2025))


def _geography():
    """The small synthetic geography and its population (scale "small")."""
    geo = build_geography("small", np.random.default_rng(11))
    return geo, build_demography(geo, YEARS, np.random.default_rng(12))["population"]


@pytest.fixture(scope="module")
def country():
    geo, population = _geography()
    economy = build_economy(geo, population, YEARS, np.random.default_rng(1))
    firms = build_firms(geo, population, economy["industry"], YEARS, np.random.default_rng(2))
    return {"geo": geo, "population": population, **economy, **firms}


def test_every_table_passes_the_contract(country):
    for name in ("industry", "indicators", "firms", "firm_years"):
        validate_table(name, country[name])


def test_industry_has_every_district_year_and_section_once(country):
    industry = country["industry"]
    assert len(industry) == len(country["geo"].districts) * len(YEARS) * len(SIC_SECTIONS)
    assert set(industry["sic_section"]) == set(SIC_SECTIONS)
    assert (industry["employment"] >= 0).all() and (industry["gva"] >= 0).all()


def test_sections_add_up_to_district_totals_consistently_with_the_gva_per_job_indicator(country):
    totals = country["industry"].groupby(["area_code", "year"])[["employment", "gva"]].sum()
    ind = country["indicators"].set_index(["indicator_id", "area_code", "year"])
    per_job = ind.loc["gva_per_job"].reindex(totals.index)
    np.testing.assert_allclose(per_job["denominator"], totals["employment"])
    np.testing.assert_allclose(per_job["numerator"], totals["gva"] * 1e6, rtol=1e-9)


def _location_quotients(industry: pd.DataFrame, year: int) -> pd.DataFrame:
    jobs = industry[industry["year"] == year].pivot_table(index="area_code", columns="sic_section", values="employment")
    return jobs.div(jobs.sum(axis=1), axis=0) / (jobs.sum() / jobs.sum().sum())


def test_some_districts_have_location_quotients_above_two(country):
    lq = _location_quotients(country["industry"], YEARS[0])
    big = lq[[s for s in SIC_SECTIONS if s not in "TU"]]
    assert (big > 2).any(axis=1).sum() >= 1


def test_urban_districts_lean_to_services_and_rural_ones_to_farming(country):
    lq = _location_quotients(country["industry"], YEARS[0])
    urban = country["geo"].districts.set_index("code")["urban_share"].reindex(lq.index)
    assert np.corrcoef(urban, lq[["J", "K", "M", "N"]].mean(axis=1))[0, 1] > 0.3
    assert np.corrcoef(urban, lq["A"])[0, 1] < -0.3


def test_national_sector_growth_differs_between_sections(country):
    national = country["industry"].groupby(["sic_section", "year"])["employment"].sum().unstack("year")
    growth = national[YEARS[-1]] / national[YEARS[0]]
    assert growth["J"] > growth["M"] * 0 + 1.15 and growth["B"] < 0.9
    assert growth.drop(["T", "U"]).std() > 0.05


def test_gva_per_job_is_high_in_finance_and_energy_and_low_in_hospitality(country):
    national = country["industry"].groupby("sic_section")[["gva", "employment"]].sum()
    per_job = national["gva"] / national["employment"]
    assert min(per_job["K"], per_job["D"]) > 1.8 * per_job.median() and per_job["B"] > 1.2 * per_job.median()
    assert max(per_job["I"], per_job["Q"], per_job["S"]) < per_job.median()


def test_economy_indicators_exist_for_every_district_year_and_every_parent(country):
    ind = country["indicators"]
    assert set(ind["indicator_id"]) == set(ECONOMY_INDICATORS)
    assert set(ECONOMY_INDICATORS) <= set(committed_catalogue()["indicator_id"])
    areas = country["geo"].areas
    for layer in ("district", "county", "region", "country"):
        codes = areas.loc[areas["layer"] == layer, "code"]
        got = ind[ind["area_code"].isin(codes)]
        assert len(got) == len(codes) * len(YEARS) * len(ECONOMY_INDICATORS), layer
        assert got["value"].notna().all(), layer


def test_economy_indicators_are_in_english_ranges(country):
    ind = country["indicators"]
    district = ind[ind["area_code"].isin(country["geo"].districts["code"])]
    median = district.groupby("indicator_id")["value"].median()
    assert 60 < median["employment_rate"] < 85 and 0.5 < median["claimant_rate"] < 8
    assert 350 < median["median_weekly_pay"] < 750 and 40 < median["qualifications_level3_plus"] < 85
    assert 15_000 < median["gva_per_head"] < 80_000 and 35_000 < median["gva_per_job"] < 120_000
    assert 6 < median["business_birth_rate"] < 18 and 5 < median["business_death_rate"] < 16
    assert 35 < median["business_survival_3yr"] < 75 and 250 < median["business_density"] < 900
    half = (district["upper_ci"] - district["lower_ci"]) / 2
    assert 1 < half[district["indicator_id"] == "employment_rate"].median() < 5


def test_employment_falls_and_claims_rise_with_deprivation(country):
    ind = country["indicators"]
    dep = country["geo"].districts.set_index("code")["deprivation_score"]
    means = ind[ind["area_code"].isin(dep.index)].groupby(["indicator_id", "area_code"])["value"].mean().unstack(0)
    means = means.join(dep)
    assert means["employment_rate"].corr(means["deprivation_score"]) < -0.2
    assert means["claimant_rate"].corr(means["deprivation_score"]) > 0.2


def test_every_firm_point_lies_inside_its_small_area(country):
    firms = country["firms"]
    geoms = country["geo"].small_areas.set_index("code").geometry
    polygons = geoms.reindex(firms["small_area_code"].astype(str)).to_numpy()
    assert shapely.contains_xy(polygons, firms["x"].to_numpy(), firms["y"].to_numpy()).all()


def test_firm_ids_are_unique_and_sic_codes_match_their_sections(country):
    firms = country["firms"]
    assert firms["firm_id"].is_unique
    for section, codes in SIC_CODES.items():
        got = firms.loc[firms["sic_section"] == section, "sic"].astype(str)
        assert got.isin(codes).all(), section
        assert all(len(code) == 5 for code in codes)


def test_there_is_about_one_firm_per_25_residents(country):
    residents = country["population"].groupby("year")["population"].sum()
    alive = country["firm_years"].groupby("year").size()
    ratio = alive / residents.reindex(alive.index)
    assert ((ratio > 1 / 32) & (ratio < 1 / 19)).all()


def test_firm_births_deaths_and_sizes_look_like_business_demography(country):
    fy = country["firm_years"]
    firms = country["firms"].set_index("firm_id")
    founded = firms["founded"].reindex(fy["firm_id"].astype(str)).to_numpy()
    active = fy.groupby("year").size()
    birth_rate = pd.Series(founded == fy["year"].to_numpy()).groupby(fy["year"].to_numpy()).sum() / active
    assert birth_rate.loc[YEARS[1]:].between(0.08, 0.18).all()
    last = fy.groupby("firm_id", observed=True)["year"].max()
    deaths = last[last < YEARS[-1]].value_counts()
    death_rate = (deaths / active).loc[YEARS[0]:YEARS[-2]]
    assert death_rate.between(0.06, 0.16).all()
    share_10 = (fy["employment"] >= 10).groupby(fy["year"]).mean()
    assert share_10.between(0.05, 0.15).all()
    assert (fy["employment"] < 10).mean() > 0.8


def _high_growth_share(firm_years: pd.DataFrame, start: int) -> float:
    """OECD-Eurostat: 10+ employees at the start, average annual growth > 20% over three years."""
    e = firm_years.pivot_table(index="firm_id", columns="year", values="employment", observed=True)
    begin, end = e[start], e[start + 3]
    eligible = begin >= 10
    grew = (end / begin) ** (1 / 3) - 1 > 0.2
    return float((grew & eligible & end.notna()).sum() / eligible.sum())


def test_high_growth_firms_are_a_few_percent_of_firms_with_ten_or_more_employees(country):
    shares = [_high_growth_share(country["firm_years"], start) for start in (2014, 2017, 2020)]
    assert all(0.015 < share < 0.09 for share in shares), shares


def test_the_firm_register_is_deterministic_for_a_seed(country):
    geo, population, industry = country["geo"], country["population"], country["industry"]
    again = build_firms(geo, population, industry, YEARS, np.random.default_rng(2))
    pd.testing.assert_frame_equal(again["firms"], country["firms"])
    pd.testing.assert_frame_equal(again["firm_years"], country["firm_years"])
    economy = build_economy(geo, population, YEARS, np.random.default_rng(1))
    pd.testing.assert_frame_equal(economy["indicators"], country["indicators"])
