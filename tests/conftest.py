"""Shared fixtures: a cache of the session's own, a hand-made tiny store, and the synthetic stores built
once per session.

Tests never write to the user's cache (``~/.cache/place-diagnostics``): for the whole session
``$PLACE_DIAGNOSTICS_CACHE`` points at a temporary folder (:func:`session_cache`), which the processes
and kernels that tests start inherit. The default synthetic store is built there once, so code that
opens the embedded store (``sources.open_store(None)``, the command line's default ``--store``) finds
it and does not build it again.
"""

from __future__ import annotations

import pytest
from helpers.tiny import build_tiny_store

from diagnostics.resources import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """The session's cache folder, set as ``$PLACE_DIAGNOSTICS_CACHE`` before any other fixture runs.

    Session-scoped (autouse fixtures run first in their scope, and the session's scope comes before
    every module's), so module and session fixtures that compute cached results write here too. A
    test that sets the variable itself (``monkeypatch.setenv``) gets this folder back afterwards.
    """
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(path))
        yield path


@pytest.fixture(scope="session")
def tiny_store_path(tmp_path_factory):
    """A store of 8 small areas and 4 districts, written once per session (see tests/helpers/tiny.py)."""
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
def default_store(session_cache):
    """Path of the default synthetic store, built once per session into the session's cache, where
    ``open_store(None)`` and the command line look for the embedded store."""
    from diagnostics.sources.synthetic import ensure_default_store

    path = ensure_default_store()
    assert path.is_relative_to(session_cache), path  # the session's cache is in force
    return path


@pytest.fixture(scope="session")
def tiny_england_store(tmp_path_factory):
    """The tiny real-layout England of tests/helpers/england_files.py, imported once per session (no
    population or deaths tables; ready-made indicators; the IoD deprivation profile)."""
    from helpers import england_files as ef

    from diagnostics.sources.england import import_folder
    from diagnostics.store.store import open_store

    root = tmp_path_factory.mktemp("england")
    import_folder(ef.write_tiny_england(root / "downloads"), root / "store")
    return open_store(root / "store")
