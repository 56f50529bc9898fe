"""Funnel-plot control limits and where each area falls, by PHEindicatormethods' rules (Spiegelhalter's on request).

By default the methods are PHEindicatormethods' (``calculate_funnel_limits``,
``assign_funnel_significance``), which are OHID Fingertips': the inverted Wilson score for
proportions and the exact Poisson test for rates and ratios. Spiegelhalter's interpolated binomial
or Poisson quantile is kept for a user who asks for it with ``method="spiegelhalter"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

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
from diagnostics.stats.intervals import count_ci

__all__ = ["funnel_limits", "funnel_significance", "NOT_COMPARED", "TOO_FEW_EVENTS"]

KINDS = ("proportion", "rate", "ratio")
METHODS = ("wilson", "poisson", "spiegelhalter")
#: PHEindicatormethods' method for each kind: the default.
PHE_METHODS = {"proportion": "wilson", "rate": "poisson", "ratio": "poisson"}
RATIO_TYPES = ("isr", "count")
RATE_TYPES = ("crude", "dsr")
#: The label of an area that cannot be placed (no denominator, a missing count).
NOT_COMPARED = "not compared"
#: The label of a directly standardised rate of fewer than 10 events (PHE does not test these).
TOO_FEW_EVENTS = "not applicable: fewer than 10 events"
_METHOD_NAMES = {"wilson": "Wilson", "poisson": "Poisson", "spiegelhalter": "Spiegelhalter exact"}


def _levels(levels, function):
    if np.ndim(levels) == 0:
        levels = (levels,)
    return tuple(sorted(check_confidence(level, function, "levels") for level in levels))


def _method(method, kind, function) -> str:
    """The method asked for, or PHE's for the kind; raise if it does not apply to the kind."""
    if method is None:
        return PHE_METHODS[kind]
    check_choice(method, "method", METHODS, function)
    allowed = (PHE_METHODS[kind], "spiegelhalter")
    if method not in allowed:
        raise InvalidParameter(
            f"The 'method' parameter of {function} must be one of {allowed[0]!r}, {allowed[1]!r} for "
            f"kind={kind!r}; got {method!r}."
        )
    return method


def _subtype(value, name, allowed, kind, applies_to, function):
    """``ratio_type`` / ``rate_type``: one of ``allowed`` for its kind (default the first), else absent."""
    if kind != applies_to:
        if value is not None:
            raise InvalidParameter(
                f"The '{name}' parameter of {function} applies to kind={applies_to!r} only; got {value!r} "
                f"with kind={kind!r}. Leave it out."
            )
        return None
    return allowed[0] if value is None else check_choice(value, name, allowed, function)


def _theta(benchmark, kind, ratio_type, multiplier, function) -> float:
    """The benchmark as a proportion, a rate per unit, or an observed / expected ratio."""
    value = float(benchmark) if isinstance(benchmark, (int, float, np.number)) else np.nan
    theta = value / multiplier + (1 if ratio_type == "count" else 0)
    if not np.isfinite(theta) or theta < 0 or (kind == "proportion" and theta > 1):
        allowed = {"proportion": f"a number in [0, {multiplier:g}]", "rate": "a number >= 0"}.get(
            kind, f"a number >= {-multiplier:g}" if ratio_type == "count" else "a number >= 0")
        raise InvalidParameter(f"The 'benchmark' parameter of {function} must be {allowed}; got {benchmark!r}.")
    return theta


def _scaled(ratio, ratio_type, multiplier):
    """A proportion, rate or ratio in the units of the values: times ``multiplier`` (a count ratio less 1)."""
    return (ratio - 1 if ratio_type == "count" else ratio) * multiplier


def _spiegelhalter_count(prob, n, theta, kind):
    """Spiegelhalter's interpolated quantile (r_p - alpha) of the count, vectorised."""
    if kind == "proportion":
        dist = scipy.stats.binom(np.round(n), theta)
    else:
        dist = scipy.stats.poisson(n * theta)
    r = dist.ppf(prob)
    f_r, f_r1 = dist.cdf(r), dist.cdf(r - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
    return np.clip(r - alpha, 0, None)


def _wilson_limit(prob, n, theta, side):
    """PHE's ``sigma_adjustment``: the proportion whose Wilson score limit at ``prob`` is ``theta``."""
    z2 = scipy.stats.norm.ppf(prob) ** 2
    first = theta * (n / z2 + 1)
    adj = np.sqrt(
        (-8 * theta * (n / z2 + 1)) ** 2
        - 64 * (1 / z2 + 1 / n) * theta * (n * (theta * (n / z2 + 2) - 1) + z2 * (theta - 1))
    )
    last = 1 / z2 + 1 / n
    return ((first - adj / 8) if side == "low" else (first + adj / 8)) / last / n


def _poisson_count(p, mean, side):
    """PHE's ``poisson_funnel`` inverted: the count O with P(Y >= O) = p (high) or P(Y <= O) = p (low).

    Continuous in O through the regularised incomplete gamma function, so that it is PHE's limit
    exactly at every whole count and a smooth curve between them.
    """
    with np.errstate(invalid="ignore"):
        if side == "high":  # P(Y >= O | mean) = gammainc(O, mean) = p
            count = scipy.special.gdtrib(1.0, p, mean)
        else:  # P(Y <= O | mean) = 1 - gammainc(O + 1, mean) = p; no lower limit while P(Y = 0) >= p
            count = np.where(np.exp(-mean) >= p, 0.0, scipy.special.gdtrib(1.0, 1 - p, mean) - 1)
    return np.where(mean > 0, np.clip(count, 0, None), 0.0)


def funnel_limits(
    denominators,
    benchmark: float,
    kind: str = "proportion",
    levels: Sequence[float] = (0.95, 0.998),
    multiplier: float = 1,
    method: str | None = None,
    ratio_type: str | None = None,
) -> pd.DataFrame:
    """Funnel-plot control limits by PHEindicatormethods' ``calculate_funnel_limits``: Wilson (proportions), exact Poisson (rates, ratios).

    Parameters
    ----------
    denominators : array-like of float
        Where to compute the limits: the population (proportion), person-years over the whole
        period (rate) or expected count (ratio). Non-negative; 0 gives no limits.
    benchmark : float
        The centre line in the units of the values: a proportion times ``multiplier``, a rate per
        ``multiplier``, or a ratio times ``multiplier`` (1 for a ratio, 100 for an SMR; with
        ``ratio_type="count"``, the ratio less 1, times ``multiplier``: 0 when observed = expected).
    kind : {"proportion", "rate", "ratio"}, default "proportion"
    levels : sequence of float, default (0.95, 0.998)
        Two-sided coverage of each pair of limits (Fingertips: about 2 and 3 standard deviations).
    multiplier : float, default 1
        Scale of ``benchmark`` and of the limits (100 for a percentage, 100 000 for a rate).
    method : {"wilson", "poisson", "spiegelhalter"}, optional
        By default PHE's for the kind: "wilson" for a proportion (the inverted Wilson score, limits
        clipped to [0, 100%]), "poisson" for a rate or ratio (the exact Poisson test). Ask for
        "spiegelhalter" to get Spiegelhalter's interpolated binomial or Poisson quantile instead.
    ratio_type : {"isr", "count"}, optional
        For ``kind="ratio"`` only (default "isr"): "isr" gives observed / expected times
        ``multiplier``; "count" gives (observed / expected - 1) times ``multiplier``, as PHE's
        ``ratio_type = "count"`` does (PHE applies no multiplier there: equal at the default 1).

    Returns
    -------
    DataFrame
        One row per denominator: ``denominator``, ``benchmark``, then ``lower_95_0``,
        ``upper_95_0``, ``lower_99_8``, ``upper_99_8`` (one pair per level, in ``benchmark``'s
        units; missing where the denominator is 0), ``statistic`` ("proportion", "rate",
        "ratio (isr)" or "ratio (count)"), ``method`` ("Wilson", "Poisson" or "Spiegelhalter
        exact") and ``confidence`` ("95%, 99.8%").

    Raises
    ------
    InvalidParameter (a ValueError)
        An unknown kind, method or ratio type, a method or ratio type that does not apply to the
        kind, a level outside (0, 1), a negative denominator, or a benchmark outside
        [0, multiplier] for a proportion or below 0 (below -multiplier for a count ratio).

    Notes
    -----
    For level :math:`c`, with :math:`p = (1 - c)/2`, :math:`\\theta` the benchmark as a
    proportion, rate per unit or ratio, and :math:`n` the denominator:

    *Wilson* (PHE's ``sigma_adjustment``): the limits are the proportions :math:`y` whose Wilson
    score interval at level :math:`1 - 2p` has :math:`\\theta` as its lower (upper) end, with
    :math:`z = \\Phi^{-1}(1 - p)`:

    .. math:: y = \\frac{\\theta (n/z^2 + 1) \\mp \\tfrac18 \\sqrt{64\\theta^2 (n/z^2 + 1)^2
              - 64 (1/z^2 + 1/n)\\, \\theta\\, [n(\\theta(n/z^2 + 2) - 1) + z^2(\\theta - 1)]}}
              {n\\,(1/z^2 + 1/n)}

    clipped to [0, 1] as PHE does (PHE clips at 0 and at the literal 100, which is 100% only
    with ``multiplier=100``; here the bound is always 100%).

    *Poisson* (PHE's ``poisson_funnel``): with :math:`Y \\sim Poisson(n\\theta)`, the upper limit
    is :math:`O_U / n` where :math:`P(Y \\ge O_U) = p`, and the lower :math:`O_L / n` where
    :math:`P(Y \\le O_L) = p` (0 while :math:`P(Y = 0) \\ge p`). PHE solves these by bisection at
    whole counts :math:`O` for the denominator :math:`n`; here they are solved for :math:`O` at
    any :math:`n` through :math:`P(Y \\ge O) = P(O, n\\theta)`, the regularised lower incomplete
    gamma function, so the curve passes through PHE's points and is smooth between them.

    *Spiegelhalter* (on request): the :math:`p` and :math:`1 - p` quantiles of the count
    (:math:`Bin(n, \\theta)` with :math:`n` rounded, or :math:`Poisson(n\\theta)`) made
    continuous by interpolation: with :math:`r_p` the smallest :math:`r` such that
    :math:`P(Y \\le r) \\ge p`,
    :math:`\\alpha = (P(Y \\le r_p) - p) / (P(Y \\le r_p) - P(Y \\le r_p - 1))` and the limit is
    :math:`(r_p - \\alpha)/n`. For counts its upper limit sits about one event below PHE's.

    Every limit is then scaled to the values' units (times ``multiplier``; a count ratio less 1).

    References
    ----------
    Office for Health Improvement and Disparities. Fingertips technical guidance: public health
    data science methods (funnel plots). https://fingertips.phe.org.uk/profile/guidance

    UKHSA. PHEindicatormethods: calculate_funnel_limits. https://github.com/ukhsa-collaboration/PHEindicatormethods

    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-1202. doi:10.1002/sim.1970

    Examples
    --------
    >>> out = funnel_limits([1, 100, 10_000], 50, multiplier=100)
    >>> out[["lower_99_8", "upper_99_8"]].round(2).values.tolist()
    [[0.0, 100.0], [34.55, 65.45], [48.45, 51.55]]
    >>> ratio = funnel_limits([5.571644585], 100, kind="ratio", levels=(0.95,), multiplier=100)
    >>> round(float(ratio.loc[0, "lower_95_0"]), 4)  # PHE: 1 death where 5.57 were expected
    17.948
    """
    function = "funnel_limits"
    check_choice(kind, "kind", KINDS, function)
    method = _method(method, kind, function)
    ratio_type = _subtype(ratio_type, "ratio_type", RATIO_TYPES, kind, "ratio", function)
    levels = _levels(levels, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    n = np.atleast_1d(as_counts(denominators, "denominators", function)).astype(float)
    theta = _theta(benchmark, kind, ratio_type, multiplier, function)
    out = {"denominator": n, "benchmark": float(benchmark)}
    for level in levels:
        p = (1 - level) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "wilson":
                low = np.clip(_wilson_limit(1 - p, n, theta, "low"), 0, 1)
                high = np.clip(_wilson_limit(1 - p, n, theta, "high"), 0, 1)
            elif method == "poisson":
                low = _poisson_count(p, n * theta, "low") / n
                high = _poisson_count(p, n * theta, "high") / n
            else:
                low = _spiegelhalter_count(p, n, theta, kind) / n
                high = _spiegelhalter_count(1 - p, n, theta, kind) / n
        out[f"lower_{level_label(level)}"] = np.where(n > 0, _scaled(low, ratio_type, multiplier), np.nan)
        out[f"upper_{level_label(level)}"] = np.where(n > 0, _scaled(high, ratio_type, multiplier), np.nan)
    frame = pd.DataFrame(out)
    frame["statistic"] = kind if ratio_type is None else f"ratio ({ratio_type})"
    frame["method"] = _METHOD_NAMES[method]
    frame["confidence"] = ", ".join(f"{level * 100:g}%" for level in levels)
    return frame


def funnel_significance(
    numerators,
    denominators,
    benchmark: float | None = None,
    kind: str = "proportion",
    levels: Sequence[float] = (0.95, 0.998),
    multiplier: float = 1,
    method: str | None = None,
    ratio_type: str | None = None,
    rate_type: str | None = None,
):
    """Where each area falls on a funnel plot, by PHEindicatormethods' ``assign_funnel_significance``: within, above or below.

    Parameters
    ----------
    numerators : array-like of float
        Events (proportion, rate) or observed counts (ratio); non-negative; NaN means missing.
    denominators : array-like of float
        Population (proportion), person-years over the whole period (rate; for a directly
        standardised rate, the ``denominator`` of :func:`diagnostics.stats.funnel_points`) or
        expected counts (ratio), same length; NaN means missing.
    benchmark : float, optional
        The target in the units of the values (times ``multiplier``). By default PHE's: the
        pooled value ``sum(numerators) / sum(denominators) * multiplier`` for a proportion or a
        rate, and observed = expected for a ratio (``multiplier``, or 0 for a count ratio).
    kind, levels, multiplier, method, ratio_type
        As :func:`funnel_limits`.
    rate_type : {"crude", "dsr"}, optional
        For ``kind="rate"`` only (default "crude"). With "dsr", an area of fewer than 10 events
        is not tested (PHE's rule for directly standardised rates): its label is
        :data:`TOO_FEW_EVENTS`.

    Returns
    -------
    ndarray of str, str or Series
        Shaped like ``numerators``: "within", "above 95", "above 99.8", "below 95", "below 99.8"
        (one label per level; the widest level crossed wins), :data:`TOO_FEW_EVENTS`, or
        :data:`NOT_COMPARED` where the denominator is 0 or a count is missing.

    Raises
    ------
    InvalidParameter (a ValueError)
        As :func:`funnel_limits`, plus lengths that differ, a numerator above its denominator
        for a proportion, and a rate type given for another kind.

    Notes
    -----
    *Wilson* and *Spiegelhalter*: the value :math:`y = x/n` is compared with the limits of
    :func:`funnel_limits` at its own denominator; outside means strictly beyond a limit.

    *Poisson* (PHE's ``funnel_ratio_significance``): the area is above at level :math:`c` when the
    lower end of the interval of its count, :math:`O_L/n`, exceeds the benchmark, and below when
    the upper end :math:`O_U/n` falls short of it, with :math:`(O_L, O_U)` from
    :func:`diagnostics.stats.count_ci` (exact below 10 events, Byar's approximation from 10).
    Below 10 events this is exactly the test of the drawn limits; from 10, Byar's approximation
    can differ from the exact limits for a point within a hair of a line.

    References
    ----------
    UKHSA. PHEindicatormethods: assign_funnel_significance. https://github.com/ukhsa-collaboration/PHEindicatormethods

    Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
    2005;24:1185-1202. doi:10.1002/sim.1970

    Examples
    --------
    >>> funnel_significance([50, 70, 60, 30], [100, 100, 100, 100], benchmark=0.5).tolist()
    ['within', 'above 99.8', 'above 95', 'below 99.8']
    >>> funnel_significance([4, 31, 14, 0], [4.0, 20.0, 3.5, 7.0], kind="ratio", multiplier=100).tolist()
    ['within', 'above 95', 'above 99.8', 'below 99.8']
    """
    function = "funnel_significance"
    x = as_counts(numerators, "numerators", function)
    n = as_counts(denominators, "denominators", function)
    check_same_shape(x, n, ("numerators", "denominators"), function)
    check_choice(kind, "kind", KINDS, function)
    method = _method(method, kind, function)
    ratio_type = _subtype(ratio_type, "ratio_type", RATIO_TYPES, kind, "ratio", function)
    rate_type = _subtype(rate_type, "rate_type", RATE_TYPES, kind, "rate", function)
    if kind == "proportion":
        check_not_above(x, n, ("numerators", "denominators"), function)
    levels = _levels(levels, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    if benchmark is None and kind == "ratio":
        benchmark = 0.0 if ratio_type == "count" else multiplier
    elif benchmark is None:
        benchmark = float(np.nansum(x) / np.nansum(n) * multiplier)
    theta = _theta(benchmark, kind, ratio_type, multiplier, function)
    x1, n1 = np.atleast_1d(x), np.atleast_1d(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(n1 > 0, x1 / n1, np.nan)
    label = np.full(y.shape, "within", dtype=object)
    if method != "poisson":
        limits = funnel_limits(n1, benchmark, kind, levels, multiplier, method, ratio_type)
    for level in levels:  # ascending, so the widest level crossed is written last
        tag = f"{level * 100:g}"
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "poisson":
                low_count, high_count = count_ci(x1, level)
                above, below = low_count / n1 > theta, high_count / n1 < theta
            else:
                value = _scaled(y, ratio_type, multiplier)
                above = value > limits[f"upper_{level_label(level)}"].to_numpy()
                below = value < limits[f"lower_{level_label(level)}"].to_numpy()
        label = np.where(above, f"above {tag}", np.where(below, f"below {tag}", label))
    label = np.where(np.isnan(y), NOT_COMPARED, label)
    if rate_type == "dsr":
        label = np.where(x1 < 10, TOO_FEW_EVENTS, label)
    label = label.astype(object)
    if isinstance(numerators, pd.Series):
        return pd.Series(label, index=numerators.index, dtype=object)
    return label if np.ndim(x) else str(label[0])
