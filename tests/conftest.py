"""Shared fixtures: a hand-made tiny store, and the synthetic stores built once per session."""

from __future__ import annotations

import pytest
from helpers.tiny import build_tiny_store


@pytest.fixture(scope="session")
def tiny_store_path(tmp_path_factory):
    """A store of 8 small areas and 4 districts, written once per session (see tests/tiny.py)."""
    return build_tiny_store(tmp_path_factory.mktemp("stores") / "tiny")


@pytest.fixture(scope="session")
def tiny_store(tiny_store_path):
    from diagnostics.store.store import open_store

    return open_store(tiny_store_path)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """Path of a small-scale synthetic store (8 districts, 400 small areas), built once per session."""
    from diagnostics.sources.synthetic import build_synthetic

    return build_synthetic(tmp_path_factory.mktemp("stores") / "synthetic-small", scale="small", seed=42)


@pytest.fixture(scope="session")
def default_store():
    """Path of the default synthetic store (built into the cache on first use)."""
    from diagnostics.sources.synthetic import ensure_default_store

    return ensure_default_store()


@pytest.fixture(scope="session")
def tiny_england_store(tmp_path_factory):
    """The tiny real-layout England of tests/england_files.py, imported once per session (no population
    or deaths tables; ready-made indicators; the IoD deprivation profile)."""
    from helpers import england_files as ef

    from diagnostics.sources.england import import_folder
    from diagnostics.store.store import open_store

    root = tmp_path_factory.mktemp("england")
    import_folder(ef.write_tiny_england(root / "downloads"), root / "store")
    return open_store(root / "store")
