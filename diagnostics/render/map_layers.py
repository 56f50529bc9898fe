"""Layers made ready for an offline map: checked, simplified to a tolerance in metres, reprojected to
EPSG:4326 with rounded coordinates; and a blank offline map (no tiles) fitted to them.
"""

from __future__ import annotations

import html as html_lib
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.offline import OfflineMap
from diagnostics.render.static_map import Canvas, text_svg, wrap_text

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "PROJECTED_EPSG",
    "check_tolerance",
    "check_gdf",
    "prepare_layer",
    "label_points",
    "feature_collection",
    "fit_bounds",
    "blank_map",
    "HtmlControl",
    "FitBoundsWhenSized",
]

#: Default simplification tolerance in metres: invisible at district scale, and it keeps a map of a
#: region's districts to a few hundred kilobytes.
DEFAULT_TOLERANCE_M = 25.0

PROJECTED_EPSG = 27700
_COORD_DECIMALS = 6  # ~0.1 m in latitude: far below the simplification tolerance


# --------------------------------------------------------------------------------------------------
# Map elements drawn inline (their classes are styled by the OfflineMap page)
# --------------------------------------------------------------------------------------------------


class HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (a title or a legend), written inline.

    On a static map (:mod:`diagnostics.render.static_map`) a title (class ``pd-title``) heads the
    drawing, a ``legend`` (an object with ``print_svg``) draws itself, and other content is written
    under the map as text.
    """

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

    def __init__(self, content: str, *, position: str, css_class: str, legend: Any = None):
        super().__init__()
        self._name = "HtmlControl"
        self.content = content
        self.position = position
        self.css_class = css_class
        self.legend = legend

    def print_svg(self, canvas: Canvas) -> None:
        """Draw the control on a static map: the title, the legend, or the content as text."""
        text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", self.content)).split())
        if "pd-title" in self.css_class.split():
            canvas.title = text
        elif self.legend is not None:
            self.legend.print_svg(canvas)
        elif text:
            lines = wrap_text(text, canvas.width - 24, 12)
            canvas.add_block(16 * len(lines) + 6, lambda x, y, _w: "".join(
                text_svg(x, y + 16 * i + 11, line) for i, line in enumerate(lines)))


class FitBoundsWhenSized(MacroElement):
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

    def print_bounds(self) -> list[list[float]]:
        """The bounds a static map of this map shows: those the interactive map fits."""
        return self.bounds


# --------------------------------------------------------------------------------------------------
# Validation and geometry preparation
# --------------------------------------------------------------------------------------------------


def check_tolerance(tolerance_m: Any, func: str) -> float:
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, (int, float)) or not (
        math.isfinite(tolerance_m) and tolerance_m >= 0
    ):
        raise InvalidParameter(
            f"The 'tolerance_m' parameter of {func} must be a non-negative number of metres; "
            f"got {tolerance_m!r}."
        )
    return float(tolerance_m)


def check_gdf(gdf: Any, argument: str, func: str, columns: Sequence[str] = ()) -> None:
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
    if out.crs.to_epsg() != PROJECTED_EPSG:
        out = out.to_crs(PROJECTED_EPSG)
    out = out[~(out.geometry.isna() | out.geometry.is_empty)]
    if tolerance_m > 0:
        out = out.set_geometry(out.geometry.simplify(tolerance_m, preserve_topology=True))
    out = out.to_crs(4326)
    out = out.set_geometry(shapely.transform(out.geometry.values, _round_coordinates))
    return out


def label_points(gdf: Any) -> list[tuple[float, float, str]]:
    """(lat, lon, name) of a point inside each area, for labels (computed in metres, then WGS84)."""
    import geopandas as gpd

    projected = gdf if gdf.crs.to_epsg() == PROJECTED_EPSG else gdf.to_crs(PROJECTED_EPSG)
    points = gpd.GeoSeries(projected.geometry.representative_point(), crs=PROJECTED_EPSG).to_crs(4326)
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
    FitBoundsWhenSized(bounds, padding_px=12).add_to(m)
    if title:
        HtmlControl(
            html_lib.escape(title), position="topright", css_class="pd-control pd-title"
        ).add_to(m)
    return m
