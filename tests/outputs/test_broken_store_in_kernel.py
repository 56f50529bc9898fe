"""A store file damaged in the middle (whole at its head and tail, so the store opens) is reported as a
broken store when a notebook reads it, not as a failed notebook: the fix is to rebuild the store."""

from __future__ import annotations

import shutil

import pytest

from diagnostics.exceptions import BrokenStore
from diagnostics.outputs.run import run_place

pytestmark = pytest.mark.slow


def test_a_boundary_file_damaged_in_the_middle_is_a_broken_store(small_store, tmp_path):
    store = shutil.copytree(small_store, tmp_path / "store")
    damaged = store / "boundaries" / "district.parquet"
    data = bytearray(damaged.read_bytes())
    data[8 : len(data) // 2] = bytes(len(data) // 2 - 8)  # its first half of pages zeroed; "PAR1" and the footer kept
    damaged.write_bytes(bytes(data))

    with pytest.raises(BrokenStore, match=r"district\.parquet.*found while running .*\.ipynb") as raised:
        run_place("default", store=store, out=tmp_path / "out", notebooks=["30_geographies.ipynb"])
    assert "Rebuild it" in str(raised.value)
    assert not (tmp_path / "out" / "Z07000008").exists()
