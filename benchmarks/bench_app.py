"""Time the app in a real browser: request to the summary fully drawn, and switching place.

    .venv/bin/python benchmarks/bench_app.py [--switches 5] [--store PATH]

Uses the browser tests' harness (tests/browser_harness.py): ``place-diagnostic serve`` on a free
loopback port, Debian's Chromium through playwright. "Fully drawn" means the title, the cards, the
strengths and challenges, the chart (inline SVG) and the map's shapes (inside its frame) are all in
the page. Aims: under 5 s to first render with a preheated kernel, under 1.5 s per switch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser_harness import (  # noqa: E402
    CHROMIUM,
    AppServer,
    open_browser,
    summary_drawn,
    wait_for_place,
)


def _first_render(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(180_000)
    t0 = time.perf_counter()
    page.goto(url)
    summary_drawn(page)
    seconds = time.perf_counter() - t0
    page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=5, help="how many place switches to time")
    parser.add_argument("--store", type=Path, default=None, help="the store to serve (default: the embedded one)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"Debian's Chromium is not at {CHROMIUM}: apt-get install chromium")
    from diagnostics.sources import open_store

    store = open_store(args.store)
    districts = store.areas_in_layer("district")
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with AppServer(args.store) as server, open_browser() as browser:
        t0 = time.perf_counter()
        server.wait_until_ready(1)
        print(f"{'server start to a preheated app kernel drawn':<52s} {time.perf_counter() - t0:8.2f} s", flush=True)
        preheated = _first_render(browser, server.app_url)
        print(f"{'first render, preheated kernel (request to summary)':<52s} {preheated:8.2f} s", flush=True)
        # the pool is being refilled: this request gets a fresh kernel, as when many arrive at once
        cold = _first_render(browser, server.app_url + f"?place={districts['code'].iloc[1]}")
        print(f"{'first render, no kernel waiting (request to summary)':<52s} {cold:8.2f} s", flush=True)

        server.wait_until_ready(3)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(180_000)
        page.goto(server.app_url)
        summary_drawn(page)
        current = page.locator(".pd-title").inner_text()
        box = page.locator("input[placeholder='Type a place name or code']")
        times = []
        for _, row in districts.loc[districts["name"] != current].head(args.switches).iterrows():
            t0 = time.perf_counter()
            box.fill(f"{row['name']} ({row['code']}) · District")
            box.press("Enter")
            wait_for_place(page, row["name"])
            summary_drawn(page)
            times.append(time.perf_counter() - t0)
            print(f"  switch to {row['name']:<38s} {times[-1]:8.2f} s", flush=True)
        label = f"switch place (median of {len(times)})"
        print(f"{label:<52s} {statistics.median(times):8.2f} s")
        print(f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine inflates every figure)")


if __name__ == "__main__":
    main()
