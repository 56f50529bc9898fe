"""The batch index shows each place's changes since an earlier batch (``batch --since``)."""

import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.outputs.batch import run_batch, select_places
from diagnostics.outputs.batch_index import write_index
from diagnostics.outputs.batch_outcomes import PlaceOutcome
from diagnostics.outputs.changes import earlier_editions
from diagnostics.outputs.figures import FIGURE_COLUMNS
from diagnostics.render.shown_tables import shown_tables


def _figures(folder, code, name, value):
    row = dict.fromkeys(FIGURE_COLUMNS, "")
    row.update(area_code=code, area_name=name, section="Health", table="Headline", row="Obesity",
               column=f"{name} (95% CI)", period="2024", value=value, shown=f"{value:.1f}", store_version="v1",
               synthetic=True)
    (folder / code).mkdir(parents=True, exist_ok=True)
    pd.DataFrame([row]).to_csv(folder / code / "figures.csv", index=False)


def test_the_index_has_a_column_of_each_place_s_changes_since_the_earlier_batch(tiny_store, tmp_path):
    places = select_places(tiny_store)[:3]
    before, now = tmp_path / "before", tmp_path / "now"
    for place, old, new in zip(places[:2], (1.0, 2.0), (1.5, 2.0)):
        _figures(before, place.code, place.name, old)
        _figures(now, place.code, place.name, new)
    earlier = earlier_editions(before, places)
    assert sorted(earlier) == sorted(p.code for p in places[:2])
    outcomes = [PlaceOutcome(p.code, p.name, "district", "ok", seconds=1.0) for p in places]
    page = write_index(now, outcomes, tiny_store, earlier=earlier).read_text()
    (table,) = shown_tables(page.split('<table id="places">', 1)[1].join(['<table id="places">', ""]))
    at = next(i for i, c in enumerate(table.columns) if c.startswith("Changes since"))
    assert [r[at].text for r in table.rows] == ["1 change: 1 revision", "no change", "no earlier run"]


def test_a_since_folder_with_no_figures_of_these_places_is_refused_before_anything_runs(tiny_store, tmp_path):
    (tmp_path / "earlier").mkdir()
    with pytest.raises(InvalidParameter, match=r"--since '.*earlier' holds no figures.csv for any of these places"):
        run_batch(select_places(tiny_store), store=tiny_store, out=tmp_path / "out", since=tmp_path / "earlier")
    assert not (tmp_path / "out").exists()
    with pytest.raises(InvalidParameter, match=r"--since '.*nowhere' is not a folder; give the output folder"):
        earlier_editions(tmp_path / "nowhere", [])
