"""A store's manifest (``store.json``) read and checked, with the files it lists.

A store is opened only when its manifest is a JSON object carrying the fields every store has
(``schema_version``, ``store_version``, ``source``) and every file it lists is present and has the
head and tail of a parquet file. Anything else is a :class:`~diagnostics.exceptions.BrokenStore`
listing every problem at once, so a damaged store fails when it is opened (exit status 2 on the
command line), not part-way through a notebook, and a table that has gone missing is named rather
than its cards quietly vanishing.
"""

from __future__ import annotations

import json
from pathlib import Path

from diagnostics.exceptions import BrokenStore, StoreNotFound
from diagnostics.store.schema import SCHEMA_VERSION

__all__ = ["MANIFEST_NAME", "REQUIRED_FIELDS", "read_manifest", "manifest_problems", "file_problems", "store_version_of"]

MANIFEST_NAME = "store.json"

#: The fields every store's manifest has, and their types.
REQUIRED_FIELDS: dict[str, type] = {"schema_version": int, "store_version": str, "source": str}

_PARQUET_MAGIC = b"PAR1"


def _load(file: Path) -> tuple[object, str | None]:
    """The parsed manifest, or None and the reason it cannot be parsed."""
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, f"{MANIFEST_NAME} is not text (binary content); it was overwritten or damaged"
    except OSError as err:
        return None, f"{MANIFEST_NAME} cannot be read ({err.strerror or err})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as err:
        return None, f"{MANIFEST_NAME} is not valid JSON ({err})"


def manifest_problems(manifest: object) -> list[str]:
    """What is wrong with a parsed manifest: its type, a missing field, another schema version."""
    if not isinstance(manifest, dict):
        return [f"{MANIFEST_NAME} holds a JSON {type(manifest).__name__}, not the object a store's manifest is"]
    problems = []
    for name, kind in REQUIRED_FIELDS.items():
        if name not in manifest:
            problems.append(f"{MANIFEST_NAME} lacks the field {name!r}")
        elif not isinstance(manifest[name], kind) or isinstance(manifest[name], bool):
            problems.append(f"{MANIFEST_NAME}'s {name!r} is {manifest[name]!r}, not a {kind.__name__}")
    if isinstance(manifest.get("schema_version"), int) and manifest["schema_version"] != SCHEMA_VERSION:
        problems.append(
            f"schema_version is {manifest['schema_version']!r}; this version of place-diagnostics reads "
            f"schema_version {SCHEMA_VERSION}. Rebuild the store."
        )
    for name in ("tables", "boundary_layers"):
        listed = manifest.get(name, [])
        if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
            problems.append(f"{MANIFEST_NAME}'s {name!r} is {listed!r}, not a list of names")
    return problems


def _parquet_problem(file: Path, shown: str) -> str | None:
    """Why a file cannot be a whole parquet file (missing, cut short, overwritten), or None."""
    if not file.is_file():
        return f"{shown} is listed in {MANIFEST_NAME} but missing: the figures built from it would vanish"
    try:
        size = file.stat().st_size
        with open(file, "rb") as fh:
            head = fh.read(4)
            fh.seek(max(size - 8, 0))
            tail = fh.read(8)
    except OSError as err:
        return f"{shown} cannot be read ({err.strerror or err})"
    footer = int.from_bytes(tail[:4], "little") if len(tail) == 8 else -1
    if head != _PARQUET_MAGIC or tail[4:] != _PARQUET_MAGIC or not 0 < footer <= size - 12:
        return f"{shown} cannot be read as parquet (it is {size:,} bytes, not a whole parquet file: cut short or overwritten)"
    return None


def file_problems(path: Path, manifest: dict) -> list[str]:
    """The files the manifest lists (tables and boundary layers) that are missing or not parquet."""
    shown = [f"{name}.parquet" for name in manifest.get("tables", [])]
    shown += [f"boundaries/{layer}.parquet" for layer in manifest.get("boundary_layers", [])]
    return [problem for name in shown if (problem := _parquet_problem(path / name, name))]


def read_manifest(path: str | Path) -> dict:
    """The manifest of the store at ``path``, once it and the files it lists are checked.

    Raises
    ------
    StoreNotFound
        If ``path`` holds no ``store.json``.
    BrokenStore
        Listing every problem: a manifest that is not a JSON object, binary, lacks
        ``store_version``/``source``/``schema_version`` or has another schema version; a listed
        table or boundary file that is missing or not a whole parquet file.
    """
    path = Path(path)
    file = path / MANIFEST_NAME
    if not file.is_file():
        raise StoreNotFound(
            f"No store at {path}: {MANIFEST_NAME} is missing. Build the embedded one with "
            "`place-diagnostic data build --source synthetic`, or pass --store with the folder "
            "that `place-diagnostic data import` wrote."
        )
    manifest, unreadable = _load(file)
    problems = [unreadable] if unreadable else manifest_problems(manifest)
    if not problems:
        problems = file_problems(path, manifest)
    if problems:
        raise BrokenStore(str(path), problems)
    return manifest


def store_version_of(path: Path) -> str:
    """The ``store_version`` the manifest at ``path`` records, or "" when there is none to read."""
    manifest, _ = _load(Path(path) / MANIFEST_NAME) if (Path(path) / MANIFEST_NAME).is_file() else (None, None)
    version = manifest.get("store_version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) else ""
