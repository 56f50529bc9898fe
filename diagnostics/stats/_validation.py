"""Argument checks shared by the statistics modules: one wording for every error.

Every message follows one pattern, naming the argument as the user typed it, the function, what is
allowed and what was given (and where, for arrays)::

    The 'confidence' parameter of proportion_ci must be a float in (0, 1); got 95.

All of them raise :class:`~diagnostics.exceptions.InvalidParameter`, which is a ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

from diagnostics.conventions import POLARITIES
from diagnostics.exceptions import InvalidParameter

__all__ = [
    "check_confidence",
    "check_confidence_level",
    "check_confidence_levels",
    "z_value",
    "as_array",
    "as_counts",
    "check_same_shape",
    "check_not_above",
    "check_choice",
    "check_positive_number",
    "check_polarity",
    "position",
    "shape_like",
    "show",
]


def show(value) -> str:
    """``repr`` of a value as the user would write it (``-1.0``, not ``np.float64(-1.0)``)."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _fail(name: str, function: str, requirement: str, got: str) -> InvalidParameter:
    return InvalidParameter(f"The '{name}' parameter of {function} must be {requirement}; got {got}.")


def check_confidence(confidence, function: str, name: str = "confidence") -> float:
    """Return ``confidence`` as a float, or raise unless it is a number in (0, 1)."""
    if (
        not isinstance(confidence, (float, int, np.floating, np.integer))
        or isinstance(confidence, (bool, np.bool_))
        or not 0 < confidence < 1
    ):
        raise _fail(name, function, "a float in (0, 1)", repr(confidence))
    return float(confidence)


#: Percentages accepted as a confidence level: 50 to 100 (PHEindicatormethods accepts 90 to 100).
_PERCENT = (50, 100)


def check_confidence_level(confidence, function: str, name: str = "confidence") -> float:
    """Return ``confidence`` as a float in (0, 1), reading 50 to 100 as a percentage (95 -> 0.95).

    PHEindicatormethods takes a level as a proportion (0.95) or a percentage (95); so do the
    functions that call this. Anything else raises, worded as
    "The 'confidence' parameter of dsr must be a float in (0, 1) or a percentage in [50, 100); got 1.0."
    """
    ok = (isinstance(confidence, (float, int, np.floating, np.integer))
          and not isinstance(confidence, (bool, np.bool_)) and np.isfinite(confidence))
    if ok and 0 < confidence < 1:
        return float(confidence)
    if ok and _PERCENT[0] <= confidence < _PERCENT[1]:
        return round(float(confidence) / 100, 12)
    raise _fail(name, function, f"a float in (0, 1) or a percentage in [{_PERCENT[0]}, {_PERCENT[1]})",
                repr(confidence))


def check_confidence_levels(confidence, function: str, name: str = "confidence") -> tuple[float, ...]:
    """One level or several (``[0.95, 0.998]``) as a tuple of distinct floats in (0, 1), in the order given.

    Each level is checked by :func:`check_confidence_level`; an empty or repeated list raises.
    """
    if np.ndim(confidence) == 0:
        return (check_confidence_level(confidence, function, name),)
    levels = tuple(check_confidence_level(c, function, name) for c in np.asarray(confidence, dtype=object).ravel())
    if not levels or len(set(levels)) != len(levels):
        raise _fail(name, function, "one level or several different levels", repr(list(confidence)))
    return levels


def z_value(confidence, function: str) -> float:
    """Two-sided standard normal quantile for ``confidence`` (1.959964 for 0.95; 95 is read as 95%)."""
    confidence = check_confidence_level(confidence, function)
    return float(scipy.stats.norm.ppf(0.5 + confidence / 2))


def position(arr: np.ndarray, flat_index: int):
    """The position of ``arr.ravel()[flat_index]`` as the user would index it."""
    if arr.ndim <= 1:
        return int(flat_index)
    return tuple(int(i) for i in np.unravel_index(flat_index, arr.shape))


def as_array(values, name: str, function: str) -> np.ndarray:
    """``values`` as a float array, or raise naming the argument if it is not numeric."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise _fail(name, function, "numeric (an array, Series or number)", repr(values)[:60]) from err


def as_counts(values, name: str, function: str) -> np.ndarray:
    """``values`` as a float array with no negative entry (NaN is allowed and means missing)."""
    arr = as_array(values, name, function)
    negative = np.flatnonzero(arr < 0)
    if negative.size:
        raise InvalidParameter(
            f"The '{name}' parameter of {function} must be non-negative; got {show(arr.ravel()[negative[0]])} "
            f"at position {position(arr, int(negative[0]))}."
        )
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str], function: str) -> None:
    """Raise unless two non-scalar arrays have the same shape."""
    if a.shape != b.shape and a.ndim and b.ndim:
        raise InvalidParameter(
            f"The '{names[0]}' and '{names[1]}' parameters of {function} must have the same length; "
            f"got {a.shape} and {b.shape}."
        )


def check_not_above(x: np.ndarray, n: np.ndarray, names: tuple[str, str], function: str) -> None:
    """Raise if any ``x`` exceeds the matching ``n`` (as a numerator above its denominator)."""
    above = np.flatnonzero(np.broadcast_to(x > n, np.broadcast(x, n).shape))
    if above.size:
        raise InvalidParameter(
            f"The '{names[0]}' parameter of {function} must not exceed '{names[1]}'; "
            f"it does at position {position(np.broadcast_to(x, np.broadcast(x, n).shape), int(above[0]))}."
        )


def check_choice(value, name: str, allowed: Iterable[str], function: str):
    """Raise unless ``value`` (or every element of an array of them) is one of ``allowed``."""
    allowed = tuple(allowed)
    if isinstance(value, str) or value is None or np.ndim(value) == 0:
        if value not in allowed:
            raise _fail(name, function, "one of " + ", ".join(repr(a) for a in allowed), repr(value))
        return value
    arr = np.asarray(value, dtype=object)
    bad = np.flatnonzero(~np.isin(arr, allowed))
    if bad.size:
        raise _fail(
            name,
            function,
            "one of " + ", ".join(repr(a) for a in allowed),
            f"{show(arr.ravel()[bad[0]])} at position {position(arr, int(bad[0]))}",
        )
    return arr


def check_polarity(polarity, function: str, name: str = "polarity"):
    """Raise unless ``polarity`` is one of :data:`diagnostics.store.schema.POLARITIES`."""
    return check_choice(polarity, name, POLARITIES, function)


def check_positive_number(value, name: str, function: str, *, integer: bool = False, minimum: float = 0,
                          inclusive: bool = False) -> float:
    """Raise unless ``value`` is a (whole, if ``integer``) number above ``minimum``."""
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if ok and integer and float(value) != int(value):
        ok = False
    if ok:
        ok = value >= minimum if inclusive else value > minimum
    if not ok or (ok and not np.isfinite(value)):
        sign = ">=" if inclusive else ">"
        raise _fail(name, function, f"{kind} {sign} {minimum:g}", repr(value))
    return int(value) if integer else float(value)


def shape_like(result: np.ndarray, like):
    """``result`` as a Series with ``like``'s index if ``like`` is one, a float if 0-d, else an array."""
    if isinstance(like, pd.Series):
        return pd.Series(result, index=like.index)
    return result if np.ndim(result) else float(result)
