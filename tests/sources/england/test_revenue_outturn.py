"""MHCLG's RSX files read into spend bodies and spend: the workbook and its CSV export in their real
layouts (tiny files written by helpers.spending_files), and the published files when present."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import spending_files as sf

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.recognise import recognise
from diagnostics.sources.england.revenue_outturn import NOT_RETURNED, RSX_SERVICES, read_rsx, sniff_rsx

UKDATA = Path("/work/shared/ukdata/spending/la_revenue")


def test_workbook_bodies_keep_every_spender_and_drop_the_aggregates(tmp_path):
    rsx = read_rsx(sf.write_rsx_workbook(tmp_path, 2024))
    bodies = rsx.bodies.set_index("body_code")
    assert rsx.period == "2024-25" and set(bodies["year"]) == {2025}
    assert list(bodies.index) == [code for _, code, *_ in sf.BODIES_2024]  # no England, no class aggregates, no second GLA
    assert rsx.aggregates == ["ENGLAND (E92000001)"]
    assert bodies.loc["E23000001", "body_type"] == "police" and bodies.loc["E47000001", "body_type"] == "combined_authority"
    assert bodies.loc["E26000001", "body_type"] == "national_park"
    assert bodies.loc["E6803", "body_type"] == "other_authority"  # Lee Valley: classed with the parks, not one
    assert bodies.loc["E10000001", "body_type"] == "county" and bodies.loc["E07000001", "body_type"] == "district"
    assert bodies.loc["E47000001", "note"].startswith("Combined authorities chose to submit")  # from the Notes sheet


def test_a_missing_return_is_kept_as_not_returned_with_the_reason_and_has_no_spend(tmp_path):
    rsx = read_rsx(sf.write_rsx_workbook(tmp_path, 2024))
    beta = rsx.bodies.set_index("body_code").loc["E08000002"]
    assert not beta["returned"] and beta["note"] == NOT_RETURNED
    assert "E08000002" not in set(rsx.spend["body_code"])
    assert rsx.bodies["returned"].sum() == len(sf.BODIES_2024) - 1


def test_spend_is_gross_c3_income_c6_and_net_c7_of_the_13_services(tmp_path):
    rsx = read_rsx(sf.write_rsx_workbook(tmp_path, 2024))
    spend = rsx.spend.set_index(["body_code", "service"])
    assert set(rsx.spend["service"]) == set(RSX_SERVICES.values())
    alpha_health = spend.loc[("E08000001", "public_health")]  # service group 4: gross 10 x 5 + 1 + 3 = 54, income 5
    assert (alpha_health["gross"], alpha_health["income"], alpha_health["net"]) == (54.0, 5.0, 49.0)
    assert spend.loc[("E23000001", "other"), "gross"] == sf.rsx_value("E23000001", 12, 2, 2025) == 134.0
    assert len(rsx.spend) == 13 * (len(sf.BODIES_2024) - 1)


def test_csv_export_with_an_unnamed_column_thousands_separators_and_dots_for_a_missing_return(tmp_path):
    rsx = read_rsx(sf.write_rsx_csv(tmp_path, 2021))
    assert rsx.period == "2021-22" and "last updated 23 November 2023" in rsx.vintage
    spend = rsx.spend.set_index(["body_code", "service"])
    gamma_env = spend.loc[("E07000001", "environmental_regulatory")]  # group 7: gross 10 x 8 + 1 + 0 = 81, income 8
    assert (gamma_env["gross"], gamma_env["income"], gamma_env["net"]) == (81.0, 8.0, 73.0)
    old_gamma = rsx.bodies.set_index("body_code").loc["E07000099"]
    assert not old_gamma["returned"] and old_gamma["note"] == NOT_RETURNED


def test_rsx_files_are_recognised_by_their_title_whatever_their_name(tmp_path):
    book = sf.write_rsx_workbook(tmp_path, 2024).rename(tmp_path / "download(3).xlsx")
    export = sf.write_rsx_csv(tmp_path, 2021).rename(tmp_path / "data.csv")
    assert (recognise(book).kind, recognise(book).detail) == ("rsx", "2024-25")
    assert (recognise(export).kind, recognise(export).detail) == ("rsx", "2021-22")
    assert sniff_rsx(tmp_path / "data.csv") == "2021-22"


def test_an_rsx_file_without_a_service_column_is_refused_naming_it(tmp_path):
    path = sf.write_rsx_csv(tmp_path, 2021)
    text = path.read_text(encoding="utf-8-sig").replace("Public Health - Net Current Expenditure\n (C7", "Public Health - Net Current Expenditure\n (")
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(ImportFailed, match="lacks the RSX columns for public_health net"):
        read_rsx(path)


def test_an_rsx_file_with_no_body_row_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sf, "BODIES_2024", [])  # the England row and the class aggregates only
    with pytest.raises(ImportFailed, match="it has the RSX header but no row of a spending body under it"):
        read_rsx(sf.write_rsx_workbook(tmp_path, 2024))


@pytest.mark.skipif(not UKDATA.is_dir(), reason=f"the real spending downloads are not at {UKDATA}")
def test_published_rsx_files_give_every_body_and_manchesters_net_spend():
    rsx = read_rsx(UKDATA / "mhclg_rsx_service_expenditure_2024_25.ods")
    assert len(rsx.bodies) == 410 and (~rsx.bodies["returned"]).sum() == 9  # 401 of 410 returned (SOURCES.md)
    manchester = rsx.spend.set_index(["body_code", "service"]).loc[("E08000003", "education")]
    assert (manchester["gross"], manchester["income"], manchester["net"]) == (534620.0, 39361.0, 495259.0)
    old = read_rsx(UKDATA / "mhclg_rsx_service_expenditure_2021_22_csvexport.csv")
    assert old.period == "2021-22" and set(old.bodies["body_type"]) >= {"district", "county", "police", "fire", "waste"}
    assert len(old.spend) == 13 * old.bodies["returned"].sum()
