"""The house colours, shared by charts, tables and maps, and how readable they are.

Safe for colour vision deficiency: the Okabe-Ito palette, and comparisons coloured blue (better)
against vermillion (worse), never red against green; every coloured mark is also labelled in words.

Readable by everyone (WCAG 2.2 AA): text on a comparison badge is black or white, whichever has the
higher contrast with the badge (:func:`readable_text_colour`), so every badge reaches 4.5:1; a
comparison colour drawn as a mark of the spine chart or the chart of differences carries the dark
outline :data:`MARK_OUTLINE`, which reaches 3:1 against the page. :func:`contrast_ratio` is the
WCAG formula, and the tests apply it to every text and background pair of the stylesheets.
"""

from __future__ import annotations

from diagnostics.exceptions import InvalidParameter

__all__ = [
    "OKABE_ITO",
    "COMPARISON_COLOURS",
    "COMPARISON_TEXT_COLOURS",
    "MARK_OUTLINE",
    "TEXT_CONTRAST",
    "LARGE_TEXT_CONTRAST",
    "GRAPHIC_CONTRAST",
    "relative_luminance",
    "contrast_ratio",
    "readable_text_colour",
]

#: Okabe & Ito (2008) "Color Universal Design" palette.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

#: WCAG 2.2 success criterion 1.4.3 (AA): the least contrast of text with its background.
TEXT_CONTRAST = 4.5
#: 1.4.3 for large text (at least 18.66 px bold or 24 px regular).
LARGE_TEXT_CONTRAST = 3.0
#: 1.4.11 (AA): the least contrast of a graphic needed to understand the content, and of a focus ring.
GRAPHIC_CONTRAST = 3.0

#: The outline of every mark filled with a comparison colour (contrast 17.4:1 on white).
MARK_OUTLINE = "#1a1a1a"


def relative_luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour, as WCAG 2.2 defines it: 0 for black, 1 for white.

    Parameters
    ----------
    colour : str
        A hex colour, ``"#rrggbb"`` or ``"#rgb"`` (any case).

    Returns
    -------
    float
        :math:`L = 0.2126 R + 0.7152 G + 0.0722 B`, in [0, 1].

    Raises
    ------
    InvalidParameter
        If ``colour`` is not a hex colour.

    Notes
    -----
    Each channel :math:`c` in [0, 1] is linearised as :math:`c / 12.92` when
    :math:`c \\le 0.04045`, else :math:`((c + 0.055) / 1.055)^{2.4}` (the sRGB transfer function).

    References
    ----------
    W3C (2023) Web Content Accessibility Guidelines 2.2, "relative luminance".
    https://www.w3.org/TR/WCAG22/#dfn-relative-luminance

    Examples
    --------
    >>> relative_luminance("#ffffff"), relative_luminance("#000")
    (1.0, 0.0)
    """
    text = colour.strip().lstrip("#") if isinstance(colour, str) else ""
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)] if len(text) == 6 else None
    except ValueError:
        channels = None
    if channels is None:
        raise InvalidParameter(
            f"The 'colour' parameter of relative_luminance must be a hex colour such as '#d55e00'; got {colour!r}."
        )
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2.2 contrast ratio of two colours, from 1 (the same) to 21 (black on white).

    Parameters
    ----------
    foreground, background : str
        Hex colours (the order does not matter).

    Returns
    -------
    float
        :math:`(L_1 + 0.05) / (L_2 + 0.05)`, :math:`L_1` the lighter colour's relative luminance.

    References
    ----------
    W3C (2023) Web Content Accessibility Guidelines 2.2, "contrast ratio".
    https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio

    Examples
    --------
    >>> round(contrast_ratio("#ffffff", "#d55e00"), 2)
    3.87
    >>> round(contrast_ratio("#767676", "#ffffff"), 2)
    4.54
    """
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever has the higher WCAG contrast with ``background``.

    One of the two always reaches 4.58:1, so text in the returned colour passes WCAG 2.2 AA on any
    background.

    Examples
    --------
    >>> readable_text_colour("#d55e00"), readable_text_colour("#0072b2")
    ('#000000', '#ffffff')
    """
    black, white = "#000000", "#ffffff"
    return white if contrast_ratio(white, background) > contrast_ratio(black, background) else black


#: Colour of each label of :func:`diagnostics.stats.compare_to_benchmark`.
COMPARISON_COLOURS = {
    "better": OKABE_ITO["blue"],
    "worse": OKABE_ITO["vermillion"],
    "similar": "#b0b0b0",
    "higher": OKABE_ITO["sky_blue"],
    "lower": OKABE_ITO["reddish_purple"],
    "not compared": "#ffffff",
}
#: Text colour readable on each comparison colour (black on vermillion, 5.4:1; white on blue, 5.2:1).
COMPARISON_TEXT_COLOURS = {label: readable_text_colour(colour) for label, colour in COMPARISON_COLOURS.items()}
