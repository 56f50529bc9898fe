"""The summary section's cells, called in-process (the notebook itself is run in test_run.py)."""

import pytest

from diagnostics import summary
from diagnostics.compare import BENCHMARK_COLUMNS
from diagnostics.session import start
from diagnostics.store import open_store


@pytest.fixture(scope="module")
def store(small_store):
    return open_store(small_store)


def _country(store):
    return store.areas_in_layer("country")["code"].iloc[0]


def test_every_cell_renders_for_the_default_district(store):
    dx = start("default", store)
    table = summary.headline_benchmarks(dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert (table["status"] == "ok").sum() >= 12
    header = summary.place_header(dx).data
    assert dx.place.name in header and "SYNTHETIC DATA" in header
    assert "L.map(" in summary.location_map(dx).data
    assert "Comparators: median" in summary.headline_table(dx, table).data
    assert "<svg" in summary.headline_chart(dx, table).data
    assert "Statistical nearest neighbours" in summary.comparators_table(dx).data
    assert "store version" in summary.data_notes(dx).data


@pytest.mark.parametrize("layer", ["country", "health_area", "small_area", "ttwa"])
def test_the_summary_renders_for_places_of_every_kind(store, layer):
    code = store.areas_in_layer(layer)["code"].iloc[0]
    dx = start(code, store)
    table = summary.headline_benchmarks(dx)
    assert summary.headline_table(dx, table).data
    assert summary.headline_chart(dx, table).data
    assert summary.location_map(dx).data


def test_the_country_gets_a_sentence_instead_of_a_chart_of_differences_from_itself(store):
    dx = start(_country(store), store)
    assert "the place is the whole country" in summary.headline_chart(dx).data


def test_a_store_without_indicators_for_the_place_says_so(tiny_store):
    dx = start("H1", tiny_store)
    table = summary.headline_benchmarks(dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert set(table["status"]) == {"not available for this place in the store"}
    assert "not available for this place" in summary.headline_table(dx, table).data
    assert "No chart" in summary.headline_chart(dx, table).data


def test_the_headline_table_leaves_out_the_region_column_for_a_place_in_no_region(store):
    health_area = start(store.areas_in_layer("health_area")["code"].iloc[0], store)
    district = start("default", store)
    assert summary.headline_table(health_area).data.count("<th>") == 9
    region_name = district.name_of(district.region_code)
    district_table = summary.headline_table(district).data
    assert district_table.count("<th>") == 10 and f"<th>{region_name}</th>" in district_table
