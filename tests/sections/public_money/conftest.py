"""The public-money section's test stores: the tiny store with the hand-checkable public money of
tests/helpers/money.py."""

from __future__ import annotations

import pytest
from helpers.money import money_tables
from helpers.tiny import tiny_tables

from diagnostics.store.store import open_store, write_store


@pytest.fixture(scope="package")
def money_store(tmp_path_factory):
    """The tiny store with the public money of the module docstring."""
    tables, boundaries = tiny_tables()
    tables.update(money_tables())
    path = write_store(tmp_path_factory.mktemp("stores") / "money", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D2"})
    return open_store(path)


@pytest.fixture()
def session_of(money_store):
    """A session of ``money_store`` for a place code, with custom comparators where given."""
    from diagnostics.sections.session import start

    def make(code: str, comparators="region"):
        return start(code, money_store, comparators)

    return make
