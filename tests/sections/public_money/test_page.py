"""The public-money page: its views in order, no view raising for any place or store, the headline for
the summary, and the notebook end to end."""

from __future__ import annotations

import re

import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.public_money import page
from diagnostics.sections.public_money.analysis import spending_over_years
from diagnostics.sections.public_money.headline import headline
from diagnostics.sections.registry import section


def _text(shown) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.data))


def test_the_page_s_views_and_headings_in_order_and_in_the_registry():
    assert [heading for heading, _view in page.VIEWS] == [
        "Findings", "Who spends in the place", "Spending by body and service",
        "Spending per resident against similar places", "Spending over the years",
        "How it is paid for: council tax", "Central government's spending in the region", "About the data",
    ]
    assert all(getattr(page, view.__name__) is view for _heading, view in page.VIEWS)
    assert section("public_money").views == page.VIEWS


@pytest.mark.parametrize("code", ["D1", "D2", "D3", "D4", "H1", "H2", "R1", "R2", "C1", "S3"])
def test_no_view_raises_or_shows_nan_for_a_place_of_any_layer(session_of, code):
    dx = session_of(code)
    for heading, view in page.VIEWS:
        text = _text(view(dx))
        assert "nan" not in text.split() and "None" not in text.split(), heading


def test_the_chart_is_an_accessible_svg_with_its_source_and_period(session_of):
    shown = page.spending_chart(session_of("D1")).data
    assert "<svg" in shown and 'role="img"' in shown
    assert 'aria-label="Stacked bars: public spending in Ashcombe in 2022-23' in shown
    assert "Source: synthetic (synthetic)" in _text(page.spending_chart(session_of("D1")))


def test_both_charts_carry_the_figures_of_their_bars_in_a_table_under_them(session_of):
    dx = session_of("D1")
    (bodies,) = [t for t in shown_tables(page.spending_chart(dx).data) if t.of_chart]
    assert bodies.columns[0] == "Body" and bodies.columns[-1] == "All services (£)"
    for row in bodies.rows:  # each bar's total is the sum of its families, as drawn
        parts = [c.numbers[0].value for c in row[1:-1]]
        assert abs(sum(parts) - row[-1].numbers[0].value) <= len(parts)
    years = spending_over_years(dx)
    (by_year,) = [t for t in shown_tables(page.years_view(dx).data) if t.of_chart]
    totals = years.groupby("period")["per_head"].sum()
    assert [(r[0].text, r[-1].numbers[0].value) for r in by_year.rows if r[-1].numbers] != []
    assert {r[0].text: r[by_year.columns.index("All services (£)")].numbers[0].value for r in by_year.rows} == {
        p: round(v) for p, v in totals.items()}


def test_the_bodies_table_names_the_missing_return_and_the_quality_figures(session_of):
    text = _text(page.bodies_table(session_of("D3")))
    assert "Caddington Council made no return for 2022-23" in text
    assert "Split share 0%; coverage 100%" in text


def test_every_view_of_a_store_without_spending_is_one_sentence_naming_the_datasets(tiny_store):
    from diagnostics.sections.session import start

    dx = start("D2", tiny_store)
    for heading, view in page.VIEWS:
        text = _text(view(dx))
        if heading not in ("Central government's spending in the region",):
            assert "Revenue Outturn" in text or "no public spending" in text.lower(), heading


def test_headline_for_the_summary_is_neutral_and_in_benchmark_columns(session_of, tiny_store):
    from diagnostics.sections.session import start

    table = headline(session_of("D1"))
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert table["polarity"].eq("neutral").all() and table["status"].eq("ok").all()
    assert table.set_index("indicator_id").loc["public_spend_per_head", "value"] == pytest.approx(
        1000 * (3440 + 344 + 6880 + 675.012245) / 3440)
    assert table["vs_country"].eq("not compared").all()  # no interval: never a strength or a challenge
    empty = headline(start("D2", tiny_store))
    assert empty["status"].str.startswith("not available").all()


# -- the notebook, end to end -------------------------------------------------------------------------


@pytest.mark.slow
def test_public_money_notebook_runs_end_to_end_into_an_offline_report(small_store, tmp_path):
    from diagnostics.outputs.run import run_place  # loads papermill and nbconvert
    from diagnostics.render.offline import find_outside_urls

    result = run_place("default", store=small_store, out=tmp_path, notebooks=["public_money"])
    assert [p.name for p in result.notebooks] == ["50_public_money.ipynb"]
    report = result.report.read_text()
    for heading, _view in page.VIEWS:
        assert heading in report
    assert "SYNTHETIC DATA" in report and "Integrated Care Board" in report and "<svg" in report
    assert "Traceback" not in report and find_outside_urls(report) == []


@pytest.mark.slow
def test_public_money_notebook_runs_on_a_store_without_spending(tiny_store_path, tmp_path):
    from diagnostics.outputs.run import run_place  # loads papermill and nbconvert

    result = run_place("default", store=tiny_store_path, out=tmp_path, notebooks=["public_money"])
    report = result.report.read_text()
    assert "Revenue Outturn" in report and "Traceback" not in report
