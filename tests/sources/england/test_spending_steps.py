"""The public-money steps of an England import on the tiny England plus spending files in the
publishers' layouts: the store's spend_bodies and spend, and what the report says."""

from __future__ import annotations

import pytest
from helpers import england_files as ef
from helpers import england_population_files as pf
from helpers import spending_files as sf

from diagnostics.sources.england import import_folder
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def spending_store(tmp_path_factory):
    downloads = ef.write_tiny_england(tmp_path_factory.mktemp("spending") / "downloads")
    sf.write_rsx_workbook(downloads, 2024)
    sf.write_rsx_csv(downloads, 2021)
    sf.write_table9_workbook(downloads, 2024)
    sf.write_icb_allocations(downloads)
    sf.write_cra_workbook(downloads)
    pf.write_mye_2014_csvs(downloads)
    target = tmp_path_factory.mktemp("spending") / "store"
    report = import_folder(downloads, target)
    return report, open_store(target)


def test_every_body_of_every_year_is_stored_with_whether_it_returned(spending_store):
    _, store = spending_store
    bodies = store.table("spend_bodies").set_index(["body_code", "period"])
    assert len(bodies) == len(sf.BODIES_2024) + len(sf.BODIES_2021) + len(sf.ICB_ALLOCATIONS_2024)
    assert not bodies.loc[("E08000002", "2024-25"), "returned"] and bodies.loc[("E08000002", "2021-22"), "returned"]
    assert bodies.loc[("E07000099", "2021-22"), "body_name"] == "Old Gamma"
    assert bodies.loc[("E08000001", "2024-25"), "source"].startswith("MHCLG Revenue Outturn 2024-25")


def test_spend_is_stored_in_pounds_thousand_for_returned_bodies_only(spending_store):
    _, store = spending_store
    spend = store.table("spend").set_index(["body_code", "period", "service"])
    row = spend.loc[("E10000001", "2024-25", "adult_social_care")]  # group 3: 40 + 1 + 3 = 44, income 4
    assert (row["gross"], row["income"], row["net"], row["year"]) == (44.0, 4.0, 40.0, 2025)
    assert ("E08000002", "2024-25", "education") not in spend.index
    assert ("E07000099", "2021-22", "education") not in spend.index


def test_each_missing_return_is_one_line_of_the_report(spending_store):
    report, _ = spending_store
    text = report.text()
    assert "Spend of Beta (E08000002) in 2024-25: no Revenue Outturn return was received in time" in text
    assert "Spend of Old Gamma (E07000099) in 2021-22: no Revenue Outturn return" in text
    assert "spend by service of 12 public bodies, 2024-25 (1 without a return; dropped the aggregates ENGLAND (E92000001))" in text


def test_a_second_file_of_the_same_year_is_set_aside(tmp_path):
    downloads = ef.write_tiny_england(tmp_path / "downloads")
    sf.write_rsx_workbook(downloads, 2024)
    sf.write_rsx_workbook(downloads / "again", 2024)
    report = import_folder(downloads, tmp_path / "store")
    assert any(why == "another RSX file of 2024-25 is used" for _, why in report.unused)


def _areas(store, body, period):
    t = store.table("spend_body_areas")
    rows = t.loc[(t["body_code"] == body) & (t["period"] == period)]
    return dict(zip(rows["district_code"], rows["share"].round(6)))


def test_councils_cover_themselves_and_a_recoded_council_its_successor(spending_store):
    report, store = spending_store
    assert _areas(store, "E08000001", "2024-25") == {"E08000001": 1.0}
    assert _areas(store, "E08000016", "2024-25") == {"E08000038": 1.0}
    assert ("Delta (E08000016), 2021-22 and 2024-25: re-coded as district E08000038, where its spend is attributed."
            in report.left_out)


def test_a_council_that_since_merged_covers_its_residents_share_of_the_successor(spending_store):
    report, store = spending_store
    # mid-2014 (the latest estimates with the old districts): Old Gamma is half the size of Gamma
    assert _areas(store, "E07000099", "2021-22") == {"E07000001": round(1 / 3, 6)}
    assert _areas(store, "E07000001", "2021-22") == {"E07000001": round(2 / 3, 6)}
    assert _areas(store, "E10000001", "2021-22") == {"E07000001": 1.0}  # the county held both
    assert ("Old Gamma (E07000099), 2021-22: merged into (its residents are 33.3% of) district E07000001, where its spend "
            "is attributed.") in report.left_out


def test_county_police_fire_and_combined_authority_cover_the_districts_they_levy_on(spending_store):
    _, store = spending_store
    assert _areas(store, "E10000001", "2024-25") == {"E07000001": 1.0}  # by MHCLG's E-code E10..
    assert _areas(store, "E23000001", "2024-25") == {"E07000001": 1.0, "E08000038": 1.0}  # Table 9's "Shire PCC"
    assert _areas(store, "E23000002", "2024-25") == {"E08000001": 1.0, "E08000002": 1.0}  # "Alpha-Beta ... PCC functions"
    assert _areas(store, "E31000001", "2024-25") == {"E07000001": 1.0}  # "Shire Fire", not "Shire & Delta Fire"
    assert _areas(store, "E31000002", "2024-25") == {"E08000038": 1.0}
    assert _areas(store, "E47000001", "2024-25") == {"E08000001": 1.0, "E08000002": 1.0}  # ONS's hierarchy
    assert _areas(store, "E23000001", "2021-22") == {"E07000001": 1.0, "E08000038": 1.0}  # the nearest Table 9


def test_bodies_whose_area_the_files_do_not_give_have_no_rows_and_are_named(spending_store):
    report, store = spending_store
    assert _areas(store, "E26000001", "2024-25") == {}
    assert ("Peak National Park Authority (E26000001), 2021-22 and 2024-25: the files do not say which districts a national "
            "park authority covers, so its spend is not attributed to any place.") in report.left_out


def test_council_tax_has_each_levying_body_per_billing_area_in_pounds_and_thousands(spending_store):
    _, store = spending_store
    t = store.table("council_tax")
    gamma = t.loc[(t["billing_code"] == "E07000001") & (t["period"] == "2024-25")].set_index("body_code")
    assert gamma.loc["E07000001", "band_d"] == 240.0 and gamma.loc["E07000001", "requirement"] == 6_000.0  # £ -> £ thousand
    assert gamma.loc["parishes", "band_d"] == 20.0 and gamma.loc["parishes", "requirement"] == 500.0
    assert gamma.loc["E10000001", "band_d"] == 1600.0 and gamma.loc["E10000001", "body_type"] == "county"
    assert gamma.loc["E23000001", "band_d"] == 280.0 and gamma.loc["E31000001", "band_d"] == 80.0
    assert gamma["tax_base"].eq(25_000.0).all() and set(gamma["year"]) == {2025}
    delta = t.loc[t["billing_code"] == "E08000038"].set_index("body_code")  # billed under its old code
    assert set(delta.index) == {"E08000016", "parishes", "E23000001", "E31000002"}
    alpha = t.loc[t["billing_code"] == "E08000001"].set_index("body_code")
    assert alpha.loc["E47000001", "band_d"] == 100.0 and alpha.loc["E23000002", "band_d"] == 250.0


def test_a_preceptor_name_no_body_matches_is_named_in_the_report(tmp_path, monkeypatch):
    downloads = ef.write_tiny_england(tmp_path / "downloads")
    sf.write_rsx_workbook(downloads, 2024)
    monkeypatch.setitem(sf.PRECEPTORS_2024, "E07000001", ("Shire", "Nowhere PCC", "Shire Fire", "-"))
    sf.write_table9_workbook(downloads, 2024)
    report = import_folder(downloads, tmp_path / "store")
    assert ("Preceptor Nowhere PCC (police) named in the council tax Table 9 of 2024-25: no spending body of the Revenue "
            "Outturn matches its name; it covers no district and its precept is left out.") in report.left_out
    assert any(line.startswith("Council tax of the police levying on Gamma (2024-25, Band D £280.00)") for line in report.left_out)


def test_icb_allocations_are_nhs_spend_of_bodies_keyed_by_the_stores_icb_codes(spending_store):
    _, store = spending_store
    bodies = store.table("spend_bodies").set_index(["body_code", "period"])
    west = bodies.loc[("E54000001", "2024-25")]
    assert west["body_type"] == "icb" and west["body_name"] == "NHS West ICB"
    assert "core services + primary medical care + other primary care" in west["note"]
    spend = store.table("spend").set_index(["body_code", "period", "service"])
    assert spend.loc[("E54000001", "2024-25", "nhs"), "net"] == 1000.0 + 100.0 + 50.0 + 10.0
    assert spend.loc[("E54000002", "2024-25", "nhs"), "income"] == 0.0


def test_an_icb_covers_the_share_of_each_districts_residents_living_in_it(spending_store):
    _, store = spending_store
    assert _areas(store, "E54000001", "2024-25") == {"E08000001": 1.0, "E08000002": 0.5}  # Beta split down the middle
    assert _areas(store, "E54000002", "2024-25") == {"E08000002": 0.5, "E07000001": 1.0, "E08000038": 1.0}


def test_an_icb_name_matching_no_boundary_is_kept_under_its_nhs_code_and_named(spending_store):
    report, store = spending_store
    nowhere = store.table("spend_bodies").set_index("body_code").loc["QZZ"]
    assert nowhere["body_type"] == "icb" and "attributed to no place" in nowhere["note"]
    assert _areas(store, "QZZ", "2024-25") == {}
    assert ("ICB allocation of NHS Nowhere ICB (QZZ, 2024-25): no ICB boundary of the store has this name ('NHS X ICB' "
            "is joined to 'NHS X Integrated Care Board'); kept under its NHS code and attributed to no place.") in report.left_out


def test_regional_spend_is_by_the_stores_region_codes_in_pounds_million_and_per_head(spending_store):
    report, store = spending_store
    t = store.table("regional_spend").set_index(["region_code", "period", "function"])
    health = t.loc[("E12000001", "2022-23", "Health")]  # function 6: 700 + 4
    assert (health["spend_million"], health["per_head"], health["year"]) == (704.0, 7040.0, 2023)
    assert t.loc[("E92000001", "2018-19", "Total"), "spend_million"] == sum(100.0 * (k + 1) for k in range(10))
    assert t.loc[("E92000001", "2018-19", "Total excluding local government"), "per_head"] == 27_500.0
    assert set(t.index.get_level_values(0)) == {"E12000001", "E92000001"}  # not Scotland
    assert "Regional spend of North West: no region of the store has this name, so it is left out." in report.left_out
