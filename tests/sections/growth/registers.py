"""Firm registers to test the growth section with: small enough to work every answer by hand."""

from __future__ import annotations

import pandas as pd

from diagnostics.sections.growth.register import prepare_register

#: The years of :func:`register_of`'s histories.
YEARS = (2020, 2021, 2022, 2023)

#: A register for the tiny store (tests/helpers/tiny.py), 2019-2023: firm -> (small area, SIC section,
#: year founded, x, employment each year). Growth over 3 years is high above 1.2**3 = 1.728 times:
#: A grows 10 -> 18 (1.8: high-growth, ending 2022, and a gazelle: 5 years old) but 12 -> 20 (1.67:
#: not, ending 2023); C grows 10 -> 30 in both windows; B is flat; D never has 10 employees.
TINY_REGISTER = {
    "A": ("S1", "J", 2017, 500.0, (10, 12, 15, 18, 20)),
    "B": ("S2", "G", 2000, 1500.0, (20, 20, 20, 20, 20)),
    "C": ("S3", "C", 2010, 2500.0, (10, 10, 15, 30, 30)),
    "D": ("S1", "J", 2018, 600.0, (5, 5, 5, 5, 5)),
}


def tiny_register_tables(years=range(2019, 2024)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:data:`TINY_REGISTER` as the store's ``firms`` and ``firm_years`` tables, for ``years`` of 2019-2023."""
    firms = pd.DataFrame(
        [(firm, f"Firm {firm}", "1", section, founded, area, x, 500.0)
         for firm, (area, section, founded, x, _) in TINY_REGISTER.items()],
        columns=["firm_id", "name", "sic", "sic_section", "founded", "small_area_code", "x", "y"],
    ).assign(source="synthetic", vintage="synthetic")
    rows = [(firm, year, float(employment), 100.0)
            for firm, (*_, history) in TINY_REGISTER.items()
            for year, employment in zip(range(2019, 2024), history) if year in years]
    return firms, pd.DataFrame(rows, columns=["firm_id", "year", "employment", "turnover"])


def register_of(histories, founded=None, sections=None, areas=None):
    """A register from {firm_id: [(employment, turnover) or None per year of YEARS]}.

    Every firm is in small area S1, SIC section J, founded in 2000, unless ``areas``, ``sections``
    or ``founded`` (each a dict by firm id) say otherwise; S1 and S2 are the known small areas.
    """
    ids = list(histories)
    firms = pd.DataFrame({
        "firm_id": ids,
        "name": [f"Firm {i}" for i in ids],
        "sic": "62012",
        "sic_section": [(sections or {}).get(i, "J") for i in ids],
        "founded": [(founded or {}).get(i, 2000.0) for i in ids],
        "small_area_code": [(areas or {}).get(i, "S1") for i in ids],
        "x": 500.0, "y": 500.0,
    })
    rows = [(i, year, *values) for i, history in histories.items() for year, values in zip(YEARS, history) if values is not None]
    years = pd.DataFrame(rows, columns=["firm_id", "year", "employment", "turnover"])
    return prepare_register(firms, years, ["S1", "S2"])


def flat(e0, e3, t0=100.0, t3=100.0):
    """A history of YEARS: ``e0`` employees (``t0`` turnover) for three years, then ``e3`` (``t3``)."""
    return [(e0, t0), (e0, t0), (e0, t0), (e3, t3)]


def by_id(register, classified):
    """The classified windows indexed by firm id."""
    return classified.assign(firm_id=register.firms["firm_id"].to_numpy()[classified["firm"]]).set_index("firm_id")
