"""What changed since last time, for people: a table for the report's "Changes since <date>" section and
the ``place-diagnostic changes`` command's output.

The section is a notebook of two cells (its heading, and the table as the cell's HTML output), added
after the section notebooks of a run given ``--since``, so the report exporter shows it like any
section (in the contents, code hidden).
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.outputs.changes import Changes
from diagnostics.render.tables import html_table

__all__ = ["changes_frame", "changes_title", "changes_html", "changes_notebook", "changes_summary"]

#: At most this many changes are listed in the report (all of them go to the command's csv).
REPORT_LIMIT = 200

_WHAT = {
    "place code": "Place's code changed",
    "comparison": "Comparison with the country changed",
    "revision": "Revised (same period, new value)",
    "rank": "Rank moved",
    "new period": "New period",
    "appeared": "Now shown",
    "disappeared": "No longer shown",
}


def changes_title(changes: Changes) -> str:
    """``"Changes since 3 March 2026"`` (the date the earlier edition was made)."""
    return f"Changes since {changes.old.date.day} {changes.old.date:%B %Y}"


def _then(period, shown, comparison) -> str:
    parts = [str(shown)] if isinstance(shown, str) and shown else []
    if isinstance(period, str) and period:
        parts.append(f"({period})")
    if isinstance(comparison, str) and comparison:
        parts.append(f"[{comparison}]")
    return " ".join(parts)


def changes_summary(changes: Changes) -> str:
    """One line for the batch index: ``"5 changes: 1 comparison with the country, 4 new periods"``."""
    counts = changes.table["kind"].value_counts()
    if counts.empty:
        return "no change"
    parts = [f"{int(counts[kind])} {_COUNTED[kind][int(counts[kind]) > 1]}" for kind in _COUNTED if kind in counts]
    return f"{int(counts.sum())} change{'s' if int(counts.sum()) > 1 else ''}: " + ", ".join(parts)


#: Each kind of change counted: (one, several).
_COUNTED = {
    "place code": ("changed code", "changed codes"),
    "comparison": ("comparison with the country", "comparisons with the country"),
    "revision": ("revision", "revisions"),
    "rank": ("rank moved", "ranks moved"),
    "new period": ("new period", "new periods"),
    "appeared": ("now shown", "now shown"),
    "disappeared": ("no longer shown", "no longer shown"),
}


def changes_frame(changes: Changes) -> pd.DataFrame:
    """The changes as people read them: what, where (section and table), the figure, before and now.

    Returns
    -------
    DataFrame
        Columns ``What``, ``Section``, ``Table``, ``Figure`` (row and column), ``Before`` and ``Now``
        (each the figure as shown, its period and its comparison in brackets), most important first.
    """
    t = changes.table
    figure = [f"{r}: {c}" if c and r else (r or c) for r, c in zip(t["row"], t["column"])]
    return pd.DataFrame({
        "What": [_WHAT[k] for k in t["kind"]],
        "Section": t["section"],
        "Table": t["table"],
        "Figure": figure,
        "Before": [_then(*v) for v in zip(t["old_period"], t["old_shown"], t["old_comparison"])],
        "Now": [_then(*v) for v in zip(t["new_period"], t["new_shown"], t["new_comparison"])],
    })


def changes_html(changes: Changes, limit: int = REPORT_LIMIT) -> str:
    """The section's HTML: what to know first, then the table of changes (at most ``limit`` rows)."""
    intro = (f"Compared with the edition of {changes.old.date:%d %B %Y} ({changes.old.label}). Most important first: "
             "a changed code, comparisons with the country, revised figures, ranks, new periods, then indicators "
             "shown or no longer shown.")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in changes.notes)
    frame = changes_frame(changes)
    if frame.empty:
        body = "<p>No figure of the report changed.</p>"
    else:
        shown = frame.head(limit)
        more = (f" The first {limit} of {len(frame)} are listed; place-diagnostic changes lists them all."
                if len(frame) > limit else "")
        body = html_table(shown, f"{len(frame)} changes since {changes.old.date:%d %B %Y}.{more}")
    return f"<p>{html.escape(intro)}</p>" + (f"<ul>{notes}</ul>" if notes else "") + body


def changes_notebook(changes: Changes):
    """The report's "Changes since <date>" section as an executed notebook (nbformat v4)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    cell = new_code_cell("changes", execution_count=1, outputs=[new_output(
        "display_data", data={"text/html": changes_html(changes), "text/plain": changes_title(changes)})])
    notebook = new_notebook(cells=[new_markdown_cell(f"# {changes_title(changes)}"), cell],
                            metadata={"language_info": {"name": "python"}})
    for number, item in enumerate(notebook.cells):
        item["id"] = f"changes-{number:02d}"
    nbformat.validate(notebook)
    return notebook
