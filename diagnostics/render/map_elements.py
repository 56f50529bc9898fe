"""What a map carries beyond its shapes: HTML markers (labels, counts), tooltips, area labels and the
choropleth's legend and colours.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.map_layers import _COORD_DECIMALS, label_points
from diagnostics.render.static_map import Canvas, text_svg, wrap_text

__all__ = [
    "HtmlMarkers",
    "Legend",
    "SEQUENTIAL_PALETTES",
    "NO_DATA_FILL",
    "tooltip",
    "add_labels",
    "palette_colours",
    "format_number",
    "legend_html",
]

#: Perceptually uniform sequential palettes that stay readable with colour-vision deficiency
#: (append ``_r`` to reverse one).
SEQUENTIAL_PALETTES = ("cividis", "viridis", "plasma", "inferno", "magma")

#: Fill of an area without a value.
NO_DATA_FILL = "#d0d0d0"


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

    def print_svg(self, canvas: Canvas) -> None:
        """Draw the markers on a static map: an area label as text (bold for the place's), a
        marker with a round background (a count) as that circle with its text."""
        for marker in self.markers:
            markup = marker["html"]
            text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
            x, y = canvas.xy(*marker["location"])
            if "pd-label" in markup:
                place = "pd-label-place" in markup
                canvas.overlay.append(text_svg(x, y + 4, text, size=13 if place else 11, weight="700" if place else "400",
                                               fill="#00324f" if place else "#333333", anchor="middle"))
                continue
            if "border-radius:50%" in markup.replace(" ", ""):
                background = _inline_style(markup, "background") or "#ffffff"
                border = (_inline_style(markup, "border") or "1px solid #000000").split()
                radius = marker["size"][0] / 2
                canvas.overlay.append(
                    f'<circle cx="{x:g}" cy="{y:g}" r="{radius:g}" fill="{html_lib.escape(background)}" '
                    f'stroke="{html_lib.escape(border[-1])}" stroke-width="{border[0].removesuffix("px")}"/>')
            if text:
                canvas.overlay.append(text_svg(x, y + 4, text, weight="600", fill="#000000", anchor="middle"))


def _inline_style(markup: str, name: str) -> str | None:
    """The value of one property of the first inline ``style`` in ``markup`` (``None`` without it)."""
    found = re.search(rf"[;\"']\s*{name}\s*:\s*([^;\"']+)", markup)
    return found.group(1).strip() if found else None


def tooltip(gdf: Any, fields: Sequence[str], aliases: Sequence[str]) -> folium.GeoJsonTooltip | None:
    present = [(f, a) for f, a in zip(fields, aliases) if f in gdf.columns]
    if not present:
        return None
    return folium.GeoJsonTooltip(
        fields=[f for f, _ in present], aliases=[a for _, a in present], sticky=True
    )


def add_labels(m: folium.Map, gdf: Any, *, css_class: str) -> None:
    labels = HtmlMarkers(interactive=False)
    for lat, lon, name in label_points(gdf):
        labels.add(lat, lon, f'<div class="{css_class}">{html_lib.escape(name)}</div>',
                   size=(160, 18), anchor=(80, 9), class_name="pd-label-icon")
    if labels.markers:
        labels.add_to(m)


def palette_colours(palette: str, n: int, func: str) -> list[str]:
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


def format_number(value: float, value_format: str) -> str:
    return value_format.format(value)


@dataclass(frozen=True)
class Legend:
    """A choropleth's legend: drawn in HTML on the interactive map, in SVG on the static one.

    Attributes
    ----------
    label : str
        The heading: the indicator and its unit.
    colours : list of str
        The palette's colours, low to high (a continuous scale's stops, or one per class).
    breaks : list of float or None
        The classes' limits (one more than ``colours``); ``None`` for a continuous scale.
    vmin, vmax : float
        The ends of a continuous scale.
    value_format : str
        A :meth:`str.format` pattern for the values.
    has_missing : bool
        Whether a "No data" swatch is shown.
    """

    label: str
    colours: tuple[str, ...]
    breaks: tuple[float, ...] | None
    vmin: float
    vmax: float
    value_format: str
    has_missing: bool

    def ticks(self) -> list[str]:
        """The continuous scale's three tick labels (low, middle, high)."""
        return [format_number(v, self.value_format) for v in (self.vmin, (self.vmin + self.vmax) / 2, self.vmax)]

    def classes(self) -> list[tuple[str, str]]:
        """(colour, "low to high") of each class, then ("#d0d0d0", "No data") when values are missing."""
        rows = []
        if self.breaks is not None:
            rows = [(colour, f"{format_number(low, self.value_format)} to {format_number(high, self.value_format)}")
                    for colour, low, high in zip(self.colours, self.breaks[:-1], self.breaks[1:])]
        return rows + ([(NO_DATA_FILL, "No data")] if self.has_missing else [])

    def html(self) -> str:
        """The legend as HTML, for the interactive map's control (classes of its page's style)."""
        label = f'<div class="pd-legend-title">{html_lib.escape(self.label)}</div>'
        rows: list[str] = []
        if self.breaks is None:
            gradient = ", ".join(self.colours)
            ticks = "".join(f"<span>{html_lib.escape(t)}</span>" for t in self.ticks())
            rows.append(
                f'<div class="pd-legend-bar" style="background: linear-gradient(to right, {gradient});">'
                f'</div><div class="pd-legend-ticks">{ticks}</div>'
            )
        for colour, text in self.classes():
            rows.append(
                f'<div class="pd-legend-row"><span class="pd-swatch" style="background:{colour}">'
                f"</span>{html_lib.escape(text)}</div>"
            )
        return label + "".join(rows)

    def print_svg(self, canvas: Canvas) -> None:
        """Draw the legend under a static map: its heading, the colour bar with its ticks or the classes."""
        heading = wrap_text(self.label, canvas.width - 24, 12)
        bar = 34 if self.breaks is None else 0
        classes = self.classes()
        height = 16 * len(heading) + bar + 17 * len(classes) + 8

        def draw(x: float, y: float, _width: float) -> str:
            out = [text_svg(x, y + 16 * i + 12, line, weight="700") for i, line in enumerate(heading)]
            top = y + 16 * len(heading) + 4
            if self.breaks is None:
                stops = "".join(f'<stop offset="{i / max(len(self.colours) - 1, 1):.4f}" stop-color="{c}"/>'
                                for i, c in enumerate(self.colours))
                # the drawing is a document of its own (an image): one legend, one id
                out.append(f'<defs><linearGradient id="legend-scale">{stops}</linearGradient></defs>'
                           f'<rect x="{x}" y="{top}" width="240" height="12" fill="url(#legend-scale)" stroke="#777777"/>')
                for i, (tick, anchor) in enumerate(zip(self.ticks(), ("start", "middle", "end"))):
                    out.append(text_svg(x + 120 * i, top + 26, tick, anchor=anchor))
                top += bar
            for j, (colour, text) in enumerate(classes):
                out.append(f'<rect x="{x}" y="{top + 17 * j}" width="16" height="12" fill="{colour}" stroke="#777777"/>'
                           + text_svg(x + 24, top + 17 * j + 11, text))
            return "".join(out)

        canvas.add_block(height, draw)
        canvas.described.append(
            f"Legend, {self.label}: "
            + (f"from {self.ticks()[0]} to {self.ticks()[-1]}" if self.breaks is None
               else "; ".join(text for _c, text in classes if text != "No data"))
            + ("; grey: no data." if self.has_missing else ".")
        )


def legend_html(
    legend_label: str,
    colours: list[str],
    breaks: list[float] | None,
    vmin: float,
    vmax: float,
    value_format: str,
    has_missing: bool,
) -> str:
    """The legend's HTML (:meth:`Legend.html`) from its parts."""
    return Legend(legend_label, tuple(colours), None if breaks is None else tuple(breaks), vmin, vmax,
                  value_format, has_missing).html()
