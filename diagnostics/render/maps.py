"""Map builders: a place among its neighbours, a choropleth, overlaid boundary layers.

Every function takes GeoDataFrames in EPSG:27700 (British National Grid, metres), simplifies them to a
tolerance in metres, reprojects them to EPSG:4326 itself, and returns an
:class:`~diagnostics.render.offline.OfflineMap`: Leaflet inlined, no tiles, no CDN. A map shows boundaries and
shading on a plain background, which is the meaningful picture for a place diagnostic.

Use :func:`~diagnostics.render.offline.map_html` for the standalone document and
:func:`~diagnostics.render.offline.show_map` to show a map in JupyterLab, in an nbconvert HTML report and in
Voilà.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import numpy as np

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.map_elements import NO_DATA_FILL, Legend, add_labels, format_number, palette_colours, tooltip
from diagnostics.render.map_layers import (
    DEFAULT_TOLERANCE_M,
    HtmlControl,
    blank_map,
    check_gdf,
    check_tolerance,
    feature_collection,
    fit_bounds,
    prepare_layer,
)
from diagnostics.render.offline import OfflineMap

__all__ = [
    "place_map",
    "choropleth_map",
    "layers_map",
    "LAYER_COLOURS",
]

#: Outline colours of overlaid layers, in order: Okabe & Ito (2008), "Color Universal Design",
#: distinguishable with every common colour deficiency.
LAYER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_PLACE_COLOUR = "#0072B2"
_CONTEXT_FILL = "#e6e6e1"
_CONTEXT_LINE = "#8a8a8a"


# --------------------------------------------------------------------------------------------------
# Public maps
# --------------------------------------------------------------------------------------------------


def place_map(
    place_gdf: Any,
    context_gdf: Any = None,
    *,
    title: str | None = None,
    labels: bool = True,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> OfflineMap:
    """Map a place outlined and filled, among lighter context areas, with no tiles.

    Parameters
    ----------
    place_gdf : geopandas.GeoDataFrame
        The place's boundary (one or more rows) with columns ``code`` and ``name``, in EPSG:27700
        (another CRS is reprojected).
    context_gdf : geopandas.GeoDataFrame or None, default None
        Areas drawn lighter around the place (e.g. the other districts of its region), with
        ``code`` and ``name``. Rows whose code is one of the place's are left out.
    title : str or None, default None
        Shown in a box at the top right of the map.
    labels : bool, default True
        Write each area's name at a point inside it (the place's in bold).
    tolerance_m : float, default 25.0
        Simplification tolerance in metres (Douglas-Peucker, topology preserved per area); 0 keeps
        every vertex.

    Returns
    -------
    OfflineMap
        Fitted to the place and the context; every area has a tooltip with its name and code.

    Raises
    ------
    InvalidParameter
        If a frame is not a non-empty GeoDataFrame with a CRS and the columns ``code`` and ``name``,
        or ``tolerance_m`` is negative.
    """
    func = "place_map"
    tolerance_m = check_tolerance(tolerance_m, func)
    check_gdf(place_gdf, "place_gdf", func, ("code", "name"))
    if context_gdf is not None:
        check_gdf(context_gdf, "context_gdf", func, ("code", "name"))
        context_gdf = context_gdf[~context_gdf["code"].isin(set(place_gdf["code"]))]

    place = prepare_layer(place_gdf, ("code", "name"), tolerance_m)
    context = (
        prepare_layer(context_gdf, ("code", "name"), tolerance_m)
        if context_gdf is not None and not context_gdf.empty
        else None
    )
    m = blank_map(fit_bounds(place, context), title)

    if context is not None:
        folium.GeoJson(
            feature_collection(context),
            name="Context",
            style_function=lambda _f: {
                "color": _CONTEXT_LINE,
                "weight": 1,
                "fillColor": _CONTEXT_FILL,
                "fillOpacity": 0.7,
            },
            highlight_function=lambda _f: {"weight": 2, "color": "#444444"},
            tooltip=tooltip(context, ("name", "code"), ("Area", "Code")),
        ).add_to(m)
    folium.GeoJson(
        feature_collection(place),
        name="Place",
        style_function=lambda _f: {
            "color": _PLACE_COLOUR,
            "weight": 3,
            "fillColor": _PLACE_COLOUR,
            "fillOpacity": 0.35,
        },
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.5},
        tooltip=tooltip(place, ("name", "code"), ("Place", "Code")),
    ).add_to(m)

    if labels:
        if context_gdf is not None and not context_gdf.empty:
            add_labels(m, context_gdf, css_class="pd-label")
        add_labels(m, place_gdf, css_class="pd-label pd-label-place")
    return m


def choropleth_map(
    gdf: Any,
    column: str,
    *,
    title: str | None,
    legend_label: str,
    palette: str = "cividis",
    bins: int | None = None,
    popup_columns: Sequence[str] | Mapping[str, str] | None = None,
    value_format: str = "{:,.1f}",
    outline_gdf: Any = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    value_range: tuple[float, float] | None = None,
) -> OfflineMap:
    """Shade areas by a numeric column with a colour-blind-safe sequential palette and a legend.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Areas in EPSG:27700 with ``code``, ``name`` and ``column``.
    column : str
        The numeric column to shade by. Missing values are drawn grey and listed as "No data".
    title : str or None
        Shown at the top right of the map.
    legend_label : str
        The legend's heading: the indicator and its unit (e.g. "Employment rate (%)").
    palette : str, default "cividis"
        One of :data:`SEQUENTIAL_PALETTES`, optionally suffixed ``_r`` to reverse it.
    bins : int or None, default None
        ``None`` shades continuously (a :class:`branca.colormap.LinearColormap`); an integer ``k >= 2``
        shades in ``k`` classes with quantile breaks (a :class:`branca.colormap.StepColormap`).
    popup_columns : sequence of str or mapping of str to str, or None, default None
        Columns to show in a popup on click; a mapping gives each column's label.
    value_format : str, default "{:,.1f}"
        A :meth:`str.format` pattern for values in the tooltip and legend.
    outline_gdf : geopandas.GeoDataFrame or None, default None
        An outline drawn on top, unfilled (e.g. the place within its small areas).
    tolerance_m : float, default 25.0
        Simplification tolerance in metres.
    value_range : (float, float) or None, default None
        The values the continuous scale spans, whatever the areas' own range (``(1, 10)`` for
        deciles, so that decile 1 has the same colour on every place's map); ``None``: the areas'
        own lowest and highest values. Not with ``bins``.

    Returns
    -------
    OfflineMap
        With a tooltip per area (name and value) and a legend drawn in HTML and CSS (no d3, no
        outside resource).

    Raises
    ------
    InvalidParameter
        If ``gdf`` lacks ``column``, ``code`` or ``name``; ``column`` is not numeric or has no value;
        ``palette``, ``bins``, ``popup_columns`` or ``tolerance_m`` is not allowed.
    """
    import branca.colormap as cm
    import pandas as pd

    func = "choropleth_map"
    tolerance_m = check_tolerance(tolerance_m, func)
    if not isinstance(column, str):
        raise InvalidParameter(f"The 'column' parameter of {func} must be a column name; got {column!r}.")
    check_gdf(gdf, "gdf", func, ("code", "name", column))
    if not pd.api.types.is_numeric_dtype(gdf[column]) or pd.api.types.is_bool_dtype(gdf[column]):
        raise InvalidParameter(
            f"The 'column' parameter of {func} must name a numeric column; "
            f"{column!r} has dtype {gdf[column].dtype}."
        )
    values = gdf[column].astype(float)
    finite = values[np.isfinite(values)]
    if finite.empty:
        raise InvalidParameter(f"The 'column' parameter of {func} names {column!r}, which has no value.")
    if bins is not None and (isinstance(bins, bool) or not isinstance(bins, int) or bins < 2):
        raise InvalidParameter(
            f"The 'bins' parameter of {func} must be None (continuous) or an integer of at least 2; "
            f"got {bins!r}."
        )
    if popup_columns is None:
        popup_map: dict[str, str] = {}
    elif isinstance(popup_columns, Mapping):
        popup_map = {str(k): str(v) for k, v in popup_columns.items()}
    elif isinstance(popup_columns, Sequence) and not isinstance(popup_columns, str):
        popup_map = {str(c): str(c) for c in popup_columns}
    else:
        raise InvalidParameter(
            f"The 'popup_columns' parameter of {func} must be a list of column names or a mapping of "
            f"column to label; got {popup_columns!r}."
        )
    missing_popup = [c for c in popup_map if c not in gdf.columns]
    if missing_popup:
        raise InvalidParameter(
            f"The 'popup_columns' parameter of {func} names column(s) {missing_popup} that gdf lacks."
        )
    if outline_gdf is not None:
        check_gdf(outline_gdf, "outline_gdf", func)

    if value_range is not None and (bins is not None or len(value_range) != 2 or not value_range[0] < value_range[1]):
        raise InvalidParameter(
            f"The 'value_range' parameter of {func} must be (low, high) with low < high, and only for continuous "
            f"shading (bins=None); got {value_range!r} with bins={bins!r}."
        )
    vmin, vmax = (float(finite.min()), float(finite.max())) if value_range is None else map(float, value_range)
    if vmin == vmax:
        vmax = vmin + (abs(vmin) * 0.01 or 1.0)
    if bins is None:
        colours = palette_colours(palette, 9, func)
        colormap = cm.LinearColormap(colours, vmin=vmin, vmax=vmax)
        breaks = None
    else:
        breaks = sorted(set(float(q) for q in np.quantile(finite, np.linspace(0, 1, bins + 1))))
        if len(breaks) < 2:
            breaks = [vmin, vmax]
        colours = palette_colours(palette, len(breaks) - 1, func)
        colormap = cm.StepColormap(colours, index=breaks, vmin=breaks[0], vmax=breaks[-1])

    frame = gdf.copy()
    frame["_value"] = [
        format_number(v, value_format) if math.isfinite(v) else "No data" for v in values
    ]
    frame["_fill"] = [colormap(v) if math.isfinite(v) else NO_DATA_FILL for v in values]
    shaded = prepare_layer(frame, ("code", "name", "_value", "_fill", *popup_map), tolerance_m)
    outline = prepare_layer(outline_gdf, (), tolerance_m) if outline_gdf is not None else None

    m = blank_map(fit_bounds(shaded, outline), title)
    folium.GeoJson(
        feature_collection(shaded),
        name=legend_label,
        style_function=lambda f: {
            "color": "#ffffff",
            "weight": 0.8,
            "fillColor": f["properties"]["_fill"],
            "fillOpacity": 0.85,
        },
        highlight_function=lambda _f: {"weight": 2.5, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "_value"], aliases=["Area", legend_label]),
        popup=(
            folium.GeoJsonPopup(fields=list(popup_map), aliases=list(popup_map.values()))
            if popup_map
            else None
        ),
    ).add_to(m)
    if outline is not None:
        folium.GeoJson(
            feature_collection(outline),
            name="Outline",
            style_function=lambda _f: {"color": "#000000", "weight": 2.5, "fill": False},
            interactive=False,
        ).add_to(m)
    legend = Legend(legend_label, tuple(colours), None if breaks is None else tuple(breaks), vmin, vmax, value_format,
                    bool((~np.isfinite(values)).any()))
    HtmlControl(legend.html(), position="bottomright", css_class="pd-control pd-legend", legend=legend).add_to(m)
    return m


def layers_map(
    layers: Mapping[str, Any],
    *,
    title: str | None = None,
    show: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> OfflineMap:
    """Overlay several boundary layers, each toggled in a :class:`folium.LayerControl`.

    Parameters
    ----------
    layers : mapping of str to geopandas.GeoDataFrame
        Layer name (as listed in the control) to its areas in EPSG:27700, drawn in this order. A
        ``name`` and a ``code`` column, where present, make the tooltip.
    title : str or None, default None
        Shown at the top right of the map.
    show : sequence of str or None, default None
        The layers visible when the map opens; ``None`` shows all of them.
    colours : sequence of str or None, default None
        One outline colour per layer; the Okabe-Ito palette by default.
    tolerance_m : float, default 25.0
        Simplification tolerance in metres.

    Returns
    -------
    OfflineMap
        Fitted to every layer, with an expanded layer control at the top right.

    Raises
    ------
    InvalidParameter
        If ``layers`` is empty or not a mapping of names to GeoDataFrames, ``show`` names an unknown
        layer, ``colours`` is too short, or ``tolerance_m`` is negative.
    """
    func = "layers_map"
    tolerance_m = check_tolerance(tolerance_m, func)
    if not isinstance(layers, Mapping) or not layers:
        raise InvalidParameter(
            f"The 'layers' parameter of {func} must be a non-empty mapping of layer name to "
            f"GeoDataFrame; got {type(layers).__name__} of length {len(layers) if hasattr(layers, '__len__') else '?'}."
        )
    for name, gdf in layers.items():
        check_gdf(gdf, f"layers[{name!r}]", func)
    visible = set(layers) if show is None else set(show)
    unknown = sorted(visible - set(layers))
    if unknown:
        raise InvalidParameter(
            f"The 'show' parameter of {func} names layer(s) {unknown} not in layers {list(layers)}."
        )
    palette = list(colours) if colours is not None else list(LAYER_COLOURS)
    if len(palette) < len(layers):
        if colours is not None:
            raise InvalidParameter(
                f"The 'colours' parameter of {func} must give one colour per layer ({len(layers)}); "
                f"got {len(palette)}."
            )
        palette = [palette[i % len(palette)] for i in range(len(layers))]

    prepared = {
        name: prepare_layer(gdf, [c for c in ("code", "name") if c in gdf.columns], tolerance_m)
        for name, gdf in layers.items()
    }
    m = blank_map(fit_bounds(*prepared.values()), title)
    for (name, frame), colour in zip(prepared.items(), palette):
        folium.GeoJson(
            feature_collection(frame),
            name=name,
            overlay=True,
            show=name in visible,
            style_function=lambda _f, colour=colour: {
                "color": colour,
                "weight": 2,
                "fillColor": colour,
                "fillOpacity": 0.08,
            },
            highlight_function=lambda _f: {"weight": 3.5, "fillOpacity": 0.25},
            tooltip=tooltip(frame, ("name", "code"), (name, "Code")),
        ).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    return m
