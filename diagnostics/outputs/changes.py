"""What changed since last time: two editions of a place's figures (``figures.csv``) compared.

The pipeline: read each edition (a run folder or its ``figures.csv``; :func:`read_edition`), check
that they are two editions of one place (:func:`compare_editions`), match their figures by section,
table, row and column, and list what moved, most important first.

How the list is ordered (the ``rank`` of :data:`CHANGE_KINDS`, then the size of the move):

1. ``place code`` - the place's own code changed (a boundary change gave it a successor code);
2. ``comparison`` - the place's comparison with the country changed (better, similar, worse): the
   judgement a reader acts on; a move *to* worse first, then *from* worse, then the rest;
3. ``revision`` - a figure of an already-published period has another value: the publisher revised it;
4. ``rank`` - the place's rank among the areas of its layer moved, largest moves first;
5. ``new period`` - a figure moved to a later period; largest relative changes in value first;
6. ``appeared`` / ``disappeared`` - an indicator (a table's row) that one edition shows and the other
   does not.

Editions of two different places are refused (:class:`~diagnostics.exceptions.InvalidParameter`
naming both): figures of one place say nothing about changes in another. Editions of different
store versions are the normal case (new data) and compared, the change of store said first; a
synthetic edition is never compared with a real one.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.outputs.figures import FIGURE_COLUMNS
from diagnostics.outputs.figures_files import FIGURES_CSV

__all__ = [
    "Edition", "Changes", "CHANGE_KINDS", "CHANGE_COLUMNS", "read_edition", "edition_of", "earlier_editions",
    "check_comparable",
    "check_same_place", "compare_editions",
]

#: Each kind of change and its place in the order (lower first).
CHANGE_KINDS = {"place code": 0, "comparison": 1, "revision": 2, "rank": 3, "new period": 4, "appeared": 5,
                "disappeared": 5}
#: The columns of :attr:`Changes.table`.
CHANGE_COLUMNS = ["kind", "section", "table", "row", "column", "old_period", "new_period", "old_value", "new_value",
                  "old_shown", "new_shown", "old_comparison", "new_comparison", "change"]
_KEY = ["section", "table", "row", "column"]
_TEXT = ("area_code", "area_name", "section", "table", "row", "column", "period", "comparison", "shown", "unit",
         "store_version")
#: The run's record beside its figures (written by :mod:`diagnostics.outputs.run`).
_RECORD = "run.json"


@dataclass(frozen=True)
class Edition:
    """One edition of a place's figures.

    Attributes
    ----------
    figures : DataFrame
        ``figures.csv`` as read (:data:`~diagnostics.outputs.figures.FIGURE_COLUMNS`).
    label : str
        Where it came from, as given.
    date : datetime.date
        When it was made (the run's record, else the file's time).
    """

    figures: pd.DataFrame
    label: str
    date: _dt.date

    @property
    def area_code(self) -> str:
        return str(self.figures["area_code"].iloc[0]) if len(self.figures) else ""

    @property
    def area_name(self) -> str:
        return str(self.figures["area_name"].iloc[0]) if len(self.figures) else ""

    @property
    def store_version(self) -> str:
        return str(self.figures["store_version"].iloc[0]) if len(self.figures) else ""

    @property
    def synthetic(self) -> bool:
        return bool(len(self.figures)) and str(self.figures["synthetic"].iloc[0]) == "True"


@dataclass(frozen=True)
class Changes:
    """What moved between two editions, most important first.

    Attributes
    ----------
    old, new : Edition
    notes : list of str
        What a reader must know first (another store version, a changed code).
    table : DataFrame
        :data:`CHANGE_COLUMNS`, one row per change, in the order of the module's docstring.
    """

    old: Edition
    new: Edition
    notes: list[str]
    table: pd.DataFrame


def read_edition(path: str | Path, argument: str = "OLD_RUN") -> Edition:
    """Read an edition from a run folder (its ``figures.csv``) or a ``figures.csv`` file.

    Raises
    ------
    InvalidParameter
        Naming ``argument``: the path does not exist; a folder without ``figures.csv`` (made before
        figures were written, or not a run); a file that is not a figures.csv (the missing columns).
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise InvalidParameter(f"{argument} {str(path)!r} does not exist; give a run's folder (OUT/CODE) or its "
                               f"{FIGURES_CSV}.")
    csv = path / FIGURES_CSV if path.is_dir() else path
    if not csv.is_file():
        raise InvalidParameter(
            f"{argument} {str(path)!r} is a folder without {FIGURES_CSV}: it is not a run's folder, or the run was made "
            f"before runs wrote their figures. Run the place again (place-diagnostic run) to make one, or give a "
            f"{FIGURES_CSV}."
        )
    try:
        figures = pd.read_csv(csv, keep_default_na=False, na_values=[""], dtype=dict.fromkeys(_TEXT, str))
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InvalidParameter(f"{argument} {str(csv)!r} cannot be read as a {FIGURES_CSV} ({err}); give the "
                               f"{FIGURES_CSV} a run wrote.") from err
    missing = [c for c in FIGURE_COLUMNS if c not in figures.columns]
    if missing:
        raise InvalidParameter(f"{argument} {str(csv)!r} is not a {FIGURES_CSV} of a run: it lacks the columns "
                               f"{', '.join(missing)}. Give the {FIGURES_CSV} a run wrote.")
    return Edition(_with_text(figures), str(path), _made_on(csv))


def edition_of(figures: pd.DataFrame, label: str = "this run") -> Edition:
    """An edition of figures in hand (a run's, before they are written), dated today."""
    return Edition(_with_text(figures), label, _dt.date.today())


def _with_text(figures: pd.DataFrame) -> pd.DataFrame:
    """The text columns as text, blanks as ''."""
    figures = figures.copy()
    for column in _TEXT:
        figures[column] = [("" if pd.isna(v) else str(v)) for v in figures[column]]
    return figures


def earlier_editions(folder: str | Path, places) -> dict[str, Edition]:
    """The figures an earlier batch wrote for these places, read now (so ``folder`` may be the batch's own).

    Parameters
    ----------
    folder : path-like
        The earlier batch's output folder (``<folder>/<code>/figures.csv`` per place).
    places : sequence of Place

    Returns
    -------
    dict of str to Edition
        By place code; a place the earlier batch did not run (or whose figures cannot be read) is left out.

    Raises
    ------
    InvalidParameter
        When ``folder`` is not a folder, or holds figures for none of the places.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InvalidParameter(f"--since {str(folder)!r} is not a folder; give the output folder (--out) of an earlier "
                               "batch.")
    editions = {}
    for place in places:
        csv = folder / place.slug / FIGURES_CSV
        if csv.is_file():
            try:
                editions[place.code] = read_edition(csv, "--since")
            except InvalidParameter:
                continue
    if not editions:
        raise InvalidParameter(f"--since {str(folder)!r} holds no {FIGURES_CSV} for any of these places (in "
                               f"{str(folder)}/CODE/): give the output folder of an earlier batch of them, made by a "
                               "version that writes figures.")
    return editions


def _made_on(csv: Path) -> _dt.date:
    record = csv.with_name(_RECORD)
    try:
        made = json.loads(record.read_text()).get("generated")
        if made:
            return _dt.datetime.fromisoformat(made).date()
    except (OSError, ValueError, AttributeError):
        pass
    return _dt.datetime.fromtimestamp(csv.stat().st_mtime, _dt.UTC).date()


def check_comparable(old: Edition, new: Edition) -> list[str]:
    """The notes a comparison of these editions starts with.

    Raises
    ------
    InvalidParameter
        For editions of two places (neither the code nor the name shared), or a synthetic and a real one.
    """
    check_same_place(old, new.area_code, new.area_name, new.synthetic, new.label)
    notes = []
    if old.store_version != new.store_version:
        notes.append(f"The data changed: store version {old.store_version} then {new.store_version}.")
    return notes


def check_same_place(old: Edition, code: str, name: str, synthetic: bool, label: str = "this run") -> None:
    """Raise unless ``old`` is an edition of this place (its code or its name) from the same kind of store.

    Raises
    ------
    InvalidParameter
        For an edition of another place (naming both), or a synthetic and a real one.
    """
    if old.synthetic != synthetic:
        which = old.label if old.synthetic else label
        raise InvalidParameter(f"{which} is of the synthetic country and the other edition of real data: their figures "
                               "cannot be compared. Compare two runs made from the same kind of store.")
    if old.area_code != code and old.area_name != name:
        raise InvalidParameter(
            f"{old.label} is of {old.area_name} ({old.area_code}) and {label} of {name} ({code}): changes compare "
            "two editions of one place. Give an earlier run of the same place."
        )


def compare_editions(old: Edition, new: Edition) -> Changes:
    """What moved from ``old`` to ``new``, most important first (the order of the module's docstring).

    Raises
    ------
    InvalidParameter
        As :func:`check_comparable`.
    """
    notes = check_comparable(old, new)
    rows: list[dict] = []
    if old.area_code != new.area_code:
        notes.insert(0, f"The place's code changed from {old.area_code} to {new.area_code} (a boundary or code change): "
                        "figures are compared by name.")
        rows.append(_row("place code", {"section": "", "table": "", "row": new.area_name, "column": "code"},
                         old_shown=old.area_code, new_shown=new.area_code, change=math.inf))
    a, b = old.figures.drop_duplicates(_KEY), new.figures.drop_duplicates(_KEY)
    both = a.merge(b, on=_KEY, suffixes=("_old", "_new"))
    moved = both.loc[(both["shown_old"] != both["shown_new"]) | (both["comparison_old"] != both["comparison_new"])]
    for record in moved.to_dict("records"):
        rows.extend(_moves(record))
    rows.extend(_presence(a, b))
    table = pd.DataFrame.from_records(rows, columns=CHANGE_COLUMNS + ["_order"])
    table = table.sort_values(["_order", "change"], ascending=[True, False], kind="stable")
    return Changes(old, new, notes, table.drop(columns="_order").reset_index(drop=True))


def _row(kind: str, key: dict, order_within: int = 0, **values) -> dict:
    return {"kind": kind, **key, **values, "_order": CHANGE_KINDS[kind] * 10 + order_within}


def _moves(pair: dict) -> list[dict]:
    """The changes of one figure both editions show (``pair``: its key, and each column with _old and _new)."""
    key = {k: pair[k] for k in _KEY}
    old, new = (lambda c: pair[f"{c}_old"]), (lambda c: pair[f"{c}_new"])
    values = {"old_period": old("period"), "new_period": new("period"), "old_value": old("value"),
              "new_value": new("value"), "old_shown": old("shown"), "new_shown": new("shown"),
              "old_comparison": old("comparison"), "new_comparison": new("comparison")}
    size = _relative(old("value"), new("value"))
    rows = []
    if old("comparison") and new("comparison") and old("comparison") != new("comparison"):
        within = 0 if new("comparison") == "worse" else 1 if old("comparison") == "worse" else 2
        rows.append(_row("comparison", key, within, **values, change=size))
    if old("shown") == new("shown"):
        return rows
    if new("unit").startswith("of ") or key["column"].casefold().startswith("rank"):
        rows.append(_row("rank", key, **values, change=abs(_number(new("value")) - _number(old("value")))))
    elif old("period") == new("period"):
        rows.append(_row("revision", key, **values, change=size))
    else:
        rows.append(_row("new period", key, **values, change=size))
    return rows


def _presence(a: pd.DataFrame, b: pd.DataFrame) -> list[dict]:
    """The rows of a table (indicators) one edition shows and the other does not, one change per row."""
    rows = ["section", "table", "row"]
    first_a, first_b = a.drop_duplicates(rows), b.drop_duplicates(rows)
    merged = first_a.merge(first_b, on=rows, how="outer", suffixes=("_old", "_new"), indicator=True)
    appeared, disappeared = [], []
    for record in merged.loc[merged["_merge"] != "both"].sort_values(rows).to_dict("records"):
        key = {"section": record["section"], "table": record["table"], "row": record["row"], "column": ""}
        if record["_merge"] == "right_only":
            appeared.append(_row("appeared", key, new_shown=record["shown_new"], new_period=record["period_new"],
                                 change=0.0))
        else:
            disappeared.append(_row("disappeared", key, old_shown=record["shown_old"],
                                    old_period=record["period_old"], change=0.0))
    return appeared + disappeared


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _relative(before, after) -> float:
    """|after - before| / |before| (the size of a move, for ordering); inf from zero, 0 when unknown."""
    b, a = _number(before), _number(after)
    if math.isnan(a) or math.isnan(b):
        return 0.0
    if b == 0:
        return math.inf if a != 0 else 0.0
    return abs(a - b) / abs(b)
