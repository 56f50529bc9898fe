"""One copy of Leaflet per page: map frames that take the library from the page holding them.

:func:`~diagnostics.render.offline.show_map` writes each map as an ``<iframe srcdoc>`` whose document
holds everything it needs, Leaflet's ~170 kB of JavaScript and CSS included. That is what JupyterLab
and a lone map need, but a report of five maps carried five copies of the same library (about 1 MB
of a 2.9 MB report). :func:`share_leaflet` rewrites a finished page so that the page carries the
library once and each map frame asks the page for it:

- the page gets, in its ``<head>``, the library as two inert ``<script type="text/x-pd-leaflet...">``
  elements (text a browser never runs or applies) and a small *provider* script that answers a map
  frame's request with that text, by ``postMessage``;
- each map frame's document loses its ``<script>`` of Leaflet and its ``<style>`` of Leaflet's CSS.
  In their places stand a *loader* script and an empty ``<style id="pd-leaflet-css">``; the frame's
  own scripts after them (folium's drawing of the map) become ``<script type="text/x-pd-map">``. The
  loader asks its parent for the library, and on the answer fills the style, runs Leaflet, then runs
  the map's scripts in their order: the order, and so the map, is what the whole document gives.

Security. The frames stay sandboxed to scripts only (``sandbox="allow-scripts"``, no
``allow-same-origin``): a map's document still cannot read or change the page, its storage or its
cookies, nor navigate it. Only text crosses, by ``postMessage``: the provider answers only a window
that is one of the page's own frames, and the loader runs only what comes from its own parent
(``event.source === window.parent``), the window that wrote its ``srcdoc`` and so could already
give it any code. The other ways were weaker: frames reading the library from
``parent.document`` need ``allow-same-origin``, which with ``allow-scripts`` lets a frame lift its
own sandbox; drawing maps in the page itself (no frames) runs every map's script with the page's
rights and loses the frames' own titles and languages that screen readers announce.

Where it applies. The report (:func:`diagnostics.outputs.report.export_report`) is rewritten this
way: it opens from ``file://`` with the network cut as before (nothing is fetched, the library is in
the page). The app (:func:`diagnostics.app.place_app.launch`) displays :func:`provider_html` once
as an output of its cell (Voilà and JupyterLab run a script of the output of a cell run by its user),
then shows its views' maps through :func:`lean_frames`: each place's tabs arrive without Leaflet.
The executed notebooks keep self-contained frames (JupyterLab shows a notebook's saved outputs with
no provider, and untrusted ones with no scripts), and so does the batch index (one map). Printed with
scripts off (the PDF), frames are hidden and each map's static drawing shows, as before.
"""

from __future__ import annotations

import html as html_lib
import re

from diagnostics.exceptions import InvalidParameter
from diagnostics.render.offline import leaflet_assets

__all__ = ["share_leaflet", "lean_frames", "library_elements", "provider_html", "LOADER", "PROVIDER"]

#: The ``type`` of the frame's scripts held back until Leaflet has run (as the loader names it).
_DEFERRED_TYPE = "text/x-pd-map"

#: The map frame's loader, standing where Leaflet's ``<script>`` stood.
LOADER = """(function () {
  var done = false;
  function run(code) {
    var script = document.createElement("script");
    script.textContent = code;
    document.head.appendChild(script);
  }
  function draw(js, css) {
    if (done) { return; }
    done = true;
    document.getElementById("pd-leaflet-css").textContent = css;
    run(js);
    var held = document.querySelectorAll('script[type="text/x-pd-map"]');
    for (var i = 0; i < held.length; i++) { run(held[i].textContent); }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== "pd-leaflet") { return; }
    if (typeof data.js !== "string" || typeof data.css !== "string") { return; }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { draw(data.js, data.css); });
    } else {
      draw(data.js, data.css);
    }
  });
  window.parent.postMessage({type: "pd-leaflet-wanted"}, "*");
})();"""

#: The page's provider: answers its own frames' requests with the library's text, holding a request
#: until the library's elements are in the page (in the app they arrive with its widgets).
PROVIDER = """(function () {
  var library = null, waiting = [], timer = null;
  function ours(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) { if (frames[i].contentWindow === source) { return true; } }
    return false;
  }
  function ready() {
    var js = document.getElementById("pd-leaflet-js"), css = document.getElementById("pd-leaflet-css");
    if (library === null && js && css) { library = {type: "pd-leaflet", js: js.textContent, css: css.textContent}; }
    return library !== null;
  }
  function answer() {
    if (!ready()) { return; }
    while (waiting.length) { waiting.shift().postMessage(library, "*"); }
    if (timer !== null) { clearInterval(timer); timer = null; }
  }
  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "pd-leaflet-wanted" || !ours(event.source)) { return; }
    waiting.push(event.source);
    answer();
    if (waiting.length && timer === null) { timer = setInterval(answer, 100); }
  });
})();"""

_SRCDOC = re.compile(r'(<iframe\b[^>]*?\bsrcdoc=")([^"]*)(")', re.IGNORECASE)


def _lean_document(document: str, js: str, css: str) -> str | None:
    """A map frame's document without Leaflet, with the loader; None if it does not hold exactly
    the Leaflet that :class:`~diagnostics.render.offline.OfflineMap` inlines."""
    script, style = f"<script>{js}</script>", f"<style>{css}</style>"
    if document.count(script) != 1 or document.count(style) != 1:
        return None
    before, after = document.split(script, 1)
    after = after.replace(style, '<style id="pd-leaflet-css"></style>', 1)
    after = after.replace("<script>", f'<script type="{_DEFERRED_TYPE}">')
    before = before.replace(style, '<style id="pd-leaflet-css"></style>', 1)
    return f"{before}<script>{LOADER}</script>{after}"


def library_elements() -> str:
    """Leaflet's JavaScript and CSS as two inert elements for a page: ``<script type="text/x-pd-leaflet"
    id="pd-leaflet-js">`` and ``<script type="text/x-pd-leaflet-css" id="pd-leaflet-css">``, which a
    browser neither runs nor applies and :data:`PROVIDER` reads."""
    js, css = leaflet_assets()
    return (
        f'<script type="text/x-pd-leaflet" id="pd-leaflet-js">{js}</script>\n'
        f'<script type="text/x-pd-leaflet-css" id="pd-leaflet-css">{css}</script>\n'
    )


def provider_html() -> str:
    """What a page showing :func:`lean_frames`'s output needs, as one hidden block to display in it
    (the app displays it once): :func:`library_elements` and :data:`PROVIDER`."""
    return f'<div hidden class="pd-leaflet">{library_elements()}<script>{PROVIDER}</script></div>'


def lean_frames(markup: str) -> tuple[str, int]:
    """The map frames of ``markup`` without Leaflet, each with the loader that asks its page for it.

    Parameters
    ----------
    markup : str
        HTML holding frames written by :func:`~diagnostics.render.offline.show_map` (a page or a
        fragment of one, such as a notebook output).

    Returns
    -------
    (str, int)
        The markup with those frames rewritten (any other frame left as it is), and how many were.
        The page showing it must carry :func:`library_elements` and run :data:`PROVIDER`.

    Raises
    ------
    InvalidParameter
        If ``markup`` is not a str.
    """
    if not isinstance(markup, str):
        raise InvalidParameter(f"The 'markup' parameter of lean_frames must be a str; got {type(markup).__name__}.")
    js, css = leaflet_assets()
    rewritten = 0

    def lean(match: re.Match[str]) -> str:
        nonlocal rewritten
        document = _lean_document(html_lib.unescape(match.group(2)), js, css)
        if document is None:
            return match.group(0)
        rewritten += 1
        return f"{match.group(1)}{html_lib.escape(document, quote=True)}{match.group(3)}"

    return _SRCDOC.sub(lean, markup), rewritten


def share_leaflet(page: str) -> str:
    """The page with Leaflet once in its ``<head>`` and map frames that take it from there.

    Parameters
    ----------
    page : str
        A whole HTML document (with a ``</head>``) holding frames written by
        :func:`~diagnostics.render.offline.show_map`.

    Returns
    -------
    str
        The page with its frames rewritten by :func:`lean_frames` and, in its ``<head>``,
        :func:`library_elements` and :data:`PROVIDER`; the page unchanged when it holds no such frame.

    Raises
    ------
    InvalidParameter
        If ``page`` is not a str, or holds a map frame but no ``</head>`` to put the library in.
    """
    if not isinstance(page, str):
        raise InvalidParameter(f"The 'page' parameter of share_leaflet must be a str; got {type(page).__name__}.")
    rewritten, shared = lean_frames(page)
    if not shared:
        return page
    if "</head>" not in rewritten:
        raise InvalidParameter(
            "The 'page' parameter of share_leaflet holds map frames but no </head> to put Leaflet in; "
            "pass the whole document."
        )
    head, rest = rewritten.split("</head>", 1)
    return f"{head}{library_elements()}<script>{PROVIDER}</script>\n</head>{rest}"
