"""Static maps for print: a folium map drawn again as one SVG, with the same boundaries and colours.

An interactive map (Leaflet in an ``<iframe>``) does not print: its zoom buttons and layer control
would be printed, its fit to the page waits for a window size, and in a PDF it is a picture of
whatever the browser had drawn. :func:`static_map_svg` draws the map a reader sees when it opens,
from the very objects the interactive map is rendered from: every visible ``folium.GeoJson`` layer
(its features through its own ``style_function``, circle markers with their own options), the
visible feature groups, and our own elements (title, legend, area labels, counts), which draw
themselves through the small :class:`PrintDrawable` protocol. Layers the map opens with switched
off are left out and named in the key.

The projection is Leaflet's own, spherical Web Mercator (EPSG:3857), fitted to the bounds the
interactive map fits (an element's ``print_bounds()``), else to the features drawn. Text is SVG
text in the charts' fonts, so it stays text in a PDF.
"""

from __future__ import annotations

import base64
import html as html_lib
import math
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

import folium

from diagnostics.exceptions import InvalidParameter

__all__ = [
    "PrintDrawable",
    "Canvas",
    "static_map_svg",
    "static_map_description",
    "static_map_figure",
    "layer_style",
    "text_svg",
    "wrap_text",
    "LEAFLET_PATH_DEFAULTS",
]

#: Leaflet's defaults for a path's style (``L.Path.options``), which a style function overrides.
LEAFLET_PATH_DEFAULTS = {
    "stroke": True, "color": "#3388ff", "weight": 3, "opacity": 1.0, "fill": True, "fillColor": None,
    "fillOpacity": 0.2, "dashArray": None,
}
_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
_TEXT = "#222222"


@runtime_checkable
class PrintDrawable(Protocol):
    """A map element that draws itself on a static map (our controls and markers do)."""

    def print_svg(self, canvas: Canvas) -> None:
        """Add the element's drawing to ``canvas``."""


class Canvas:
    """The page a static map is drawn on: a title band, the map's frame, and bands below it.

    Parameters
    ----------
    bounds : [[south, west], [north, east]]
        Degrees (WGS84) the frame must show, as the interactive map fits them.
    width : int
        The drawing's width in CSS pixels (its height follows the bounds' shape).
    padding : int
        Pixels between the bounds and the frame's edge (the interactive map's ``padding_px``).
    """

    def __init__(self, bounds: list[list[float]], width: int, padding: int = 12):
        (south, west), (north, east) = bounds
        self.width = width
        x0, y0 = _mercator(south, west)
        x1, y1 = _mercator(north, east)
        span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        inner_w = width - 2 * padding
        self.map_height = int(min(max(inner_w * span_y / span_x + 2 * padding, 280), 0.85 * width))
        inner_h = self.map_height - 2 * padding
        self._scale = min(inner_w / span_x, inner_h / span_y)
        self._x_off = padding + (inner_w - span_x * self._scale) / 2 - x0 * self._scale
        self._y_off = padding + (inner_h - span_y * self._scale) / 2 + y1 * self._scale
        self.title = ""
        self.shapes: list[str] = []  # drawn in order, inside the frame
        self.overlay: list[str] = []  # labels and counts, over every shape
        self.blocks: list[tuple[int, Any]] = []  # (height, draw(x, y) -> svg) under the frame
        self.key: list[tuple[str, dict]] = []  # (layer name, style) of the layers shown
        self.hidden: list[str] = []  # layers the map opens with switched off
        self.described: list[str] = []  # sentences for the drawing's text alternative

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Pixel position of a point in the frame (x to the right, y down)."""
        x, y = _mercator(lat, lon)
        return round(x * self._scale + self._x_off, 1), round(self._y_off - y * self._scale, 1)

    def add_block(self, height: int, draw: Any) -> None:
        """Reserve ``height`` pixels under the frame for ``draw(x, y, width) -> svg markup``."""
        self.blocks.append((height, draw))

    def svg(self) -> str:
        """The whole drawing as a standalone SVG document."""
        title_lines = wrap_text(self.title, self.width - 24, 15) if self.title else []
        top = 10 + 20 * len(title_lines) + (6 if title_lines else 0)
        parts = [
            f'<text x="12" y="{12 + 20 * (i + 1) - 6}" font-size="15" font-weight="700" fill="{_TEXT}">'
            f"{_escape(line)}</text>"
            for i, line in enumerate(title_lines)
        ]
        parts.append(
            f'<svg x="0" y="{top}" width="{self.width}" height="{self.map_height}" '
            f'viewBox="0 0 {self.width} {self.map_height}" overflow="hidden">'
            f'<rect width="{self.width}" height="{self.map_height}" fill="#f7f7f4" stroke="#bbbbbb"/>'
            + "".join(self.shapes) + "".join(self.overlay) + "</svg>"
        )
        y = top + self.map_height + 12
        for height, draw in ([self._key_block()] if self.key or self.hidden else []) + self.blocks:
            parts.append(draw(12, y, self.width - 24))
            y += height
        height = y + 4
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{height}" '
            f'viewBox="0 0 {self.width} {height}" font-family="{_FONT}" font-size="12">'
            f'<rect width="{self.width}" height="{height}" fill="#ffffff"/>' + "".join(parts) + "</svg>"
        )

    def _key_block(self) -> tuple[int, Any]:
        """The key under the map: a sample of each layer shown, then the layers switched off."""
        rows = [(name, style) for name, style in self.key]
        hidden = f"Also in the interactive map, switched off: {'; '.join(self.hidden)}." if self.hidden else ""
        hidden_lines = wrap_text(hidden, self.width - 24, 12) if hidden else []

        def draw(x: float, y: float, width: float) -> str:
            out = []
            for i, (name, style) in enumerate(rows):
                top = y + 18 * i
                out.append(_swatch(x, top, style) + f'<text x="{x + 28}" y="{top + 11}" fill="{_TEXT}">{_escape(name)}</text>')
            for j, line in enumerate(hidden_lines):
                out.append(f'<text x="{x}" y="{y + 18 * len(rows) + 16 * j + 11}" fill="#555555">{_escape(line)}</text>')
            return "".join(out)

        return 18 * len(rows) + 16 * len(hidden_lines) + 6, draw


def layer_style(layer: folium.GeoJson, feature: dict) -> dict:
    """The style Leaflet gives ``feature`` in ``layer``: Leaflet's defaults, then the layer's style function.

    Returns
    -------
    dict
        ``stroke``, ``color``, ``weight`` (px), ``opacity``, ``fill``, ``fillColor``, ``fillOpacity`` and
        ``dashArray``, with Leaflet's defaults where the style function says nothing.
    """
    style = dict(LEAFLET_PATH_DEFAULTS)
    function = getattr(layer, "style_function", None)
    if callable(function):
        style.update({k: v for k, v in (function(feature) or {}).items() if v is not None})
    if style.get("fillColor") is None:
        style["fillColor"] = style["color"]
    return style


def static_map_svg(m: Any, *, width: int = 760) -> str:
    """Draw a folium map as the reader sees it when it opens, as one standalone SVG document.

    Parameters
    ----------
    m : folium.Map
        A map from :mod:`diagnostics.render.maps` (or any folium map of GeoJSON layers).
    width : int, default 760
        The drawing's width in CSS pixels; its height follows the shape of the area shown.

    Returns
    -------
    str
        ``<svg xmlns=...>...</svg>``: the title, the visible layers in the order the map draws them
        (each feature in the colours its layer's style function gives it), labels and counts, then the
        legend and a key of the layers shown.

    Raises
    ------
    InvalidParameter
        If ``m`` is not a ``folium.Map`` or ``width`` is not an integer of at least 200.

    Notes
    -----
    A point at longitude λ and latitude φ (radians) is placed at x = λ, y = ln tan(π/4 + φ/2)
    (spherical Web Mercator, as Leaflet draws it), scaled by one factor on both axes so that the
    bounds fill the frame less 12 px of padding, and centred on the other axis. Stroke widths and circle radii are Leaflet's pixels.
    """
    _check(m, width)
    return _draw(m, width).svg()


def static_map_description(m: Any) -> str:
    """One or two sentences for the static map's text alternative: its title, layers and legend."""
    _check(m, 760)
    return _description(_draw(m, 760))


def static_map_figure(m: Any, *, title: str = "Map") -> str:
    """The static map as HTML for print: a ``<figure class="pd-print-map" hidden>`` holding the drawing.

    The figure is hidden on screen (the ``hidden`` attribute) and shown by the stylesheet's print rules
    in place of the interactive map. The drawing is an ``<img>`` of the SVG as a ``data:`` URI, with
    :func:`static_map_description` as its text alternative: a PDF carries it as the figure's
    alternate text, and the drawing's own words stay out of the page's text (the interactive map
    beside it says them on screen).

    Parameters
    ----------
    m : folium.Map
        As for :func:`static_map_svg`.
    title : str, default "Map"
        The map's accessible title, used when the map has no title of its own.

    Returns
    -------
    str
        HTML markup.

    Raises
    ------
    InvalidParameter
        As for :func:`static_map_svg`.
    """
    _check(m, 760)
    canvas = _draw(m, 760)
    data = base64.b64encode(canvas.svg().encode("utf-8")).decode("ascii")
    alt = _description(canvas, title)
    return (f'<figure class="pd-print-map" hidden><img alt="{_escape(alt)}" '
            f'src="data:image/svg+xml;base64,{data}"></figure>')


def _description(canvas: Canvas, title: str = "Map") -> str:
    shown = [name for name, _ in canvas.key]
    parts = [f"Map: {canvas.title or title}."]
    if shown:
        parts.append(f"Layers shown: {'; '.join(shown)}.")
    parts.extend(canvas.described)
    return " ".join(parts)


def _check(m: Any, width: Any) -> None:
    if not isinstance(m, folium.Map):
        raise InvalidParameter(
            f"The 'm' parameter of static_map_svg must be a folium.Map (from diagnostics.render.maps); got {type(m).__name__}."
        )
    if isinstance(width, bool) or not isinstance(width, int) or width < 200:
        raise InvalidParameter(f"The 'width' parameter of static_map_svg must be an integer of at least 200 pixels; got {width!r}.")


def _draw(m: folium.Map, width: int) -> Canvas:
    elements = list(_visible(m))
    bounds = next((e.print_bounds() for e, _ in elements if hasattr(e, "print_bounds")), None)
    if bounds is None:
        bounds = _data_bounds(e for e, _ in elements if isinstance(e, folium.GeoJson))
    canvas = Canvas(bounds, width)
    with_key = any(isinstance(e, folium.LayerControl) for e, _ in elements)
    for element, group in elements:
        if isinstance(element, folium.GeoJson):
            _draw_geojson(canvas, element, group, with_key)
        elif isinstance(element, PrintDrawable):
            element.print_svg(canvas)
    if with_key:
        canvas.hidden = list(_hidden_layers(m))
    return canvas


def _visible(parent: Any, group: Any = None) -> Iterator[tuple[Any, Any]]:
    """Each element the map shows when it opens, in drawing order, with the feature group holding it."""
    for child in parent._children.values():
        if isinstance(child, folium.FeatureGroup):
            if getattr(child, "show", True):
                yield from _visible(child, child)
        elif isinstance(child, folium.GeoJson) and not getattr(child, "show", True):
            continue
        else:
            yield child, group


def _hidden_layers(parent: Any) -> Iterator[str]:
    for child in parent._children.values():
        if isinstance(child, (folium.FeatureGroup, folium.GeoJson)) and not getattr(child, "show", True):
            yield _layer_name(child) or "an unnamed layer"
        elif isinstance(child, folium.FeatureGroup):
            yield from _hidden_layers(child)


def _layer_name(layer: Any) -> str:
    name = str(getattr(layer, "layer_name", "") or "")
    return "" if name.startswith("macro_element_") else name


def _data_bounds(layers: Any) -> list[list[float]]:
    xs, ys = [], []
    for layer in layers:
        for feature in layer.data.get("features", []):
            for lon, lat in _points(feature.get("geometry") or {}):
                xs.append(lon)
                ys.append(lat)
    if not xs:
        return [[50.0, -6.0], [56.0, 2.0]]  # England, for a map with nothing on it
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _points(geometry: dict) -> Iterator[tuple[float, float]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        for part in geometry.get("geometries", []):
            yield from _points(part)
        return
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}.get(kind)
    if depth is None or coords is None:
        return
    stack = [(coords, depth)]
    while stack:
        item, level = stack.pop()
        if level == 0:
            yield float(item[0]), float(item[1])
        else:
            stack.extend((sub, level - 1) for sub in item)


def _draw_geojson(canvas: Canvas, layer: folium.GeoJson, group: Any, with_key: bool) -> None:
    features = layer.data.get("features", []) if isinstance(layer.data, dict) else []
    marker = getattr(layer, "marker", None)
    first_style = None
    for feature in features:
        geometry = feature.get("geometry") or {}
        style = layer_style(layer, feature)
        if isinstance(marker, folium.CircleMarker):
            style = {**style, **{k: v for k, v in marker.options.items() if v is not None}}
        first_style = first_style or style
        canvas.shapes.append(_shape(canvas, geometry, style, marker))
    name = _layer_name(layer) or (_layer_name(group) if group is not None else "")
    if with_key and name and first_style is not None and name not in [n for n, _ in canvas.key]:
        canvas.key.append((name, first_style))


def _shape(canvas: Canvas, geometry: dict, style: dict, marker: Any) -> str:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "GeometryCollection":
        return "".join(_shape(canvas, part, style, marker) for part in geometry.get("geometries", []))
    if kind in ("Point", "MultiPoint"):
        points = [coords] if kind == "Point" else coords
        radius = float(style.get("radius", 6 if marker is None else 10))
        return "".join(
            f'<circle cx="{x}" cy="{y}" r="{radius:g}"{_paint(style, filled=True)}/>'
            for x, y in (canvas.xy(p[1], p[0]) for p in points)
        )
    if kind in ("LineString", "MultiLineString"):
        lines = [coords] if kind == "LineString" else coords
        d = "".join(_ring(canvas, line, close=False) for line in lines)
        return f'<path d="{d}"{_paint(style, filled=False)}/>'
    if kind in ("Polygon", "MultiPolygon"):
        polygons = [coords] if kind == "Polygon" else coords
        d = "".join(_ring(canvas, ring, close=True) for polygon in polygons for ring in polygon)
        return f'<path d="{d}" fill-rule="evenodd"{_paint(style, filled=True)}/>'
    return ""


def _ring(canvas: Canvas, ring: list, *, close: bool) -> str:
    if not ring:
        return ""
    points = [canvas.xy(lat, lon) for lon, lat, *_ in ring]
    d = f"M{points[0][0]:g} {points[0][1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in points[1:])
    return d + ("Z" if close else "")


def _paint(style: dict, *, filled: bool) -> str:
    """SVG paint attributes of a Leaflet path style."""
    out = []
    if filled and style.get("fill", True):
        out.append(f' fill="{_escape(str(style["fillColor"]))}" fill-opacity="{float(style["fillOpacity"]):g}"')
    else:
        out.append(' fill="none"')
    if style.get("stroke", True) and float(style.get("weight") or 0) > 0:
        out.append(
            f' stroke="{_escape(str(style["color"]))}" stroke-width="{float(style["weight"]):g}" '
            f'stroke-opacity="{float(style.get("opacity", 1.0)):g}" stroke-linejoin="round" stroke-linecap="round"'
        )
        if style.get("dashArray"):
            out.append(f' stroke-dasharray="{_escape(str(style["dashArray"]))}"')
    return "".join(out)


def _swatch(x: float, y: float, style: dict) -> str:
    """A 20 x 12 px sample of a layer's style, for the key."""
    return f'<rect x="{x}" y="{y}" width="20" height="12"{_paint(style, filled=True)}/>'


def _escape(text: str) -> str:
    return html_lib.escape(text, quote=True)


def wrap_text(text: str, width: float, font_size: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` pixels, at an average glyph width of 0.58 em."""
    per_line = max(10, int(width / (0.58 * font_size)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """Spherical Web Mercator (EPSG:3857) in units of the sphere's radius: Leaflet's projection."""
    lat = max(min(float(lat), 85.0511), -85.0511)
    return math.radians(float(lon)), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def text_svg(x: float, y: float, text: str, *, size: int = 12, weight: str = "400", fill: str = _TEXT,
             anchor: str = "start") -> str:
    """One line of SVG text (escaped). No halo: a stroked copy under the text would be read twice
    from a PDF (once for the stroke, once for the fill)."""
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}">{_escape(text)}</text>')
