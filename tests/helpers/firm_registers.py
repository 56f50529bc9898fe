"""Small firm registers in the column layouts of the exports analysts bring, for the tiny England of
:mod:`helpers.england_files` (LSOAs E01000001-E01000008) and the tiny store of :mod:`helpers.tiny`.

- :func:`write_fame_register`: Bureau van Dijk FAME, wide (one column per year: "Number of employees
  2019", "Turnover th GBP 2019"), with an "LSOA (2011)" column an analyst appended after geocoding
  (FAME has no LSOA: the import needs ``--map "LSOA (2011)=small_area_code"``).
- :func:`write_companies_house_register`: Companies House Basic Company Data headings (" CompanyNumber"
  with its leading space, "SICCode.SicText_1", "IncorporationDate" as dd/mm/yyyy) joined by the analyst
  to yearly employment: long, one row per firm and year.
- :func:`write_beauhurst_register`: Beauhurst, wide ("Headcount 2019", "Turnover (£) 2019"), located by
  latitude and longitude.

Worked by hand: :data:`GROWERS` double their employees from 2019 to 2022 (26% a year, above the
OECD-Eurostat 20%) from 10 or more, so each is high-growth in the window 2019-2022.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pyproj import Transformer

YEARS = (2019, 2020, 2021, 2022)
#: firm id -> (name, SIC text, incorporation date, LSOA, employees by year, turnover £ thousand by year)
FIRMS = {
    "01234567": ("Alpha Robotics Ltd", "62012 - Business and domestic software development", "01/04/2015", "E01000001", (10, 13, 16, 20), (900, 1200, 1600, 2100)),
    "02345678": ("Alpha Bakery Ltd", "10710 - Manufacture of bread", "12/06/1998", "E01000002", (12, 12, 13, 12), (500, 510, 520, 515)),
    "03456789": ("Beta Logistics Ltd", "49410 - Freight transport by road", "03/03/2010", "E01000003", (40, 55, 70, 85), (4000, 5000, 6500, 8000)),
    "04567890": ("Beta Care Ltd", "87300 - Residential care activities for the elderly", "30/09/2005", "E01000004", (30, 30, 31, 29), (1100, 1150, 1150, 1120)),
    "05678901": ("Gamma Build Ltd", "41201 - Construction of commercial buildings", "15/01/2012", "E01000005", (15, 14, 16, 15), (2000, 1900, 2100, 2050)),
    "06789012": ("Gamma Design Ltd", "74100 - specialised design activities", "22/02/2018", "E01000007", (3, 5, 8, 9), (100, 150, 240, 300)),
    "07890123": ("Delta Foods Ltd", "56101 - Licensed restaurants", "05/05/2016", "E01000006", (20, 26, 33, 41), (800, 1000, 1400, 1800)),
    "08901234": ("Delta Mystery Ltd", "None Supplied", "", "E01000008", (11, 11, 10, 11), (400, 400, 390, 410)),
}
GROWERS = {"01234567", "03456789", "07890123"}


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_fame_register(path: Path) -> Path:
    """The FAME layout (wide); the LSOA column needs --map."""
    header = (["Company name", "Registered number", "Primary UK SIC (2007) code", "Incorporation date", "R/O Full Postcode",
               "LSOA (2011)"] + [f"Number of employees\n{y}" for y in YEARS] + [f"Turnover\nth GBP\n{y}" for y in YEARS])
    rows = [[name, fid, sic.split(" - ")[0], founded, "M1 1AA", lsoa, *emp, *turn]
            for fid, (name, sic, founded, lsoa, emp, turn) in FIRMS.items()]
    return _write(path, header, rows)


def write_companies_house_register(path: Path) -> Path:
    """Companies House headings joined to yearly employment (long); one firm's id repeated on a second row."""
    header = ["CompanyName", " CompanyNumber", "RegAddress.PostCode", "IncorporationDate", "SICCode.SicText_1", "lsoa11cd",
              "year", "employees", "Turnover th GBP"]
    rows = [[name, fid, "M1 1AA", founded, sic, lsoa, year, e, t]
            for fid, (name, sic, founded, lsoa, emp, turn) in FIRMS.items() for year, e, t in zip(YEARS, emp, turn)]
    return _write(path, header, rows)


def write_beauhurst_register(path: Path, points: dict[str, tuple[float, float]]) -> Path:
    """The Beauhurst layout (wide), located by latitude and longitude of the British National Grid
    ``points`` (firm id -> x, y metres); turnover in pounds."""
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)  # the import's, run backwards
    header = (["Companies House ID", "Company name", "SIC codes", "Incorporation date", "Latitude", "Longitude"]
              + [f"Headcount {y}" for y in YEARS] + [f"Turnover (£) {y}" for y in YEARS])
    rows = []
    for fid, (x, y) in points.items():
        name, sic, founded, _lsoa, emp, turn = FIRMS[fid]
        lon, lat = to_grid.transform(x, y, direction="INVERSE")
        rows.append([fid, name, sic, founded, f"{lat:.8f}", f"{lon:.8f}", *emp, *[1000 * t for t in turn]])
    return _write(path, header, rows)
