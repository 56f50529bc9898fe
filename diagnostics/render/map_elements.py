"""What a map carries beyond its shapes: HTML markers (labels, counts), tooltips, area labels and the
choropleth's legend and colours.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.map_layers import _COORD_DECIMALS, label_points

__all__ = [
    "HtmlMarkers",
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


def legend_html(
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
            f"<span>{html_lib.escape(format_number(v, value_format))}</span>" for v in (vmin, mid, vmax)
        )
        rows.append(
            f'<div class="pd-legend-bar" style="background: linear-gradient(to right, {gradient});">'
            f'</div><div class="pd-legend-ticks">{ticks}</div>'
        )
    else:
        for colour, low, high in zip(colours, breaks[:-1], breaks[1:]):
            text = f"{format_number(low, value_format)} to {format_number(high, value_format)}"
            rows.append(
                f'<div class="pd-legend-row"><span class="pd-swatch" style="background:{colour}">'
                f"</span>{html_lib.escape(text)}</div>"
            )
    if has_missing:
        rows.append(
            f'<div class="pd-legend-row"><span class="pd-swatch" style="background:{NO_DATA_FILL}">'
            "</span>No data</div>"
        )
    return label + "".join(rows)
