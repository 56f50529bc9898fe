"""The report exporter: executed notebooks to ONE self-contained HTML file per place.

The notebooks are concatenated in order and exported with nbconvert's ``HTMLExporter`` through the
``place_report`` template (``templates/nbconvert/place_report``): code and prompts hidden, a header
with the place and a banner on synthetic data, a table of contents, a footer with the source, vintage,
attribution and generation time, and every style inline. Nothing is fetched from outside: the result
is checked by :func:`diagnostics.render.offline.check_offline` before it is written (atomically).
:func:`find_outside_urls` is re-exported here from :mod:`diagnostics.render.offline`.

nbconvert and nbformat are imported inside the functions: ``import diagnostics`` stays light.
"""

from __future__ import annotations

import datetime as _dt
import html as html_lib
import os
import re
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from diagnostics._compat import report_exporter_class
from diagnostics.atomic import write_text_atomic
from diagnostics.exceptions import InvalidParameter
from diagnostics.render.offline import check_offline, find_outside_urls
from diagnostics.render.shared_leaflet import share_leaflet
from diagnostics.resources import templates_dir

__all__ = ["export_report", "find_outside_urls", "report_toc", "TEMPLATE_NAME"]

#: The nbconvert template's folder name under ``templates/nbconvert``.
TEMPLATE_NAME = "place_report"

def _load_notebooks(notebooks: Any) -> list[Any]:
    import nbformat

    if isinstance(notebooks, (str, os.PathLike)) or not isinstance(notebooks, Sequence) or not notebooks:
        raise InvalidParameter(
            "The 'notebooks' parameter of export_report must be a non-empty list of executed notebooks "
            f"(nbformat.NotebookNode or paths); got {notebooks!r:.80}."
        )
    loaded = []
    for index, item in enumerate(notebooks):
        if isinstance(item, nbformat.NotebookNode):
            loaded.append(item)
        elif isinstance(item, (str, os.PathLike)):
            path = Path(item)
            if not path.is_file():
                raise InvalidParameter(
                    f"The 'notebooks' parameter of export_report names {str(path)!r} (item {index}), "
                    "which is not a file."
                )
            loaded.append(nbformat.read(path, as_version=4))
        else:
            raise InvalidParameter(
                f"The 'notebooks' parameter of export_report must hold notebooks or paths; item {index} "
                f"is {type(item).__name__}."
            )
    return loaded


def _concatenate(notebooks: list[Any], title: str) -> Any:
    """One notebook holding every cell in order; the first notebook's metadata, unique cell ids."""
    import nbformat

    combined = nbformat.v4.new_notebook()
    combined.metadata = nbformat.from_dict(dict(notebooks[0].get("metadata", {})))
    combined.metadata.pop("widgets", None)  # widget state would load the widget manager from a CDN
    combined.metadata["title"] = title
    seen: set[str] = set()
    for nb in notebooks:
        for cell in nb.cells:
            cell = nbformat.from_dict(dict(cell))
            cell_id = cell.get("id")
            if cell_id is not None:
                if cell_id in seen:
                    cell_id = uuid.uuid4().hex[:8]
                    cell["id"] = cell_id
                seen.add(cell_id)
            combined.cells.append(cell)
    return combined


_HEADING = re.compile(r"<h([12])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)


def report_toc(nb: Any) -> list[dict[str, Any]]:
    """The table of contents of a notebook: its markdown cells' level-1 and level-2 headings.

    Each heading is rendered with nbconvert's own markdown renderer, so its anchor is the very id the
    exported HTML carries.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The (combined) notebook.

    Returns
    -------
    list of dict
        One per heading, in order: ``level`` (1 or 2), ``text`` (plain text) and ``anchor`` (the
        heading's id, without ``#``).
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    toc = []
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        rendered = markdown2html_mistune(cell.get("source", ""))
        for level, anchor, inner in _HEADING.findall(rendered):
            inner = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.DOTALL)
            text = html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
            toc.append({"level": int(level), "text": text, "anchor": html_lib.unescape(anchor)})
    return toc


def _check_text(value: Any, name: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise InvalidParameter(
            f"The {name!r} parameter of export_report must be a non-empty str; got {value!r}."
        )
    return value.strip()


_IMG_WITHOUT_ALT = re.compile(r"(<img\b(?![^>]*\balt=)[^>]*?)(\s*/?>)", re.IGNORECASE)


_EXPORTERS = threading.local()


def _exporter():
    """This thread's report exporter, made on first use: its Jinja templates are compiled once,
    not once per report (about 0.2 s a report)."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        exporter = _EXPORTERS.exporter = report_exporter_class()(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(templates_dir() / "nbconvert")],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return exporter


def _accessible(html: str) -> str:
    """What ``HTMLExporter``'s soup pass adds to the report: stock alt text on images without any
    (:func:`diagnostics._compat.report_exporter_class` leaves that pass out where it can)."""
    return _IMG_WITHOUT_ALT.sub(r'\1 alt="No description has been provided for this image"\2', html)


def export_report(
    notebooks: Sequence[Any],
    out_html: str | os.PathLike,
    *,
    place_name: str,
    source: str,
    vintage: str,
    attribution: str,
    synthetic: bool,
    title: str | None = None,
) -> Path:
    """Export executed notebooks as ONE self-contained HTML report.

    The pipeline: load the notebooks, concatenate them in order, build the table of contents,
    export with nbconvert's ``HTMLExporter`` and the ``place_report`` template (inputs and prompts
    hidden), give the maps' frames one copy of Leaflet in the page
    (:func:`~diagnostics.render.shared_leaflet.share_leaflet`), check that nothing refers outside the
    file, write it atomically.

    Parameters
    ----------
    notebooks : list of nbformat.NotebookNode or path
        The executed notebooks, in report order.
    out_html : path
        Where to write the report; its folder is created if needed. An existing file is replaced
        only once the new report is complete.
    place_name : str
        The place, shown in the header (e.g. "Barnsley").
    source : str
        The data source(s), shown in the footer (plain text: links are not allowed).
    vintage : str
        The data's vintage (e.g. "2024 release").
    attribution : str
        The attribution and licence statement (e.g. "Contains ONS data (c) Crown copyright").
    synthetic : bool
        Whether the data are synthetic: if so a "SYNTHETIC DATA" banner heads the report.
    title : str or None, default None
        The document's title; "Place diagnostic: <place_name>" by default.

    Returns
    -------
    pathlib.Path
        The report's path.

    Raises
    ------
    InvalidParameter
        If an argument is missing or of the wrong type, or a notebook path is not a file.
    OfflineViolation
        If the rendered report refers to an outside address (the message lists them: typically a
        link in a markdown cell, or an output that loads a script from a CDN); nothing is written.
    """
    place_name = _check_text(place_name, "place_name")
    source = _check_text(source, "source")
    vintage = _check_text(vintage, "vintage")
    attribution = _check_text(attribution, "attribution")
    if not isinstance(synthetic, bool):
        raise InvalidParameter(
            f"The 'synthetic' parameter of export_report must be True or False; got {synthetic!r}."
        )
    title = f"Place diagnostic: {place_name}" if title is None else _check_text(title, "title")
    if not isinstance(out_html, (str, os.PathLike)):
        raise InvalidParameter(
            f"The 'out_html' parameter of export_report must be a path; got {type(out_html).__name__}."
        )
    out_html = Path(out_html)

    combined = _concatenate(_load_notebooks(notebooks), title)
    generated = _dt.datetime.now().astimezone()
    resources = {
        "metadata": {"name": title},
        "report": {
            "title": title,
            "place_name": place_name,
            "source": source,
            "vintage": vintage,
            "attribution": attribution,
            "synthetic": synthetic,
            "generated": generated.strftime("%d %B %Y, %H:%M %Z").strip(),
            "generated_iso": generated.isoformat(timespec="seconds"),
            "toc": report_toc(combined),
        },
    }
    html, _ = _exporter().from_notebook_node(combined, resources=resources)
    html = share_leaflet(_accessible(html))

    check_offline(
        html,
        "The report from the 'notebooks' parameter of export_report",
        fix="Write references as plain text (not links) and show maps with diagnostics.render.offline.show_map.",
    )
    return write_text_atomic(out_html, html)
