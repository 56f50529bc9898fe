"""The house colours are readable (WCAG 2.2 AA): the contrast formula against published values, and
every text and background pair of every stylesheet a reader's page uses (the views' stylesheet with
its badges, the report's, the app's, the batch index's and the maps')."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnostics.exceptions import InvalidParameter
from diagnostics.render import offline
from diagnostics.render.palette import (
    COMPARISON_COLOURS,
    COMPARISON_TEXT_COLOURS,
    GRAPHIC_CONTRAST,
    MARK_OUTLINE,
    TEXT_CONTRAST,
    contrast_ratio,
    readable_text_colour,
    relative_luminance,
)
from diagnostics.render.style import stylesheet

TEMPLATES = Path(__file__).parents[2] / "templates"


# ---- the formula, against published values ---------------------------------------------------------

def test_contrast_ratio_of_black_on_white_is_21_and_of_a_colour_with_itself_is_1():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#0072b2", "#0072B2") == pytest.approx(1.0)


def test_contrast_ratio_matches_published_values():
    # WebAIM's contrast checker: #767676 is the lightest grey that passes 4.5:1 on white (4.54:1);
    # #777777 fails (4.48:1). axe-core reported white on #d55e00 as 3.86 (it truncates 3.867).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#777", "#fff") == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio("#ffffff", "#d55e00") == pytest.approx(3.867, abs=0.001)


def test_relative_luminance_rejects_what_is_not_a_hex_colour():
    with pytest.raises(InvalidParameter, match=r"'colour' parameter of relative_luminance must be a hex colour.*'red'"):
        relative_luminance("red")
    with pytest.raises(InvalidParameter, match=r"must be a hex colour.*'#12345g'"):
        relative_luminance("#12345g")


@given(st.integers(0, 0xFFFFFF))
def test_readable_text_colour_reaches_4_58_to_1_on_any_background(value):
    background = f"#{value:06x}"
    assert contrast_ratio(readable_text_colour(background), background) >= 4.58


# ---- the house colours -----------------------------------------------------------------------------

def test_every_comparison_badge_reaches_the_text_contrast():
    assert set(COMPARISON_TEXT_COLOURS) == set(COMPARISON_COLOURS)
    for label, background in COMPARISON_COLOURS.items():
        assert contrast_ratio(COMPARISON_TEXT_COLOURS[label], background) >= TEXT_CONTRAST, label


def test_the_worse_badge_has_dark_text_and_the_better_badge_white():
    assert COMPARISON_TEXT_COLOURS["worse"] == "#000000"
    assert COMPARISON_TEXT_COLOURS["better"] == "#ffffff"


def test_the_outline_of_comparison_marks_reaches_the_graphic_contrast_on_the_page_and_on_every_mark():
    assert contrast_ratio(MARK_OUTLINE, "#ffffff") >= GRAPHIC_CONTRAST
    for label, fill in COMPARISON_COLOURS.items():
        if contrast_ratio(fill, "#ffffff") < GRAPHIC_CONTRAST:  # a light mark: its outline carries it
            assert contrast_ratio(MARK_OUTLINE, fill) >= GRAPHIC_CONTRAST, label


# ---- every stylesheet ------------------------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_VARIABLE = re.compile(r"var\((--[\w-]+)\)")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*(?:,\s*[\d.]+\s*)?\)")


def _as_hex(colour: str) -> str:
    """A CSS colour as hex; a translucent rgba() is laid over white, the page every style sits on."""
    if colour.startswith("#"):
        return colour
    r, g, b, *alpha = (float(x) for x in re.findall(r"[\d.]+", colour))
    a = alpha[0] if alpha else 1.0
    return "#" + "".join(f"{round(c * a + 255 * (1 - a)):02x}" for c in (r, g, b))


def _sheets() -> dict[str, str]:
    voila = (TEMPLATES / "voila" / "place_diagnostics" / "index.html.j2").read_text()
    batch = (TEMPLATES / "batch" / "index.html.j2").read_text()
    return {
        "the views' stylesheet": stylesheet(),
        "the report's report.css": (TEMPLATES / "nbconvert" / "place_report" / "report.css").read_text(),
        "the app's template": "\n".join(_STYLE.findall(voila)),
        "the batch index's template": "\n".join(_STYLE.findall(batch)),
        "the maps' stylesheet": offline._MAP_CSS,
    }


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, body in _RULE.findall(_COMMENT.sub("", css)):
        declarations = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";")) if value.strip()
        )
        rules.append((" ".join(selector.split()), declarations))
    return rules


def _colours(declarations: dict[str, str], prop: str, variables: dict[str, str]) -> list[str]:
    """The colours of one property of a rule, as hex, its CSS variables resolved."""
    value = _VARIABLE.sub(lambda m: variables[m.group(1)], declarations.get(prop, ""))
    return [_as_hex(c) for c in _COLOUR.findall(value)]


def _colour_pairs() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]], set[str]]:
    """(rule, text colour, background) of every rule setting both, (rule, text colour) of the rules
    setting a colour only, and the surfaces: the page (white) and the background of every rule that
    sets no colour, on which the other rules' text may sit."""
    both, text_only, surfaces = [], [], {"#ffffff"}
    for sheet, css in _sheets().items():
        rules = _rules(css)
        variables = {k: v for _, d in rules for k, v in d.items() if k.startswith("--")}
        for selector, declarations in rules:
            text = _colours(declarations, "color", variables)
            backgrounds = _colours(declarations, "background", variables) + _colours(declarations, "background-color", variables)
            where = f"{sheet}: {selector}"
            if text and backgrounds:
                both += [(where, text[0], b) for b in backgrounds]
            elif text:
                text_only.append((where, text[0]))
            elif backgrounds:
                both += [(where, "#000000", b) for b in backgrounds]  # the default text colour on it
                surfaces.update(backgrounds)
    return both, text_only, surfaces


def test_every_rule_setting_a_text_colour_and_a_background_reaches_the_text_contrast():
    both, _, _ = _colour_pairs()
    assert any("pd-badge-worse" in where for where, _, _ in both)  # the badges are read
    failing = [(w, fg, bg, round(contrast_ratio(fg, bg), 2)) for w, fg, bg in both if contrast_ratio(fg, bg) < TEXT_CONTRAST]
    assert failing == []


def test_every_text_colour_reaches_the_text_contrast_on_every_surface_of_every_stylesheet():
    _, text_only, surfaces = _colour_pairs()
    assert {"#f0f0f0", "#f6f8fa", "#fdf0e8"} <= surfaces  # table headers, the report's contents, messages
    failing = [(w, fg, bg, round(contrast_ratio(fg, bg), 2))
               for w, fg in text_only for bg in sorted(surfaces) if contrast_ratio(fg, bg) < TEXT_CONTRAST]
    assert failing == []


def test_the_apps_focus_ring_reaches_the_graphic_contrast_on_white():
    voila = "\n".join(_STYLE.findall((TEMPLATES / "voila" / "place_diagnostics" / "index.html.j2").read_text()))
    rings = [d["outline"] for selector, d in _rules(voila) if "focus" in selector and "outline" in d]
    assert rings, "the app's template draws a focus ring"
    for ring in rings:
        (colour,) = _COLOUR.findall(ring)
        assert contrast_ratio(_as_hex(colour), "#ffffff") >= GRAPHIC_CONTRAST, ring
