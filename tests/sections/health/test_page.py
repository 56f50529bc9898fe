"""The health page: its views in order, its headline for the summary, the findings and methods views, and
the notebook end to end."""

from __future__ import annotations

import re

import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.render.style import stylesheet
from diagnostics.sections.health import headline as health_headline
from diagnostics.sections.health import narrative, page, place_results
from diagnostics.sections.health.mortality import mortality_unavailable_reason
from diagnostics.sections.registry import section
from diagnostics.sections.session import start


def test_the_page_s_views_and_headings_in_order():
    assert [heading for heading, _view in page.VIEWS] == [
        "Findings", "Headline health", "Spine chart", "Funnel plots", "Inequality within the place",
        "Deprivation profile", "Deprivation map of the small areas", "Small-area health map", "Similar places",
        "Across boundaries: health areas", "About these figures",
    ]
    assert section("health").views == page.VIEWS
    assert all(getattr(page, view.__name__) is view for _heading, view in page.VIEWS)  # the notebook's calls


def test_headline_for_the_summary_has_the_five_computed_measures(gradient_session):
    table = section("health").headline(gradient_session)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert table["indicator_id"].tolist() == list(health_headline.HEADLINE_MEASURE_IDS)
    assert (table["status"] == "ok").all()


def test_headline_for_the_summary_shows_ready_made_life_expectancy_on_a_real_store(tiny_england_store):
    table = page.headline(start("E08000001", tiny_england_store, comparators="region"))
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert table["indicator_id"].tolist() == ["life_expectancy_female", "life_expectancy_male",
                                              "life_expectancy_65_female", "life_expectancy_65_male",
                                              "under75_mortality"]


def test_headline_for_the_summary_says_why_a_store_without_deaths_has_no_values(tiny_store):
    table = page.headline(start("D2", tiny_store, comparators="region"))
    assert table["status"].str.contains("no deaths table").all() and table["value"].isna().all()


@pytest.mark.parametrize("store_name, place", [("gradient_store", "D1"), ("tiny_england_store", "E08000001")])
def test_findings_view_lists_each_finding_with_the_view_it_points_at(request, text_of, store_name, place):
    dx = start(place, request.getfixturevalue(store_name), comparators="region")
    reason = mortality_unavailable_reason(dx.store)
    found = narrative.findings(place_results.headline_table_of(dx),
                               place_results.inequality_of(dx) if reason is None else None,
                               dx.place.name, place_results.country_name(dx, "the country"), reason)
    shown = page.findings_view(dx).data
    assert shown.count("<li>") == len(found) > 0
    text = text_of(shown)
    for item in found:
        assert f"{item.text} (see: {item.evidence})" in text


def test_methods_view_names_the_store_s_own_and_ready_made_indicators(tiny_england_store, gradient_session, text_of):
    text = text_of(page.methods_view(start("E08000001", tiny_england_store, comparators="region")))
    assert text.startswith("Life expectancy and mortality are not computed here: the store has no population or "
                           "deaths table")
    assert ("Ready-made (published, not computed here; marked so in the tables): hle (female), life expectancy "
            "(female), life expectancy (male), inactivity.") in text
    assert "MHCLG's local-authority summaries of the English Indices of Deprivation 2019" in text
    synthetic = text_of(page.methods_view(gradient_session))
    assert "Ready-made" not in synthetic and "person-years are 5,000 or fewer" in synthetic


@pytest.mark.parametrize("place", ["D1", "D2", "D3", "S24", "H2", "R1", "C1"])
def test_no_view_raises_for_places_of_every_size_and_layer(gradient_store, place):
    dx = start(place, gradient_store, comparators="region")
    for heading, view in page.VIEWS:
        assert view(dx).data.startswith('<div class="pd-'), heading  # the synthetic label, or a notice


def test_the_views_that_need_deaths_or_scores_are_notices_on_a_store_without_them(tiny_store, text_of):
    dx = start("D2", tiny_store, comparators="region")
    shown = {heading: view(dx).data for heading, view in page.VIEWS}
    for heading in ("Inequality within the place", "Small-area health map", "Deprivation profile"):
        assert 'class="pd-notice"' in shown[heading], heading
    assert text_of(shown["Inequality within the place"]).startswith(
        "Not available: Inequality by deprivation cannot be shown: the store has no deaths table")


def test_no_view_of_a_real_store_shows_nan_or_none_and_the_funnels_say_what_to_import(tiny_england_store, text_of):
    dx = start("E08000001", tiny_england_store, comparators="region")
    shown = {heading: view(dx).data for heading, view in page.VIEWS}
    for heading, markup in shown.items():
        assert ">nan<" not in markup and " nan " not in markup and "None" not in markup, heading
    assert "a Fingertips API export carries them (its Count and Denominator fields)" in text_of(shown["Funnel plots"])


#: Classes that name a view's table for readers' own styles and for tests, with no rule of their own.
HOOKS = {"pd-deprivation"}


def test_the_health_page_uses_classes_of_the_stylesheet_and_no_inline_styles(gradient_session, tiny_england_store):
    css = stylesheet()
    for dx in (gradient_session, start("E08000001", tiny_england_store, comparators="region")):
        for heading, view in page.VIEWS:
            markup = view(dx).data
            # charts (SVG) and maps (an iframe of folium's page) carry their own drawing styles
            own = re.sub(r"<svg.*?</svg>|<iframe.*?</iframe>", "", markup, flags=re.S)
            assert "style=" not in own and "<style" not in own, heading
            classes = {c for found in re.findall(r"class=['\"]([^'\"]+)['\"]", own) for c in found.split()}
            for name in classes - HOOKS:
                assert re.search(rf"\.{re.escape(name)}\b", css), f"{heading}: no rule for class {name!r}"


# -- the notebook, end to end -------------------------------------------------------------------------


@pytest.mark.slow
def test_health_notebook_runs_end_to_end_into_an_offline_report(small_store, tmp_path):
    from diagnostics.outputs.run import run_place  # loads papermill and nbconvert
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["health"])
    assert [p.name for p in result.notebooks] == ["40_health.ipynb"]
    report = result.report.read_text()
    for heading, _view in page.VIEWS:
        assert heading in report
    assert "SYNTHETIC DATA" in report and "Life expectancy at birth (female)" in report and "<svg" in report
    assert find_outside_urls(report) == []


@pytest.mark.slow
def test_health_notebook_runs_on_a_store_without_deaths(tiny_store_path, tmp_path):
    from diagnostics.outputs.run import run_place  # loads papermill and nbconvert

    result = run_place("default", store=tiny_store_path, out=tmp_path, notebooks=["health"])
    report = result.report.read_text()
    assert "no deaths table" in report and "Smoking prevalence" in report


@pytest.mark.slow
def test_health_notebook_runs_on_a_real_layout_store(tiny_england_store, tmp_path):
    from diagnostics.outputs.run import run_place  # loads papermill and nbconvert

    result = run_place("E08000002", store=tiny_england_store.path, out=tmp_path, notebooks=["health"])
    report = result.report.read_text()
    assert "pd-deprivation" in report and "13,923" in report and "Traceback" not in report
    assert "SYNTHETIC DATA" not in report
