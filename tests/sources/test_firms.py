"""An analyst's firm register into a store: FAME, Companies House and Beauhurst layouts (written by
helpers.firm_registers), the --map fix for columns the import does not know, and the growth section's
firm-level analysis on the result."""

from __future__ import annotations

import shutil

import pytest
from helpers import england_files as ef
from helpers import firm_registers as fr
from helpers.tiny import tiny_tables
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.exceptions import ImportFailed
from diagnostics.sections.growth.analysis import growth_page, register_problem
from diagnostics.sections.growth.classify import classify
from diagnostics.sections.growth.register import prepare_register
from diagnostics.sections.session import start
from diagnostics.sources.england import import_folder
from diagnostics.sources.firms import import_firms
from diagnostics.store.store import open_store, write_store


@pytest.fixture(scope="module")
def england_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("firms-england")
    import_folder(ef.write_tiny_england(root / "downloads"), root / "store")
    return root / "store"


@pytest.fixture()
def store_copy(england_store, tmp_path):
    return shutil.copytree(england_store, tmp_path / "store")


def _register(store):
    opened = open_store(store)
    small_areas = opened.areas.loc[opened.areas["layer"] == "small_area", "code"]
    return prepare_register(opened.firms, opened.firm_years, small_areas)


def test_a_fame_export_imports_with_the_map_of_its_lsoa_column(store_copy, tmp_path):
    path = fr.write_fame_register(tmp_path / "fame.csv")
    with pytest.raises(ImportFailed, match=r"fame.csv: no column gives a location .* Columns not recognised: \['LSOA \(2011\)'\].*--map 'LSOA \(2011\)=firm_id'"):
        import_firms(path, store_copy)
    result = import_firms(path, store_copy, ["LSOA (2011)=small_area_code"])
    assert (result.firms, result.firm_years) == (8, 32)
    register = _register(store_copy)
    firms = register.firms.set_index("firm_id")
    assert firms.loc["01234567", "section"] == "J" and firms.loc["02345678", "section"] == "C"
    assert firms.loc["01234567", "founded"] == 2015
    quality = register.quality.set_index("check")["count"]
    assert quality["unknown or missing SIC section"] == 1 and quality["missing year founded"] == 1
    assert quality["missing or unknown small area"] == 0
    windows = classify(register)
    growers = set(register.firms.loc[windows.loc[windows["high_growth_employment"], "firm"], "firm_id"])
    assert growers == fr.GROWERS


def test_a_companies_house_export_joined_to_employment_imports_in_long_form(store_copy, tmp_path):
    result = import_firms(fr.write_companies_house_register(tmp_path / "ch.csv"), store_copy)
    assert result.columns["firm_id"] == "CompanyNumber" and result.columns["small_area_code"] == "lsoa11cd"
    register = _register(store_copy)
    years = register.panel.loc[register.panel["firm"] == 0].set_index("year")
    assert years["employment"].tolist() == [10, 13, 16, 20] and years["turnover"].tolist() == [900, 1200, 1600, 2100]


def test_the_growth_section_runs_its_firm_level_analysis_on_the_imported_register(store_copy, tmp_path):
    import_firms(fr.write_fame_register(tmp_path / "fame.csv"), store_copy, ["LSOA (2011)=small_area_code"])
    dx = start("E08000001", open_store(store_copy), comparators=["E08000002", "E07000001"])
    assert register_problem(dx) is None
    page = growth_page(dx)
    assert page.latest == 2022 and page.in_place.sum() == 2  # Alpha's two firms


def test_a_beauhurst_export_is_placed_by_its_coordinates_in_the_stores_small_areas(tmp_path):
    tables, boundaries = tiny_tables()
    store = write_store(tmp_path / "tiny", tables, boundaries, source="synthetic", vintage="synthetic",
                        attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    points = {"01234567": (500, 500), "03456789": (2500, 400), "07890123": (7600, 900)}  # in S1, S3 and S8
    result = import_firms(fr.write_beauhurst_register(tmp_path / "beauhurst.csv", points), store)
    firms = open_store(store).firms.set_index("firm_id")
    assert firms["small_area_code"].to_dict() == {"01234567": "S1", "03456789": "S3", "07890123": "S8"}
    # the tiny store lies at the grid's false origin, in the sea where pyproj's transformation does not
    # round-trip exactly (it does to a millimetre in England, e.g. at 383000, 398000)
    assert firms.loc["03456789", "x"] == pytest.approx(2500, abs=100)
    assert open_store(store).firm_years.set_index(["firm_id", "year"]).loc[("01234567", 2022), "turnover"] == 2100
    assert "3 firms placed in a small area by their coordinates" in result.text()


def test_a_bad_map_names_the_fields_there_are(store_copy, tmp_path):
    path = fr.write_fame_register(tmp_path / "fame.csv")
    with pytest.raises(ImportFailed, match=r"--map: 'lsoa' in 'LSOA \(2011\)=lsoa' is not a field of a firm register; the fields are firm_id, name"):
        import_firms(path, store_copy, ["LSOA (2011)=lsoa"])
    with pytest.raises(ImportFailed, match=r"--map names column\(s\) \['LSOA'\] that are not in the file"):
        import_firms(path, store_copy, ["LSOA=small_area_code"])


def test_a_failed_register_import_leaves_the_store_as_it_was(store_copy, tmp_path):
    before = open_store(store_copy).version
    (tmp_path / "bad.csv").write_text("Reference,Town\nA1,Leeds\n")
    with pytest.raises(ImportFailed, match=r"no column gives firm_id, employment, a location .*Columns not recognised: \['Reference', 'Town'\]"):
        import_firms(tmp_path / "bad.csv", store_copy)
    assert open_store(store_copy).version == before and not open_store(store_copy).has_table("firms")


def test_the_cli_imports_a_register_and_prints_its_data_quality_checks(store_copy, tmp_path):
    path = fr.write_fame_register(tmp_path / "fame.csv")
    result = CliRunner().invoke(app, ["data", "import", "--firms", str(path), "--store", str(store_copy),
                                      "--map", "LSOA (2011)=small_area_code"])
    assert result.exit_code == 0, result.output
    assert "Firm register: 8 firms, 32 firm-years" in result.output
    assert "unknown or missing SIC section: 1 firms" in result.output
    missing = CliRunner().invoke(app, ["data", "import", "--store", str(store_copy)])
    assert missing.exit_code == 2 and "Nothing to import: pass --from FOLDER" in missing.output
