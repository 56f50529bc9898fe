"""diagnostics._compat: every touch of a library's private API, pinned to the upstream code it mirrors.

The SVG byte-for-byte tests of the text measurements and the layout pass are in
tests/render/test_charts.py; the report exporter's in tests/outputs/test_report.py.
"""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.figure import Figure

from diagnostics import _compat

#: The source digests of the upstream functions (matplotlib 3.11.0-3.11.2, nbconvert 7.17.0-7.17.2:
#: the same in each release of both series).
PINNED_DIGESTS = {
    "matplotlib.text._get_text_metrics_function": "0754e35436932496",
    "matplotlib.text._get_text_metrics_with_cache": "389092335954145a",
    "matplotlib.text.Text._get_layout": "4c79896b10ada776",
    "matplotlib.backends._backend_pdf_ps.RendererPDFPSBase._get_font_height_metrics": "f92c415041172345",
    "matplotlib.backends.backend_svg.RendererSVG.get_text_width_height_descent": "eec70677927daa12",
    "matplotlib.textpath.TextToPath.get_text_width_height_descent": "fd0fb298ea5f93ab",
    "matplotlib.mathtext.MathTextParser.parse": "d49fa84cdacdce61",
    "matplotlib.backends.backend_svg.FigureCanvasSVG.print_svg": "20d9a3db47ebf31c",
    "matplotlib.figure.Figure.draw": "27e5402dc2bb4a3d",
    "matplotlib.backend_bases.FigureCanvasBase.print_figure": "57e4bfb8059af7c3",
    "matplotlib.backend_bases._get_renderer": "b8ab391b7b697d10",
    "matplotlib.axis.Axis._update_ticks": "122a695355d09d27",  # pinned on 3.11.2
    "matplotlib.axis.Axis._get_ticklabel_bboxes": "0d1fefd4bb2262bc",  # pinned on 3.11.2
    "nbconvert.exporters.html.HTMLExporter.from_notebook_node": "3dccafff45cc4e74",
}


def test_every_mirrored_function_has_a_pinned_digest():
    assert sorted(m.upstream for m in _compat.MIRRORED) == sorted(PINNED_DIGESTS)


@pytest.mark.parametrize("mirror", _compat.MIRRORED, ids=lambda m: m.upstream)
def test_the_upstream_code_each_mirror_relies_on_is_unchanged(mirror):
    found = _compat.upstream_digest(mirror.upstream)
    assert found == PINNED_DIGESTS[mirror.upstream], (
        f"{mirror.upstream} has changed upstream (digest {found}). diagnostics._compat.{mirror.used_by} relies "
        f"on it: re-check {mirror.recheck}. Then run tests/render/test_charts.py and tests/outputs/test_report.py, "
        "pin the new digest here and add the release series to _compat.TESTED_VERSIONS."
    )


def test_the_installed_libraries_are_of_the_tested_series():
    import nbconvert

    # a new series switches the speed-ups off (the public paths run): this says so, so the mirrors get re-checked
    assert _compat.is_tested_version("matplotlib", matplotlib.__version__), matplotlib.__version__
    assert _compat.is_tested_version("nbconvert", nbconvert.__version__), nbconvert.__version__


@pytest.mark.parametrize(
    "library, version, tested",
    [("matplotlib", "3.11.0", True), ("matplotlib", "3.11.2", True), ("matplotlib", "3.1.10", False),
     ("matplotlib", "3.12.0rc1", False), ("matplotlib", "3.10.8", False), ("nbconvert", "7.17.2", True),
     ("nbconvert", "8.0.0", False), ("folium", "0.20.0", False), ("matplotlib", "unknown", False)],
)
def test_is_tested_version_compares_release_series(library, version, tested):
    assert _compat.is_tested_version(library, version) is tested


@pytest.fixture
def untested_matplotlib(monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.99.0")


def test_shared_text_metrics_are_left_out_outside_the_tested_matplotlib(untested_matplotlib):
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG

    before = mtext._get_text_metrics_function
    assert _compat.share_svg_text_metrics() is False
    assert mtext._get_text_metrics_function is before
    assert not hasattr(RendererSVG, "_get_font_height_metrics")


def _svg_width(text: str, family: str, **rc) -> float:
    """The width in points of ``text`` as an SVG renderer lays it out."""
    from matplotlib.backends.backend_svg import RendererSVG

    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(6, 1), dpi=72)
        label = fig.text(0, 0.5, text, family=family, fontsize=13)
        return label.get_window_extent(RendererSVG(432, 72, io.StringIO())).width


def test_a_shared_measurement_is_matplotlibs_for_every_font_a_family_resolves_to():
    import matplotlib.text as mtext
    from matplotlib.backends.backend_svg import RendererSVG

    cases = [("a monospace string", "monospace", {}),
             ("a monospace string", "sans-serif", {}),
             ("a monospace string", "sans-serif", {"font.sans-serif": ["DejaVu Sans Mono"]}),
             ("a monospace string", "monospace", {"font.monospace": ["DejaVu Serif"]}),
             ("$x^2$ in mathtext", "sans-serif", {"font.sans-serif": ["DejaVu Sans Mono"]}),
             ("$x^2$ in mathtext", "sans-serif", {})]
    own = [_svg_width(text, family, **rc) for text, family, rc in cases]
    original = mtext._get_text_metrics_function
    try:
        assert _compat.share_svg_text_metrics()
        shared = [_svg_width(text, family, **rc) for text, family, rc in cases]
    finally:  # matplotlib as it was, for the tests after this one
        mtext._get_text_metrics_function = original
        if "_get_font_height_metrics" in vars(RendererSVG):
            del RendererSVG._get_font_height_metrics
    assert shared == own
    assert own[2] > own[1] + 10  # the same family, another font (12 pt wider): measured again, not taken from the cache


def test_the_layout_pass_is_savefigs_own_outside_the_tested_matplotlib(untested_matplotlib):
    from matplotlib.axes import Axes

    draws = []
    fig = Figure(figsize=(3, 2), layout="constrained")
    fig.add_subplot().plot([1, 2], [3, 4])
    axes_draw = Axes.draw
    try:
        Axes.draw = lambda self, renderer: (draws.append(self), axes_draw(self, renderer))[1]
        with _compat.lay_out_without_drawing(fig):
            assert "draw" not in vars(fig)
            fig.savefig(io.StringIO(), format="svg")
    finally:
        Axes.draw = axes_draw
    assert len(draws) == 2  # laid out by a draw, then drawn: matplotlib's two passes


def test_the_report_exporter_is_nbconverts_own_outside_the_tested_nbconvert(monkeypatch):
    import nbconvert
    from nbconvert import HTMLExporter

    assert _compat.report_exporter_class() is not HTMLExporter
    monkeypatch.setattr(nbconvert, "__version__", "8.0.0")
    assert _compat.report_exporter_class() is HTMLExporter


def test_importing_compat_imports_no_library():
    import subprocess
    import sys

    code = "import sys, diagnostics._compat; print([m for m in ('matplotlib', 'nbconvert') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_module_but_compat_imports_a_librarys_private_module_or_name():
    import ast
    from pathlib import Path

    import diagnostics

    package = Path(diagnostics.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module != "__future__":
                modules, names = [node.module], [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                modules, names = [alias.name for alias in node.names], []
            else:
                continue
            for module in modules:
                if module.split(".")[0] == "diagnostics":
                    continue
                private = [part for part in module.split(".") if part.startswith("_")]
                private += [name for name in names if name.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(package)}:{node.lineno} {module} {private}")
    assert found == [], "Put these in diagnostics._compat, version-gated: " + "; ".join(found)
