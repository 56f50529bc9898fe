"""Confidence intervals for a proportion (Wilson), a count and a crude rate (Byar / exact Poisson), a mean (t)."""

from __future__ import annotations

import numpy as np
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_choice,
    check_confidence_level,
    check_not_above,
    check_same_shape,
    shape_like,
    z_value,
)

__all__ = ["proportion_ci", "count_ci", "rate_ci", "mean_ci", "COUNT_METHODS"]

#: The methods of :func:`count_ci`: "auto" (exact below 10 events, Byar's from 10: ``phe_rate``),
#: "byars" (Byar's at every count: PHEindicatormethods' ``byars_lower`` / ``byars_upper``), "exact".
COUNT_METHODS = ("auto", "byars", "exact")


def proportion_ci(numerator, denominator, confidence: float = 0.95, multiplier: float = 1):
    """Wilson score interval for a proportion, as PHEindicatormethods ``phe_proportion``.

    Parameters
    ----------
    numerator, denominator : array-like of float
        Events and the population they come from, same length; ``0 <= numerator <= denominator``.
        NaN means missing and gives NaN.
    confidence : float, default 0.95
        Confidence level in (0, 1), or a percentage in [50, 100); Fingertips uses 0.95 and 0.998.
    multiplier : float, default 1
        1 for a proportion, 100 for a percentage.

    Returns
    -------
    tuple of (value, lower, upper)
        Each shaped like ``numerator`` (a Series keeps its index; a scalar gives floats), times
        ``multiplier``; NaN where the denominator is 0.

    Raises
    ------
    InvalidParameter (a ValueError)
        A negative count, a numerator above its denominator, lengths that differ, or a confidence
        outside (0, 1).

    Notes
    -----
    With :math:`p = x/n` and :math:`z` the standard normal quantile at :math:`(1 + c)/2`,

    .. math:: \\frac{2x + z^2 \\pm z\\sqrt{z^2 + 4x(1-p)}}{2(n + z^2)}

    The interval is asymmetric and stays within [0, 1]; at :math:`x = 0` the lower limit is 0 and at
    :math:`x = n` the upper limit is 1.

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat
    Assoc 1927;22:209-212. doi:10.1080/01621459.1927.10502953

    Newcombe RG, Altman DG. Proportions and their differences. In: Altman DG et al. (eds).
    Statistics with confidence, 2nd edn. London: BMJ Books; 2000:46-48.

    Examples
    --------
    >>> [round(v, 4) for v in proportion_ci(65, 100)]
    [0.65, 0.5525, 0.7364]
    """
    z = z_value(confidence, "proportion_ci")
    x = as_counts(numerator, "numerator", "proportion_ci")
    n = as_counts(denominator, "denominator", "proportion_ci")
    check_same_shape(x, n, ("numerator", "denominator"), "proportion_ci")
    check_not_above(x, n, ("numerator", "denominator"), "proportion_ci")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        root = z * np.sqrt(z**2 + 4 * x * (1 - p))
        lower = (2 * x + z**2 - root) / (2 * (n + z**2))
        upper = (2 * x + z**2 + root) / (2 * (n + z**2))
        lower = np.where(n > 0, np.clip(lower, 0, None), np.nan)
        upper = np.where(n > 0, np.clip(upper, None, 1), np.nan)
    return tuple(shape_like(a * multiplier, numerator) for a in (p, lower, upper))


def count_ci(count, confidence: float = 0.95, method: str = "auto"):
    """Byar's interval for a Poisson count (the exact chi-squared interval below 10 events).

    Parameters
    ----------
    count : array-like of float
        Observed events, non-negative; NaN means missing and gives NaN.
    confidence : float, default 0.95
        Confidence level in (0, 1), or a percentage in [50, 100) (95 is read as 0.95).
    method : {"auto", "byars", "exact"}, default "auto"
        "auto" is PHE's rule (``phe_rate``, ``calculate_ISRatio``): exact below 10 events, Byar's
        from 10. "byars" uses Byar's approximation at every count, as PHEindicatormethods'
        ``byars_lower`` and ``byars_upper`` (a lower limit below 0, as at 1 event and 99.8%, is
        NaN, and so is the lower limit at 0 events). "exact" uses the exact interval at every count.

    Returns
    -------
    tuple of (lower, upper)
        Interval for the expected count, shaped like ``count``.

    Raises
    ------
    InvalidParameter (a ValueError)
        A negative count, a confidence that is neither in (0, 1) nor a percentage in [50, 100), or
        an unknown method.

    Notes
    -----
    Byar's approximation:

    .. math:: O_L = O\\left(1 - \\frac{1}{9O} - \\frac{z}{3\\sqrt{O}}\\right)^3, \\quad
              O_U = (O+1)\\left(1 - \\frac{1}{9(O+1)} + \\frac{z}{3\\sqrt{O+1}}\\right)^3

    and the exact interval
    :math:`O_L = \\chi^2_{\\alpha/2}(2O)/2`, :math:`O_U = \\chi^2_{1-\\alpha/2}(2O+2)/2`
    (:math:`O_L = 0` when :math:`O = 0`).

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and analysis
    of cohort studies. IARC Scientific Publications 82. Lyon: IARC; 1987. ISBN 92-832-1182-X.

    Garwood F. Fiducial limits for the Poisson distribution. Biometrika 1936;28:437-442.
    doi:10.1093/biomet/28.3-4.437

    Examples
    --------
    >>> [round(v, 3) for v in count_ci(100)]
    [81.362, 121.628]
    >>> [round(v, 4) for v in count_ci(5)]
    [1.6235, 11.6683]
    >>> [round(v, 6) for v in count_ci(1, 95, method="byars")]
    [0.013072, 5.563756]
    """
    confidence = check_confidence_level(confidence, "count_ci")
    z = z_value(confidence, "count_ci")
    check_choice(method, "method", COUNT_METHODS, "count_ci")
    o = as_counts(count, "count", "count_ci")
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_lower = np.where(byar_lower < 0, np.nan, byar_lower)
        byar_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
        exact_lower = np.where(o > 0, scipy.stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
        exact_upper = scipy.stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    exact = {"auto": o < 10, "byars": np.zeros(o.shape, dtype=bool), "exact": np.ones(o.shape, dtype=bool)}[method]
    lower = np.where(exact, exact_lower, byar_lower)
    upper = np.where(exact, exact_upper, byar_upper)
    lower = np.where(np.isnan(o), np.nan, lower)
    upper = np.where(np.isnan(o), np.nan, upper)
    return shape_like(lower, count), shape_like(upper, count)


def rate_ci(count, denominator, multiplier: float = 100_000, confidence: float = 0.95, method: str = "auto"):
    """Crude rate with Byar's interval (exact Poisson below 10 events), as ``phe_rate``.

    Parameters
    ----------
    count : array-like of float
        Events, non-negative.
    denominator : array-like of float
        Population at risk (persons or person-years), non-negative, same length as ``count``.
    multiplier : float, default 100 000
        Rate per this many of the denominator.
    confidence : float, default 0.95
        Confidence level in (0, 1), or a percentage in [50, 100).
    method : {"auto", "byars", "exact"}, default "auto"
        The interval of the count (:func:`count_ci`): "auto" is ``phe_rate``'s (exact below 10).

    Returns
    -------
    tuple of (value, lower, upper)
        Rates per ``multiplier``, shaped like ``count``; NaN where the denominator is 0.

    Raises
    ------
    InvalidParameter (a ValueError)
        A negative count or denominator, lengths that differ, or a confidence outside (0, 1).

    Notes
    -----
    :math:`r = O/n \\times m` and the limits are the limits of :func:`count_ci` for :math:`O`
    times :math:`m/n`.

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and analysis
    of cohort studies. IARC Scientific Publications 82. Lyon: IARC; 1987. ISBN 92-832-1182-X.

    Examples
    --------
    >>> [round(v, 2) for v in rate_ci(100, 50_000)]
    [200.0, 162.72, 243.26]
    """
    z_value(confidence, "rate_ci")
    x = as_counts(count, "count", "rate_ci")
    n = as_counts(denominator, "denominator", "rate_ci")
    check_same_shape(x, n, ("count", "denominator"), "rate_ci")
    lower_count, upper_count = count_ci(x, confidence, method)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, multiplier / n, np.nan)
    return tuple(
        shape_like(np.asarray(a, dtype=float) * scale, count) for a in (x, lower_count, upper_count)
    )


def mean_ci(values, confidence: float = 0.95):
    """Student's t interval for a mean, as PHEindicatormethods ``phe_mean``.

    Parameters
    ----------
    values : array-like of float
        Observations. A 2-D array gives one mean per row (the last axis holds the observations).
        NaN means missing and is left out.
    confidence : float, default 0.95
        Confidence level in (0, 1), or a percentage in [50, 100).

    Returns
    -------
    tuple of (value, lower, upper)
        The mean and its limits: floats for 1-D input, arrays over rows for 2-D input. The limits
        are NaN where fewer than two observations are present.

    Raises
    ------
    InvalidParameter (a ValueError)
        Non-numeric values or a confidence outside (0, 1).

    Notes
    -----
    With :math:`\\bar{x}` the mean, :math:`s` the sample standard deviation (divisor
    :math:`n - 1`) and :math:`t` the :math:`(1 + c)/2` quantile of Student's t on :math:`n - 1`
    degrees of freedom,

    .. math:: \\bar{x} \\pm t_{n-1}\\,\\frac{s}{\\sqrt{n}}

    The interval is symmetric about the mean.

    References
    ----------
    Student. The probable error of a mean. Biometrika 1908;6:1-25. doi:10.1093/biomet/6.1.1

    Examples
    --------
    >>> [round(v, 4) for v in mean_ci([1, 2, 3, 4])]
    [2.5, 0.4457, 4.5543]
    """
    confidence = check_confidence_level(confidence, "mean_ci")
    x = as_array(values, "values", "mean_ci")
    if x.ndim == 0:
        x = x.reshape(1)
    n = np.sum(~np.isnan(x), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.nansum(x, axis=-1)
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        centred = np.where(np.isnan(x), 0.0, x - np.expand_dims(mean, -1))
        sd = np.sqrt(np.sum(centred**2, axis=-1) / (n - 1))
        t = scipy.stats.t.ppf(0.5 + confidence / 2, n - 1)
        half = np.where(n >= 2, t * sd / np.sqrt(n), np.nan)
    out = (mean, mean - half, mean + half)
    return tuple(float(a) if np.ndim(a) == 0 else a for a in out)
