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

__all__ = ["Dataset", "Ignored", "recognise", "scan", "read_header", "open_text", "text_encoding", "KINDS", "TEXT_ENCODINGS"]

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
    "small_area_boundaries": "ONS small-area or ward boundaries, one file per district",
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
        If the file cannot be read at all (corrupt gzip, undecodable bytes, broken JSON).
    """
    path = Path(path)
    name = path.name.lower()
    if name.startswith(".") or name.endswith((".md", ".txt", ".pdf", ".xlsx", ".ods")):
        return Ignored(path, "documentation or a spreadsheet, not a data file the import reads (use the CSV download)")
    if name.endswith(".metadata.json") or name == "manifest.json":
        return Ignored(path, "metadata only; the indicator's own file carries the figures")
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
        if found is not None:
            return found
        hint = next((text for pattern, text in _NAME_HINTS if pattern.search(name)), None)
        shown = ", ".join(cols[:8]) + (" ..." if len(cols) > 8 else "")
        if hint:
            return Ignored(path, f"its name suggests {hint}, but its columns are [{shown}]: wrong content or an unsupported layout")
        return Ignored(path, f"columns not recognised: [{shown}]")
    return Ignored(path, "not a CSV or JSON file")


def scan(folder: str | Path) -> tuple[list[Dataset], list[Ignored]]:
    """Recognise every file under a folder (recursively), in path order.

    Raises
    ------
    ImportFailed
        If the folder does not exist, or a file cannot be read at all.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ImportFailed(str(folder), "no such folder; pass the folder holding the downloads with --from")
    found: list[Dataset] = []
    ignored: list[Ignored] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        result = recognise(path)
        (found if isinstance(result, Dataset) else ignored).append(result)
    return found, ignored
