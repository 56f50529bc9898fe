"""The small-area step of an England import: LSOA (2011) polygons and wards as a layer, from tiny
files in the layout of boundaries/england_by_lad/ (one gzipped GeoJSON per district)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from helpers import england_files as ef

from diagnostics.sources.england import import_folder
from diagnostics.sources.england.recognise import recognise
from diagnostics.sources.england.small_area_steps import best_fit_wards
from diagnostics.store.schema import BOUNDARY_CRS
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("england_small_areas")
    downloads = ef.write_tiny_england(root / "downloads")
    ef.write_small_area_boundaries(downloads)
    report = import_folder(downloads, root / "store")
    return report, open_store(root / "store")


def test_a_district_file_is_recognised_from_its_first_feature_alone(tmp_path):
    paths = ef.write_small_area_boundaries(tmp_path)
    details = {p.parent.name: recognise(p).detail for p in paths}
    assert details == {"lsoa11_bgc": "lsoa:LSOA11CD", "wd25_bgc": "ward:WD25CD", "msoa21_bgc": "msoa:MSOA21CD"}


def test_every_small_area_has_its_polygon(imported):
    _, store = imported
    shapes = store.boundaries("small_area")
    assert sorted(shapes["code"]) == sorted(ef.SMALL_AREAS) and shapes.crs.to_epsg() == 27700


def test_wards_are_a_layer_inside_their_districts(imported):
    _, store = imported
    wards = store.areas_in_layer("ward").set_index("code")
    assert wards["parent_code"].to_dict() == {code: district for code, (_, district) in ef.ward_codes().items()}
    assert len(store.boundaries("ward")) == 8


def test_each_small_area_is_in_the_ward_holding_its_centroid(imported):
    _, store = imported
    lk = store.lookups.loc[store.lookups["layer"] == "ward"].set_index("small_area_code")["area_code"]
    # centroids: Alpha 001A at -1.97 (west of -1.955), 001B at -1.93 (east); E01000008 has no centroid
    # of its own: a point inside its polygon (at -1.62) puts it in Delta East
    assert lk["E01000001"] == "E05000001" and lk["E01000002"] == "E05000002"
    assert lk["E01000007"] == "E05000006" and lk["E01000008"] == "E05000008"
    assert len(lk) == len(ef.SMALL_AREAS)


def test_ward_population_and_deprivation_are_built_from_their_small_areas(imported):
    _, store = imported
    pop = store.indicator_values("population_total", ["E05000002"])["value"].iloc[0]
    assert pop == ef.SMALL_AREAS["E01000002"][3]
    rank = store.indicator_values("deprivation_imd_average_rank", ["E05000002"])["value"].iloc[0]
    assert rank == 32845 - ef.SMALL_AREAS["E01000002"][2]


def test_msoa_2021_polygons_are_not_read_and_the_report_says_why(imported):
    report, store = imported
    assert "msoa" not in store.layers
    reasons = {path.name: why for path, why in report.unused}
    assert "do not nest" in reasons["msoa21_bgc"]
    assert any(path.name == "lsoa11_bgc" for path, _ in report.used)


def test_a_point_over_a_district_boundary_goes_to_the_nearest_ward_of_its_own_district():
    wards = gpd.GeoDataFrame({"code": ["W1", "W2"], "district_code": ["A", "B"]},
                             geometry=gpd.GeoSeries.from_wkt(["POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
                                                              "POLYGON((10 0, 20 0, 20 10, 10 10, 10 0))"]), crs=BOUNDARY_CRS)
    points = pd.DataFrame({"x": [5.0, 11.0], "y": [5.0, 5.0]}, index=["s1", "s2"])
    ward, moved = best_fit_wards(points, pd.Series({"s1": "A", "s2": "A"}), wards)
    assert ward.to_dict() == {"s1": "W1", "s2": "W1"} and moved == 1


def test_each_small_area_keeps_its_published_imd_rank_and_decile(imported):
    from diagnostics.sections.health.deprivation import small_area_deciles

    _, store = imported
    # Gamma (E07000001) holds E01000005 (rank 12,000) and, merged in, Old Gamma's E01000007 (rank 20,000)
    gamma = small_area_deciles(store, "E07000001").set_index("code")
    assert gamma["rank"].to_dict() == {"E01000005": 12000, "E01000007": 20000}
    assert gamma["decile"].to_dict() == {"E01000005": 4, "E01000007": 7}  # ceil(10 x rank / 32,844)
    assert (gamma["n_national"] == 32844).all() and gamma["period"].iloc[0] == "2019"


def test_the_deprivation_map_of_a_district_draws_its_small_areas_offline(imported):
    from diagnostics.render.offline import find_outside_urls
    from diagnostics.sections.health.page_figures import deprivation_map_view
    from diagnostics.sections.session import start

    _, store = imported
    page = deprivation_map_view(start("Alpha", store)).data
    assert "2 small areas" in page and "2 of them are in the most deprived tenth" in page
    assert "MHCLG English Indices of Deprivation 2019, File 1/7" in page and "2019" in page
    assert "Alpha 001A" in page and "Alpha 001B" in page and find_outside_urls(page) == []
