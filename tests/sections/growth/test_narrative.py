"""What holds growth firms back, in words (diagnostics.sections.growth.narrative): each finding tied
to figures on the page, and its numbers those of the figures."""

from __future__ import annotations

from diagnostics.render.numbers import format_value
from diagnostics.sections.finding import Finding
from diagnostics.sections.growth.headline import headline
from diagnostics.sections.growth.narrative import published_findings, register_findings
from diagnostics.sections.growth.page import VIEWS
from diagnostics.sections.growth.place_model import place_observed_expected

HEADINGS = {heading for heading, _ in VIEWS}


def test_every_finding_points_at_figures_of_the_page_that_show_its_numbers(small_dx):
    findings = register_findings(small_dx)
    assert findings and all(set(f.views) <= HEADINGS for f in findings)
    rate = headline(small_dx).iloc[0]
    first = findings[0]
    assert first.views == ("High-growth rates over time", "How the place compares")
    assert f"The high-growth rate is {format_value(rate['value'], '', 0)} per 10,000" in first.text
    assert f"({format_value(rate['country_value'], '', 0)})" in first.text
    o = place_observed_expected(small_dx).overall
    against = next(f for f in findings if f.text.startswith("Given their age"))
    assert f"{int(o['observed'])} against {o['expected']:.1f} (ratio {o['ratio']:.2f}" in against.text
    assert against.views == ("Observed and expected high growth",)


def test_a_register_too_small_for_the_model_says_so_among_the_findings(firms_dx):
    findings = register_findings(firms_dx)
    assert findings == [
        Finding("The high-growth rate is 0 per 10,000 firms with 10+ employees (growth 2020 to 2023), similar to "
                "Tinyland (3,333).", ("High-growth rates over time", "How the place compares")),
        Finding("The model could not be fitted on this store (DiagnosticsError: The firm register has too few "
                "firm-windows to fit the growth model: 0 high-growth and 1 other windows starting 2019-2019; at least "
                "20 of each are needed. A larger register (more firms or more years) is needed.)."),
    ]


def test_without_a_register_the_findings_are_the_published_figures(alpha_dx):
    first = published_findings(alpha_dx)[0]
    assert first.text == (
        "High-growth enterprises (% of 10+ employee enterprises): 7.5% (2024), against England 5.0%; ranked 2 of 3 "
        "districts (1 = highest); published without an interval, so not marked significantly higher or lower.")
    assert first.views == ("High-growth rates over time", "How the place compares")
