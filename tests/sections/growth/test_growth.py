"""Growth firms: classification, data quality, rates, hot spots, the logit, the views and the notebook."""

from __future__ import annotations

import html
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from diagnostics import cache
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth import analysis as growth
from diagnostics.sections.growth import hot_spots
from diagnostics.sections.growth import model as growth_model
from diagnostics.sections.growth import page as growth_views
from diagnostics.sections.growth.analysis import (
    GrowthDefinition,
    classify,
    prepare_register,
)

YEARS = (2020, 2021, 2022, 2023)


def _register(histories, founded=None, sections=None, areas=None):
    """A register from {firm_id: [(employment, turnover) or None per year of YEARS]}."""
    ids = list(histories)
    firms = pd.DataFrame({
        "firm_id": ids,
        "name": [f"Firm {i}" for i in ids],
        "sic": "62012",
        "sic_section": [(sections or {}).get(i, "J") for i in ids],
        "founded": [(founded or {}).get(i, 2000.0) for i in ids],
        "small_area_code": [(areas or {}).get(i, "S1") for i in ids],
        "x": 500.0, "y": 500.0,
    })
    rows = [(i, year, *values) for i, history in histories.items() for year, values in zip(YEARS, history) if values is not None]
    years = pd.DataFrame(rows, columns=["firm_id", "year", "employment", "turnover"])
    return prepare_register(firms, years, ["S1", "S2"])


def _flat(e0, e3, t0=100.0, t3=100.0):
    return [(e0, t0), (e0, t0), (e0, t0), (e3, t3)]


def _by_id(register, classified):
    return classified.assign(firm_id=register.firms["firm_id"].to_numpy()[classified["firm"]]).set_index("firm_id")


# -- classification ----------------------------------------------------------------------------


def test_exactly_twenty_percent_a_year_is_not_high_growth_and_just_above_is():
    reg = _register({"exact": _flat(125, 216), "above": _flat(125, 217)})
    c = _by_id(reg, classify(reg))
    assert not c.loc["exact", "high_growth_employment"]
    assert c.loc["exact", "employment_growth"] == pytest.approx(0.20)
    assert c.loc["above", "high_growth_employment"]


def test_nine_employees_at_the_start_is_excluded_and_ten_is_eligible():
    reg = _register({"nine": _flat(9, 100), "ten": _flat(10, 18)})
    c = _by_id(reg, classify(reg))
    assert "nine" not in c.index
    assert c.loc["ten", "high_growth_employment"]


def test_gazelle_is_at_most_five_years_old_at_the_end_of_the_window():
    reg = _register({"five": _flat(10, 18), "six": _flat(10, 18), "old_slow": _flat(10, 11)},
                    founded={"five": 2018.0, "six": 2017.0, "old_slow": 2018.0})
    c = _by_id(reg, classify(reg))
    assert c.loc["five", "age"] == 5 and c.loc["five", "gazelle"]
    assert c.loc["six", "age"] == 6 and not c.loc["six", "gazelle"]
    assert not c.loc["old_slow", "gazelle"]


def test_turnover_growth_makes_a_scaleup_but_not_an_employment_high_growth_firm():
    reg = _register({"turnover": _flat(10, 10, t0=100.0, t3=200.0), "closed": [(50, 10.0), (60, 10.0), (70, 10.0), None]})
    c = _by_id(reg, classify(reg))
    row = c.loc["turnover"]
    assert row["high_growth_turnover"] and row["scaleup"] and not row["high_growth_employment"]
    assert np.isnan(c.loc["closed", "end_employment"]) and not c.loc["closed", "scaleup"]


def test_parameters_give_the_ons_variants():
    histories = {"ten_pct": _flat(125, 170), "small": _flat(6, 12), "two_year": [(10, 1.0), (10, 1.0), (12, 1.0), (15, 1.0)]}
    reg = _register(histories)
    oecd = _by_id(reg, classify(reg))
    assert not oecd.loc["ten_pct", "high_growth_employment"]  # 170/125 = 1.36 < 1.2**3
    assert _by_id(reg, classify(reg, GrowthDefinition(threshold=0.10))).loc["ten_pct", "high_growth_employment"]
    assert _by_id(reg, classify(reg, GrowthDefinition(min_employees=5))).loc["small", "high_growth_employment"]
    two = _by_id(reg, classify(reg, GrowthDefinition(window=2)))
    assert two.loc["two_year"].query("end_year == 2023")["high_growth_employment"].item()  # 10 -> 15 in 2 years


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"threshold": 20}, None), ({"threshold": 0}, r"The 'threshold' parameter of GrowthDefinition must be a positive fraction"),
     ({"window": 0}, r"The 'window' parameter of GrowthDefinition must be an integer number of years from 1 to 10; got 0"),
     ({"min_employees": 0}, r"The 'min_employees' parameter of GrowthDefinition must be a number of employees of at least 1")],
)
def test_growth_definition_validates_its_parameters(kwargs, message):
    if message is None:
        assert GrowthDefinition(**kwargs).threshold == 20  # 2000% a year is odd but allowed
        return
    with pytest.raises(InvalidParameter, match=message):
        GrowthDefinition(**kwargs)


def test_classify_names_a_wrong_definition():
    reg = _register({"a": _flat(10, 18)})
    with pytest.raises(InvalidParameter, match=r"The 'definition' parameter of classify must be a GrowthDefinition; got dict"):
        classify(reg, {"threshold": 0.2})


# -- data quality ------------------------------------------------------------------------------


def test_every_kind_of_bad_input_is_counted_and_nothing_crashes():
    firms = pd.DataFrame({
        "firm_id": ["A", "A", "B", "C", "D", "E", "F"],
        "name": None, "sic": None,
        "sic_section": ["J", "J", "Z", None, "C", "C", "C"],
        "founded": [2001, 2001, 2002, np.nan, 2003, 2004, 2005],
        "small_area_code": ["S1", "S1", "S1", "S2", "NOWHERE", None, "S1"],
        "x": 1.0, "y": 1.0,
    })
    years = pd.DataFrame(
        [("A", 2020, 12, 5.0), ("A", 2020, 13, 5.0),           # duplicated firm-year
         ("A", 2021, -3, 5.0), ("A", 2022, 0, -1.0),           # negative employment, zero, negative turnover
         ("A", 2023, np.nan, 5.0),                              # missing employment
         ("B", 2020, 20, 1.0), ("B", 2023, 40, 1.0),           # two missing years
         ("GHOST", 2021, 5, 1.0)],                              # a firm not in the register
        columns=["firm_id", "year", "employment", "turnover"])
    reg = prepare_register(firms, years, ["S1", "S2"])
    found = dict(zip(reg.quality["check"], reg.quality["count"]))
    assert found == {
        "duplicated firm id": 1,
        "unknown or missing SIC section": 2,
        "missing year founded": 1,
        "missing or unknown small area": 2,
        "records of firms not in the register": 1,
        "duplicated firm-year record": 1,
        "negative employment": 1,
        "zero employment": 1,
        "missing employment": 1,
        "negative turnover": 1,
        "firms with missing years between their first and last record": 1,
    }
    assert "2 missing firm-years" in reg.quality.set_index("check").loc[
        "firms with missing years between their first and last record", "treatment"]
    assert set(reg.firms["section"]) == {"J", "unknown", "C"}
    c = classify(reg)
    assert list(c["firm"].map(reg.firms["firm_id"])) == ["A", "B"]  # A from 12 (2020); B 20 -> 40
    assert c.set_index(c["firm"].map(reg.firms["firm_id"])).loc["B", "high_growth_employment"]
    assert not c.set_index(c["firm"].map(reg.firms["firm_id"])).loc["A", "high_growth_employment"]


def test_prepare_register_names_a_missing_column():
    with pytest.raises(InvalidParameter, match=r"The 'firm_years' parameter of prepare_register lacks column\(s\) \['turnover'\]"):
        prepare_register(pd.DataFrame(columns=["firm_id", "sic_section", "founded", "small_area_code"]),
                         pd.DataFrame(columns=["firm_id", "year", "employment"]))


# -- counts and rates --------------------------------------------------------------------------


def test_rates_are_per_ten_thousand_with_wilson_intervals():
    from diagnostics.stats import proportion_ci

    histories = {f"g{i}": _flat(10, 20) for i in range(3)}
    histories.update({f"s{i}": _flat(10, 10) for i in range(7)})
    histories.update({f"m{i}": _flat(2, 2) for i in range(10)})
    reg = _register(histories, areas={k: ("S2" if k.startswith("m") else "S1") for k in histories})
    counts = growth.small_area_counts(reg, classify(reg))
    assignment = pd.Series({"S1": "D1", "S2": "D1"})
    rates = growth.growth_rates(counts, assignment, ["D1"])
    row = rates.loc[rates["measure"] == "high_growth_employment"].iloc[0]
    assert (row["year"], row["count"], row["businesses"], row["businesses_10plus"]) == (2023, 3, 20, 10)
    assert row["per_10k_10plus"] == pytest.approx(3000.0)
    assert row["per_10k_businesses"] == pytest.approx(1500.0)
    _, lower, upper = proportion_ci(3, 10, multiplier=10_000)
    assert (row["per_10k_10plus_lower"], row["per_10k_10plus_upper"]) == pytest.approx((lower, upper))


# -- hot spots ---------------------------------------------------------------------------------


def _grid(values: np.ndarray) -> gpd.GeoDataFrame:
    n = values.shape[0]
    cells = [box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000) for j in range(n) for i in range(n)]
    return gpd.GeoDataFrame({"code": [f"c{j}_{i}" for j in range(n) for i in range(n)], "value": values.ravel()},
                            geometry=cells, crs=27700)


def test_sector_summary_counts_the_place_against_the_register_and_takes_rows_kept_for_many_places():
    reg = _register({"a": _flat(20, 60), "b": _flat(20, 21), "c": _flat(30, 90), "d": _flat(40, 41), "e": _flat(20, 60)},
                    sections={"a": "J", "b": "J", "c": "C", "d": "C", "e": "J"}, areas={"e": None})
    classified = classify(reg)
    in_place = reg.firms["firm_id"].isin(["a", "b", "c"]).to_numpy()
    table = growth.sector_summary(reg, classified, in_place, 2023).set_index("section")
    # the windows 2020-2023: a, c and e grow 44% a year; e has no location, so it is counted nowhere
    assert table.loc["J", ["businesses_10plus", "high_growth", "country_businesses_10plus", "country_high_growth"]].tolist() == [2, 1, 2, 1]
    assert table.loc["C", ["businesses_10plus", "high_growth", "country_businesses_10plus", "country_high_growth"]].tolist() == [1, 1, 2, 1]
    assert table.loc["J", "share"] == table.loc["C", "share"] == 50.0
    assert table.loc["C", "rate"] == 10_000 and table.loc["C", "country_rate"] == 5_000
    assert table.loc["J", "rate_lower"] < 5_000 < table.loc["J", "rate_upper"]
    kept = growth.sector_rows(reg, classified, [2023])
    other_place = ~in_place
    assert growth.sector_summary(reg, classified, other_place, 2023, rows=kept).equals(
        growth.sector_summary(reg, classified, other_place, 2023))
    assert growth.sector_summary(reg, classified, in_place, [2023], rows=kept).equals(table.reset_index())


def test_getis_ord_finds_a_planted_hot_spot_and_is_reproducible():
    rng = np.random.default_rng(7)
    values = rng.poisson(1.0, (12, 12)).astype(float)
    values[4:7, 4:7] = rng.poisson(9.0, (3, 3))
    spots = hot_spots.getis_ord_hot_spots(_grid(values), "value").set_index("code")
    assert spots.loc["c5_5", "spot"] == "hot" and spots.loc["c5_5", "gi_z"] > 3
    planted = [f"c{j}_{i}" for j in range(4, 7) for i in range(4, 7)]
    assert (spots.loc[planted, "spot"] == "hot").sum() >= 7
    far = [c for c in spots.index if int(c[1:].split("_")[0]) in (0, 11) or int(c.split("_")[1]) in (0, 11)]
    assert (spots.loc[far, "spot"] == "hot").sum() <= 2
    again = hot_spots.getis_ord_hot_spots(_grid(values), "value").set_index("code")
    assert again["p_value"].equals(spots["p_value"])


def test_getis_ord_refuses_too_few_areas():
    with pytest.raises(InvalidParameter, match=r"must have at least 5 areas to test; got 4"):
        hot_spots.getis_ord_hot_spots(_grid(np.ones((2, 2))), "value")


# -- the model ---------------------------------------------------------------------------------


def test_logit_recovers_known_coefficients_on_simulated_data():
    rng = np.random.default_rng(2024)
    n = 60_000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.3, n), rng.normal(size=n)])
    truth = np.array([-2.5, 0.8, -0.6, 0.3])
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ truth))).astype(float)
    fit = growth_model.fit_logit(y, X, ["intercept", "a", "b", "c"])
    se = np.sqrt(np.diag(fit["cov"]))
    assert fit["converged"]
    assert np.all(np.abs(np.array(fit["params"]) - truth) < 4 * se)
    assert np.all(se < 0.06)


def test_auc_is_one_half_for_noise_and_one_for_perfect_ranking():
    y = np.array([0, 1] * 50, float)
    assert growth_model.auc(y, y) == 1.0
    assert growth_model.auc(y, np.zeros(100)) == 0.5


def test_observed_expected_ratio_uses_byar_interval_on_the_observed_count():
    from diagnostics.stats import count_ci

    windows = pd.DataFrame({"outcome": [1.0, 1.0, 0.0, 0.0, 1.0, 0.0]})
    table = growth_model.observed_expected(windows, np.full(6, 0.25), ["a", "a", "a", "a", "b", "b"]).set_index("group")
    assert table.loc["a", "observed"] == 2 and table.loc["a", "expected"] == pytest.approx(1.0)
    lower, upper = count_ci(2.0)
    assert (table.loc["a", "lower"], table.loc["a", "upper"]) == pytest.approx((lower, upper))


@pytest.fixture(scope="module")
def small(small_store):
    from diagnostics.store.store import open_store

    return open_store(small_store)


def test_model_is_fitted_once_then_read_from_the_disk_cache(small, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    cache.clear()
    model = growth_model.growth_model(small)
    files = list((tmp_path / "results" / "growth_model").glob(f"{small.version}-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["store_version"] == small.version
    assert 0.5 < model.test_auc < 1 and model.test_year > model.train_years[-1]
    cache.clear()
    monkeypatch.setattr(growth_model, "_train", lambda *a, **k: pytest.fail("refitted despite the disk cache"))
    again = growth_model.growth_model(small)
    assert again.fit["params"] == model.fit["params"]
    monkeypatch.undo()
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    growth_model.growth_model(small, GrowthDefinition(threshold=0.10))
    assert len(list((tmp_path / "results" / "growth_model").glob("*.json"))) == 2  # one file per definition


def test_model_finds_the_synthetic_countrys_sector_and_deprivation_effects(small, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_DIAGNOSTICS_CACHE", str(tmp_path))
    table = growth_model.odds_ratio_table(growth_model.growth_model(small)).set_index("term")
    # the generator gives digital firms +0.9 and deprivation -0.30 per SD on the log-odds of a growth episode
    assert table.loc["sector: J", "odds_ratio"] > 1.2
    assert table.loc["deprivation: per standard deviation", "upper"] < 1
    assert "times the odds" in table.loc["sector: J", "words"]


# -- views -------------------------------------------------------------------------------------


def test_a_store_without_firms_shows_one_notice_and_a_pointer_under_each_firm_level_view(tiny_store):
    from diagnostics.sections.session import start

    dx = start("default", tiny_store, comparators="region")
    assert not tiny_store.has_table("firms")
    shown = {heading: view(dx).data for heading, view in growth_views.VIEWS}
    first = shown["High-growth firms at a glance"]
    assert "Firm-level analysis not available" in first and "firms.csv" in first and "README" in first
    assert "No published growth figures" in first  # the tiny store has no high-growth share either
    assert sum(html.count("Firm-level analysis not available") for html in shown.values()) == 1  # said once, at the top
    assert sum(html.count("README") for html in shown.values()) == first.count("README")
    for heading, view in growth_views.VIEWS[1:]:
        if view in (growth_views.skills_productivity_survival, growth_views.definitions):
            continue
        assert "Needs a firm register: see 'High-growth firms at a glance'" in shown[heading], heading
        assert len(shown[heading]) < 300, heading
    head = growth_views.headline(dx)
    assert list(head.columns) == list(growth_views.BENCHMARK_COLUMNS)
    assert (head["status"] == "not available: the store has no firm register").all()


# -- real England: no firm register, ONS's published high-growth share --------------------------

#: ONS Business Demography's high-growth share (%) in the Explore Local Statistics layout: Alpha,
#: Beta and Gamma (districts), the North (region) and England; Delta has none.
_HIGH_GROWTH = {
    "E08000001": {2022: 4.0, 2023: 5.0, 2024: 7.5},
    "E08000002": {2022: 3.0, 2023: 3.5, 2024: 4.0},
    "E07000001": {2022: 6.0, 2023: 6.5, 2024: 9.0},
    "E12000001": {2022: 4.2, 2023: 4.4, 2024: 4.6},
    "E92000001": {2022: 4.1, 2023: 4.9, 2024: 5.0},
}


@pytest.fixture(scope="module")
def england_with_growth(tmp_path_factory):
    """The tiny real-layout England (tests/england_files.py) plus an ONS Business Demography file."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from helpers import england_files as ef

    from diagnostics.sources.england import import_folder
    from diagnostics.store.store import open_store

    root = tmp_path_factory.mktemp("england-growth")
    folder = ef.write_tiny_england(root / "downloads")
    rows = [[code, "x", "Local Authority District", "High growth businesses", f"{year}-01-01/P1Y", value,
             "Percentage", "%", "", "", "", ""]
            for code, series in _HIGH_GROWTH.items() for year, value in series.items()]
    ef._csv(folder / "economy" / "ons_els_business_demography.csv", ef.ELS_HEADER, rows, bom=True)
    import_folder(folder, root / "store")
    return open_store(root / "store")


def test_without_a_register_the_headline_is_the_published_high_growth_share(england_with_growth):
    from diagnostics.sections.session import start

    store = england_with_growth
    assert not store.has_table("firms")
    dx = start("E08000001", store, comparators=["E08000002", "E07000001"])
    head = growth_views.headline(dx)
    assert list(head.columns) == list(growth_views.BENCHMARK_COLUMNS)
    row = head.set_index("indicator_id").loc["high_growth_share"]
    assert row["status"] == "ok" and row["period"] == "2024"
    assert row["value"] == pytest.approx(7.5)
    assert (row["region_value"], row["country_value"]) == (pytest.approx(4.6), pytest.approx(5.0))
    assert row["comparators_median"] == pytest.approx(6.5)  # Beta 4.0, Gamma 9.0
    assert (row["rank"], row["n_ranked"]) == (2, 3)  # Gamma 9.0 > Alpha 7.5 > Beta 4.0; Delta has none
    assert row["vs_country"] == "not compared"  # published without an interval
    assert row["source"] == "ONS Business Demography (Explore Local Statistics)"


def test_without_a_register_the_page_shows_one_notice_then_what_published_data_supports(england_with_growth):
    from diagnostics.sections.session import start

    dx = start("E08000001", england_with_growth, comparators=["E08000002", "E07000001"])
    shown = {heading: view(dx).data for heading, view in growth_views.VIEWS}
    first = shown["High-growth firms at a glance"]
    assert first.count("Firm-level analysis not available") == 1 and "firms.csv" in first
    assert "High-growth enterprises (% of 10+ employee enterprises)" in first and "7.5%" in first
    assert "Source: ONS Business Demography (Explore Local Statistics); period: 2024" in first
    assert "SYNTHETIC" not in first
    assert sum(html.count("Firm-level analysis not available") for html in shown.values()) == 1
    # the published series and the comparators are drawn where the firm-level charts would be
    for heading in ("High-growth rates over time", "How the place compares"):
        assert "<svg" in shown[heading] and "Published High-growth enterprises" in shown[heading], heading
    assert "Needs a firm register" in shown["Hot spots"]
    assert "Ready-made: ONS Business Demography" in shown["Definitions and sources"]
    findings = shown["What holds them back"]
    assert "7.5% (2024), against England 5.0%; ranked 2 of 3 districts" in findings
    assert "not marked significantly higher or lower" in findings and "need a firm register" in findings


def test_a_place_without_a_published_value_says_so(england_with_growth):
    from diagnostics.sections.session import start

    dx = start("E08000038", england_with_growth, comparators="region")  # Delta: no high-growth share
    first = growth_views.growth_headline_table(dx).data
    assert "No published growth figures for this place" in first
    assert "Needs a firm register" in growth_views.rates_over_time(dx).data
    assert growth_views.headline(dx).iloc[0]["status"] == "not available for this place in the store"


def test_views_of_the_small_country_render_with_the_headline_row(small):
    from diagnostics.render.offline import find_outside_urls
    from diagnostics.sections.session import start

    dx = start("default", small, comparators="region")
    head = growth_views.headline(dx)
    row = head.set_index("indicator_id").loc["high_growth_rate"]
    assert row["status"] == "ok" and row["lower_ci"] <= row["value"] <= row["upper_ci"]
    assert row["n_ranked"] == len(small.areas_in_layer(dx.place.layer))
    shown = growth_views.growth_map(dx).data
    assert "L.map(" in shown.replace("&quot;", '"') or "leaflet" in shown.lower()
    assert find_outside_urls(shown) == []
    assert "Clusters (1 km grid" in shown
    page = html.unescape(html.unescape(shown))  # the map's page sits escaped in the iframe's srcdoc
    assert "Each growth firm" in page and page.count("new L.CircleMarker(latlng, opts)") == 1  # one layer of firms
    assert "; window ending 20" in page
    quality = growth_views.data_quality(dx).data
    assert "duplicated firm id" in quality and "Nothing is dropped silently" in quality


def test_set_definition_must_come_before_the_views(small):
    from diagnostics.sections.session import start

    dx = start("default", small, comparators="region")
    growth_views.set_definition(dx, threshold=0.10)
    assert growth_views._definition(dx).threshold == 0.10
    with pytest.raises(InvalidParameter, match="must be set before any growth view runs"):
        growth_views.set_definition(dx, threshold=0.20)


# -- the notebook, end to end ------------------------------------------------------------------


@pytest.mark.slow
def test_growth_notebook_runs_end_to_end_and_its_report_is_offline(small_store, tmp_path):
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["20_growth_firms"])
    html = result.report.read_text()
    assert "SYNTHETIC DATA" in html
    for heading, _ in growth_views.VIEWS:
        assert heading in html
    assert "How well the model predicts" in html and "area under the ROC curve" in html
    assert find_outside_urls(html) == []


def test_a_users_register_added_to_a_store_as_the_readme_shows_renders_every_view(tmp_path):
    """The README's recipe (CSV files written into a copy of a store), with bad rows and too few firms
    to fit the model: every view still renders, and the problems are counted on the page."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from helpers.tiny import build_tiny_store

    from diagnostics.sections.session import start
    from diagnostics.store.schema import TABLE_SCHEMAS
    from diagnostics.store.store import open_store, write_store

    build_tiny_store(tmp_path / "tiny")
    pd.DataFrame({"firm_id": ["A1", "A2", "A2", "A3"], "name": ["Alpha Ltd", "Beta Ltd", "Beta again", "Gamma"],
                  "sic": ["62012", "47110", "47110", "1"], "sic_section": ["J", "G", "G", "?"],
                  "founded": [2015, 2019, 2019, None], "small_area_code": ["S3", "S4", "S4", "S9"],
                  "x": [2500.0, 3500.0, 3500.0, 0.0], "y": [500.0, 500.0, 500.0, 0.0]}).to_csv(tmp_path / "firms.csv", index=False)
    rows = [("A1", y, round(12 * 1.3 ** (y - 2017)), 900.0) for y in range(2017, 2024)]
    rows += [("A2", y, 30 - (y - 2017), 150.0) for y in (2017, 2018, 2020, 2021)] + [("A3", 2020, -1, 5.0)]
    pd.DataFrame(rows, columns=["firm_id", "year", "employment", "turnover"]).to_csv(tmp_path / "firm_years.csv", index=False)

    store = open_store(tmp_path / "tiny")
    tables = {name: store.table(name) for name in TABLE_SCHEMAS if store.has_table(name)}
    tables["firms"] = pd.read_csv(tmp_path / "firms.csv", dtype={"firm_id": str, "sic": str}).assign(
        source="My firm register", vintage="2025")
    tables["firm_years"] = pd.read_csv(tmp_path / "firm_years.csv", dtype={"firm_id": str})
    write_store(tmp_path / "with-firms", tables, {layer: store.boundaries(layer) for layer in store.boundary_layers()},
                source=store.source, vintage=store.vintage, attribution=store.attribution,
                extra={"default_place": store.manifest.get("default_place")})

    dx = start("default", open_store(tmp_path / "with-firms"), comparators="region")
    shown = {heading: view(dx).data for heading, view in growth_views.VIEWS}
    assert "too few firm-windows to fit the growth model" in shown["What the model links to high growth"]
    quality = shown["Data quality of the firm register"]
    for check in ("duplicated firm id", "unknown or missing SIC section", "negative employment"):
        assert check in quality
    assert "1 rows" in quality and "6 kind(s) of problem found" in quality
    head = growth_views.headline(dx).set_index("indicator_id")
    assert head.loc["high_growth_rate", "status"] == "ok"  # A1 (+30% a year) is in Brackley Vale
    assert head.loc["high_growth_rate", "value"] > 0
