"""Each real-England reader on small files written in the publishers' formats (tests/england_files.py)."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest
from helpers import england_files as ef

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england import (
    comparators,
    els,
    fingertips,
    iod,
    lookups,
    ons_geography,
)
from diagnostics.sources.england.recognise import (
    Dataset,
    Ignored,
    read_header,
    recognise,
    scan,
    text_encoding,
)


# -- recognition ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "writer, kind, detail",
    [
        (ef.write_lad_boundaries, "boundaries", "district:LAD24CD"),
        (ef.write_icb_boundaries, "boundaries", "health_area:ICB23CD"),
        (ef.write_geo_metadata, "hierarchy", "els_geo_metadata"),
        (ef.write_code_changes, "code_changes", ""),
        (ef.write_iod_file2, "iod", "ranks"),
        (ef.write_iod_file6, "iod", "population"),
        (ef.write_els_gva, "els", "tidy"),
        (ef.write_els_legacy_gdp, "els", "legacy"),
        (ef.write_fingertips_api, "fingertips", "api"),
        (ef.write_fingertips_extract, "fingertips", "extract"),
        (ef.write_police_lookup, "police_lookup", ""),
        (ef.write_ttwa_lookup, "ttwa_lookup", ""),
        (ef.write_lep_lookup, "lep_lookup", ""),
        (ef.write_oa_lookup, "oa_lookup", ""),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_each_download_is_recognised_by_its_columns(tmp_path, writer, kind, detail):
    found = recognise(writer(tmp_path))
    assert isinstance(found, Dataset) and (found.kind, found.detail) == (kind, detail)


def test_recognition_ignores_the_file_name(tmp_path):
    path = ef.write_els_gva(tmp_path)
    renamed = path.rename(tmp_path / "whatever.csv")
    assert recognise(renamed).kind == "els"


def test_the_three_neighbour_lists_are_told_apart_by_name_and_clusters_by_columns(tmp_path):
    paths = ef.write_neighbours(tmp_path)
    kinds = [(d.kind, d.detail) for d in map(recognise, paths)]
    assert kinds == [("neighbours", "global"), ("neighbours", "economic"), ("neighbours", "demographic"),
                     ("clusters", ""), ("cluster_descriptions", "")]


def test_centroid_lines_are_recognised_even_with_one_feature(tmp_path):
    lsoa, msoa = ef.write_centroids(tmp_path)
    assert recognise(lsoa).kind == "centroids" and recognise(msoa).kind == "centroids"


def test_a_right_named_file_with_wrong_content_is_ignored_with_a_reason(tmp_path):
    path = tmp_path / "iod2019_file2_domains_lsoa11.csv"
    path.write_text("lsoa,decile\nE01000001,3\n")
    result = recognise(path)
    assert isinstance(result, Ignored)
    assert "English Indices of Deprivation" in result.reason and "lsoa, decile" in result.reason


def test_a_corrupt_gzip_file_raises_naming_the_file(tmp_path):
    path = ef.write_iod_file6(tmp_path)
    path.write_bytes(path.read_bytes()[:40])  # truncated gzip stream
    with pytest.raises(ImportFailed, match=r"iod2019_file6_population_denominators_lsoa11.csv.gz: it cannot be read as CSV \(EOFError: Compressed file ended"):
        iod.read_iod_population(path)


def test_a_windows_1252_csv_export_is_read_with_its_pound_signs(tmp_path):
    # MHCLG's Revenue Account "CSV export" is Windows-1252: byte 0xA3 is a pound sign, invalid UTF-8
    path = tmp_path / "ra_budget_csvexport.csv"
    path.write_bytes("E-code,Service,Net current expenditure (\u00a3 thousand)\nE0101,Education,1\u20ac\n".encode("cp1252"))
    assert read_header(path) == ["E-code", "Service", "Net current expenditure (\u00a3 thousand)"]
    assert isinstance(recognise(path), Ignored)
    assert lookups.read_csv(path).iloc[0, 2] == "1\u20ac"


def test_a_utf8_file_with_a_pound_sign_is_still_read_as_utf8(tmp_path):
    path = tmp_path / "utf8.csv.gz"
    path.write_bytes(gzip.compress("\ufeffa,\u00a3 thousand\n1,2\n".encode("utf-8")))
    assert text_encoding(path) == "utf-8-sig" and read_header(path) == ["a", "\u00a3 thousand"]


def test_a_file_no_known_encoding_decodes_raises_naming_the_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n\x81\x8d\x8f\n")  # undefined in Windows-1252 and invalid in UTF-8
    with pytest.raises(ImportFailed, match=r"binary.csv: it cannot be read as text \('charmap' codec can't decode byte 0x81"):
        read_header(path)


def test_a_truncated_geojson_raises_naming_the_file(tmp_path):
    path = ef.write_lad_boundaries(tmp_path)
    path.write_text(path.read_text()[:300])
    with pytest.raises(ImportFailed, match=r"lad24_may2024_uk_bsc.geojson: it is not valid JSON"):
        recognise(path)


def test_scan_walks_subfolders_and_skips_hidden_files(tmp_path):
    ef.write_tiny_england(tmp_path)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.csv").write_text("a\n1\n")
    found, ignored = scan(tmp_path)
    assert len(found) == 23 and [i.path.name for i in ignored] == ["README.md"]


def test_scan_of_a_missing_folder_says_so(tmp_path):
    with pytest.raises(ImportFailed, match="no such folder"):
        scan(tmp_path / "nope")


# -- readers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-01-01/P1Y", ("2023", 2023)),
        ("2020-01-01/P3Y", ("2020-22", 2022)),
        ("2020-01-01/P5Y", ("2020-24", 2024)),
        ("2015-11-16/P1Y", ("2015/16", 2016)),
        ("2015-04-01/P1Y", ("2015/16", 2016)),
        ("2025-04-30", ("2025", 2025)),
        ("2019", ("2019", 2019)),
    ],
)
def test_els_periods_become_the_labels_people_read(text, expected):
    assert els.period_label(text) == expected


def test_els_tidy_file_keeps_values_intervals_and_status(tmp_path):
    df = els.read_els(ef.write_els_employment(tmp_path), "tidy")
    alpha = df.loc[(df["area_code"] == "E08000001") & (df["indicator"] == "Employment rate")].iloc[0]
    assert (alpha["value"], alpha["lower_ci"], alpha["upper_ci"], alpha["period"]) == (70.5, 66.1, 74.9, "2023")
    assert df.loc[df["area_code"] == "E08000002", "status"].iloc[0] == "u"


def test_els_legacy_file_reads_thousands_separators(tmp_path):
    df = els.read_els(ef.write_els_legacy_gdp(tmp_path), "legacy")
    assert df["value"].tolist() == [31000.0] and df["year"].tolist() == [2023]


def test_els_value_that_is_not_a_number_names_file_column_and_row(tmp_path):
    path = ef.write_els_gva(tmp_path)
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",30.0,", ",thirty,"), encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"ons_els_gross_value_added.csv: column value has values that are not numbers, e.g. 'thirty' \(row 2\)"):
        els.read_els(path, "tidy")


def test_iod_ranks_are_read_for_the_imd_and_seven_domains(tmp_path):
    df = iod.read_iod_measures(ef.write_iod_file2(tmp_path), "rank")
    assert sorted(df["domain"].unique()) == sorted(set(iod.DOMAINS) - {"idaci", "idaopi"})  # those two are in File 3
    imd = df.loc[df["domain"] == "imd"].set_index("small_area_code")["value"]
    assert imd["E01000004"] == 32844 and imd["E01000001"] == 100
    income = df.loc[df["domain"] == "income"].set_index("small_area_code")["value"]
    assert income["E01000001"] == 32745


def test_iod_population_reads_totals_with_thousands_separators(tmp_path):
    df = iod.read_iod_population(ef.write_iod_file6(tmp_path)).set_index("small_area_code")
    assert df.loc["E01000002", "total"] == 3000 and df.loc["E01000002", "aged_0_15"] == 600


def test_fingertips_api_keeps_intervals_and_drops_breakdown_rows(tmp_path):
    df = fingertips.read_fingertips(ef.write_fingertips_api(tmp_path), "api")
    assert len(df) == 2
    alpha = df.loc[df["area_code"] == "E08000001"].iloc[0]
    assert (alpha["value"], alpha["lower_ci"], alpha["upper_ci"], alpha["period"], alpha["year"]) == (82.1, 81.5, 82.7, "2021-23", 2023)


def test_fingertips_extract_reads_values_without_intervals(tmp_path):
    df = fingertips.read_fingertips(ef.write_fingertips_extract(tmp_path), "extract")
    assert df["value"].tolist() == [25.5] and df["lower_ci"].isna().all() and df["year"].tolist() == [2016]


def test_code_changes_follow_renames_and_mergers(tmp_path):
    changes = lookups.read_code_changes(ef.write_code_changes(tmp_path))
    assert changes.current("E08000016") == "E08000038" and changes.current("E07000099") == "E07000001"
    assert changes.renamed_to("E07000099") == "E07000099"  # a merged area's figures are not carried over
    assert changes.current("E08000001") == "E08000001"  # joining a combined authority is no code change


def test_the_hierarchy_gives_county_only_to_two_tier_districts(tmp_path):
    h = lookups.read_hierarchy(ef.write_geo_metadata(tmp_path), "els_geo_metadata").set_index("district_code")
    assert sorted(h.index) == sorted(ef.CURRENT)
    assert h.loc["E07000001", "county_code"] == "E10000001" and pd.isna(h.loc["E08000001", "county_code"])
    assert h.loc["E08000001", "cauth_code"] == "E47000001" and h.loc["E08000038", "region_code"] == "E12000001"


def test_police_lookup_moves_districts_to_current_codes(tmp_path):
    changes = lookups.read_code_changes(ef.write_code_changes(tmp_path))
    table = lookups.read_police_lookup(ef.write_police_lookup(tmp_path), changes).set_index("district_code")
    assert table.loc["E08000038", "police_code"] == "E23000002" and table.loc["E07000001", "police_code"] == "E23000001"


def test_lep_lookup_keeps_the_first_partnership_and_records_the_overlap(tmp_path):
    table = lookups.read_lep_lookup(ef.write_lep_lookup(tmp_path))
    assert set(table["area_code"]) == {"E37000001"} and table["second_code"].notna().sum() == 1


def test_boundaries_are_reprojected_to_british_national_grid_and_england_only(tmp_path):
    gdf = ons_geography.read_boundaries(ef.write_lad_boundaries(tmp_path), "LAD24CD")
    assert gdf.crs.to_string() == "EPSG:27700" and "W06000001" not in set(gdf["code"])
    assert 390_000 < gdf.geometry.centroid.x.min() < 420_000  # about 2 degrees west is ~400 km east in BNG


def test_centroids_are_assigned_to_the_polygon_that_contains_them(tmp_path):
    points = ons_geography.read_centroids(ef.write_centroids(tmp_path)[0]).set_index("code")
    icbs = ons_geography.read_boundaries(ef.write_icb_boundaries(tmp_path), "ICB23CD")
    assigned = ons_geography.assign_points(points, icbs)
    assert assigned["E01000003"] == "E54000001" and assigned["E01000004"] == "E54000002"


def test_neighbours_are_long_ranked_and_on_current_codes(tmp_path):
    changes = lookups.read_code_changes(ef.write_code_changes(tmp_path))
    table = comparators.read_neighbours(ef.write_neighbours(tmp_path)[0], "global", changes)
    delta = table.loc[table["area_code"] == "E08000038"]
    assert len(delta) == 20 and delta["rank"].tolist() == list(range(1, 21))
    assert "E08000016" not in set(table["comparator_code"])


def test_clusters_carry_their_descriptions(tmp_path):
    paths = ef.write_neighbours(tmp_path)
    table = comparators.read_clusters(paths[3], comparators.read_cluster_descriptions(paths[4]))
    gamma = table.loc[(table["area_code"] == "E07000001") & (table["set_name"] == "global")].iloc[0]
    assert (gamma["cluster"], gamma["description"]) == ("B", "Shire towns.")


def test_a_gzip_reader_accepts_a_plain_file_with_a_gz_name(tmp_path):
    path = tmp_path / "plain.csv.gz"
    path.write_text("LSOA11CD,MSOA11CD,OA11CD\nE01000001,E02000001,E00000001\n")
    assert lookups.read_oa_lookup(path)["msoa_code"].tolist() == ["E02000001"]


def test_itl1_figures_stand_for_their_coterminous_region_and_england():
    assert lookups.ITL1_EQUIVALENTS["TLD"] == "E12000002" and lookups.ITL1_EQUIVALENTS["TLB"] == "E92000001"
    assert len(set(lookups.ITL1_EQUIVALENTS.values())) == 10


def test_an_all_codes_table_gives_the_same_hierarchy_as_the_ons_metadata(tmp_path):
    path = ef.write_la_all_codes(tmp_path)
    assert (recognise(path).kind, recognise(path).detail) == ("hierarchy", "la_all_codes")
    table = lookups.read_hierarchy(path, "la_all_codes")
    meta = lookups.read_hierarchy(ef.write_geo_metadata(tmp_path), "els_geo_metadata")
    columns = ["district_code", "county_code", "cauth_code", "region_code"]
    assert table[columns].fillna("").equals(meta[columns].fillna(""))


def test_a_district_table_puts_back_a_district_the_area_tree_files_under_its_combined_authoritys_region(tmp_path):
    # ONS's area tree hangs North East Lincolnshire under Greater Lincolnshire, in the East Midlands
    meta = lookups.read_hierarchy(ef.write_geo_metadata(tmp_path), "els_geo_metadata")
    table = lookups.read_hierarchy(ef.write_la_all_codes(tmp_path), "la_all_codes")
    tree = meta.assign(region_code=meta["region_code"].where(meta["district_code"] != "E08000002", "E12000004"),
                       region_name=meta["region_name"].where(meta["district_code"] != "E08000002", "East Midlands"))
    fixed, moved = lookups.reconcile_regions(tree, table)
    assert fixed.equals(meta)
    assert moved == ["Beta (E08000002): North, not East Midlands"]
    assert lookups.reconcile_regions(meta, table)[1] == []


def test_iod_file3_gives_the_supplementary_indices_idaci_and_idaopi(tmp_path):
    path = tmp_path / "File_3_-_IoD2019_Supplementary_Indices_-_IDACI_and_IDAOPI.csv"
    pd.DataFrame({
        "LSOA code (2011)": ["E01000001", "E01000002"], "LSOA name (2011)": ["City of London 001A", "City of London 001B"],
        "Local Authority District code (2019)": ["E09000001"] * 2, "Local Authority District name (2019)": ["City of London"] * 2,
        "Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)": ["32,069", "31,809"],
        "Income Deprivation Affecting Children Index (IDACI) Decile (where 1 is most deprived 10% of LSOAs)": [10, 10],
        "Income Deprivation Affecting Older People (IDAOPI) Rank (where 1 is most deprived)": ["32,785", "32,710"],
        "Income Deprivation Affecting Older People (IDAOPI) Decile (where 1 is most deprived 10% of LSOAs)": [10, 10],
    }).to_csv(path, index=False)
    df = iod.read_iod_measures(path, "rank").set_index(["domain", "small_area_code"])["value"]
    assert df[("idaci", "E01000001")] == 32069 and df[("idaopi", "E01000002")] == 32710
    assert set(df.index.get_level_values("domain")) == {"idaci", "idaopi"}
