"""The `figures` and `changes` commands: thin shells over diagnostics.outputs.figures_files and .changes."""

import io

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.outputs.changes import CHANGE_COLUMNS
from diagnostics.outputs.figures import FIGURE_COLUMNS

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_figures_prints_every_figure_of_a_place_as_csv_without_a_run(tiny_store_path):
    result = invoke("figures", "--place", "brackley vale", "--store", tiny_store_path)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert list(frame.columns) == FIGURE_COLUMNS
    assert set(frame["area_name"]) == {"Brackley Vale"} and len(frame) > 0


def test_figures_writes_a_workbook_to_out(tiny_store_path, tmp_path):
    out = tmp_path / "f.xlsx"
    result = invoke("figures", "--place", "D2", "--format", "xlsx", "--out", out, "--store", tiny_store_path)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "About" and book.sheetnames[-1] == "Sources"


def test_figures_as_xlsx_without_out_exits_2_with_the_fix(tiny_store_path):
    result = invoke("figures", "--place", "D2", "--format", "xlsx", "--store", tiny_store_path)
    assert result.exit_code == 2
    assert "give --out FILE.xlsx" in result.output


def test_changes_of_a_run_folder_without_figures_exits_2_and_touches_nothing(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "report.html").write_text("kept")
    new = tmp_path / "new.csv"
    pd.DataFrame(columns=FIGURE_COLUMNS).to_csv(new, index=False)
    result = invoke("changes", tmp_path / "old", new)
    assert result.exit_code == 2
    assert "is a folder without figures.csv" in result.output
    assert (tmp_path / "old" / "report.html").read_text() == "kept"


def test_changes_as_csv_lists_every_change(tmp_path):
    row = dict.fromkeys(FIGURE_COLUMNS, "")
    row.update(area_code="Z1", area_name="Radworth", section="S", table="T", row="R", column="C", period="2024",
               value=1.0, shown="1.0", store_version="v1", synthetic=True)
    pd.DataFrame([row]).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame([dict(row, value=2.0, shown="2.0")]).to_csv(tmp_path / "b.csv", index=False)
    result = invoke("changes", tmp_path / "a.csv", tmp_path / "b.csv", "--format", "csv")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert list(frame.columns) == CHANGE_COLUMNS and frame["kind"].tolist() == ["revision"]
