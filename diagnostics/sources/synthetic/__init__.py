"""The embedded synthetic country: a seeded, invented but plausible country written as a store.

:func:`build_synthetic` reads top to bottom as the pipeline: geography, demography, health
indicators, economy, firms, public money, catalogue, then one atomic :func:`diagnostics.store.store.write_store`. Each
component draws from its own child of ``numpy.random.SeedSequence(seed)``, so a seed always gives
the same store and one component's changes do not reshuffle the others.

The manifest records a digest of the generator's own code and catalogue, so a cached default
store built by older code is rebuilt rather than reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import cache_dir, data_dir
from diagnostics.sources.synthetic.demography import build_demography
from diagnostics.sources.synthetic.economy import build_economy
from diagnostics.sources.synthetic.firms import build_firms
from diagnostics.sources.synthetic.geography import (
    SCALES,
    build_geography,
    resolve_scale,
)
from diagnostics.sources.synthetic.health_indicators import build_health_indicators
from diagnostics.sources.synthetic.model import (
    ATTRIBUTION,
    SOURCE,
    VINTAGE,
    YEARS,
    SyntheticGeography,
)
from diagnostics.sources.synthetic.names import COUNTRY_NAME
from diagnostics.sources.synthetic.spending import build_spending
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.store import MANIFEST_NAME, write_store
from diagnostics.store.target import check_store_target

__all__ = [
    "SCALES",
    "COUNTRY_NAME",
    "build_synthetic",
    "default_store_path",
    "ensure_default_store",
    "default_store_is_current",
    "generator_digest",
    "SyntheticGeography",
]

#: Order of the child generators spawned from the seed (append only: reordering changes every store).
_COMPONENTS = ("geography", "demography", "health", "economy", "firms", "spending")


def default_store_path(scale: str = "default", seed: int = 42) -> Path:
    """Where the synthetic store for a scale and seed lives: ``<cache>/stores/synthetic-<scale>-seed<seed>``."""
    _check_arguments(scale, seed, "default_store_path")
    return cache_dir() / "stores" / f"synthetic-{scale}-seed{seed}"


def ensure_default_store() -> Path:
    """The default synthetic store's path, building it first if it is missing or was built by other code.

    Safe when several processes call it at once: each builds into its own staging directory and
    swaps it in atomically (:func:`diagnostics.atomic.staged_directory`), so a reader never sees a
    half-written store; two simultaneous first builds both build, and the last swap wins.
    """
    path = default_store_path()
    if not default_store_is_current():
        build_synthetic(path, allow_fewer=True)  # the cache's own store follows the generator
    return path


def default_store_is_current() -> bool:
    """Whether the default store exists and was built by this version of the generator."""
    try:
        manifest = json.loads((default_store_path() / MANIFEST_NAME).read_text())
    except (OSError, json.JSONDecodeError):
        return False
    return manifest.get("generator") == generator_digest()


def build_synthetic(
    path: str | os.PathLike | None = None, scale: str = "default", seed: int = 42, *, allow_fewer: bool = False
) -> Path:
    """Build the synthetic country and write it as a store.

    Parameters
    ----------
    path : path-like, optional
        The store directory to create or replace. Default: :func:`default_store_path` for the
        scale and seed.
    scale : {"default", "small", "england"}, default "default"
        ``small``: 8 districts, 400 small areas (tests); ``default``: 50 districts, 3 000 small
        areas (the demo); ``england``: 300 districts, 33 000 small areas.
    seed : int, default 42
        The same seed gives the same store, table for table.
    allow_fewer : bool, default False
        Replace a store even when the new one has fewer indicators, tables or areas (a smaller scale).

    Returns
    -------
    pathlib.Path
        The store's path.

    Raises
    ------
    InvalidParameter
        If ``scale`` is not a known scale or ``seed`` is not a non-negative integer.
    StoreTargetRefused
        Before anything is generated, if ``path`` holds anything but nothing or a synthetic store
        (:func:`diagnostics.store.target.check_store_target`).
    StoreWouldShrink
        Unless ``allow_fewer``, if the store at ``path`` has indicators, tables or areas the new one lacks.
    """
    _check_arguments(scale, seed, "build_synthetic")
    started = time.perf_counter()
    target = Path(path) if path is not None else default_store_path(scale, seed)
    check_store_target(target, SOURCE)
    rngs = dict(zip(_COMPONENTS, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_COMPONENTS)))))
    catalogue = committed_catalogue()

    geo = build_geography(scale, rngs["geography"])
    demography = build_demography(geo, YEARS, rngs["demography"])
    population = demography["population"]
    indicators = [build_health_indicators(geo, population, YEARS, rngs["health"], catalogue)]
    tables: dict[str, pd.DataFrame] = {"areas": geo.areas, "lookups": geo.lookups, **demography}

    economy = build_economy(geo, population, YEARS, rngs["economy"])
    tables["industry"] = economy["industry"]
    indicators.append(economy["indicators"])
    tables.update(build_firms(geo, population, economy["industry"], YEARS, rngs["firms"]))
    tables.update(build_spending(geo, population, rngs["spending"]))

    tables["indicators"] = pd.concat(indicators, ignore_index=True).assign(source=SOURCE, vintage=VINTAGE)
    produced = set(tables["indicators"]["indicator_id"].unique())
    tables["catalogue"] = catalogue.loc[catalogue["indicator_id"].isin(produced)].assign(source=SOURCE, vintage=VINTAGE)
    for name in ("firms", "industry"):
        if name in tables:
            tables[name] = tables[name].assign(source=SOURCE, vintage=VINTAGE)

    return write_store(
        target,
        tables,
        geo.boundaries,
        source=SOURCE,
        vintage=VINTAGE,
        attribution=ATTRIBUTION,
        extra={
            "scale": scale,
            "seed": seed,
            "default_place": geo.default_place,
            "build_seconds": round(time.perf_counter() - started, 1),
            "country_name": COUNTRY_NAME,
            "generator": generator_digest(),
            "sizes": resolve_scale(scale),
        },
        allow_fewer=allow_fewer,
    )


def generator_digest() -> str:
    """A digest of the generator's code, the catalogue and the contract: changes when they change."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("*.py")) + [data_dir() / "catalogue.csv", here.parents[1] / "store" / "schema.py"]
    for file in files:
        h.update(file.name.encode())
        h.update(file.read_bytes())
    return h.hexdigest()[:16]


def _check_arguments(scale, seed, function: str) -> None:
    if not isinstance(scale, str) or scale not in SCALES:
        raise InvalidParameter(
            f"The 'scale' parameter of {function} must be one of {sorted(SCALES)}; got {scale!r}."
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidParameter(
            f"The 'seed' parameter of {function} must be a non-negative integer; got {seed!r}."
        )
