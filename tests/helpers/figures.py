"""What a reader sees in an executed notebook, as data: the words and numbers of every view, and a
digest of each map's data. Used to check that a change of code changes no figure.

For each view cell (named by the heading above it) the record holds:

``text``
    The visible text of its HTML output (tags, styles and scripts removed, iframes' pages read
    too, their ``<title>`` left out as no reader sees it on the page, whitespace collapsed): every
    number and word of the tables, sentences and SVG charts.
    The store's build time and version digest are replaced by ``<time>`` and ``<version>``.
``data``
    A SHA-256 of the string and number literals of its inline scripts (a map's GeoJSON, tooltips
    and popups), the bundled Leaflet library left out and folium's random ids replaced, with
    their count.

Markup and styling are left out on purpose: moving CSS into a stylesheet changes no figure.

Write the expected figures of a run again (after a change that is meant to change figures)::

    .venv/bin/python -m helpers.figures OUT_DIR/CODE tests/golden/NAME.json   # run from tests/
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from pathlib import Path

import nbformat

_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_SRCDOC = re.compile(r'srcdoc="([^"]*)"', re.S)
_TITLE = re.compile(r"<title\b.*?</title>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])')
_RANDOM_ID = re.compile(r"[0-9a-f]{32}")
# what differs between two builds of the same store: when it was built, and the parquet writer's bytes
_BUILD_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d)?")
_STORE_VERSION = re.compile(r"(store version) [0-9a-f]{16}")


def _is_library(script: str) -> bool:
    return "@preserve" in script[:400] or "(c) 20" in script[:400]


def _scripts(markup: str) -> list[str]:
    tokens: list[str] = []
    for inner in _SRCDOC.findall(markup):
        tokens += _scripts(html.unescape(inner))
    for script in _SCRIPT.findall(markup):
        if not _is_library(script):
            tokens += _LITERAL.findall(_RANDOM_ID.sub("ID", script))
    return tokens


def _text(markup: str) -> str:
    pages = [html.unescape(inner) for inner in _SRCDOC.findall(markup)]
    markup = _SRCDOC.sub("", markup)
    markup = _SCRIPT.sub(" ", _STYLE.sub(" ", _TITLE.sub(" ", markup)))
    text = html.unescape(_TAG.sub(" ", markup))
    text = _STORE_VERSION.sub(r"\1 <version>", _BUILD_TIME.sub("<time>", text))
    return " ".join((" ".join(text.split()), *(_text(p) for p in pages))).strip()


def notebook_figures(path: str | Path) -> list[dict]:
    """The figures of one executed notebook: one record per view cell, in page order."""
    notebook = nbformat.read(path, as_version=4)
    records, heading = [], None
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell.source[3:].strip()
            continue
        if cell.cell_type != "code" or heading is None:
            continue
        markup = "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))
        tokens = _scripts(markup)
        records.append({
            "view": heading,
            "text": _text(markup),
            "data": hashlib.sha256("\x1f".join(tokens).encode()).hexdigest() if tokens else "",
            "data_literals": len(tokens),
        })
    return records


def run_figures(run_dir: str | Path) -> dict[str, list[dict]]:
    """The figures of every executed notebook of a run folder (``OUT/CODE``), by notebook name."""
    return {p.name: notebook_figures(p) for p in sorted(Path(run_dir).glob("*.ipynb"))}


if __name__ == "__main__":
    run_dir, target = sys.argv[1:3]
    Path(target).write_text(json.dumps(run_figures(run_dir), indent=1, ensure_ascii=False) + "\n")
    print("wrote", target)
