"""One cache of text measurements for every SVG figure of a process.

matplotlib measures each piece of text to lay a figure out: its width, height and descent, and
the height of its font (ascender, descender, line gap). It caches the first per renderer and
looks the second up in the font file for every text, every time it is laid out. ``savefig`` makes
two SVG renderers for each figure (one for the layout, one to draw), so a report of sixteen charts
measures the same tick labels, titles and legends some thirty times, and a batch of 300 places ten
thousand times. An SVG renderer's measurements depend only on the text and its font: ``TextToPath``
measures at a fixed scale, whatever the renderer, and an SVG is always drawn at 72 dots per inch
(``FigureCanvasSVG.print_svg`` sets the figure's dpi so), the scale of the font heights.
:func:`share_svg_text_metrics` makes every SVG renderer use one process-wide cache of both. Other
renderers (Agg for PNG) keep matplotlib's own.

This replaces ``matplotlib.text._get_text_metrics_function``, a private function, and gives
``RendererSVG`` the ``_get_font_height_metrics`` that matplotlib's text layout asks a renderer for
(its PDF and PostScript renderers have one); a matplotlib without either is left alone for that
part (figures are the same, only slower). ``tests/test_charts.py`` checks that an SVG is byte for
byte the one matplotlib draws without the shared caches.
"""

from __future__ import annotations

import functools
import threading

__all__ = ["share_svg_text_metrics", "CACHE_SIZE"]

#: Distinct (text, font, mathtext) measurements kept; a batch's charts need a few thousand.
CACHE_SIZE = 32768
#: The dots per inch of every SVG matplotlib draws (text is laid out at this scale).
SVG_DPI = 72
_FONT_FAMILY_SETTINGS = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")

_lock = threading.Lock()


def share_svg_text_metrics() -> bool:
    """Route SVG renderers' text measurements through one process-wide cache (once per process).

    Returns
    -------
    bool
        Whether the shared cache of text extents is in use (False if this matplotlib lacks the
        function replaced).
    """
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.textpath import TextToPath

    with _lock:
        _share_font_heights(RendererSVG)
        original = getattr(mtext, "_get_text_metrics_function", None)
        if original is None:
            return False
        if getattr(original, "shares_svg_text_metrics", False):
            return True
        measurer = TextToPath()  # what RendererSVG.get_text_width_height_descent asks

        @functools.lru_cache(maxsize=CACHE_SIZE)
        def svg_text_metrics(text, fontprop, ismath, dpi):  # dpi: part of matplotlib's key; unused by SVG
            return measurer.get_text_width_height_descent(text, fontprop, ismath)

        def text_metrics_function(renderer):
            inner = getattr(renderer, "_renderer", renderer)  # a MixedModeRenderer draws through its _renderer
            if type(inner) is RendererSVG:
                return svg_text_metrics
            return original(renderer)

        text_metrics_function.shares_svg_text_metrics = True
        text_metrics_function.__wrapped__ = original
        mtext._get_text_metrics_function = text_metrics_function
        return True


def _share_font_heights(renderer_class) -> None:
    """Give SVG renderers a cached ``_get_font_height_metrics``, computed as ``Text._get_layout`` would.

    Only where this matplotlib's text layout asks renderers for it (its PDF/PS renderers define
    it) and ``RendererSVG`` has none of its own.
    """
    import matplotlib as mpl
    from matplotlib.backends._backend_pdf_ps import RendererPDFPSBase
    from matplotlib.font_manager import fontManager, get_font

    if not hasattr(RendererPDFPSBase, "_get_font_height_metrics") or hasattr(renderer_class, "_get_font_height_metrics"):
        return

    heights: dict[tuple, tuple] = {}  # one entry per distinct font and size: a handful

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
        """(ascent, descent, line gap) of ``prop``'s font in points: a shared cache (see the module)."""
        key = (  # what identifies the font file and size: FontProperties' own hash key, and the families
            tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily(),
            *(tuple(mpl.rcParams[name]) for name in _FONT_FAMILY_SETTINGS),
        )
        found = heights.get(key)
        if found is None:
            found = heights[key] = font_heights(prop)
        return found

    renderer_class._get_font_height_metrics = get_font_height_metrics
