"""The growth section's test stores and sessions.

``firms_store`` is the tiny store (tests/helpers/tiny.py) plus a firm register small enough to work
by hand (:data:`sections.growth.registers.TINY_REGISTER`): Ashcombe (D1) has firms A, B and D; firm
C is in Brackley Vale (D2). ``small`` is the small synthetic country, whose register is large
enough to fit the growth model. ``england_with_growth`` is the tiny real-layout England, which has
no firm register, with ONS's published high-growth share (:data:`HIGH_GROWTH`).
"""

from __future__ import annotations

import pytest
from helpers import england_files
from helpers.tiny import tiny_tables
from sections.growth.registers import tiny_register_tables

from diagnostics.sections.session import start
from diagnostics.sources.england import import_folder
from diagnostics.store.store import open_store, write_store


def _firms_store(path, years):
    tables, boundaries = tiny_tables()
    tables["firms"], tables["firm_years"] = tiny_register_tables(years)
    write_store(path, tables, boundaries, source="synthetic", vintage="synthetic",
                attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    return open_store(path)


@pytest.fixture(scope="package")
def firms_store(tmp_path_factory):
    """The tiny store with the hand-made register of 2019-2023."""
    return _firms_store(tmp_path_factory.mktemp("stores") / "tiny-firms", range(2019, 2024))


@pytest.fixture(scope="package")
def short_firms_store(tmp_path_factory):
    """The tiny store with the hand-made register of 2022-2023 only: too short for a 3-year window."""
    return _firms_store(tmp_path_factory.mktemp("stores") / "tiny-firms-short", range(2022, 2024))


@pytest.fixture()
def firms_dx(firms_store):
    """A new session for Ashcombe (D1) in the tiny store with firms, against its region."""
    return start("D1", firms_store, comparators="region")


@pytest.fixture(scope="package")
def small(small_store):
    """The small synthetic country (8 districts, 400 small areas), opened."""
    return open_store(small_store)


@pytest.fixture(scope="package")
def small_dx(small):
    """The small country's default place against its region: the views' results are computed once
    for every test of the package (tests must not change what they get back)."""
    return start("default", small, comparators="region")


#: ONS Business Demography's high-growth share (%) in the Explore Local Statistics layout: Alpha,
#: Beta and Gamma (districts), the North (region) and England; Delta has none.
HIGH_GROWTH = {
    "E08000001": {2022: 4.0, 2023: 5.0, 2024: 7.5},
    "E08000002": {2022: 3.0, 2023: 3.5, 2024: 4.0},
    "E07000001": {2022: 6.0, 2023: 6.5, 2024: 9.0},
    "E12000001": {2022: 4.2, 2023: 4.4, 2024: 4.6},
    "E92000001": {2022: 4.1, 2023: 4.9, 2024: 5.0},
}


@pytest.fixture(scope="package")
def england_with_growth(tmp_path_factory):
    """The tiny real-layout England (tests/helpers/england_files.py) plus an ONS Business Demography file."""
    root = tmp_path_factory.mktemp("england-growth")
    folder = england_files.write_tiny_england(root / "downloads")
    rows = [[code, "x", "Local Authority District", "High growth businesses", f"{year}-01-01/P1Y", value,
             "Percentage", "%", "", "", "", ""]
            for code, series in HIGH_GROWTH.items() for year, value in series.items()]
    england_files._csv(folder / "economy" / "ons_els_business_demography.csv", england_files.ELS_HEADER, rows, bom=True)
    import_folder(folder, root / "store")
    return open_store(root / "store")


@pytest.fixture()
def alpha_dx(england_with_growth):
    """Alpha (E08000001), which has a published high-growth share, against Beta and Gamma."""
    return start("E08000001", england_with_growth, comparators=["E08000002", "E07000001"])
