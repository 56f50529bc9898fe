"""Numbers as people read them: the one formatter of every table, card, sentence and chart label.

Text only (no HTML): thousands separators, the unit where it belongs (``£28,431``, ``74.5%``,
``812 per 100 000``), a dash for a missing value, intervals in brackets and shares in whole percent.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["format_value", "format_change", "format_interval", "format_share", "ordinal", "MISSING"]

#: What a missing value reads as.
MISSING = "–"


#: Units that a figure carries in words elsewhere (its column or sentence), so none is written.
_UNWRITTEN_UNITS = ("", "people", "score", "count")


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))


def _with_unit(number: str, unit: str) -> str:
    """``number`` (already formatted, perhaps signed) with its unit where people write it: a pound
    sign after the sign (``-£5``), a per cent sign after the number, other units after a space."""
    if unit == "£":
        sign, digits = (number[0], number[1:]) if number[:1] in "+-" else ("", number)
        return f"{sign}£{digits}"
    if unit == "%":
        return f"{number}%"
    if unit in _UNWRITTEN_UNITS:
        return number
    return f"{number} {unit}"


def format_value(value, unit: str = "", decimals: int = 1) -> str:
    """A number as people read it: thousands separators, the unit placed where it belongs.

    >>> format_value(28431.2, "£", 0), format_value(74.53, "%", 1), format_value(812.4, "per 100 000", 0)
    ('£28,431', '74.5%', '812 per 100 000')
    >>> format_value(-5, "£", 0), format_value(float("nan"))
    ('-£5', '–')
    """
    if _is_missing(value):
        return MISSING
    return _with_unit(f"{float(value):,.{int(decimals)}f}", unit)


def format_change(value, unit: str = "", decimals: int = 1) -> str:
    """A change or a difference, always signed, the unit placed as :func:`format_value` places it.

    The sign is Python's own (``+`` for zero, ``-`` for a negative that rounds to zero).

    >>> format_change(1279.4, "£", 0), format_change(-2916, "£", 0), format_change(4.21, "%", 1), format_change(-12, "", 0)
    ('+£1,279', '-£2,916', '+4.2%', '-12')
    """
    if _is_missing(value):
        return MISSING
    return _with_unit(f"{float(value):+,.{int(decimals)}f}", unit)


def format_interval(lower, upper, unit: str = "", decimals: int = 1) -> str:
    """``"(70.1 to 74.9)"``, or an empty string when no interval exists."""
    if pd.isna(lower) or pd.isna(upper):
        return ""
    return f"({format_value(lower, '', decimals)} to {format_value(upper, '', decimals)})"


def format_share(share) -> str:
    """A share (0 to 1) in whole percent, never rounded to 0% or 100% when it is neither.

    >>> format_share(0.004), format_share(0.25), format_share(0.996), format_share(1.0)
    ('<1%', '25%', '>99%', '100%')
    """
    if share is None or pd.isna(share):
        return MISSING
    value = 100 * float(share)
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
