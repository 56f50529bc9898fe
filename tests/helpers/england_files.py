"""Writers of small files in the official publishers' real formats, for the real-England tests.

A tiny invented England: one region, four current districts in a row of 0.1-degree squares
(Alpha E08000001, Beta E08000002, Gamma E07000001 in the county Shire E10000001, and Delta, which
ONS re-coded from E08000016 to E08000038 in 2025), two ICBs split down the middle of Beta, and
eight small areas (two per district) whose IoD ranks, populations and centroids are chosen so
that every summary can be worked by hand. Column names, header quirks (BOM, thousands
separators, gzip) and period formats are those of the real downloads.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DISTRICTS = {  # code: (name, west longitude of its square)
    "E08000001": ("Alpha", -2.0),
    "E08000002": ("Beta", -1.9),
    "E07000001": ("Gamma", -1.8),
    "E08000016": ("Delta", -1.7),  # in the 2024 boundary file under its old code
}
CURRENT = {"E08000001": "Alpha", "E08000002": "Beta", "E07000001": "Gamma", "E08000038": "Delta"}
SOUTH, NORTH = 53.0, 53.1

#: LSOA (2011) code -> (name, IoD district code (2019), IMD rank of 32,844, population mid-2015,
#: centroid lon, lat). E01000007 lies in Gamma's predecessor E07000099 (merged into Gamma);
#: E01000008 has no 2021 centroid of its own (re-coded in 2021) but its MSOA has one.
SMALL_AREAS = {
    "E01000001": ("Alpha 001A", "E08000001", 100, 1000, -1.97, 53.05),
    "E01000002": ("Alpha 001B", "E08000001", 3000, 3000, -1.93, 53.05),
    "E01000003": ("Beta 001A", "E08000002", 5000, 1500, -1.88, 53.05),   # west of the ICB line
    "E01000004": ("Beta 001B", "E08000002", 32844, 1500, -1.82, 53.05),  # east of it
    "E01000005": ("Gamma 001A", "E07000001", 12000, 2000, -1.77, 53.05),
    "E01000006": ("Delta 001A", "E08000016", 2000, 1200, -1.65, 53.05),
    "E01000007": ("Gamma 002A", "E07000099", 20000, 1000, -1.73, 53.02),
    "E01000008": ("Delta 001B", "E08000016", 30000, 800, None, None),
}
MSOA_OF = {code: f"E0200000{i // 2 + 1}" for i, code in enumerate(SMALL_AREAS)}
#: Worked by hand (MHCLG method; reversed rank = 32,845 - rank; weights = populations):
#: Alpha (32,745 x 1,000 + 29,845 x 3,000) / 4,000 = 30,570; Beta (27,845 + 1) / 2 = 13,923;
#: Gamma (20,845 x 2,000 + 12,845 x 1,000) / 3,000 = 18,178.33; Delta (30,845 x 1,200 + 2,845 x 800) / 2,000 = 19,645.
#: Share of LSOAs ranked within the most deprived 3,284.4: Alpha 2/2, Delta 1/2, Beta 0, Gamma 0.
EXPECTED_IMD_AVERAGE_RANK = {"E08000001": 30570.0, "E08000002": 13923.0, "E07000001": 54535000 / 3000, "E08000038": 19645.0}
EXPECTED_IMD_SHARE = {"E08000001": 100.0, "E08000002": 0.0, "E07000001": 0.0, "E08000038": 50.0}
EXPECTED_RANK_OF_AVERAGE_RANK = {"E08000001": 1, "E08000038": 2, "E07000001": 3, "E08000002": 4}
EXPECTED_RANK_OF_SHARE = {"E08000001": 1, "E08000038": 2, "E07000001": 3, "E08000002": 3}
ICB_LINE = -1.85  # ICB E54000001 west of it, E54000002 east


def _square(west: float, east: float | None = None) -> dict:
    east = west + 0.1 if east is None else east
    ring = [[west, SOUTH], [east, SOUTH], [east, NORTH], [west, NORTH], [west, SOUTH]]
    return {"type": "Polygon", "coordinates": [ring]}


def _geojson(path: Path, props: list[dict], geoms: list[dict]) -> Path:
    features = [{"type": "Feature", "id": i + 1, "properties": p, "geometry": g} for i, (p, g) in enumerate(zip(props, geoms))]
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}, "features": features}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1))
    return path


def _csv(path: Path, header: list[str], rows: list[list], bom: bool = False, gz: bool = False) -> Path:
    def cell(v) -> str:
        s = "" if v is None else str(v)
        return f'"{s}"' if ("," in s or '"' in s) else s

    text = ("\ufeff" if bom else "") + "\n".join(",".join(cell(c) for c in row) for row in [header, *rows]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def write_lad_boundaries(folder: Path) -> Path:
    props = [{"FID": i, "LAD24CD": c, "LAD24NM": n, "LAD24NMW": "", "BNG_E": 0, "BNG_N": 0, "LONG": w + 0.05, "LAT": 53.05, "GlobalID": f"g{i}"}
             for i, (c, (n, w)) in enumerate(DISTRICTS.items())]
    props.append({"FID": 9, "LAD24CD": "W06000001", "LAD24NM": "Welsh", "LAD24NMW": "", "BNG_E": 0, "BNG_N": 0, "LONG": 0, "LAT": 0, "GlobalID": "w"})
    geoms = [_square(w) for _, w in DISTRICTS.values()] + [_square(-4.0)]
    return _geojson(folder / "boundaries" / "lad24_may2024_uk_bsc.geojson", props, geoms)


def write_icb_boundaries(folder: Path) -> Path:
    props = [{"FID": 1, "ICB23CD": "E54000001", "ICB23NM": "NHS West ICB", "BNG_E": 0, "BNG_N": 0, "LONG": 0, "LAT": 0, "GlobalID": "a"},
             {"FID": 2, "ICB23CD": "E54000002", "ICB23NM": "NHS East ICB", "BNG_E": 0, "BNG_N": 0, "LONG": 0, "LAT": 0, "GlobalID": "b"}]
    return _geojson(folder / "boundaries" / "icb23_apr2023_en_bsc.geojson", props, [_square(-2.0, ICB_LINE), _square(ICB_LINE, -1.6)])


def write_nhser_boundaries(folder: Path) -> Path:
    props = [{"FID": 1, "NHSER24CD": "E40000001", "NHSER24NM": "North", "BNG_E": 0, "BNG_N": 0, "LONG": 0, "LAT": 0, "GlobalID": "n"}]
    return _geojson(folder / "boundaries" / "nhser24_jan2024_en_bsc.geojson", props, [_square(-2.0, -1.6)])


def write_geo_metadata(folder: Path) -> Path:
    """ONS Explore Local Statistics' geo-metadata.json (areas with their parents)."""
    meta = {
        "E92000001": {"areacd": "E92000001", "areanm": "England", "level": ["ctry"], "parents": ["K02000001"], "children": ["E12000001"]},
        "E12000001": {"areacd": "E12000001", "areanm": "North", "level": ["rgn"], "parents": ["E92000001"], "children": []},
        "E47000001": {"areacd": "E47000001", "areanm": "Alpha-Beta Combined Authority", "level": ["cauth"], "parents": ["E12000001", "E92000001"], "children": []},
        "E10000001": {"areacd": "E10000001", "areanm": "Shire", "level": ["utla"], "parents": ["E12000001", "E92000001"], "children": ["E07000001"]},
        "E08000001": {"areacd": "E08000001", "areanm": "Alpha", "level": ["utla", "ltla"], "parents": ["E47000001", "E12000001", "E92000001", "K02000001"], "children": []},
        "E08000002": {"areacd": "E08000002", "areanm": "Beta", "level": ["utla", "ltla"], "parents": ["E47000001", "E12000001", "E92000001", "K02000001"], "children": []},
        "E07000001": {"areacd": "E07000001", "areanm": "Gamma", "level": ["ltla"], "parents": ["E10000001", "E12000001", "E92000001", "K02000001"], "children": []},
        "E07000099": {"areacd": "E07000099", "areanm": "Old Gamma", "end": 2022, "level": ["ltla"], "parents": ["E10000001", "E12000001", "E92000001"], "children": []},
        "E08000016": {"areacd": "E08000016", "areanm": "Delta", "end": 2024, "level": ["utla", "ltla"], "parents": ["E12000001", "E92000001"], "children": []},
        "E08000038": {"areacd": "E08000038", "areanm": "Delta", "start": 2025, "level": ["utla", "ltla"], "parents": ["E12000001", "E92000001", "K02000001"], "children": []},
    }
    path = folder / "lookups" / "ons_els_geo_hierarchy.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta))
    return path


def write_code_changes(folder: Path) -> Path:
    rows = [
        ["E07000099", "Old Gamma", "E07000001", "Gamma", "merger", 2023],
        ["E08000016", "Delta", "E08000038", "Delta", "new_code", 2025],
        ["E08000001", "Alpha", "E47000001", "Alpha-Beta Combined Authority", "new_geo", 2018],
    ]
    return _csv(folder / "lookups" / "ons_area_code_changes_2014_2025.csv", ["oldcd", "oldnm", "newcd", "newnm", "type", "start"], rows, bom=True)


_IOD_KEYS = ["LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2019)", "Local Authority District name (2019)"]
_IOD_DOMAINS = [
    "Index of Multiple Deprivation (IMD)", "Income", "Employment", "Education, Skills and Training",
    "Health Deprivation and Disability", "Crime", "Barriers to Housing and Services", "Living Environment",
]


def _district_name_2019(code: str) -> str:
    return {"E07000099": "Old Gamma"}.get(code, DISTRICTS.get(code, (code,))[0])


def write_iod_file2(folder: Path) -> Path:
    """File 2 layout: ranks and deciles of the IMD and seven domains (the same ranks for every domain,
    but Income reversed, so the domains differ)."""
    header = list(_IOD_KEYS)
    for d in _IOD_DOMAINS:
        header += [f"{d} Rank (where 1 is most deprived)", f"{d} Decile (where 1 is most deprived 10% of LSOAs)"]
    rows = []
    for code, (name, lad, rank, *_rest) in SMALL_AREAS.items():
        row = [code, name, lad, _district_name_2019(lad)]
        for d in _IOD_DOMAINS:
            r = 32845 - rank if d == "Income" else rank  # Income reversed, so the domains differ
            row += [f"{r:,}", min(10, -(-r * 10 // 32844))]
        rows.append(row)
    return _csv(folder / "deprivation" / "iod2019_file2_domains_lsoa11.csv.gz", header, rows, bom=True, gz=True)


def write_iod_file6(folder: Path) -> Path:
    header = _IOD_KEYS + [
        "Total population: mid 2015 (excluding prisoners)",
        "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
        "Population aged 16-59: mid 2015 (excluding prisoners)",
        "Older population aged 60 and over: mid 2015 (excluding prisoners)",
        "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
    ]
    rows = []
    for code, (name, lad, _rank, pop, *_r) in SMALL_AREAS.items():
        kids, old = pop // 5, pop // 4
        rows.append([code, name, lad, _district_name_2019(lad), f"{pop:,}", kids, pop - kids - old, old, pop // 2])
    return _csv(folder / "deprivation" / "iod2019_file6_population_denominators_lsoa11.csv.gz", header, rows, bom=True, gz=True)


def write_centroids(folder: Path) -> tuple[Path, Path]:
    base = folder / "boundaries" / "centroids"
    base.mkdir(parents=True, exist_ok=True)
    lsoa = base / "lsoa21_pwc_ew.geojsonl.gz"
    with gzip.open(lsoa, "wt") as fh:
        for code, (*_a, lon, lat) in SMALL_AREAS.items():
            if lon is not None:
                fh.write(json.dumps({"type": "Feature", "properties": {"areacd": code}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}) + "\n")
    msoa = base / "msoa21_pwc_ew.geojsonl.gz"
    with gzip.open(msoa, "wt") as fh:
        fh.write(json.dumps({"type": "Feature", "properties": {"areacd": MSOA_OF["E01000008"]}, "geometry": {"type": "Point", "coordinates": [-1.62, 53.06]}}) + "\n")
    return lsoa, msoa


def write_oa_lookup(folder: Path) -> Path:
    rows = [[f"E0000000{i}", code, MSOA_OF[code], "E08000001"] for i, code in enumerate(SMALL_AREAS)]
    return _csv(folder / "lookups" / "oa11_lsoa11_msoa11_lad17.csv.gz", ["OA11CD", "LSOA11CD", "MSOA11CD", "LAD17CD"], rows, gz=True)


def write_police_lookup(folder: Path) -> Path:
    rows = [[i, lad, n, "E22000001", "CSP", "E23000001" if lad != "E08000016" else "E23000002", "West Police" if lad != "E08000016" else "East Police"]
            for i, (lad, (n, _)) in enumerate(DISTRICTS.items())]
    rows.append([9, "E07000099", "Old Gamma", "E22000001", "CSP", "E23000001", "West Police"])
    return _csv(folder / "lookups" / "lad19_to_csp19_to_pfa19_ew.csv", ["FID", "LAD19CD", "LAD19NM", "CSP19CD", "CSP19NM", "PFA19CD", "PFA19NM"], rows)


def write_ttwa_lookup(folder: Path) -> Path:
    rows = [[code, name, "E30000001" if i < 4 else "E30000002", "Alpha TTWA" if i < 4 else "Gamma TTWA", i] for i, (code, (name, *_)) in enumerate(SMALL_AREAS.items())]
    return _csv(folder / "lookups" / "lsoa11_to_ttwa11_uk.csv", ["LSOA11CD", "LSOA11NM", "TTWA11CD", "TTWA11NM", "ObjectId"], rows)


def write_lep_lookup(folder: Path) -> Path:
    rows = [[code, name, "E37000001", "One LEP", "E37000002" if i == 0 else "", "Two LEP" if i == 0 else "", i] for i, (code, (name, *_)) in enumerate(SMALL_AREAS.items())]
    return _csv(folder / "lookups" / "lsoa11_to_lep17_en.csv", ["LSOA11CD", "LSOA11NM", "LEP17CD1", "LEP17NM1", "LEP17CD2", "LEP17NM2", "FID"], rows)


ELS_HEADER = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit", "lci_95", "uci_95", "status", "notes"]


def write_els_gva(folder: Path) -> Path:
    """GVA per hour (no intervals), including Delta under its retired code and a merged predecessor."""
    rows = []
    for year, scale in ((2022, 1.0), (2023, 1.1)):
        for code, value in (("E08000001", 30.0), ("E08000002", 40.0), ("E07000001", 35.0), ("E08000016", 25.0), ("E07000099", 99.0), ("E12000001", 33.0)):
            rows.append([code, "x", "Local Authority District", "Gross value added per hour worked", f"{year}-01-01/P1Y", round(value * scale, 2), "Pounds", "£", "", "", "", ""])
    rows.append(["E08000001", "Alpha", "Local Authority District", "Gross value added per hour worked", "2021-01-01/P1Y", "", "Pounds", "£", "", "", "x", ""])
    return _csv(folder / "economy" / "ons_els_gross_value_added.csv", ELS_HEADER, rows, bom=True)


def write_els_employment(folder: Path) -> Path:
    rows = [
        ["E08000001", "Alpha", "Local Authority District", "Employment rate", "2023-01-01/P1Y", 70.5, "Percentage", "%", 66.1, 74.9, "", ""],
        ["E08000002", "Beta", "Local Authority District", "Employment rate", "2023-01-01/P1Y", 75.0, "Percentage", "%", 71.0, 79.0, "u", ""],
        ["E92000001", "England", "Nation", "Employment rate", "2023-01-01/P1Y", 75.7, "Percentage", "%", 75.5, 75.9, "", ""],
        ["E08000001", "Alpha", "Local Authority District", "Female healthy life expectancy", "2020-01-01/P3Y", 60.1, "Years", "Years", 58.0, 62.2, "", ""],
    ]
    return _csv(folder / "economy" / "ons_els_employment_rate.csv", ELS_HEADER, rows, bom=True)


def write_els_legacy_gdp(folder: Path) -> Path:
    header = ["AREACD", "AREANM", "Geography", "Indicator", "Observation", "Unit", "Measure", "Period",
              "Lower Confidence Interval (95%)", "Upper Confidence Interval (95%)", "Observation Status"]
    rows = [["E08000001", "Alpha", "Local Authority District", "Gross domestic product per head at current market price", "31,000", "£", "Pounds", 2023, "", "", ""]]
    return _csv(folder / "economy" / "ons_els_gdp_per_head.csv", header, rows, bom=True)


FINGERTIPS_API_HEADER = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit",
    "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note", "Recent Trend",
    "Compared to England value or percentiles", "Compared to percentiles", "Time period Sortable", "New data",
    "Compared to goal", "Time period range",
]


def fingertips_api_rows() -> list[list]:
    return [
        ["90366", "Life expectancy at birth", "E12000001", "North", "E08000001", "Alpha", "Districts & UAs", "Female", "All ages",
         "", "", "2021 - 23", "82.1", "81.5", "82.7", "", "", "", "", "", "", "Similar", "", "20210000", "", "", "3y"],
        ["90366", "Life expectancy at birth", "E12000001", "North", "E08000001", "Alpha", "Districts & UAs", "Female", "All ages",
         "LSOA11 deprivation deciles", "Most deprived decile", "2021 - 23", "78.0", "77.0", "79.0", "", "", "", "", "", "", "", "", "20210000", "", "", "3y"],
        ["90366", "Life expectancy at birth", "", "", "E08000016", "Delta", "Districts & UAs", "Male", "All ages",
         "", "", "2021 - 23", "77.9", "77.1", "78.7", "", "", "", "", "", "", "Worse", "", "20210000", "", "", "3y"],
    ]


def write_fingertips_api(folder: Path) -> Path:
    return _csv(folder / "health" / "fingertips_90366.csv", FINGERTIPS_API_HEADER, fingertips_api_rows())


def write_fingertips_extract(folder: Path) -> Path:
    header = ["area_code", "area_name", "area_type", "period", "indicator", "measure", "unit", "value", "compared_to_England", "inequality"]
    rows = [["E08000002", "Beta", "District", "2015/16", "Percentage of physically inactive adults", "Proportion", "Percentage", "25.5", "Similar", "NA"]]
    return _csv(folder / "health" / "ohid_fingertips_inactive_adults.csv", header, rows)


def write_neighbours(folder: Path) -> list[Path]:
    paths = []
    header = ["AREACD"] + [str(i) for i in range(1, 21)]
    order = list(CURRENT)
    for which in ("global", "economic", "demographic"):
        rows = []
        for code in ["E08000001", "E08000002", "E07000001", "E08000016"]:
            current = "E08000038" if code == "E08000016" else code
            others = [("E08000016" if c == "E08000038" else c) for c in order if c != current] + ["W06000001"] + [f"E0700{n:04d}" for n in range(100, 116)]
            rows.append([code] + others[:20])
        paths.append(_csv(folder / "comparators" / f"ons_els_{which}_neighbours.csv", header, rows, bom=True))
    rows = [[c, n, "A" if c != "E07000001" else "B", "C", "D"] for c, n in CURRENT.items()]
    paths.append(_csv(folder / "comparators" / "ons_els_cluster_allocation.csv", ["AREACD", "AREANM", "Global", "Economic", "Demographic"], rows, bom=True))
    desc = folder / "comparators" / "ons_els_cluster_descriptions.json"
    desc.write_text(json.dumps({"global": {"a": "Urban cores.", "b": "Shire towns."}, "economic": {"c": "Mixed."}, "demographic": {"d": "Young."}}))
    paths.append(desc)
    return paths


def write_tiny_england(folder: str | Path) -> Path:
    """Every file of the tiny England into ``folder``; returns the folder."""
    folder = Path(folder)
    write_lad_boundaries(folder)
    write_icb_boundaries(folder)
    write_nhser_boundaries(folder)
    write_geo_metadata(folder)
    write_code_changes(folder)
    write_iod_file2(folder)
    write_iod_file6(folder)
    write_centroids(folder)
    write_oa_lookup(folder)
    write_police_lookup(folder)
    write_ttwa_lookup(folder)
    write_lep_lookup(folder)
    write_els_gva(folder)
    write_els_employment(folder)
    write_els_legacy_gdp(folder)
    write_fingertips_api(folder)
    write_fingertips_extract(folder)
    write_neighbours(folder)
    (folder / "README.md").write_text("downloads\n")
    return folder


def write_iod_file7(folder: Path) -> Path:
    """File 7 layout (the CSV MHCLG publishes): scores, ranks and deciles of every domain and the
    population denominators in one file. Scores are chosen so that higher is more deprived."""
    header = list(_IOD_KEYS)
    for d in _IOD_DOMAINS:
        score = f"{d} Score" + (" (rate)" if d in ("Income", "Employment") else "")
        header += [score, f"{d} Rank (where 1 is most deprived)", f"{d} Decile (where 1 is most deprived 10% of LSOAs)"]
    header += ["Total population: mid 2015 (excluding prisoners)", "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
               "Population aged 16-59: mid 2015 (excluding prisoners)", "Older population aged 60 and over: mid 2015 (excluding prisoners)",
               "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)"]
    rows = []
    for code, (name, lad, rank, pop, *_r) in SMALL_AREAS.items():
        row = [code, name, lad, _district_name_2019(lad)]
        for _d in _IOD_DOMAINS:
            row += [round(80 * (1 - rank / 32844), 3), rank, min(10, -(-rank * 10 // 32844))]
        kids, old = pop // 5, pop // 4
        row += [pop, kids, pop - kids - old, old, pop // 2]
        rows.append(row)
    return _csv(folder / "deprivation" / "iod2019_file7.csv", header, rows)


def write_la_all_codes(folder: Path) -> Path:
    """Every district code since 2011 with its active successor, county, combined authority and region
    (the layout of ONS-derived 'all codes' tables such as drkane/geo-lookups' la_all_codes.csv)."""
    header = ["LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE", "UTLACD", "UTLANM", "CAUTHCD", "CAUTHNM", "RGNCD", "RGNNM",
              "CTRYCD", "CTRYNM", "EWCD", "EWNM", "GBCD", "GBNM", "UKCD", "UKNM", "Current", "LAD20CD", "LAD20NM"]
    tail = ["E92000001", "England", "K04000001", "England and Wales", "K03000001", "Great Britain", "K02000001", "United Kingdom"]
    rows = [
        ["E08000001", "Alpha", "E08000001", "Alpha", "E08000001", "Alpha", "E47000001", "Alpha-Beta Combined Authority", "E12000001", "North", *tail, "TRUE", "E08000001", "Alpha"],
        ["E08000002", "Beta", "E08000002", "Beta", "E08000002", "Beta", "E47000001", "Alpha-Beta Combined Authority", "E12000001", "North", *tail, "TRUE", "E08000002", "Beta"],
        ["E07000001", "Gamma", "E07000001", "Gamma", "E10000001", "Shire", "", "", "E12000001", "North", *tail, "TRUE", "E07000001", "Gamma"],
        ["E07000099", "Old Gamma", "E07000001", "Gamma", "E10000001", "Shire", "", "", "E12000001", "North", *tail, "FALSE", "E07000099", "Old Gamma"],
        ["E08000016", "Delta", "E08000038", "Delta", "E08000038", "Delta", "", "", "E12000001", "North", *tail, "FALSE", "E08000016", "Delta"],
        ["E08000038", "Delta", "E08000038", "Delta", "E08000038", "Delta", "", "", "E12000001", "North", *tail, "TRUE", "E08000016", "Delta"],
    ]
    return _csv(folder / "lookups" / "la_all_codes.csv", header, rows)


#: Wards (May 2025): each current district split in two at 0.045 degrees east of its west edge.
WARD_SPLIT = 0.045


def _drkane_file(path: Path, props: list[dict], geoms: list[dict]) -> Path:
    """One district's file as drkane/geo-lookups cut them: a gzipped FeatureCollection named after
    the district, properties first, the parent codes appended (as boundaries/england_by_lad/)."""
    features = [{"type": "Feature", "properties": p, "geometry": g} for p, g in zip(props, geoms)]
    doc = {"type": "FeatureCollection", "name": path.name.split(".")[0],
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": features}
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=None))
    return path


def small_area_square(code: str) -> dict:
    """The LSOA's polygon: 0.02 degrees square around its centroid (E01000008, with no centroid, in
    Delta's east ward)."""
    _, _, _, _, lon, lat = SMALL_AREAS[code]
    lon, lat = (-1.62, 53.08) if lon is None else (lon, lat)
    ring = [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat + 0.01], [lon - 0.01, lat - 0.01]]
    return {"type": "Polygon", "coordinates": [ring]}


def ward_codes() -> dict[str, tuple[str, str]]:
    """Ward code -> (name, current district code): E05000001 and E05000002 are Alpha's west and east..."""
    out = {}
    for i, (district, name) in enumerate(CURRENT.items()):
        out[f"E0500000{2 * i + 1}"] = (f"{name} West", district)
        out[f"E0500000{2 * i + 2}"] = (f"{name} East", district)
    return out


def write_small_area_boundaries(folder: Path) -> list[Path]:
    """LSOA (2011), ward (2025) and MSOA (2021) polygons, one gzipped file per current district
    (``england_by_lad/{lsoa11_bgc,wd25_bgc,msoa21_bgc}/<LAD>.geojson.gz``)."""
    current_of = {"E08000016": "E08000038", "E07000099": "E07000001"}
    paths = []
    west_of = {code: west for code, (_, west) in DISTRICTS.items()}
    west_of["E08000038"] = west_of.pop("E08000016")
    for district in CURRENT:
        lsoas = [c for c, v in SMALL_AREAS.items() if current_of.get(v[1], v[1]) == district]
        props = [{"FID": i, "LSOA11CD": c, "LSOA11NM": SMALL_AREAS[c][0], "LSOA11NMW": SMALL_AREAS[c][0], "BNG_E": 0, "BNG_N": 0,
                  "LADCD_ACTIVE": district} for i, c in enumerate(lsoas)]
        paths.append(_drkane_file(folder / "england_by_lad" / "lsoa11_bgc" / f"{district}.geojson.gz", props,
                                  [small_area_square(c) for c in lsoas]))
        wards = {code: v for code, v in ward_codes().items() if v[1] == district}
        west = west_of[district]
        geoms = [_square(west, west + WARD_SPLIT), _square(west + WARD_SPLIT, west + 0.1)]
        props = [{"FID": i, "WD25CD": code, "WD25NM": name, "WD25NMW": " ", "LAD25CD": district, "LAD25NM": CURRENT[district],
                  "LADCD_ACTIVE": district} for i, (code, (name, _)) in enumerate(wards.items())]
        paths.append(_drkane_file(folder / "england_by_lad" / "wd25_bgc" / f"{district}.geojson.gz", props, geoms))
        paths.append(_drkane_file(folder / "england_by_lad" / "msoa21_bgc" / f"{district}.geojson.gz",
                                  [{"FID": 1, "MSOA21CD": f"E0290{district[-4:]}", "MSOA21NM": CURRENT[district] + " 001"}],
                                  [_square(west)]))
    return paths
