"""Every figure the views' tables show, as one long table, and the files written from it."""

from types import SimpleNamespace

import nbformat
import openpyxl
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter, OutputNotWritable
from diagnostics.outputs.figures import FIGURE_COLUMNS, ShownOutput, figures_of_notebooks, figures_of_outputs
from diagnostics.outputs.figures_files import (
    FIGURES_CSV,
    FIGURES_XLSX,
    table_frame,
    write_figures,
    write_figures_file,
)
from diagnostics.render.chart_figures import ChartFigures, FigureColumn, figures_details
from diagnostics.render.html import source_line
from diagnostics.render.tables import badge, html_table

PLACE = SimpleNamespace(code="Z07000001", name="Radworth")


def _store(synthetic=True):
    catalogue = pd.DataFrame({"short_name": ["Obesity"], "name": ["Adults classified as obese"],
                              "method": ["Wilson score interval"]})
    return SimpleNamespace(catalogue=catalogue, source="synthetic" if synthetic else "ONS", vintage="2024",
                           version="abc123", is_synthetic=synthetic, attribution="Contains OGL data.")


HEADLINE = (
    "<table class='pd-table'><caption>Headline caption</caption><thead><tr><th>Indicator</th><th>Period</th>"
    "<th>Radworth (95% CI)</th><th>Mercland</th><th>Rank</th><th>Against Mercland</th><th>Source</th></tr></thead>"
    "<tbody><tr><td>Obesity<span class='ci'>per 100</span></td><td>2022-24</td><td><strong>20.2</strong>"
    f"<span class='ci'>(18.0 to 22.6)</span></td><td>26.2</td><td>8 of 50</td><td>{badge('better')}</td>"
    "<td>OHID</td></tr></tbody></table>"
)
JOBS = html_table(pd.DataFrame({"Industry": ["Manufacturing (C)"], "Jobs": ["1,234"], "Share of jobs": ["<1%"]}),
                  "Jobs by industry") + source_line("BRES", "2024")


def _figures(synthetic=True):
    outputs = [ShownOutput("Health", "Headline health", HEADLINE),
               ShownOutput("Economy", "Industry", JOBS + JOBS.replace("1,234", "2,000")),
               ShownOutput("Economy", "Findings", "<ul><li>No table: 3 findings</li></ul>")]
    return figures_of_outputs(outputs, PLACE, _store(synthetic))


def test_each_number_of_each_table_is_one_row_with_its_label_column_period_unit_and_source():
    shown = _figures()
    frame = shown.figures
    assert list(frame.columns) == FIGURE_COLUMNS
    head = frame.loc[frame["table"] == "Headline health"].set_index("column")
    assert list(head.index) == ["Radworth (95% CI)", "Mercland", "Rank"]
    estimate = head.loc["Radworth (95% CI)"]
    assert (estimate["row"], estimate["period"], estimate["value"], estimate["lower"], estimate["upper"]) == (
        "Obesity", "2022-24", 20.2, 18.0, 22.6)
    assert (estimate["unit"], estimate["source"], estimate["method"]) == ("per 100", "OHID", "Wilson score interval")
    assert (head.loc["Rank", "value"], head.loc["Rank", "unit"]) == (8.0, "of 50")
    assert set(frame[["area_code", "area_name", "store_version"]].itertuples(index=False, name=None)) == {
        ("Z07000001", "Radworth", "abc123")}
    assert frame["synthetic"].all()


def test_the_comparison_goes_to_the_place_s_own_figure_only():
    head = _figures().figures.query("table == 'Headline health'").set_index("column")["comparison"]
    assert head.to_dict() == {"Radworth (95% CI)": "better", "Mercland": "", "Rank": ""}


def test_a_table_without_a_period_column_takes_the_source_line_s_and_several_tables_of_a_view_are_numbered():
    frame = _figures().figures.query("section == 'Economy'")
    assert list(frame["table"].unique()) == ["Industry (1 of 2)", "Industry (2 of 2)"]
    jobs = frame.loc[frame["column"] == "Jobs"]
    assert list(jobs["value"]) == [1234.0, 2000.0]
    assert set(jobs["period"]) == {"2024"} and set(jobs["source"]) == {"BRES"}
    assert set(jobs["method"]) == {"Jobs by industry"}  # not an indicator of the catalogue: the caption
    bound = frame.loc[frame["column"] == "Share of jobs"].iloc[0]
    assert pd.isna(bound["value"]) and bound["upper"] == 1.0 and bound["shown"] == "<1%"


def test_the_tables_of_executed_notebooks_are_read_under_their_section_and_heading():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Health\n\nintro"),
        nbformat.v4.new_markdown_cell("## Headline health"),
        nbformat.v4.new_code_cell("view(dx)", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": HEADLINE, "text/plain": "<HTML>"})]),
    ])
    frame = figures_of_notebooks([nb], PLACE, _store()).figures
    assert set(frame["section"]) == {"Health"} and set(frame["table"]) == {"Headline health"} and len(frame) == 3


def test_the_workbook_has_about_a_sheet_per_table_with_units_in_headers_and_sources(tmp_path):
    csv_path, xlsx_path = write_figures(_figures(synthetic=False), tmp_path)
    assert (csv_path.name, xlsx_path.name) == (FIGURES_CSV, FIGURES_XLSX)
    assert len(pd.read_csv(csv_path)) == len(_figures().figures)
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["About", "Headline health", "Industry (1 of 2)", "Industry (2 of 2)", "Sources"]
    rows = list(book["Headline health"].iter_rows(values_only=True))
    assert rows[1][0] == "Contains OGL data."
    assert rows[2][:6] == ("Indicator", "Period", "Radworth (95% CI)", "Radworth (95% CI): lower 95%",
                           "Radworth (95% CI): upper 95%", "Mercland")
    assert rows[3][:6] == ("Obesity", "2022-24", 20.2, 18.0, 22.6, 26.2)
    sources = list(book["Sources"].iter_rows(values_only=True))
    assert sources[2][3:5] == ("BRES", "2024")


def test_a_synthetic_workbook_says_so_on_every_table_sheet(tmp_path):
    _, xlsx_path = write_figures(_figures(synthetic=True), tmp_path)
    book = openpyxl.load_workbook(xlsx_path)
    for name in book.sheetnames[1:-1]:
        assert book[name]["A2"].value.startswith("SYNTHETIC DATA")


def test_table_frame_puts_a_shared_unit_in_the_header_and_keeps_a_bound_as_shown():
    titled = _figures().tables[1]
    frame = table_frame(titled)
    assert list(frame.columns) == ["Industry", "Jobs", "Share of jobs (%)"]
    assert frame.iloc[0].tolist() == ["Manufacturing (C)", 1234.0, "<1%"]


def test_write_figures_file_refuses_xlsx_without_a_file_and_an_unknown_format_before_computing():
    with pytest.raises(InvalidParameter, match=r"xlsx format needs a file to write: give --out FILE.xlsx"):
        write_figures_file("default", "xlsx", None)
    with pytest.raises(InvalidParameter, match=r"'format' parameter of write_figures_file must be 'csv' or 'xlsx'; got 'pdf'"):
        write_figures_file("default", "pdf", None)


def test_write_figures_file_refuses_a_folder_or_a_file_under_a_file(tmp_path):
    with pytest.raises(OutputNotWritable, match=r"it is a folder; give a file name"):
        write_figures_file("default", "csv", tmp_path)
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputNotWritable, match=r"is a file, not a folder"):
        write_figures_file("default", "csv", tmp_path / "f" / "figures.csv")


def test_a_row_named_by_a_number_is_labelled_with_its_header():
    markup = html_table(pd.DataFrame({"Decile": ["1", "2"], "Life expectancy": ["78.6", "80.1"]}), "By decile")
    frame = figures_of_outputs([ShownOutput("Health", "Inequality", markup)], PLACE, _store()).figures
    assert frame[["row", "column", "value"]].values.tolist() == [["Decile 1", "Life expectancy", 78.6],
                                                                  ["Decile 2", "Life expectancy", 80.1]]


def test_a_charts_figures_are_a_table_of_their_own_and_leave_the_views_tables_titled_as_before(tmp_path):
    chart = figures_details(ChartFigures(pd.DataFrame({"year": [2023, 2024], "v": [4.5, 5.25]}), "Rate by year", "ONS",
                                         "2023 to 2024", [("year", "Year")], [FigureColumn("v", "Rate", "%", 1)]))
    outputs = [ShownOutput("Economy", "Industry", JOBS + chart + chart),
               ShownOutput("Economy", "Employment and its trend over the years", chart + JOBS)]
    shown = figures_of_outputs(outputs, PLACE, _store())
    assert [t.title for t in shown.tables] == [
        "Industry", "Chart – Industry (1 of 2)", "Chart – Industry (2 of 2)",
        "Chart – Employment and its trend over the years", "Employment and its trend over the years"]
    rates = shown.figures.loc[shown.figures["table"] == "Chart – Industry (1 of 2)"]
    assert rates[["row", "period", "value", "unit", "source"]].values.tolist() == [
        ["Year 2023", "2023 to 2024", 4.5, "%", "ONS"], ["Year 2024", "2023 to 2024", 5.2, "%", "ONS"]]
    _, xlsx_path = write_figures(shown, tmp_path)
    assert openpyxl.load_workbook(xlsx_path).sheetnames[1:-1] == [
        "Industry", "Chart – Industry (1 of 2)", "Chart – Industry (2 of 2)", "Chart – Employment and its tren",
        "Employment and its trend over t"]


def test_a_long_numbered_title_keeps_its_numbering_in_the_sheet_name(tmp_path):
    outputs = [ShownOutput("Economy", "Shift-share: national growth, industry mix and local effect", JOBS + JOBS)]
    _, xlsx_path = write_figures(figures_of_outputs(outputs, PLACE, _store()), tmp_path)
    assert openpyxl.load_workbook(xlsx_path).sheetnames[1:-1] == ["Shift-share national g (1 of 2)",
                                                                 "Shift-share national g (2 of 2)"]
