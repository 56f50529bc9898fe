"""Map builders: a place among its neighbours, a choropleth, overlaid boundary layers.

Every function takes GeoDataFrames in EPSG:27700 (British National Grid, metres), simplifies them to a
tolerance in metres, reprojects them to EPSG:4326 itself, and returns an
:class:`~diagnostics.render.offline.OfflineMap`: Leaflet inlined, no tiles, no CDN. A map shows boundaries and
shading on a plain background, which is the meaningful picture for a place diagnostic.

Use :func:`~diagnostics.render.offline.map_html` for the standalone document and
:func:`~diagnostics.render.offline.show_map` to show a map in JupyterLab, in an nbconvert HTML report and in
Voilà; both are re-exported here, with :class:`~diagnostics.render.offline.OfflineMap`.
"""

from __future__ import annotations

import html as html_lib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.offline import OfflineMap, map_html, show_map

__all__ = [
    "OfflineMap",
    "HtmlMarkers",
    "place_map",
    "choropleth_map",
    "layers_map",
    "map_html",
    "show_map",
    "DEFAULT_TOLERANCE_M",
    "SEQUENTIAL_PALETTES",
    "LAYER_COLOURS",
    "prepare_layer",
    "feature_collection",
    "fit_bounds",
    "blank_map",
]

#: Default simplification tolerance in metres: invisible at district scale, and it keeps a map of a
#: region's districts to a few hundred kilobytes.
DEFAULT_TOLERANCE_M = 25.0

#: Perceptually uniform sequential palettes that stay readable with colour-vision deficiency
#: (append ``_r`` to reverse one).
SEQUENTIAL_PALETTES = ("cividis", "viridis", "plasma", "inferno", "magma")

#: Outline colours of overlaid layers, in order: Okabe & Ito (2008), "Color Universal Design",
#: distinguishable with every common colour deficiency.
LAYER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_PLACE_COLOUR = "#0072B2"
_CONTEXT_FILL = "#e6e6e1"
_CONTEXT_LINE = "#8a8a8a"
_NO_DATA_FILL = "#d0d0d0"

_PROJECTED_EPSG = 27700
_COORD_DECIMALS = 6  # ~0.1 m in latitude: far below the simplification tolerance


# --------------------------------------------------------------------------------------------------
# Map elements drawn inline (their classes are styled by the OfflineMap page)
# --------------------------------------------------------------------------------------------------


class _HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (a title or a legend), written inline."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.content|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, *, position: str, css_class: str):
        super().__init__()
        self._name = "HtmlControl"
        self.content = content
        self.position = position
        self.css_class = css_class


class _FitBoundsWhenSized(MacroElement):
    """Fit the map to bounds once its container has a size, and follow later resizes.

    folium's ``fit_bounds`` runs as the page loads; inside an ``<iframe srcdoc>`` that is not laid out
    yet (a report being parsed, a hidden Voilà tab) the container measures 0 x 0, and Leaflet computes
    a NaN zoom. This waits for a real size (ResizeObserver, window ``load``), then fits once; later
    size changes only re-measure the map.
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, bounds, options) {
                var fitted = false;
                function fit() {
                    var box = map.getContainer();
                    var pad = 2 * options.padding[0] + 16;
                    if (box.clientWidth < pad || box.clientHeight < pad) { return; }
                    var first = !fitted;
                    fitted = true;
                    map.invalidateSize(false);
                    if (first) { map.fitBounds(bounds, options); }
                    // vector renderers clip to the size they last measured: make them re-measure
                    map.fire("moveend");
                }
                fit();
                if (window.ResizeObserver) { new ResizeObserver(fit).observe(map.getContainer()); }
                window.addEventListener("load", fit);
                // an iframe laid out after its document loaded may report no resize: check again
                [100, 500, 1500].forEach(function (ms) { setTimeout(fit, ms); });
            })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], *, padding_px: int):
        super().__init__()
        self._name = "FitBoundsWhenSized"
        self.bounds = bounds
        self.options = {"padding": [padding_px, padding_px], "animate": False}  # no half-drawn zoom


# --------------------------------------------------------------------------------------------------
# Validation and geometry preparation
# --------------------------------------------------------------------------------------------------


def _check_tolerance(tolerance_m: Any, func: str) -> float:
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, (int, float)) or not (
        math.isfinite(tolerance_m) and tolerance_m >= 0
    ):
        raise InvalidParameter(
            f"The 'tolerance_m' parameter of {func} must be a non-negative number of metres; "
            f"got {tolerance_m!r}."
        )
    return float(tolerance_m)


def _check_gdf(gdf: Any, argument: str, func: str, columns: Sequence[str] = ()) -> None:
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InvalidParameter(
            f"The {argument!r} parameter of {func} must be a GeoDataFrame; got {type(gdf).__name__}."
        )
    if gdf.crs is None:
        raise InvalidParameter(
            f"The {argument!r} parameter of {func} has no CRS; boundaries are expected in EPSG:27700. "
            "Set it with `gdf.set_crs(27700)` if the coordinates are British National Grid metres."
        )
    if gdf.empty:
        raise InvalidParameter(f"The {argument!r} parameter of {func} has no rows; give at least one area.")
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise InvalidParameter(
            f"The {argument!r} parameter of {func} must have the column(s) {missing}; "
            f"it has {[c for c in gdf.columns if c != gdf.geometry.name]}."
        )


def _round_coordinates(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, _COORD_DECIMALS)


def prepare_layer(gdf: Any, columns: Sequence[str], tolerance_m: float) -> Any:
    """Keep ``columns``, simplify by ``tolerance_m`` metres in EPSG:27700, reproject to EPSG:4326.

    Empty and missing geometries are dropped; coordinates are rounded to 6 decimals (~0.1 m).
    """
    import shapely

    out = gdf[[*dict.fromkeys(columns), gdf.geometry.name]].copy()
    out = out.set_geometry(gdf.geometry.name)
    if out.crs.to_epsg() != _PROJECTED_EPSG:
        out = out.to_crs(_PROJECTED_EPSG)
    out = out[~(out.geometry.isna() | out.geometry.is_empty)]
    if tolerance_m > 0:
        out = out.set_geometry(out.geometry.simplify(tolerance_m, preserve_topology=True))
    out = out.to_crs(4326)
    out = out.set_geometry(shapely.transform(out.geometry.values, _round_coordinates))
    return out


def _label_points(gdf: Any) -> list[tuple[float, float, str]]:
    """(lat, lon, name) of a point inside each area, for labels (computed in metres, then WGS84)."""
    import geopandas as gpd

    projected = gdf if gdf.crs.to_epsg() == _PROJECTED_EPSG else gdf.to_crs(_PROJECTED_EPSG)
    points = gpd.GeoSeries(projected.geometry.representative_point(), crs=_PROJECTED_EPSG).to_crs(4326)
    return [(p.y, p.x, str(name)) for p, name in zip(points, projected["name"]) if p is not None]


def feature_collection(gdf: Any) -> dict:
    """A GeoJSON FeatureCollection with JSON-safe properties (NaN becomes null)."""
    return json.loads(gdf.to_json(na="null", drop_id=True))


def fit_bounds(*frames: Any) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around every frame (already in EPSG:4326)."""
    boxes = np.array([f.total_bounds for f in frames if f is not None and not f.empty])
    west, south = boxes[:, 0].min(), boxes[:, 1].min()
    east, north = boxes[:, 2].max(), boxes[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]


def blank_map(bounds: list[list[float]], title: str | None) -> OfflineMap:
    """An empty offline map fitted to ``bounds`` (as :func:`fit_bounds` gives), with ``title`` at the top right."""
    (south, west), (north, east) = bounds
    m = OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=9,
        control_scale=True,
        zoom_snap=0.25,
    )
    _FitBoundsWhenSized(bounds, padding_px=12).add_to(m)
    if title:
        _HtmlControl(
            html_lib.escape(title), position="topright", css_class="pd-control pd-title"
        ).add_to(m)
    return m


class HtmlMarkers(MacroElement):
    """Markers drawn as HTML (area labels, cluster counts): one map element however many there are.

    folium writes three elements for each marker with an HTML icon and a tooltip (the marker, its
    ``DivIcon``, its ``Tooltip``), each a script of its own; this writes the markers as one JSON list
    and adds them in one loop, the same Leaflet markers (``L.marker`` with an ``L.divIcon``, a sticky
    tooltip) in a fraction of the page and of the time to render it.

    Parameters
    ----------
    interactive : bool, default True
        Whether the markers take the pointer (a tooltip needs it) and the keyboard; labels do not.
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.markers|tojson }}.forEach(function (m) {
                var marker = L.marker(m.location, {
                    icon: L.divIcon({html: m.html, iconSize: m.size, iconAnchor: m.anchor, className: m.class_name}),
                    interactive: {{ this.interactive|tojson }},
                    keyboard: {{ this.interactive|tojson }}
                });
                if (m.tooltip) { marker.bindTooltip(m.tooltip, {sticky: true}); }
                marker.addTo({{ this._parent.get_name() }});
            });
        {% endmacro %}
        """
    )

    def __init__(self, *, interactive: bool = True):
        super().__init__()
        self._name = "HtmlMarkers"
        self.interactive = bool(interactive)
        self.markers: list[dict] = []

    def add(self, lat: float, lon: float, html: str, *, size: tuple[int, int], anchor: tuple[int, int],
            class_name: str = "empty", tooltip: str | None = None) -> HtmlMarkers:
        """Add a marker at (lat, lon) in WGS84 whose icon is ``html`` (trusted markup) of ``size``
        pixels, pinned at ``anchor`` pixels from its top left; ``tooltip`` is markup too (escape text)."""
        self.markers.append({
            "location": [round(float(lat), _COORD_DECIMALS), round(float(lon), _COORD_DECIMALS)],
            "html": html, "size": list(size), "anchor": list(anchor), "class_name": class_name,
            "tooltip": tooltip,
        })
        return self


# the names these helpers had while they were private (kept for code that still imports them)
_prepare, _new_map, _geojson, _bounds, _OKABE_ITO = prepare_layer, blank_map, feature_collection, fit_bounds, LAYER_COLOURS


def _tooltip(gdf: Any, fields: Sequence[str], aliases: Sequence[str]) -> folium.GeoJsonTooltip | None:
    present = [(f, a) for f, a in zip(fields, aliases) if f in gdf.columns]
    if not present:
        return None
    return folium.GeoJsonTooltip(
        fields=[f for f, _ in present], aliases=[a for _, a in present], sticky=True
    )


def _add_labels(m: folium.Map, gdf: Any, *, css_class: str) -> None:
    labels = HtmlMarkers(interactive=False)
    for lat, lon, name in _label_points(gdf):
        labels.add(lat, lon, f'<div class="{css_class}">{html_lib.escape(name)}</div>',
                   size=(160, 18), anchor=(80, 9), class_name="pd-label-icon")
    if labels.markers:
        labels.add_to(m)


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
    tolerance_m = _check_tolerance(tolerance_m, func)
    _check_gdf(place_gdf, "place_gdf", func, ("code", "name"))
    if context_gdf is not None:
        _check_gdf(context_gdf, "context_gdf", func, ("code", "name"))
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
            tooltip=_tooltip(context, ("name", "code"), ("Area", "Code")),
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
        tooltip=_tooltip(place, ("name", "code"), ("Place", "Code")),
    ).add_to(m)

    if labels:
        if context_gdf is not None and not context_gdf.empty:
            _add_labels(m, context_gdf, css_class="pd-label")
        _add_labels(m, place_gdf, css_class="pd-label pd-label-place")
    return m


def _palette_colours(palette: str, n: int, func: str) -> list[str]:
    import matplotlib
    from matplotlib.colors import to_hex

    base = palette[:-2] if palette.endswith("_r") else palette
    if base not in SEQUENTIAL_PALETTES:
        raise InvalidParameter(
            f"The 'palette' parameter of {func} must be one of {list(SEQUENTIAL_PALETTES)} "
            f"(optionally with '_r' to reverse); got {palette!r}."
        )
    cmap = matplotlib.colormaps[palette]
    # Stop short of the palette's lightest extreme (near-white in some) so fills stay visible.
    return [to_hex(cmap(x)) for x in np.linspace(0.0, 0.95, n)]


def _format_number(value: float, value_format: str) -> str:
    return value_format.format(value)


def _legend_html(
    legend_label: str,
    colours: list[str],
    breaks: list[float] | None,
    vmin: float,
    vmax: float,
    value_format: str,
    has_missing: bool,
) -> str:
    label = f'<div class="pd-legend-title">{html_lib.escape(legend_label)}</div>'
    rows: list[str] = []
    if breaks is None:
        gradient = ", ".join(colours)
        mid = (vmin + vmax) / 2
        ticks = "".join(
            f"<span>{html_lib.escape(_format_number(v, value_format))}</span>" for v in (vmin, mid, vmax)
        )
        rows.append(
            f'<div class="pd-legend-bar" style="background: linear-gradient(to right, {gradient});">'
            f'</div><div class="pd-legend-ticks">{ticks}</div>'
        )
    else:
        for colour, low, high in zip(colours, breaks[:-1], breaks[1:]):
            text = f"{_format_number(low, value_format)} to {_format_number(high, value_format)}"
            rows.append(
                f'<div class="pd-legend-row"><span class="pd-swatch" style="background:{colour}">'
                f"</span>{html_lib.escape(text)}</div>"
            )
    if has_missing:
        rows.append(
            f'<div class="pd-legend-row"><span class="pd-swatch" style="background:{_NO_DATA_FILL}">'
            "</span>No data</div>"
        )
    return label + "".join(rows)


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
    tolerance_m = _check_tolerance(tolerance_m, func)
    if not isinstance(column, str):
        raise InvalidParameter(f"The 'column' parameter of {func} must be a column name; got {column!r}.")
    _check_gdf(gdf, "gdf", func, ("code", "name", column))
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
        _check_gdf(outline_gdf, "outline_gdf", func)

    vmin, vmax = float(finite.min()), float(finite.max())
    if vmin == vmax:
        vmax = vmin + (abs(vmin) * 0.01 or 1.0)
    if bins is None:
        colours = _palette_colours(palette, 9, func)
        colormap = cm.LinearColormap(colours, vmin=vmin, vmax=vmax)
        breaks = None
    else:
        breaks = sorted(set(float(q) for q in np.quantile(finite, np.linspace(0, 1, bins + 1))))
        if len(breaks) < 2:
            breaks = [vmin, vmax]
        colours = _palette_colours(palette, len(breaks) - 1, func)
        colormap = cm.StepColormap(colours, index=breaks, vmin=breaks[0], vmax=breaks[-1])

    frame = gdf.copy()
    frame["_value"] = [
        _format_number(v, value_format) if math.isfinite(v) else "No data" for v in values
    ]
    frame["_fill"] = [colormap(v) if math.isfinite(v) else _NO_DATA_FILL for v in values]
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
    _HtmlControl(
        _legend_html(legend_label, colours, breaks, vmin, vmax, value_format, bool((~np.isfinite(values)).any())),
        position="bottomright",
        css_class="pd-control pd-legend",
    ).add_to(m)
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
    tolerance_m = _check_tolerance(tolerance_m, func)
    if not isinstance(layers, Mapping) or not layers:
        raise InvalidParameter(
            f"The 'layers' parameter of {func} must be a non-empty mapping of layer name to "
            f"GeoDataFrame; got {type(layers).__name__} of length {len(layers) if hasattr(layers, '__len__') else '?'}."
        )
    for name, gdf in layers.items():
        _check_gdf(gdf, f"layers[{name!r}]", func)
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
            tooltip=_tooltip(frame, ("name", "code"), (name, "Code")),
        ).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    return m
