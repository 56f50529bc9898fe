"""The browser harness shared by tests/test_browser.py and benchmarks/bench_app.py.

``place-diagnostic serve`` on a free loopback port in its own process group (stopped with it), and
Debian's Chromium driven by playwright (never a downloaded browser).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``place-diagnostic serve`` on a free loopback port, for the length of a ``with`` block."""

    def __init__(self, store=None, startup_timeout: float = 90.0, kernels: int | None = None):
        self.port = free_port()
        self.kernels = kernels
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.app_url = f"{self.base_url}/voila/render/app.ipynb"
        self.store = store
        self.startup_timeout = startup_timeout
        self.log = Path(tempfile.mkstemp(prefix="pd-serve-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        exe = Path(sys.executable).parent / "place-diagnostic"
        command = [str(exe), "serve", "--port", str(self.port)]
        if self.store is not None:
            command += ["--store", str(self.store)]
        if self.kernels is not None:
            command += ["--kernels", str(self.kernels)]
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            command, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"place-diagnostic serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"place-diagnostic serve did not answer within {self.startup_timeout} s")

    def pool_size(self) -> int | None:
        """How many app kernels the server said it keeps preheated (None before it said so)."""
        found = re.search(r"(\d+) app kernel\(s\) kept preheated", self.log.read_text(errors="replace"))
        return int(found.group(1)) if found else None

    def apps_ready(self) -> int:
        """How many app kernels have drawn the app and wait for a page (preheated ones included)."""
        from diagnostics.app.place_app import APP_READY

        return self.log.read_text(errors="replace").count(APP_READY)

    def wait_until_ready(self, count: int = 1, timeout: float = 180.0) -> bool:
        """Wait until ``count`` app kernels have been drawn (the first is the preheated one)."""
        deadline = time.monotonic() + timeout
        while self.apps_ready() < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.apps_ready() >= count

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if getattr(self, "_log_file", None):
            self._log_file.close()
        if exc and exc[0] is None:
            self.log.unlink(missing_ok=True)  # kept after a failure, for its server log


@contextlib.contextmanager
def open_browser():
    """Debian's Chromium, headless, through playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def wait_for_place(page, name: str, timeout: float = 150_000) -> None:
    """Wait until the app's title names the place."""
    page.locator(".pd-title", has_text=re.compile(rf"^{re.escape(name)}$")).wait_for(timeout=timeout)


#: What a fully drawn Summary tab shows: the title, the cards, the findings and a chart (inline SVG) ...
SUMMARY_PARTS = (".pd-title", ".pd-card", ".pd-findings", ".jp-OutputArea-output svg")
#: ... and the map's shapes, drawn by Leaflet inside the map's own frame.
MAP_SHAPES = "path.leaflet-interactive"


def summary_drawn(page, timeout: float = 150_000) -> None:
    """Wait until the Summary tab is fully drawn: title, cards, findings, chart and the map's shapes."""
    for selector in SUMMARY_PARTS:
        page.locator(selector).first.wait_for(timeout=timeout)
    page.frame_locator("iframe").first.locator(MAP_SHAPES).first.wait_for(timeout=timeout)


async def summary_drawn_async(page, timeout: float = 150_000) -> None:
    """:func:`summary_drawn` for playwright's async API (several pages timed at once)."""
    for selector in SUMMARY_PARTS:
        await page.locator(selector).first.wait_for(timeout=timeout)
    await page.frame_locator("iframe").first.locator(MAP_SHAPES).first.wait_for(timeout=timeout)
