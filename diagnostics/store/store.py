"""The store: a directory of parquet tables checked against the data contract.

Analyses read only the store. It is opened once per process and cached (keyed by its path and
version); each table is read and validated the first time it is asked for. A table written by
:func:`write_store`, which validated it row by row, is recorded in the manifest with its file's
SHA-256; read back with the same digest, only its columns and their types are checked again
(an england-scale store opens in half the time), and a file changed since is validated in full.
Writing is atomic: the tables are validated, written to a temporary directory beside the target
and swapped into place, so a failed build never leaves a half-written store and never harms the
previous one.

Layout::

    <store>/store.json                 manifest: schema and store version, source, vintage, layers,
                                       each validated table file's SHA-256
    <store>/<table>.parquet            one per table of :data:`diagnostics.store.schema.TABLE_SCHEMAS`
    <store>/boundaries/<layer>.parquet GeoParquet, EPSG:27700
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.atomic import staged_directory
from diagnostics.conventions import KNOWN_LAYERS
from diagnostics.exceptions import BrokenStore, ContractViolation, InvalidParameter, StoreNotFound
from diagnostics.store.checks import (
    empty_table,
    file_digest,
    has_contract_types,
    validate_boundaries,
)
from diagnostics.store.manifest import MANIFEST_NAME, read_manifest, store_version_of
from diagnostics.store.row_index import RowGroups, contiguous
from diagnostics.store.schema import (
    REQUIRED_TABLES,
    SCHEMA_VERSION,
    TABLE_SCHEMAS,
    validate_table,
)
from diagnostics.store.target import check_nothing_lost, check_store_target

__all__ = [
    "Store",
    "open_store",
    "as_store",
    "write_store",
    "MANIFEST_NAME",
]

_CACHE: dict[tuple[str, str], Store] = {}
_CACHE_LOCK = threading.Lock()


class Store:
    """A validated, read-only view of one store directory.

    Use :func:`open_store` rather than the constructor: it caches one instance per store.

    Parameters
    ----------
    path : path-like
        The store directory.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.manifest: dict = read_manifest(self.path)
        self._lock = threading.RLock()  # boundaries() reads areas while holding it
        self._boundaries: dict[str, object] = {}

    # -- description --------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """A digest of the store's content: changes whenever any table changes."""
        return self.manifest["store_version"]

    @property
    def source(self) -> str:
        return self.manifest["source"]

    @property
    def vintage(self) -> str:
        return self.manifest["vintage"]

    @property
    def is_synthetic(self) -> bool:
        """True for the embedded synthetic country: every page built from it must say so."""
        return self.manifest["source"] == "synthetic"

    @property
    def attribution(self) -> str:
        """The sentence that credits the data's publishers (or labels it synthetic)."""
        return self.manifest.get("attribution", "")

    @property
    def layers(self) -> list[str]:
        """The layers that have areas in the store, finest first where the layer is known."""
        present = set(self.areas["layer"].unique())
        known = [layer for layer in KNOWN_LAYERS if layer in present]
        return known + sorted(present - set(known))

    def has_table(self, name: str) -> bool:
        return (self.path / f"{name}.parquet").is_file()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, source={self.source!r}, vintage={self.vintage!r})"

    # -- tables -------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """One table, read and validated on first use.

        Raises
        ------
        InvalidParameter
            If ``name`` is not a table of the contract.
        ContractViolation
            If the table is missing (for a required table) or breaks the contract.
        """
        if name not in TABLE_SCHEMAS:
            raise InvalidParameter(
                f"The 'name' parameter of Store.table must be one of {sorted(TABLE_SCHEMAS)}; got {name!r}."
            )
        cache = self.__dict__.setdefault("_tables", {})
        with self._lock:
            if name not in cache:
                cache[name] = self._read_table(name)
        return cache[name]

    def _read_table(self, name: str) -> pd.DataFrame:
        file = self.path / f"{name}.parquet"
        if not file.is_file():
            if name in REQUIRED_TABLES and name not in self.manifest.get("absent_tables", {}):
                raise ContractViolation(name, [f"the file {file} is missing"])
            return validate_table(name, empty_table(name))
        try:
            df = pd.read_parquet(file)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise BrokenStore(str(self.path), [f"{name}.parquet cannot be read as parquet ({err})"]) from err
        recorded = self.manifest.get("validated_digests", {}).get(name)
        if recorded is not None and recorded == file_digest(file) and has_contract_types(name, df):
            return contiguous(df)  # the very bytes write_store validated, row by row, and wrote
        return contiguous(validate_table(name, df))

    @cached_property
    def areas(self) -> pd.DataFrame:
        return self.table("areas")

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(zip(self.areas["code"], self.areas["name"]))

    @cached_property
    def _layers(self) -> dict[str, str]:
        return dict(zip(self.areas["code"], self.areas["layer"]))

    @cached_property
    def _parent_of(self) -> dict[str, str]:
        areas = self.areas.dropna(subset=["parent_code"])
        return dict(zip(areas["code"], areas["parent_code"]))

    @cached_property
    def catalogue(self) -> pd.DataFrame:
        return self.table("catalogue").set_index("indicator_id", drop=False)

    @property
    def lookups(self) -> pd.DataFrame:
        return self.table("lookups")

    @property
    def population(self) -> pd.DataFrame:
        return self.table("population")

    @property
    def deaths(self) -> pd.DataFrame:
        return self.table("deaths")

    @property
    def indicators(self) -> pd.DataFrame:
        return self.table("indicators")

    @property
    def industry(self) -> pd.DataFrame:
        return self.table("industry")

    @property
    def firms(self) -> pd.DataFrame:
        return self.table("firms")

    @property
    def firm_years(self) -> pd.DataFrame:
        return self.table("firm_years")

    def boundaries(self, layer: str):
        """The boundaries of one layer as a GeoDataFrame (code, name, geometry) in EPSG:27700.

        Raises
        ------
        InvalidParameter
            If the store has no boundaries for ``layer``; the message lists the layers it has.
        ContractViolation
            If the file breaks the contract (wrong CRS, empty or invalid geometry, unknown codes).
        """
        with self._lock:
            if layer not in self._boundaries:
                self._boundaries[layer] = self._read_boundaries(layer)
        return self._boundaries[layer]

    def boundary_layers(self) -> list[str]:
        folder = self.path / "boundaries"
        return sorted(p.stem for p in folder.glob("*.parquet")) if folder.is_dir() else []

    def _read_boundaries(self, layer: str):
        import geopandas as gpd

        file = self.path / "boundaries" / f"{layer}.parquet"
        if not file.is_file():
            raise InvalidParameter(
                f"The store has no boundaries for layer {layer!r}; it has boundaries for "
                f"{self.boundary_layers()}."
            )
        try:
            gdf = gpd.read_parquet(file)
        except Exception as err:  # pyarrow and geopandas raise several types for a damaged file
            raise BrokenStore(str(self.path), [f"boundaries/{layer}.parquet cannot be read ({type(err).__name__}: {err})"]) from err
        validate_boundaries(layer, gdf, self.areas)
        return gdf

    # -- questions analyses ask ---------------------------------------------------------------
    def name_of(self, code: str) -> str:
        """The name of an area (the code itself when the store has no such area)."""
        return self._names.get(code, code)

    def layer_of(self, code: str) -> str | None:
        """The layer of an area, or None when the store has no such area."""
        return self._layers.get(code)

    def areas_in_layer(self, layer: str) -> pd.DataFrame:
        return self.areas.loc[self.areas["layer"] == layer]

    def ancestors(self, code: str) -> list[str]:
        """The chain of parent codes of an area, nearest first (district -> county -> region -> country)."""
        parents = self._parent_of
        chain: list[str] = []
        current = parents.get(code)
        while isinstance(current, str) and current not in chain:
            chain.append(current)
            current = parents.get(current)
        return chain

    def indicator_values(
        self,
        indicator_ids: str | Iterable[str] | None = None,
        area_codes: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Rows of ``indicators`` for some indicators and areas (all periods), in table order.

        Answered from an index built on first use (:attr:`_indicator_index`): the rows are found
        through whichever of the two selections is the smaller, so asking for a few areas or one
        indicator costs the rows returned, not a scan of the whole table.
        """
        df = self.indicators
        by_id, by_area = self._indicator_index
        ids = None if indicator_ids is None else (
            [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids))
        codes = None if area_codes is None else list(area_codes)
        wanted_ids = None if ids is None else by_id.groups_of(ids)
        wanted_areas = None if codes is None else by_area.groups_of(codes)
        if wanted_areas is not None and (wanted_ids is None or by_area.size(wanted_areas) <= by_id.size(wanted_ids)):
            positions = by_area.rows(wanted_areas)
            if wanted_ids is not None:
                positions = positions[np.isin(by_id.group_of_row[positions], wanted_ids)]
        elif wanted_ids is not None:
            positions = by_id.rows(wanted_ids)
            if wanted_areas is not None:
                positions = positions[np.isin(by_area.group_of_row[positions], wanted_areas)]
        else:
            positions = np.arange(len(df))
        return df.take(positions)

    @cached_property
    def lookup_layers(self) -> frozenset[str]:
        """The layers that have rows in ``lookups`` (built from small areas)."""
        return frozenset(self.lookups["layer"].unique())

    @cached_property
    def indicator_ids(self) -> frozenset[str]:
        """The ids of the indicators that have rows in ``indicators`` (any area, any period)."""
        return frozenset(self._indicator_index[0].group_of_value)

    @cached_property
    def _indicator_index(self) -> tuple[RowGroups, RowGroups]:
        """The rows of ``indicators`` grouped by indicator id and by area code."""
        df = self.indicators
        return RowGroups(df["indicator_id"]), RowGroups(df["area_code"])


def open_store(path: str | os.PathLike) -> Store:
    """Open a store, once per process.

    Parameters
    ----------
    path : path-like
        The store directory. (The embedded synthetic store, built on first use, is opened by
        :func:`diagnostics.sources.open_store`, the package's ``diagnostics.open_store``.)

    Returns
    -------
    Store
        The same instance for the same path and store version.

    Raises
    ------
    StoreNotFound
        If ``path`` is None or holds no store.
    """
    if path is None:
        raise StoreNotFound(
            "No store was given: pass a store's folder, or open the embedded synthetic country with "
            "diagnostics.open_store()."
        )
    resolved = Path(path).expanduser().resolve()
    version = store_version_of(resolved)
    key = (str(resolved), version)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = Store(resolved)
        return _CACHE[key]


def as_store(store) -> Store:
    """A :class:`Store` from a store or its folder (see :func:`open_store`)."""
    return store if isinstance(store, Store) else open_store(store)


def write_store(
    path: str | os.PathLike,
    tables: Mapping[str, pd.DataFrame],
    boundaries: Mapping[str, object],
    *,
    source: str,
    vintage: str,
    attribution: str,
    extra: Mapping[str, object] | None = None,
    allow_fewer: bool = False,
) -> Path:
    """Validate tables and write them as a store, atomically.

    Parameters
    ----------
    path : path-like
        The store directory to create or replace.
    tables : mapping of str to DataFrame
        Tables of :data:`diagnostics.store.schema.TABLE_SCHEMAS`; the required ones must be present.
    boundaries : mapping of str to GeoDataFrame
        One GeoDataFrame (code, name, geometry; EPSG:27700) per layer.
    source, vintage : str
        Recorded in the manifest (``synthetic`` for the synthetic country).
    attribution : str
        The sentence every output shows about the data (licence and publishers, or the synthetic label).
    extra : mapping, optional
        More manifest fields (seed, scale, build time...). ``absent_tables`` (table name -> reason)
        declares required tables the source cannot supply honestly; they read as empty tables.
    allow_fewer : bool, default False
        Replace a store even when the new one lacks indicators, tables, boundary layers or areas it had.

    Returns
    -------
    pathlib.Path
        The store's path.

    Raises
    ------
    StoreTargetRefused
        Before anything else, if ``path`` is neither new, nor empty, nor a store of ``source``
        (:func:`diagnostics.store.target.check_store_target`).
    ContractViolation
        Before anything is written, if any table breaks the contract; lists every problem.
    StoreWouldShrink
        Before anything is written, unless ``allow_fewer``, naming what the previous store had and
        the new one would lack.
    """
    check_store_target(path, source)
    declared_absent = dict((extra or {}).get("absent_tables", {}))
    missing = [name for name in REQUIRED_TABLES if name not in tables and name not in declared_absent]
    if missing:
        raise ContractViolation("store", [f"the required table {name!r} was not given" for name in missing])
    validated = {name: validate_table(name, df) for name, df in tables.items()}
    for layer, gdf in boundaries.items():
        validate_boundaries(layer, gdf, validated["areas"])
    if not allow_fewer:
        check_nothing_lost(path, validated, boundaries)

    with staged_directory(path) as staging:
        digests = {}
        for name, df in validated.items():
            file = staging / f"{name}.parquet"
            df.to_parquet(file, index=False)
            digests[name] = file_digest(file)
        (staging / "boundaries").mkdir()
        for layer, gdf in boundaries.items():
            file = staging / "boundaries" / f"{layer}.parquet"
            gdf.to_parquet(file, index=False)
            digests[f"boundaries/{layer}"] = file_digest(file)
        store_version = hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:16]
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "store_version": store_version,
            "source": source,
            "vintage": vintage,
            "attribution": attribution,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "tables": sorted(validated),
            # a table whose file still has this digest is not checked row by row again when read
            "validated_digests": {name: digests[name] for name in validated},
            "boundary_layers": sorted(boundaries),
            **(dict(extra) if extra else {}),
        }
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, default=str))
    return Path(path).expanduser().resolve()
