"""Importing a folder of official downloads: the tiny England of tests/england_files.py, bad input,
the CLI, official comparators in a session, and the deprivation profile worked by hand."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from helpers import england_files as ef
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.exceptions import ImportFailed, InvalidParameter
from diagnostics.sections.session import start
from diagnostics.sources.england import import_folder
from diagnostics.store.deprivation import area_summaries, profile_catalogue
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return ef.write_tiny_england(tmp_path_factory.mktemp("england") / "downloads")


@pytest.fixture(scope="module")
def imported(downloads, tmp_path_factory):
    target = tmp_path_factory.mktemp("england") / "store"
    report = import_folder(downloads, target)
    return report, open_store(target)


def _value(store, indicator, code):
    rows = store.indicator_values(indicator, [code])
    return rows.sort_values("year")["value"].iloc[-1]


# -- what an import builds --------------------------------------------------------------------------
def test_the_import_reports_what_it_used_ignored_and_leaves_out(imported):
    report, _ = imported
    text = report.text()
    assert "+ lad24_may2024_uk_bsc.geojson: 4 district polygons" in text
    assert "- README.md: documentation" in text
    assert "no age/sex split is invented" in text and "Firm register" in text


def test_districts_are_the_current_ones_with_their_hierarchy(imported):
    _, store = imported
    assert sorted(store.areas_in_layer("district")["code"]) == sorted(ef.CURRENT)
    assert store.ancestors("E07000001") == ["E10000001", "E12000001", "E92000001"]
    assert store.ancestors("E08000001") == ["E12000001", "E92000001"]
    assert store.layer_of("E47000001") == "combined_authority"


def test_boundaries_are_stored_for_polygon_layers_only(imported):
    _, store = imported
    assert set(store.boundary_layers()) == {"district", "county", "combined_authority", "region", "country", "health_area", "nhs_region", "police_force"}
    assert store.boundaries("district").crs.to_string() == "EPSG:27700"
    assert "ttwa" in store.layers and "ttwa" not in store.boundary_layers()


def test_small_areas_are_assigned_best_fit_by_their_centroids(imported):
    _, store = imported
    lk = store.lookups
    icb = lk.loc[lk["layer"] == "health_area"].set_index("small_area_code")["area_code"]
    assert icb["E01000003"] == "E54000001" and icb["E01000004"] == "E54000002"  # Beta touches two ICBs
    assert icb["E01000008"] == "E54000002"  # placed by its MSOA's centroid
    assert store.manifest["best_fit"] == {"own_centroid": 7, "msoa_centroid": 1, "district_majority": 0}
    district = lk.loc[lk["layer"] == "district"].set_index("small_area_code")["area_code"]
    assert district["E01000007"] == "E07000001" and district["E01000006"] == "E08000038"  # merger and re-code


def test_lookup_only_layers_are_layers(imported):
    _, store = imported
    ttwa = store.lookups.loc[store.lookups["layer"] == "ttwa"]
    assert set(ttwa["area_code"]) == {"E30000001", "E30000002"} and len(ttwa) == 8


def test_ready_made_indicators_keep_published_intervals_and_say_so(imported):
    _, store = imported
    row = store.indicator_values("employment_rate", ["E08000001"]).iloc[0]
    assert (row["value"], row["lower_ci"], row["upper_ci"], row["confidence"]) == (70.5, 66.1, 74.9, 0.95)
    assert store.catalogue.loc["employment_rate", "method"].startswith("Ready-made")
    assert store.catalogue.loc["deprivation_imd_average_rank", "method"].startswith("Computed")
    beta = store.indicator_values("employment_rate", ["E08000002"]).iloc[0]
    assert beta["note"] == "low reliability (status u)"


def test_figures_published_under_a_retired_code_move_to_the_current_one_and_say_so(imported):
    _, store = imported
    delta = store.indicator_values("gva_per_hour", ["E08000038"]).sort_values("year")
    assert delta["value"].tolist() == [25.0, 27.5]
    assert set(delta["note"]) == {"published under the retired code E08000016"}
    # a merged predecessor's figure is not passed off as its successor's
    assert store.indicator_values("gva_per_hour", ["E07000099"]).empty
    assert _value(store, "gva_per_hour", "E07000001") == 38.5


def test_figures_published_for_itl1_serve_as_the_regions_with_a_note(downloads, tmp_path):
    folder = tmp_path / "itl"
    shutil.copytree(downloads, folder)
    path = folder / "economy" / "ons_els_gross_value_added.csv"
    row = "TLC,North East,ITL Level 1,Gross value added per hour worked,2024-01-01/P1Y,31.5,Pounds,£,,,,\n"
    path.write_text(path.read_text(encoding="utf-8-sig") + row, encoding="utf-8")
    # the tiny region is E12000001, which ITL1 TLC coincides with
    store = open_store(import_folder(folder, tmp_path / "store").store)
    got = store.indicator_values("gva_per_hour", ["E12000001"]).set_index("period").loc["2024"]
    assert got["value"] == 31.5 and got["note"] == "published for ITL1 TLC, which has the same boundary"


def test_suppressed_values_are_kept_as_missing_with_the_reason(imported):
    _, store = imported
    row = store.indicator_values("gva_per_hour", ["E08000001"]).set_index("period").loc["2021"]
    assert pd.isna(row["value"]) and "suppressed" in row["note"]


def test_population_is_an_indicator_and_the_table_is_declared_absent(imported):
    _, store = imported
    assert _value(store, "population_total", "E08000001") == 4000
    assert _value(store, "population_total", "E92000001") == 12000
    assert not store.has_table("population") and store.population.empty
    assert "no age/sex split is invented" in store.manifest["absent_tables"]["population"]


def test_the_deprivation_profile_matches_the_hand_worked_values(imported):
    _, store = imported
    for code, expected in ef.EXPECTED_IMD_AVERAGE_RANK.items():
        assert _value(store, "deprivation_imd_average_rank", code) == pytest.approx(expected)
    for code, expected in ef.EXPECTED_IMD_SHARE.items():
        assert _value(store, "deprivation_imd_most_deprived_10pct", code) == pytest.approx(expected)
    for code, expected in ef.EXPECTED_RANK_OF_AVERAGE_RANK.items():
        assert _value(store, "deprivation_imd_rank_of_average_rank", code) == expected
    for code, expected in ef.EXPECTED_RANK_OF_SHARE.items():
        assert _value(store, "deprivation_imd_rank_of_most_deprived_10pct", code) == expected


def test_attribution_carries_the_ogl_statement_and_each_publisher(imported):
    _, store = imported
    text = store.attribution
    assert "Open Government Licence v3.0" in text
    for publisher in ("Office for National Statistics", "Ministry of Housing", "Office for Health Improvement"):
        assert publisher in text


def test_the_deprivation_profile_is_listed_by_the_indicators_command(imported):
    _, store = imported
    result = CliRunner().invoke(app, ["indicators", "--place", "Delta", "--store", str(store.path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(pd.io.common.StringIO(result.output))
    assert {"deprivation_imd_average_rank", "deprivation_income_most_deprived_10pct", "gva_per_hour"} <= set(table["indicator_id"])


# -- official comparators -------------------------------------------------------------------------------
def test_official_comparators_are_ons_neighbours_present_in_the_store(imported):
    _, store = imported
    dx = start("Delta", store, comparators="official")
    assert dx.comparator_codes == ["E08000001", "E08000002", "E07000001"]
    assert "ONS" in dx.comparator_method
    assert start("Delta", store, comparators="official:economic").comparator_codes == dx.comparator_codes


def test_by_default_a_real_store_compares_with_onss_list_and_says_why(imported):
    _, store = imported
    dx = start("Delta", store)
    assert dx.comparator_codes == ["E08000001", "E08000002", "E07000001"]
    # the toolkit's own neighbours of Delta are the other three districts: all three are ONS's too
    assert dx.comparator_method == (
        "ONS's 3 most similar areas (global), the default where ONS publishes them: ONS's model weighs many more "
        "indicators than the toolkit's own statistical neighbours (six stand-in variables), which share 3 of these 3 "
        "for Delta (comparators='nearest' uses them)")


def test_choosing_the_nearest_neighbours_on_a_real_store_says_they_replace_onss_default(imported):
    _, store = imported
    method = start("Delta", store, comparators="nearest").comparator_method
    assert method.startswith("3 statistical nearest neighbours (the toolkit's own, on stand-in variables, chosen instead")
    assert method.endswith("they share 3 of ONS's 3)")


def test_by_default_a_store_without_onss_lists_uses_the_nearest_neighbours_as_before(tiny_store):
    place = tiny_store.areas_in_layer("district")["code"].iloc[0]
    dx = start(place, tiny_store)
    assert dx.comparator_method == f"{len(dx.comparator_codes)} statistical nearest neighbours"


def test_official_comparators_are_refused_by_a_store_without_them(tiny_store):
    place = tiny_store.areas_in_layer("district")["code"].iloc[0]
    with pytest.raises(InvalidParameter, match="'official' needs ONS's similar-areas list"):
        start(place, tiny_store, comparators="official")


# -- bad input ---------------------------------------------------------------------------------------------
def test_a_folder_with_nothing_recognisable_says_what_it_found(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ImportFailed, match=r"no official dataset was recognised \(notes.csv: columns not recognised: \[a, b\]\)"):
        import_folder(folder, tmp_path / "store")


def test_a_failed_import_leaves_the_previous_store_untouched(downloads, imported, tmp_path):
    _, store = imported
    target = tmp_path / "store"
    shutil.copytree(store.path, target)
    before = json.loads((target / "store.json").read_text())["store_version"]
    broken = tmp_path / "broken"
    shutil.copytree(downloads, broken)
    gz = broken / "deprivation" / "iod2019_file6_population_denominators_lsoa11.csv.gz"
    gz.write_bytes(gz.read_bytes()[: len(gz.read_bytes()) // 2])  # truncated half way
    with pytest.raises(ImportFailed, match="iod2019_file6_population_denominators_lsoa11.csv.gz"):
        import_folder(broken, target)
    assert json.loads((target / "store.json").read_text())["store_version"] == before
    assert open_store(target).areas_in_layer("district").shape[0] == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store.")]  # no staging left behind


def test_a_right_named_file_with_the_wrong_content_is_named_in_the_report(downloads, tmp_path):
    folder = tmp_path / "wrong"
    shutil.copytree(downloads, folder)
    (folder / "economy" / "ons_els_claimant_count.csv").write_text("rate,limited\n1,2\n")
    report = import_folder(folder, tmp_path / "store")
    reason = next(i.reason for i in report.ignored if i.path.name == "ons_els_claimant_count.csv")
    assert "Explore Local Statistics" in reason and "[rate, limited]" in reason


def test_a_web_page_saved_as_a_dataset_file_is_an_error_naming_it(downloads, tmp_path):
    folder = tmp_path / "proxy"
    shutil.copytree(downloads, folder)
    (folder / "economy" / "ons_els_claimant_count.csv").write_text("<html>rate limited</html>\n")
    with pytest.raises(ImportFailed, match=r"Cannot import .*ons_els_claimant_count.csv: it is a web page, not data \(it begins '<html>rate limited"):
        import_folder(folder, tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_an_import_without_district_boundaries_says_what_it_needs(downloads, tmp_path):
    folder = tmp_path / "nolad"
    shutil.copytree(downloads, folder)
    (folder / "boundaries" / "lad24_may2024_uk_bsc.geojson").unlink()
    with pytest.raises(ImportFailed, match="no Local Authority District boundary file"):
        import_folder(folder, tmp_path / "store")


def test_the_cli_imports_and_prints_the_report(downloads, tmp_path):
    result = CliRunner().invoke(app, ["data", "import", "--from", str(downloads), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "What the diagnostic will leave out:" in result.output and (tmp_path / "s" / "store.json").is_file()


def test_the_cli_exits_2_naming_the_problem(tmp_path):
    result = CliRunner().invoke(app, ["data", "import", "--from", str(tmp_path / "none"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "no such folder" in result.output


# -- deprivation summaries (analysis module) ----------------------------------------------------------------
def test_area_summaries_weight_ranks_by_population_and_rank_most_deprived_first():
    measures = pd.DataFrame({
        "small_area_code": ["a", "b", "c", "d"], "domain": "imd", "measure": "rank", "value": [1, 10, 5, 8],
    })
    population = pd.Series({"a": 100, "b": 300, "c": 200, "d": 200})
    membership = pd.DataFrame({"small_area_code": ["a", "b", "c", "d"], "layer": "district", "area_code": ["X", "X", "Y", "Y"]})
    out = area_summaries(measures, population, membership, n_national=10).set_index(["area_code", "measure"])["value"]
    # reversed ranks 10, 1 weighted 100, 300 -> 3.25; reversed 6, 3 weighted equally -> 4.5
    assert out[("X", "average_rank")] == pytest.approx(3.25) and out[("Y", "average_rank")] == pytest.approx(4.5)
    assert out[("X", "most_deprived_10pct")] == 0.5 and out[("Y", "most_deprived_10pct")] == 0.0
    assert out[("Y", "rank_of_average_rank")] == 1 and out[("X", "rank_of_most_deprived_10pct")] == 1


def test_area_summaries_refuse_a_small_area_without_a_weight():
    measures = pd.DataFrame({"small_area_code": ["a"], "domain": "imd", "measure": "rank", "value": [1]})
    with pytest.raises(InvalidParameter, match=r"'population' parameter of area_summaries has no weight for small areas \['a'\]"):
        area_summaries(measures, pd.Series(dtype=float), pd.DataFrame(columns=["small_area_code", "layer", "area_code"]))


def test_profile_catalogue_names_every_domain_and_measure():
    cat = profile_catalogue()
    assert len(cat) == 10 * 9 and cat["indicator_id"].is_unique
    assert set(cat["polarity"]) == {"lower_is_better", "higher_is_better"}
