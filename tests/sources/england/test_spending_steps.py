"""The public-money steps of an England import on the tiny England plus spending files in the
publishers' layouts: the store's spend_bodies and spend, and what the report says."""

from __future__ import annotations

import pytest
from helpers import england_files as ef
from helpers import spending_files as sf

from diagnostics.sources.england import import_folder
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def spending_store(tmp_path_factory):
    downloads = ef.write_tiny_england(tmp_path_factory.mktemp("spending") / "downloads")
    sf.write_rsx_workbook(downloads, 2024)
    sf.write_rsx_csv(downloads, 2021)
    target = tmp_path_factory.mktemp("spending") / "store"
    report = import_folder(downloads, target)
    return report, open_store(target)


def test_every_body_of_every_year_is_stored_with_whether_it_returned(spending_store):
    _, store = spending_store
    bodies = store.table("spend_bodies").set_index(["body_code", "period"])
    assert len(bodies) == len(sf.BODIES_2024) + len(sf.BODIES_2021)
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
    assert "spend by service of 10 public bodies, 2024-25 (1 without a return; dropped the aggregates ENGLAND (E92000001))" in text


def test_a_second_file_of_the_same_year_is_set_aside(tmp_path):
    downloads = ef.write_tiny_england(tmp_path / "downloads")
    sf.write_rsx_workbook(downloads, 2024)
    sf.write_rsx_workbook(downloads / "again", 2024)
    report = import_folder(downloads, tmp_path / "store")
    assert any(why == "another RSX file of 2024-25 is used" for _, why in report.unused)
