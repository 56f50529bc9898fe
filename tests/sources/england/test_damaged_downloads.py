"""A file standing where a dataset's file should be but holding no data (empty, a web page, cut short,
not the size it was fetched with, undecodable) stops the import naming the file, before anything
is written."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from helpers import england_files as ef

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england import import_folder, recognise, scan


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return ef.write_tiny_england(tmp_path_factory.mktemp("england") / "downloads")


@pytest.fixture
def folder(downloads, tmp_path):
    return shutil.copytree(downloads, tmp_path / "dl")


def test_an_empty_dataset_file_is_an_error_naming_it(folder, tmp_path):
    (folder / "economy" / "ons_els_employment_rate.csv").write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"Cannot import .*ons_els_employment_rate.csv: it is empty \(0 bytes\)"):
        import_folder(folder, tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_a_gzipped_web_page_is_an_error_naming_it(tmp_path):
    path = tmp_path / "iod2019_file7.csv.gz"
    path.write_bytes(gzip.compress(b"\n  <!DOCTYPE html><html><title>502 Bad Gateway</title></html>"))
    with pytest.raises(ImportFailed, match=r"iod2019_file7.csv.gz: it is a web page, not data \(it begins '<!DOCTYPE html><html><title>502"):
        recognise(path)


def test_a_web_page_saved_as_geojson_is_an_error_not_broken_json(tmp_path):
    path = tmp_path / "lad24.geojson"
    path.write_text("<html><body>Proxy error</body></html>")
    with pytest.raises(ImportFailed, match=r"lad24.geojson: it is a web page"):
        recognise(path)


def test_a_csv_cut_part_way_through_a_row_is_an_error_naming_it(folder, tmp_path):
    path = folder / "economy" / "ons_els_gross_value_added.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 12])  # the last row, 11 characters of it
    with pytest.raises(ImportFailed, match=r"ons_els_gross_value_added.csv: it ends part-way through a row \(its last line has 2 of its 12 columns\)"):
        import_folder(folder, tmp_path / "store")


def test_a_csv_without_a_final_newline_but_whole_rows_is_read(tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text("OLDCD,NEWCD,TYPE,START\nE08000016,E08000038,recode,2025")
    assert recognise(path).kind == "code_changes"


def test_a_fetched_file_no_longer_its_fetched_size_is_an_error(folder):
    path = folder / "economy" / "ons_els_employment_rate.csv"
    record = {"files": [{"save_as": "economy/ons_els_employment_rate.csv", "bytes": path.stat().st_size + 100}]}
    (folder / "fetch_manifest.json").write_text(json.dumps(record))
    with pytest.raises(ImportFailed, match=r"ons_els_employment_rate.csv: it is [\d,]+ bytes, but [\d,]+ were fetched: it was cut short or changed since"):
        scan(folder)


def test_the_fetch_record_is_ignored_as_a_dataset(folder):
    path = folder / "economy" / "ons_els_employment_rate.csv"
    (folder / "fetch_manifest.json").write_text(json.dumps({"files": [{"save_as": "economy/ons_els_employment_rate.csv", "bytes": path.stat().st_size}]}))
    _, ignored = scan(folder)
    assert any(i.path.name == "fetch_manifest.json" and "download record" in i.reason for i in ignored)


def test_a_dataset_file_in_no_known_encoding_is_an_error_not_a_traceback(folder, tmp_path):
    path = folder / "economy" / "ons_els_employment_rate.csv"
    text = path.read_bytes()
    path.write_bytes(text + b"E08000001,Alpha,employment-rate,2023,\x81\x8d,,,,\n" * 2000)  # bytes cp1252 leaves undefined
    with pytest.raises(ImportFailed, match=r"ons_els_employment_rate.csv: it cannot be read"):
        import_folder(folder, tmp_path / "store")
