"""MHCLG's council tax Table 9 workbook read: billing authorities' Band D and requirement, their
preceptors' Band D and names (a tiny workbook in the real layout, and the published ones when present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import spending_files as sf
from openpyxl import load_workbook

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.council_tax_table9 import body_key, read_table9, sniff_table9

UKDATA = Path("/work/shared/ukdata/spending/council_tax")


def test_billing_figures_are_the_current_year_with_requirements_in_pounds_thousand(tmp_path):
    table = read_table9(sf.write_table9_workbook(tmp_path, 2024))
    assert table.period == "2024-25" and len(table.billing) == len(sf.BILLING_2024)  # no England or class rows
    gamma = table.billing.set_index("billing_code").loc["E07000001"]
    assert (gamma["requirement"], gamma["parish_requirement"], gamma["tax_base"]) == (6_000.0, 500.0, 25_000.0)
    assert (gamma["band_d"], gamma["band_d_with_parishes"], gamma["band_d_county"], gamma["band_d_combined"]) == (240.0, 260.0, 1600.0, 0.0)
    assert gamma["body_type"] == "district"


def test_precepting_bodies_are_read_by_role_leaving_out_dashes(tmp_path):
    table = read_table9(sf.write_table9_workbook(tmp_path, 2024))
    gamma = table.preceptors.loc[table.preceptors["billing_code"] == "E07000001"].set_index("role")["preceptor_name"]
    assert gamma.to_dict() == {"county": "Shire", "police": "Shire PCC", "fire": "Shire Fire"}


@pytest.mark.parametrize(("name", "key"), [
    ("Devon & Somerset Fire", "devon and somerset"), ("Devon and Somerset Fire and Rescue Authority", "devon and somerset"),
    ("Greater Manchester Combined Authority - PCC functions", "greater manchester"), ("Greater Manchester Police", "greater manchester"),
    ("Hampshire and IOW Fire", "hampshire and isle of wight"), ("The Liverpool City Region Combined Authority", "liverpool city region"),
    ("Cambridgeshire CC", "cambridgeshire"), ("North Yorkshire PCC-FRA", "north yorkshire"),
])
def test_a_body_key_is_the_place_name_before_what_the_body_is(name, key):
    assert body_key(name) == key


def test_a_workbook_without_the_lines_read_is_refused_naming_them(tmp_path):
    path = sf.write_table9_workbook(tmp_path, 2024)
    book = load_workbook(path)
    book["Data_Billing"]["O5"] = "Something else"  # line 7, previous and current year
    book["Data_Billing"]["P5"] = "Something else"
    book.save(path)
    with pytest.raises(ImportFailed, match=r"its Data_Billing header lacks line 7 \(current year\)"):
        read_table9(path)


def test_a_workbook_without_billing_authorities_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sf, "BILLING_2024", [])
    with pytest.raises(ImportFailed, match="its Data_Billing sheet has no billing authority row"):
        read_table9(sf.write_table9_workbook(tmp_path, 2024))


def test_other_workbooks_are_not_taken_for_table9(tmp_path):
    assert sniff_table9(sf.write_rsx_workbook(tmp_path, 2024)) is None
    assert sniff_table9(sf.write_table9_workbook(tmp_path, 2024)) == "2024-25"


@pytest.mark.skipif(not UKDATA.is_dir(), reason=f"the real council tax downloads are not at {UKDATA}")
def test_published_table9_gives_manchester_and_cambridge_as_the_workbook_does():
    table = read_table9(UKDATA / "mhclg_ct_table9_la_level_data_2024_25.ods")
    assert table.period == "2024-25" and len(table.billing) == 296
    billing = table.billing.set_index("billing_code")
    assert billing.loc["E08000003", "band_d"] == 1699.0 and billing.loc["E08000003", "band_d_police"] == 256.3
    assert billing.loc["E07000008", "band_d_county"] == 1619.82 and billing.loc["E07000008", "requirement"] == pytest.approx(10_252.991)
    cambridge = table.preceptors.loc[table.preceptors["billing_code"] == "E07000008"].set_index("role")["preceptor_name"]
    assert cambridge["police"] == "Cambridgeshire PCC"
    assert sniff_table9(UKDATA / "dluhc_ctr_table9_la_level_data_2023_24.ods") == "2023-24"
