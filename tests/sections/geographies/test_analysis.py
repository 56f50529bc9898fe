"""The geographies of one place as typed results (diagnostics.sections.geographies.analysis)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from diagnostics.geography import custom_boundary
from diagnostics.sections.geographies.analysis import (
    OWN_BOUNDARY,
    WORKED_EXAMPLE_INDICATOR,
    GeographyAnalysis,
    MethodComparison,
    geography_analysis,
    method_comparison,
    split_small_areas,
)
from diagnostics.sections.session import start


@pytest.fixture
def brackley_vale(tiny_store):
    return start("D2", tiny_store, comparators="region")


def test_a_district_split_by_two_health_areas_by_hand(brackley_vale):
    result = geography_analysis(brackley_vale)
    assert isinstance(result, GeographyAnalysis) and result.problem == ""
    health = result.table.loc[result.table["layer"] == "health_area"].set_index("area_code")
    assert list(health.index) == ["H2", "H1"]  # biggest overlap first
    assert health["population"].tolist() == [1920.0, 1840.0]
    assert health.loc["H2", "place_share"] == pytest.approx(48 / 94)
    assert health.loc["H2", "area_share"] == pytest.approx(1920 / 10400)
    scores = result.scores.set_index("layer")
    assert list(scores.index) == ["health_area", "country", "region"]  # messiest first
    assert scores.loc["health_area", "relationship"] == "split between 2 areas"
    assert scores.loc["health_area", "population_outside_main"] == 1840.0
    assert scores.loc["region", "relationship"] == "inside one area"
    assert result.population_year == "2023"


def test_overlaps_need_a_layer_besides_the_places_own(one_layer_store):
    result = geography_analysis(start("D2", one_layer_store, comparators="region"))
    assert result == GeographyAnalysis(problem="the store has lookups from small areas to no layer other than the place's own")
    assert result.population_year is None


def test_the_worked_example_builds_the_indicator_for_the_health_areas_the_place_is_in(brackley_vale):
    result = method_comparison(brackley_vale)
    assert result.problem == "" and result.indicator == WORKED_EXAMPLE_INDICATOR == "smoking_prevalence"
    north = result.down.loc[result.down["area_code"] == "H1"].set_index("method")
    assert list(north.index) == ["small_areas", "population", "area"]
    # H1 = S1-S3: (11 + 12 + 13) smokers of 300 adults
    assert north.loc["small_areas", "value"] == pytest.approx(12.0)
    assert set(result.down["area_code"]) == {"H1", "H2"}
    up = result.up.set_index("method")
    assert up.loc["published", "value"] == 18.0 and up.loc["small_areas", "value"] == pytest.approx(13.5)


def test_the_worked_example_says_what_the_store_lacks(tiny_england_store, one_layer_store):
    real = method_comparison(start("E08000002", tiny_england_store, comparators="region"))
    assert real == MethodComparison("smoking_prevalence", problem="the store holds no smoking_prevalence rows")
    without_overlaps = method_comparison(start("D2", one_layer_store, comparators="region"))
    assert without_overlaps.problem == geography_analysis(start("D2", one_layer_store, comparators="region")).problem
    assert without_overlaps.down is None and without_overlaps.up is None


def test_a_place_along_small_area_edges_has_no_split_small_areas(brackley_vale):
    assert split_small_areas(brackley_vale) is None


def test_a_users_boundary_cuts_the_small_area_its_outline_divides(tiny_store, tmp_path):
    # [0, 2.6] km x [0, 1] km: best fit takes S1, S2 and S3 (their centres lie inside); 60% of S3's land is in it
    file = tmp_path / "town.geojson"
    gpd.GeoDataFrame({"id": [0]}, geometry=[box(0, 0, 2600, 1000)], crs="EPSG:27700").to_file(file, driver="GeoJSON")
    shape = custom_boundary.read_boundary(file, name="Town centre", store=tiny_store)
    path, place = custom_boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path)
    cut = split_small_areas(start(place.code, path, "region"))
    assert cut["code"].tolist() == ["S3"] and cut["cut_by"].tolist() == [OWN_BOUNDARY]
