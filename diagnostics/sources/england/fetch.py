"""Download the official datasets from their publishers (``place-diagnostic data fetch``).

Each file is fetched with a connect/read timeout, retried with exponential back-off on network
errors, server errors and short bodies, and resumed where it stopped (an HTTP ``Range`` request
continues the ``.part`` file). ``fetch_manifest.json`` in the target folder records what was
fetched, from where, when, its size and SHA-256; it is rewritten after every file, so a run that
fails half way says what it already has and the next run continues from there.

Every publisher's base address is configurable (``base_urls``), so the tests run this client
against a loopback server that serves recorded files in the publishers' formats.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from diagnostics.atomic import write_text_atomic
from diagnostics.exceptions import FetchFailed, InvalidParameter

__all__ = ["PUBLISHERS", "DATASETS", "Download", "fetch_file", "fetch_all", "MANIFEST_NAME"]

MANIFEST_NAME = "fetch_manifest.json"

#: Each publisher's default base address (override any with ``base_urls``).
PUBLISHERS: dict[str, str] = {
    # ONS Open Geography Portal (ArcGIS feature services)
    "ons_geography": "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services",
    # ONS Explore Local Statistics: the data repository and the app's area metadata and clusters
    "ons_els": "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-data/main",
    "ons_els_app": "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/main",
    # ONS's list of local authority code changes
    "ons_code_changes": "https://raw.githubusercontent.com/ONSvisual/uk-topojson/main",
    # MHCLG English Indices of Deprivation 2019 (gov.uk assets)
    "mhclg_iod": "https://assets.publishing.service.gov.uk/media",
    # OHID Fingertips API
    "ohid_fingertips": "https://fingertips.phe.org.uk/api",
}

_GEOJSON_QUERY = "FeatureServer/0/query?where=1%3D1&outFields=*&outSR=4326&f=geojson"
_ELS = (
    "gross-value-added", "employment-rate", "claimant-count", "gross-median-weekly-pay",
    "qualifications-level-3-or-above", "business-demography", "modelled-unemployment",
    "gross-disposable-household-income-per-head", "healthy-life-expectancy", "cigarette-smokers",
    "adult-obesity-prevalence", "preventable-cardiovascular-mortality-england",
)


@dataclass(frozen=True)
class Download:
    """One file to fetch: the publisher, the path under its base address, and where to save it."""

    publisher: str
    path: str
    save_as: str


#: The datasets the import reads, as published.
DATASETS: tuple[Download, ...] = (
    Download("ons_geography", f"Local_Authority_Districts_May_2024_Boundaries_UK_BGC/{_GEOJSON_QUERY}", "boundaries/lad24_bgc.geojson"),
    Download("ons_geography", f"Integrated_Care_Boards_April_2023_EN_BSC/{_GEOJSON_QUERY}", "boundaries/icb23_bsc.geojson"),
    Download("ons_geography", f"NHS_England_Regions_January_2024_EN_BSC/{_GEOJSON_QUERY}", "boundaries/nhser24_bsc.geojson"),
    Download("ons_els_app", "src/lib/data/geo-metadata.json", "lookups/geo-metadata.json"),
    Download("ons_code_changes", "input/changes.csv", "lookups/code_changes.csv"),
    Download("ons_els_app", "scripts/config/clusters/global-neighbours.csv", "comparators/global-neighbours.csv"),
    Download("ons_els_app", "scripts/config/clusters/economic-neighbours.csv", "comparators/economic-neighbours.csv"),
    Download("ons_els_app", "scripts/config/clusters/demographic-neighbours.csv", "comparators/demographic-neighbours.csv"),
    Download("ons_els_app", "scripts/config/clusters/cluster-allocation.csv", "comparators/cluster-allocation.csv"),
    Download("ons_els_app", "scripts/config/clusters/cluster-descriptions.json", "comparators/cluster-descriptions.json"),
    Download(
        "mhclg_iod",
        "5dc407b440f0b6379a7acc8d/File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv",
        "deprivation/iod2019_file7.csv",
    ),
    *(Download("ons_els", f"{slug}/{slug}.csv", f"els/{slug}.csv") for slug in _ELS),
    Download(
        "ohid_fingertips",
        "all_data/csv/by_indicator_id?indicator_ids=90366&child_area_type_id=502",
        "fingertips/life_expectancy_90366.csv",
    ),
)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def fetch_file(
    url: str,
    dest: str | Path,
    *,
    session=None,
    timeout: tuple[float, float] = (10.0, 120.0),
    retries: int = 4,
    backoff: float = 1.0,
    chunk_size: int = 1 << 14,
) -> dict:
    """Download one file, resuming a partial download, retrying on failure.

    Parameters
    ----------
    url : str
    dest : path-like
        Where the finished file goes; the partial download is kept beside it as ``<dest>.part``.
    session : requests.Session, optional
    timeout : (float, float), default (10, 120)
        Connect and read timeouts, seconds.
    retries : int, default 4
        Attempts after the first; each waits ``backoff * 2**attempt`` seconds.
    backoff : float, default 1.0
        Seconds.

    Returns
    -------
    dict
        url, file, bytes, sha256, fetched_at (UTC), attempts, resumed (bytes already on disk when a
        resumed attempt started, summed).

    Raises
    ------
    FetchFailed
        After the last retry, naming the URL and the last problem; the ``.part`` file is kept so the
        next run resumes.
    """
    import requests

    if retries < 0:
        raise InvalidParameter(f"The 'retries' parameter of fetch_file must be 0 or more; got {retries!r}.")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    http = session or requests.Session()
    problem, resumed = "", 0
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with http.get(url, headers=headers, stream=True, timeout=timeout) as response:
                if response.status_code == 416 and have:  # nothing left to fetch: the part is whole
                    break
                if response.status_code >= 500 or response.status_code == 429:
                    problem = f"the server answered {response.status_code}"
                    continue
                if response.status_code >= 400:
                    raise FetchFailed(url, f"the server answered {response.status_code} {response.reason}; check the address (--base-url)")
                if response.status_code == 206 and have:
                    mode, resumed = "ab", resumed + have
                else:
                    mode, have = "wb", 0  # the server ignored Range: start again
                expected = response.headers.get("Content-Length")
                written = 0
                with open(part, mode) as fh:
                    for chunk in response.iter_content(chunk_size):
                        fh.write(chunk)
                        written += len(chunk)
                if expected is not None and written < int(expected):
                    problem = f"the connection closed after {have + written:,} of {have + int(expected):,} bytes"
                    continue
                break
        except FetchFailed:
            raise
        except requests.exceptions.ChunkedEncodingError:
            kept = part.stat().st_size if part.exists() else 0
            problem = f"the connection closed part-way ({kept:,} bytes kept)"
            continue
        except (requests.ConnectionError, requests.Timeout) as err:
            problem = f"{type(err).__name__}: {err}"
            continue
    else:
        raise FetchFailed(url, f"{problem} (after {retries + 1} attempts; the partial file {part.name} is kept and the next run resumes it)")
    part.replace(dest)
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
    return {
        "url": url, "file": str(dest), "bytes": dest.stat().st_size, "sha256": digest,
        "fetched_at": _now(), "attempts": attempt + 1, "resumed": resumed,
    }


def fetch_all(
    folder: str | Path,
    base_urls: Mapping[str, str] | None = None,
    datasets: Iterable[Download] = DATASETS,
    *,
    session=None,
    timeout: tuple[float, float] = (10.0, 120.0),
    retries: int = 4,
    backoff: float = 1.0,
) -> dict:
    """Fetch every dataset into ``folder``, skipping those the manifest says are complete.

    Parameters
    ----------
    folder : path-like
    base_urls : mapping of str to str, optional
        Publisher -> base address, overriding :data:`PUBLISHERS` (e.g. a loopback test server).
    datasets : iterable of Download, default :data:`DATASETS`

    Returns
    -------
    dict
        The manifest: ``files`` (one entry per file, see :func:`fetch_file`, plus publisher and
        save_as), ``base_urls``, ``updated``.

    Raises
    ------
    InvalidParameter
        For a publisher name that :data:`PUBLISHERS` does not know.
    FetchFailed
        When a file cannot be fetched; the manifest keeps the files fetched before it.
    """
    import requests

    overrides = dict(base_urls or {})
    unknown = sorted(set(overrides) - set(PUBLISHERS))
    if unknown:
        raise InvalidParameter(f"The 'base_urls' parameter of fetch_all names unknown publishers {unknown}; known: {sorted(PUBLISHERS)}.")
    bases = {**PUBLISHERS, **overrides}
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {"files": []}
    done = {entry["save_as"]: entry for entry in manifest.get("files", [])}
    http = session or requests.Session()
    for item in datasets:
        target = folder / item.save_as
        url = f"{bases[item.publisher].rstrip('/')}/{item.path}"
        previous = done.get(item.save_as)
        if previous and previous.get("url") == url and target.is_file() and target.stat().st_size == previous.get("bytes"):
            continue
        entry = fetch_file(url, target, session=http, timeout=timeout, retries=retries, backoff=backoff)
        entry.update(publisher=item.publisher, save_as=item.save_as)
        done[item.save_as] = entry
        manifest = {"files": list(done.values()), "base_urls": bases, "updated": _now()}
        write_text_atomic(manifest_path, json.dumps(manifest, indent=2))
    manifest = {"files": list(done.values()), "base_urls": bases, "updated": _now()}
    write_text_atomic(manifest_path, json.dumps(manifest, indent=2))
    return manifest
