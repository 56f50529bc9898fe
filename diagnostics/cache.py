"""One cache for results that are asked for more than once: a named key, one call.

Every result an analysis or a view keeps is looked up with :func:`cached` and a key made by one of
three functions, each naming its scope:

:func:`per_store` (``store``, name, parameters)
    The same for every place of a store version: a whole-country analysis (every district's life
    expectancy, an allocation table between two layers, the growth model). Kept for the life of the
    process; results of an older version of the same store are dropped when a newer one is asked
    for. With ``disk=`` a :class:`DiskFormat`, also written under the cache folder
    (:func:`diagnostics.resources.cache_dir`) and read back by later processes: the store's
    *derived tables* (``disk=TABLE``, a DataFrame as parquet). A file on disk is named by the
    store's version and by :func:`code_version` (a digest of the package's source), so a changed
    store or changed code computes it again; it is written atomically, and a file that cannot be
    read back whole (damaged, cut short, an older format) is computed again and replaced.
:func:`per_place` (session, name, parameters)
    One place's result for its store version and comparators: the notebooks of one run (each a
    session of its own in one kernel) share it, so the summary and the section showing the same
    analysis compute it once. The last :data:`PLACES_KEPT` places are kept.
:func:`per_session` (session, name, parameters)
    A result that depends on the session's own choices (a notebook's growth definition): kept on
    the session and gone with it.

A key's parameters must be hashable and must say everything the result depends on beyond its
scope. Results are shared, not copied: callers must not change what they get back. Computing is
serialised per scope, so two threads asking for the same key compute it once.

>>> from diagnostics.cache import cached, per_store    # doctest: +SKIP
>>> cached(per_store(store, "layer_links", "district"), lambda: build_links(store))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from diagnostics.atomic import write_bytes_atomic
from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import CACHE_ENV, cache_dir

__all__ = [
    "Scope",
    "CacheKey",
    "DiskFormat",
    "TABLE",
    "cached",
    "code_version",
    "disk_path",
    "per_store",
    "per_place",
    "per_session",
    "clear",
    "cache_folder",
    "PLACES_KEPT",
]

T = TypeVar("T")

#: How many places' :func:`per_place` results a process keeps. A run's notebooks ask for one
#: place after another, so the results of the place before last are not asked for again.
PLACES_KEPT = 2


class Scope(Enum):
    """How long a result lives: see the module's docstring."""

    STORE = "store"
    PLACE = "place"
    SESSION = "session"


@dataclass(frozen=True)
class DiskFormat:
    """How a :func:`per_store` result is written to disk and read back.

    Attributes
    ----------
    suffix : str
        The file's suffix (``".json"``).
    dump : callable
        ``result -> str`` (``-> bytes`` when ``binary``).
    load : callable
        ``str -> result`` (``bytes -> result`` when ``binary``); raising ``ValueError``,
        ``TypeError`` or ``KeyError`` for a file it cannot read (damaged, or an older format),
        which is then computed again and replaced.
    binary : bool, default False
        Whether the file holds bytes rather than UTF-8 text.
    """

    suffix: str
    dump: Callable[[Any], str | bytes]
    load: Callable[[str | bytes], Any]
    binary: bool = False


#: The parquet metadata key of the rows, per object column, whose missing value is NaN, not None
#: (parquet has one kind of null: both are read back as None without it).
_NAN_ROWS = b"diagnostics.nan_rows"


def _table_to_parquet(table: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=None)  # a RangeIndex as metadata, any other as columns
    nan_rows = {}
    for position, name in enumerate(table.columns):
        values = table.iloc[:, position]
        if values.dtype == object:
            rows = [i for i, v in enumerate(values.to_numpy()) if isinstance(v, float) and v != v]
            if rows:
                nan_rows[str(name)] = rows
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), _NAN_ROWS: json.dumps(nan_rows)})
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer)
    return buffer.getvalue()


def _table_from_parquet(data: bytes) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pd.read_parquet(io.BytesIO(data))
        schema = pq.read_schema(io.BytesIO(data))
    except Exception as err:  # pyarrow raises several types for a damaged or cut-short file
        raise ValueError(f"not a whole parquet file: {err}") from err
    written = schema.pandas_metadata or {}
    nan_rows = json.loads((schema.metadata or {}).get(_NAN_ROWS, b"{}"))
    # pandas reads text back as its str dtype: a column written from object dtype goes back to
    # object, its missing values None or NaN as the analysis that computed it returned them
    for column in written.get("columns", []):
        name = column.get("name")
        if column.get("numpy_type") == "object" and name in table.columns:
            values = table[name]
            restored = values.astype(object).where(values.notna(), None).to_numpy(copy=True)
            restored[nan_rows.get(str(name), [])] = float("nan")
            table[name] = pd.Series(restored, index=table.index, dtype=object)  # no str inference
    return table


#: A DataFrame written as parquet and read back with the same columns, dtypes, index and
#: ``attrs`` (pandas' own metadata in the file): the format of a store's derived tables.
TABLE = DiskFormat(".parquet", _table_to_parquet, _table_from_parquet, binary=True)


@dataclass(frozen=True)
class CacheKey:
    """Where a result lives: its scope, its owner (store version, place or session), its name and
    parameters. Made by :func:`per_store`, :func:`per_place` or :func:`per_session`."""

    scope: Scope
    owner: tuple
    name: str
    params: tuple = ()
    disk: DiskFormat | None = field(default=None, compare=False)
    holder: dict | None = field(default=None, compare=False, hash=False, repr=False)


_LOCK = threading.RLock()
_STORE_RESULTS: dict[tuple, Any] = {}
_PLACE_RESULTS: OrderedDict[tuple, dict] = OrderedDict()


def per_store(store, name: str, *params, disk: DiskFormat | None = None) -> CacheKey:
    """The key of a result that is the same for every place of ``store``'s version."""
    return CacheKey(Scope.STORE, (str(store.path), store.version), name, tuple(params), disk)


def per_place(session, name: str, *params) -> CacheKey:
    """The key of one place's result (the session's store version, place and comparators)."""
    store = session.store
    owner = (str(store.path), store.version, session.place.code, tuple(session.comparator_codes))
    return CacheKey(Scope.PLACE, owner, name, tuple(params))


def per_session(session, name: str, *params) -> CacheKey:
    """The key of a result that belongs to one session (its own parameters)."""
    return CacheKey(Scope.SESSION, (id(session),), name, tuple(params), holder=session.results)


def cached(key: CacheKey, compute: Callable[[], T]) -> T:
    """The result kept under ``key``, computed by ``compute()`` the first time it is asked for."""
    if key.scope is Scope.SESSION:
        results = key.holder
        item = (key.name, key.params)
        if item not in results:
            results[item] = compute()
        return results[item]
    with _LOCK:
        if key.scope is Scope.PLACE:
            results = _PLACE_RESULTS.pop(key.owner, None)
            _PLACE_RESULTS[key.owner] = results = {} if results is None else results
            while len(_PLACE_RESULTS) > PLACES_KEPT:
                _PLACE_RESULTS.popitem(last=False)
            item = (key.name, key.params)
            if item not in results:
                results[item] = compute()
            return results[item]
        full = (*key.owner, key.name, key.params)
        if full not in _STORE_RESULTS:
            path, version = key.owner
            for stale in [k for k in _STORE_RESULTS if k[0] == path and k[1] != version]:
                del _STORE_RESULTS[stale]
            _STORE_RESULTS[full] = _from_disk(key, compute) if key.disk is not None else compute()
        return _STORE_RESULTS[full]


def cache_folder() -> Path:
    """The cache folder (:func:`diagnostics.resources.cache_dir`), checked to be one that can be made.

    Raises
    ------
    InvalidParameter
        When ``$PLACE_DIAGNOSTICS_CACHE`` (or the user's cache folder) is a file or lies under one.
    """
    folder = cache_dir()
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "which is a file" if existing == folder else f"which lies under the file {existing}"
        origin = f"The {CACHE_ENV} environment variable" if os.environ.get(CACHE_ENV) else "The cache folder"
        raise InvalidParameter(
            f"{origin} names {str(folder)!r}, {where}; the cache must be a folder (made if missing): "
            f"point {CACHE_ENV} at a folder, or unset it to use the user's cache folder."
        )
    return folder


_CODE_VERSION: list[str] = []


def code_version() -> str:
    """A digest of the source of the ``diagnostics`` package (every ``.py`` file, by path and bytes).

    Results kept on disk are named by it beside the store's version: a release or an edit that
    changes how anything is computed never reads a file an older version wrote. Computed once per
    process (about 20 ms).
    """
    with _LOCK:
        if not _CODE_VERSION:
            root = Path(__file__).resolve().parent
            digest = hashlib.sha256()
            for file in sorted(root.rglob("*.py")):
                digest.update(file.relative_to(root).as_posix().encode())
                digest.update(file.read_bytes())
            _CODE_VERSION.append(digest.hexdigest()[:12])
        return _CODE_VERSION[0]


def disk_path(key: CacheKey) -> Path:
    """Where a :func:`per_store` result with ``disk=`` is kept:
    ``<cache>/results/<name>/<store version>-<code version>-<parameters' digest><suffix>``."""
    digest = hashlib.sha256(json.dumps([key.name, *map(repr, key.params)]).encode()).hexdigest()[:12]
    return cache_folder() / "results" / key.name / f"{key.owner[1]}-{code_version()}-{digest}{key.disk.suffix}"


def _from_disk(key: CacheKey, compute: Callable[[], T]) -> T:
    file = disk_path(key)
    if file.is_file():
        try:
            data = file.read_bytes() if key.disk.binary else file.read_text(encoding="utf-8")
            return key.disk.load(data)
        except (ValueError, TypeError, KeyError):
            pass  # a damaged or older file is computed again and replaced below
    result = compute()
    dumped = key.disk.dump(result)
    write_bytes_atomic(file, dumped if key.disk.binary else dumped.encode("utf-8"))
    return result


def clear(scope: Scope | None = None) -> None:
    """Forget the results kept in this process (all, or one scope's; session results go with their
    sessions). Files written with ``disk=`` stay: they are keyed by store version."""
    with _LOCK:
        if scope in (None, Scope.STORE):
            _STORE_RESULTS.clear()
        if scope in (None, Scope.PLACE):
            _PLACE_RESULTS.clear()
