"""Where a store may be written, and what a rebuild may not silently lose.

Writing a store replaces its target folder whole. :func:`check_store_target` lets that happen only
to a folder that does not exist yet, an empty folder, or a store of the same source (a synthetic
build replaces a synthetic store, an England import an England store) holding nothing but a store's
files; never the current folder or one holding it, and never a folder the build reads from (the
downloads given to ``--from``) or one holding it.

:func:`check_nothing_lost` compares the new tables with the store being replaced: indicators,
tables with rows, boundary layers and areas the previous store had and the new one would lack are
named, and the rebuild needs ``allow_fewer`` (``--allow-fewer``) to go ahead. A web page or a
download cut short standing where a dataset's file should be makes exactly such a smaller store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import StoreTargetRefused, StoreWouldShrink
from diagnostics.store.manifest import MANIFEST_NAME

__all__ = ["check_store_target", "check_nothing_lost", "store_losses"]

_SHOWN = 5


def _listed(names: Iterable[str]) -> str:
    names = sorted(names)
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN:,} more" if len(names) > _SHOWN else "")


def _is_within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("source"), str) else None


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of a store's folder that a store does not write (anything but its manifest and parquet)."""
    foreign = []
    for entry in folder.iterdir():
        if entry.name == MANIFEST_NAME or (entry.is_file() and entry.suffix == ".parquet"):
            continue
        if entry.is_dir() and entry.name == "boundaries":
            foreign += [f"boundaries/{p.name}" for p in entry.iterdir() if not (p.is_file() and p.suffix == ".parquet")]
            continue
        foreign.append(entry.name + ("/" if entry.is_dir() else ""))
    return foreign


def check_store_target(
    path: str | os.PathLike, source: str, *, reads_from: Iterable[str | os.PathLike] = ()
) -> Path:
    """Check that a store of ``source`` may be written to ``path`` (replacing what is there).

    Parameters
    ----------
    path : path-like
        The store's folder.
    source : str
        The source of the store about to be written (``synthetic``, ``england-official``...).
    reads_from : iterable of path-like, optional
        Folders the build reads (the downloads of an import): the store may be neither one of them
        nor a folder holding one.

    Returns
    -------
    pathlib.Path
        ``path``, resolved.

    Raises
    ------
    StoreTargetRefused
        If ``path`` is the current folder or holds it, is or holds a folder in ``reads_from``, is a
        file, is a folder that is neither empty nor a store, holds a store of another source, or
        holds files a store does not write. Nothing is written.
    """
    target = Path(path).expanduser().resolve()
    if _is_within(Path.cwd().resolve(), target):
        raise StoreTargetRefused(
            str(target), "it is the current folder or holds it, and writing a store replaces the whole folder. "
            "Name a new folder for the store, e.g. --store stores/mine.")
    for folder in reads_from:
        source_folder = Path(folder).expanduser().resolve()
        if _is_within(source_folder, target):
            raise StoreTargetRefused(
                str(target), f"it is or holds {source_folder}, the folder the store is built from; writing the "
                "store would delete it. Name a folder outside it for --store, e.g. a sibling "
                f"{source_folder.parent / (source_folder.name + '-store')}.")
    if not target.exists():
        return target
    if not target.is_dir():
        raise StoreTargetRefused(str(target), "it is a file, not a folder. Name a new or empty folder for --store.")
    entries = sorted(p.name for p in target.iterdir())
    if not entries:
        return target
    manifest = _manifest(target)
    if manifest is None:
        raise StoreTargetRefused(
            str(target), f"it holds {_listed(entries)} and no store; only an empty folder or a store is replaced. "
            "Name a new or empty folder for --store.")
    if manifest["source"] != source:
        raise StoreTargetRefused(
            str(target), f"it holds a store from {manifest['source']!r}, which a {source!r} build does not "
            "replace. Name another folder for --store (or delete that store first if it is no longer wanted).")
    foreign = _foreign_entries(target)
    if foreign:
        raise StoreTargetRefused(
            str(target), f"besides the store it holds {_listed(foreign)}, which replacing the store would delete. "
            "Move them out, or name another folder for --store.")
    return target


def _previous_contents(folder: Path) -> dict[str, set[str]] | None:
    """Indicator ids, tables with rows, boundary layers and area codes of the store in ``folder``."""
    import pyarrow.parquet as pq

    manifest = _manifest(folder)
    if manifest is None:
        return None

    def column(table: str, name: str) -> set[str]:
        try:
            return set(pq.read_table(folder / f"{table}.parquet", columns=[name]).column(name).to_pylist())
        except Exception:  # a damaged previous store has nothing that can be lost  # noqa: BLE001
            return set()

    def has_rows(table: str) -> bool:
        try:
            return pq.read_metadata(folder / f"{table}.parquet").num_rows > 0
        except Exception:  # noqa: BLE001 - as above
            return False

    return {
        "indicators": column("indicators", "indicator_id"),
        "tables": {t for t in manifest.get("tables", []) if isinstance(t, str) and has_rows(t)},
        "boundary layers": {b for b in manifest.get("boundary_layers", []) if isinstance(b, str)},
        "areas": column("areas", "code"),
    }


def store_losses(
    path: str | os.PathLike, tables: Mapping[str, pd.DataFrame], boundaries: Mapping[str, object]
) -> list[str]:
    """What a store written from ``tables`` and ``boundaries`` would lack that the store at ``path`` has.

    Returns
    -------
    list of str
        One phrase per kind lost (indicators, tables, boundary layers, areas), naming up to five of
        each and counting the rest; empty when nothing would be lost or there is no store at ``path``.
    """
    previous = _previous_contents(Path(path).expanduser())
    if previous is None:
        return []
    new = {
        "indicators": set(tables["indicators"]["indicator_id"]) if "indicators" in tables else set(),
        "tables": {name for name, df in tables.items() if len(df)},
        "boundary layers": set(boundaries),
        "areas": set(tables["areas"]["code"]) if "areas" in tables else set(),
    }
    losses = []
    for kind, had in previous.items():
        lost = had - new[kind]
        if lost:
            losses.append(f"{len(lost):,} {kind} ({_listed(lost)})")
    return losses


def check_nothing_lost(
    path: str | os.PathLike, tables: Mapping[str, pd.DataFrame], boundaries: Mapping[str, object]
) -> None:
    """Raise :class:`StoreWouldShrink` when :func:`store_losses` finds anything the new store would lose."""
    losses = store_losses(path, tables, boundaries)
    if losses:
        raise StoreWouldShrink(str(Path(path).expanduser().resolve()), losses)
