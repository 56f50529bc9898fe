"""Every touch of a library's private API, each gated on the versions it was checked against.

Four speed-ups lean on code that a library does not promise to keep. Each is used only where the
installed version is one of :data:`TESTED_VERSIONS`; anywhere else the library's public path runs
instead (the same output, only slower). Each upstream function mirrored or replaced is listed in
:data:`MIRRORED`, and ``tests/test_compat.py`` pins a digest of its source, so a new release that
changes one fails a test that says what to re-check.

- :func:`share_svg_text_metrics` (matplotlib): one process-wide cache of SVG text measurements in
  place of ``matplotlib.text._get_text_metrics_function``'s cache per renderer. It changes
  matplotlib for the whole process, so it is opt-in: only the warm kernel of the runner and the
  batch calls it (:mod:`diagnostics.outputs.kernel_state`); importing a module never does.
- :func:`lay_out_without_drawing` (matplotlib): ``savefig``'s first, layout-only draw of a figure
  runs the layout engine alone, as ``Figure.draw`` would, instead of walking every artist for
  nothing. Scoped to one ``savefig``.
- :func:`compute_ticks_once` (matplotlib): while a figure is saved, each axis computes its ticks
  (locator, formatter, tick positions) and measures its tick labels once per layout state, not
  again for every bounding box, spine, title and label that asks. Scoped to one ``savefig``.
- :func:`report_exporter_class` (nbconvert): ``HTMLExporter.from_notebook_node`` up to its closing
  BeautifulSoup pass, which the report does on the text instead.

Nothing here imports a library at import time: ``import diagnostics`` stays light.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import inspect
import re
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "TESTED_VERSIONS",
    "MIRRORED",
    "Mirror",
    "is_tested_version",
    "upstream_digest",
    "share_svg_text_metrics",
    "lay_out_without_drawing",
    "compute_ticks_once",
    "report_exporter_class",
    "TEXT_METRICS_CACHE_SIZE",
]

#: The release series of each library whose private code is mirrored here that the mirrors were
#: checked against (source digests in ``tests/test_compat.py``; the SVG byte-for-byte tests in
#: ``tests/render/test_charts.py``). Outside them the public path runs.
TESTED_VERSIONS: dict[str, tuple[str, ...]] = {
    "matplotlib": ("3.11",),
    "nbconvert": ("7.17",),
}


def is_tested_version(library: str, version: str) -> bool:
    """Whether ``version`` of ``library`` belongs to a release series in :data:`TESTED_VERSIONS`.

    >>> is_tested_version("matplotlib", "3.11.2"), is_tested_version("matplotlib", "3.12.0rc1")
    (True, False)
    """
    match = re.match(r"(\d+)\.(\d+)", version)
    return match is not None and f"{match[1]}.{match[2]}" in TESTED_VERSIONS.get(library, ())


@dataclass(frozen=True)
class Mirror:
    """One upstream function that code here replaces, copies or relies on the inside of.

    Attributes
    ----------
    upstream : str
        Its dotted path (``"matplotlib.text._get_text_metrics_function"``).
    used_by : str
        The function here that depends on it.
    recheck : str
        What to re-check when its source changes.
    """

    upstream: str
    used_by: str
    recheck: str


_TEXT_METRICS = "share_svg_text_metrics"
_LAYOUT = "lay_out_without_drawing"
_TICKS = "compute_ticks_once"
_EXPORTER = "report_exporter_class"

#: Every upstream function mirrored here, with what depends on it.
MIRRORED: tuple[Mirror, ...] = (
    Mirror("matplotlib.text._get_text_metrics_function", _TEXT_METRICS,
           "it is replaced: its signature (renderer -> measuring function) and that the function it returns "
           "takes (text, fontprop, ismath, dpi)"),
    Mirror("matplotlib.text._get_text_metrics_with_cache", _TEXT_METRICS,
           "how it calls the measuring function (it must still pass a copy of the font properties)"),
    Mirror("matplotlib.text.Text._get_layout", _TEXT_METRICS,
           "the font heights (ascent, descent, line gap) that _font_height_metrics computes as it does, "
           "and that it still asks renderers for _get_font_height_metrics"),
    Mirror("matplotlib.backends._backend_pdf_ps.RendererPDFPSBase._get_font_height_metrics", _TEXT_METRICS,
           "the signature and meaning of the method given to RendererSVG"),
    Mirror("matplotlib.backends.backend_svg.RendererSVG.get_text_width_height_descent", _TEXT_METRICS,
           "that an SVG renderer still measures with TextToPath alone"),
    Mirror("matplotlib.textpath.TextToPath.get_text_width_height_descent", _TEXT_METRICS,
           "what a measurement depends on besides the text and the font properties (the settings keyed on)"),
    Mirror("matplotlib.mathtext.MathTextParser.parse", _TEXT_METRICS,
           "that its cache is still kept per parser and keyed on the font properties alone (hence one "
           "TextToPath per text settings)"),
    Mirror("matplotlib.backends.backend_svg.FigureCanvasSVG.print_svg", _TEXT_METRICS,
           "that an SVG is still laid out at 72 dots per inch"),
    Mirror("matplotlib.figure.Figure.draw", _LAYOUT,
           "the layout step run before drawing, which the layout pass runs alone"),
    Mirror("matplotlib.backend_bases.FigureCanvasBase.print_figure", _LAYOUT,
           "that savefig still draws once to lay out and once for real, with the layout engine off"),
    Mirror("matplotlib.backend_bases._get_renderer", _LAYOUT,
           "how the layout pass's renderer is made (it swaps Figure.draw on the instance)"),
    Mirror("matplotlib.axis.Axis._update_ticks", _TICKS,
           "what the ticks it returns depend on (the locator and formatter, the view interval, the axes' size and "
           "the dots per inch: the memo's key), and that only it moves ticks and sets their labels"),
    Mirror("matplotlib.axis.Axis._get_ticklabel_bboxes", _TICKS,
           "that it measures the given ticks' labels alone, with the renderer given"),
    Mirror("nbconvert.exporters.html.HTMLExporter.from_notebook_node", _EXPORTER,
           "the copy in report_exporter_class, and what the closing BeautifulSoup pass does (the report's "
           "_accessible does it on the text)"),
)


def _resolve(dotted: str) -> Any:
    """The object at a dotted path: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            target = getattr(target, name)
        return target
    raise ImportError(f"No module found in {dotted!r}.")


def upstream_digest(dotted: str) -> str:
    """The first 16 hex digits of the SHA-256 of an upstream function's source (see :data:`MIRRORED`)."""
    source = inspect.getsource(_resolve(dotted))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------------------------------
# matplotlib: one cache of SVG text measurements per process (opt-in)
# --------------------------------------------------------------------------------------------------

#: Distinct (text, font, settings) measurements kept; a batch's charts need a few thousand.
TEXT_METRICS_CACHE_SIZE = 32768
#: The dots per inch of every SVG matplotlib draws (text is laid out at this scale).
SVG_DPI = 72
#: The settings a text measurement depends on besides its font properties: how a generic family
#: ("sans-serif") resolves to fonts, mathtext's fonts, and TeX.
_TEXT_SETTING_PREFIXES = ("font.", "mathtext.", "text.")

_install_lock = threading.Lock()


def share_svg_text_metrics() -> bool:
    """Route SVG renderers' text measurements through one process-wide cache (once per process).

    matplotlib measures each piece of text to lay a figure out (its width, height and descent, and
    the heights of its font) and caches the measurements per renderer; ``savefig`` makes two SVG
    renderers per figure, so a report of sixteen charts measures the same tick labels some thirty
    times, and a batch of 300 places ten thousand times. An SVG renderer's measurements depend only
    on the text, the font properties and the text settings (how a generic family resolves to
    fonts, mathtext's fonts): ``TextToPath`` measures at a fixed scale, and an SVG is always laid
    out at 72 dots per inch. This replaces ``matplotlib.text._get_text_metrics_function`` so that SVG
    renderers share one cache keyed on all of them, and gives ``RendererSVG`` the cached
    ``_get_font_height_metrics`` that matplotlib's text layout asks a renderer for. Other renderers
    (Agg for PNG) keep matplotlib's own. An SVG is byte for byte the one matplotlib draws without it
    (``tests/render/test_charts.py``).

    It changes matplotlib for the whole process: call it only in a process that draws figures for
    the diagnostic alone (the warm kernel of the runner and the batch does).

    Returns
    -------
    bool
        Whether the shared cache is in use: False (and nothing changed) outside the matplotlib
        versions of :data:`TESTED_VERSIONS`, or when this matplotlib lacks the function replaced.
    """
    import matplotlib
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.textpath import TextToPath

    if not is_tested_version("matplotlib", matplotlib.__version__):
        return False
    with _install_lock:
        original = getattr(mtext, "_get_text_metrics_function", None)
        if original is None:
            return False
        if getattr(original, "shares_svg_text_metrics", False):
            return True
        _share_font_heights(RendererSVG)

        @functools.lru_cache(maxsize=8)
        def measurer(settings):
            # what RendererSVG.get_text_width_height_descent asks; one per settings, as its mathtext
            # parser keeps a cache of its own keyed on the font properties alone
            return TextToPath()

        @functools.lru_cache(maxsize=TEXT_METRICS_CACHE_SIZE)
        def svg_text_metrics(text, fontprop, ismath, settings):
            return measurer(settings).get_text_width_height_descent(text, fontprop, ismath)

        measurers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

        def text_metrics_function(renderer):
            inner = getattr(renderer, "_renderer", renderer)  # a MixedModeRenderer draws through its _renderer
            if type(inner) is not RendererSVG:
                return original(renderer)
            measure = measurers.get(renderer)
            if measure is None:  # the settings are read once per renderer, as matplotlib's cache assumes
                settings = _text_settings()

                def measure(text, fontprop, ismath, dpi):  # dpi: part of matplotlib's key; unused by SVG
                    return svg_text_metrics(text, fontprop, ismath, settings)

                measurers[renderer] = measure
            return measure

        text_metrics_function.shares_svg_text_metrics = True
        text_metrics_function.__wrapped__ = original
        mtext._get_text_metrics_function = text_metrics_function
        return True


def _text_settings() -> tuple:
    """The settings a text's measurement depends on besides its font properties, hashable.

    Every ``font.*``, ``mathtext.*`` and ``text.*`` setting (a generic family such as
    "monospace" resolves through ``font.monospace``), and how many fonts matplotlib knows (a font
    added at run time can change what a family resolves to).
    """
    import matplotlib
    from matplotlib.font_manager import fontManager

    def hashable(value):
        return tuple(value) if isinstance(value, list) else value

    rc = matplotlib.rcParams
    settings = tuple((key, hashable(rc[key])) for key in sorted(rc) if key.startswith(_TEXT_SETTING_PREFIXES))
    return settings + (("fonts known", len(fontManager.ttflist)),)


def _share_font_heights(renderer_class) -> None:
    """Give SVG renderers a cached ``_get_font_height_metrics``, computed as ``Text._get_layout`` would.

    Only where this matplotlib's text layout asks renderers for it (its PDF/PS renderers define
    it) and ``RendererSVG`` has none of its own.
    """
    from matplotlib.backends._backend_pdf_ps import RendererPDFPSBase
    from matplotlib.font_manager import fontManager, get_font

    if not hasattr(RendererPDFPSBase, "_get_font_height_metrics") or hasattr(renderer_class, "_get_font_height_metrics"):
        return

    heights: dict[tuple, tuple] = {}  # one entry per distinct font, size and settings: a handful
    settings_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def font_heights(prop):
        font = get_font(fontManager._find_fonts_by_props(prop))
        for table_name, linegap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent"),
        ):
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            fontsize = prop.get_size_in_points()
            units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
            scale = 1 / units_per_em * fontsize * SVG_DPI / 72  # matplotlib's expression, to the last bit
            return table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale
        return None, None, None  # matplotlib then measures "lp" itself

    def get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of ``prop``'s font in points: a shared cache (see share_svg_text_metrics)."""
        settings = settings_of.get(self)
        if settings is None:
            settings = settings_of[self] = _text_settings()
        key = (prop.copy(), settings)  # a copy: FontProperties' hash follows its mutable state
        found = heights.get(key)
        if found is None:
            found = heights[key] = font_heights(prop)
        return found

    renderer_class._get_font_height_metrics = get_font_height_metrics


# --------------------------------------------------------------------------------------------------
# matplotlib: savefig's layout pass without the drawing
# --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def lay_out_without_drawing(fig: Any) -> Iterator[None]:
    """While saving ``fig``, its first draw only lays it out.

    ``savefig`` of a figure with a layout engine draws it twice: first with the renderer's drawing
    disabled, which runs the layout engine and then walks every artist for nothing, then for real
    with the layout engine off. Only the layout of the first pass reaches the output: every artist
    recomputes its state in the real draw. Here the first draw runs the layout engine alone, as
    ``Figure.draw`` would before drawing, with the same renderer; the SVG is byte for byte the same
    (``tests/render/test_charts.py``) for a third less drawing. Outside the matplotlib versions of
    :data:`TESTED_VERSIONS`, and for a figure without a layout engine, ``savefig`` is left as it is.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure about to be saved (once) inside the context.
    """
    import matplotlib
    from matplotlib.figure import Figure

    if fig.get_layout_engine() is None or not is_tested_version("matplotlib", matplotlib.__version__):
        yield  # savefig draws once already, or draws as matplotlib does
        return
    laid_out = []

    def draw(renderer, _fig=fig):
        if laid_out:
            return Figure.draw(_fig, renderer)
        laid_out.append(True)
        engine = _fig.get_layout_engine()
        if _fig.axes and engine is not None:
            try:
                engine.execute(_fig)
            except ValueError:  # as Figure.draw: a layout that cannot be solved is left as it is
                pass

    fig.draw = draw
    try:
        yield
    finally:
        del fig.draw


# --------------------------------------------------------------------------------------------------
# matplotlib: each axis's ticks computed once per layout state while a figure is saved
# --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def compute_ticks_once(fig: Any) -> Iterator[None]:
    """While saving ``fig``, each axis computes its ticks and measures their labels once per layout state.

    Saving a figure laid out by constrained layout asks each axis for its ticks (locator, formatter,
    positions and labels) and its tick labels' extents some fifteen times: for the axes' bounding
    box in each of the layout's two rounds, for each spine, for the title's position, for the axis
    label's position, and to draw. Between two of these asks nothing that decides the ticks changes
    unless the layout moved the axes or the view was autoscaled. Here each axis of ``fig`` answers
    from a memo keyed on its view interval, its axes' box in display units and the figure's dots
    per inch (and, for the labels' extents, the ticks and the renderer); the SVG is byte for byte
    the same (``tests/render/test_charts.py``) for about a quarter less CPU. Outside the matplotlib
    versions of :data:`TESTED_VERSIONS` ``savefig`` is left as it is.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure about to be saved inside the context; its axes are not added to or changed.
    """
    import matplotlib
    from matplotlib.axis import Axis

    if not is_tested_version("matplotlib", matplotlib.__version__):
        yield
        return
    axes_axes = [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]
    memo: dict[tuple, Any] = {}  # lives for one savefig: the objects in its keys are kept alive

    def state(axis) -> tuple:
        return axis, tuple(axis.get_view_interval()), axis.axes.bbox.bounds, axis.get_figure(root=True).dpi

    def update_ticks(_axis):
        key = ("ticks", *state(_axis))
        if key not in memo:
            memo[key] = Axis._update_ticks(_axis)
        return list(memo[key])

    def ticklabel_bboxes(ticks, renderer, _axis):
        key = ("label extents", *state(_axis), renderer, *ticks)
        if key not in memo:
            memo[key] = Axis._get_ticklabel_bboxes(_axis, ticks, renderer)
        first, second = memo[key]
        return list(first), list(second)

    for axis in axes_axes:
        axis._update_ticks = functools.partial(update_ticks, axis)
        axis._get_ticklabel_bboxes = functools.partial(ticklabel_bboxes, _axis=axis)
    try:
        yield
    finally:
        for axis in axes_axes:
            del axis._update_ticks, axis._get_ticklabel_bboxes
        memo.clear()


# --------------------------------------------------------------------------------------------------
# nbconvert: HTMLExporter without its closing BeautifulSoup pass
# --------------------------------------------------------------------------------------------------


def report_exporter_class() -> type:
    """nbconvert's ``HTMLExporter``, without its closing BeautifulSoup pass where that is safe.

    That pass parses and re-serialises the whole page to give images without alt text a stock
    one, and outputs inside a ``.jp-Notebook`` element a ``tabindex`` (the report's template has
    no such element): about 2 s for a report of inline SVG charts (tens of thousands of elements),
    most of the export. The report gives the stock alt text on the text instead. Outside the
    nbconvert versions of :data:`TESTED_VERSIONS` this is ``HTMLExporter`` itself.

    Returns
    -------
    type
        A subclass of ``nbconvert.HTMLExporter``, or the class itself.
    """
    import nbconvert
    from nbconvert import HTMLExporter

    if not is_tested_version("nbconvert", nbconvert.__version__):
        return HTMLExporter
    return _soupless_exporter()


@functools.lru_cache(maxsize=1)
def _soupless_exporter() -> type:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class SouplessHTMLExporter(HTMLExporter):
        """``HTMLExporter`` whose ``from_notebook_node`` stops before the BeautifulSoup pass."""

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its soup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                     resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return SouplessHTMLExporter
