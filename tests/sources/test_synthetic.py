"""The embedded synthetic country: geography, demography, health indicators and the orchestrator."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.sources.synthetic import build_synthetic, default_store_path
from diagnostics.stats import life_expectancy_table
from diagnostics.store.schema import TABLE_SCHEMAS
from diagnostics.store.store import Store


def _open(path) -> Store:
    store = Store(path)
    # Store.boundaries() holds the store's (non-reentrant) lock while it reads ``areas``: read the
    # areas first so that the first boundaries() call does not wait on itself.
    store.areas
    return store


@pytest.fixture(scope="module")
def small(small_store):
    return _open(small_store)


@pytest.fixture(scope="module")
def default(default_store):
    return _open(default_store)


def _layer_lookup(store: Store, layer: str) -> pd.Series:
    lk = store.lookups
    return lk.loc[lk["layer"] == layer].set_index("small_area_code")["area_code"]


# -- the store ------------------------------------------------------------------------------------
def test_the_store_passes_validation_and_every_table_reads(small):
    for name in TABLE_SCHEMAS:
        if small.has_table(name):
            assert len(small.table(name)) > 0
    for layer in small.boundary_layers():
        assert len(small.boundaries(layer)) > 0
    assert small.is_synthetic
    for name in ("areas", "lookups", "population", "deaths", "indicators", "catalogue"):
        table = small.table(name)
        assert set(table["source"].astype(str)) == {"synthetic"}
        assert set(table["vintage"].astype(str)) == {"synthetic"}


def test_the_manifest_records_scale_seed_default_place_and_country_name(small):
    manifest = json.loads((small.path / "store.json").read_text())
    assert manifest["scale"] == "small" and manifest["seed"] == 42
    assert manifest["country_name"] == "Mercland"
    assert manifest["default_place"] in set(small.areas_in_layer("district")["code"])


def test_the_catalogue_lists_only_indicators_that_were_produced(small):
    assert set(small.catalogue["indicator_id"]) == set(small.indicators["indicator_id"].unique())


def test_an_unknown_scale_is_refused_naming_the_allowed_values(tmp_path):
    with pytest.raises(InvalidParameter, match=r"The 'scale' parameter of build_synthetic must be one of \['default', 'england', 'small'\]; got 'huge'"):
        build_synthetic(tmp_path / "x", scale="huge")


def test_a_negative_seed_is_refused(tmp_path):
    with pytest.raises(InvalidParameter, match="The 'seed' parameter of build_synthetic must be a non-negative integer; got -1"):
        build_synthetic(tmp_path / "x", scale="small", seed=-1)


def test_the_default_store_path_names_scale_and_seed():
    assert default_store_path("small", 7).name == "synthetic-small-seed7"


# -- geography ------------------------------------------------------------------------------------
def test_small_area_populations_sum_to_district_totals(small):
    pop = small.population
    district = _layer_lookup(small, "district")
    by_district = (
        pop.assign(district=pop["area_code"].map(district)).groupby(["district", "year"])["population"].sum()
    )
    ind = small.indicator_values("population_total", small.areas_in_layer("district")["code"])
    published = ind.set_index(["area_code", "year"])["value"]
    assert len(published) == len(by_district)
    pd.testing.assert_series_equal(
        by_district.sort_index().astype(float), published.rename_axis(["district", "year"]).sort_index(), check_names=False
    )


def test_each_small_area_lies_in_exactly_one_district(small):
    lk = small.lookups
    links = lk.loc[lk["layer"] == "district"]
    assert links["small_area_code"].is_unique
    assert (links["weight"] == 1.0).all()
    assert set(links["small_area_code"]) == set(small.areas_in_layer("small_area")["code"])
    points = small.boundaries("small_area").set_index("code").geometry.representative_point()
    districts = small.boundaries("district").set_index("code").geometry
    inside = [districts[links.set_index("small_area_code")["area_code"][code]].contains(point) for code, point in points.items()]
    assert all(inside)


def test_every_layer_covers_the_country_without_gaps_or_overlaps(small):
    country = small.boundaries("country").geometry.iloc[0]
    for layer in small.boundary_layers():
        geoms = small.boundaries(layer).geometry
        union = geoms.union_all()
        assert union.area == pytest.approx(country.area, rel=1e-6), layer
        assert geoms.area.sum() == pytest.approx(union.area, rel=1e-6), layer
        assert union.symmetric_difference(country).area < 1e-6 * country.area, layer


def test_every_layer_has_a_lookup_for_every_small_area_and_unique_names(small):
    n = len(small.areas_in_layer("small_area"))
    for layer in small.layers:
        if layer == "small_area":
            continue
        assert _layer_lookup(small, layer).index.is_unique and len(_layer_lookup(small, layer)) == n, layer
        assert small.areas_in_layer(layer)["name"].is_unique, layer


def test_nested_layers_chain_up_to_one_country(small):
    parents = small.areas.set_index("code")["parent_code"]
    for code in small.areas_in_layer("small_area")["code"].head(20):
        chain = small.ancestors(code)
        layers = small.areas.set_index("code").loc[chain, "layer"].tolist()
        assert layers == ["neighbourhood", "district", "county", "region", "country"]
    assert parents[small.areas_in_layer("country")["code"].iloc[0]] is None or pd.isna(parents[small.areas_in_layer("country")["code"].iloc[0]])


def _districts_split_by(store: Store, layer: str) -> pd.Series:
    district = _layer_lookup(store, "district")
    other = _layer_lookup(store, layer)
    return pd.DataFrame({"d": district, "o": other.loc[district.index]}).groupby("d")["o"].nunique()


def test_at_least_two_districts_are_split_between_health_areas_including_the_default_place(small):
    split = _districts_split_by(small, "health_area")
    assert (split >= 2).sum() >= 2
    manifest = json.loads((small.path / "store.json").read_text())
    assert split[manifest["default_place"]] >= 2


def test_travel_to_work_areas_cross_district_lines(small):
    assert (_districts_split_by(small, "ttwa") >= 2).any()


def test_police_forces_do_not_match_counties(small):
    county = _layer_lookup(small, "county")
    police = _layer_lookup(small, "police_force").loc[county.index]
    pairs = pd.DataFrame({"c": county, "p": police})
    assert (pairs.groupby("c")["p"].nunique() > 1).any() or (pairs.groupby("p")["c"].nunique() > 1).any()
    assert not (pairs.groupby("c")["p"].nunique() == 1).all() or not (pairs.groupby("p")["c"].nunique() == 1).all()


def test_deprivation_rank_one_is_the_highest_score(small):
    dep = small.indicator_values("deprivation_score", small.areas_in_layer("small_area")["code"])
    assert dep["value"].between(0, 95).all()
    assert dep["value"].median() == pytest.approx(16.9, abs=1.5)


# -- demography -----------------------------------------------------------------------------------
def test_deaths_never_exceed_population(small):
    merged = small.population.merge(small.deaths, on=["area_code", "year", "sex", "age_band"])
    assert len(merged) == len(small.population)
    assert (merged["deaths"] <= merged["population"]).all()


def test_older_residents_are_a_larger_share_where_deprivation_is_lower(default):
    share = default.indicator_values("population_aged_65_plus", default.areas_in_layer("small_area")["code"])
    dep = default.indicator_values("deprivation_score", default.areas_in_layer("small_area")["code"]).set_index("area_code")["value"]
    latest = share.loc[share["year"] == 2019].set_index("area_code")["value"]
    decile = pd.qcut(dep.loc[latest.index], 10, labels=False)
    by_decile = latest.groupby(decile).mean()
    assert by_decile.iloc[0] > by_decile.iloc[-1] + 3  # least deprived decile first


def _life_expectancy(store: Store, group: pd.Series, years=(2017, 2018, 2019)) -> pd.DataFrame:
    """Life expectancy at birth (Chiang II, diagnostics.stats) by group and sex, 3 pooled years."""
    keys = ["group", "sex", "age_band"]
    pop = store.population.loc[store.population["year"].isin(years)]
    deaths = store.deaths.loc[store.deaths["year"].isin(years)]
    p = pop.assign(group=pop["area_code"].map(group)).groupby(keys, observed=True)["population"].sum()
    d = deaths.assign(group=deaths["area_code"].map(group)).groupby(keys, observed=True)["deaths"].sum()
    long = pd.concat([p, d], axis=1).reset_index()
    table = life_expectancy_table(long, by=["group", "sex"])
    at_birth = table.loc[table["start_age"] == 0]
    return at_birth.pivot(index="group", columns="sex", values="value")


def test_district_life_expectancy_is_in_english_ranges(default):
    le = _life_expectancy(default, _layer_lookup(default, "district"))
    assert le["M"].between(74, 87).all() and le["F"].between(74, 89).all()
    assert 78.5 < le["M"].median() < 81 and 82 < le["F"].median() < 85
    assert (le["F"] > le["M"]).mean() > 0.9


def test_life_expectancy_falls_with_deprivation_by_about_nine_years_for_men(default):
    dep = default.indicator_values("deprivation_score", default.areas_in_layer("small_area")["code"]).set_index("area_code")["value"]
    decile = pd.qcut(dep, 10, labels=False)  # 0 = least deprived
    le = _life_expectancy(default, decile)
    assert le["M"].is_monotonic_decreasing or (np.diff(le["M"].to_numpy()) < 0.6).all()
    assert 8 <= le.loc[0, "M"] - le.loc[9, "M"] <= 10.5
    assert 6 <= le.loc[0, "F"] - le.loc[9, "F"] <= 9


# -- health indicators ----------------------------------------------------------------------------
def test_district_health_indicators_are_in_english_ranges(default):
    districts = default.areas_in_layer("district")["code"]
    ranges = {
        "smoking_prevalence": (2, 35),
        "obesity_prevalence": (8, 50),
        "physical_inactivity": (8, 40),
        "diabetes_prevalence": (3, 13),
        "depression_prevalence": (4, 22),
        "emergency_admissions": (5000, 18000),
        "bad_health": (2, 11),
        "healthy_life_expectancy_female": (48, 75),
        "healthy_life_expectancy_male": (48, 75),
    }
    ind = default.indicator_values(list(ranges), districts)
    for indicator, (low, high) in ranges.items():
        values = ind.loc[ind["indicator_id"] == indicator, "value"]
        assert len(values) > 0, indicator
        assert values.between(low, high).all(), (indicator, values.min(), values.max())


def test_smoking_is_commoner_in_more_deprived_districts(default):
    districts = default.areas_in_layer("district")["code"]
    smoking = default.indicator_values("smoking_prevalence", districts)
    smoking = smoking.loc[smoking["year"] == 2019].set_index("area_code")["value"]
    dep = default.indicator_values("deprivation_score", districts).set_index("area_code")["value"]
    assert smoking.corr(dep.loc[smoking.index], method="spearman") > 0.4


def test_healthy_life_expectancy_is_a_ready_made_three_year_estimate(small):
    hle = small.indicator_values("healthy_life_expectancy_male", small.areas_in_layer("district")["code"])
    row = hle.loc[hle["period"] == "2020-22"].iloc[0]
    assert row["year"] == 2022 and pd.isna(row["numerator"]) and row["note"] == "ready-made estimate"
    assert row["lower_ci"] < row["value"] < row["upper_ci"]


def test_indicators_reach_every_layer(small):
    ind = small.indicator_values("smoking_prevalence")
    covered = small.areas.loc[small.areas["code"].isin(ind["area_code"]), "layer"].unique()
    assert set(covered) == set(small.layers)


# -- determinism ----------------------------------------------------------------------------------
def _tables(path):
    files = sorted(p for p in path.rglob("*.parquet"))
    return {str(p.relative_to(path)): pd.read_parquet(p) for p in files}


def test_a_seed_always_builds_the_same_country_and_another_seed_a_different_one(tmp_path):
    a = _tables(build_synthetic(tmp_path / "a", scale="small", seed=7))
    b = _tables(build_synthetic(tmp_path / "b", scale="small", seed=7))
    c = _tables(build_synthetic(tmp_path / "c", scale="small", seed=8))
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert not a["population.parquet"].equals(c["population.parquet"])
    assert not a["boundaries/district.parquet"].equals(c["boundaries/district.parquet"])


def test_the_default_store_is_rebuilt_when_the_generator_changes(tmp_path, monkeypatch):
    import diagnostics.sources.synthetic as synthetic

    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    built = []
    monkeypatch.setattr(synthetic, "build_synthetic", lambda path, allow_fewer=False: built.append(path) or _fake_store(path, "old"))
    path = synthetic.ensure_default_store()
    assert built == [path]  # nothing there: built
    monkeypatch.setattr(synthetic, "generator_digest", lambda: "old")
    assert synthetic.ensure_default_store() == path and len(built) == 1  # same code: reused
    monkeypatch.setattr(synthetic, "generator_digest", lambda: "new")
    synthetic.ensure_default_store()
    assert len(built) == 2  # other code: rebuilt


def _fake_store(path, generator):
    path.mkdir(parents=True, exist_ok=True)
    (path / "store.json").write_text(json.dumps({"generator": generator}))
    return path
