"""diagnostics.geography: overlaps, coterminosity, best fit and apportioning between layers.

Most answers are worked by hand on a store of six 1 km squares in a row (see ``handmade_store``):
district D1 = S1 + S2 holds 70 + 30 residents, health area H1 = S1 + S5 and H2 = S2 + S3 + S4 + S6 split
it exactly 70/30, and police force area F1, the square [0.5, 2.5] km x [0, 1] km, overlaps D1's square
[0, 2] km x [0, 1] km by exactly three quarters of each.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.apportion import (
    allocation_matrix,
    apportion,
    compare_methods,
)
from diagnostics.geography.best_fit import best_fit_lookup, best_fit_lookups
from diagnostics.geography.lookups import (
    aggregate_small_areas,
    population_basis,
    small_area_population,
)
from diagnostics.geography.overlaps import (
    OVERLAP_COLUMNS,
    coterminosity,
    overlap_table,
    split_small_areas,
)
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.rollup import finalise_indicators
from diagnostics.store.store import open_store, write_store

SRC = {"source": "synthetic", "vintage": "synthetic"}
POP = {"S1": 70, "S2": 30, "S3": 30, "S4": 120, "S5": 70, "S6": 120}
KM = 1000.0


def _handmade_tables():
    squares = {f"S{i}": box((i - 1) * KM, 0, i * KM, KM) for i in range(1, 7)}
    district = {"S1": "D1", "S2": "D1", "S3": "D2", "S4": "D2", "S5": "D2", "S6": "D2"}
    health = {"S1": "H1", "S5": "H1", "S2": "H2", "S3": "H2", "S4": "H2", "S6": "H2"}
    police_shapes = {"F0": box(0, 0, 0.5 * KM, KM), "F1": box(0.5 * KM, 0, 2.5 * KM, KM), "F2": box(2.5 * KM, 0, 6 * KM, KM)}
    areas = [("C1", "Squareland", "country", None), ("D1", "Left District", "district", "C1"),
             ("D2", "Right District", "district", "C1"), ("H1", "Health Area West", "health_area", "C1"),
             ("H2", "Health Area East", "health_area", "C1"), ("F0", "Edge Police", "police_force", "C1"),
             ("F1", "Middle Police", "police_force", "C1"), ("F2", "East Police", "police_force", "C1")]
    areas += [(code, f"Square {code}", "small_area", district[code]) for code in squares]
    areas = pd.DataFrame(areas, columns=["code", "name", "layer", "parent_code"]).assign(**SRC)
    names = dict(zip(areas["code"], areas["name"]))
    sa = gpd.GeoDataFrame({"code": list(squares)}, geometry=list(squares.values()), crs="EPSG:27700")
    sa["name"] = sa["code"].map(names)
    boundaries = {"small_area": sa[["code", "name", "geometry"]]}
    links = []
    for layer, mapping in (("district", district), ("health_area", health), ("country", {c: "C1" for c in squares})):
        sa[layer] = sa["code"].map(mapping)
        shapes = sa.dissolve(by=layer).reset_index()[[layer, "geometry"]].rename(columns={layer: "code"})
        shapes["name"] = shapes["code"].map(names)
        boundaries[layer] = shapes[["code", "name", "geometry"]]
        links.append(pd.DataFrame({"small_area_code": sa["code"], "layer": layer, "area_code": sa[layer], "weight": 1.0}))
    police = gpd.GeoDataFrame({"code": list(police_shapes)}, geometry=list(police_shapes.values()), crs="EPSG:27700")
    police["name"] = police["code"].map(names)
    boundaries["police_force"] = police[["code", "name", "geometry"]]
    for code, geom in squares.items():  # police weights: the land share of each square in each force area
        for force, shape in police_shapes.items():
            share = geom.intersection(shape).area / geom.area
            if share > 0:
                links.append(pd.DataFrame([{"small_area_code": code, "layer": "police_force", "area_code": force, "weight": share}]))
    lookups = pd.concat(links, ignore_index=True).assign(**SRC)
    population = pd.DataFrame(
        [(code, year, "F", "20-24", n) for code, n in POP.items() for year in (2022, 2023)],
        columns=["area_code", "year", "sex", "age_band", "population"],
    ).assign(**SRC)
    catalogue = committed_catalogue().drop(columns=["real_source"]).assign(**SRC)
    smokers = {"S1": 14, "S2": 3, "S3": 6, "S4": 12, "S5": 21, "S6": 24}
    rows = [("smoking_prevalence", code, "2023", 2023, float(n), float(POP[code])) for code, n in smokers.items()]
    rows += [("smoking_prevalence", "D1", "2023", 2023, 17.0, 100.0), ("smoking_prevalence", "D2", "2023", 2023, 63.0, 340.0)]
    indicators = finalise_indicators(
        pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "year", "numerator", "denominator"]), catalogue
    ).assign(**SRC)
    tables = {"areas": areas, "lookups": lookups, "population": population, "indicators": indicators, "catalogue": catalogue}
    return tables, boundaries


@pytest.fixture(scope="module")
def handmade_store(tmp_path_factory):
    tables, boundaries = _handmade_tables()
    path = write_store(tmp_path_factory.mktemp("stores") / "handmade", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: hand-made squares.", extra={"default_place": "D1"})
    return open_store(path)


# -- aggregate_small_areas (existing) --------------------------------------------------------------


def test_aggregate_small_areas_conserves_counts(tiny_store):
    pop = tiny_store.population
    totals = aggregate_small_areas(tiny_store, pop, "district", ["population"], by=["year"])
    assert totals["population"].sum() == pytest.approx(pop["population"].sum())
    assert set(totals["area_code"]) == set(tiny_store.areas_in_layer("district")["code"])


def test_aggregate_small_areas_unknown_layer_names_the_known_ones(tiny_store):
    with pytest.raises(InvalidParameter, match="district"):
        aggregate_small_areas(tiny_store, tiny_store.population, "nonsense", ["population"])


# -- overlap_table and coterminosity ---------------------------------------------------------------


def _row(table, layer, code):
    rows = table.loc[(table["layer"] == layer) & (table["area_code"] == code)]
    assert len(rows) == 1, f"expected one row for {layer} {code}"
    return rows.iloc[0]


def test_overlap_table_finds_a_place_split_exactly_70_30(handmade_store):
    table = overlap_table(handmade_store, "D1", layers=["health_area"])
    west, east = _row(table, "health_area", "H1"), _row(table, "health_area", "H2")
    assert (west["population"], east["population"]) == (70.0, 30.0)
    assert west["place_share"] == pytest.approx(0.7) and east["place_share"] == pytest.approx(0.3)
    assert west["area_share"] == pytest.approx(70 / 140) and east["area_share"] == pytest.approx(30 / 300)
    assert west["land_place_share"] == pytest.approx(0.5) and west["land_area_share"] == pytest.approx(0.5)
    assert east["land_area_share"] == pytest.approx(1 / 4)
    assert (west["n_small_areas"], east["n_small_areas"]) == (1, 1)
    assert list(table["area_code"]) == ["H1", "H2"]  # biggest overlap first


def test_overlap_table_measures_two_squares_overlapping_by_three_quarters(handmade_store):
    table = overlap_table(handmade_store, "D1", layers=["police_force"])
    middle = _row(table, "police_force", "F1")
    assert middle["land_place_share"] == pytest.approx(0.75)
    assert middle["land_area_share"] == pytest.approx(0.75)
    # S1 is halved by the force boundary: 35 of its 70 residents, all 30 of S2's; F1 also holds half of S3
    assert middle["population"] == pytest.approx(65.0)
    assert middle["area_share"] == pytest.approx(65 / 80)
    assert middle["n_split_small_areas"] == 1
    edge = _row(table, "police_force", "F0")
    assert edge["place_share"] == pytest.approx(0.35) and edge["land_place_share"] == pytest.approx(0.25)
    assert "F2" not in set(table["area_code"])  # it only touches D1 along an edge


def test_overlap_table_accepts_a_place_object_and_defaults_to_every_other_layer(handmade_store):
    from diagnostics.store.places import resolve_place

    table = overlap_table(handmade_store, resolve_place("Left District", handmade_store))
    assert list(table.columns) == OVERLAP_COLUMNS
    assert set(table["layer"]) == {"health_area", "police_force", "country"}
    assert table["year"].unique().tolist() == [2023]


def test_overlap_table_sorts_the_messiest_layer_first(handmade_store):
    table = overlap_table(handmade_store, "D1")
    scores = coterminosity(handmade_store, "D1", table=table)
    assert list(dict.fromkeys(table["layer"])) == list(scores["layer"])
    assert scores["coterminosity"].is_monotonic_increasing


def test_coterminosity_is_one_for_nesting_and_the_documented_formula_otherwise(handmade_store):
    scores = coterminosity(handmade_store, "D1").set_index("layer")
    assert scores.loc["country", "coterminosity"] == pytest.approx(1.0)
    assert scores.loc["country", "relationship"] == "inside one area"
    # 0.7 * max(0.7, 0.5) + 0.3 * max(0.3, 0.1)
    assert scores.loc["health_area", "coterminosity"] == pytest.approx(0.7 * 0.7 + 0.3 * 0.3)
    assert scores.loc["health_area", "main_area_code"] == "H1"
    assert scores.loc["health_area", "population_outside_main"] == pytest.approx(30.0)
    assert scores.loc["health_area", "relationship"] == "split between 2 areas"
    # by land: 0.5 * max(0.5, 0.5) + 0.5 * max(0.5, 0.25)
    assert scores.loc["health_area", "land_coterminosity"] == pytest.approx(0.5)


def test_coterminosity_of_an_area_made_of_whole_areas_is_one(handmade_store):
    scores = coterminosity(handmade_store, "C1", layers=["district"]).set_index("layer")
    assert scores.loc["district", "coterminosity"] == pytest.approx(1.0)
    assert scores.loc["district", "relationship"] == "made of whole areas"


def test_split_small_areas_lists_the_small_areas_a_boundary_cuts(handmade_store):
    split = split_small_areas(handmade_store, "D1", "police_force")
    assert set(split["small_area_code"]) == {"S1"}
    assert split["area_weight"].tolist() == pytest.approx([0.5, 0.5])
    assert split_small_areas(handmade_store, "D1", "health_area").empty


def test_overlap_table_unknown_layer_names_the_known_ones(handmade_store):
    with pytest.raises(InvalidParameter, match=r"'layers' parameter names \['nonsense'\].*health_area"):
        overlap_table(handmade_store, "D1", layers=["nonsense"])


def test_overlap_table_on_the_tiny_store_halves_d2_between_health_areas(tiny_store):
    table = overlap_table(tiny_store, "D2", layers=["health_area"])
    # S3 (46 per band and sex) is in H1, S4 (48) in H2
    assert table.set_index("area_code")["place_share"].to_dict() == pytest.approx({"H1": 46 / 94, "H2": 48 / 94})


def test_synthetic_country_default_place_is_split_between_health_areas(default_store):
    store = open_store(default_store)
    place = store.manifest["default_place"]
    scores = coterminosity(store, place).set_index("layer")
    assert scores.loc["health_area", "n_areas"] >= 2
    assert scores.loc["health_area", "coterminosity"] < 1
    assert scores.loc["region", "coterminosity"] == pytest.approx(1.0)
    table = overlap_table(store, place, layers=["health_area"])
    assert table["place_share"].sum() == pytest.approx(1.0)
    assert table["population"].sum() == pytest.approx(table["place_population"].iloc[0])


# -- best fit --------------------------------------------------------------------------------------


def test_best_fit_assigns_each_small_area_to_the_area_holding_its_point(handmade_store):
    fit = best_fit_lookup(handmade_store, "police_force").set_index("small_area_code")
    assert len(fit) == 6
    # S1's representative point is its middle (x = 500 m, on the F0/F1 edge), so which area wins is not
    # pinned; S2 lies wholly in F1, S4 wholly in F2
    assert fit.loc["S2", "area_code"] == "F1" and fit.loc["S2", "misplaced_population"] == 0
    assert fit.loc["S4", "area_code"] == "F2"
    # S3 is halved by the F1/F2 boundary: best fit puts all 30 residents in one, misplacing 15
    assert fit.loc["S3", "misplaced_population"] == pytest.approx(15.0)


def test_best_fit_for_areas_of_ones_own_uses_the_land_share(handmade_store):
    mine = gpd.GeoDataFrame({"code": ["X"], "name": ["Mine"]}, geometry=[box(0, 0, 2.25 * KM, KM)], crs="EPSG:27700")
    fit = best_fit_lookup(handmade_store, mine).set_index("small_area_code")
    assert sorted(fit.index) == ["S1", "S2"]  # S3's point (x = 2.5 km) is outside
    assert fit["misplaced_population"].sum() == 0
    wider = gpd.GeoDataFrame({"code": ["X"]}, geometry=[box(0, 0, 2.75 * KM, KM)], crs="EPSG:27700")
    fit = best_fit_lookup(handmade_store, wider).set_index("small_area_code")
    assert fit.loc["S3", "inside_share"] == pytest.approx(0.75)
    assert fit.loc["S3", "misplaced_population"] == pytest.approx(30 * 0.25)


def test_best_fit_lookups_cover_every_layer_and_misplace_no_one_in_the_synthetic_country(default_store):
    store = open_store(default_store)
    fit = best_fit_lookups(store)
    n_small = len(store.areas_in_layer("small_area"))
    counts = fit.groupby("layer").size()
    assert set(counts.index) == set(store.boundary_layers()) - {"small_area"}
    assert (counts == n_small).all()
    # every synthetic layer is built from whole small areas, so the best fit is exact
    assert fit["misplaced_population"].sum() == 0
    lookups = store.lookups.merge(fit, on=["small_area_code", "layer"], suffixes=("", "_fit"))
    assert (lookups["area_code"] == lookups["area_code_fit"]).all()


# -- apportion -------------------------------------------------------------------------------------


def _district_smoking(store):
    rows = store.indicator_values("smoking_prevalence")
    return rows.loc[rows["area_code"].isin(store.areas_in_layer("district")["code"])]


def test_apportion_by_population_splits_counts_by_hand(handmade_store):
    out = apportion(_district_smoking(handmade_store), "district", "health_area", store=handmade_store)
    west = out.set_index("area_code").loc["H1"]
    # D1 (17 smokers of 100) is 70% in H1; D2 (63 of 340) has 70 of its 340 residents there
    assert west["numerator"] == pytest.approx(17 * 0.7 + 63 * 70 / 340)
    assert west["denominator"] == pytest.approx(140.0)
    from diagnostics.stats import proportion_ci

    value, lower, upper = proportion_ci(west["numerator"], west["denominator"], 0.95)
    assert (west["value"], west["lower_ci"], west["upper_ci"]) == pytest.approx((100 * value, 100 * lower, 100 * upper))
    assert west["split_share"] == pytest.approx(1.0) and west["coverage"] == pytest.approx(1.0)


def test_apportion_conserves_counts(default_store):
    store = open_store(default_store)
    rows = _district_smoking(store)
    for weights in ("population", "area"):
        out = apportion(rows, "district", "health_area", weights, store=store)
        for column in ("numerator", "denominator"):
            before = rows.groupby("year")[column].sum()
            after = out.groupby("year")[column].sum()
            assert after.to_numpy() == pytest.approx(before.to_numpy(), rel=1e-5), (weights, column)


def test_apportion_from_whole_small_areas_rebuilds_the_published_district_figures(handmade_store):
    rows = handmade_store.indicator_values("smoking_prevalence")
    out = apportion(rows, "small_area", "district", store=handmade_store).set_index("area_code")
    published = _district_smoking(handmade_store).set_index("area_code")
    assert out["numerator"].to_dict() == pytest.approx(published["numerator"].to_dict())
    assert out["value"].to_dict() == pytest.approx(published["value"].to_dict())
    assert (out["split_share"] == 0).all()


def test_apportion_by_area_reproduces_tobler(default_store):
    from tobler.area_weighted import area_interpolate

    store = open_store(default_store)
    districts = store.boundaries("district")
    rng = np.random.default_rng(5)
    values = pd.DataFrame({"area_code": districts["code"], "count": rng.integers(0, 1000, len(districts)).astype(float),
                           "rate": rng.uniform(1, 50, len(districts))})
    ours = apportion(values, "district", "health_area", "area", store=store,
                               extensive=["count"], intensive=["rate"]).set_index("area_code")
    source = districts.merge(values, left_on="code", right_on="area_code")
    target = store.boundaries("health_area")
    theirs = area_interpolate(source, target, extensive_variables=["count"], intensive_variables=["rate"])
    theirs.index = target["code"]
    assert ours["count"].to_dict() == pytest.approx(theirs["count"].to_dict(), rel=1e-5)
    assert ours["rate"].to_dict() == pytest.approx(theirs["rate"].to_dict(), rel=1e-5)


def test_the_land_table_holds_the_land_each_pair_of_areas_shares_worked_by_hand(handmade_store):
    allocation = allocation_matrix(handmade_store, "police_force", "district", "area")
    assert list(allocation.source_codes) == ["F0", "F1", "F2"] and list(allocation.target_codes) == ["D1", "D2"]
    # F0 is D1's first half km, F1 its last 1.5 km and D2's first half km, F2 the rest of D2 (3.5 km x 1 km)
    assert allocation.table.toarray() == pytest.approx(np.array([[0.5, 0.0], [1.5, 0.5], [0.0, 3.5]]) * KM**2)


def test_apportion_by_area_gives_toblers_area_interpolate_on_the_hand_made_squares(handmade_store):
    from tobler.area_weighted import area_interpolate

    police = handmade_store.boundaries("police_force")
    values = pd.DataFrame({"area_code": police["code"], "crimes": [10.0, 100.0, 35.0], "rate": [2.0, 8.0, 4.0]})
    ours = apportion(values, "police_force", "district", "area", store=handmade_store,
                     extensive=["crimes"], intensive=["rate"]).set_index("area_code")
    source = police.merge(values, left_on="code", right_on="area_code")
    target = handmade_store.boundaries("district")
    theirs = area_interpolate(source, target, extensive_variables=["crimes"], intensive_variables=["rate"])
    theirs.index = target["code"]
    assert ours["crimes"].to_dict() == pytest.approx(theirs["crimes"].to_dict(), rel=1e-12)
    assert ours["rate"].to_dict() == pytest.approx(theirs["rate"].to_dict(), rel=1e-12)
    # and by hand: D1 gets all of F0 and three quarters of F1; its rate is the land-weighted mean
    assert ours.loc["D1", "crimes"] == pytest.approx(10 + 75)
    assert ours.loc["D1", "rate"] == pytest.approx((0.5 * 2 + 1.5 * 8) / 2)


def test_apportion_by_area_moves_a_count_by_the_land_shared(handmade_store):
    values = pd.DataFrame({"area_code": ["F0", "F1", "F2"], "crimes": [0.0, 100.0, 0.0]})
    out = apportion(values, "police_force", "district", "area", store=handmade_store, extensive=["crimes"])
    assert out.set_index("area_code")["crimes"].to_dict() == pytest.approx({"D1": 75.0, "D2": 25.0})


def test_apportion_leaves_missing_sources_out_and_reports_coverage(handmade_store):
    values = pd.DataFrame({"area_code": ["F0", "F1", "F2"], "rate": [10.0, np.nan, 30.0]})
    out = apportion(values, "police_force", "district", "area", store=handmade_store, intensive=["rate"])
    d1 = out.set_index("area_code").loc["D1"]
    assert d1["rate"] == pytest.approx(10.0)  # only F0 had a value; its half km² is a quarter of D1
    assert d1["coverage"] == pytest.approx(0.25)


def test_apportion_reuses_the_allocation_matrix(handmade_store):
    first = allocation_matrix(handmade_store, "district", "health_area", "population")
    assert allocation_matrix(handmade_store, "district", "health_area", "population") is first


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weights": "people"}, r"'weights' parameter of apportion must be one of \['population', 'area'\]; got 'people'"),
        ({"from_layer": "nonsense"}, r"'from_layer' parameter of apportion must be a layer .*got 'nonsense'"),
        ({"to_layer": "nonsense", "weights": "area"}, r"'to_layer' parameter of apportion .*boundaries.*got 'nonsense'"),
    ],
)
def test_apportion_rejects_unknown_weights_and_layers(handmade_store, kwargs, message):
    arguments = {"from_layer": "district", "to_layer": "health_area", "weights": "population", **kwargs}
    with pytest.raises(InvalidParameter, match=message):
        apportion(_district_smoking(handmade_store), store=handmade_store, **arguments)


def test_apportion_says_when_values_have_no_rows_of_the_from_layer(handmade_store):
    with pytest.raises(InvalidParameter, match="no rows for areas of the from_layer 'health_area'"):
        apportion(_district_smoking(handmade_store), "health_area", "district", store=handmade_store)


def test_the_synthetic_countrys_split_districts_are_found(default_store):
    store = open_store(default_store)
    allocation = allocation_matrix(store, "district", "health_area")
    found = set(allocation.source_codes[allocation.split_sources])
    links = store.lookups.loc[store.lookups["layer"].isin(["district", "health_area"])]
    wide = links.pivot(index="small_area_code", columns="layer", values="area_code")
    expected = set(wide.groupby("district")["health_area"].nunique().loc[lambda n: n > 1].index)
    assert found == expected and store.manifest["default_place"] in found


# -- views -----------------------------------------------------------------------------------------


def test_layer_sentence_names_the_split_in_plain_english():
    from diagnostics.sections.geographies.narrative import layer_sentence

    score = pd.Series({"layer_label": "Health area (ICB)", "relationship": "split between 2 areas"})
    rows = pd.DataFrame({"area_name": ["Health Area North", "Health Area East"], "place_share": [0.82, 0.18],
                         "area_share": [0.2, 0.05], "population": [82.0, 18.0]})
    assert layer_sentence("Radworth", score, rows) == (
        "Health area (ICB): 82% of Radworth's residents are in Health Area North; "
        "the other 18% are in Health Area East."
    )
    inside = pd.Series({"layer_label": "Region", "relationship": "inside one area"})
    assert layer_sentence("Radworth", inside, rows.head(1).assign(place_share=1.0)) == (
        "Region: all of Radworth's residents are in Health Area North, where they are 20% of its residents."
    )


def test_views_say_what_is_missing_instead_of_raising(handmade_store):
    from diagnostics.sections.geographies import page as geography_views
    from diagnostics.sections.session import start

    dx = start("C1", handmade_store, comparators="region")  # the country: every other layer nests in it
    for _heading, view in geography_views.VIEWS:
        shown = view(dx)
        assert hasattr(shown, "_repr_html_") or hasattr(shown, "data")
    example = geography_views.worked_example(dx).data
    assert "Smoking" in example  # built four ways on the hand-made store


@pytest.mark.slow
def test_the_geographies_notebook_runs_offline_with_a_toggleable_map(default_store, tmp_path):
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=default_store, out=tmp_path, notebooks=["geographies"], comparators="region")
    html = result.report.read_text()
    assert find_outside_urls(html) == []
    assert "L.control.layers" in html and "Health area (ICB)" in html
    assert "are in Sandwood Health Area" in html and "Split." in html
    assert "apportioned from district by residents" in html


def test_compare_methods_builds_an_indicator_four_ways_by_hand(handmade_store):
    table = compare_methods(handmade_store, "smoking_prevalence", "district", "health_area")
    west = table.loc[table["area_code"] == "H1"].set_index("method")
    assert list(west.index) == ["small_areas", "population", "area"]  # no health-area rows are published
    assert west.loc["small_areas", "value"] == pytest.approx(100 * (14 + 21) / (70 + 70))
    by_residents = 100 * (17 * 0.7 + 63 * 70 / 340) / 140
    assert west.loc["population", "value"] == pytest.approx(by_residents)
    assert west.loc["population", "difference"] == pytest.approx(by_residents - 25.0)
    assert west.loc["small_areas", "difference"] == 0


def test_compare_methods_for_some_areas_is_the_whole_layer_table_cut_to_them(handmade_store):
    everywhere = compare_methods(handmade_store, "smoking_prevalence", "district", "health_area")
    some = compare_methods(handmade_store, "smoking_prevalence", "district", "health_area", codes=["H1"])
    expected = everywhere.loc[everywhere["area_code"] == "H1"].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)
    some.loc[:, "value"] = -1.0  # a caller's changes never reach the next caller's table
    again = compare_methods(handmade_store, "smoking_prevalence", "district", "health_area", codes=["H1"])
    pd.testing.assert_frame_equal(again, expected)


def test_compare_methods_needs_small_area_rows(tiny_store):
    rows = tiny_store.indicator_values("smoking_prevalence")
    assert not rows.empty
    with pytest.raises(InvalidParameter, match="'indicator_id' parameter of compare_methods .* got 'nonsense'"):
        compare_methods(tiny_store, "nonsense")


# -- a store in the real layout (tests/england_files.py): no population table -----------------------------


def test_without_populations_each_small_area_counts_once_and_says_so(tiny_england_store):
    assert not tiny_england_store.has_table("population")
    pop = small_area_population(tiny_england_store)
    assert (pop == 1.0).all() and len(pop) == 8
    assert pop.attrs["basis"] == "small areas" and pop.attrs["year"] is None
    assert population_basis(tiny_england_store) == "small areas"


def test_a_district_split_between_two_icbs_is_halved_by_small_area_counts(tiny_england_store):
    # Beta's two small areas lie either side of the ICB line (tests/england_files.py)
    table = overlap_table(tiny_england_store, "E08000002", ["health_area"])
    shares = table.set_index("area_code")["place_share"]
    assert shares["E54000001"] == pytest.approx(0.5) and shares["E54000002"] == pytest.approx(0.5)
    assert table["place_population"].iloc[0] == 2  # small areas, not people


def test_geography_views_speak_of_small_areas_not_residents_on_a_real_layout_store(tiny_england_store):
    from diagnostics.sections.geographies import page as geography_views
    from diagnostics.sections.session import start

    dx = start("E08000002", tiny_england_store, comparators="region")
    shown = {heading: view(dx) for heading, view in geography_views.VIEWS}
    sentences = shown["How the place sits in each geography"].data
    assert "50% of Beta&#x27;s small areas" in sentences or "50% of Beta's small areas" in sentences
    for heading in ("How the place sits in each geography", "Coterminosity", "Overlaps, both ways"):
        markup = shown[heading].data
        before_note, note = markup.split("pd-basis")
        assert "residents" not in before_note, heading
        assert "Counted in small areas, not residents" in note and "None" not in markup and ">nan<" not in markup
    worked = shown["How much the method matters"].data
    assert "pd-notice" in worked and "small-area counts of your own" in worked and ".." not in worked
