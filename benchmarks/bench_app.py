"""Time the app in a real browser as several visitors see it: N pages opened at once, then switching place.

    .venv/bin/python benchmarks/bench_app.py [--visitors 4] [--kernels N] [--switches 5] [--store PATH]

Uses the browser tests' harness (tests/helpers/browser_harness.py): ``place-diagnostic serve`` on a
free loopback port (``--kernels`` passed on when given), Debian's Chromium through playwright's async
API (one browser, one context per visitor, so the pages load at the same time). Prints:

- each visitor's time from request to the Summary tab fully drawn (title, cards, findings, chart and
  the map's shapes), all N requests sent at once; aim: at most 2 s each with 4 visitors;
- how long the pool takes to be full again after them (Voilà refills it in the background);
- the memory of one app kernel with its page drawn (resident, and proportional: shared pages split);
- switching place on one page: request to the open tab redrawn (aim: at most 0.5 s), going back to a
  place already shown, and opening another tab after a switch (drawn when opened).

Other work on the machine inflates every figure: the load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers.browser_harness import CHROMIUM, AppServer, summary_drawn_async  # noqa: E402

AIM_FIRST_PAGE = 2.0
AIM_SWITCH = 0.5
WIDTH = 58


def _line(label: str, seconds: float, aim: float | None = None) -> None:
    versus = f"   aim <= {aim:.1f} s{'' if seconds <= aim else '  (missed)'}" if aim is not None else ""
    print(f"{label:<{WIDTH}s} {seconds:7.2f} s{versus}", flush=True)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


async def _visit(browser, url: str) -> tuple[float, object]:
    """One visitor: a fresh browser context, the page requested, timed to its Summary tab drawn."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(180_000)
    t0 = time.perf_counter()
    await page.goto(url)
    await summary_drawn_async(page)
    return time.perf_counter() - t0, page


async def _pick(page, name: str, code: str, layer: str = "District") -> float:
    """Pick a place in the app's box; seconds to the open tab (the Summary) redrawn for it."""
    box = page.locator("input[placeholder='Type a place name or code']")
    await box.fill(f"{name} ({code}) · {layer}")
    t0 = time.perf_counter()
    await box.press("Enter")
    await page.locator(".pd-title", has_text=name).first.wait_for()
    await summary_drawn_async(page)
    return time.perf_counter() - t0


async def _open_tab(page, title: str) -> float:
    """Open a tab; seconds until its last view's heading (set with the view's output) is shown."""
    from diagnostics.sections.registry import available_sections

    section = next(s for s in available_sections() if s.title == title)
    t0 = time.perf_counter()
    await page.locator(".lm-TabBar-tab", has_text=title).first.click(timeout=60_000)
    # the same heading may be in a hidden tab too: the one shown
    await page.locator(".pd-view-heading:visible", has_text=section.views[-1][0]).first.wait_for(timeout=120_000)
    return time.perf_counter() - t0


def _kernel_memory(server: AppServer) -> tuple[float, float, int]:
    """Median resident and proportional memory (MiB) of the server's kernels, and how many there are."""
    kernels = [p for p in psutil.Process(server.process.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    infos = [p.memory_full_info() for p in kernels]
    return (statistics.median(i.rss for i in infos) / 2**20, statistics.median(i.pss for i in infos) / 2**20, len(kernels))


async def _run(args, districts) -> None:
    from playwright.async_api import async_playwright

    with AppServer(args.store, kernels=args.kernels) as server:
        deadline = time.monotonic() + 10
        while server.pool_size() is None and time.monotonic() < deadline:  # said just after it listens
            time.sleep(0.2)
        pool = server.pool_size() or 1  # a server that does not say (before --kernels) keeps 1
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
            t0 = time.perf_counter()
            server.wait_until_ready(pool, timeout=600)
            _line(f"server start to {pool} preheated app kernel(s) drawn", time.perf_counter() - t0)
            rss, pss, count = _kernel_memory(server)
            print(f"{'one waiting app kernel (median of ' + str(count) + ')':<{WIDTH}s} {rss:7.0f} MiB resident, {pss:.0f} MiB proportional", flush=True)

            # every visitor asks at the same moment; each deep link names another district
            urls = [server.app_url] + [f"{server.app_url}?place={code}" for code in districts["code"].iloc[1 : args.visitors]]
            print(f"{args.visitors} visitors at once, {_load()}", flush=True)
            visits = await asyncio.gather(*(_visit(browser, url) for url in urls))
            for number, (seconds, _) in enumerate(visits, 1):
                _line(f"  visitor {number}: request to first drawn page", seconds, AIM_FIRST_PAGE)
            _line(f"slowest of {args.visitors} visitors", max(s for s, _ in visits), AIM_FIRST_PAGE)
            t0 = time.perf_counter()
            if server.wait_until_ready(pool + args.visitors, timeout=600):
                _line("pool full again after them (refilled in the background)", time.perf_counter() - t0)
            rss, pss, count = _kernel_memory(server)
            print(f"{'app kernels with a page drawn or waiting (median of ' + str(count) + ')':<{WIDTH}s} {rss:7.0f} MiB resident, {pss:.0f} MiB proportional", flush=True)

            page = visits[0][1]
            first = (await page.locator(".pd-title").inner_text()).strip()
            others = districts.loc[districts["name"] != first].head(args.switches)
            print(f"switching place on one page, {_load()}", flush=True)
            times = []
            for _, row in others.iterrows():
                times.append(await _pick(page, row["name"], row["code"]))
                _line(f"  switch to {row['name']}", times[-1], AIM_SWITCH)
            _line(f"switch place, open tab drawn (median of {len(times)})", statistics.median(times), AIM_SWITCH)
            back = others.iloc[max(len(others) - 2, 0)]  # two switches ago: among the places whose tabs are kept
            _line(f"switch back to a place shown before ({back['name']})", await _pick(page, back["name"], back["code"]), AIM_SWITCH)
            row = others.iloc[1]
            await _pick(page, row["name"], row["code"])
            _line(f"after a switch, opening the {args.tab} tab (drawn when opened)", await _open_tab(page, args.tab))
            await browser.close()
    print(_load() + " at the end (other work on the machine inflates every figure)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=4, help="how many pages to open at once (default 4)")
    parser.add_argument("--kernels", type=int, default=None, help="serve --kernels (default: serve's own default)")
    parser.add_argument("--switches", type=int, default=5, help="how many place switches to time")
    parser.add_argument("--tab", default="Economy", help="the tab opened after a switch (default Economy)")
    parser.add_argument("--store", type=Path, default=None, help="the store to serve (default: the embedded one)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"Debian's Chromium is not at {CHROMIUM}: apt-get install chromium")
    from diagnostics.sources import open_store

    districts = open_store(args.store).areas_in_layer("district")
    print(_load() + " at the start", flush=True)
    asyncio.run(_run(args, districts))


if __name__ == "__main__":
    main()
