"""One cache of text measurements for every SVG figure of a process.

matplotlib measures each piece of text (its width, height and descent) to lay a figure out, and
caches the measurements per renderer. ``savefig`` makes two SVG renderers for each figure (one for
the layout, one to draw), so a report of sixteen charts measures the same tick labels, titles and
legends some thirty times, and a batch of 300 places ten thousand times: about a sixth of a chart's
drawing time. An SVG renderer's measurements depend only on the text, its font and whether it is
mathtext (``TextToPath`` measures at a fixed scale, whatever the renderer), so
:func:`share_svg_text_metrics` makes every SVG renderer use one process-wide cache. Other renderers
(Agg for PNG) keep matplotlib's own per-renderer cache.

This replaces ``matplotlib.text._get_text_metrics_function``, a private function; a matplotlib
without it is left alone (figures are the same, only slower). ``tests/test_charts.py`` checks that
an SVG is byte for byte the one matplotlib draws without the shared cache.
"""

from __future__ import annotations

import functools
import threading

__all__ = ["share_svg_text_metrics", "CACHE_SIZE"]

#: Distinct (text, font, mathtext) measurements kept; a batch's charts need a few thousand.
CACHE_SIZE = 32768

_lock = threading.Lock()


def share_svg_text_metrics() -> bool:
    """Route SVG renderers' text measurements through one process-wide cache (once per process).

    Returns
    -------
    bool
        Whether the shared cache is in use (False if this matplotlib lacks the function replaced).
    """
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.textpath import TextToPath

    with _lock:
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
