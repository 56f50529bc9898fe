"""The growth page (diagnostics.sections.growth.page): its views in order, the notebook's set-up, one
rendering test for each view defined here, a user's register end to end, and the notebook."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers.tiny import build_tiny_store

from diagnostics.sections.growth import page
from diagnostics.sections.growth.analysis import growth_page
from diagnostics.sections.growth.headline import headline
from diagnostics.sections.growth.place_model import place_model
from diagnostics.sections.session import start
from diagnostics.store.schema import TABLE_SCHEMAS
from diagnostics.store.store import open_store, write_store


def test_the_page_keeps_its_views_in_order_under_their_headings():
    assert [heading for heading, _ in page.VIEWS] == [
        "High-growth firms at a glance", "High-growth rates over time", "How the place compares", "The sectors they are in",
        "Where they are", "Hot spots", "What the model links to high growth", "How well the model predicts",
        "Firms most likely to grow next", "Observed and expected high growth", "Skills, productivity and business survival",
        "What holds them back", "Data quality of the firm register", "Definitions and sources"]
    for _, view in page.VIEWS:  # the notebook calls growth.<name>(dx)
        assert getattr(page, view.__name__) is view and view.__name__ in page.__all__
    assert page.NOTEBOOK.setup == (
        "growth.set_definition(dx, threshold=threshold, window=window, min_employees=min_employees)",)


def test_skills_productivity_and_survival_are_benchmarked(small_dx):
    assert "<table" in page.skills_productivity_survival(small_dx).data


def test_what_holds_them_back_lists_the_findings_with_their_figures(small_dx, alpha_dx):
    shown = page.holding_back(small_dx).data
    assert "<ol class='pd-findings'><li>The high-growth rate is" in shown and "[Figure: " in shown
    assert "<p class='pd-growth-note'>Each finding names" in shown
    published = page.holding_back(alpha_dx).data
    assert "7.5% (2024), against England 5.0%; ranked 2 of 3 districts" in published
    assert "need a firm register" in published


def test_data_quality_lists_every_check(firms_dx):
    shown = page.data_quality(firms_dx).data
    assert "Data-quality checks of the firm register (4 firms, 20 firm-years): 0 kind(s) of problem found." in shown


def test_definitions_name_the_definition_in_use_and_the_ready_made_figures(firms_dx, alpha_dx):
    assert "more than 20% a year over 3 years, 10+ employees at the start" in page.definitions(firms_dx).data
    assert "Ready-made: ONS Business Demography" in page.definitions(alpha_dx).data


def test_a_users_register_added_to_a_store_as_the_readme_shows_renders_every_view(tmp_path):
    """The README's recipe (CSV files written into a copy of a store), with bad rows and too few firms
    to fit the model: every view still renders, and the problems are counted."""
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
    for _, view in page.VIEWS:
        view(dx)
    assert "too few firm-windows to fit the growth model" in str(place_model(dx).problem)
    quality = growth_page(dx).register.quality.set_index("check")["count"]
    assert (quality > 0).sum() == 6
    assert quality[["duplicated firm id", "unknown or missing SIC section", "negative employment"]].tolist() == [1, 1, 1]
    head = headline(dx).set_index("indicator_id")
    assert head.loc["high_growth_rate", "status"] == "ok"  # A1 (+30% a year) is in Brackley Vale
    assert head.loc["high_growth_rate", "value"] > 0


@pytest.mark.slow
def test_growth_notebook_runs_end_to_end_and_its_report_is_offline(small_store, tmp_path):
    # here, not at the top: the runner (papermill) and the offline check (folium) are heavy to collect
    from diagnostics.outputs.run import run_place
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["20_growth_firms"])
    report = result.report.read_text()
    assert "SYNTHETIC DATA" in report
    for heading, _ in page.VIEWS:
        assert heading in report
    assert "How well the model predicts" in report and "area under the ROC curve" in report
    assert find_outside_urls(report) == []
