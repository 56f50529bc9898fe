"""Funnel-plot control limits (Spiegelhalter's exact limits) and where each area falls."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._tables import level_label
from diagnostics.stats._validation import (
    as_counts,
    check_choice,
    check_confidence,
    check_not_above,
    check_positive_number,
    check_same_shape,
)

__all__ = ["funnel_limits", "funnel_significance"]

KINDS = ("proportion", "rate", "ratio")
METHODS = ("exact", "wilson")


def _levels(levels, function):
    if np.ndim(levels) == 0:
        levels = (levels,)
    return tuple(sorted(check_confidence(level, function, "levels") for level in levels))


def _exact_limit(prob, n, theta, kind):
    """Spiegelhalter's interpolated quantile (r_p - alpha) of the count, vectorised."""
    if kind == "proportion":
        dist = _st.binom(np.round(n), theta)
    else:
        dist = _st.poisson(n * theta)
    r = dist.ppf(prob)
    f_r, f_r1 = dist.cdf(r), dist.cdf(r - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
    return np.clip(r - alpha, 0, None)


def _wilson_limit(prob, n, theta, side):
    """PHE's phe_funnel_significance proportion limit (sigma_adjustment: the inverted Wilson score)."""
    z2 = _st.norm.ppf(prob) ** 2
    first = theta * (n / z2 + 1)
    adj = np.sqrt(
        (-8 * theta * (n / z2 + 1)) ** 2
        - 64 * (1 / z2 + 1 / n) * theta * (n * (theta * (n / z2 + 2) - 1) + z2 * (theta - 1))
    )
    last = 1 / z2 + 1 / n
    return ((first - adj / 8) if side == "low" else (first + adj / 8)) / last / n


def funnel_limits(
    denominators,
    benchmark: float,
    kind: str = "proportion",
    levels: Sequence[float] = (0.95, 0.998),
    multiplier: float = 1,
    method: str = "exact",
) -> pd.DataFrame:
    """Spiegelhalter's exact funnel-plot control limits (binomial for proportions, Poisson for rates and ratios).

    Parameters
    ----------
    denominators : array-like of float
        Where to compute the limits: the population (proportion; rounded to whole people),
        person-years (rate) or expected count (ratio). Non-negative.
    benchmark : float
        The target: a proportion in [0, 1] times ``multiplier``, a rate per ``multiplier``, or a
        ratio times ``multiplier`` (1 for a ratio, 100 for an SMR).
    kind : {"proportion", "rate", "ratio"}, default "proportion"
    levels : sequence of float, default (0.95, 0.998)
        Two-sided coverage of each pair of limits (Fingertips: about 2 and 3 standard deviations).
    multiplier : float, default 1
        Scale of ``benchmark`` and of the limits (100 for a percentage, 100 000 for a rate).
    method : {"exact", "wilson"}, default "exact"
        "exact" is Spiegelhalter's interpolated binomial / Poisson quantile; "wilson" (proportions
        only) gives the limits of PHEindicatormethods ``phe_funnel_significance`` (inverted Wilson
        score).

    Returns
    -------
    DataFrame
        One row per denominator: ``denominator``, ``benchmark``, then ``lower_95_0``,
        ``upper_95_0``, ``lower_99_8``, ``upper_99_8`` (one pair per level, in ``benchmark``'s
        units), ``statistic`` (the kind), ``method`` and ``confidence`` ("95%, 99.8%").

    Raises
    ------
    InvalidParameter (a ValueError)
        An unknown kind or method, a level outside (0, 1), a negative denominator, or a
        benchmark outside [0, 1] x multiplier for a proportion or below 0 for a rate or ratio.

    Notes
    -----
    For level :math:`c` the limits are the :math:`p = (1 - c)/2` and :math:`1 - p` quantiles of
    the count :math:`Y` under the benchmark :math:`\\theta` (:math:`Y \\sim Bin(n, \\theta)` or
    :math:`Poisson(n\\theta)`), made continuous by interpolation: with :math:`r_p` the smallest
    :math:`r` such that :math:`P(Y \\le r) \\ge p`,

    .. math:: \\alpha = \\frac{P(Y \\le r_p) - p}{P(Y \\le r_p) - P(Y \\le r_p - 1)}, \\qquad
              y_p = \\frac{r_p - \\alpha}{n}

    (clipped at 0), times ``multiplier``.

    References
    ----------
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-1202. doi:10.1002/sim.1970

    Examples
    --------
    >>> out = funnel_limits([100, 10_000], 0.5)
    >>> out[["lower_95_0", "upper_95_0"]].round(4).values.tolist()
    [[0.3968, 0.5932], [0.4901, 0.5098]]
    """
    function = "funnel_limits"
    check_choice(kind, "kind", KINDS, function)
    check_choice(method, "method", METHODS, function)
    levels = _levels(levels, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    n = as_counts(denominators, "denominators", function)
    if method == "wilson" and kind != "proportion":
        raise InvalidParameter(
            f"The 'method' parameter of {function} must be 'exact' for kind={kind!r}; got 'wilson'."
        )
    theta = benchmark / multiplier if isinstance(benchmark, (int, float, np.number)) else np.nan
    if not np.isfinite(theta) or theta < 0 or (kind == "proportion" and theta > 1):
        allowed = f"a number in [0, {multiplier:g}]" if kind == "proportion" else "a number >= 0"
        raise InvalidParameter(f"The 'benchmark' parameter of {function} must be {allowed}; got {benchmark!r}.")
    n = np.atleast_1d(n).astype(float)
    out = {"denominator": n, "benchmark": float(benchmark)}
    for level in levels:
        p = (1 - level) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "wilson":
                low = _wilson_limit(1 - p, n, theta, "low")
                high = _wilson_limit(1 - p, n, theta, "high")
            else:
                low = _exact_limit(p, n, theta, kind) / n
                high = _exact_limit(1 - p, n, theta, kind) / n
        out[f"lower_{level_label(level)}"] = np.where(n > 0, low * multiplier, np.nan)
        out[f"upper_{level_label(level)}"] = np.where(n > 0, high * multiplier, np.nan)
    frame = pd.DataFrame(out)
    frame["statistic"] = kind
    frame["method"] = "Spiegelhalter exact" if method == "exact" else "Wilson (phe_funnel_significance)"
    frame["confidence"] = ", ".join(f"{level * 100:g}%" for level in levels)
    return frame


def funnel_significance(
    numerators,
    denominators,
    benchmark: float | None = None,
    kind: str = "proportion",
    levels: Sequence[float] = (0.95, 0.998),
    multiplier: float = 1,
    method: str = "exact",
):
    """Where each area falls on a funnel plot of Spiegelhalter's exact limits: within, above or below.

    Parameters
    ----------
    numerators : array-like of float
        Events (proportion, rate) or observed counts (ratio); non-negative.
    denominators : array-like of float
        Population (proportion), person-years (rate) or expected counts (ratio), same length.
    benchmark : float, optional
        The target in the units of the value (times ``multiplier``); by default the pooled value
        ``sum(numerators) / sum(denominators) * multiplier``, as PHE does.
    kind, levels, multiplier, method
        As :func:`funnel_limits`.

    Returns
    -------
    ndarray of str or Series
        Shaped like ``numerators``: "within", "above 95", "above 99.8", "below 95", "below 99.8"
        (one label per level; the widest level crossed wins), or "not compared" where the
        denominator is 0 or a count is missing.

    Raises
    ------
    InvalidParameter (a ValueError)
        As :func:`funnel_limits`, plus lengths that differ and a numerator above its denominator
        for a proportion.

    Notes
    -----
    The value :math:`y = x/n \\times m` is compared with the limits of :func:`funnel_limits` at
    its own denominator; outside means strictly beyond a limit.

    References
    ----------
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-1202. doi:10.1002/sim.1970

    Examples
    --------
    >>> funnel_significance([50, 70, 60, 30], [100, 100, 100, 100], benchmark=0.5).tolist()
    ['within', 'above 99.8', 'above 95', 'below 99.8']
    """
    function = "funnel_significance"
    x = as_counts(numerators, "numerators", function)
    n = as_counts(denominators, "denominators", function)
    check_same_shape(x, n, ("numerators", "denominators"), function)
    check_choice(kind, "kind", KINDS, function)
    if kind == "proportion":
        check_not_above(x, n, ("numerators", "denominators"), function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    if benchmark is None:
        benchmark = float(np.nansum(x) / np.nansum(n) * multiplier)
    limits = funnel_limits(n, benchmark, kind, levels, multiplier, method)
    levels = _levels(levels, function)
    x1, n1 = np.atleast_1d(x), np.atleast_1d(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(n1 > 0, x1 / n1 * multiplier, np.nan)
    label = np.full(y.shape, "within", dtype=object)
    for level in levels:  # ascending, so the widest level crossed is written last
        tag = f"{level * 100:g}"
        label = np.where(y > limits[f"upper_{level_label(level)}"].to_numpy(), f"above {tag}", label)
        label = np.where(y < limits[f"lower_{level_label(level)}"].to_numpy(), f"below {tag}", label)
    label = np.where(np.isnan(y), "not compared", label).astype(object)
    if isinstance(numerators, pd.Series):
        return pd.Series(label, index=numerators.index, dtype=object)
    return label if np.ndim(x) else str(label[0])
