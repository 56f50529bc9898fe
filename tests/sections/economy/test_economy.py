"""The economy analysis (location quotients, shift-share, productivity gap), its views and its notebook."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers.tiny import tiny_tables

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import notebooks_dir
from diagnostics.sections.economy import analysis as ec
from diagnostics.sections.economy import page as ev
from diagnostics.sections.economy.industry import place_industry
from diagnostics.sections.session import start
from diagnostics.store.store import open_store, write_store


def industry(rows) -> pd.DataFrame:
    """An industry table from (year, section, employment[, gva])."""
    rows = [tuple(r) + (np.nan,) * (4 - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=["year", "sic_section", "employment", "gva"])


# The worked example: two sectors, 2010 -> 2020.
# Nation: A 400 -> 500 (+25%), B 600 -> 600 (0%); all jobs 1000 -> 1100 (+10%).
# Place:  A 100 -> 120 (+20%), B 200 -> 220 (+10%); all jobs 300 -> 340.
NATION = industry([(2010, "A", 400), (2010, "B", 600), (2020, "A", 500), (2020, "B", 600)])
PLACE = industry([(2010, "A", 100), (2010, "B", 200), (2020, "A", 120), (2020, "B", 220)])


# -- location quotients ----------------------------------------------------------------------------
def test_location_quotients_are_local_share_over_national_share():
    lq = ec.location_quotients(pd.Series({"A": 30, "B": 70}), pd.Series({"A": 100, "B": 900}))
    # A: 0.3 / 0.1 = 3; B: 0.7 / 0.9
    assert lq["A"] == pytest.approx(3.0)
    assert lq["B"] == pytest.approx(0.7 / 0.9)


def test_location_quotient_is_missing_for_a_sector_with_no_national_jobs():
    lq = ec.location_quotients(pd.Series({"A": 10, "B": 0}), pd.Series({"A": 50, "B": 0}))
    assert lq["A"] == pytest.approx(1.0) and np.isnan(lq["B"])


def test_location_quotients_need_jobs():
    with pytest.raises(InvalidParameter, match="positive total employment"):
        ec.location_quotients(pd.Series({"A": 0}), pd.Series({"A": 10}))


def test_industrial_structure_calls_out_specialisations_by_the_stated_rule():
    # national shares: A 10%, B 10%, C 10%, D 69.5%, E 0.5%; place of 1000 jobs
    nation = industry([(2020, "A", 1000), (2020, "B", 1000), (2020, "C", 1000), (2020, "D", 6950), (2020, "E", 50)])
    place = industry([(2020, "A", 125), (2020, "B", 200), (2020, "C", 80), (2020, "D", 586), (2020, "E", 9)])
    table = ec.industrial_structure(place, nation, 2020).set_index("sic_section")
    assert table.loc["A", "lq"] == pytest.approx(1.25)
    assert table.loc["A", "specialisation"] == "specialisation"  # exactly 1.25 counts
    assert table.loc["B", "specialisation"] == "strong specialisation"  # LQ 2.0
    assert table.loc["C", "specialisation"] == "under-represented"  # LQ 0.8
    assert table.loc["D", "specialisation"] == ""  # LQ 0.84
    assert table.loc["E", "lq"] == pytest.approx(1.8)
    assert table.loc["E", "specialisation"] == ""  # 0.9% of jobs: below the 1% rule
    assert table["share"].sum() == pytest.approx(100.0)
    assert list(table.index) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert table.loc["C", "name"] == "Manufacturing"


# -- shift-share -----------------------------------------------------------------------------------
def test_shift_share_worked_example_has_the_known_components():
    table = ec.shift_share(PLACE, NATION).set_index("sic_section")
    # A: NS = 100 x 10% = 10, IM = 100 x (25% - 10%) = 15, LE = 100 x (20% - 25%) = -5
    assert table.loc["A", ["national_growth", "industry_mix", "local_effect"]].tolist() == pytest.approx([10, 15, -5])
    # B: NS = 200 x 10% = 20, IM = 200 x (0% - 10%) = -20, LE = 200 x (10% - 0%) = 20
    assert table.loc["B", ["national_growth", "industry_mix", "local_effect"]].tolist() == pytest.approx([20, -20, 20])
    total = table.loc["Total"]
    assert [total["national_growth"], total["industry_mix"], total["local_effect"]] == pytest.approx([30, -5, 15])
    assert total["change"] == 40 and total["start_employment"] == 300 and total["end_employment"] == 340
    assert total["national_growth_pct"] == pytest.approx(10.0)
    assert (table["start_year"] == 2010).all() and (table["end_year"] == 2020).all()


def test_shift_share_components_sum_exactly_to_the_change_in_every_row():
    rng = np.random.default_rng(6)
    years, sections = [2015, 2019], list("ABCDEFG")
    nation = industry([(y, s, float(rng.integers(1000, 50000))) for y in years for s in sections])
    place = industry([(y, s, float(rng.integers(0, 3000))) for y in years for s in sections])
    table = ec.shift_share(place, nation)
    parts = table["national_growth"] + table["industry_mix"] + table["local_effect"]
    assert np.abs(parts - table["change"]).max() <= 1e-9 * table["start_employment"].max()
    assert table.iloc[-1]["change"] == pytest.approx(table.iloc[:-1]["change"].sum())


def test_shift_share_gives_a_new_sector_all_to_the_local_effect():
    nation = industry([(2010, "A", 100), (2010, "B", 100), (2020, "A", 100), (2020, "B", 150)])
    place = industry([(2010, "A", 10), (2020, "A", 10), (2020, "B", 7)])
    row = ec.shift_share(place, nation).set_index("sic_section").loc["B"]
    assert (row["national_growth"], row["industry_mix"], row["local_effect"], row["change"]) == (0, 0, 7, 7)


def test_shift_share_uses_the_years_asked_for():
    nation = pd.concat([NATION, industry([(2015, "A", 450), (2015, "B", 600)])])
    place = pd.concat([PLACE, industry([(2015, "A", 100), (2015, "B", 300)])])
    table = ec.shift_share(place, nation, start_year=2015, end_year="2020")
    assert table.iloc[-1]["change"] == 340 - 400 and table["start_year"].iloc[0] == 2015


@pytest.mark.parametrize(
    ("start_year", "end_year", "message"),
    [
        (2030, None, r"'start_year' parameter of shift_share must be a year with industry figures .*\(2010, 2020\); got 2030"),
        (None, 2011, r"'end_year' parameter of shift_share must be a year with industry figures .*got 2011"),
        (2020, 2010, r"'start_year' parameter of shift_share must be before 'end_year'; got start_year=2020 and end_year=2010"),
        (2020, 2020, r"must be before 'end_year'"),
        ("last year", None, r"'start_year' parameter of shift_share must be a year such as 2015, or None; got 'last year'"),
        (2012.5, None, r"'start_year' parameter of shift_share must be a year such as 2015"),
        (True, None, r"must be a year such as 2015"),
    ],
)
def test_shift_share_rejects_bad_years_with_a_message_naming_the_fix(start_year, end_year, message):
    with pytest.raises(InvalidParameter, match=message):
        ec.shift_share(PLACE, NATION, start_year, end_year)


def test_year_parameters_are_checked_before_any_data():
    assert ec.year_parameters(None, None) == (None, None)
    assert ec.year_parameters(" 2015", 2016) == (2015, 2016)
    with pytest.raises(InvalidParameter, match="'end_year' parameter of shift_share must be a year"):
        ec.year_parameters(2015, "2016-17")
    with pytest.raises(InvalidParameter, match="must be before 'end_year'"):
        ec.year_parameters(2019, 2016)


# -- productivity gap ------------------------------------------------------------------------------
# Nation: A 100 jobs, £10m (£100,000 a job); B 100 jobs, £2m (£20,000): £60,000 a job overall.
# Place:  A 30 jobs, £2.7m (£90,000);       B 70 jobs, £1.75m (£25,000): £44,500 a job overall.
GAP_NATION = industry([(2020, "A", 100, 10.0), (2020, "B", 100, 2.0)])
GAP_PLACE = industry([(2020, "A", 30, 2.7), (2020, "B", 70, 1.75)])


def test_productivity_gap_worked_example_splits_into_mix_and_within():
    table = ec.productivity_gap(GAP_PLACE, GAP_NATION).set_index("sic_section")
    total = table.loc["Total"]
    assert total["gva_per_job"] == pytest.approx(44_500) and total["national_gva_per_job"] == pytest.approx(60_000)
    assert total["gap"] == pytest.approx(-15_500)
    # mix: (0.3 - 0.5) x 100,000 + (0.7 - 0.5) x 20,000 = -16,000
    assert total["mix"] == pytest.approx(-16_000)
    # within: 0.3 x (90,000 - 100,000) + 0.7 x (25,000 - 20,000) = +500
    assert total["within"] == pytest.approx(500)
    assert table.loc["A", "gva_per_job"] == pytest.approx(90_000)
    assert table.loc["B", ["mix", "within"]].tolist() == pytest.approx([4_000, 3_500])


def test_productivity_gap_parts_sum_exactly_to_the_gap():
    rng = np.random.default_rng(7)
    sections = list("ABCDEFGHIJ")
    nation = industry([(2021, s, float(rng.integers(1000, 9000)), float(rng.uniform(10, 900))) for s in sections])
    place = industry([(2021, s, float(rng.integers(0, 900)), float(rng.uniform(0, 90))) for s in sections])
    place.loc[place["employment"] == 0, "gva"] = 0.0
    table = ec.productivity_gap(place, nation)
    total = table.iloc[-1]
    assert total["mix"] + total["within"] == pytest.approx(total["gap"], rel=1e-12, abs=1e-6)
    assert table.iloc[:-1]["gap"].sum() == pytest.approx(total["gap"], rel=1e-12, abs=1e-6)
    overall = 1e6 * place["gva"].sum() / place["employment"].sum()
    assert total["gva_per_job"] == pytest.approx(overall)


def test_productivity_gap_refuses_a_year_without_gva():
    place = industry([(2020, "A", 30, np.nan), (2020, "B", 70, 1.75)])
    with pytest.raises(InvalidParameter, match="productivity_gap needs a year in which both industry tables give GVA"):
        ec.productivity_gap(place, GAP_NATION)
    with pytest.raises(InvalidParameter, match=r"'year' parameter of productivity_gap names 2020, in which sections A lack GVA"):
        ec.productivity_gap(place, GAP_NATION, year=2020)
    with pytest.raises(InvalidParameter, match=r"'year' parameter of productivity_gap must be a year with industry figures \(2020\); got 1999"):
        ec.productivity_gap(GAP_PLACE, GAP_NATION, year=1999)


# -- the store: which places have industry figures -------------------------------------------------
@pytest.fixture(scope="module")
def industry_store(tmp_path_factory):
    """The tiny store plus an industry table for D1, D2 and D4 (D3 has rows only for 2023)."""
    tables, boundaries = tiny_tables()
    rows = []
    for d, scale in (("D1", 1), ("D2", 2), ("D3", 3), ("D4", 4)):
        for year in (2022, 2023):
            if d == "D3" and year == 2022:
                continue
            for s, jobs, gva in (("A", 100, 5.0), ("C", 300, 30.0), ("K", 100 + 50 * scale, 20.0 * scale)):
                rows.append((d, year, s, jobs * scale + (year - 2022) * 10, gva))
    tables["industry"] = pd.DataFrame(rows, columns=["area_code", "year", "sic_section", "employment", "gva"]).assign(
        source="hand-made", vintage="test"
    )
    path = write_store(tmp_path_factory.mktemp("stores") / "tiny-industry", tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: test.", extra={"default_place": "D1"})
    return open_store(path)


def test_a_region_is_summed_from_the_finest_layer_when_the_table_also_holds_the_country(tmp_path):
    tables, boundaries = tiny_tables()
    rows = [(code, 2023, "C", jobs, 1.0) for code, jobs in (("D1", 10), ("D2", 20), ("D3", 30), ("D4", 40), ("C1", 100))]
    tables["industry"] = pd.DataFrame(rows, columns=["area_code", "year", "sic_section", "employment", "gva"]).assign(
        source="hand-made", vintage="test"
    )
    store = open_store(write_store(tmp_path / "s", tables, boundaries, source="synthetic", vintage="synthetic",
                                   attribution="SYNTHETIC DATA: test."))
    region = place_industry(store, "R1")
    assert region.available and region.members == ("D1", "D2") and region.table["employment"].sum() == 30
    assert place_industry(store, "C1").method == "published for the country"


def test_a_district_reads_its_own_rows(industry_store):
    own = place_industry(industry_store, "D1")
    assert own.available and own.members == ("D1",) and own.years == [2022, 2023]
    assert own.method == "published for the district" and own.source == "hand-made"


def test_a_region_is_the_sum_of_its_whole_districts(industry_store):
    region = place_industry(industry_store, "R1")
    assert region.available and region.members == ("D1", "D2") and region.method == "the sum of its 2 districts"
    a_2022 = region.table.query("year == 2022 and sic_section == 'A'")["employment"].item()
    assert a_2022 == 100 * 1 + 100 * 2


def test_a_year_some_district_lacks_is_left_out_and_said(industry_store):
    country = place_industry(industry_store, "C1")
    assert country.available and country.years == [2023] and country.incomplete_years == (2022,)


def test_a_place_cutting_across_districts_gets_the_reason(industry_store):
    health = place_industry(industry_store, "H1")  # S1-S3: all of D1 and half of D2
    assert not health.available and health.table.empty
    assert "does not follow district boundaries" in health.reason
    assert "1 of them only in part (Brackley Vale)" in health.reason and "not apportioned" in health.reason


def test_a_store_without_industry_says_so(tiny_store):
    own = place_industry(tiny_store, "D2")
    assert not own.available and "no industry table" in own.reason


# -- views: notices, never a crash ------------------------------------------------------------------
def _all_views(dx):
    return {view.__name__: view(dx).data for _, view in ev.VIEWS}


def test_every_view_gives_a_notice_for_a_store_without_industry_or_economy_indicators(tiny_store):
    shown = _all_views(start("D2", tiny_store, comparators="region"))
    for name in ("structure_chart", "structure_table", "shift_share_chart", "shift_share_table",
                 "productivity_chart", "productivity_table"):
        assert "pd-notice" in shown[name] and "no industry table" in shown[name], name
    for name in ("headline_table", "headline_chart", "trend_chart"):
        assert "pd-notice" in shown[name] and "headline indicators" in shown[name], name
    assert "no industry table" in shown["data_notes"]


def test_views_draw_industry_figures_where_the_store_has_them(industry_store):
    dx = start("D1", industry_store, comparators="region")
    shown = _all_views(dx)
    assert "<svg" in shown["structure_chart"] and "<svg" in shown["productivity_chart"]
    # the country lacks 2022 (D3 has no rows then): one common year, so no shift-share
    assert "pd-notice" in shown["shift_share_chart"] and "share only 2023" in shown["shift_share_chart"]
    assert "Source: hand-made" in shown["structure_table"]
    assert "Tinyland: the sum of its 4 districts, 2023." in shown["data_notes"]
    assert "National years left out (incomplete): 2022" in shown["data_notes"]
    assert "pd-notice" in shown["headline_table"]  # the tiny store has no economy indicators


def test_a_health_area_across_districts_gets_a_notice_not_a_crash(industry_store):
    shown = _all_views(start("H1", industry_store, comparators="region"))
    assert "pd-notice" in shown["shift_share_table"] and "does not follow district boundaries" in shown["shift_share_table"]


def test_the_country_itself_has_no_benchmark_notice(industry_store):
    shown = ev.structure_chart(start("C1", industry_store, comparators="region")).data
    assert "pd-notice" in shown and "whole country" in shown


def test_shift_share_views_raise_on_bad_years(industry_store):
    dx = start("D1", industry_store, comparators="region")
    with pytest.raises(InvalidParameter, match=r"'start_year' parameter of shift_share must be a year with industry figures .*\(2023\); got 2010"):
        ev.shift_share_table(dx, start_year=2010)
    with pytest.raises(InvalidParameter, match="must be before 'end_year'"):
        ev.findings(dx, start_year=2023, end_year=2022)


# -- the synthetic country: the section end to end --------------------------------------------------
@pytest.fixture(scope="module")
def default_dx(default_store):
    return start("default", default_store)


def test_headline_is_a_benchmark_table_of_the_economy_indicators(default_dx):
    table = ev.headline(default_dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert list(table["indicator_id"]) == list(ec.ECONOMY_INDICATORS)
    assert (table["status"] == "ok").all()


def test_productivity_gap_agrees_with_the_published_gva_per_job(default_dx):
    """Two routes to GVA per job (the industry table and the indicators table) give the same figure."""
    table = ev._productivity(default_dx)
    total = table.iloc[-1]
    published = ev.headline(default_dx).set_index("indicator_id").loc["gva_per_job"]
    assert str(int(total["year"])) == published["period"]
    assert total["gva_per_job"] == pytest.approx(published["value"], rel=1e-9)
    assert total["national_gva_per_job"] == pytest.approx(published["country_value"], rel=1e-9)


def test_findings_each_name_a_figure_on_the_page(default_dx):
    found = ev.economy_findings(default_dx)
    headings = {heading for heading, _ in ev.VIEWS}
    chart_headings = {h for h, v in ev.VIEWS if v.__name__.endswith("chart")}
    assert len(found) >= 4
    assert all(heading in headings and heading in chart_headings for _, heading in found)


def test_every_view_renders_with_source_and_period(default_dx):
    shown = _all_views(default_dx)
    assert "SYNTHETIC DATA" in shown["headline_table"] and "SYNTHETIC DATA" in shown["data_notes"]
    assert all("pd-notice" not in html for html in shown.values())
    for name in ("structure_table", "shift_share_table", "productivity_table"):
        assert "Source: synthetic" in shown[name] and "period:" in shown[name], name


def test_the_notebook_has_the_standard_parameters_and_no_outputs():
    nb = json.loads((notebooks_dir() / "10_economy.ipynb").read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = "".join(code[0]["source"])
    assert code[0]["metadata"]["tags"] == ["parameters"]
    for line in ('place = "default"', "store = None", 'comparators = "nearest"', "start_year = None", "end_year = None"):
        assert line in params
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


@pytest.mark.slow
def test_the_economy_notebook_runs_end_to_end(small_store, tmp_path):
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["economy"])
    html = result.report.read_text()
    assert [p.name for p in result.notebooks] == ["10_economy.ipynb"]
    for heading, _ in ev.VIEWS:
        assert heading.split(":")[0] in html
    assert "SYNTHETIC DATA" in html and "Location quotient" in html and "Dunn" in html
    assert find_outside_urls(html) == []


@pytest.mark.slow
def test_the_economy_notebook_fails_clearly_on_a_bad_start_year(small_store, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="InvalidParameter") as err:
        papermill.execute_notebook(
            str(notebooks_dir() / "10_economy.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"store": str(small_store), "comparators": "region", "start_year": 1990},
            progress_bar=False, cwd=str(tmp_path),
        )
    assert "'start_year' parameter of shift_share must be a year with industry figures" in err.value.evalue


# -- a store in the real layout (tests/england_files.py): ready-made indicators, no industry table ----------


def test_headline_ids_follow_what_the_store_holds(tiny_england_store, default_dx):
    assert ec.economy_indicator_ids(tiny_england_store) == ("gdp_per_head", "gva_per_hour", "employment_rate")
    # the synthetic store holds every one of the section's own measures, in the same order as before
    assert ec.economy_indicator_ids(default_dx.store) == ec.ECONOMY_INDICATORS


def test_counts_are_not_headline_measures(tiny_england_store):
    catalogue = tiny_england_store.catalogue
    ids = ec.economy_indicator_ids(tiny_england_store)
    assert all(catalogue.loc[i, "value_type"] != "count" for i in ids)


def test_the_headline_on_real_data_shows_ready_made_figures_not_missing_synthetic_ids(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="region")
    table = ev.headline(dx)
    assert list(table["indicator_id"]) == ["gdp_per_head", "gva_per_hour", "employment_rate"]
    shown = ev.headline_table(dx).data
    assert "gva_per_head" not in shown and "business_density" not in shown and "not available" not in shown
    assert "Gross value added per hour worked" in shown
    assert "Published without a confidence interval" in shown and "ready-made" in shown


def test_every_economy_view_renders_on_a_real_layout_store(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="region")
    shown = {heading: (view(dx, None, None) if "start_year" in view.__code__.co_varnames else view(dx))
             for heading, view in ev.VIEWS}
    for heading in ("Industrial structure", "Shift-share: why jobs changed", "Productivity gap"):
        assert "no industry table" in shown[heading].data and "BRES" in shown[heading].data
    assert "<svg" in shown["How the place compares"].data and "<svg" in shown["Trends"].data
    notes = shown["About the data"].data
    assert "publishers&#x27; own 95% intervals" in notes or "publishers' own 95% intervals" in notes
    assert "Wilson" not in notes and "Shift-share: Dunn" not in notes  # no method notes for figures not shown
    findings = shown["Findings"].data
    assert "Gross domestic product per head" in findings and "commute in" in findings
