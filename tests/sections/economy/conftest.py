"""The economy section's test stores and sessions.

``industry_store`` is the tiny store (tests/helpers/tiny.py) plus an industry table for its four
districts: D1, D2 and D4 in 2022 and 2023, D3 in 2023 only (so the country, their sum, has 2023 alone).
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers.tiny import tiny_tables

from diagnostics.sections.session import start
from diagnostics.store.store import open_store, write_store


@pytest.fixture(scope="package")
def industry_store(tmp_path_factory):
    """The tiny store plus an industry table for D1, D2 and D4 (D3 has rows only for 2023)."""
    tables, boundaries = tiny_tables()
    rows = []
    for d, scale in (("D1", 1), ("D2", 2), ("D3", 3), ("D4", 4)):
        for year in (2022, 2023):
            if d == "D3" and year == 2022:
                continue
            for s, jobs, gva in (("A", 100, 5.0), ("C", 300, 30.0), ("K", 100 + 50 * scale, 20.0 * scale)):
                rows.append((d, year, s, jobs * scale + (year - 2022) * 10, gva))
    tables["industry"] = pd.DataFrame(rows, columns=["area_code", "year", "sic_section", "employment", "gva"]).assign(
        source="hand-made", vintage="test"
    )
    path = write_store(tmp_path_factory.mktemp("stores") / "tiny-industry", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    return open_store(path)


@pytest.fixture(scope="package")
def jobs_only_store(tmp_path_factory, industry_store):
    """The industry store with jobs but no GVA (as Nomis's BRES gives them)."""
    tables, boundaries = tiny_tables()
    tables["industry"] = industry_store.table("industry").assign(gva=float("nan"))
    path = write_store(tmp_path_factory.mktemp("stores") / "tiny-jobs", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    return open_store(path)


@pytest.fixture(scope="package")
def default_dx(small_store):
    """The default place of the small synthetic country (the one tests/golden records), against its nearest
    neighbours."""
    return start("default", open_store(small_store))


@pytest.fixture(scope="package")
def england_dx(tiny_england_store):
    """A district of the tiny real-layout England (tests/helpers/england_files.py): ready-made indicators,
    no industry table."""
    return start("E08000001", tiny_england_store, comparators="region")


#: Local units by broad industry group in the tiny store's districts: only retail ("47") and professional
#: ("69-75"). Worked by hand: in 2023 the country has 47: 30+10+20+40 = 100 of 400; D1 30/100 -> LQ 1.2.
BUSINESS_UNITS = {2022: {"D1": (20, 60), "D2": (10, 90), "D3": (20, 80), "D4": (40, 60)},
                  2023: {"D1": (30, 70), "D2": (10, 90), "D3": (20, 80), "D4": (40, 60)}}


@pytest.fixture(scope="package")
def business_store(tmp_path_factory):
    """The tiny store plus business counts (no industry table): local units and enterprises by industry
    group (:data:`BUSINESS_UNITS`; enterprises alike) and enterprises by size band (D1: 90 micro, 5 small,
    5 large; the others 100 micro), March 2022 and 2023."""
    tables, boundaries = tiny_tables()
    rows = []
    for year, districts in BUSINESS_UNITS.items():
        for d, (retail, professional) in districts.items():
            for unit in ("local_units", "enterprises"):
                rows += [(d, year, unit, "industry", "47", retail), (d, year, unit, "industry", "69-75", professional)]
            bands = {"0-4": 80, "5-9": 10, "10-19": 5, "250+": 5} if d == "D1" else {"0-4": 100}
            rows += [(d, year, "enterprises", "employment_size", band, n) for band, n in bands.items()]
    tables["business_counts"] = pd.DataFrame(
        rows, columns=["area_code", "year", "unit", "breakdown", "category", "count"]).assign(source="hand-made", vintage="test")
    path = write_store(tmp_path_factory.mktemp("stores") / "tiny-business", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    return open_store(path)
