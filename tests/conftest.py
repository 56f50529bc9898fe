"""Shared fixtures: a hand-made tiny store, and the synthetic stores built once per session."""

from __future__ import annotations

import pytest

from tiny import build_tiny_store


@pytest.fixture(scope="session")
def tiny_store_path(tmp_path_factory):
    """A store of 8 small areas and 4 districts, written once per session (see tests/tiny.py)."""
    return build_tiny_store(tmp_path_factory.mktemp("stores") / "tiny")


@pytest.fixture(scope="session")
def tiny_store(tiny_store_path):
    from diagnostics.store import open_store

    return open_store(tiny_store_path)
