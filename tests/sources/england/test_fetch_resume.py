"""Resuming a download onto the right bytes, on a loopback server that behaves like real ones: it
compresses when asked (or always), answers Range with If-Range against its ETag, changes its file
between runs, sends a wrong Content-Range, asks to be retried later, or sends an HTML error page."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from diagnostics.exceptions import FetchFailed
from diagnostics.sources.england.fetch import fetch_file

BODY = b"areacd,areanm,period,observation\n" + b"".join(b"E%08d,Place %d,2023,%d.5\n" % (i, i, i) for i in range(3000))


class _Server(BaseHTTPRequestHandler):
    """``files``: path -> bytes. ``plan``: path -> behaviours for the next requests, one each:
    ``cut`` (send half the body and close), ``wrong-range`` (answer 206 from byte 0 whatever was
    asked), ``busy:N`` (503 with Retry-After N), ``page`` (200 with an HTML error page).
    ``gzip``: path -> "if-asked" (compress when Accept-Encoding allows) or "always"."""

    files: dict[str, bytes]
    plan: dict[str, list[str]]
    gzip: dict[str, str]
    seen: list[dict]

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, headers: dict) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        cls = type(self)
        cls.seen.append({k: self.headers.get(k) for k in ("Range", "If-Range", "Accept-Encoding")})
        body = cls.files[self.path]
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        step = cls.plan.get(self.path, []).pop(0) if cls.plan.get(self.path) else ""
        if step.startswith("busy:"):
            return self._send(503, b"busy", {"Retry-After": step[5:]})
        if step == "page":
            return self._send(200, b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"})
        headers = {"ETag": etag}
        mode = cls.gzip.get(self.path)
        if mode == "always" or (mode == "if-asked" and "gzip" in (self.headers.get("Accept-Encoding") or "")):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        start, status = 0, 200
        asked = self.headers.get("Range")
        if asked and self.headers.get("If-Range", etag) == etag:
            start, status = int(asked[6:].split("-")[0]), 206
        if step == "wrong-range":
            start, status = 0, 206
        if status == 206:
            headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
        rest = body[start:]
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(rest))}.items():
            self.send_header(name, value)
        self.end_headers()
        if step == "cut":
            self.wfile.write(rest[: len(rest) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(rest)


@pytest.fixture
def server():
    handler = type("Handler", (_Server,), {"files": {}, "plan": {}, "gzip": {}, "seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_gzipping_server_cut_half_way_gives_the_file_s_own_bytes(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.gzip["/els.csv"] = "if-asked"
    handler.plan["/els.csv"] = ["cut"]
    entry = fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == BODY
    assert entry["attempts"] == 2 and entry["resumed"] > 0
    assert {seen["Accept-Encoding"] for seen in handler.seen} == {"identity"}


def test_a_server_that_compresses_anyway_leaves_its_gzip_file_whole(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.gzip["/els.csv"] = "always"
    handler.plan["/els.csv"] = ["cut"]
    fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert gzip.decompress((tmp_path / "els.csv").read_bytes()) == BODY


def test_a_file_changed_between_runs_is_fetched_whole_again(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["cut"]
    with pytest.raises(FetchFailed, match=r"the partial file els.csv.part is kept"):
        fetch_file(f"{url}/els.csv", tmp_path / "els.csv", retries=0)
    first_etag = '"' + hashlib.sha1(BODY).hexdigest()[:12] + '"'
    changed = BODY.replace(b".5\n", b".7\n")
    handler.files["/els.csv"] = changed
    entry = fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == changed
    assert handler.seen[-1]["If-Range"] == first_etag and handler.seen[-1]["Range"].startswith("bytes=")
    assert entry["resumed"] == 0 and not (tmp_path / ".els.csv.part.json").exists()


def test_an_unchanged_file_resumes_across_runs(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["cut"]
    with pytest.raises(FetchFailed):
        fetch_file(f"{url}/els.csv", tmp_path / "els.csv", retries=0)
    entry = fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == BODY and entry["resumed"] > 0


def test_a_part_that_nothing_identifies_is_started_again(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    (tmp_path / "els.csv.part").write_bytes(b"stale bytes from some other file")
    fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == BODY and handler.seen[-1]["Range"] is None


def test_a_206_that_starts_elsewhere_than_asked_starts_again(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["cut", "wrong-range"]
    entry = fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == BODY and entry["attempts"] == 3


def test_retry_after_is_waited_for(server, tmp_path, monkeypatch):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["busy:7"]
    slept = []
    monkeypatch.setattr(time, "sleep", slept.append)
    entry = fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert slept == [7] and entry["attempts"] == 2


def test_a_retry_after_longer_than_max_wait_fails_at_once(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["busy:3600"]
    with pytest.raises(FetchFailed, match=r"els.csv failed: the server answered 503, asking to wait 3,600 s \(Retry-After\); run again later"):
        fetch_file(f"{url}/els.csv", tmp_path / "els.csv", max_wait=60)
    assert len(handler.seen) == 1


def test_an_html_error_page_is_not_saved_as_the_data(server, tmp_path):
    handler, url = server
    handler.files["/els.csv"] = BODY
    handler.plan["/els.csv"] = ["page", "page"]
    with pytest.raises(FetchFailed, match=r"the server sent a web page, not the data \(it begins '<!DOCTYPE html><html><body>502 Bad Gat"):
        fetch_file(f"{url}/els.csv", tmp_path / "els.csv", retries=1, backoff=0)
    assert not (tmp_path / "els.csv").exists() and not (tmp_path / "els.csv.part").exists()
    fetch_file(f"{url}/els.csv", tmp_path / "els.csv", backoff=0)
    assert (tmp_path / "els.csv").read_bytes() == BODY
