"""End to end: a run writes figures.csv and figures.xlsx beside its report, holding every number of the
report's tables, and ``place-diagnostic figures`` gives the same figures without a run."""

import json
import re

import openpyxl
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.outputs.figures import figures_of_session
from diagnostics.outputs.figures_files import FIGURES_CSV, FIGURES_XLSX
from diagnostics.outputs.run import run_place
from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.session import start

pytestmark = pytest.mark.slow

#: A cell that begins like a number (a digit, a sign, £, a bound or a bracket) shows a figure; cells that
#: begin with a word are names and sentences ("Radworth 008", "age 50 years (-0.10)"), not figures.
_BEGINS_LIKE_A_NUMBER = re.compile(r"^[\d+\-£<>(]")


def _is_sentence(text: str) -> bool:
    """More than three words: a sentence or list with numbers in it (the growth model's reasons: "661
    residents per km² where it is (-0.13); sector: ..."), not a figure with its unit."""
    return len(re.findall(r"[A-Za-z]{3,}", text)) > 3



@pytest.fixture(scope="module")
def full_run(small_store, tmp_path_factory):
    return run_place("default", store=small_store, out=tmp_path_factory.mktemp("figures-run"))


@pytest.fixture(scope="module")
def figures(full_run):
    return pd.read_csv(full_run.out_dir / FIGURES_CSV, keep_default_na=False)


def test_every_number_in_the_report_s_tables_is_a_row_of_figures_csv(full_run, figures):
    tables = [t for t in shown_tables(full_run.report.read_text()) if t.rows]
    shown = set(zip(figures["row"], figures["shown"]))
    missing, unread = [], []
    for table in tables:
        for cells in table.rows:
            label = f"{table.columns[0]} {cells[0].text}" if cells[0].numbers else cells[0].label
            for index, cell in enumerate(cells[1:], start=1):
                column = table.columns[index].casefold() if index < len(table.columns) else ""
                if cell.numbers and not column.startswith(("period", "source")):
                    if (label, cell.text) not in shown:
                        missing.append((table.caption[:40], label, cell.text))
                elif _BEGINS_LIKE_A_NUMBER.match(cell.text) and not column.startswith("period") and not _is_sentence(cell.text):
                    unread.append((table.caption[:40], column, cell.text))
    assert len(tables) > 15
    assert missing == []
    assert unread == []  # a cell showing a number the reader could not read would be left out of the files


def test_figures_csv_names_the_place_store_and_synthetic_label_and_compares_the_place_s_figures(full_run, figures, small_store):
    store = start("default", small_store).store
    assert set(figures["area_code"]) == {full_run.place.code}
    assert set(figures["store_version"]) == {store.version}
    assert figures["synthetic"].all()
    assert {"better", "similar", "worse"} <= set(figures["comparison"])
    assert {"Summary", "Economy", "Growth firms", "Geographies", "Health", "Public money"} == set(figures["section"])
    assert (figures["source"] != "").all()


def test_figures_xlsx_has_a_sheet_per_table_of_the_report(full_run, figures):
    book = openpyxl.load_workbook(full_run.out_dir / FIGURES_XLSX, read_only=True)
    tables = list(dict.fromkeys(figures["table"]))
    assert book.sheetnames[0] == "About" and book.sheetnames[-1] == "Sources"
    assert len(book.sheetnames) - 2 >= len(tables)


def test_run_since_an_earlier_run_adds_the_changes_section(full_run, small_store, tmp_path):
    again = run_place("default", store=small_store, out=tmp_path, notebooks=["summary"], since=full_run.out_dir)
    tables = shown_tables(again.report.read_text())
    changes = [t for t in tables if t.columns == ["What", "Section", "Table", "Figure", "Before", "Now"]]
    assert len(changes) == 1 and re.match(r"\d+ changes since", changes[0].caption)
    assert {c[0].text for c in changes[0].rows} == {"No longer shown"}  # the sections this run left out
    assert json.loads((again.out_dir / "run.json").read_text())["since"] == str(full_run.out_dir)


def test_run_since_a_folder_without_figures_stops_before_anything_runs(full_run, small_store, tmp_path):
    report = full_run.report.read_bytes()
    with pytest.raises(InvalidParameter, match=r"--since '.*' is a folder without figures.csv"):
        run_place("default", store=small_store, out=full_run.out_dir.parent, since=tmp_path)
    assert full_run.report.read_bytes() == report


def test_the_figures_without_a_run_are_those_of_the_run(figures, small_store):
    computed = figures_of_session(start("default", small_store)).figures
    shown = computed.astype(str).replace({"nan": "", "None": ""})
    assert shown[["section", "table", "row", "column", "shown"]].values.tolist() == \
        figures[["section", "table", "row", "column", "shown"]].astype(str).values.tolist()
