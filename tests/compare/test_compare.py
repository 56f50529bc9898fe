import numpy as np
import pytest

from diagnostics.compare.benchmark import (
    ancestor_of_layer,
    benchmark_table,
    nearest_neighbours,
)
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.session import start
from diagnostics.stats import proportion_ci


def test_ancestor_of_layer_walks_the_main_hierarchy(tiny_store):
    assert ancestor_of_layer(tiny_store, "S3", "region") == "R1"
    assert ancestor_of_layer(tiny_store, "D4", "country") == "C1"
    assert ancestor_of_layer(tiny_store, "D4", "health_area") is None


def test_nearest_neighbours_orders_by_distance_on_the_indicators_given(tiny_store):
    # smoking: D1 14%, D2 18%, D3 30%, D4 20%; from D2 the gaps are D4 2, D1 4, D3 12 points
    table = nearest_neighbours(tiny_store, "D2", k=3, indicators={"smoking_prevalence": 1.0})
    assert list(table["code"]) == ["D4", "D1", "D3"]
    assert list(table["rank"]) == [1, 2, 3]
    sd = np.std([14, 18, 30, 20])
    assert table["distance"].tolist() == pytest.approx([2 / sd, 4 / sd, 12 / sd])
    assert table["basis"].iloc[0] == "Smoking"


def test_nearest_neighbours_k_limits_the_list(tiny_store):
    assert len(nearest_neighbours(tiny_store, "D2", k=1, indicators={"smoking_prevalence": 1.0})) == 1


def test_nearest_neighbours_refuses_a_bad_k(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'k' parameter of nearest_neighbours must be a positive integer; got 0"):
        nearest_neighbours(tiny_store, "D2", k=0)


def test_nearest_neighbours_is_empty_when_the_store_lacks_the_indicators(tiny_store):
    assert nearest_neighbours(tiny_store, "H1", indicators={"smoking_prevalence": 1.0}).empty


def test_benchmark_table_compares_the_place_with_region_country_and_comparators(tiny_store):
    table = benchmark_table(tiny_store, "D2", ["smoking_prevalence"], comparators=["D1", "D4"])
    row = table.iloc[0]
    value, lower, upper = proportion_ci(18, 100, multiplier=100)
    assert row["value"] == pytest.approx(value) and row["lower_ci"] == pytest.approx(lower)
    assert row["region_value"] == pytest.approx(16.0) and row["country_value"] == pytest.approx(20.0)
    assert row["comparators_median"] == pytest.approx(17.0)
    assert (row["comparators_min"], row["comparators_max"]) == (pytest.approx(14.0), pytest.approx(20.0))
    assert (row["rank"], row["n_ranked"]) == (2, 4)  # lower is better: D1 14 < D2 18 < D4 20 < D3 30
    assert row["vs_country"] == "similar"  # 20 lies inside (11.6 to 26.8)
    assert row["trend"] == "cannot be calculated"  # two periods, Fingertips needs five
    assert row["period"] == "2023" and row["source"] == "synthetic" and row["status"] == "ok"


def test_benchmark_table_keeps_missing_indicators_with_a_reason(tiny_store):
    table = benchmark_table(tiny_store, "D2", ["smoking_prevalence", "gva_per_head", "not_an_indicator"])
    assert list(table["status"]) == [
        "ok",
        "not available for this place in the store",
        "not available for this place in the store",
    ]


def test_session_chooses_comparators_three_ways(tiny_store):
    assert start("default", tiny_store).place.code == "D2"
    region = start("D2", tiny_store, comparators="region")
    assert region.comparator_codes == ["D1"] and region.comparator_method == "the other 1 areas of its region"
    custom = start("D2", tiny_store, comparators="dunmore, D3")
    assert custom.comparator_codes == ["D4", "D3"]
    with pytest.raises(InvalidParameter, match=r"'Dunmoor' is not a place of this store \(did you mean Dunmore \(D4\)\?\)"):
        start("D2", tiny_store, comparators="Dunmoor")
    with pytest.raises(InvalidParameter, match="'comparators' parameter must be"):
        start("D2", tiny_store, comparators=" , ")


def test_nearest_neighbours_can_search_another_layer(tiny_store):
    table = nearest_neighbours(tiny_store, "S4", k=2, indicators={"smoking_prevalence": 1.0}, layer="district")
    # S4 has 14% smokers: D1 (14%) then D2 (18%)
    assert list(table["code"]) == ["D1", "D2"] and table["distance"].iloc[0] == pytest.approx(0)


def test_nearest_neighbours_refuses_an_unknown_layer(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'layer' parameter of nearest_neighbours must be one of"):
        nearest_neighbours(tiny_store, "D2", layer="parish")


def test_sibling_areas_are_those_under_the_nearest_ancestor_holding_enough(tiny_store):
    from diagnostics.compare.benchmark import sibling_areas

    assert sibling_areas(tiny_store, "D2", min_count=2) == (["D1", "D2"], "R1")
    assert sibling_areas(tiny_store, "D2", min_count=3) == (["D1", "D2", "D3", "D4"], "C1")
    assert sibling_areas(tiny_store, "S3", min_count=3) == (["S1", "S2", "S3", "S4"], "R1")
    assert sibling_areas(tiny_store, "H1", min_count=5) == (["H1", "H2"], None)


def test_sibling_areas_within_a_named_ancestor(tiny_store):
    from diagnostics.compare.benchmark import sibling_areas

    assert sibling_areas(tiny_store, "D3", min_count=1, within="R2") == (["D3", "D4"], "R2")


# -- the default similarity variables, and their stand-ins on real England ---------------------------


def test_the_default_neighbours_of_a_synthetic_place_are_the_documented_formula_on_all_six_variables(small_store):
    """Worked independently: z-scores across the layer (logs of population and GVA per head), weighted
    Euclidean distance; every default variable is used and nothing stands in for one."""
    from diagnostics.compare.benchmark import NEIGHBOUR_INDICATORS, latest_values
    from diagnostics.store.store import open_store

    store = open_store(small_store)
    dx = start("default", store)
    place = dx.place.code
    table = nearest_neighbours(store, place)
    assert table.attrs["indicators"] == dict(NEIGHBOUR_INDICATORS) and table.attrs["stand_ins"] == {}
    assert table["basis"].iloc[0] == "Population, Aged 65+, Working age, Deprivation, GVA per head, Employment rate"
    codes = list(store.areas_in_layer(dx.place.layer)["code"])
    wide = latest_values(store, NEIGHBOUR_INDICATORS, codes).pivot(index="area_code", columns="indicator_id", values="value")
    wide = wide[list(NEIGHBOUR_INDICATORS)].dropna()
    for column in ("population_total", "gva_per_head"):
        wide[column] = np.log(wide[column])
    z = (wide - wide.mean()) / wide.std(ddof=0)
    weights = np.array(list(NEIGHBOUR_INDICATORS.values()))
    distance = np.sqrt((((z - z.loc[place]) ** 2) * weights).sum(axis=1)).drop(index=place)
    expected = distance.reset_index().sort_values([0, "area_code"]).head(15)
    assert list(table["code"]) == list(expected["area_code"])
    assert table["distance"].tolist() == pytest.approx(expected[0].tolist())


def test_on_real_england_a_missing_variable_is_replaced_by_its_first_stand_in_with_values(tiny_england_store):
    from helpers import england_files as ef

    table = nearest_neighbours(tiny_england_store, "E08000001")
    stand_ins = table.attrs["stand_ins"]
    assert stand_ins["deprivation_score"] == "deprivation_imd_average_rank"
    assert stand_ins["population_aged_65_plus"] == "population_aged_60_plus_share"
    assert stand_ins["working_age_share"] == "population_aged_0_15_share"
    assert stand_ins["gva_per_head"] == "gva_per_hour"  # GDP per head is published for Alpha alone
    assert "employment_rate" not in table.attrs["indicators"]  # two districts only: left out
    assert "Index of Multiple Deprivation average rank" in table["basis"].iloc[0]
    # one stand-in alone, worked by hand: |average rank of Alpha - of each| / SD across the four districts
    ranks = ef.EXPECTED_IMD_AVERAGE_RANK
    one = nearest_neighbours(tiny_england_store, "E08000001", indicators={"deprivation_score": 1.0})
    sd = np.std(list(ranks.values()))
    expected = sorted((abs(ranks["E08000001"] - v) / sd, c) for c, v in ranks.items() if c != "E08000001")
    assert list(one["code"]) == [c for _, c in expected]
    assert one["distance"].tolist() == pytest.approx([d for d, _ in expected])
