"""Indirect standardisation: the ratio (calculate_ISRatio) and the rate (calculate_ISRate), Byar's limits.

Both compare an area's observed events with those expected had the reference population's rates
applied in each band (age, or age and sex). Missing counts and populations in a band count as
zero, as PHEindicatormethods does; a missing reference rate is an error naming the band, since an
expected count without it would be silently too low.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._tables import confidence_column, limit_columns
from diagnostics.stats._validation import (
    as_counts,
    check_confidence_levels,
    check_positive_number,
    show,
)
from diagnostics.stats.intervals import count_ci

__all__ = ["isr", "israte"]


def _band_name(reference, i: int) -> str:
    """How a band is named in a message: its label when the reference is a Series, else its position."""
    if isinstance(reference, pd.Series):
        return f"band {reference.index[i]!r} (position {i})"
    return f"the band at position {i}"


def _observed_and_expected(observed, population, rates, function: str):
    """Observed totals and expected counts per area (missing counts and populations count as 0)."""
    o = as_counts(observed, "observed", function)
    n = as_counts(population, "population", function)
    if n.ndim == 0 or rates.ndim != 1 or rates.shape[0] != n.shape[-1]:
        names = ("'reference_rates' parameter", "one rate") if function == "isr" else (
            "'reference_events' and 'reference_population' parameters", "one value")
        raise InvalidParameter(
            f"The {names[0]} of {function} must have {names[1]} per band of 'population' (its last axis); "
            f"got shapes {rates.shape} and {n.shape}."
        )
    if o.shape == n.shape:
        o = np.nansum(o, axis=-1)
    elif o.shape != n.shape[:-1]:
        raise InvalidParameter(
            f"The 'observed' parameter of {function} must have shape {n.shape[:-1]} (totals) or "
            f"{n.shape} (by band); got {o.shape}."
        )
    expected = np.atleast_1d((np.nan_to_num(n, nan=0.0) * rates).sum(axis=-1)).ravel()
    return np.atleast_1d(o).ravel().astype(float), expected


def _table(o, expected, scale, levels, statistic) -> pd.DataFrame:
    """Value, Byar's (exact below 10) limits at each level, and the metadata columns."""
    columns = {"observed": o, "expected": expected}
    with np.errstate(divide="ignore", invalid="ignore"):
        per_event = np.where(expected > 0, scale / expected, np.nan)
    columns["value"] = o * per_event
    for level, lower, upper in limit_columns(levels):
        lower_o, upper_o = count_ci(o, level)
        columns[lower] = lower_o * per_event
        columns[upper] = upper_o * per_event
    columns.update({
        "confidence": confidence_column(levels),
        "statistic": statistic,
        "method": np.where(o < 10, "Exact", "Byars"),
        "note": np.where(expected > 0, None, "no events expected"),
    })
    return pd.DataFrame(columns)


def isr(observed, population, reference_rates, multiplier: float = 1, confidence=0.95) -> pd.DataFrame:
    """Indirectly standardised ratio (observed / expected) with Byar's interval, as ``calculate_ISRatio``.

    Parameters
    ----------
    observed : array-like of float
        Observed events: either one total per area (shape ``population.shape[:-1]``) or one count
        per band (the same shape as ``population``), which is summed with missing counts as 0.
        Non-negative.
    population : array-like of float, shape (..., k)
        Population (person-years) of each area in each of ``k`` bands; non-negative. A missing
        population counts as 0 (no events expected from that band), as PHE does.
    reference_rates : array-like or Series of float, shape (k,)
        The reference population's rate in each band, in events per person (not per 100 000);
        none missing. A Series' index names the bands in messages.
    multiplier : float, default 1
        PHE's ``refvalue``: 1 for a ratio, 100 for the SMR convention (100 = as expected).
    confidence : float or sequence of float, default 0.95
        A level in (0, 1) or a percentage in [50, 100); several (``[0.95, 0.998]``) give a pair of
        limit columns each, named as PHE (``lower95_0cl``, ``upper95_0cl``, ``lower99_8cl``...).

    Returns
    -------
    DataFrame
        One row per area: ``observed``, ``expected`` (events), ``value``, ``lower_ci``,
        ``upper_ci`` (ratio times ``multiplier``; PHE's ``lowercl``/``uppercl``, or one pair per
        level), ``confidence`` (the level, or "95%, 99.8%"), ``statistic``
        ("indirectly standardised ratio x 100"), ``method`` ("Byars" at 10 events and more, "Exact"
        below) and ``note`` ("no events expected" where the expected count is 0; the values are
        then NaN).

    Raises
    ------
    InvalidParameter (a ValueError)
        Negative counts or rates, a missing reference rate (naming its band), shapes that do not
        fit, or a confidence that is neither in (0, 1) nor a percentage in [50, 100).

    Notes
    -----
    .. math:: E = \\sum_i n_i R_i, \\qquad ISR = \\frac{O}{E} m, \\qquad
              ISR_{L,U} = \\frac{O_{L,U}}{E} m

    with :math:`O_{L,U}` the limits of :func:`count_ci` (Byar's method; exact below 10).
    ``calculate_ISRatio`` takes reference counts and populations and treats a missing reference
    count as 0; this takes rates and refuses a missing one instead (an expected count without it
    would be silently too low).

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and analysis
    of cohort studies. IARC Scientific Publications 82. Lyon: IARC; 1987.

    Examples
    --------
    >>> out = isr(30, [1000, 2000], [0.01, 0.005])
    >>> out.loc[0, ["expected", "value", "lower_ci", "upper_ci"]].astype(float).round(3).tolist()
    [20.0, 1.5, 1.012, 2.141]
    """
    function = "isr"
    levels = check_confidence_levels(confidence, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    r = as_counts(reference_rates, "reference_rates", function)
    if r.ndim == 1 and np.isnan(r).any():
        i = int(np.flatnonzero(np.isnan(r))[0])
        raise InvalidParameter(
            f"The 'reference_rates' parameter of {function} must have a rate in every band; "
            f"{_band_name(reference_rates, i)} has none. Give the reference rate of that band "
            "(0 if the reference population had no events there)."
        )
    o, expected = _observed_and_expected(observed, population, r, function)
    statistic = f"indirectly standardised ratio x {multiplier:g}"
    return _table(o, expected, multiplier, levels, statistic)


def israte(observed, population, reference_events, reference_population, multiplier: float = 100_000,
           confidence=0.95) -> pd.DataFrame:
    """Indirectly standardised rate (the ratio times the reference's crude rate), as ``calculate_ISRate``.

    Parameters
    ----------
    observed : array-like of float
        Observed events: one total per area, or one count per band (summed, missing as 0).
    population : array-like of float, shape (..., k)
        Population of each area in each of ``k`` bands; a missing population counts as 0.
    reference_events, reference_population : array-like or Series of float, shape (k,)
        Events and population of the reference (say England) in each band; none missing, every
        reference population above 0. A Series' index names the bands in messages.
    multiplier : float, default 100 000
        Rate per this many people.
    confidence : float or sequence of float, default 0.95
        As :func:`isr`.

    Returns
    -------
    DataFrame
        One row per area: ``observed``, ``expected`` (events), ``reference_rate`` (the reference's
        crude rate per ``multiplier``), ``value``, ``lower_ci``, ``upper_ci`` (rate per
        ``multiplier``; one pair per level when several are asked, named as PHE), ``confidence``,
        ``statistic`` ("indirectly standardised rate per 100,000"), ``method`` ("Byars" or
        "Exact") and ``note``.

    Raises
    ------
    InvalidParameter (a ValueError)
        Negative counts, a missing reference count or population, or a reference population of 0
        (naming the band), shapes that do not fit, or a confidence out of range.

    Notes
    -----
    With :math:`R_i = X_i / N_i` the reference rate of band :math:`i` and
    :math:`R = \\sum X_i / \\sum N_i` its crude rate,

    .. math:: E = \\sum_i n_i R_i, \\qquad ISRate = \\frac{O}{E} R\\, m, \\qquad
              ISRate_{L,U} = \\frac{O_{L,U}}{E} R\\, m

    with :math:`O_{L,U}` the limits of :func:`count_ci` (Byar's method; exact below 10).
    ``calculate_ISRate`` treats a missing reference count as 0; this refuses it (see :func:`isr`).

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and analysis
    of cohort studies. IARC Scientific Publications 82. Lyon: IARC; 1987.

    Examples
    --------
    >>> out = israte(30, [1000, 2000], [10, 10], [1000, 2000], multiplier=1000)
    >>> out.loc[0, ["expected", "reference_rate", "value"]].astype(float).round(3).tolist()
    [20.0, 6.667, 10.0]
    """
    function = "israte"
    levels = check_confidence_levels(confidence, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    x = as_counts(reference_events, "reference_events", function)
    n = as_counts(reference_population, "reference_population", function)
    if x.shape != n.shape:
        raise InvalidParameter(
            f"The 'reference_events' and 'reference_population' parameters of {function} must have the "
            f"same length; got {x.shape} and {n.shape}."
        )
    for name, values, raw in (("reference_events", x, reference_events),
                              ("reference_population", n, reference_population)):
        if values.ndim == 1 and np.isnan(values).any():
            i = int(np.flatnonzero(np.isnan(values))[0])
            raise InvalidParameter(
                f"The '{name}' parameter of {function} must have a value in every band; "
                f"{_band_name(raw, i)} has none."
            )
    if n.ndim == 1 and (n <= 0).any():
        i = int(np.flatnonzero(n <= 0)[0])
        raise InvalidParameter(
            f"The 'reference_population' parameter of {function} must be above 0 in every band; "
            f"{_band_name(reference_population, i)} has {show(n[i])}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = x / n
    o, expected = _observed_and_expected(observed, population, rates, function)
    reference_rate = float(x.sum() / n.sum()) * multiplier
    out = _table(o, expected, reference_rate, levels, f"indirectly standardised rate per {multiplier:,g}")
    out.insert(2, "reference_rate", reference_rate)
    return out
