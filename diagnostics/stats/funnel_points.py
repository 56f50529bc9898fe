"""The points of a rate funnel plot, by PHEindicatormethods' ``calculate_funnel_points``: each area's
rate and the denominator it implies (no point for a directly standardised rate of fewer than 10 events)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._validation import (
    as_counts,
    check_choice,
    check_positive_number,
    check_same_shape,
    position,
    show,
)

__all__ = ["funnel_points"]

RATE_TYPES = ("crude", "dsr")


def funnel_points(
    numerators,
    rates,
    denominators=None,
    *,
    rate_type: str,
    multiplier: float,
    years_of_data: float = 1,
) -> pd.DataFrame:
    """The points of a rate funnel plot by PHEindicatormethods' ``calculate_funnel_points``: rate and implied denominator.

    Parameters
    ----------
    numerators : array-like of float
        Events over the whole period; non-negative.
    rates : array-like of float
        Each area's rate per ``multiplier`` (crude or directly standardised), same length; NaN
        means missing and gives no point.
    denominators : array-like of float, optional
        Person-years over the whole period, same length. Needed for a crude rate where an area
        has no events (the rate then implies no denominator); not used otherwise. PHE asks for
        it with a directly standardised rate too, where it is not used: here it is not required.
    rate_type : {"crude", "dsr"}
        The kind of rate (keyword only, no default, as PHE).
    multiplier : float
        The rates' scale (100 000 for a rate per 100 000); keyword only, no default, as PHE.
    years_of_data : float, default 1
        Years the numerators cover: the x of a funnel plot is the denominator of one year.

    Returns
    -------
    DataFrame
        One row per area: ``numerator``, ``rate``, ``rate_chart`` (the rate drawn: missing for a
        directly standardised rate of fewer than 10 events), ``denominator_derived`` (the
        implied denominator of one year, the x of the point, missing where ``rate_chart`` is),
        ``denominator`` (the implied denominator of the whole period, as PHE's
        ``assign_funnel_significance`` derives it: pass it to
        :func:`diagnostics.stats.funnel_significance`; missing for a directly standardised rate
        with no events), ``statistic`` ("rate (dsr per 100,000)"...).

    Raises
    ------
    InvalidParameter (a ValueError)
        An unknown rate type; a negative count, rate or denominator; lengths that differ; a
        multiplier or number of years that is not a positive number; a crude rate with no
        events and no denominator (or a denominator of 0 or missing) for that area.

    Notes
    -----
    With :math:`O` events, rate :math:`r` per :math:`m` and :math:`Y` years, the implied
    denominator of the whole period is :math:`N = mO/r` (for a crude rate with :math:`O = 0`, the
    given denominator), and the point is :math:`(N/Y, r)`. A directly standardised rate of fewer
    than 10 events has no point (PHE does not publish or test it).

    References
    ----------
    UKHSA. PHEindicatormethods: calculate_funnel_points. https://github.com/ukhsa-collaboration/PHEindicatormethods

    Examples
    --------
    >>> pts = funnel_points([414, 5], [184, 70], rate_type="dsr", multiplier=100_000, years_of_data=3)
    >>> pts[["rate_chart", "denominator_derived"]].values.tolist()
    [[184.0, 75000.0], [nan, nan]]
    """
    function = "funnel_points"
    check_choice(rate_type, "rate_type", RATE_TYPES, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    years_of_data = check_positive_number(years_of_data, "years_of_data", function)
    x = np.atleast_1d(as_counts(numerators, "numerators", function))
    rate = np.atleast_1d(as_counts(rates, "rates", function))
    check_same_shape(x, rate, ("numerators", "rates"), function)
    given = None
    if denominators is not None:
        given = np.atleast_1d(as_counts(denominators, "denominators", function))
        check_same_shape(x, given, ("numerators", "denominators"), function)
    no_events = x == 0
    if rate_type == "crude" and no_events.any():
        if given is None:
            raise InvalidParameter(
                f"The 'denominators' parameter of {function} is needed for a crude rate where an area has no events "
                f"(at position {position(x, int(np.flatnonzero(no_events)[0]))}); got None. Give every area's "
                "person-years."
            )
        bad = np.flatnonzero(no_events & ~(given > 0))
        if bad.size:
            raise InvalidParameter(
                f"The 'denominators' parameter of {function} must be above 0 where an area has no events; got "
                f"{show(given[bad[0]])} at position {position(x, int(bad[0]))}."
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.where(rate > 0, multiplier * x / rate, np.nan)
    if rate_type == "dsr":
        denominator = np.where(no_events, np.nan, implied)
        drawn = x >= 10
    else:
        denominator = np.where(no_events, given if given is not None else np.nan, implied)
        drawn = np.ones(x.shape, dtype=bool)
    frame = pd.DataFrame({
        "numerator": x,
        "rate": rate,
        "rate_chart": np.where(drawn, rate, np.nan),
        "denominator_derived": np.where(drawn, denominator / years_of_data, np.nan),
        "denominator": denominator,
    })
    scale = f"{multiplier:,.0f}" if multiplier == int(multiplier) else f"{multiplier:g}"
    frame["statistic"] = f"rate ({rate_type} per {scale})"
    if isinstance(numerators, pd.Series):
        frame.index = numerators.index
    return frame
