"""The section registry and the shared view pieces."""

import json
import re
from pathlib import Path

import pytest

import diagnostics.sections as sections_package
from diagnostics.render import html as views
from diagnostics.resources import notebooks_dir
from diagnostics.sections import registry as sections


def test_every_section_has_a_unique_key_and_notebook():
    keys = [s.key for s in sections.SECTIONS]
    assert len(set(keys)) == len(keys)
    assert len({s.notebook for s in sections.SECTIONS}) == len(keys)
    assert sections.SECTIONS[0].key == "summary"


def test_available_sections_are_those_with_notebook_and_module():
    available = sections.available_sections()
    assert available[0].key == "summary"
    for s in sections.SECTIONS:
        assert (s in available) == ((notebooks_dir() / s.notebook).is_file() and s.is_available)


def test_unknown_section_names_the_known_ones():
    with pytest.raises(KeyError, match="economy"):
        sections.section("nonsense")


@pytest.mark.parametrize("sec", [s for s in sections.SECTIONS if s.is_available], ids=lambda s: s.key)
def test_each_notebook_is_what_its_views_write(sec):
    """The notebook and the app show the same views: the committed notebook is the one its views build."""
    from diagnostics.sections.notebooks import build_notebook

    committed = json.loads((notebooks_dir() / sec.notebook).read_text())
    built = build_notebook(sec)
    assert [(c["cell_type"], "".join(c["source"])) for c in committed["cells"]] == [
        (c.cell_type, c.source) for c in built.cells
    ], f"{sec.notebook} is out of date: run .venv/bin/python -m diagnostics.sections.notebooks"


def test_a_notebook_calls_every_view_in_order():
    from diagnostics.sections.notebooks import build_notebook

    sec = sections.section("economy")
    code = "\n".join(c.source for c in build_notebook(sec).cells if c.cell_type == "code")
    positions = [code.find(f"economy.{view.__name__}(dx") for _, view in sec.views]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "economy.shift_share_chart(dx, start_year, end_year)" in code
    assert "start_year = None" in code


def test_notice_escapes_and_says_why():
    shown = views.notice("No firm register <in> this store", title="Growth firms")
    assert "&lt;in&gt;" in shown.data and "Growth firms" in shown.data


def test_every_table_a_chart_points_to_is_a_view_of_its_own_section():
    # a chart's text alternative names the table holding its figures (figure_html's table=): the
    # heading must be a view of the same section, so the reader finds it on the same page or tab
    named = 0
    for section in sections.available_sections():
        headings = {heading for heading, _ in section.views}
        folder = Path(sections_package.__file__).parent / section.views_module().__name__.split(".")[2]
        for path in sorted(folder.glob("*.py")):
            for table in re.findall(r'\btable="([^"]+)"', path.read_text(encoding="utf-8")):
                named += 1
                assert table in headings, f"{path.name} points a chart to the table {table!r}, not a view of {section.title}"
    assert named >= 6
