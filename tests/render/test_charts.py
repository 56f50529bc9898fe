"""diagnostics.render.charts and comparison_charts: the house style, the two comparison charts, and their offline HTML."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure

from diagnostics import _compat
from diagnostics.exceptions import InvalidParameter
from diagnostics.render import charts, comparison_charts
from diagnostics.render.offline import find_outside_urls
from diagnostics.render.palette import OKABE_ITO


@pytest.fixture
def comparison() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Alphaton", "Betaby", "Gammaford", "North West", "England"],
            "value": [72.1, 70.3, np.nan, 73.2, 75.7],
            "lower_ci": [70.0, 68.1, np.nan, 72.8, 75.6],
            "upper_ci": [74.2, 72.5, np.nan, 73.6, 75.8],
            "role": ["place", "comparator", "comparator", "region", "country"],
        }
    )


@pytest.fixture
def headlines() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["Employment rate", "Median weekly pay", "Claimant rate"],
            "value": [72.1, 610.0, 4.1],
            "lower_ci": [70.0, 590.0, 3.9],
            "upper_ci": [74.2, 630.0, 4.3],
            "region": [73.2, 640.0, 3.8],
            "country": [75.7, 683.0, 3.7],
            "unit": ["%", "£", "%"],
            "polarity": ["higher_is_better", "higher_is_better", "lower_is_better"],
        }
    )


def texts(fig: Figure) -> list[str]:
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts]
        found += [t.get_text() for t in ax.get_yticklabels()]
        found.append(ax.get_title(loc="left"))
        if ax.get_legend() is not None:
            found += [t.get_text() for t in ax.get_legend().get_texts()]
    if fig._supxlabel is not None:
        found.append(fig._supxlabel.get_text())
    return found


def test_comparison_bar_returns_a_figure_with_one_bar_per_area(comparison):
    fig = comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 5
    assert [t.get_text() for t in ax.get_yticklabels()] == list(comparison["name"])


def test_comparison_bar_colours_the_place_and_benchmarks_with_okabe_ito(comparison):
    from matplotlib.colors import to_hex

    fig = comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%")
    colours = [to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    assert colours[0] == OKABE_ITO["blue"].lower()
    assert colours[3] == OKABE_ITO["orange"].lower()


def test_comparison_bar_draws_error_bars_for_intervals(comparison):
    fig = comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%")
    assert len(fig.axes[0].containers) - 1 == 4  # one errorbar container per area with an interval


def test_comparison_bar_says_no_data_for_a_missing_value(comparison):
    fig = comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%")
    assert any("no data" in t for t in texts(fig))


def test_comparison_bar_draws_source_and_period_as_a_footnote(comparison):
    fig = comparison_charts.comparison_bar(comparison, title="E", unit="%", source="Annual Population Survey", period="2023")
    assert "Source: Annual Population Survey.  Period: 2023." in texts(fig)


def test_comparison_bar_rejects_an_unknown_role(comparison):
    comparison.loc[1, "role"] = "neighbour"
    with pytest.raises(InvalidParameter, match=r"'table' parameter of comparison_bar has role\(s\) \['neighbour'\]"):
        comparison_charts.comparison_bar(comparison, title="E")


def test_comparison_bar_names_missing_columns():
    with pytest.raises(InvalidParameter, match=r"'table' parameter of comparison_bar must have the column\(s\) \['value'\]"):
        comparison_charts.comparison_bar(pd.DataFrame({"name": ["A"]}), title="E")


def test_headline_dot_chart_scales_each_row_as_percent_difference_from_country(headlines):
    fig = comparison_charts.headline_dot_chart(headlines, title="Headlines", source="Synthetic", period="2023")
    ax = fig.axes[0]
    place_x = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    expected = 100 * (headlines["value"] - headlines["country"]) / headlines["country"]
    assert place_x == pytest.approx(list(expected))
    assert "Source: Synthetic.  Period: 2023." in texts(fig)
    assert ax.get_xlabel() == "% difference from England"


def test_headline_dot_chart_colours_by_polarity_never_red_and_green(headlines):
    from matplotlib.colors import to_hex

    fig = comparison_charts.headline_dot_chart(headlines)
    dots = [to_hex(line.get_color()) for line in fig.axes[0].lines if line.get_marker() == "o"]
    # employment and pay significantly lower (worse), claimant rate higher with low_is_good (worse)
    assert dots == [OKABE_ITO["vermillion"].lower()] * 3
    assert "#00ff00" not in dots and "#ff0000" not in dots
    assert "Worse than England" in texts(fig)


def test_headline_dot_chart_leaves_out_a_row_with_zero_country_value_with_a_warning(headlines):
    headlines.loc[1, "country"] = 0
    with pytest.warns(UserWarning, match=r"left out 'Median weekly pay'"):
        fig = comparison_charts.headline_dot_chart(headlines)
    assert len([t for t in fig.axes[0].get_yticklabels()]) == 2


def test_headline_dot_chart_rejects_a_table_with_nothing_to_scale(headlines):
    headlines["country"] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidParameter, match=r"no row with a non-zero country value"):
            comparison_charts.headline_dot_chart(headlines)


def test_figure_html_svg_is_inline_and_self_contained(comparison):
    markup = charts.figure_html(comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%"))
    assert markup.startswith('<figure class="pd-figure" role="img" aria-label="Employment rate">')
    assert "<svg" in markup and "<?xml" not in markup and "<!DOCTYPE" not in markup
    assert find_outside_urls(markup, anywhere=True) == []


def test_figure_html_svg_text_is_text_with_a_fallback_font(comparison):
    import re

    markup = charts.figure_html(comparison_charts.comparison_bar(comparison, title="Employment rate", unit="%"))
    texts = re.findall(r"<text\b([^>]*)>([^<]*)</text>", markup)
    assert "Employment rate" in [body for _, body in texts]  # selectable and read aloud, not drawn as shapes
    assert all("font-family: 'DejaVu Sans', 'Arial'" in attrs and "sans-serif" in attrs for attrs, _ in texts)


@pytest.fixture
def shared_text_metrics():
    """matplotlib with the shared SVG text measurements of diagnostics._compat, for one test only."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG

    original = mtext._get_text_metrics_function
    assert not hasattr(RendererSVG, "_get_font_height_metrics")
    assert _compat.share_svg_text_metrics() and mtext._get_text_metrics_function.shares_svg_text_metrics
    yield
    mtext._get_text_metrics_function = original
    if "_get_font_height_metrics" in vars(RendererSVG):
        del RendererSVG._get_font_height_metrics


def _fixed_svg(fig, *, one_pass=False, rc=None, ticks_once=False):
    buffer = io.StringIO()
    with (charts.house_style(), matplotlib.rc_context({"svg.hashsalt": "fixed", **(rc or {})}),
          _compat.lay_out_without_drawing(fig) if one_pass else contextlib.nullcontext(),
          _compat.compute_ticks_once(fig) if ticks_once else contextlib.nullcontext()):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def test_importing_charts_leaves_matplotlib_text_measurement_as_it_is():
    code = (
        "import diagnostics.render.charts, matplotlib.text as t\n"
        "from matplotlib.backends.backend_svg import RendererSVG\n"
        "print(getattr(t._get_text_metrics_function, 'shares_svg_text_metrics', False),"
        " hasattr(RendererSVG, '_get_font_height_metrics'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_svg_is_byte_for_byte_the_same_with_the_shared_text_measurements_and_font_heights(
    comparison, shared_text_metrics
):
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG

    assert hasattr(RendererSVG, "_get_font_height_metrics")

    def figures():
        yield comparison_charts.comparison_bar(comparison, title="Employment rate (a long title that wraps)", unit="%")
        fig = charts.new_figure(6, 4)
        ax = fig.add_subplot()
        ax.plot([2015, 2020, 2024], [1.5, 2.25, 3.0])
        ax.set_title("Rate per 10,000: $\\alpha$ and mathtext")
        ax.set_xlabel("Year")
        ax.text(2024, 2.5, "in monospace", family="monospace", ha="right")  # placed by its width
        yield fig

    other_fonts = {"font.sans-serif": ["DejaVu Sans Mono"], "font.monospace": ["DejaVu Serif"]}

    def drawn():  # each figure in the house style, then with other fonts for the same families
        svgs = [_fixed_svg(fig) for _ in range(2) for fig in figures()]  # the second time from a warm cache
        return svgs + [_fixed_svg(fig, rc=other_fonts) for fig in figures()]

    shared = drawn()
    with pytest.MonkeyPatch.context() as unshared:  # matplotlib's own measurements, for this block only
        unshared.setattr(mtext, "_get_text_metrics_function", mtext._get_text_metrics_function.__wrapped__)
        unshared.delattr(RendererSVG, "_get_font_height_metrics")  # matplotlib reads the font file each time
        own = drawn()
    assert shared == own


def test_svg_is_byte_for_byte_the_same_when_the_layout_pass_does_not_draw(comparison, headlines, monkeypatch):
    from matplotlib.axes import Axes

    draws = []
    axes_draw = Axes.draw
    monkeypatch.setattr(Axes, "draw", lambda self, renderer: (draws.append(self), axes_draw(self, renderer))[1])

    makers = [
        lambda: comparison_charts.comparison_bar(comparison, title="Employment rate (a long title that wraps)", unit="%",
                                      source="Annual Population Survey", period="2023"),
        lambda: comparison_charts.headline_dot_chart(headlines, title="Headlines"),
    ]
    for make in makers:
        draws.clear()
        plain = _fixed_svg(make(), one_pass=False)
        drawn_twice = len(draws)
        draws.clear()
        assert _fixed_svg(make(), one_pass=True) == plain
        assert len(draws) * 2 == drawn_twice  # the layout pass drew nothing
    unlaid = Figure(figsize=(3, 2))  # no layout engine: savefig draws once, and still does
    unlaid.add_subplot().plot([1, 2], [3, 4])
    plain = _fixed_svg(unlaid, one_pass=False)
    assert _fixed_svg(unlaid, one_pass=True) == plain and "<path" in plain


def _small_multiples() -> Figure:
    """Autoscaled panels with their own locators and formatters, a shared y-axis and a figure legend."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig = charts.new_figure(9, 6, pad_in=None)
    axes = fig.subplots(2, 3, sharey="row")
    for k, ax in enumerate(axes.flat):
        years = np.arange(2010, 2016 + k)
        ax.plot(years, 1000 * (k + 1) * np.sqrt(years - 2009), label="place")
        ax.fill_between(years, 900 * (k + 1), 1100 * (k + 1) * np.sqrt(years - 2009), alpha=0.2)
        ax.set_title(f"Panel {k}\nhigher is better", fontsize=11, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"£{v:,.0f}"))
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside upper right")
    fig.suptitle("Small multiples", x=0.01, ha="left")
    charts.footnote(fig, "A source", "2010 to 2021")
    return fig


def test_svg_is_byte_for_byte_the_same_when_each_axis_computes_its_ticks_once(comparison, headlines, monkeypatch):
    from matplotlib.axis import Axis

    computed = []
    update_ticks = Axis._update_ticks
    monkeypatch.setattr(Axis, "_update_ticks", lambda self: (computed.append(self), update_ticks(self))[1])
    makers = [
        lambda: comparison_charts.comparison_bar(comparison, title="Employment rate (a long title that wraps)", unit="%",
                                                 source="Annual Population Survey", period="2023"),
        lambda: comparison_charts.headline_dot_chart(headlines, title="Headlines"),
        _small_multiples,
    ]
    for make in makers:
        computed.clear()
        plain = _fixed_svg(make(), one_pass=True)
        each_time = len(computed)
        computed.clear()
        fig = make()
        assert _fixed_svg(fig, one_pass=True, ticks_once=True) == plain
        assert 0 < len(computed) < each_time / 2  # once per layout state: 2 to 4 of some 15 asks per axis
        assert all("_update_ticks" not in vars(axis) and "_get_ticklabel_bboxes" not in vars(axis)
                   for ax in fig.axes for axis in (ax.xaxis, ax.yaxis))  # the axes are left as they were
        again = make()  # a figure changed and saved again computes its ticks anew
        _fixed_svg(again, one_pass=True)
        for changed in (fig, again):
            changed.axes[0].set_xlim(-50, 150)
        assert _fixed_svg(fig, one_pass=True, ticks_once=True) == _fixed_svg(again, one_pass=True)


def test_figure_html_gives_each_svg_its_own_ids(comparison):
    fig = comparison_charts.comparison_bar(comparison, title="E")
    first, second = charts.figure_html(fig), charts.figure_html(fig)
    import re

    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and not ids_first & ids_second


def test_figure_html_png_is_a_data_uri(comparison):
    markup = charts.figure_html(comparison_charts.comparison_bar(comparison, title="E"), fmt="png", alt="A chart")
    assert '<img src="data:image/png;base64,' in markup and 'alt="A chart"' in markup
    assert find_outside_urls(markup) == []


def test_figure_html_rejects_an_unknown_format(comparison):
    with pytest.raises(InvalidParameter, match=r"'fmt' parameter of figure_html must be 'svg' or 'png'; got 'jpg'"):
        charts.figure_html(comparison_charts.comparison_bar(comparison, title="E"), fmt="jpg")


def test_show_figure_returns_displayable_html(comparison):
    shown = charts.show_figure(comparison_charts.comparison_bar(comparison, title="E"))
    assert "<svg" in shown.data


def test_charts_do_not_change_global_matplotlib_settings(comparison):
    import matplotlib

    before = matplotlib.rcParams["font.size"]
    comparison_charts.comparison_bar(comparison, title="E")
    assert matplotlib.rcParams["font.size"] == before


def test_figure_html_names_the_chart_as_an_image_and_says_which_table_holds_its_figures(comparison):
    markup = charts.figure_html(comparison_charts.comparison_bar(comparison, title="E"), alt="Rates of A and B.",
                                table="Rates by area")
    figure = BeautifulSoup(markup, "html.parser").find("figure")
    assert figure["role"] == "img"
    assert figure["aria-label"] == "Rates of A and B. Its figures are in the table \u201cRates by area\u201d on this page."
    assert figure.find("svg") is not None
