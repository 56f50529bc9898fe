"""Charts in the house style, and their offline HTML: inline SVG or a base64 PNG.

The house style is readable on a projector (13 pt text and up, no chart junk) and safe for colour
vision deficiency: the Okabe-Ito palette, and meaning carried by position and labels as well as
colour (never red against green). Every chart can carry its source and period as a footnote drawn on
the figure, so the provenance travels with the picture.

Figures are built as :class:`matplotlib.figure.Figure` objects, not through ``pyplot``: nothing is
registered globally (a batch of many places does not leak figures) and no GUI backend is touched;
PNG output is drawn by Agg.
"""

from __future__ import annotations

import base64
import contextlib
import html as html_lib
import io
import re
import textwrap
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from diagnostics._compat import compute_ticks_once, lay_out_without_drawing
from diagnostics.exceptions import InvalidParameter
from diagnostics.render.chart_figures import SUMMARY, ChartFigures, figures_details
from diagnostics.render.palette import OKABE_ITO

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not when a page is imported
    from matplotlib.figure import Figure

__all__ = [
    "ROLE_COLOURS",
    "house_style",
    "new_figure",
    "footnote",
    "legend_below",
    "check_table",
    "figure_html",
    "show_figure",
]

#: Colour of each row's role in a comparison.
ROLE_COLOURS = {
    "place": OKABE_ITO["blue"],
    "region": OKABE_ITO["orange"],
    "country": "#4d4d4d",
    "comparator": "#a6cee3",
}

_HOUSE_STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 13,
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#888888",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.8,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 12,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",  # text as text: selectable, read by screen readers, a third of the size
    "svg.hashsalt": None,
}
FOOTNOTE_HEIGHT_IN = 0.42


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """A context in which matplotlib draws in the house style (restored on exit)."""
    import matplotlib

    with matplotlib.rc_context(_HOUSE_STYLE):
        yield


def new_figure(width_in: float, height_in: float, *, pad_in: float | None = 0.08) -> Figure:
    """A blank figure of the given size in inches, laid out by matplotlib's constrained layout.

    ``pad_in`` is the layout's padding around each axes, in inches; ``None`` keeps matplotlib's own
    (3 points). matplotlib itself is imported here, when the first chart is drawn.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    if pad_in is not None:
        fig.get_layout_engine().set(h_pad=pad_in, w_pad=pad_in)
    return fig


def footnote(fig: Figure, source: str | None, period: str | None) -> None:
    """Draw "Source: ... Period: ..." small at the bottom left (laid out below the legend)."""
    parts = []
    if source:
        parts.append(f"Source: {source}")
    if period:
        parts.append(f"Period: {period}")
    if parts:
        text = ".  ".join(parts) + "."
        fig.supxlabel(textwrap.fill(text, 130), x=0.01, ha="left", fontsize=10, color="#555555")


def set_title(fig: Figure, title: str | None) -> None:
    """Draw the chart's title, left-aligned above the plot (the legend goes below it)."""
    if title:
        fig.axes[0].set_title(title, loc="left", pad=12)


def legend_below(ax: Any, handles: list[Any], *, ncols: int) -> None:
    """A legend under the x-axis label (a fixed offset in points, so the layout makes room for it)."""
    from matplotlib.transforms import offset_copy

    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, x=0, y=-50, units="points"),
        ncols=min(len(handles), ncols),
        fontsize=11,
        borderaxespad=0.0,
        handletextpad=0.4,
        columnspacing=1.4,
    )


def check_text(value: Any, name: str, func: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidParameter(f"The {name!r} parameter of {func} must be a str; got {value!r}.")
    return value


def check_table(table: Any, name: str, func: str, required: list[str]) -> Any:
    """``table`` itself when it is a non-empty DataFrame with the ``required`` columns.

    Raises
    ------
    InvalidParameter
        Naming the parameter ``name`` of the function ``func`` and what is wrong.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise InvalidParameter(
            f"The {name!r} parameter of {func} must be a pandas DataFrame; got {type(table).__name__}."
        )
    if table.empty:
        raise InvalidParameter(f"The {name!r} parameter of {func} has no rows.")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InvalidParameter(
            f"The {name!r} parameter of {func} must have the column(s) {missing}; it has {list(table.columns)}."
        )
    return table


_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REFERENCE = re.compile(r'(href="#|url\(#)([^"\)]+)(?=["\)])')


def _svg_markup(fig: Figure) -> str:
    """The figure as an inline ``<svg>`` element whose ids are unique on the page."""
    buffer = io.StringIO()
    # savefig's layout pass only lays out, and each axis computes its ticks once per layout state
    with house_style(), lay_out_without_drawing(fig), compute_ticks_once(fig):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _SVG_PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _SVG_METADATA.sub("", svg)
    # Every figure defines glyphs and clip paths with the same ids; a page holding several inline
    # SVGs would resolve them to the first figure's. Prefix them all, and every reference to them.
    prefix = f"f{uuid.uuid4().hex[:8]}-"
    ids = set(_SVG_ID.findall(svg))
    if ids:
        svg = _SVG_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
        svg = _SVG_REFERENCE.sub(
            lambda m: f"{m.group(1)}{prefix}{m.group(2)}" if m.group(2) in ids else m.group(0), svg)
    return svg.strip()


def figure_html(fig: Figure, *, fmt: str = "svg", alt: str | None = None, dpi: int = 150, table: str | None = None,
                data: ChartFigures | None = None) -> str:
    """The figure as self-contained HTML: an inline SVG or a base64 PNG, no outside reference.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    fmt : {"svg", "png"}, default "svg"
        Inline SVG (sharp at any size; its text is SVG text in DejaVu Sans, or the first of
        Arial, Helvetica, Liberation Sans or the browser's sans-serif that the reader has, so it
        can be selected, searched and read aloud) or a PNG embedded as a ``data:`` URI.
    alt : str or None, default None
        The text alternative; the figure's first axes title by default.
    dpi : int, default 150
        Resolution of a PNG, in dots per inch.
    table : str or None, default None
        The heading of the table on the same page that holds the chart's figures: the text
        alternative then says where a reader who cannot see the chart finds them (WCAG 2.2 1.1.1).
    data : ChartFigures or None, default None
        The figures the chart draws (from the frame it was drawn from), for a chart whose figures no
        table on the page holds: shown as a table in a closed ``<details class="pd-chart-data">``
        right after the chart (:func:`~diagnostics.render.chart_figures.figures_details`), and the
        text alternative says so. Give ``table`` or ``data``, not both.

    Returns
    -------
    str
        A ``<figure class="pd-figure">`` element: an SVG is ``role="img"`` named by ``aria-label``;
        followed by the ``<details>`` of its figures when ``data`` is given.

    Raises
    ------
    InvalidParameter
        If ``fig`` is not a matplotlib Figure, ``fmt`` is not "svg" or "png", ``dpi`` is not a
        positive integer, both ``table`` and ``data`` are given, or ``data`` is not a usable
        :class:`~diagnostics.render.chart_figures.ChartFigures`.
    """
    from matplotlib.figure import Figure

    func = "figure_html"
    if not isinstance(fig, Figure):
        raise InvalidParameter(f"The 'fig' parameter of {func} must be a matplotlib Figure; got {type(fig).__name__}.")
    if fmt not in {"svg", "png"}:
        raise InvalidParameter(f"The 'fmt' parameter of {func} must be 'svg' or 'png'; got {fmt!r}.")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi <= 0:
        raise InvalidParameter(f"The 'dpi' parameter of {func} must be a positive integer; got {dpi!r}.")
    if table is not None and data is not None:
        raise InvalidParameter(f"Give {func} either 'table' (a table on the page holds the chart's figures) or 'data' "
                               "(the figures to show under the chart), not both.")
    details = figures_details(data, func=func) if data is not None else ""
    if alt is None:
        titles = [ax.get_title(loc="left") or ax.get_title() for ax in fig.axes]
        alt = next((t for t in titles if t), "Chart")
    if table is not None:
        alt = f"{alt.rstrip('.')}. Its figures are in the table \u201c{table}\u201d on this page."
    if data is not None:
        alt = f"{alt.rstrip('.')}. Its figures are in the table under the chart (\u201c{SUMMARY}\u201d)."
    alt_attr = html_lib.escape(alt, quote=True)
    if fmt == "svg":
        body = _svg_markup(fig)
        return f'<figure class="pd-figure" role="img" aria-label="{alt_attr}">{body}</figure>{details}'
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="png", dpi=dpi)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="pd-figure"><img src="data:image/png;base64,{encoded}" alt="{alt_attr}"></figure>{details}'
    )


def show_figure(fig: Figure, *, fmt: str = "svg", alt: str | None = None, table: str | None = None,
                data: ChartFigures | None = None) -> Any:
    """Show a figure inline (JupyterLab, nbconvert report, Voilà) as :func:`figure_html` gives it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    fmt : {"svg", "png"}, default "svg"
    alt : str or None, default None
    table : str or None, default None
    data : ChartFigures or None, default None

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    return HTML(figure_html(fig, fmt=fmt, alt=alt, table=table, data=data))
