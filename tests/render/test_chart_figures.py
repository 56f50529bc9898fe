"""diagnostics.render.chart_figures and figure_html's ``data``: a chart's figures as a real table under it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import charts, comparison_charts
from diagnostics.render.chart_figures import SUMMARY, ChartFigures, FigureColumn, figures_details
from diagnostics.render.shown_tables import shown_tables


@pytest.fixture
def rates() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Alphaton", "Betaby", "England"],
        "role": ["place", "comparator", "country"],
        "value": [72.14, 1234.5, np.nan],
        "lower_ci": [70.0, 1200.0, np.nan],
        "upper_ci": [74.25, 1270.0, np.nan],
    })


@pytest.fixture
def figures(rates) -> ChartFigures:
    return ChartFigures(rates, caption="Rate by area", source="ONS", period="2024",
                        labels=[("name", "Area"), ("role", "Role")],
                        values=[FigureColumn("value", "Rate", "per 100,000", 1, "lower_ci", "upper_ci")])


def _figure(rates):
    return comparison_charts.comparison_bar(rates.fillna({"value": 1.0}), title="Rates")


def test_figures_details_is_a_closed_disclosure_holding_a_captioned_table_with_scoped_headers(figures):
    soup = BeautifulSoup(figures_details(figures), "html.parser")
    details = soup.find("details")
    assert details["class"] == ["pd-chart-data"] and not details.has_attr("open")
    assert details.find("summary").get_text() == SUMMARY
    table = details.find("table")
    assert table.find("caption").get_text() == "Rate by area"
    headers = table.find("thead").find_all("th")
    assert [h.get_text() for h in headers] == ["Area", "Role", "Rate (per 100,000, 95% CI)"]
    assert {h["scope"] for h in headers} == {"col"}
    assert [th["scope"] for th in table.find("tbody").find_all("th")] == ["row"] * 3
    assert details.find("p", class_="pd-source").get_text() == "Source: ONS; period: 2024"


def test_figures_details_writes_numbers_with_the_one_formatter_and_intervals_of_estimates(figures):
    table = shown_tables(figures_details(figures))[0]
    cells = [[c.text for c in row] for row in table.rows]
    assert cells == [["Alphaton", "place", "72.1 per 100,000 (70.0 to 74.2)"],
                     ["Betaby", "comparator", "1,234.5 per 100,000 (1,200.0 to 1,270.0)"],
                     ["England", "country", "–"]]
    first = table.rows[0][2].numbers[0]
    assert (first.value, first.lower, first.upper, first.unit) == (72.1, 70.0, 74.2, "per 100,000")


def test_the_table_is_read_as_a_charts_figures_with_its_source_and_period(figures):
    (table,) = shown_tables(figures_details(figures) + "<table><tr><td>a</td><td>1</td></tr></table>")[:1]
    assert table.of_chart and (table.source, table.period) == ("ONS", "2024")
    assert not shown_tables("<table><tr><td>a</td><td>1</td></tr></table>")[0].of_chart


def test_a_column_can_take_each_rows_unit_and_decimals():
    frame = pd.DataFrame({"m": ["GVA", "Rate"], "v": [28431.2, 74.53], "u": ["£", "%"], "d": [0, 1]})
    shown = figures_details(ChartFigures(frame, "c", "s", "p", [("m", "Measure")],
                                         [FigureColumn("v", "Value", unit_column="u", decimals_column="d")]))
    table = shown_tables(shown)[0]
    assert table.columns == ["Measure", "Value"]
    assert [r[1].text for r in table.rows] == ["£28,431", "74.5%"]


def test_figure_html_places_the_figures_after_the_chart_and_its_name_says_where_they_are(rates, figures):
    markup = charts.figure_html(_figure(rates), alt="Rates of A and B.", data=figures)
    soup = BeautifulSoup(markup, "html.parser")
    figure = soup.find("figure")
    assert figure["aria-label"] == f"Rates of A and B. Its figures are in the table under the chart (\u201c{SUMMARY}\u201d)."
    assert figure.find_next_sibling("details")["class"] == ["pd-chart-data"]
    png = BeautifulSoup(charts.figure_html(_figure(rates), fmt="png", alt="A", data=figures), "html.parser")
    assert png.find("img")["alt"].startswith("A. Its figures are in the table under the chart")
    assert png.find("details") is not None


def test_figure_html_refuses_both_a_table_on_the_page_and_figures_of_its_own(rates, figures):
    with pytest.raises(InvalidParameter, match=r"Give figure_html either 'table' .* or 'data' .*, not both"):
        charts.figure_html(_figure(rates), table="Rates", data=figures)


def test_figure_html_names_what_is_wrong_with_the_figures(rates, figures):
    fig = _figure(rates)
    with pytest.raises(InvalidParameter, match=r"'data' parameter of figure_html must be a ChartFigures; got DataFrame"):
        charts.figure_html(fig, data=rates)
    with pytest.raises(InvalidParameter, match=r"figure_html has no rows: leave 'data' out"):
        charts.figure_html(fig, data=ChartFigures(rates.iloc[0:0], "c", "s", "p", figures.labels, figures.values))
    with pytest.raises(InvalidParameter, match=r"The 'source' of the chart's figures given to figure_html must be a "
                                               r"non-empty str; got ''"):
        charts.figure_html(fig, data=ChartFigures(rates, "c", "", "p", figures.labels, figures.values))
    with pytest.raises(InvalidParameter, match=r"lacks the column\(s\) \['lower'\]"):
        charts.figure_html(fig, data=ChartFigures(rates, "c", "s", "p", figures.labels,
                                                  [FigureColumn("value", "Rate", lower="lower", upper="upper_ci")]))
    with pytest.raises(InvalidParameter, match=r"need at least one label column and one FigureColumn; got 2 and 0"):
        figures_details(ChartFigures(rates, "c", "s", "p", figures.labels, []))
