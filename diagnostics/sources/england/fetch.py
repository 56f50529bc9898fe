"""Download the official datasets from their publishers (``place-diagnostic data fetch``).

Each file is fetched with a connect/read timeout, retried (urllib3's ``Retry``: exponential back-off,
and the server's ``Retry-After``) on network errors, busy or failing servers and short bodies, and
resumed where it stopped: an HTTP ``Range`` request, with ``If-Range`` naming the file's ``ETag`` or
``Last-Modified``, continues the ``.part`` file only while the server's file is the same one, and
the identity encoding is asked for so that the bytes on disk are the bytes the range counts. ``fetch_manifest.json`` in the target folder records what was
fetched, from where, when, its size and SHA-256; it is rewritten after every file, so a run that
fails half way says what it already has and the next run continues from there.

Every publisher's base address is configurable (``base_urls``), so the tests run this client
against a loopback server that serves recorded files in the publishers' formats.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from diagnostics.atomic import write_text_atomic
from diagnostics.exceptions import FetchFailed, InvalidParameter
from diagnostics.sources.england.nomis import BRES_QUERY
from diagnostics.sources.england.recognise import FETCH_MANIFEST, is_data_file, looks_like_web_page

__all__ = ["PUBLISHERS", "DATASETS", "NOMIS_DATASETS", "Download", "fetch_file", "fetch_all", "MANIFEST_NAME"]

MANIFEST_NAME = FETCH_MANIFEST

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
    # Nomis API (ONS labour-market and business statistics), CSV layout
    "nomis": "https://www.nomisweb.co.uk/api/v01/dataset",
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


#: The Nomis tables ``data fetch --nomis`` adds: BRES jobs by district and SIC section, latest five years.
NOMIS_DATASETS: tuple[Download, ...] = (
    Download("nomis", BRES_QUERY, "nomis/bres_jobs_by_section.csv"),
)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


#: Answers worth another attempt (the server is busy or failing); any other 4xx fails at once.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$")


@dataclass
class _Attempt:
    """The outcome of one request: finished, or the problem and what to hand urllib3's Retry."""

    done: bool = False
    problem: str = ""
    response: object | None = None  # the urllib3 response, for its status and Retry-After
    error: Exception | None = None
    resumed: int = 0


def _validators_file(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.part.json")


def _validators(response) -> dict:
    """The response's strong ETag and its Last-Modified: what identifies the file a part came from."""
    etag = response.headers.get("ETag")
    return {
        "etag": etag if etag and not etag.startswith("W/") else None,  # If-Range takes strong validators only
        "last_modified": response.headers.get("Last-Modified"),
    }


def _discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    _validators_file(part.with_name(part.name.removesuffix(".part"))).unlink(missing_ok=True)


def _stored_validator(dest: Path) -> str | None:
    """The ETag (else Last-Modified) recorded when the part file of ``dest`` began, if any."""
    try:
        stored = json.loads(_validators_file(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (stored.get("etag") or stored.get("last_modified")) if isinstance(stored, dict) else None


def _resume_headers(part: Path, dest: Path) -> tuple[int, dict]:
    """Bytes already on disk and the request's headers: always the identity encoding (so the bytes
    on disk are the bytes a Range counts); a Range, with If-Range when the part's file is known."""
    headers = {"Accept-Encoding": "identity"}
    have = part.stat().st_size if part.exists() else 0
    if have:
        headers["Range"] = f"bytes={have}-"
        if validator := _stored_validator(dest):
            headers["If-Range"] = validator
    return have, headers


def _attempt(http, url: str, dest: Path, part: Path, *, timeout, chunk_size: int) -> _Attempt:
    """One request: resume or start the part file, write the raw bytes, and say how it ended."""
    import requests
    from urllib3.exceptions import HTTPError as Urllib3Error

    have, headers = _resume_headers(part, dest)
    try:
        with http.get(url, headers=headers, stream=True, timeout=timeout) as response:
            raw = response.raw
            status = response.status_code
            if status == 416 and have:
                total = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
                if total and total.group(3) == str(have):
                    return _Attempt(done=True)  # nothing left to fetch: the part is whole
                _discard(part)
                return _Attempt(problem="the server's file is no longer the one partly downloaded; starting again")
            if status in RETRY_STATUSES:
                return _Attempt(problem=f"the server answered {status}", response=raw)
            if status >= 400:
                raise FetchFailed(url, f"the server answered {status} {response.reason}; check the address (--base-url)")
            if status == 206:
                found = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
                if not have or not found or found.group(1) != str(have):
                    _discard(part)
                    return _Attempt(problem=(f"the server sent the range {response.headers.get('Content-Range')!r} "
                                             f"for bytes {have}- ; starting again"))
                mode, resumed, total = "ab", have, found.group(3)
            else:  # 200: a first request, or the server's file changed since the part began (If-Range)
                mode, resumed, have = "wb", 0, 0
                _validators_file(dest).write_text(json.dumps(_validators(response)), encoding="utf-8")
                length = response.headers.get("Content-Length")
                total = length if length and response.headers.get("Content-Encoding", "identity") == "identity" else None
            with open(part, mode) as fh:
                for number, chunk in enumerate(raw.stream(chunk_size, decode_content=False)):
                    if number == 0 and not have and looks_like_web_page(chunk) and is_data_file(dest.name):
                        fh.close()
                        _discard(part)
                        shown = chunk.lstrip()[:40].decode("utf-8", "replace")
                        return _Attempt(problem=(f"the server sent a web page, not the data (it begins {shown!r}): a proxy's "
                                                 "or the publisher's error page; check the address (--base-url) or try later"))
                    fh.write(chunk)
    except FetchFailed:
        raise
    except (Urllib3Error, requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as err:
        kept = part.stat().st_size if part.exists() else 0
        return _Attempt(problem=f"the connection closed part-way ({kept:,} bytes kept)", error=err)
    except (requests.ConnectionError, requests.Timeout) as err:
        return _Attempt(problem=f"{type(err).__name__}: {err}", error=err)
    size = part.stat().st_size
    if total not in (None, "*") and size != int(total):
        return _Attempt(problem=f"the connection closed after {size:,} of {int(total):,} bytes")
    return _Attempt(done=True, resumed=resumed)


def fetch_file(
    url: str,
    dest: str | Path,
    *,
    session=None,
    timeout: tuple[float, float] = (10.0, 120.0),
    retries: int = 4,
    backoff: float = 1.0,
    chunk_size: int = 1 << 14,
    max_wait: float = 300.0,
) -> dict:
    """Download one file, resuming a partial download of the same file, retrying on failure.

    Every request asks for the identity encoding, and the raw bytes are written as they arrive (a
    server that compresses anyway leaves a gzip file, which the import reads), so the bytes on disk
    are the bytes a ``Range`` counts. A partial download is kept as ``<dest>.part`` with the
    response's ``ETag`` or ``Last-Modified`` beside it (``.<dest>.part.json``); it is resumed with
    ``Range`` and ``If-Range``, so a server whose file changed sends the whole new file, which
    replaces the part. A ``206`` answer whose ``Content-Range`` does not start where the part ends
    starts again. The attempts are counted and spaced by urllib3's ``Retry`` (exponential back-off,
    and the server's ``Retry-After`` on 429 and 503).

    Parameters
    ----------
    url : str
    dest : path-like
        Where the finished file goes.
    session : requests.Session, optional
    timeout : (float, float), default (10, 120)
        Connect and read timeouts, seconds.
    retries : int, default 4
        Attempts after the first (network errors, 429 and 5xx answers, bodies cut short).
    backoff : float, default 1.0
        urllib3's back-off factor, seconds: no wait before the first retry, then
        ``backoff * 2**(n - 1)`` before the n-th consecutive one (at most 120 s).
    max_wait : float, default 300
        The longest ``Retry-After``, in seconds, to wait for; a server asking for longer fails at once.

    Returns
    -------
    dict
        url, file, bytes, sha256, fetched_at (UTC), attempts, resumed (bytes already on disk when a
        resumed attempt started, summed).

    Raises
    ------
    FetchFailed
        After the last retry, naming the URL and the last problem; the ``.part`` file is kept so the
        next run resumes it (if the server's file is still the same). At once for another 4xx
        answer, or a ``Retry-After`` longer than ``max_wait``.
    """
    import requests
    from urllib3.exceptions import MaxRetryError
    from urllib3.util.retry import Retry

    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InvalidParameter(f"The 'retries' parameter of fetch_file must be 0 or more; got {retries!r}.")
    if backoff < 0 or max_wait < 0:
        raise InvalidParameter(f"The 'backoff' and 'max_wait' parameters of fetch_file must be 0 or more; got {backoff!r} and {max_wait!r}.")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    if part.exists() and not _stored_validator(dest):
        _discard(part)  # a part from an earlier run that no ETag or Last-Modified identifies: start again
    http = session or requests.Session()
    retry = Retry(total=retries, connect=None, read=None, redirect=None, status=None, other=None,
                  status_forcelist=RETRY_STATUSES, backoff_factor=backoff, respect_retry_after_header=True,
                  raise_on_status=False)
    attempts = resumed = 0
    while True:
        attempts += 1
        outcome = _attempt(http, url, dest, part, timeout=timeout, chunk_size=chunk_size)
        resumed += outcome.resumed
        if outcome.done:
            break
        try:
            retry = retry.increment("GET", url, response=outcome.response, error=outcome.error)
        except MaxRetryError:
            kept = f"the partial file {part.name} is kept and the next run resumes it" if part.exists() else "nothing was kept"
            raise FetchFailed(url, f"{outcome.problem} (after {attempts} attempts; {kept})") from None
        wait = retry.get_retry_after(outcome.response) if outcome.response is not None else None
        if wait is not None and wait > max_wait:
            raise FetchFailed(url, f"{outcome.problem}, asking to wait {wait:,.0f} s (Retry-After); run again later")
        retry.sleep(outcome.response)
    part.replace(dest)
    _validators_file(dest).unlink(missing_ok=True)
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
    return {
        "url": url, "file": str(dest), "bytes": dest.stat().st_size, "sha256": digest,
        "fetched_at": _now(), "attempts": attempts, "resumed": resumed,
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
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        done = {entry["save_as"]: entry for entry in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):  # no record, or a damaged one: fetch everything again
        done = {}
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
