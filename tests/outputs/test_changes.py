"""What changed between two editions of a place's figures, most important first, and the bad inputs."""

import datetime as dt
import json

import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.outputs.changes import CHANGE_COLUMNS, compare_editions, read_edition
from diagnostics.outputs.changes_report import changes_frame, changes_html, changes_notebook, changes_title
from diagnostics.outputs.figures import FIGURE_COLUMNS
from diagnostics.render.shown_tables import shown_tables


def _figure(row, column, value, shown, period="2024", comparison="", unit="", table="Headline", **place):
    return {"area_code": place.get("code", "Z1"), "area_name": place.get("name", "Radworth"), "section": "Health",
            "table": table, "row": row, "column": column, "period": period, "value": value, "lower": None,
            "upper": None, "unit": unit, "comparison": comparison, "source": "OHID", "method": "", "shown": shown,
            "store_version": place.get("version", "v1"), "synthetic": place.get("synthetic", True)}


OLD = [
    _figure("Obesity", "Radworth (95% CI)", 20.0, "20.0", comparison="similar"),
    _figure("Obesity", "Rank", 8, "8 of 50", unit="of 50"),
    _figure("Smoking", "Radworth (95% CI)", 15.0, "15.0", comparison="worse"),
    _figure("Pay", "Radworth (95% CI)", 600, "£600", period="2023", unit="£"),
    _figure("Gone", "Radworth (95% CI)", 1, "1"),
    _figure("Steady", "Radworth (95% CI)", 5, "5.0", comparison="similar"),
]
NEW = [
    _figure("Obesity", "Radworth (95% CI)", 22.0, "22.0", comparison="worse"),
    _figure("Obesity", "Rank", 12, "12 of 50", unit="of 50"),
    _figure("Smoking", "Radworth (95% CI)", 14.0, "14.0", comparison="similar"),
    _figure("Pay", "Radworth (95% CI)", 630, "£630", period="2024", unit="£"),
    _figure("New one", "Radworth (95% CI)", 2, "2"),
    _figure("Steady", "Radworth (95% CI)", 5, "5.0", comparison="similar"),
]


def _write(folder, figures, generated=None):
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(figures, columns=FIGURE_COLUMNS).to_csv(folder / "figures.csv", index=False)
    if generated:
        (folder / "run.json").write_text(json.dumps({"generated": generated}))
    return folder


def test_changes_are_ordered_comparison_revision_rank_new_period_then_shown_or_not(tmp_path):
    old = read_edition(_write(tmp_path / "old", OLD, "2026-03-03T10:00:00+00:00"))
    new = read_edition(_write(tmp_path / "new", NEW + [_figure("Steady", "Mercland", 4, "4.1", period="2024")]))
    old = read_edition(_write(tmp_path / "old", OLD + [_figure("Steady", "Mercland", 4, "4.0", period="2024")],
                              "2026-03-03T10:00:00+00:00"))
    changes = compare_editions(old, new)
    table = changes.table
    assert list(table.columns) == CHANGE_COLUMNS
    assert list(zip(table["kind"], table["row"])) == [
        ("comparison", "Obesity"),  # to worse first
        ("comparison", "Smoking"),  # from worse next
        ("revision", "Obesity"),  # same period, new value
        ("revision", "Smoking"),
        ("revision", "Steady"),
        ("rank", "Obesity"),
        ("new period", "Pay"),
        ("appeared", "New one"),
        ("disappeared", "Gone"),
    ]
    assert changes.old.date == dt.date(2026, 3, 3) and changes_title(changes) == "Changes since 3 March 2026"
    assert changes.notes == []


def test_a_revision_is_a_new_value_for_the_same_period_and_a_new_period_is_not(tmp_path):
    changes = compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", NEW)))
    pay = changes.table.set_index("row").loc["Pay"]
    assert (pay["kind"], pay["old_period"], pay["new_period"], pay["old_shown"], pay["new_shown"]) == (
        "new period", "2023", "2024", "£600", "£630")


def test_the_people_s_table_and_the_report_section_say_before_and_now(tmp_path):
    changes = compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", NEW)))
    frame = changes_frame(changes)
    first = frame.iloc[0]
    assert (first["What"], first["Figure"], first["Before"], first["Now"]) == (
        "Comparison with the country changed", "Obesity: Radworth (95% CI)", "20.0 (2024) [similar]",
        "22.0 (2024) [worse]")
    notebook = changes_notebook(changes)
    assert notebook.cells[0].source == f"# {changes_title(changes)}"
    (shown,) = shown_tables(changes_html(changes))
    assert shown.caption.startswith("8 changes since") and len(shown.rows) == 8
    assert shown.columns == ["What", "Section", "Table", "Figure", "Before", "Now"]


def test_another_store_version_is_compared_and_said_first(tmp_path):
    new = [dict(f, store_version="v2") for f in NEW]
    changes = compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", new)))
    assert changes.notes == ["The data changed: store version v1 then v2."]


def test_a_changed_code_of_the_same_place_is_the_first_change(tmp_path):
    new = [dict(f, area_code="Z9") for f in NEW]
    changes = compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", new)))
    assert changes.table.iloc[0][["kind", "old_shown", "new_shown"]].tolist() == ["place code", "Z1", "Z9"]
    assert changes.notes[0].startswith("The place's code changed from Z1 to Z9")


def test_editions_of_two_places_are_refused_naming_both(tmp_path):
    other = [dict(f, area_code="Z2", area_name="Mercford") for f in NEW]
    with pytest.raises(InvalidParameter, match=r"of Radworth \(Z1\) and .* of Mercford \(Z2\): changes compare two "
                                               r"editions of one place. Give an earlier run of the same place"):
        compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", other)))


def test_a_synthetic_edition_is_not_compared_with_a_real_one(tmp_path):
    real = [dict(f, synthetic=False) for f in NEW]
    with pytest.raises(InvalidParameter, match=r"is of the synthetic country and the other edition of real data"):
        compare_editions(read_edition(_write(tmp_path / "a", OLD)), read_edition(_write(tmp_path / "b", real)))


def test_a_run_folder_without_figures_is_named_with_the_fix(tmp_path):
    (tmp_path / "run").mkdir()
    with pytest.raises(InvalidParameter, match=r"OLD_RUN '.*run' is a folder without figures.csv: .* Run the place "
                                               r"again \(place-diagnostic run\)"):
        read_edition(tmp_path / "run", "OLD_RUN")
    with pytest.raises(InvalidParameter, match=r"NEW_RUN '.*nowhere' does not exist; give a run's folder"):
        read_edition(tmp_path / "nowhere", "NEW_RUN")


def test_a_csv_that_is_not_a_figures_file_names_its_missing_columns(tmp_path):
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InvalidParameter, match=r"is not a figures.csv of a run: it lacks the columns area_code, "):
        read_edition(tmp_path / "other.csv", "OLD_RUN")
