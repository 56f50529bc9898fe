"""Pages that render with the network cut: finding outside addresses, and maps with none.

Two halves of one promise, that a report or a map opens on a machine with no network:

- :func:`find_outside_urls` lists every address in an HTML document that would reach outside it,
  and :func:`check_offline` raises :class:`~diagnostics.exceptions.OfflineViolation` naming them
  all. The report exporter and :func:`map_html` both check their output this way.
- :class:`OfflineMap` is a ``folium.Map`` with no tile layer whose only assets are Leaflet's own
  JavaScript and CSS (with its licence header), read from the installed ``XStatic-Leaflet``
  package, checked to be the Leaflet folium's templates are written for, and written inline into
  the page, images as ``data:`` URIs. :func:`map_html` renders one to a
  standalone document and :func:`show_map` shows it in JupyterLab, in an nbconvert HTML report and
  in Voilà (an ``<iframe srcdoc=...>`` with everything inside).

The maps themselves are built in :mod:`diagnostics.render.maps`.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure

from diagnostics.exceptions import DiagnosticsError, InvalidParameter, OfflineViolation
from diagnostics.render.chart_figures import MAP_SUMMARY, ChartFigures, figures_details
from diagnostics.render.static_map import static_map_figure

__all__ = ["find_outside_urls", "check_offline", "OfflineMap", "map_html", "show_map", "leaflet_assets"]


# --------------------------------------------------------------------------------------------------
# Outside addresses
# --------------------------------------------------------------------------------------------------

# An address that leaves the document: a scheme followed by "//" (http:, https:, ftp:, file: ...)
# or protocol-relative "//host".
_URL = r"(?:[a-z][a-z0-9+.\-]*:)?//[^\s\"'<>()`]+"
_ATTRIBUTES = (
    "src|href|xlink:href|srcset|action|formaction|poster|data|background|cite|manifest|longdesc"
    "|ping|codebase|archive|lowsrc|dynsrc|icon"
)
_PATTERNS = (
    # <script src=...>, <link href=...>, <a href=...>, <img srcset=...>, el.src = '...' in scripts
    re.compile(rf"(?<![\w\-])(?:{_ATTRIBUTES})\s*=\s*[\"']?\s*({_URL})", re.IGNORECASE),
    # CSS url(...) and @import "..."
    re.compile(rf"url\(\s*[\"']?\s*({_URL})", re.IGNORECASE),
    re.compile(rf"@import\s+[\"']\s*({_URL})", re.IGNORECASE),
    # any quoted absolute or protocol-relative address to a host (import("..."), fetch('...'), ...)
    re.compile(r"[\"'`]((?:[a-z][a-z0-9+.\-]*:)?//[a-z0-9\-]+(?:\.[a-z0-9\-]+)+[^\s\"'`<>]*)", re.IGNORECASE),
)
# With anywhere=True: any absolute address in the text, and protocol-relative CDN hosts.
_ANYWHERE_PATTERNS = (
    re.compile(r"(?<![\w.+\-])((?:https?|ftp|wss?):" r"//[^\s\"'<>()`\\]+)", re.IGNORECASE),
    re.compile(r"(?<![\w:/])(//cdn[^\s\"'<>()`\\]*)", re.IGNORECASE),
)
# XML namespace and DTD identifiers: names, never fetched by a browser.
_IDENTIFIERS = re.compile(
    r"^https?://www\.w3\.org/(?:2000/svg|1999/xlink|1999/xhtml|XML/1998/namespace|1998/Math/MathML"
    r"|2000/xmlns/?|Graphics/SVG/1\.1/DTD/svg11\.dtd|TR/[\w./\-]+\.dtd)$",
    re.IGNORECASE,
)


def find_outside_urls(html: str, *, anywhere: bool = False) -> list[str]:
    """Every address in an HTML document that would reach outside it.

    Looks at ``src``/``href`` (and the other URL attributes), CSS ``url()`` and ``@import``, and
    quoted addresses in scripts, for ``http(s)://``, any other ``scheme://`` and protocol-relative
    ``//host`` addresses; inside ``<iframe srcdoc="...">`` too (the escaped document is unescaped and
    searched). Links in prose count: a report states its references as plain text. ``data:`` URIs,
    in-page ``#anchors`` and XML namespace names (``http://www.w3.org/2000/svg``) do not count.

    Parameters
    ----------
    html : str
        The document.
    anywhere : bool, default False
        Also count every absolute ``http(s)://`` address in plain text and comments, and ``//cdn``
        anywhere (the stricter rule :func:`map_html` applies).

    Returns
    -------
    list of str
        The addresses, each once, in the order found; empty when the document is self-contained.

    Raises
    ------
    InvalidParameter
        If ``html`` is not a str.

    Examples
    --------
    >>> find_outside_urls('<script src="https://cdn.example.org/x.js"></script><p>ok</p>')
    ['https://cdn.example.org/x.js']
    >>> find_outside_urls('<style>a { background: url(//fonts.example.com/f.woff) }</style>')
    ['//fonts.example.com/f.woff']
    >>> find_outside_urls('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    []
    """
    if not isinstance(html, str):
        raise InvalidParameter(
            f"The 'html' parameter of find_outside_urls must be a str; got {type(html).__name__}."
        )
    return _search(_without_checked_leaflet(html), anywhere)


def _search(html: str, anywhere: bool) -> list[str]:
    """:func:`find_outside_urls`'s search of the whole text."""
    patterns = _PATTERNS + (_ANYWHERE_PATTERNS if anywhere else ())
    found: dict[str, None] = {}
    text = html
    for _level in range(4):  # the document, then what escaped srcdoc documents hold
        windows = _around_double_slashes(text)
        for pattern in patterns:
            for window in windows:
                for match in pattern.finditer(window):
                    url = match.group(1).rstrip(".,;:)]}\\")  # a JSON string escapes its closing quote
                    if not _IDENTIFIERS.match(url):
                        found.setdefault(url, None)
        unescaped = html_lib.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return list(found)


#: How far before and after a "//" an address (attribute name, scheme, host, path) may reach.
_BEFORE_SLASHES, _AFTER_SLASHES = 1_000, 8_000


def _around_double_slashes(text: str) -> list[str]:
    """The stretches of ``text`` around each "//", overlapping stretches merged, in order.

    Every address the patterns find contains "//", so searching these stretches finds what
    searching the whole text finds; a map page of a megabyte of GeoJSON has a handful of them.
    """
    spans: list[list[int]] = []
    at = text.find("//")
    while at != -1:
        start, end = max(0, at - _BEFORE_SLASHES), at + _AFTER_SLASHES
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
        at = text.find("//", at + 2)
    return [text[start:end] for start, end in spans]


def _without_checked_leaflet(html: str) -> str:
    """The document with the Leaflet code :class:`OfflineMap` inlines cut out, as it is or escaped
    inside a ``srcdoc``, once that code has been searched and found to refer nowhere.

    Every map carries the same ~150 KB of Leaflet, most of a map's text: searching it once per
    process instead of once per map (and again in each report holding the map) is most of the cost
    of checking a page. Each cut leaves a line break, so no address can be formed across it.
    """
    try:
        pieces = _checked_leaflet_pieces()
    except DiagnosticsError:  # Leaflet not installed: there is nothing of it to cut
        return html
    for piece in pieces:
        if piece in html:
            html = html.replace(piece, "\n")
    return html


@functools.lru_cache(maxsize=1)
def _checked_leaflet_pieces() -> tuple[str, ...]:
    """Leaflet's inlined JavaScript and CSS, raw and escaped as in a ``srcdoc``, if they refer
    nowhere by the strict rule; else nothing (so every document is searched whole)."""
    js, css = leaflet_assets()
    pieces = (js, css)
    if any(_search(piece, anywhere=True) for piece in (f"<script>{js}</script>", f"<style>{css}</style>")):
        return ()
    return pieces + tuple(html_lib.escape(piece, quote=True) for piece in pieces)


def check_offline(html: str, what: str, *, anywhere: bool = False, fix: str = "") -> None:
    """Raise unless an HTML document would render with the network cut.

    Parameters
    ----------
    html : str
        The document.
    what : str
        The document as the message should name it, by the argument it came from (e.g. "The report
        from the 'notebooks' parameter of export_report").
    anywhere : bool, default False
        Apply :func:`find_outside_urls`'s stricter rule (plain-text addresses and ``//cdn`` count).
    fix : str, default ""
        How to make the document self-contained, appended to the message.

    Raises
    ------
    OfflineViolation
        If :func:`find_outside_urls` finds anything; the message names every address found.
    InvalidParameter
        If ``html`` is not a str.

    Examples
    --------
    >>> check_offline('<p>ok</p>', "The page")
    >>> check_offline('<img src="https://example.org/a.png">', "The page")
    Traceback (most recent call last):
    ...
    diagnostics.exceptions.OfflineViolation: The page refers outside itself: https://example.org/a.png; it must open with the network cut.
    """
    outside = find_outside_urls(html, anywhere=anywhere)
    if outside:
        raise OfflineViolation(what, outside, fix)


# --------------------------------------------------------------------------------------------------
# Leaflet, inlined from the installed XStatic-Leaflet package
# --------------------------------------------------------------------------------------------------

# Leaflet's namespace strings are identifiers, never fetched; its one outside link is the prefix of the
# attribution control (turned off here) and the licence comment, both rewritten to plain text.
_LEAFLET_JS_REWRITES = (("https://leafletjs.com", "leafletjs.com"),)
_LEAFLET_CDN_VERSION = re.compile(r"/leaflet@(\d+\.\d+\.\d+)/")


def _folium_leaflet_version() -> str:
    """The Leaflet version folium's map template loads (from its CDN address, e.g. ``"1.9.3"``)."""
    for name, url in folium.Map.default_js:
        found = _LEAFLET_CDN_VERSION.search(url)
        if name == "leaflet" and found:
            return found.group(1)
    raise DiagnosticsError(
        "folium's map no longer names the Leaflet version it loads (folium.Map.default_js); the Leaflet "
        "that offline maps inline cannot be checked against it."
    )


def _leaflet_package() -> tuple[Path, str]:
    """The folder of Leaflet's files in the installed XStatic-Leaflet package, and its Leaflet version.

    Raises
    ------
    DiagnosticsError
        If the package is missing, or its Leaflet is of another minor version than folium's
        templates are written for (Leaflet keeps its API within a minor version).
    """
    try:  # a few constants, light; imported here so that the message can say what to install
        import xstatic.pkg.leaflet as xstatic_leaflet
    except ImportError as err:
        wanted = _folium_leaflet_version()
        raise DiagnosticsError(
            "Leaflet's JavaScript and CSS were not found: offline maps inline them from the XStatic-Leaflet "
            f"package, which is not installed here. Install it with `pip install XStatic-Leaflet=={wanted}`."
        ) from err
    folder, version = Path(xstatic_leaflet.BASE_DIR), str(xstatic_leaflet.VERSION)
    wanted = _folium_leaflet_version()
    if version.split(".")[:2] != wanted.split(".")[:2]:
        raise DiagnosticsError(
            f"The installed XStatic-Leaflet holds Leaflet {version}, but folium {folium.__version__}'s maps are "
            f"written for Leaflet {wanted}. Install it with `pip install XStatic-Leaflet=={wanted}` (or the "
            "folium that matches this Leaflet)."
        )
    return folder, version


@functools.lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as text ready to inline: ``(js, css)``.

    The CSS's relative ``url(images/...)`` references become ``data:`` URIs, the source-map comment
    is dropped and the URLs in the licence comment and attribution prefix become plain text.
    """
    folder, _version = _leaflet_package()
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    for old, new in _LEAFLET_JS_REWRITES:
        js = js.replace(old, new)
    js = js.replace("</script", "<\\/script")

    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # comments only (one cites a bug tracker)

    def inline_image(match: re.Match[str]) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return "url()"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{encoded}")'

    css = re.sub(r"url\(\s*['\"]?(images/[^'\")]+)['\"]?\s*\)", inline_image, css)

    # The default marker icon (which folium's markers create before any custom icon replaces it)
    # from data: URIs too, so no marker ever requests an image file.
    def data_uri(name: str) -> str:
        return "data:image/png;base64," + base64.b64encode((folder / "images" / name).read_bytes()).decode("ascii")

    icons = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}
    if all((folder / "images" / name).is_file() for name in icons.values()):
        options = json.dumps({key: data_uri(name) for key, name in icons.items()})
        js += f"\nL.Icon.Default.imagePath = \"\";\nL.Icon.Default.mergeOptions({options});\n"
    return js, css


# --------------------------------------------------------------------------------------------------
# Offline maps
# --------------------------------------------------------------------------------------------------

_BACKGROUND = "#f7f7f4"
_FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

# The house style of every map page: the plain background that stands in for tiles, and the
# classes of the titles, legends and labels that diagnostics.render.maps draws as HTML controls.
_MAP_CSS = f"""
.leaflet-container {{ background: {_BACKGROUND}; font-family: {_FONT_STACK}; }}
.pd-control {{ background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.25); color: #222; font-size: 13px; line-height: 1.35; }}
.pd-title {{ font-weight: 600; font-size: 15px; max-width: 22em; }}
.pd-legend-title {{ font-weight: 600; margin-bottom: 4px; max-width: 16em; }}
.pd-legend-bar {{ width: 180px; height: 12px; border: 1px solid #777; }}
.pd-legend-ticks {{ display: flex; justify-content: space-between; width: 182px; font-size: 12px; }}
.pd-legend-row {{ display: flex; align-items: center; gap: 6px; font-size: 12px; }}
.pd-swatch {{ display: inline-block; width: 16px; height: 12px; border: 1px solid #777; }}
.pd-label {{ font-size: 11px; color: #333; white-space: nowrap; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.pd-label-place {{ font-size: 13px; font-weight: 700; color: #00324f; }}
.leaflet-control-layers {{ font-size: 13px; }}
"""


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose only assets are Leaflet's, inlined from an installed package.

    It loads no jQuery, Bootstrap, fonts or marker icons, and adds no tile layer or attribution
    control unless asked. When rendered, the ``<script src>`` and ``<link href>`` that folium would
    write for Leaflet are replaced by ``<script>`` and ``<style>`` elements holding the code itself.

    Parameters
    ----------
    **kwargs
        As for :class:`folium.Map`; ``tiles`` defaults to ``None`` and ``attribution_control`` to
        ``False``.

    Notes
    -----
    Only Leaflet's core is available: folium elements that load their own plugins from CDNs (marker
    clusters, awesome-markers icons, Vega, TopoJSON) leave a ``<script src=...>`` that
    :func:`map_html` reports as an error.
    """

    default_js = [("leaflet", "leaflet.js")]
    default_css = [("leaflet_css", "leaflet.css")]

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("tiles", None)
        kwargs.setdefault("attribution_control", False)
        super().__init__(**kwargs)

    def render(self, **kwargs: Any) -> None:
        """Render as folium does, then swap the Leaflet links for the inlined code."""
        super().render(**kwargs)
        js, css = leaflet_assets()
        header = self.get_root().header
        # Same names as the links folium added: the inline elements take their place (and order).
        header.add_child(Element(f"<script>{js}</script>"), name="leaflet")
        header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
        header.add_child(Element(f"<style>{_MAP_CSS}</style>"), name="place_diagnostics_css")


def _figure_of(m: Any, func: str) -> Figure:
    if isinstance(m, Figure):
        return m
    if isinstance(m, folium.Map):
        root = m.get_root()
        if isinstance(root, Figure):
            return root
    raise InvalidParameter(
        f"The 'm' parameter of {func} must be a folium.Map (from diagnostics.render.maps) or a branca "
        f"Figure; got {type(m).__name__}."
    )


def map_html(m: Any, *, title: str = "Map") -> str:
    """The map as one standalone HTML document, with Leaflet inlined and no outside reference.

    Parameters
    ----------
    m : folium.Map or branca.element.Figure
        A map from :mod:`diagnostics.render.maps` (or its figure).
    title : str, default "Map"
        The document's ``<title>``, which a screen reader announces on entering its frame (WCAG 2.2
        2.4.2), and its hidden level-one heading; the document also says its language
        (``<html lang="en">``, 3.1.1), lets the reader zoom (1.4.4) and holds the map in one
        ``<main>`` landmark.

    Returns
    -------
    str
        A complete ``<!DOCTYPE html>`` document.

    Raises
    ------
    InvalidParameter
        If ``m`` is neither a ``folium.Map`` nor a branca ``Figure``.
    OfflineViolation
        If the document still refers to anything outside itself (an ``http://``, ``https://`` or
        protocol-relative ``//cdn`` address anywhere in it, e.g. a plain ``folium.Map``'s CDN links or
        a plugin's script); the message names every such address.
    """
    html = _titled_in_english(_figure_of(m, "map_html").render(), title)
    check_offline(
        html,
        "The page rendered from the 'm' parameter of map_html",
        anywhere=True,
        fix="Build the map with diagnostics.render.maps (OfflineMap, no tiles) and leave out folium plugins "
        "that load from CDNs.",
    )
    return html


#: folium's viewport, which forbids zooming (WCAG 2.2 1.4.4; axe's meta-viewport).
_NO_ZOOM = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")
#: Hidden on screen, read by screen readers (the map's own picture is its visible title).
_VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


def _titled_in_english(document: str, title: str) -> str:
    """branca's page (a bare ``<html>``, a ``<title>`` only when its figure has one) with its language,
    a title, a zoom the reader may change, and its body as the page's one ``<main>`` landmark
    headed by the title (a level-one heading that screen readers list but the page does not show)."""
    document = document.replace("<html>", '<html lang="en">', 1)
    if "<title>" not in document.split("</head>", 1)[0]:
        document = document.replace("<head>", f"<head>\n<title>{html_lib.escape(title)}</title>", 1)
    document = _NO_ZOOM.sub("", document, count=1)
    heading = f'<h1 style="{_VISUALLY_HIDDEN}">{html_lib.escape(title)}</h1>'
    # the map's div is 100% of its parent's height: the landmark takes the whole page, as <body> does
    main = '<main style="display:block;width:100%;height:100%;margin:0;padding:0">'
    return document.replace("<body>", f"<body>\n{main}{heading}", 1).replace("</body>", "</main>\n</body>", 1)


def show_map(m: Any, *, height: int = 480, title: str = "Map", table: str | None = None,
             data: ChartFigures | None = None) -> Any:
    """Show a map inline: an ``<iframe srcdoc=...>`` holding :func:`map_html`'s document.

    The same output renders in JupyterLab, in the nbconvert HTML report and in Voilà, with no
    outside request; the frame is sandboxed to scripts only. Printed (the report's PDF), the frame
    gives way to a static drawing of the same map. A page of several maps can carry Leaflet once
    instead (:mod:`diagnostics.render.shared_leaflet`: the report and the app do).

    Parameters
    ----------
    m : folium.Map or branca.element.Figure
        A map from :mod:`diagnostics.render.maps`.
    height : int, default 480
        The frame's height in CSS pixels (its width is 100%).
    title : str, default "Map"
        The frame's accessible name and its document's title: what the map shows, in words.
    table : str or None, default None
        The heading of the table on the same page that holds the map's figures: the frame's name
        then says where a reader who cannot see the map finds them (WCAG 2.2 1.1.1).
    data : ChartFigures or None, default None
        The figures the map shades (area, code, value with its unit...), for a map whose figures no
        table on the page holds: shown in a closed ``<details class="pd-chart-data">`` under the map
        (:func:`~diagnostics.render.chart_figures.figures_details`), and the frame's name says so.
        Give ``table`` or ``data``, not both.

    Returns
    -------
    IPython.display.HTML
        The frame, then (for a ``folium.Map``) its static drawing for print
        (:func:`diagnostics.render.static_map.static_map_figure`), hidden on screen; then the
        ``<details>`` of its figures when ``data`` is given.

    Raises
    ------
    InvalidParameter
        If ``height`` is not a positive integer, both ``table`` and ``data`` are given, ``data`` is
        not a usable ChartFigures, or as :func:`map_html`.
    OfflineViolation
        As :func:`map_html`.
    """
    from IPython.display import HTML

    if isinstance(height, bool) or not isinstance(height, int) or height <= 0:
        raise InvalidParameter(
            f"The 'height' parameter of show_map must be a positive integer of pixels; got {height!r}."
        )
    if table is not None and data is not None:
        raise InvalidParameter("Give show_map either 'table' (a table on the page holds the map's figures) or 'data' "
                               "(the figures to show under the map), not both.")
    details = figures_details(data, func="show_map", summary=MAP_SUMMARY) if data is not None else ""
    name = title
    if table is not None:
        name = f"{title.rstrip('.')}. Its figures are in the table \u201c{table}\u201d on this page."
    elif data is not None:
        name = f"{title.rstrip('.')}. Its figures are in the table under the map (\u201c{MAP_SUMMARY}\u201d)."
    document = map_html(m, title=title)
    folium_map = m if isinstance(m, folium.Map) else next(
        (child for child in m._children.values() if isinstance(child, folium.Map)), None)
    printed = static_map_figure(folium_map, title=title) if folium_map is not None else ""
    # Wrapped in a <div>: the frame is the map's page, the div keeps it a block in every front end.
    return HTML(
        f'<div class="pd-map-frame"><iframe class="pd-map" title="{html_lib.escape(name, quote=True)}" '
        f'srcdoc="{html_lib.escape(document, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd;display:block;"></iframe>{printed}</div>{details}'
    )
