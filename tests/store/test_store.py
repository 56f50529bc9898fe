import json

import pandas as pd
import pytest
from helpers.tiny import build_tiny_store, tiny_tables

from diagnostics.exceptions import BrokenStore, ContractViolation, InvalidParameter, StoreNotFound
from diagnostics.store.store import Store, open_store, write_store


def test_open_store_returns_the_same_instance_for_the_same_store(tiny_store_path):
    assert open_store(tiny_store_path) is open_store(str(tiny_store_path))


def test_store_reads_every_table_and_describes_itself(tiny_store):
    assert tiny_store.is_synthetic
    assert tiny_store.layers == ["small_area", "district", "region", "country", "health_area"]
    assert len(tiny_store.population) == 8 * 2 * 2 * 20
    assert tiny_store.firms.empty  # optional tables read as empty
    assert set(tiny_store.boundaries("district")["code"]) == {"D1", "D2", "D3", "D4"}
    assert tiny_store.ancestors("S3") == ["D2", "R1", "C1"]


def test_missing_store_names_the_path_and_the_fix(tmp_path):
    with pytest.raises(StoreNotFound, match=r"No store at .*place-diagnostic data build"):
        Store(tmp_path / "nowhere")


def test_unknown_boundary_layer_lists_the_layers_the_store_has(tiny_store):
    with pytest.raises(InvalidParameter, match=r"no boundaries for layer 'police'.*'district'"):
        tiny_store.boundaries("police")


def test_contract_violation_names_table_column_rows_and_expectation(tmp_path):
    tables, boundaries = tiny_tables()
    population = tables["population"].copy()
    population.loc[[3, 7], "population"] = -5
    population.loc[4, "sex"] = "X"
    tables["population"] = population
    with pytest.raises(ContractViolation) as info:
        write_store(tmp_path / "bad", tables, boundaries, source="s", vintage="v", attribution="a")
    message = str(info.value)
    assert "Table 'population' breaks the data contract (2 problem(s))" in message
    assert "column 'population' fails 'greater_than_or_equal_to(0)' in 2 row(s) (rows 3, 7)" in message
    assert "column 'sex'" in message and "offending values: X" in message
    assert not (tmp_path / "bad").exists()  # nothing written


def test_missing_column_is_reported_as_missing(tmp_path):
    tables, boundaries = tiny_tables()
    tables["areas"] = tables["areas"].drop(columns=["name"])
    with pytest.raises(ContractViolation, match=r"column 'name' is missing"):
        write_store(tmp_path / "bad", tables, boundaries, source="s", vintage="v", attribution="a")


def test_indicator_interval_must_contain_its_value(tmp_path):
    tables, boundaries = tiny_tables()
    tables["indicators"].loc[0, "lower_ci"] = 99.0
    with pytest.raises(ContractViolation, match=r"lower_ci <= value <= upper_ci"):
        write_store(tmp_path / "bad", tables, boundaries, source="s", vintage="v", attribution="a")


def test_a_failed_rebuild_leaves_the_previous_store_untouched(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    before = json.loads((path / "store.json").read_text())["store_version"]
    tables, boundaries = tiny_tables()
    tables["lookups"].loc[0, "weight"] = 0.5  # weights of S1 in 'district' no longer sum to 1
    with pytest.raises(ContractViolation, match=r"weights of each small area within a layer must sum to 1"):
        write_store(path, tables, boundaries, source="synthetic", vintage="v", attribution="a")
    assert json.loads((path / "store.json").read_text())["store_version"] == before
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # no staging left behind


def test_damaged_parquet_file_is_named_on_read(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    (path / "indicators.parquet").write_bytes(b"not parquet")
    with pytest.raises(ContractViolation, match=r"indicators.parquet cannot be read as parquet"):
        Store(path).indicators


def test_a_table_read_back_unchanged_is_not_checked_row_by_row_again(tmp_path, monkeypatch):
    import diagnostics.store.checks as checks_module
    import diagnostics.store.store as store_module

    path = build_tiny_store(tmp_path / "store")
    checked = []
    validate = store_module.validate_table
    for module in (store_module, checks_module):
        monkeypatch.setattr(module, "validate_table", lambda name, df: checked.append((name, len(df))) or validate(name, df))
    store = Store(path)
    tables, _ = tiny_tables()
    for name in tables:
        expected = validate(name, tables[name])
        pd.testing.assert_frame_equal(store.table(name), expected, check_dtype=True)
    assert checked and all(rows == 0 for _, rows in checked)  # only the columns and their types


def test_a_table_changed_after_writing_is_validated_in_full_on_read(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    population = pd.read_parquet(path / "population.parquet")
    population.loc[5, "population"] = -1
    population.to_parquet(path / "population.parquet", index=False)
    with pytest.raises(ContractViolation, match=r"column 'population' fails 'greater_than_or_equal_to\(0\)' in 1 row\(s\) \(rows 5\)"):
        Store(path).population


def test_a_store_written_without_digests_is_validated_in_full_on_read(tmp_path, monkeypatch):
    import diagnostics.store.store as store_module

    path = build_tiny_store(tmp_path / "store")
    manifest = json.loads((path / "store.json").read_text())
    del manifest["validated_digests"]  # as stores written before the digests were recorded
    (path / "store.json").write_text(json.dumps(manifest))
    checked = []
    validate = store_module.validate_table
    monkeypatch.setattr(store_module, "validate_table", lambda name, df: checked.append((name, len(df))) or validate(name, df))
    Store(path).population
    assert checked == [("population", 8 * 2 * 2 * 20)]


def test_wrong_crs_is_a_contract_violation(tmp_path):
    tables, boundaries = tiny_tables()
    boundaries["district"] = boundaries["district"].to_crs("EPSG:4326")
    with pytest.raises(ContractViolation, match=r"(?s)boundaries/district.*EPSG:27700"):
        write_store(tmp_path / "bad", tables, boundaries, source="s", vintage="v", attribution="a")


def test_store_version_changes_when_content_changes(tmp_path):
    a = build_tiny_store(tmp_path / "a")
    tables, boundaries = tiny_tables()
    tables["population"].loc[0, "population"] += 1
    b = write_store(tmp_path / "b", tables, boundaries, source="synthetic", vintage="synthetic", attribution="x")
    assert Store(a).version != Store(b).version
    assert Store(a).version == Store(build_tiny_store(tmp_path / "c")).version


def test_indicator_values_filters_by_indicator_and_area(tiny_store):
    rows = tiny_store.indicator_values("smoking_prevalence", ["D1", "C1"])
    assert set(rows["area_code"]) == {"D1", "C1"} and len(rows) == 4
    assert isinstance(rows, pd.DataFrame)


@pytest.mark.parametrize(
    "ids, areas",
    [
        (None, None),
        ("smoking_prevalence", None),
        (None, ["D2", "S3", "nowhere"]),
        (["population_65_plus", "smoking_prevalence", "no_such_indicator"], ["C1", "D1", "D4"]),
        (["no_such_indicator"], ["D1"]),
        ("smoking_prevalence", []),
    ],
)
def test_indicator_values_from_the_index_are_the_rows_a_full_scan_finds(tiny_store, ids, areas):
    table = tiny_store.indicators
    mask = pd.Series(True, index=table.index)
    if ids is not None:
        mask &= table["indicator_id"].isin([ids] if isinstance(ids, str) else ids)
    if areas is not None:
        mask &= table["area_code"].isin(areas)
    pd.testing.assert_frame_equal(tiny_store.indicator_values(ids, areas), table.loc[mask])


def test_an_unreadable_manifest_is_a_broken_store(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    (path / "store.json").write_text("{not json")
    with pytest.raises(BrokenStore, match=r"(?s)store at .*store is broken.*store.json is not valid JSON"):
        Store(path)


def test_a_store_of_another_schema_version_asks_for_a_rebuild(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    manifest = json.loads((path / "store.json").read_text())
    (path / "store.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    with pytest.raises(ContractViolation, match=r"schema_version is 0; this version of place-diagnostics reads schema_version 1. Rebuild the store."):
        Store(path)


def test_a_missing_required_table_is_named_when_the_store_opens(tmp_path):
    path = build_tiny_store(tmp_path / "store")
    (path / "lookups.parquet").unlink()
    with pytest.raises(BrokenStore, match=r"lookups.parquet is listed in store.json but missing"):
        Store(path)


def test_an_unknown_table_name_lists_the_tables(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'name' parameter of Store.table must be one of \['areas'"):
        tiny_store.table("parishes")


def test_writing_without_a_required_table_is_refused(tmp_path):
    tables, boundaries = tiny_tables()
    del tables["catalogue"]
    with pytest.raises(ContractViolation, match=r"the required table 'catalogue' was not given"):
        write_store(tmp_path / "s", tables, boundaries, source="s", vintage="v", attribution="a")
