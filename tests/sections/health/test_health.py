"""The health analysis and its views: life tables, suppression, deprivation deciles, stores without deaths.

Most tests use a hand-made "gradient" store whose answers are known by construction: district D1 has
20 small areas whose death rates rise with their deprivation score (so life expectancy falls with
deprivation), D2 has only 3 small areas (too few for deciles), and D3 one small area of 3 people a
band (too small for PHE to publish life expectancy or a standardised rate).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from diagnostics import cache
from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.conventions import AGE_BAND_STARTS, AGE_BANDS
from diagnostics.sections.health import analysis as health
from diagnostics.sections.health import inequality, mortality
from diagnostics.sections.health import page as health_views
from diagnostics.sections.session import start
from diagnostics.store.catalogue import committed_catalogue
from diagnostics.store.store import open_store, write_store

SRC = {"source": "synthetic", "vintage": "synthetic"}
YEARS = (2019, 2020, 2021, 2022, 2023)
# small area -> (district, health area, deprivation score, people per band, sex and year)
SMALL_AREAS = {
    **{f"S{i:02d}": ("D1", "H1" if i <= 12 else "H2", float(i), 200) for i in range(1, 21)},
    "S21": ("D2", "H2", 5.0, 200),
    "S22": ("D2", "H2", 10.0, 200),
    "S23": ("D2", "H2", 15.0, 200),
    "S24": ("D3", "H2", 10.0, 3),
}
AREAS = [
    ("C1", "Gradland", "country", None),
    ("R1", "Only Region", "region", "C1"),
    ("D1", "Slopeford", "district", "R1"),
    ("D2", "Fewton", "district", "R1"),
    ("D3", "Tinyham", "district", "R1"),
    ("H1", "Health Area One", "health_area", "C1"),
    ("H2", "Health Area Two", "health_area", "C1"),
] + [(code, f"Small area {code}", "small_area", district) for code, (district, *_rest) in SMALL_AREAS.items()]


def death_rate(age_start: int, score: float) -> float:
    """A Gompertz-like death rate that rises with deprivation: the known gradient."""
    return min(0.6, 0.0004 * np.exp(0.085 * age_start) * (0.55 + 0.045 * score))


def gradient_tables(with_deaths: bool = True):
    areas = pd.DataFrame(AREAS, columns=["code", "name", "layer", "parent_code"]).assign(**SRC)
    codes = list(SMALL_AREAS)
    squares = gpd.GeoDataFrame(
        {"code": codes, "name": [f"Small area {c}" for c in codes]},
        geometry=[box((i % 6) * 1000, (i // 6) * 1000, (i % 6 + 1) * 1000, (i // 6 + 1) * 1000) for i in range(len(codes))],
        crs="EPSG:27700",
    )
    layers = {
        "district": {c: v[0] for c, v in SMALL_AREAS.items()},
        "health_area": {c: v[1] for c, v in SMALL_AREAS.items()},
        "region": dict.fromkeys(codes, "R1"),
        "country": dict.fromkeys(codes, "C1"),
    }
    names = dict(zip(areas["code"], areas["name"]))
    boundaries = {"small_area": squares}
    lookups = []
    for layer, mapping in layers.items():
        frame = squares.assign(target=squares["code"].map(mapping))
        dissolved = frame.dissolve(by="target").reset_index()[["target", "geometry"]].rename(columns={"target": "code"})
        dissolved["name"] = dissolved["code"].map(names)
        boundaries[layer] = dissolved[["code", "name", "geometry"]]
        lookups.append(pd.DataFrame({"small_area_code": codes, "layer": layer, "area_code": [mapping[c] for c in codes]}))
    lookups = pd.concat(lookups, ignore_index=True).assign(weight=1.0, **SRC)
    rows = [(c, y, s, b, v[3]) for c, v in SMALL_AREAS.items() for y in YEARS for s in ("F", "M") for b in AGE_BANDS]
    population = pd.DataFrame(rows, columns=["area_code", "year", "sex", "age_band", "population"]).assign(**SRC)
    start_of = dict(zip(AGE_BANDS, AGE_BAND_STARTS))
    score = population["area_code"].map({c: v[2] for c, v in SMALL_AREAS.items()})
    rate = [death_rate(start_of[b], s) * (1.1 if sex == "M" else 1.0)
            for b, s, sex in zip(population["age_band"], score, population["sex"])]
    deaths = population.drop(columns="population").assign(deaths=np.round(population["population"] * np.array(rate)).astype(int))
    catalogue = committed_catalogue().drop(columns=["real_source"]).assign(**SRC)
    indicators = pd.DataFrame(
        {
            "indicator_id": "deprivation_score", "area_code": codes, "period": "2019", "year": 2019,
            "value": [v[2] for v in SMALL_AREAS.values()], "numerator": np.nan, "denominator": np.nan,
            "lower_ci": np.nan, "upper_ci": np.nan, "confidence": np.nan, "note": None,
        }
    ).assign(**SRC)
    tables = {"areas": areas, "lookups": lookups, "population": population, "indicators": indicators,
              "catalogue": catalogue}
    if with_deaths:
        tables["deaths"] = deaths
    return tables, boundaries


@pytest.fixture(scope="module")
def gradient_store(tmp_path_factory):
    tables, boundaries = gradient_tables()
    path = write_store(tmp_path_factory.mktemp("stores") / "gradient", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: a hand-made test store.",
                       extra={"default_place": "D1"})
    return open_store(path)


# -- life tables and rates ---------------------------------------------------------------------------

PHE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820,
            37978, 37039, 33288, 23306, 11936, 11936]
PHE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]


def test_measures_reproduce_the_phe_life_expectancy_worked_example_for_both_sexes():
    # PHE's Life Expectancy Calculator: 80.1696 (79.8827 to 80.4565) at birth for this table
    deaths = np.array([[[PHE_DEATHS, PHE_DEATHS]]], dtype=float)
    pops = np.array([[[PHE_POPS, PHE_POPS]]], dtype=float)
    out = mortality.measure_frame(deaths, pops, ["A"], ["2020-22"], [2022]).set_index("indicator_id")
    for sex in ("female", "male"):
        row = out.loc[f"life_expectancy_birth_{sex}"]
        assert [round(float(row[c]), 4) for c in ("value", "lower_ci", "upper_ci")] == [80.1696, 79.8827, 80.4565]
    assert out.loc["under75_mortality", "numerator"] == 2 * sum(PHE_DEATHS[:16])


def test_pooled_periods_sum_three_consecutive_years():
    array = np.arange(5, dtype=float).reshape(1, 5, 1, 1) + 1  # 1..5
    pooled = mortality._pool(array, 3)
    assert pooled.ravel().tolist() == [6.0, 9.0, 12.0]
    assert mortality.period_labels(np.array([2019, 2020, 2021, 2022, 2023]), 3) == ["2019-21", "2020-22", "2021-23"]


def test_layer_counts_equal_aggregate_small_areas(gradient_store):
    from diagnostics.geography.lookups import aggregate_small_areas

    counts = mortality.layer_counts(gradient_store, "health_area")
    expected = aggregate_small_areas(gradient_store, gradient_store.deaths, "health_area", ["deaths"], by=["year", "sex"])
    expected = expected.groupby(["area_code", "year", "sex"])["deaths"].sum()
    h2 = counts.index_of("H2")
    got = counts.deaths[h2, YEARS.index(2023), 1].sum()
    assert got == expected[("H2", 2023, "M")]
    assert counts.population.sum() == gradient_store.population["population"].sum()


def test_counts_do_not_depend_on_the_tables_row_order(gradient_store):
    counts = mortality.small_area_counts(gradient_store)
    shuffled = gradient_store.deaths.sample(frac=1, random_state=7)
    flat = mortality._cell_index(shuffled, pd.Index(counts.codes), counts.years)
    cube = mortality._cube(shuffled["deaths"].to_numpy(), flat, counts.deaths.size).reshape(counts.deaths.shape)
    assert np.array_equal(cube, counts.deaths)
    assert counts.deaths.sum() == gradient_store.deaths["deaths"].sum()


def test_mortality_measures_cover_every_area_period_and_measure(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    assert set(m["indicator_id"]) == set(mortality.MEASURE_IDS)
    assert set(m["period"]) == {"2019-21", "2020-22", "2021-23"}
    assert len(m) == 3 * 3 * len(mortality.MEASURE_IDS)
    d1 = m.loc[(m["area_code"] == "D1") & (m["period"] == "2021-23")].set_index("indicator_id")
    # men die at 1.1 times women's rates here, so they live shorter lives
    assert d1.loc["life_expectancy_birth_male", "value"] < d1.loc["life_expectancy_birth_female", "value"]
    assert d1.loc["life_expectancy_65_female", "value"] < d1.loc["life_expectancy_birth_female", "value"]
    assert (m["lower_ci"].dropna() <= m.loc[m["lower_ci"].notna(), "value"]).all()


# -- suppression ---------------------------------------------------------------------------------------


def test_life_expectancy_is_withheld_with_phes_reason_where_person_years_are_5000_or_fewer(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    d3 = m.loc[(m["area_code"] == "D3") & m["indicator_id"].str.startswith("life_expectancy")]
    assert d3["value"].isna().all()
    assert d3["note"].str.contains("total population <= 5,000").all()


def test_standardised_rate_is_withheld_below_10_deaths_and_never_shown_as_zero(gradient_store):
    m = mortality.mortality_measures(gradient_store, "district")
    d3 = m.loc[(m["area_code"] == "D3") & (m["indicator_id"] == "under75_mortality")]
    assert (d3["numerator"] < 10).all()
    assert d3["value"].isna().all() and d3["note"].str.contains("total count < 10").all()


def test_headline_says_why_a_withheld_value_is_missing(gradient_store):
    table = health.health_headline(gradient_store, "D3", ["D1", "D2"]).set_index("indicator_id")
    assert table.loc["life_expectancy_birth_female", "status"] == "not calculated: total population <= 5,000"
    assert pd.isna(table.loc["life_expectancy_birth_female", "value"])
    assert "total count < 10" in table.loc["under75_mortality", "status"]


def test_headline_compares_with_country_and_region_and_carries_the_benchmark_columns(gradient_store):
    table = health.health_headline(gradient_store, "D1", ["D2", "D3"])
    assert list(table.columns[: len(BENCHMARK_COLUMNS)]) == BENCHMARK_COLUMNS
    le = table.set_index("indicator_id").loc["life_expectancy_birth_female"]
    assert le["status"] == "ok" and le["period"] == "2021-23"
    assert le["lower_ci"] < le["value"] < le["upper_ci"]
    assert le["vs_country"] in ("better", "similar", "worse") and le["vs_region"] in ("better", "similar", "worse")
    assert le["n_ranked"] == 2  # D3 has no value to rank
    # the trend needs five single years: 2019-2023 are there
    assert le["trend"] != "cannot be calculated"


# -- inequality ------------------------------------------------------------------------------------


def test_local_deciles_put_the_most_deprived_small_areas_in_decile_1(gradient_store):
    groups = inequality.deprivation_groups(gradient_store, "district", 10)
    d1 = groups.loc[groups["area_code"] == "D1"].set_index("small_area_code")["group"]
    assert d1.value_counts().sort_index().tolist() == [2] * 10  # equal populations: two small areas each
    assert set(d1[d1 == 1].index) == {"S19", "S20"} and set(d1[d1 == 10].index) == {"S01", "S02"}


def test_sii_and_gap_recover_the_known_gradient(gradient_store):
    result = inequality.inequality_summary(gradient_store, "D1", ["D2"])
    assert result["available"] and result["n"] == 10 and result["groups_name"] == "decile"
    le = result["table"].loc[result["table"]["indicator_id"] == "life_expectancy_birth_female"].sort_values("group")
    assert le["value"].is_monotonic_increasing  # death rates fall with every decile by construction
    s = result["sii"].set_index("indicator_id")
    gap = s.loc["life_expectancy_birth_female", "gap"]
    assert gap == pytest.approx(le["value"].iloc[-1] - le["value"].iloc[0])
    assert gap > 2
    assert 0 < s.loc["life_expectancy_birth_female", "sii_lower_ci"] < s.loc["life_expectancy_birth_female", "sii"]
    assert s.loc["under75_mortality", "sii"] < 0 and s.loc["under75_mortality", "sii_upper_ci"] < 0
    # the SII spans the whole population, so it is wider than the gap between the end deciles' midpoints
    assert s.loc["life_expectancy_birth_female", "sii"] > gap


def test_a_place_with_too_few_small_areas_gets_a_reason_not_deciles(gradient_store):
    result = inequality.inequality_summary(gradient_store, "D2")
    assert not result["available"]
    assert "Fewton has 3 small areas" in result["reason"] and "deciles" in result["reason"]
    shown = health_views.inequality_view(start("D2", gradient_store, comparators="region"))
    assert "pd-notice" in shown.data and "too few" in shown.data


# -- findings, neighbours and boundaries -----------------------------------------------------------


def test_findings_only_call_significant_differences_significant():
    headline = pd.DataFrame(
        {
            "indicator_id": ["life_expectancy_birth_female", "life_expectancy_birth_male", "under75_mortality"],
            "name": ["LE F", "LE M", "U75"], "unit": ["years", "years", "per 100 000"], "decimals": [1, 1, 0],
            "period": ["2021-23"] * 3, "value": [80.0, 76.2, 400.0], "country_value": [81.0, 78.3, 350.0],
            "vs_country": ["similar", "worse", "worse"], "status": ["ok"] * 3, "trend": ["no significant change"] * 3,
        }
    )
    sii = pd.DataFrame({"indicator_id": ["life_expectancy_birth_male"], "gap": [9.4]})
    gaps = pd.DataFrame({"indicator_id": ["life_expectancy_birth_male"] * 15, "gap": [5.0] * 12 + [10.0] * 3})
    found = health.findings(headline, {"available": True, "sii": sii, "comparator_gaps": gaps, "groups_name": "decile"},
                            "Slopeford", "England")
    texts = [f["text"] for f in found]
    assert "1.0 years below England's 81.0: not significantly different from England." in texts[0]
    assert ("Life expectancy at birth for men is 76.2 years (2021-23), 2.1 years below England's 78.3: significantly "
            "lower than England. The gap between the most and least deprived tenths of Slopeford is 9.4 years, wider "
            "than in 12 of 15 similar places.") == texts[1]
    assert "significantly higher (worse) than England's 350" in texts[2]
    assert all(f["see"] for f in found)


def test_similar_places_rank_the_place_among_its_comparators(gradient_store):
    table = health.similar_places(gradient_store, "D1", ["D2", "D3"])
    le = table.loc[table["indicator_id"] == "life_expectancy_birth_female"]
    assert le["area_code"].tolist() == ["D1", "D2", "D3"] and le["is_place"].tolist() == [True, False, False]
    assert le["n_among"].iloc[0] == 2  # D3's value is withheld


def test_health_areas_the_place_overlaps_carry_population_shares_and_measures(gradient_store):
    overlaps = health.health_area_overlaps(gradient_store, "D1")
    assert overlaps["area_code"].tolist() == ["H1", "H2"]
    assert overlaps["place_share"].tolist() == pytest.approx([12 / 20, 8 / 20])
    assert overlaps.loc[0, "area_share"] == pytest.approx(1.0)
    table = health.health_area_comparison(gradient_store, "D1")
    assert set(table["indicator_id"]) >= set(mortality.MEASURE_IDS)


def test_cache_is_per_store_version(gradient_store):
    first = mortality.mortality_measures(gradient_store, "district")
    assert mortality.mortality_measures(gradient_store, "district") is first
    cache.clear()
    assert mortality.mortality_measures(gradient_store, "district") is not first


# -- views ------------------------------------------------------------------------------------------


def test_every_view_renders_on_the_gradient_store(gradient_store):
    dx = start("D1", gradient_store, comparators="region")
    for heading, view in health_views.VIEWS:
        shown = view(dx)
        assert "SYNTHETIC DATA" in shown.data or heading == "Findings" or "pd-notice" in shown.data, heading
    assert list(health_views.headline(dx).columns) == BENCHMARK_COLUMNS


def test_headline_for_the_summary_has_the_five_computed_measures(gradient_store):
    from diagnostics.sections.registry import section

    table = section("health").headline(start("D1", gradient_store, comparators="region"))
    assert table["indicator_id"].tolist() == list(health.HEADLINE_MEASURE_IDS)
    assert (table["status"] == "ok").all()


def test_under75_ratios_of_all_districts_add_up_to_the_countrys_deaths(gradient_store):
    # expected deaths use the country's own rates, so over the whole country they equal the observed
    smr = health.under75_smr(gradient_store, "district")
    assert smr["expected"].sum() == pytest.approx(smr["observed"].sum())
    funnel = health.funnel_data(gradient_store, "district", "under75_mortality")
    assert funnel["benchmark"] == 100.0 and funnel["kind"] == "ratio"
    assert set(funnel["points"]["significance"]) <= {"within", "above 95", "above 99.8", "below 95", "below 99.8"}


def test_a_store_without_deaths_renders_every_view_with_notices(tiny_store):
    assert not tiny_store.has_table("deaths")
    dx = start("D2", tiny_store, comparators="region")
    table = health_views.headline(dx)
    assert table["status"].str.contains("no deaths table").all() and table["value"].isna().all()
    shown = {heading: view(dx).data for heading, view in health_views.VIEWS}
    assert "cannot be computed" in shown["Findings"]
    assert "Not shown" in shown["Headline health"] and "no deaths" in shown["Headline health"]
    assert "pd-notice" in shown["Inequality within the place"] and "no deaths" in shown["Inequality within the place"]
    assert "pd-notice" in shown["Small-area health map"]
    # the prevalence indicator the store does have is still shown, with its interval
    assert "Smoking prevalence" in shown["Headline health"]


# -- the notebook, end to end -------------------------------------------------------------------------


@pytest.mark.slow
def test_health_notebook_runs_end_to_end_into_an_offline_report(small_store, tmp_path):
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["health"])
    assert [p.name for p in result.notebooks] == ["40_health.ipynb"]
    page = result.report.read_text()
    for heading, _view in health_views.VIEWS:
        assert heading in page
    assert "SYNTHETIC DATA" in page and "Life expectancy at birth (female)" in page and "<svg" in page
    assert find_outside_urls(page) == []


@pytest.mark.slow
def test_health_notebook_runs_on_a_store_without_deaths(tiny_store_path, tmp_path):
    from diagnostics.outputs.run import run_place

    result = run_place("default", store=tiny_store_path, out=tmp_path, notebooks=["health"])
    page = result.report.read_text()
    assert "no deaths table" in page and "Smoking prevalence" in page


@pytest.mark.parametrize("place", ["D2", "D3", "S24", "H2", "R1", "C1"])
def test_every_view_renders_for_places_of_every_size_and_layer(gradient_store, place):
    dx = start(place, gradient_store, comparators="region")
    for heading, view in health_views.VIEWS:
        assert view(dx).data, heading


# -- a store in the real layout (tests/england_files.py): ready-made figures, the deprivation profile ------


def test_deprivation_profile_reads_the_imported_mhclg_summaries(tiny_england_store):
    from helpers import england_files as ef

    table = health.deprivation_profile(tiny_england_store, "E08000001").set_index("domain")
    assert list(table.index) == list(health.DEPRIVATION_DOMAINS)
    imd = table.loc["imd"]
    assert imd["average_rank"] == pytest.approx(ef.EXPECTED_IMD_AVERAGE_RANK["E08000001"])
    assert imd["most_deprived_10pct"] == pytest.approx(ef.EXPECTED_IMD_SHARE["E08000001"])
    assert imd["rank_of_average_rank"] == ef.EXPECTED_RANK_OF_AVERAGE_RANK["E08000001"] and imd["n_ranked"] == 4
    assert np.isnan(imd["average_score"]) and not imd["computed_here"]  # File 2 carries ranks only
    assert imd["period"] == "2019" and "Indices of Deprivation 2019" in imd["source"]


def test_deprivation_profile_is_computed_from_small_area_scores_when_the_store_has_none(gradient_store):
    # by hand: D1 holds scores 1..20 (mean 10.5) and the two most deprived of the 24 small areas (the
    # most deprived 10% nationally: ranks 1 and 2, scores 20 and 19); D2 holds 5, 10, 15 (mean 10) and
    # D3 one area of 10, all with equal populations per area, so D2 and D3 tie at rank 2 of 3.
    table = health.deprivation_profile(gradient_store, "D2")
    assert list(table["domain"]) == ["imd"] and table["computed_here"].all()
    row = table.iloc[0]
    assert row["average_score"] == pytest.approx(10.0)
    assert row["most_deprived_10pct"] == 0.0
    assert (row["rank_of_average_score"], row["n_ranked"]) == (2, 3)
    d1 = health.deprivation_profile(gradient_store, "D1").iloc[0]
    assert d1["average_score"] == pytest.approx(10.5) and d1["rank_of_average_score"] == 1
    assert d1["most_deprived_10pct"] == pytest.approx(100 * 2 / 20)
    shown = health_views.deprivation_view(start("D2", gradient_store, comparators="region")).data
    assert "small-area deprivation scores (small areas ranked nationally by score)" in shown and "2 of 3" in shown


def test_deprivation_view_shows_every_domain_with_ranks_source_and_vintage(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="region")
    shown = health_views.deprivation_view(dx).data
    assert "pd-deprivation" in shown and "pd-notice" not in shown
    for name in ("Index of Multiple Deprivation", "Crime", "Living environment deprivation"):
        assert name in shown
    assert "30,570" in shown and "1 of 4" in shown and "100.0%" in shown
    assert "Source: MHCLG English Indices of Deprivation 2019" in shown and "period: 2019" in shown
    assert "ranks only" in shown  # says why average scores are missing


def test_deprivation_view_is_a_notice_when_the_store_has_neither_profile_nor_scores(tiny_store):
    assert health.deprivation_profile(tiny_store, "D2").empty
    dx = start("D2", tiny_store, comparators="region")
    shown = health_views.deprivation_view(dx).data
    assert "pd-notice" in shown and "File 1" in shown and "data import" in shown


def test_ready_made_life_expectancy_stands_in_for_the_computed_one(tiny_england_store):
    table = health.health_headline(tiny_england_store, "E08000001")
    ids = table["indicator_id"].tolist()
    assert ids[:2] == ["life_expectancy_female", "life_expectancy_male"]
    assert "life_expectancy_birth_female" not in ids and "life_expectancy_birth_male" not in ids
    female = table.set_index("indicator_id").loc["life_expectancy_female"]
    assert female["status"] == "ok" and female["value"] == pytest.approx(82.1)
    assert (female["lower_ci"], female["upper_ci"]) == (pytest.approx(81.5), pytest.approx(82.7))  # as published
    assert health.is_ready_made(female["method"])
    le65 = table.set_index("indicator_id").loc["life_expectancy_65_female", "status"]
    assert "no deaths or population table" in le65 and "91102" in le65
    summary = health_views.headline(start("E08000001", tiny_england_store, comparators="region"))
    assert "life_expectancy_female" in set(summary["indicator_id"]) and list(summary.columns) == BENCHMARK_COLUMNS


def test_every_health_view_says_what_real_data_cannot_show(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="region")
    shown = {heading: view(dx).data for heading, view in health_views.VIEWS}
    assert "ready-made" in shown["Headline health"] and "82.1" in shown["Headline health"]
    assert "cannot be computed here" in shown["Headline health"]
    assert "ready-made" in shown["Findings"] and "82.1 years" in shown["Findings"]
    assert "Fingertips API export" in shown["Funnel plots"]
    assert "No health figures for health areas" in shown["Across boundaries: health areas"]
    assert "ICB level" in shown["Across boundaries: health areas"]
    assert "Ready-made (published" in shown["About these figures"]
    for heading, markup in shown.items():
        assert ">nan<" not in markup and " nan " not in markup and "None" not in markup, heading


@pytest.mark.slow
def test_health_notebook_runs_on_a_real_layout_store(tiny_england_store, tmp_path):
    from diagnostics.outputs.run import run_place

    result = run_place("E08000002", store=tiny_england_store.path, out=tmp_path, notebooks=["health"])
    page = result.report.read_text()
    assert "pd-deprivation" in page and "13,923" in page and "Traceback" not in page
    assert "SYNTHETIC DATA" not in page
