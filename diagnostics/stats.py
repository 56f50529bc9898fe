"""Public-health statistics, matching OHID Fingertips and PHEindicatormethods (UKHSA).

Every function is vectorised over numpy arrays and pandas Series, validates its arguments before
computing, and names its method and reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

__all__ = ["proportion_ci", "rate_ci", "count_ci"]


def _z(confidence: float, function: str) -> float:
    if not isinstance(confidence, (float, int)) or isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(
            f"The 'confidence' parameter of {function} must be a float in (0, 1); got {confidence!r}."
        )
    return float(_st.norm.ppf(0.5 + confidence / 2))


def _as_array(values, name: str, function: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    negative = np.flatnonzero(arr < 0)
    if negative.size:
        raise ValueError(
            f"The '{name}' parameter of {function} must be non-negative; got {arr.ravel()[negative[0]]!r} "
            f"at position {int(negative[0])}."
        )
    return arr


def _shape_like(result: np.ndarray, like):
    if isinstance(like, pd.Series):
        return pd.Series(result, index=like.index)
    return result if np.ndim(result) else float(result)


def proportion_ci(numerator, denominator, confidence: float = 0.95, multiplier: float = 1):
    """Wilson score interval for a proportion.

    Parameters
    ----------
    numerator, denominator : array-like of float
        Events and the population they come from; ``0 <= numerator <= denominator``.
    confidence : float, default 0.95
        Confidence level in (0, 1); Fingertips uses 0.95 and 0.998.
    multiplier : float, default 1
        1 for a proportion, 100 for a percentage.

    Returns
    -------
    tuple of (value, lower, upper)
        Each shaped like ``numerator``; NaN where the denominator is 0.

    Notes
    -----
    With :math:`p = x/n` and :math:`z` the standard normal quantile,

    .. math:: \\frac{2x + z^2 \\pm z\\sqrt{z^2 + 4x(1-p)}}{2(n + z^2)}

    as in PHEindicatormethods ``phe_proportion`` (method "wilson").

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat
    Assoc 1927;22:209-212. doi:10.1080/01621459.1927.10502953

    Examples
    --------
    >>> [round(v, 4) for v in proportion_ci(65, 100)]
    [0.65, 0.5525, 0.7364]
    """
    z = _z(confidence, "proportion_ci")
    x = _as_array(numerator, "numerator", "proportion_ci")
    n = _as_array(denominator, "denominator", "proportion_ci")
    if x.shape != n.shape and x.ndim and n.ndim:
        raise ValueError(
            f"The 'numerator' and 'denominator' parameters of proportion_ci must have the same length; "
            f"got {x.shape} and {n.shape}."
        )
    above = np.flatnonzero(np.broadcast_to(x > n, np.broadcast(x, n).shape))
    if above.size:
        raise ValueError(
            "The 'numerator' parameter of proportion_ci must not exceed 'denominator'; "
            f"it does at position {int(above[0])}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        root = z * np.sqrt(z**2 + 4 * x * (1 - p))
        lower = (2 * x + z**2 - root) / (2 * (n + z**2))
        upper = (2 * x + z**2 + root) / (2 * (n + z**2))
        lower = np.where(n > 0, np.clip(lower, 0, None), np.nan)
        upper = np.where(n > 0, np.clip(upper, None, 1), np.nan)
    return tuple(_shape_like(a * multiplier, numerator) for a in (p, lower, upper))


def count_ci(count, confidence: float = 0.95):
    """Confidence interval for a Poisson count: Byar's method, exact below 10 events.

    Parameters
    ----------
    count : array-like of float
        Observed events, non-negative.
    confidence : float, default 0.95

    Returns
    -------
    tuple of (lower, upper)
        Interval for the expected count, shaped like ``count``.

    Notes
    -----
    Byar's approximation, for :math:`O \\ge 10`:

    .. math:: O_L = O\\left(1 - \\frac{1}{9O} - \\frac{z}{3\\sqrt{O}}\\right)^3, \\quad
              O_U = (O+1)\\left(1 - \\frac{1}{9(O+1)} + \\frac{z}{3\\sqrt{O+1}}\\right)^3

    and the exact interval from the chi-squared distribution below 10 events, as in
    PHEindicatormethods ``phe_rate``.

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC Scientific
    Publications 82; 1987.

    Examples
    --------
    >>> [round(v, 3) for v in count_ci(100)]
    [81.362, 121.628]
    """
    z = _z(confidence, "count_ci")
    o = _as_array(count, "count", "count_ci")
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
        exact_lower = np.where(o > 0, _st.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
        exact_upper = _st.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    small = o < 10
    lower = np.where(small, exact_lower, byar_lower)
    upper = np.where(small, exact_upper, byar_upper)
    return _shape_like(lower, count), _shape_like(upper, count)


def rate_ci(count, denominator, multiplier: float = 100_000, confidence: float = 0.95):
    """Crude rate with Byar's interval (exact Poisson below 10 events), as ``phe_rate``.

    Parameters
    ----------
    count : array-like of float
        Events, non-negative.
    denominator : array-like of float
        Population at risk (person-years), positive.
    multiplier : float, default 100 000
        Rate per this many of the denominator.
    confidence : float, default 0.95

    Returns
    -------
    tuple of (value, lower, upper)
        Rates per ``multiplier``; NaN where the denominator is 0.

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC Scientific
    Publications 82; 1987.

    Examples
    --------
    >>> [round(v, 2) for v in rate_ci(100, 50_000)]
    [200.0, 162.72, 243.26]
    """
    lower_count, upper_count = count_ci(count, confidence)
    x = _as_array(count, "count", "rate_ci")
    n = _as_array(denominator, "denominator", "rate_ci")
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, multiplier / n, np.nan)
    return tuple(
        _shape_like(np.asarray(a, dtype=float) * scale, count) for a in (x, lower_count, upper_count)
    )
