"""Nomis BRES answers in Nomis's CSV layout, imported into the store's industry table on the tiny
England: recognised by their columns, counts of SIC sections only, jobs of merged and re-coded districts
summed onto current codes, and the economy section's jobs-based location quotients on them."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import england_files as ef
from helpers import nomis_files as nf
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.exceptions import ImportFailed
from diagnostics.sections.economy.analysis import (
    industry_comparison,
    place_productivity_gap,
    place_shift_share,
    place_structure,
)
from diagnostics.sections.economy.page import VIEWS
from diagnostics.sections.session import start
from diagnostics.sources.england import import_folder
from diagnostics.sources.england.fetch import DATASETS, NOMIS_DATASETS, PUBLISHERS, fetch_all
from diagnostics.sources.england.nomis import read_bres
from diagnostics.sources.england.recognise import recognise
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def bres_store(tmp_path_factory):
    downloads = ef.write_tiny_england(tmp_path_factory.mktemp("nomis") / "downloads")
    nf.write_bres(downloads)
    target = tmp_path_factory.mktemp("nomis") / "store"
    report = import_folder(downloads, target)
    return report, open_store(target)


def _jobs(store, code, year, section):
    t = store.table("industry")
    rows = t.loc[(t["area_code"] == code) & (t["year"] == year) & (t["sic_section"] == section), "employment"]
    return float(rows.sum()) if len(rows) else None


def test_a_nomis_bres_answer_is_recognised_by_its_columns(tmp_path):
    found = recognise(nf.write_bres(tmp_path, name="anything.csv"))
    assert (found.kind, found.detail) == ("nomis", "bres")


def test_only_counts_of_sections_of_employment_are_read(tmp_path):
    jobs, status = read_bres(nf.write_bres(tmp_path))
    assert status == "Employment"
    alpha = jobs.loc[(jobs["area_code"] == "E08000001") & (jobs["year"] == 2022)].set_index("sic_section")["employment"]
    assert alpha.to_dict() == {"C": 4000, "G": 9000, "M": 6000, "Q": 12000}  # no Total, no percent, no suppressed B


def test_a_file_of_divisions_is_summed_into_sections(tmp_path):
    jobs, _ = read_bres(nf.write_bres(tmp_path, divisions=True))
    alpha = jobs.loc[(jobs["area_code"] == "E08000001") & (jobs["year"] == 2022)].set_index("sic_section")["employment"]
    assert alpha.to_dict() == {"C": 4000, "G": 9000, "M": 6000, "Q": 12000}  # 10 + 25 -> C; subclass 10110 left out


def test_employees_are_read_when_nomis_gave_no_employment(tmp_path):
    jobs, status = read_bres(nf.write_bres(tmp_path, statuses=("Employees",)))
    assert status == "Employees"
    assert jobs.loc[(jobs["area_code"] == "E08000001") & (jobs["year"] == 2022) & (jobs["sic_section"] == "Q"),
                    "employment"].item() == 10800


def test_a_bres_file_without_section_counts_names_the_query_that_has_them(tmp_path):
    path = nf.write_bres(tmp_path, statuses=("Full-time employees",))
    with pytest.raises(ImportFailed, match=r"no counts by SIC section of employment or employees .*data fetch --nomis"):
        read_bres(path)


def test_jobs_of_merged_and_recoded_districts_are_summed_onto_current_codes(bres_store):
    report, store = bres_store
    t = store.table("industry")
    assert set(t["area_code"]) == set(ef.CURRENT) and set(t["year"]) == {2022, 2023}
    assert _jobs(store, "E07000001", 2022, "C") == 2000 + 500  # Gamma + Old Gamma
    assert _jobs(store, "E08000038", 2023, "Q") == round(900 * 1.1)  # Delta, re-coded
    assert t["gva"].isna().all()
    assert t["source"].iloc[0].startswith("ONS Business Register and Employment Survey (BRES, open access), via Nomis")
    assert "employees plus working owners" in t["vintage"].iloc[0]
    assert any("BRES employment by district and SIC section, 2022-2023" in what for _, what in report.used)
    assert not any("Employment and GVA by industry for districts" in line for line in report.left_out)
    assert any("BRES gives jobs only" in line for line in report.left_out)


def test_the_economy_section_shows_jobs_based_location_quotients(bres_store):
    _, store = bres_store
    dx = start("E08000001", store)
    comparison = industry_comparison(dx)
    assert comparison.problem == "" and comparison.latest_year == 2023
    table = place_structure(dx).set_index("sic_section")
    alpha = {"C": 4000, "G": 9000, "M": 6000, "Q": 12000}
    england = {s: sum(round(v.get(s, 0) * 1.1) for c, v in nf.BRES_JOBS.items() if c.startswith("E")) for s in "ACGMQ"}
    lq_q = (round(alpha["Q"] * 1.1) / sum(round(v * 1.1) for v in alpha.values())) / (england["Q"] / sum(england.values()))
    assert table.loc["Q", "lq"] == pytest.approx(lq_q)
    shift = place_shift_share(dx)
    assert shift.problem == "" and shift.table is not None and len(shift.table) > 1  # 2022 -> 2023, jobs
    assert place_productivity_gap(dx).problem  # BRES has no GVA: said, not invented


def test_every_economy_view_renders_on_bres_jobs_and_names_its_source(bres_store):
    _, store = bres_store
    dx = start("E08000001", store)
    pages = {name: view(dx) for name, view in VIEWS}
    html = getattr(pages["Location quotients by industry"], "data", "")
    assert "Business Register and Employment Survey" in html and "counts of businesses" not in html.lower()


class _Nomis(BaseHTTPRequestHandler):
    """A loopback Nomis: answers the recorded BRES query (path and query string as sent), 404 otherwise."""

    files: dict[str, bytes] = {}
    asked: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).asked.append(self.path)
        body = type(self).files.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture
def nomis_server(tmp_path):
    handler = type("Handler", (_Nomis,), {"files": {}, "asked": []})
    handler.files[f"/nomis/{NOMIS_DATASETS[0].path}"] = nf.write_bres(tmp_path / "recorded").read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}/nomis"
    httpd.shutdown()
    httpd.server_close()


def test_the_bres_query_asks_nomis_for_district_jobs_by_section():
    assert PUBLISHERS["nomis"] == "https://www.nomisweb.co.uk/api/v01/dataset"
    query = NOMIS_DATASETS[0].path
    assert query.startswith("NM_189_1.data.csv?") and "industry=150994945...150994965" in query
    assert "geography=TYPE424" in query and "measures=20100" in query


def test_fetch_all_gets_the_bres_table_from_a_recorded_nomis(nomis_server, tmp_path):
    handler, url = nomis_server
    manifest = fetch_all(tmp_path / "dl", base_urls={"nomis": url}, datasets=NOMIS_DATASETS, backoff=0)
    (entry,) = manifest["files"]
    assert entry["publisher"] == "nomis" and entry["save_as"] == "nomis/bres_jobs_by_section.csv"
    assert recognise(tmp_path / "dl" / entry["save_as"]).kind == "nomis"
    assert handler.asked == [f"/nomis/{NOMIS_DATASETS[0].path}"]


def test_data_fetch_fetches_nomis_only_when_asked(nomis_server, tmp_path):
    handler, url = nomis_server
    handler.files.update({f"/nomis/{d.path}": b"x,y\n1,2\n" for d in DATASETS})  # every default file, at the loopback
    bases = [a for name in PUBLISHERS for a in ("--base-url", f"{name}={url}")]
    args = ["data", "fetch", "--to", str(tmp_path / "dl"), "--no-import", *bases]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not any("NM_189_1" in path for path in handler.asked)
    result = CliRunner().invoke(app, [*args, "--nomis"])
    assert result.exit_code == 0, result.output
    assert f"Fetched {len(DATASETS) + 1} files" in result.output
    assert (tmp_path / "dl" / "nomis" / "bres_jobs_by_section.csv").is_file()
    assert [path for path in handler.asked if "NM_189_1" in path] == [f"/nomis/{NOMIS_DATASETS[0].path}"]
