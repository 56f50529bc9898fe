"""diagnostics.sections.derived: a store's derived tables, computed once and read back the same."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics import cache
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.apportion import compare_methods
from diagnostics.sections.derived import derive_tables
from diagnostics.sections.geographies.analysis import WORKED_EXAMPLE_INDICATOR
from diagnostics.sections.health.analysis import layer_comparison
from diagnostics.sections.health.deprivation import national_ranks, profiles_from_scores
from diagnostics.sections.health.funnels import under75_smr
from diagnostics.sections.health.inequality import deprivation_groups, inequality_by_deprivation
from diagnostics.sections.health.mortality import mortality_measures
from diagnostics.store.store import open_store


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    cache.clear()
    yield tmp_path
    cache.clear()


def _derived(store):
    """Every derived table of the districts, as the analyses return them."""
    tables = {"small_area_imd_ranks": national_ranks(store),
              "compare_methods": compare_methods(store, WORKED_EXAMPLE_INDICATOR, "district", "health_area")}
    for layer in ("district", "region", "country", "health_area"):
        tables |= {
            ("layer_comparison", layer): layer_comparison(store, layer),
            ("mortality_measures", layer): mortality_measures(store, layer),
            ("mortality_measures 1", layer): mortality_measures(store, layer, pool=1),
            ("under75_smr", layer): under75_smr(store, layer),
            ("deprivation_groups", layer): deprivation_groups(store, layer),
            ("inequality_by_deprivation", layer): inequality_by_deprivation(store, layer),
            ("profiles_from_scores", layer): profiles_from_scores(store, layer),
        }
    return tables


def test_derived_tables_read_back_from_disk_equal_the_computed_ones_exactly(small_store, own_cache):
    small_store = open_store(small_store)
    derived = derive_tables(small_store)
    assert {d.name for d in derived} >= {"layer_comparison", "mortality_measures", "under75_smr",
                                        "inequality_by_deprivation", "small_area_imd_ranks"}
    computed = _derived(small_store)  # the results kept in memory by the derive
    files = {f: f.stat().st_mtime_ns for f in (own_cache / "results").rglob("*.parquet")}
    assert len(files) >= len(derived)
    cache.clear()  # a later process: nothing in memory, everything on disk
    read_back = _derived(small_store)
    assert {f: f.stat().st_mtime_ns for f in (own_cache / "results").rglob("*.parquet")} == files  # all read back
    for key, table in computed.items():
        pd.testing.assert_frame_equal(read_back[key], table, check_exact=True, obj=str(key))
        for column in [c for c in table.columns if table[c].dtype == "object"]:  # None stays None, NaN stays NaN
            assert list(map(repr, read_back[key][column])) == list(map(repr, table[column])), (key, column)


def test_deriving_again_reads_the_tables_and_writes_nothing(small_store, own_cache):
    small_store = open_store(small_store)
    derive_tables(small_store, ["district"])
    written = {f: f.stat().st_mtime_ns for f in (own_cache / "results").rglob("*.parquet")}
    cache.clear()
    again = derive_tables(small_store, ["district"])
    assert {f: f.stat().st_mtime_ns for f in (own_cache / "results").rglob("*.parquet")} == written
    assert all(d.rows >= 0 for d in again)


def test_deriving_for_a_layer_the_store_lacks_names_the_layers_it_has(tiny_store, own_cache):
    with pytest.raises(InvalidParameter, match=r"The 'layers' parameter of derive_tables must name layers of the "
                                                r"store \(.*district.*\); got 'parish'"):
        derive_tables(tiny_store, ["parish"])
