"""Recognise each official download in a folder by its columns or properties, never by its name.

An ONS boundary file is known by its ``LAD24CD``/``ICB23CD``... properties, an Explore Local
Statistics indicator file by its tidy columns, an IoD2019 file by its headers, a Fingertips export
by its fields. A file's name is used only to explain what a file that is not recognised was
probably meant to be, and to tell ONS's three neighbour lists apart (their columns are identical).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.business_workbook import is_business_workbook
from diagnostics.sources.england.deaths import sniff_deaths_table
from diagnostics.sources.england.mye import MYE_LAYOUT, sniff_mid_year_estimates
from diagnostics.sources.england.spending_files import SPENDING_KINDS, sniff_spending, unread_spending
from diagnostics.sources.england.workbooks import WORKBOOK_SUFFIXES

__all__ = [
    "Dataset", "Ignored", "recognise", "scan", "read_header", "open_text", "text_encoding", "damage", "looks_like_web_page", "is_data_file", "KINDS",
    "TEXT_ENCODINGS", "FETCH_MANIFEST",
]

#: What each kind of dataset is, for the import report.
KINDS: dict[str, str] = {
    "boundaries": "ONS Open Geography Portal boundaries",
    "centroids": "ONS population-weighted centroids",
    "els": "ONS Explore Local Statistics indicators",
    "iod": "MHCLG English Indices of Deprivation 2019 (ranks, scores or population denominators by LSOA)",
    "fingertips": "OHID Fingertips indicator export",
    "code_changes": "ONS local authority code changes",
    "hierarchy": "ONS area hierarchy (district -> county, combined authority, region)",
    "police_lookup": "ONS district -> police force area lookup",
    "ttwa_lookup": "ONS LSOA (2011) -> travel-to-work area lookup",
    "lep_lookup": "ONS LSOA (2011) -> local enterprise partnership lookup",
    "oa_lookup": "ONS output area -> LSOA -> MSOA lookup",
    "neighbours": "ONS similar-areas nearest neighbours",
    "clusters": "ONS local authority clusters",
    "cluster_descriptions": "ONS local authority cluster descriptions",
    "business_counts": "ONS UK business: activity, size and location (enterprises and local units by district)",
    "business_demography": "ONS Business Demography counts by district, one column per year",
    "population": "ONS mid-year population estimates by district, sex and single year of age (MYE2)",
    "deaths": "ONS deaths registered by area of usual residence (Table 2 by age and sex; Table 1a rates)",
    "small_area_boundaries": "ONS small-area or ward boundaries, one file per district",
    "nomis": "A Nomis API table in Nomis's CSV layout (BRES jobs by district and SIC section)",
    **SPENDING_KINDS,
}

#: Small-area and ward boundary layers, by their code property's prefix (``LSOA11CD`` -> lsoa).
SMALL_BOUNDARY_PREFIXES: dict[str, str] = {"LSOA": "lsoa", "MSOA": "msoa", "WD": "ward"}

#: Boundary layers recognised by their code property's prefix (``LAD24CD`` -> district).
BOUNDARY_PREFIXES: dict[str, str] = {
    "LAD": "district",
    "ICB": "health_area",
    "SICBL": "sub_icb",
    "NHSER": "nhs_region",
    "RGN": "region",
    "CTYUA": "county_unitary",
    "CAUTH": "combined_authority",
}

# File-name hints, used only to explain an unrecognised file.
_NAME_HINTS = (
    (re.compile(r"iod|imd", re.I), "an English Indices of Deprivation file (LSOA code (2011) and rank columns)"),
    (re.compile(r"els|explore", re.I), "an Explore Local Statistics file (areacd, period, observation, lci_95, uci_95...)"),
    (re.compile(r"fingertips", re.I), "a Fingertips export (area code, period, value...)"),
    (re.compile(r"\.(geo)?json$", re.I), "an ONS boundary file (GeoJSON with e.g. LAD24CD properties)"),
    (re.compile(r"neighbour|cluster", re.I), "an ONS similar-areas file (AREACD, 1..20)"),
)


@dataclass(frozen=True)
class Dataset:
    """A recognised file: its kind (a key of :data:`KINDS`), path and what in it was recognised."""

    kind: str
    path: Path
    detail: str = ""
    columns: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Ignored:
    """A file left out of the import, and why."""

    path: Path
    reason: str


#: The encodings official downloads come in, in the order they are tried: UTF-8 (with or without a
#: byte-order mark), then Windows-1252, which spreadsheet "CSV export"s write on UK government
#: machines (``£`` is byte 0xA3 there; MHCLG's Revenue Account CSV exports are an example).
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252")

#: The record ``place-diagnostic data fetch`` writes beside its downloads (see ``fetch.MANIFEST_NAME``).
FETCH_MANIFEST = "fetch_manifest.json"


def _open_binary(path: Path):
    with open(path, "rb") as fh:
        magic = fh.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with _open_binary(path) as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_encoding(path: Path) -> str:
    """The first of :data:`TEXT_ENCODINGS` that decodes the whole file (plain or gzip).

    The file is decoded in chunks of 1 MiB, so a large file is never held in memory whole. When
    no encoding but the last decodes it, the last is returned and reading the file raises
    :class:`UnicodeDecodeError` at the byte it cannot decode.
    """
    return next((enc for enc in TEXT_ENCODINGS[:-1] if _decodes(path, enc)), TEXT_ENCODINGS[-1])


def open_text(path: Path) -> io.TextIOBase:
    """Open a text file for reading, gunzipping it when its first bytes say gzip (whatever its name).

    The encoding is the first of :data:`TEXT_ENCODINGS` that decodes the whole file.
    """
    path = Path(path)
    return io.TextIOWrapper(_open_binary(path), encoding=text_encoding(path), newline="")


def read_header(path: Path) -> list[str]:
    """The column names of a CSV file (plain or gzip), stripped.

    Raises
    ------
    ImportFailed
        If the file cannot be decoded (a corrupt gzip stream, binary content).
    """
    try:
        with open_text(path) as fh:
            first = fh.readline()
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as err:
        raise ImportFailed(str(path), f"it cannot be read as text ({err}); download it again") from err
    row = next(csv.reader([first]), [])
    return [c.strip() for c in row]


_WEB_PAGE = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)
_DATA_NAME = re.compile(r"\.(csv|tsv|geojson|json|jsonl)(\.gz)?$|\.gz$", re.IGNORECASE)


def looks_like_web_page(head: bytes) -> bool:
    """Whether the first bytes of a file are an HTML page (after any byte-order mark and white space)."""
    return _WEB_PAGE.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def is_data_file(name: str) -> bool:
    """Whether a file's name is that of a data file the import reads (CSV, JSON, GeoJSON, gzip)."""
    return _DATA_NAME.search(name) is not None


def damage(path: Path) -> str | None:
    """Why a data file cannot be what its name promises: it is empty, or it is a web page (a proxy's or
    a publisher's error page saved in the data's place). None when neither."""
    if path.stat().st_size == 0:
        return "it is empty (0 bytes): the download failed before any data arrived; download it again"
    try:
        with _open_binary(path) as fh:
            head = fh.read(512)
    except (OSError, EOFError):
        return None  # a damaged gzip stream is reported by the reader that meets it
    if not head:
        return "it is empty once decompressed: the download failed; download it again"
    if looks_like_web_page(head):
        shown = head.removeprefix(codecs.BOM_UTF8).lstrip()[:40].decode("utf-8", "replace")
        return (f"it is a web page, not data (it begins {shown!r}): a proxy's or the publisher's error page was "
                "saved in its place; download it again")
    return None


def _cut_short(path: Path, columns: int) -> str | None:
    """Why a plain CSV ends part-way through a row (its last line has fewer fields than its header), or None."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        if fh.read(2) == b"\x1f\x8b":
            return None  # gzip: a cut stream fails when it is decompressed
        fh.seek(max(size - (1 << 16), 0))
        tail = fh.read()
    if tail.endswith((b"\n", b"\r")) or b"\n" not in tail:
        return None
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")  # commas and quotes are ASCII in every encoding read
    fields = len(next(csv.reader([last]), []))
    if fields >= columns:
        return None
    return (f"it ends part-way through a row (its last line has {fields} of its {columns} columns): the download was "
            "cut short; download it again")


def _json_properties(path: Path) -> tuple[str, list[str], object]:
    """(type, property names of the first feature, parsed document) of a JSON/GeoJSON file."""
    with open_text(path) as fh:
        text = fh.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        if not err.msg.startswith("Extra data"):
            raise
        document = json.loads(text.lstrip().split("\n", 1)[0])  # newline-delimited features
    if isinstance(document, dict) and document.get("type") == "Feature":
        return "FeatureLines", list(document.get("properties") or {}), None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features") or [{}]
        return "FeatureCollection", list(features[0].get("properties", {})), document
    if isinstance(document, dict) and document.get("type") == "Topology":
        return "Topology", [], document
    return type(document).__name__, list(document)[:20] if isinstance(document, dict) else [], document


def _recognise_columns(path: Path, cols: list[str]) -> Dataset | None:
    lower = [c.lower() for c in cols]
    has = set(lower)
    tup = tuple(cols)
    if {"areacd", "areanm", "indicator", "period", "observation", "lci_95", "uci_95"} <= has:
        return Dataset("els", path, "tidy", tup)
    if {"areacd", "indicator", "observation", "period", "lower confidence interval (95%)"} <= has:
        return Dataset("els", path, "legacy", tup)
    if "lsoa code (2011)" in has:
        # File 7 holds ranks, scores and populations at once; Files 1/2, 5 and 6 one each
        contents = [
            name for name, present in (
                ("ranks", any(" rank" in c for c in lower)),
                ("scores", any(re.search(r"\bscore\b", c) for c in lower)),
                ("population", any(c.startswith("total population") for c in lower)),
            ) if present
        ]
        if contents:
            return Dataset("iod", path, ",".join(contents), tup)
    if {"indicator id", "area code", "time period", "value", "lower ci 95.0 limit"} <= has:
        return Dataset("fingertips", path, "api", tup)
    if {"area_code", "area_type", "period", "indicator", "value", "compared_to_england", "inequality"} <= has:
        return Dataset("fingertips", path, "extract", tup)
    if {"geography_code", "industry_name", "employment_status_name", "obs_value"} <= has and has & {"date", "date_name"}:
        return Dataset("nomis", path, "bres", tup)  # Nomis's layout of BRES (NM_189_1, NM_172_1)
    if {"oldcd", "newcd", "type", "start"} <= has:
        return Dataset("code_changes", path, "", tup)
    if lower[:1] == ["ladcd"] and {"ladcd_active", "utlacd", "cauthcd", "rgncd"} <= has:
        return Dataset("hierarchy", path, "la_all_codes", tup)
    if any(re.fullmatch(r"lad\d\dcd", c) for c in lower) and any(re.fullmatch(r"pfa\d\dcd", c) for c in lower):
        return Dataset("police_lookup", path, "", tup)
    if "lsoa11cd" in has and any(re.fullmatch(r"ttwa\d\dcd", c) for c in lower):
        return Dataset("ttwa_lookup", path, "", tup)
    if "lsoa11cd" in has and any(re.fullmatch(r"lep\d\dcd1", c) for c in lower):
        return Dataset("lep_lookup", path, "", tup)
    if {"oa11cd", "lsoa11cd", "msoa11cd"} <= has and "lepop17cd" not in has:  # not the partial LEP-overlap file
        return Dataset("oa_lookup", path, "", tup)
    if "areacd" in has and [c for c in cols if c.strip().isdigit()] and cols[1:3] == ["1", "2"]:
        name = path.name.lower()
        which = next((w for w in ("global", "economic", "demographic") if w in name), "neighbours")
        return Dataset("neighbours", path, which, tup)
    if {"areacd", "areanm", "global", "economic", "demographic"} <= has:
        return Dataset("clusters", path, "", tup)
    if lower[:2] == ["code", "region"] and len(cols) > 2 and all(re.fullmatch(r"(19|20)\d\d", c) for c in cols[2:]):
        # the harmonised Business Demography counts share one layout; the file's name says which count
        which = next((w for w in ("highgrowth", "active10plus", "births", "deaths", "active") if w in path.name.lower()), "")
        return Dataset("business_demography", path, which, tup) if which else None
    return None


def _mid_year_dataset(path: Path, found) -> Dataset | Ignored:
    if isinstance(found, str):
        return Ignored(path, found)
    sexes = "".join(sorted(found.sexes))
    return Dataset("population", path, f"mid-{found.year}:{sexes}" + (":year-from-name" if found.year_from_name else ""))


def _recognise_workbook(path: Path) -> Dataset | Ignored:
    """ONS's mid-year-estimates workbooks (.xls, .xlsx) by their sheets' header rows."""
    found = sniff_mid_year_estimates(path)
    if found is None:
        return Ignored(path, f"a workbook with no sheet in a layout the import reads ({MYE_LAYOUT}); "
                             "if it holds other figures, export the table as CSV")
    return _mid_year_dataset(path, found)


def _recognise_titled_table(path: Path) -> Dataset | Ignored | None:
    """CSV exports of ONS tables with title lines above the header (mid-year estimates, deaths tables)."""
    found = sniff_mid_year_estimates(path)
    if found is not None:
        return _mid_year_dataset(path, found)
    table = sniff_deaths_table(path)
    if table is not None:
        return Dataset("deaths", path, f"table{table.table}:{table.year}")
    return None


_FIRST_PROPERTIES = re.compile(r'"features"\s*:\s*\[\s*\{\s*"type"\s*:\s*"Feature"\s*,\s*"properties"\s*:\s*(\{[^{}]*\})')


def _small_area_boundaries(path: Path) -> Dataset | None:
    """A small-area or ward boundary file, known from its first feature's properties alone (these
    files are many and large: the head is enough); None for any other file."""
    try:
        with open_text(path) as fh:
            head = fh.read(8192)
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile):
        return None  # the full reading below names the problem
    found = _FIRST_PROPERTIES.search(head)
    if not found:
        return None
    try:
        props = list(json.loads(found.group(1)))
    except json.JSONDecodeError:
        return None
    own = next((m for m in (re.fullmatch(r"([A-Z]+)(\d\d)CD", p.upper()) for p in props) if m), None)
    if own is None or own.group(1) not in SMALL_BOUNDARY_PREFIXES:
        return None
    return Dataset("small_area_boundaries", path, f"{SMALL_BOUNDARY_PREFIXES[own.group(1)]}:{props[[q.upper() for q in props].index(own.group(0))]}", tuple(props))


def recognise(path: str | Path) -> Dataset | Ignored:
    """Recognise one file by its columns (CSV) or properties (GeoJSON, JSON).

    Returns
    -------
    Dataset or Ignored
        What the file is, or why it is left out (naming what its name suggests it was meant to be).

    Raises
    ------
    ImportFailed
        If the file cannot be read at all (corrupt gzip, undecodable bytes, broken JSON), is empty,
        is a web page standing in a data file's name, or (a recognised CSV) ends part-way through a row.
    """
    path = Path(path)
    name = path.name.lower()
    if name.endswith((*WORKBOOK_SUFFIXES, ".ods", ".csv")) and not name.startswith("."):
        if spending := sniff_spending(path):
            return Dataset(spending[0], path, spending[1])
        if why := unread_spending(path):
            return Ignored(path, why)
    if name.endswith(WORKBOOK_SUFFIXES) and not name.startswith("."):
        if is_business_workbook(path):
            return Dataset("business_counts", path, "workbook")
        return _recognise_workbook(path)
    if name.startswith(".") or name.endswith((".md", ".txt", ".pdf", ".xlsx", ".ods")):
        return Ignored(path, "documentation or a spreadsheet, not a data file the import reads (use the CSV download)")
    if name.endswith(".metadata.json") or name == "manifest.json":
        return Ignored(path, "metadata only; the indicator's own file carries the figures")
    if name == FETCH_MANIFEST:
        return Ignored(path, "the download record of `place-diagnostic data fetch` (each file's size is checked against it)")
    if is_data_file(name) and (problem := damage(path)):
        raise ImportFailed(str(path), problem)
    is_json = re.search(r"\.(geo)?json(l)?(\.gz)?$", name) is not None
    small = _small_area_boundaries(path) if re.search(r"\.geojson(\.gz)?$", name) else None
    if small is not None:
        return small
    if is_json:
        try:
            kind, props, document = _json_properties(path)
        except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile, json.JSONDecodeError) as err:
            raise ImportFailed(str(path), f"it is not valid JSON ({err}); the download is probably truncated or corrupt") from err
        upper = [p.upper() for p in props]
        if kind == "FeatureCollection":
            # the feature's own code is its first XXyyCD property (a ward file also carries LAD25CD)
            own = next((m for m in (re.fullmatch(r"([A-Z]+)(\d\d)CD", p) for p in upper) if m), None)
            if own and own.group(1) in BOUNDARY_PREFIXES:
                layer = BOUNDARY_PREFIXES[own.group(1)]
                return Dataset("boundaries", path, f"{layer}:{props[upper.index(own.group(0))]}", tuple(props))
            return Ignored(path, f"a GeoJSON file whose properties {props[:6]} name no boundary layer the import knows (LADyyCD, ICByyCD, SICBLyyCD, NHSERyyCD, RGNyyCD, CTYUAyyCD, CAUTHyyCD)")
        if kind == "FeatureLines" and "areacd" in [p.lower() for p in props]:
            return Dataset("centroids", path, "", tuple(props))
        if kind == "Topology":
            return Ignored(path, "a TopoJSON outline; the import draws districts from an ONS LAD boundary file instead")
        if isinstance(document, dict) and "E92000001" in document and isinstance(document["E92000001"], dict):
            return Dataset("hierarchy", path, "els_geo_metadata", ())
        if isinstance(document, dict) and set(document) >= {"global", "economic", "demographic"}:
            return Dataset("cluster_descriptions", path, "", ())
        return Ignored(path, f"JSON with top-level keys {props[:6]}: not a dataset the import knows")
    if re.search(r"\.(csv|tsv|txt)(\.gz)?$", name) or name.endswith(".gz"):
        cols = read_header(path)
        found = _recognise_columns(path, cols)
        if found is not None and (problem := _cut_short(path, len(cols))):
            raise ImportFailed(str(path), problem)
        found = found or _recognise_titled_table(path)
        if isinstance(found, (Dataset, Ignored)):
            return found
        hint = next((text for pattern, text in _NAME_HINTS if pattern.search(name)), None)
        shown = ", ".join(cols[:8]) + (" ..." if len(cols) > 8 else "")
        if hint:
            return Ignored(path, f"its name suggests {hint}, but its columns are [{shown}]: wrong content or an unsupported layout")
        return Ignored(path, f"columns not recognised: [{shown}]")
    return Ignored(path, "not a CSV or JSON file")


def _check_fetched_sizes(folder: Path) -> None:
    """Compare each file ``data fetch`` recorded in the folder with the size it had when fetched."""
    try:
        entries = json.loads((folder / FETCH_MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return  # no record (or an unreadable one): each file's content is still checked as it is read
    for entry in entries if isinstance(entries, list) else []:
        file = folder / str(entry.get("save_as", "")) if isinstance(entry, dict) else None
        if file is None or not file.is_file() or not isinstance(entry.get("bytes"), int):
            continue
        size = file.stat().st_size
        if size != entry["bytes"]:
            raise ImportFailed(str(file), f"it is {size:,} bytes, but {entry['bytes']:,} were fetched: it was cut short or "
                               "changed since; run `place-diagnostic data fetch` again to download it afresh")


def scan(folder: str | Path) -> tuple[list[Dataset], list[Ignored]]:
    """Recognise every file under a folder (recursively), in path order.

    Raises
    ------
    ImportFailed
        If the folder does not exist; a file cannot be read at all, is empty, is a web page, or
        ends part-way through a row; or a file ``data fetch`` recorded no longer has the size it
        was fetched with.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ImportFailed(str(folder), "no such folder; pass the folder holding the downloads with --from")
    _check_fetched_sizes(folder)
    found: list[Dataset] = []
    ignored: list[Ignored] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        result = recognise(path)
        (found if isinstance(result, Dataset) else ignored).append(result)
    return found, ignored
