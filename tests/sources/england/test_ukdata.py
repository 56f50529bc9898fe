"""An import of the real downloads in ../shared/ukdata, checked against facts verifiable by hand from
those files; skipped with a reason when the folder is absent. The store is built once per session."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.ukdata

UKDATA = Path(os.environ.get("PLACE_DIAGNOSTICS_UKDATA", Path(__file__).resolve().parents[2] / "shared" / "ukdata"))
if not (UKDATA / "SOURCES.md").is_file():
    UKDATA = Path("/work/shared/ukdata")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory):
    if not (UKDATA / "SOURCES.md").is_file():
        pytest.skip(f"the real downloads are not at {UKDATA} (set PLACE_DIAGNOSTICS_UKDATA to their folder)")
    from diagnostics.sources.england import import_folder
    from diagnostics.store.store import open_store

    report = import_folder(UKDATA, tmp_path_factory.mktemp("real") / "england")
    return report, open_store(report.store)


def _latest(store, indicator, code, period=None):
    rows = store.indicator_values(indicator, [code])
    if period is not None:
        rows = rows.loc[rows["period"] == period]
    return rows.sort_values("year").iloc[-1]


def test_england_has_296_current_districts(real_store):
    # SOURCES.md: LAD24 has 296 English features; Barnsley and Sheffield were re-coded in 2025
    _, store = real_store
    districts = set(store.areas_in_layer("district")["code"])
    assert len(districts) == 296
    assert {"E08000038", "E08000039"} <= districts and not {"E08000016", "E08000019"} & districts


def test_manchester_gva_per_hour_in_2023_is_the_published_figure(real_store):
    # economy/ons_els_gross_value_added.csv: E08000003,...,Gross value added per hour worked,2023-01-01/P1Y,44.77
    _, store = real_store
    row = _latest(store, "gva_per_hour", "E08000003", "2023")
    assert row["value"] == pytest.approx(44.77)


def test_the_icbs_that_westmorland_and_furness_touches(real_store):
    # Barrow and South Lakeland are in Lancashire and South Cumbria ICB, Eden in North East and North Cumbria
    _, store = real_store
    lk = store.lookups
    small = lk.loc[(lk["layer"] == "district") & (lk["area_code"] == "E06000064"), "small_area_code"]
    icbs = set(lk.loc[(lk["layer"] == "health_area") & lk["small_area_code"].isin(small), "area_code"])
    assert icbs == {"E54000048", "E54000050"}
    manchester = lk.loc[(lk["layer"] == "district") & (lk["area_code"] == "E08000003"), "small_area_code"]
    assert set(lk.loc[(lk["layer"] == "health_area") & lk["small_area_code"].isin(manchester), "area_code"]) == {"E54000057"}


def test_every_small_area_of_england_is_placed_in_every_polygon_layer(real_store):
    _, store = real_store
    counts = store.lookups.groupby("layer")["small_area_code"].nunique()
    for layer in ("district", "region", "country", "health_area", "police_force", "ttwa"):
        assert counts[layer] == 32844, layer
    assert sum(store.manifest["best_fit"].values()) == 32844


def test_manchester_population_is_onss_latest_mid_year_estimate(real_store):
    # population/ons_mye2_persons_ew_mid2024_lad2023geog.csv: the "All ages" cell of E08000003
    _, store = real_store
    mye = pd.read_csv(UKDATA / "population" / "ons_mye2_persons_ew_mid2024_lad2023geog.csv", encoding="utf-8-sig")
    expected = mye.loc[mye["Code"] == "E08000003", "All ages"].item()
    latest = _latest(store, "population_total", "E08000003")
    assert (latest["period"], latest["value"]) == ("2024", expected)


def test_population_is_held_for_every_year_and_district_with_merged_districts_summed(real_store):
    # Dorset (E06000059) was made in 2019 of East, North and West Dorset, Purbeck and Weymouth and Portland
    _, store = real_store
    table = store.table("district_population")
    assert sorted(table["year"].unique()) == list(range(2014, 2025))
    assert (table.groupby("year")["area_code"].nunique() == 296).all()
    assert set(table.loc[table["year"] == 2024, "sex"]) == {"P"} and set(table.loc[table["year"] == 2023, "sex"]) == {"F", "M"}
    mye = pd.read_csv(UKDATA / "population" / "ons_mye2_uk_mid2014_persons_syoa.csv", skiprows=2, thousands=",", dtype={"CODE": str})
    parts = mye.loc[mye["CODE"].isin(["E07000049", "E07000050", "E07000051", "E07000052", "E07000053"]), "ALL AGES"].sum()
    dorset = table.loc[(table["year"] == 2014) & (table["area_code"] == "E06000059"), "population"].sum()
    assert dorset == parts


def test_the_file6_sums_stay_for_layers_not_made_of_whole_districts(real_store):
    # the health area holding Manchester (E54000057, Greater Manchester ICB) keeps IoD2019's mid-2015 sums
    _, store = real_store
    with gzip.open(UKDATA / "deprivation_population" / "iod2019_file6_population_denominators_lsoa11.csv.gz", "rt", encoding="utf-8-sig") as fh:
        f6 = pd.read_csv(fh, thousands=",")
    lk = store.lookups
    small = lk.loc[(lk["layer"] == "health_area") & (lk["area_code"] == "E54000057")]
    expected = (small.set_index("small_area_code")["weight"]
                * f6.set_index("LSOA code (2011)")["Total population: mid 2015 (excluding prisoners)"]).sum()
    row = _latest(store, "population_total", "E54000057")
    assert row["period"] == "2015" and row["value"] == pytest.approx(expected)


def test_manchesters_life_expectancy_in_2014_is_within_a_sensible_range(real_store):
    # ONS published 75.7 (men) and 79.8 (women) for Manchester 2012-14; one year of deaths is close to that
    from diagnostics.sections.health.mortality import mortality_measures

    _, store = real_store
    m = mortality_measures(store, "district").set_index(["indicator_id", "area_code"])
    assert 74.0 < m.loc[("life_expectancy_birth_male", "E08000003"), "value"] < 77.5
    assert 78.0 < m.loc[("life_expectancy_birth_female", "E08000003"), "value"] < 81.5
    assert m.loc[("life_expectancy_birth_male", "E08000003"), "period"] == "2014"


def test_every_districts_all_age_mortality_agrees_with_onss_published_rate(real_store):
    # Table 1a's ASMRs (ESP2013) for the districts whose code is unchanged since 2014: within 0.5% each
    from diagnostics.sources.england.published_rates import agreement_with_ons

    _, store = real_store
    table = agreement_with_ons(store, UKDATA / "mortality" / "ons_deaths_by_area_2014_table1a_deaths_rates_asmr_uk.csv",
                               UKDATA / "population" / "ons_mye2_uk_mid2014_persons_syoa.csv")
    districts = table.loc[table["layer"] == "district"]
    assert districts["area_code"].nunique() > 280
    assert districts["difference_pct"].abs().max() < 0.5


def test_the_districts_with_most_small_areas_in_the_most_deprived_tenth_are_mhclgs_five(real_store):
    # MHCLG's IoD2019 statistical release names Middlesbrough, Liverpool, Knowsley, Kingston upon Hull and
    # Manchester as the districts with the highest proportions of LSOAs in the most deprived decile
    _, store = real_store
    rows = store.indicator_values("deprivation_imd_rank_of_most_deprived_10pct")
    rows = rows.loc[rows["area_code"].map(store.layer_of) == "district"].sort_values("value")
    assert list(rows["area_code"].head(5)) == ["E06000002", "E08000012", "E08000011", "E06000010", "E08000003"]
    share = _latest(store, "deprivation_imd_most_deprived_10pct", "E08000003")
    assert share["value"] == pytest.approx(100 * 122 / 282)  # 122 of Manchester's 282 LSOAs have IMD decile 1


def test_ready_made_intervals_are_kept(real_store):
    _, store = real_store
    row = _latest(store, "healthy_life_expectancy_female", "E08000003")
    assert row["lower_ci"] < row["value"] < row["upper_ci"] and row["confidence"] == 0.95


def test_official_comparators_of_manchester_are_onss_list(real_store):
    from diagnostics.sections.session import start

    _, store = real_store
    neighbours = pd.read_csv(UKDATA / "comparators" / "ons_els_global_neighbours.csv", encoding="utf-8-sig").set_index("AREACD")
    listed = [c for c in neighbours.loc["E08000003"].tolist() if c.startswith("E")]
    dx = start("Manchester", store, comparators="official")
    assert dx.comparator_codes == listed[:15]


@pytest.mark.slow
def test_the_summary_runs_end_to_end_for_manchester(real_store, tmp_path):
    from diagnostics.outputs.run import run_place

    _, store = real_store
    result = run_place("Manchester", store=store, out=tmp_path, notebooks=["00_summary"])
    html = Path(result.report).read_text()
    assert "Manchester" in html and "Open Government Licence" in html
    assert "SYNTHETIC" not in html


def test_manchesters_retail_location_quotient_of_local_units_is_the_workbooks(real_store):
    # ons_ukbusiness_activity_size_location_2021.xlsx, Table 16: Manchester's and every English district's local units
    from diagnostics.sections.economy.business_structure import business_location_quotients
    from diagnostics.sections.economy.businesses import place_businesses

    _, store = real_store
    sheet = pd.read_excel(UKDATA / "economy" / "uk_business_activity_size_location" / "ons_ukbusiness_activity_size_location_2021.xlsx",
                          "Table 16", header=None, skiprows=6, engine="calamine")
    districts = sheet.loc[sheet[0].astype(str).str.match(r"^E0[6-9]")].set_index(0).iloc[:, 1:18].astype(float)
    expected = (districts.loc["E08000003"].iloc[5] / districts.loc["E08000003"].sum()) / (districts.iloc[:, 5].sum() / districts.to_numpy().sum())
    manchester, england = place_businesses(store, "E08000003"), place_businesses(store, "E92000001")
    lq = business_location_quotients(manchester.table, england.table, 2021).set_index("group")
    assert lq.loc["47", "lq"] == pytest.approx(expected) and round(lq.loc["47", "lq"], 2) == 1.52
    assert manchester.years == [2017, 2020, 2021] and england.method == "the sum of its 296 districts"


def test_the_computed_high_growth_share_is_the_one_ons_publishes(real_store):
    # highgrowth / active10plus for Manchester 2022: 160 / 3,080; Explore Local Statistics publishes 5.194805%
    _, store = real_store
    computed = _latest(store, "high_growth_enterprises_pct", "E08000003", "2022")
    assert (computed["numerator"], computed["denominator"]) == (160, 3080)
    assert computed["value"] == pytest.approx(_latest(store, "high_growth_share", "E08000003", "2022")["value"], abs=1e-5)
    assert computed["lower_ci"] < computed["value"] < computed["upper_ci"]
def test_buckinghamshire_2019_counted_twice_in_the_harmonised_file_is_left_out_and_said(real_store):
    # the harmonised file gives Buckinghamshire 5,190 active 10+ enterprises in 2019 against 2,590 either side
    report, store = real_store
    periods = set(store.indicator_values("high_growth_enterprises_pct", ["E06000060"])["period"])
    assert "2019" not in periods and {"2018", "2020"} <= periods
    assert any(line.startswith("High-growth enterprises of E06000060 2019:") for line in report.left_out)


def test_manchesters_employment_average_rank_is_weighted_by_working_age_as_mhclg_publishes(real_store):
    # IoD2019 File 10 publishes 20,752.92; weighting by the total population gave 22,273.47
    _, store = real_store
    assert _latest(store, "deprivation_employment_average_rank", "E08000003")["value"] == pytest.approx(20752.92, abs=0.5)


def test_ranks_among_the_317_districts_of_2019_are_given_where_the_code_is_unchanged(real_store):
    _, store = real_store
    rows = store.indicator_values("deprivation_imd_rank_of_average_rank_iod2019")
    assert _latest(store, "deprivation_imd_rank_of_average_rank_iod2019", "E08000003")["note"].startswith("rank among the 317 districts")
    assert "E06000060" not in set(rows["area_code"])  # Buckinghamshire (2020) was four districts in 2019
    assert rows["value"].max() <= 317


def test_every_lsoa_has_its_polygon_and_wards_are_a_layer(real_store):
    # SOURCES.md: 32,844 LSOA11 polygons and 6,826 unique May 2025 wards (one repeated feature) in england_by_lad/
    _, store = real_store
    assert len(store.boundaries("small_area")) == 32844
    wards = store.areas_in_layer("ward")
    assert len(wards) == 6826 and (wards["parent_code"] == "E08000003").sum() == 32  # Manchester's 32 wards
    lk = store.lookups.loc[store.lookups["layer"] == "ward"]
    assert lk["small_area_code"].nunique() == 32844
    # every LSOA is in a ward of its own district
    district = store.lookups.loc[store.lookups["layer"] == "district"].set_index("small_area_code")["area_code"]
    parent = wards.set_index("code")["parent_code"]
    assert (lk["area_code"].map(parent).to_numpy() == lk["small_area_code"].map(district).to_numpy()).all()


def test_by_default_manchester_is_compared_with_onss_published_list(real_store):
    from diagnostics.sections.session import start

    _, store = real_store
    dx = start("Manchester", store)
    assert dx.comparator_codes == start("Manchester", store, comparators="official").comparator_codes
    assert "the default where ONS publishes them" in dx.comparator_method


def test_manchesters_deprivation_map_has_its_282_lsoas_by_published_decile(real_store):
    # deprivation_population/iod2019_file1_imd_lsoa11.csv.gz: 282 LSOAs of E08000003, 122 of them in decile 1
    from diagnostics.sections.health.deprivation import small_area_deciles

    _, store = real_store
    deciles = small_area_deciles(store, "E08000003")
    assert len(deciles) == 282 and (deciles["decile"] == 1).sum() == 122
    assert set(deciles["code"]) <= set(store.boundaries("small_area")["code"])
    assert deciles["source"].iloc[0] == "MHCLG English Indices of Deprivation 2019, File 1/7"


def test_public_money_of_manchester_is_placed_as_the_spending_files_say(real_store):
    # RSX 2024-25 'Total Service Expenditure - Net Current Expenditure (C7)': Manchester 1,264,909, GMCA 862,102.13,
    # GM Police 922,623; NHS England 2024-25: GM ICB (QOP) 5,612,031 + 584,510 + 325,474.88 + 45,899 £k
    _, store = real_store
    spend = store.table("spend").groupby(["body_code", "period"])["net"].sum()
    assert spend[("E08000003", "2024-25")] == pytest.approx(1_264_909.0)
    assert spend[("E47000001", "2024-25")] == pytest.approx(862_102.13)
    assert spend[("E54000057", "2024-25")] == pytest.approx(6_567_914.88, abs=0.01)
    areas = store.table("spend_body_areas")
    covering = set(areas.loc[(areas["district_code"] == "E08000003") & (areas["period"] == "2024-25"), "body_code"])
    assert covering == {"E08000003", "E47000001", "E23000005", "E54000057"}


def test_council_tax_of_cambridge_adds_up_to_its_area_band_d(real_store):
    # Table 9 2024-25, Data_Billing line 17 (area Band D including major precepts): Cambridge £2,248.95
    _, store = real_store
    tax = store.table("council_tax")
    cambridge = tax.loc[(tax["billing_code"] == "E07000008") & (tax["period"] == "2024-25")].set_index("body_code")["band_d"]
    assert cambridge.sum() == pytest.approx(2248.95)
    assert cambridge["E10000003"] == 1619.82 and cambridge["E31000005"] == 82.26
    bodies = store.table("spend_bodies").set_index(["body_code", "period"])
    assert not bodies.loc[("E07000008", "2023-24"), "returned"]  # no 2023-24 return in the August 2024 release
