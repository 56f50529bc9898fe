"""The download client against a loopback HTTP server serving recorded files in the publishers'
formats (no test touches the internet): retries, resume with Range, a manifest, a failure half way."""

from __future__ import annotations

import json
import pickle
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import england_files as ef
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.exceptions import FetchFailed, ImportFailed, InvalidParameter
from diagnostics.sources.england import fetch
from diagnostics.sources.england.fetch import (
    DATASETS,
    PUBLISHERS,
    Download,
    fetch_all,
    fetch_file,
)
from diagnostics.store.store import open_store


class _Recorded(BaseHTTPRequestHandler):
    """Serves ``files`` (URL path with query -> bytes) with Range support; ``cut`` (path -> number of
    responses still to cut) sends the full Content-Length but only half the body, then closes."""

    files: dict[str, bytes] = {}
    cut: dict[str, int] = {}
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append((self.path, self.headers.get("Range")))
        body = type(self).files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        rest = body[start:]
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        if type(self).cut.get(self.path, 0) > 0:
            type(self).cut[self.path] -= 1
            self.wfile.write(rest[: len(rest) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(rest)


@pytest.fixture
def server():
    handler = type("Handler", (_Recorded,), {"files": {}, "cut": {}, "requests": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _record_all(handler, folder: Path) -> None:
    """Record a reply for every default dataset: the tiny England's files, in the publishers' formats."""
    files = {
        "boundaries/lad24_bgc.geojson": ef.write_lad_boundaries(folder),
        "boundaries/icb23_bsc.geojson": ef.write_icb_boundaries(folder),
        "boundaries/nhser24_bsc.geojson": ef.write_nhser_boundaries(folder),
        "lookups/geo-metadata.json": ef.write_geo_metadata(folder),
        "lookups/code_changes.csv": ef.write_code_changes(folder),
        "deprivation/iod2019_file7.csv": ef.write_iod_file7(folder),
        "els/gross-value-added.csv": ef.write_els_gva(folder),
        "els/employment-rate.csv": ef.write_els_employment(folder),
        "fingertips/life_expectancy_90366.csv": ef.write_fingertips_api(folder),
    }
    neighbours = ef.write_neighbours(folder)
    for name, path in zip(("global-neighbours.csv", "economic-neighbours.csv", "demographic-neighbours.csv",
                           "cluster-allocation.csv", "cluster-descriptions.json"), neighbours):
        files[f"comparators/{name}"] = path
    header_only = ("\ufeff" + ",".join(ef.ELS_HEADER) + "\n").encode()
    for item in DATASETS:
        body = files[item.save_as].read_bytes() if item.save_as in files else header_only
        handler.files[f"/{item.publisher}/{item.path}"] = body


def _bases(url: str) -> dict[str, str]:
    return {name: f"{url}/{name}" for name in PUBLISHERS}


def test_every_default_dataset_is_fetched_with_a_manifest_and_then_imports(server, tmp_path):
    handler, url = server
    _record_all(handler, tmp_path / "recorded")
    manifest = fetch_all(tmp_path / "dl", base_urls=_bases(url), backoff=0)
    assert len(manifest["files"]) == len(DATASETS)
    entry = next(e for e in manifest["files"] if e["save_as"] == "deprivation/iod2019_file7.csv")
    assert entry["publisher"] == "mhclg_iod" and entry["url"].startswith(url) and len(entry["sha256"]) == 64
    assert json.loads((tmp_path / "dl" / "fetch_manifest.json").read_text())["files"] == manifest["files"]
    from diagnostics.sources.england import import_folder

    report = import_folder(tmp_path / "dl", tmp_path / "store")
    store = open_store(report.store)
    # File 7 brings scores: the average score and the headline deprivation score appear
    assert not store.indicator_values("deprivation_imd_average_score", ["E08000001"]).empty
    assert not store.indicator_values("deprivation_score", ["E08000001"]).empty
    assert store.indicator_values("life_expectancy_female", ["E08000001"])["lower_ci"].iloc[0] == 81.5


def test_a_download_cut_half_way_resumes_with_a_range_request(server, tmp_path):
    handler, url = server
    body = bytes(range(256)) * 400
    handler.files["/x/big.bin"] = body
    handler.cut["/x/big.bin"] = 1
    entry = fetch_file(f"{url}/x/big.bin", tmp_path / "big.bin", backoff=0)
    assert (tmp_path / "big.bin").read_bytes() == body
    # the bytes received before the cut are kept (whole chunks) and the rest is asked for with Range
    assert entry["attempts"] == 2 and 0 < entry["resumed"] <= len(body) // 2
    assert handler.requests[-1] == ("/x/big.bin", f"bytes={entry['resumed']}-")
    assert not (tmp_path / "big.bin.part").exists()


def test_a_download_that_keeps_failing_raises_keeps_the_part_and_the_manifest_so_far(server, tmp_path):
    handler, url = server
    handler.files["/a/one.csv"] = b"areacd,x\n" * 100
    handler.files["/a/two.csv"] = b"areacd,y\n" * 1000
    handler.cut["/a/two.csv"] = 3
    items = [Download("ons_els", "one.csv", "one.csv"), Download("ons_els", "two.csv", "two.csv")]
    with pytest.raises(FetchFailed, match=r"two.csv failed: the connection closed part-way \([\d,]+ bytes kept\) \(after 2 attempts; the partial file two.csv.part is kept"):
        fetch_all(tmp_path, base_urls={"ons_els": f"{url}/a"}, datasets=items, retries=1, backoff=0)
    manifest = json.loads((tmp_path / "fetch_manifest.json").read_text())
    assert [e["save_as"] for e in manifest["files"]] == ["one.csv"]
    assert (tmp_path / "two.csv.part").is_file() and not (tmp_path / "two.csv").exists()
    # the next run skips the finished file and resumes the partial one
    done = fetch_all(tmp_path, base_urls={"ons_els": f"{url}/a"}, datasets=items, retries=1, backoff=0)
    assert (tmp_path / "two.csv").read_bytes() == handler.files["/a/two.csv"]
    assert [e["save_as"] for e in done["files"]] == ["one.csv", "two.csv"]
    assert sum(1 for path, _ in handler.requests if path == "/a/one.csv") == 1


def test_a_missing_file_fails_at_once_naming_the_address(server, tmp_path):
    handler, url = server
    with pytest.raises(FetchFailed, match=r"Download of .*/nope.csv failed: the server answered 404"):
        fetch_file(f"{url}/nope.csv", tmp_path / "nope.csv", backoff=0)
    assert len(handler.requests) == 1


def test_an_unknown_publisher_is_refused():
    with pytest.raises(InvalidParameter, match=r"'base_urls' parameter of fetch_all names unknown publishers \['nomis2'\]"):
        fetch_all("/tmp/never", base_urls={"nomis2": "http://127.0.0.1:1"})


def test_a_failed_fetch_leaves_the_previous_store_untouched(server, tmp_path):
    handler, url = server
    _record_all(handler, tmp_path / "recorded")
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["data", "fetch", "--to", str(tmp_path / "dl"), "--store", str(store),
                                      *sum((["--base-url", f"{k}={v}"] for k, v in _bases(url).items()), [])])
    assert result.exit_code == 0, result.output
    version = json.loads((store / "store.json").read_text())["store_version"]
    handler.files.pop("/ons_els/claimant-count/claimant-count.csv")
    result = CliRunner().invoke(app, ["data", "fetch", "--to", str(tmp_path / "dl2"), "--store", str(store),
                                      *sum((["--base-url", f"{k}={v}"] for k, v in _bases(url).items()), [])])
    assert result.exit_code == 2 and "claimant-count.csv failed: the server answered 404" in result.output
    assert json.loads((store / "store.json").read_text())["store_version"] == version


def test_the_default_addresses_are_the_publishers_own():
    assert PUBLISHERS["ohid_fingertips"].startswith("https://fingertips.phe.org.uk/")
    assert PUBLISHERS["mhclg_iod"].startswith("https://assets.publishing.service.gov.uk/")
    assert all(item.publisher in PUBLISHERS for item in fetch.DATASETS)


@pytest.mark.parametrize("error", [ImportFailed("a.csv", "bad"), FetchFailed("http://x/a", "timeout")], ids=lambda e: type(e).__name__)
def test_the_new_exceptions_pickle_with_their_message(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
