"""The population and deaths steps of an England import, on the tiny England with ONS's mid-year
estimates (2014 CSVs, a 2022 workbook, the 2024 persons CSV) and the 2014 deaths Table 2 in their
real layouts: harmonised codes, merged districts summed, names matched, life expectancy and
standardised rates computed for districts and the areas made of them, and bad input reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import england_files as ef
from helpers import england_population_files as pf

from diagnostics.exceptions import ContractViolation
from diagnostics.sections.health.headline import health_headline
from diagnostics.sections.health.mortality import mortality_measures, mortality_unavailable_reason, small_area_mortality_reason
from diagnostics.sources.england import import_folder
from diagnostics.stats import ESP2013, dsr, life_expectancy
from diagnostics.store.schema import validate_table
from diagnostics.store.store import open_store


def _folder(root):
    folder = ef.write_tiny_england(root / "downloads")
    pf.write_mye_2014_csvs(folder / "population")
    pf.write_mye_xlsx(folder / "population", 2022)
    pf.write_mye_2024_csv(folder / "population")
    pf.write_deaths_table2(folder / "mortality")
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("population")
    report = import_folder(_folder(root), root / "store")
    return report, open_store(root / "store")


def test_every_year_is_held_by_current_district_with_the_merged_one_summed(imported):
    _, store = imported
    table = store.table("district_population")
    assert sorted(table["year"].unique()) == [2014, 2022, 2024]
    assert set(table["area_code"]) == {"E08000001", "E08000002", "E07000001", "E08000038"}
    gamma_2014 = table.loc[(table["area_code"] == "E07000001") & (table["year"] == 2014) & (table["sex"] == "M"), "population"].sum()
    assert gamma_2014 == sum(pf.population(a, "M", 1.0) + pf.population(a, "M", 0.5) for a in range(91))
    assert set(table.loc[table["year"] == 2024, "sex"]) == {"P"}
    assert "districts that later merged summed into their 1 successors" in table.loc[table["year"] == 2014, "vintage"].iloc[0]


def test_the_population_headline_is_the_latest_estimate_for_districts_and_their_parents(imported):
    _, store = imported
    rows = store.indicator_values("population_total", ["E08000001", "E12000001", "E47000001"]).sort_values("year")
    latest = rows.groupby("area_code").last()
    alpha_2024 = sum(int((pf.population(a, "F", 1.0) + pf.population(a, "M", 1.0)) * 1.02) for a in range(91))
    assert latest.loc["E08000001", ["period", "value"]].tolist() == ["2024", alpha_2024]
    assert latest.loc["E47000001", "value"] == 2 * alpha_2024  # Alpha and Beta, the combined authority
    assert store.catalogue.loc["population_total", "method"].startswith("Computed: ONS mid-year estimates")


def test_age_shares_come_from_single_years_with_no_sampling_interval(imported):
    _, store = imported
    row = store.indicator_values("population_aged_65_plus", ["E08000002"]).sort_values("year").iloc[-1]
    people = [int((pf.population(a, "F", 1.0) + pf.population(a, "M", 1.0)) * 1.02) for a in range(91)]
    assert row["value"] == pytest.approx(100 * sum(people[65:]) / sum(people)) and np.isnan(row["lower_ci"])


def test_deaths_are_matched_by_name_and_moved_to_current_codes(imported):
    report, store = imported
    deaths = store.table("district_deaths")
    gamma = deaths.loc[(deaths["area_code"] == "E07000001") & (deaths["sex"] == "F") & (deaths["age_band"] == "90+"), "deaths"].item()
    assert gamma == pf.band_deaths("E07000001", "F", 19) + pf.band_deaths("E07000099", "F", 19)
    assert set(deaths["area_code"]) == {"E08000001", "E08000002", "E07000001", "E08000038"}
    assert any("Usual residence outside England and Wales" in line for line in report.left_out)


def test_life_expectancy_is_chiang_ii_of_the_districts_counts(imported):
    _, store = imported
    pop = np.array([pf.band_population("E08000002", "M", b) for b in range(20)], dtype=float)
    dead = np.array([pf.band_deaths("E08000002", "M", b) for b in range(20)], dtype=float)
    expected = life_expectancy(dead, pop).iloc[0]["value"]
    got = mortality_measures(store, "district").set_index(["indicator_id", "area_code"])
    assert got.loc[("life_expectancy_birth_male", "E08000002"), "value"] == pytest.approx(expected)
    assert got.loc[("life_expectancy_birth_male", "E08000002"), "period"] == "2014"


def test_the_combined_authority_sums_its_whole_districts_and_a_split_health_area_is_left_out(imported):
    _, store = imported
    cauth = mortality_measures(store, "combined_authority")
    assert set(cauth["area_code"]) == {"E47000001"}
    assert mortality_measures(store, "health_area").empty  # both ICBs cut across Beta
    assert mortality_unavailable_reason(store) is None
    assert "districts only" in small_area_mortality_reason(store)


def test_all_age_mortality_is_the_esp2013_rate_of_the_counts(imported):
    _, store = imported
    pop = np.array([pf.band_population(c, s, b) for b in range(20) for c, s in [("E08000001", "F")]], dtype=float)
    dead = np.array([pf.band_deaths(c, s, b) for b in range(20) for c, s in [("E08000001", "F")]], dtype=float)
    row = store.indicator_values("all_age_mortality_female", ["E08000001"]).iloc[0]
    assert row["value"] == pytest.approx(dsr(dead, pop, standard_population=ESP2013)["value"].item())
    assert store.catalogue.loc["all_age_mortality", "method"].startswith("Computed:")


def test_the_health_headline_shows_computed_figures_with_their_inputs(imported):
    _, store = imported
    table = health_headline(store, "E08000001").set_index("indicator_id")
    row = table.loc["life_expectancy_birth_female"]
    assert row["status"] == "ok" and row["period"] == "2014" and row["source"].startswith("Computed: deaths registered in 2014")
    assert "single year" in row["method"]


def test_a_workbook_missing_a_sheet_is_reported_and_persons_are_used(tmp_path):
    folder = _folder(tmp_path)
    (folder / "population" / "ons_mye_uk_mid2022.xlsx").unlink()
    pf.write_mye_xlsx(folder / "population", 2022, sheets=("Persons", "Females"), name="mye22_partial.xlsx")
    report = import_folder(folder, tmp_path / "store")
    assert any("mye22_partial.xlsx has females but not males" in line and "Fix:" in line for line in report.left_out)
    table = open_store(tmp_path / "store").table("district_population")
    assert set(table.loc[table["year"] == 2022, "sex"]) == {"P"}


def test_a_deaths_table_whose_names_match_nothing_is_reported_and_the_import_goes_on(tmp_path):
    folder = _folder(tmp_path)
    pf.write_deaths_table2(folder / "mortality", names={c: f"Nowhere {i}" for i, c in enumerate(pf.DEATHS_NAMES)})
    report = import_folder(folder, tmp_path / "store")
    assert any("no area name of ons_deaths_by_area_2014_table2" in line and "Nowhere 0" in line and "Fix:" in line
               for line in report.left_out)
    store = open_store(tmp_path / "store")
    assert not store.has_table("district_deaths") or store.table("district_deaths").empty
    assert store.has_table("district_population")


def test_a_district_year_with_persons_and_sexes_is_refused_by_the_contract():
    rows = pd.DataFrame({"area_code": ["E1", "E1"], "year": [2020, 2020], "sex": ["P", "F"], "age_band": ["0", "0"],
                         "population": [10, 5], "source": "s", "vintage": "v"})
    with pytest.raises(ContractViolation, match="persons \\(P\\) or females and males"):
        validate_table("district_population", rows)


def test_what_the_district_counts_cannot_give_is_named_with_the_dataset_that_would(imported):
    from diagnostics.sections.health.district_counts import still_missing

    _, store = imported
    missing = still_missing(store)
    assert missing[0].startswith("3-year pooled periods and recent trends (deaths of 2014 only")
    assert any("by small area and by deprivation group" in item for item in missing)


def test_codes_only_the_all_codes_table_knows_are_followed_to_their_successor():
    from diagnostics.sources.england.district_codes import DistrictCodes
    from diagnostics.sources.england.lookups import CodeChanges

    codes = DistrictCodes({"E07000242", "E06000059"}, CodeChanges(merged={"E07000049": "E06000059"}),
                          active={"E07000097": "E07000242"})
    assert [codes.successor(c) for c in ("E07000097", "E07000049", "E06000059", "E09999999")] == [
        "E07000242", "E06000059", "E06000059", None]
    assert codes.merged_into(["E07000049", "E07000050", "E07000097"]) == {}
    assert DistrictCodes({"E06000059"}, CodeChanges(merged={"E07000049": "E06000059", "E07000050": "E06000059"})
                         ).merged_into(["E07000049", "E07000050"]) == {"E07000049": "E06000059", "E07000050": "E06000059"}
