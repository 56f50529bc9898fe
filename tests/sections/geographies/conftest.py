"""The geographies section's test stores.

The tiny store (tests/helpers/tiny.py) works by hand: small area ``Si`` is the square
[i-1, i] km x [0, 1] km with 40 + 2i people in each of 20 age bands of each sex; district D2 = S3 + S4
(1,840 + 1,920 = 3,760 residents) is split by the health areas H1 = S1-S3 and H2 = S4-S8, exactly along
small-area edges. ``one_layer_store`` is the same store with lookups to districts only.
"""

from __future__ import annotations

import pytest
from helpers.tiny import tiny_tables

from diagnostics.store.store import open_store, write_store


@pytest.fixture(scope="package")
def one_layer_store(tmp_path_factory):
    """The tiny store whose lookups link small areas to districts only."""
    tables, boundaries = tiny_tables()
    tables["lookups"] = tables["lookups"].loc[tables["lookups"]["layer"] == "district"]
    path = write_store(tmp_path_factory.mktemp("stores") / "one-layer", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D2"})
    return open_store(path)
