"""The batch's index: ``index.html`` (every place, its headline figures and status, a map) and
``manifest.csv`` (one row per place: status, seconds, error, input hash).

The index is one self-contained page, rendered from ``templates/batch/index.html.j2``: a sortable,
searchable table (a few lines of inline JavaScript, no library), a choropleth of one headline
indicator over the batch's places (:func:`diagnostics.render.maps.choropleth_map`, no tiles) and a link to
each place's report. It is checked by :func:`diagnostics.render.offline.check_offline` and, like the
manifest, written atomically.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from diagnostics.atomic import write_text_atomic
from diagnostics.compare.benchmark import ancestor_of_layer
from diagnostics.exceptions import InvalidParameter
from diagnostics.outputs.batch_outcomes import PlaceOutcome
from diagnostics.outputs.changes import Edition, compare_editions, read_edition
from diagnostics.outputs.changes_report import changes_summary
from diagnostics.outputs.run import REPORT_NAME
from diagnostics.render.chart_figures import ChartFigures, FigureColumn
from diagnostics.render.maps import choropleth_map
from diagnostics.render.numbers import format_value
from diagnostics.render.offline import check_offline, show_map
from diagnostics.resources import templates_dir
from diagnostics.store.places import Place

__all__ = [
    "INDEX_NAME",
    "MANIFEST_NAME",
    "INDEX_INDICATORS",
    "write_index",
    "write_manifest",
    "read_manifest",
    "headline_figures",
]

INDEX_NAME = "index.html"
MANIFEST_NAME = "manifest.csv"

#: The headline figures of the index's table, in order (those the store holds are shown).
INDEX_INDICATORS: tuple[str, ...] = (
    "population_total",
    "gva_per_head",
    "employment_rate",
    "claimant_rate",
    "median_weekly_pay",
    "deprivation_score",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
)
#: The map's indicator when none is chosen: the first of these the store holds.
DEFAULT_MAP_INDICATORS: tuple[str, ...] = ("gva_per_head", "employment_rate", "deprivation_score")

_MANIFEST_COLUMNS = [
    "place", "name", "layer", "status", "seconds", "attempts", "error", "notebook", "cell",
    "input_hash", "worker", "worker_mb", "kernel_mb",
]
#: The places' table's caption opens with it: the map's frame names it as where its figures are.
PLACES_TABLE = "Every place of the batch"
_MAP_TOLERANCE_M = 250.0  # a national map: 250 m is below a pixel and keeps the page light


def write_manifest(out_dir: str | os.PathLike, outcomes: Sequence) -> Path:
    """Write ``manifest.csv``: one row per place (place, status, seconds, error, input hash...).

    Returns
    -------
    Path
        ``<out_dir>/manifest.csv``; ``seconds`` in seconds, ``worker_mb``/``kernel_mb`` in MiB.
    """
    rows = [o.as_row() for o in outcomes]
    table = pd.DataFrame(rows).rename(columns={"code": "place"}) if rows else pd.DataFrame(columns=_MANIFEST_COLUMNS)
    table = table[_MANIFEST_COLUMNS]
    table["seconds"] = table["seconds"].astype(float).round(3)
    table["cell"] = table["cell"].astype("Int64")
    for column in ("worker_mb", "kernel_mb"):
        table[column] = table[column].astype(float).round(1)
    return write_text_atomic(Path(out_dir) / MANIFEST_NAME, table.to_csv(index=False))


def read_manifest(out_dir: str | os.PathLike) -> list[PlaceOutcome]:
    """The places an earlier batch listed in ``<out_dir>/manifest.csv`` (none when there is no file).

    A manifest that cannot be read (not a CSV, or without the columns :func:`write_manifest` writes)
    is set aside with a warning: the next manifest lists this batch's places only.
    """
    file = Path(out_dir) / MANIFEST_NAME
    if not file.is_file():
        return []
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
        missing = [c for c in _MANIFEST_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"no column {', '.join(missing)}")
        return [_outcome_from_row(row) for row in table.to_dict("records")]
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        warnings.warn(
            f"{file} could not be read ({err}); the new manifest lists this batch's places only.",
            stacklevel=2,
        )
        return []


def _outcome_from_row(row: dict) -> PlaceOutcome:
    def number(text: str) -> float:
        return float(text) if text else float("nan")

    return PlaceOutcome(
        code=row["place"], name=row["name"], layer=row["layer"], status=row["status"],
        seconds=float(row["seconds"] or 0), attempts=int(float(row["attempts"] or 0)), error=row["error"],
        notebook=row["notebook"], cell=int(row["cell"]) if row["cell"] else None, input_hash=row["input_hash"],
        worker=row["worker"], worker_mb=number(row["worker_mb"]), kernel_mb=number(row["kernel_mb"]),
    )


def headline_figures(store, codes: Sequence[str], indicators: Sequence[str] = INDEX_INDICATORS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each place's latest value of the headline indicators.

    For each indicator the latest year any of ``codes`` has is taken, so that one column compares
    the places at one period.

    Returns
    -------
    values : DataFrame
        Indexed by area code, one column per indicator the store holds (``NaN`` where a place has
        no value).
    meta : DataFrame
        Indexed by indicator_id: name, short_name, unit, decimals, polarity, period, source.
    """
    wanted = [i for i in indicators if i in set(store.catalogue["indicator_id"])]
    rows = store.indicator_values(wanted, codes)
    if rows.empty:
        return pd.DataFrame(index=pd.Index(list(codes), name="code")), pd.DataFrame()
    latest = rows.loc[rows["year"] == rows.groupby("indicator_id")["year"].transform("max")]
    values = latest.pivot_table(index="area_code", columns="indicator_id", values="value", aggfunc="first")
    present = [i for i in wanted if i in values.columns]
    values = values.reindex(index=list(codes), columns=present)
    catalogue = store.catalogue.set_index("indicator_id").loc[present]
    periods = latest.groupby("indicator_id")["period"].first()
    sources = latest.groupby("indicator_id")["source"].first()
    meta = catalogue[["name", "short_name", "unit", "decimals", "polarity"]].assign(
        period=periods.reindex(present), source=sources.reindex(present)
    )
    return values, meta


def _choropleth(store, outcomes, values: pd.DataFrame, meta: pd.DataFrame, indicator: str | None) -> tuple[str, str]:
    """The map's iframe and its caption ('' and a reason when no map can be drawn)."""
    if indicator is None:
        indicator = next((i for i in DEFAULT_MAP_INDICATORS if i in values.columns and values[i].notna().any()), None)
        if indicator is None:
            return "", "No map: the store holds none of the map's default indicators for these places."
    shown_in_table = indicator in values.columns
    if not shown_in_table:
        values, meta = headline_figures(store, [o.code for o in outcomes], [indicator])
        if indicator not in values.columns:
            known = ", ".join(sorted(store.indicator_ids)) or "none"
            raise InvalidParameter(
                f"The 'map_indicator' parameter names {indicator!r}, which the store does not hold for "
                f"these places; choose one of: {known}."
            )
    layers = pd.Series([o.layer for o in outcomes]).value_counts()
    layer = str(layers.index[0])
    if layer not in store.boundary_layers():
        return "", f"No map: the store has no boundaries for the layer {layer!r}."
    codes = [o.code for o in outcomes if o.layer == layer]
    shapes = store.boundaries(layer)
    shapes = shapes.loc[shapes["code"].isin(codes)].copy()
    shapes["value"] = shapes["code"].map(values[indicator]).astype(float)
    if shapes.empty or shapes["value"].notna().sum() == 0:
        return "", f"No map: no place of the batch has a value of {indicator!r}."
    row = meta.loc[indicator]
    decimals = int(row["decimals"]) if pd.notna(row["decimals"]) else 1
    unit = "" if pd.isna(row["unit"]) else str(row["unit"])
    legend = f"{row['name']} ({unit})" if unit else str(row["name"])
    m = choropleth_map(
        shapes,
        "value",
        title=f"{row['name']}, {row['period']}",
        legend_label=legend,
        value_format=f"{{:,.{decimals}f}}",
        tolerance_m=_MAP_TOLERANCE_M,
    )
    caption = f"{row['name']} ({row['period']}), source: {row['source']}. Grey: no value."
    if shown_in_table:  # a column of the places' table below holds the map's figures
        return show_map(m, height=560, title=f"Map of {row['name']}", table=PLACES_TABLE).data, caption
    figures = shapes.drop(columns="geometry").assign(name=lambda f: f["code"].map(store.name_of))
    figures = ChartFigures(
        figures.sort_values("value", ascending=False, na_position="last")[["name", "code", "value"]],
        caption=f"{row['name']} of each place of the batch, {row['period']}, highest first",
        source=str(row["source"]), period=str(row["period"]), labels=[("name", "Place"), ("code", "Code")],
        values=[FigureColumn("value", str(row["name"]), unit, decimals)])
    return show_map(m, height=560, title=f"Map of {row['name']}", data=figures).data, caption


def _cell(value, unit: str, decimals: int) -> dict:
    number = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    return {"text": format_value(number, unit, decimals), "sort": "" if number is None else repr(number)}


def _since_label(earlier: Mapping[str, Edition] | None) -> str:
    """The changes column's heading: "Changes since 3 March 2026" (the earliest of the earlier runs)."""
    if not earlier:
        return ""
    made = min(e.date for e in earlier.values())
    return f"Changes since {made.day} {made:%B %Y}"


def _changes_cell(earlier: Mapping[str, Edition], code: str, folder: Path) -> dict:
    """A place's changes since the earlier batch, in a line (sorted by their number)."""
    if code not in earlier:
        return {"text": "no earlier run", "sort": -1}
    try:
        changes = compare_editions(earlier[code], read_edition(folder, "the place's folder"))
    except InvalidParameter as err:
        return {"text": f"not compared: {err}", "sort": -1}
    return {"text": changes_summary(changes), "sort": len(changes.table)}


def write_index(
    out_dir: str | os.PathLike,
    outcomes: Sequence,
    store,
    *,
    map_indicator: str | None = None,
    title: str | None = None,
    earlier: Mapping[str, Edition] | None = None,
) -> Path:
    """Write ``index.html``: every place with its headline figures, status and report link, and a map.

    Parameters
    ----------
    out_dir : path-like
        The batch's output folder (each place's report is at ``<code>/report.html`` in it).
    outcomes : sequence of diagnostics.outputs.batch.PlaceOutcome
        One per place, in the order listed.
    store : Store
    map_indicator : str, optional
        The indicator shaded on the map (any indicator of the store); default the first of
        :data:`DEFAULT_MAP_INDICATORS` held.
    title : str, optional
        The page's title; default "Place diagnostics: N places".
    earlier : mapping of str to Edition, optional
        An earlier batch's figures by place code (:func:`diagnostics.outputs.changes.earlier_editions`):
        the table gains a column with each place's changes since (:func:`_changes_cell`).

    Returns
    -------
    Path

    Raises
    ------
    InvalidParameter
        If the store holds no value of ``map_indicator`` for these places (the message lists the
        indicators it holds).
    OfflineViolation
        If the page would refer outside itself (nothing is written then).
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    out_dir = Path(out_dir)
    codes = [o.code for o in outcomes]
    values, meta = headline_figures(store, codes)
    map_frame, map_caption = _choropleth(store, outcomes, values, meta, map_indicator) if outcomes else ("", "")

    columns = [
        {
            "id": i,
            "label": str(meta.loc[i, "short_name"] or meta.loc[i, "name"]),
            "title": f"{meta.loc[i, 'name']} ({meta.loc[i, 'period']})",
        }
        for i in values.columns
    ]
    rows = []
    for o in outcomes:
        slug = Place(o.code, o.name, o.layer).slug
        report = out_dir / slug / REPORT_NAME
        failed_dir = out_dir / f"{slug}.failed"
        region = ancestor_of_layer(store, o.code, "region")
        rows.append(
            {
                "code": o.code,
                "name": o.name,
                "region": store.name_of(region) if region else "",
                "status": o.status,
                "ok": o.succeeded,
                "error": o.error,
                "seconds": f"{o.seconds:.1f}" if o.seconds else "",
                "href": f"{slug}/{REPORT_NAME}" if o.succeeded and report.is_file() else "",
                "failed_href": (
                    f"{slug}.failed/{o.notebook}" if o.notebook and (failed_dir / o.notebook).is_file() else ""
                ),
                "figures": [
                    _cell(
                        values.loc[o.code, i] if o.code in values.index else None,
                        "" if pd.isna(meta.loc[i, "unit"]) else str(meta.loc[i, "unit"]),
                        int(meta.loc[i, "decimals"]) if pd.notna(meta.loc[i, "decimals"]) else 1,
                    )
                    for i in values.columns
                ],
                "changes": _changes_cell(earlier, o.code, out_dir / slug) if earlier is not None else None,
            }
        )
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "unchanged", "failed", "not run")}
    generated = _dt.datetime.now().astimezone()
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir() / "batch")),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = environment.get_template("index.html.j2").render(
        title=title or f"Place diagnostics: {len(outcomes)} places",
        synthetic=store.is_synthetic,
        source=store.source,
        vintage=store.vintage,
        attribution=store.attribution,
        generated=generated.strftime("%d %B %Y, %H:%M %Z").strip(),
        counts=counts,
        total=len(outcomes),
        columns=columns,
        rows=rows,
        since=_since_label(earlier),
        map_frame=Markup(map_frame),
        map_caption=map_caption,
    )
    check_offline(
        page,
        "The batch index from the 'outcomes' parameter of write_index",
        fix="Links in the index must be relative (a place's folder) and maps drawn by diagnostics.render.maps.",
    )
    return write_text_atomic(out_dir / INDEX_NAME, page)

