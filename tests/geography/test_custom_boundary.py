"""diagnostics.geography.custom_boundary: a user's own boundary file becomes a place, or a clear error says why not.

The store is the hand-made tiny one (tests/tiny.py): eight 1 km squares S1..S8 side by side along
[0, 8] km x [0, 1] km in British National Grid, S_i holding 40 * (40 + 2i) residents a year.
"""

import json
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box

from diagnostics.exceptions import InvalidBoundary
from diagnostics.geography import custom_boundary as boundary
from diagnostics.store.store import open_store

KM = 1000.0


def _write(path, geometries, crs="EPSG:27700", **fields):
    frame = gpd.GeoDataFrame(fields or {"id": list(range(len(geometries)))}, geometry=list(geometries), crs=crs)
    driver = "GPKG" if str(path).endswith(".gpkg") else "GeoJSON"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'crs' was not provided")  # the no-CRS case on purpose
        frame.to_file(path, driver=driver)
    return path


@pytest.fixture
def square_file(tmp_path):
    """[0, 2.6] km x [0, 1] km: holds the centres of S1, S2 and S3, and 60% of S3's land."""
    return _write(tmp_path / "town.geojson", [box(0, 0, 2.6 * KM, KM)])


# -- reading and checking --------------------------------------------------------------------------


def test_read_boundary_keeps_a_declared_british_national_grid_file_as_it_is(square_file, tiny_store):
    shape = boundary.read_boundary(square_file, name="Town centre", store=tiny_store)
    assert shape["name"].tolist() == ["Town centre"]
    assert shape.crs.to_string() == "EPSG:27700"
    assert shape.geometry.iloc[0].area == pytest.approx(2.6 * KM * KM)
    assert shape.attrs["notes"] == []


def test_read_boundary_reprojects_a_longitude_latitude_file(tmp_path, tiny_store):
    square = gpd.GeoSeries([box(0, 0, 2.6 * KM, KM)], crs=27700).to_crs(4326)
    path = _write(tmp_path / "town.geojson", square, crs="EPSG:4326")
    shape = boundary.read_boundary(path, store=tiny_store)
    assert shape["name"].tolist() == ["town"]  # the file's stem when no name is given
    assert shape.geometry.iloc[0].area == pytest.approx(2.6 * KM * KM, rel=1e-3)
    assert any("Reprojected from EPSG:4326" in note for note in shape.attrs["notes"])


def test_read_boundary_repairs_invalid_geometry_and_says_so(tmp_path, tiny_store):
    bow_tie = Polygon([(0, 0), (2 * KM, KM), (2 * KM, 0), (0, KM), (0, 0)])
    shape = boundary.read_boundary(_write(tmp_path / "bow.geojson", [bow_tie]), store=tiny_store)
    assert shape.geometry.iloc[0].is_valid
    assert shape.geometry.iloc[0].area == pytest.approx(KM * KM)  # two triangles of half a km² each
    assert any("invalid (Self-intersection" in note and "make_valid" in note for note in shape.attrs["repairs"])


def test_read_boundary_picks_and_merges_features_by_name_field(tmp_path, tiny_store):
    path = _write(tmp_path / "many.gpkg", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM), box(5 * KM, 0, 6 * KM, KM)],
                  ward=["West End", "West End", "Dockside"])
    shape = boundary.read_boundary(path, name="west end", name_field="ward", store=tiny_store)
    assert shape["name"].tolist() == ["west end"]
    assert shape.geometry.iloc[0].area == pytest.approx(2 * KM * KM)


@pytest.mark.parametrize(
    "make, kwargs, message",
    [
        (lambda d: d / "nowhere.geojson", {}, "there is no such file"),
        (lambda d: (d / "town.txt").write_text("x") and d / "town.txt", {}, r"its type \.txt is not read.*GeoJSON"),
        (lambda d: (d / "bad.geojson").write_text("{not json") and d / "bad.geojson", {}, "cannot be read as .geojson"),
        (lambda d: (d / "none.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
         and d / "none.geojson", {}, "it has no features"),
        (lambda d: _write(d / "two.geojson", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM)], ward=["A", "B"]), {},
         r"it has 2 features and no --name-field.*Pass --name-field with one of its fields \(ward\)"),
        (lambda d: _write(d / "two.geojson", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM)], ward=["A", "B"]),
         {"name_field": "district"}, r"it has no field 'district'. Choose --name-field from ward"),
        (lambda d: _write(d / "two.geojson", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM)], ward=["A", "B"]),
         {"name_field": "ward"}, r"its field 'ward' names 2 places. Pass --name with one of A, B"),
        (lambda d: _write(d / "two.geojson", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM)], ward=["A", "B"]),
         {"name_field": "ward", "name": "C"}, r"no feature has ward = 'C'. Choose --name from A, B"),
        (lambda d: _write(d / "nocrs.gpkg", [box(0, 0, 2 * KM, KM)], crs=None), {},
         "it declares no coordinate reference system"),
        (lambda d: (d / "metres.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": box(0, 0, 2 * KM, KM).__geo_interface__}]}))
         and d / "metres.geojson", {}, r"declares EPSG:4326 \(longitude/latitude\) but its coordinates .* look like metres"),
        (lambda d: _write(d / "points.geojson", [Point(500, 500)]), {}, "it holds Point geometry, not an area"),
        (lambda d: _write(d / "empty.geojson", [Polygon()]), {}, "its geometry is empty"),
        (lambda d: _write(d / "far.geojson", [box(300 * KM, 300 * KM, 301 * KM, 301 * KM)]), {},
         "it lies outside the store's country"),
        (lambda d: _write(d / "tiny.geojson", [box(0, 0, 100, 100)]), {}, "it holds the centre of no small area"),
    ],
    ids=["missing", "suffix", "unreadable", "no-features", "multi-without-field", "unknown-field", "several-names",
         "unknown-name", "no-crs", "wrong-crs", "points", "empty", "out-of-country", "too-small"],
)
def test_read_boundary_refuses_a_bad_file_with_a_clear_error(tmp_path, tiny_store, make, kwargs, message):
    path = make(tmp_path)
    with pytest.raises(InvalidBoundary, match=message):
        boundary.read_boundary(path, store=tiny_store, **kwargs)


# -- the derived store -----------------------------------------------------------------------------


def test_custom_place_store_adds_the_place_with_best_fit_small_areas(square_file, tiny_store, tmp_path):
    shape = boundary.read_boundary(square_file, name="Town centre", store=tiny_store)
    path, place = boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path / "custom")
    store = open_store(path)
    assert place.layer == "custom" and store.layer_of(place.code) == "custom"
    assert store.manifest["default_place"] == place.code
    links = store.lookups.loc[store.lookups["layer"] == "custom"]
    assert sorted(links["small_area_code"]) == ["S1", "S2", "S3"] and (links["weight"] == 1).all()
    # smoking: 10 + i smokers per 100 adults in S_i, summed over S1..S3
    smoking = store.indicator_values("smoking_prevalence", [place.code]).set_index("year").loc[2023]
    assert (smoking["numerator"], smoking["denominator"]) == (36.0, 300.0)
    assert smoking["value"] == pytest.approx(12.0) and smoking["lower_ci"] < 12 < smoking["upper_ci"]
    info = store.manifest["custom_places"][place.code]
    assert info["n_small_areas"] == 3
    assert info["residents_outside"] == pytest.approx(0.4 * 40 * 46)  # 40% of S3's land is outside
    assert info["residents_left_out"] == pytest.approx(0.0)
    assert store.ancestors(place.code)[0] == "R1"  # S1..S3 lie in districts D1, D2 of the North Region
    assert store.boundaries("custom")["code"].tolist() == [place.code]
    assert len(store.areas) == len(tiny_store.areas) + 1


def test_custom_place_store_is_reused_for_the_same_boundary_and_base(square_file, tiny_store, tmp_path):
    shape = boundary.read_boundary(square_file, name="Town centre", store=tiny_store)
    first, _ = boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path)
    stamp = (first / "store.json").stat().st_mtime_ns
    again, _ = boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path)
    assert again == first and (first / "store.json").stat().st_mtime_ns == stamp
    renamed = boundary.read_boundary(square_file, name="High Street", store=tiny_store)
    other, place = boundary.custom_place_store(renamed, tiny_store, cache_root=tmp_path)
    assert other != first and place.name == "High Street"


def test_a_custom_place_is_compared_with_the_most_similar_districts(square_file, tiny_store, tmp_path):
    from diagnostics.sections.session import start

    shape = boundary.read_boundary(square_file, name="Town centre", store=tiny_store)
    path, place = boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path)
    dx = start(place.code, path, "nearest", k=2)
    assert dx.place == place
    assert set(dx.comparator_codes) <= set(tiny_store.areas_in_layer("district")["code"])


# -- end to end ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_console_script_runs_the_diagnostic_for_a_boundary_file(tmp_path, default_store, monkeypatch):
    store = open_store(default_store)
    district = store.boundaries("district").set_index("code").geometry[store.manifest["default_place"]]
    minx, miny, maxx, maxy = district.bounds
    path = _write(tmp_path / "centre.geojson", gpd.GeoSeries([box(minx, miny, (minx + maxx) / 2, (miny + maxy) / 2)], crs=27700).to_crs(4326),
                  crs="EPSG:4326")
    env = {"PLACE_DIAGNOSTICS_CACHE": str(tmp_path / "cache")}
    import os

    exe = Path(sys.executable).with_name("place-diagnostic")
    result = subprocess.run(
        [str(exe), "run", "--boundary", str(path), "--name", "Town centre", "--store", str(default_store),
         "--out", str(tmp_path / "out"), "--notebooks", "summary", "--notebooks", "geographies"],
        capture_output=True, text=True, timeout=900, env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Report for Town centre (U")
    report = Path(result.stdout.strip().rsplit(": ", 1)[1])
    html = report.read_text()
    assert "Town centre" in html and "misplaced by best fit" in html


@pytest.mark.slow
def test_the_console_script_exits_2_for_a_bad_boundary(tmp_path, default_store):
    exe = Path(sys.executable).with_name("place-diagnostic")
    path = _write(tmp_path / "two.geojson", [box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM)], ward=["A", "B"])
    result = subprocess.run([str(exe), "run", "--boundary", str(path), "--store", str(default_store)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "no --name-field" in result.stderr


def test_the_map_highlights_small_areas_a_custom_boundary_cuts(square_file, tiny_store, tmp_path):
    from diagnostics.sections.geographies import page as geography_views
    from diagnostics.sections.geographies.analysis import split_small_areas
    from diagnostics.sections.session import start

    shape = boundary.read_boundary(square_file, name="Town centre", store=tiny_store)
    path, place = boundary.custom_place_store(shape, tiny_store, cache_root=tmp_path)
    dx = start(place.code, path, "region")
    cut = split_small_areas(dx)
    assert cut["code"].tolist() == ["S3"] and cut["cut_by"].tolist() == ["the place's own boundary"]
    note = geography_views.custom_boundary_note(dx).data
    assert "matched to 3 small areas by best fit" in note and "misplaced by best fit" in note
