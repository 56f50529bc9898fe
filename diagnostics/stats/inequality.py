"""Inequality across deprivation quantiles: the slope and relative index of inequality (phe_sii)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_choice,
    check_confidence,
    check_positive_number,
    check_same_shape,
    show,
)

__all__ = ["sii"]

VALUE_TYPES = ("normal", "rate", "proportion")


def _transform(values, value_type):
    if value_type == "rate":
        return np.log(values)
    if value_type == "proportion":
        return np.log(values / (1 - values))
    return values


def _back(values, value_type):
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def sii(
    values,
    population,
    se=None,
    lower=None,
    upper=None,
    value_type: str = "normal",
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Slope and relative index of inequality by weighted least squares on the ridit, with simulated limits (phe_sii).

    Parameters
    ----------
    values : array-like of float, shape (q,)
        The indicator in each deprivation quantile, ordered from most deprived (1) to least.
    population : array-like of float, shape (q,)
        Population of each quantile (or its share); all above 0.
    se : array-like of float, optional
        Standard error of each value (on the transformed scale for rates and proportions). If
        omitted, it is derived from the 95% limits ``lower`` and ``upper``.
    lower, upper : array-like of float, optional
        95% confidence limits of each value (PHE derives the standard error at 95% whatever the
        output confidence).
    value_type : {"normal", "rate", "proportion"}, default "normal"
        Rates are simulated on the log scale and proportions (in (0, 1)) on the logit scale.
    multiplier : float, default 1
        Scales the SII (100 for a percentage); a negative multiplier flips the sign of the SII
        and inverts the RII, as PHE does for indicators where low is bad.
    repetitions : int, default 100 000
        Simulations for the limits (PHE's default; at least 1 000).
    confidence : float, default 0.95
    seed : int or None, default 0
        Seed of the random generator, for reproducible limits.

    Returns
    -------
    DataFrame
        One row: ``sii``, ``sii_lower_ci``, ``sii_upper_ci`` (units of ``values`` times
        ``multiplier``), ``rii``, ``rii_lower_ci``, ``rii_upper_ci`` (ratio), ``quantiles``,
        ``confidence``, ``statistic``, ``method`` ("simulation 100000 reps").

    Raises
    ------
    InvalidParameter (a ValueError)
        Fewer than 5 or more than 100 quantiles, lengths that differ, a population of 0 or below,
        neither ``se`` nor both limits, a proportion outside (0, 1), negative or missing standard
        errors, fewer than 1 000 repetitions, or a confidence outside (0, 1).

    Notes
    -----
    With :math:`a_i` quantile :math:`i`'s share of the population and :math:`b_i` the midpoint
    of its cumulative share (the ridit; :math:`b_1 = a_1/2`), the model
    :math:`y_i\\sqrt{a_i} = \\beta_0\\sqrt{a_i} + \\beta_1 b_i\\sqrt{a_i}` is fitted by least
    squares (weighted least squares with weights :math:`a_i`); then

    .. math:: SII = m\\beta_1, \\qquad RII = \\frac{\\beta_0 + \\beta_1}{\\beta_0}

    The limits are the :math:`(1 \\mp c)/2` order statistics (positions rounded as PHE) of the
    SII and RII refitted to ``repetitions`` draws :math:`y_i^* \\sim N(y_i, se_i)` (on the
    transformed scale, then transformed back). The generator differs from R's, so limits agree
    with ``phe_sii`` to simulation error, not digit for digit.

    References
    ----------
    Low A, Low A. Measuring the gap: quantifying and comparing local health inequalities.
    J Public Health 2004;26:388-395. doi:10.1093/pubmed/fdh175

    Examples
    --------
    >>> out = sii([10, 9, 8, 7, 6], [1, 1, 1, 1, 1], se=[0.1] * 5, repetitions=1000)
    >>> round(float(out.loc[0, "sii"]), 3), round(float(out.loc[0, "rii"]), 3)
    (-5.0, 0.524)
    """
    function = "sii"
    check_choice(value_type, "value_type", VALUE_TYPES, function)
    confidence = check_confidence(confidence, function)
    repetitions = check_positive_number(repetitions, "repetitions", function, integer=True, minimum=1000,
                                        inclusive=True)
    if not isinstance(multiplier, (int, float, np.number)) or isinstance(multiplier, bool) or multiplier == 0:
        raise InvalidParameter(f"The 'multiplier' parameter of {function} must be a non-zero number; got {multiplier!r}.")
    y = as_array(values, "values", function).ravel()
    pop = as_array(population, "population", function).ravel()
    check_same_shape(y, pop, ("values", "population"), function)
    if not 5 <= y.size <= 100:
        raise InvalidParameter(
            f"The 'values' parameter of {function} must hold between 5 and 100 quantiles; got {y.size}."
        )
    bad = np.flatnonzero(~(pop > 0))
    if bad.size:
        raise InvalidParameter(
            f"The 'population' parameter of {function} must be above 0 in every quantile; got "
            f"{show(pop[bad[0]])} at position {int(bad[0])}."
        )
    if np.isnan(y).any():
        raise InvalidParameter(
            f"The 'values' parameter of {function} must have no missing value; got nan at position "
            f"{int(np.flatnonzero(np.isnan(y))[0])}."
        )
    if value_type == "proportion" and ((y <= 0) | (y >= 1)).any():
        i = int(np.flatnonzero((y <= 0) | (y >= 1))[0])
        raise InvalidParameter(
            f"The 'values' parameter of {function} must be proportions in (0, 1) for value_type='proportion'; "
            f"got {show(y[i])} at position {i}."
        )
    if se is not None:
        s = as_counts(se, "se", function).ravel()
        check_same_shape(y, s, ("values", "se"), function)
    elif lower is not None and upper is not None:
        lo = as_array(lower, "lower", function).ravel()
        hi = as_array(upper, "upper", function).ravel()
        check_same_shape(y, lo, ("values", "lower"), function)
        check_same_shape(y, hi, ("values", "upper"), function)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = (_transform(hi, value_type) - _transform(lo, value_type)) / (2 * _st.norm.ppf(0.975))
    else:
        raise InvalidParameter(
            f"The 'se' parameter of {function} must be given, or both 'lower' and 'upper'; got neither."
        )
    if (~np.isfinite(s)).any():
        i = int(np.flatnonzero(~np.isfinite(s))[0])
        raise InvalidParameter(
            f"The 'se' parameter of {function} must be a finite standard error in every quantile; got "
            f"{show(s[i])} at position {i}."
        )
    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    sqrt_a = np.sqrt(a)
    X = np.column_stack([sqrt_a, b * sqrt_a])
    solver = np.linalg.solve(X.T @ X, X.T)  # (2, q): least-squares coefficients for any y * sqrt(a)
    intercept, slope = solver @ (y * sqrt_a)
    rng = np.random.default_rng(seed)
    draws = rng.normal(_transform(y, value_type), s, size=(repetitions, y.size))
    params = (_back(draws, value_type) * sqrt_a) @ solver.T
    sims_sii = np.sort(multiplier * params[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        sims_rii = (params[:, 0] + params[:, 1]) / params[:, 0]
    if multiplier < 0:
        sims_rii = 1 / sims_rii
    sims_rii = np.sort(sims_rii)
    upper_p = confidence + (1 - confidence) / 2
    pos_lower = int(np.round(repetitions * (1 - upper_p))) - 1
    pos_upper = int(np.round(repetitions * upper_p)) - 1
    rii = (intercept + slope) / intercept
    if multiplier < 0:
        rii = 1 / rii
    return pd.DataFrame(
        {
            "sii": [multiplier * slope],
            "sii_lower_ci": [sims_sii[max(pos_lower, 0)]],
            "sii_upper_ci": [sims_sii[pos_upper]],
            "rii": [rii],
            "rii_lower_ci": [sims_rii[max(pos_lower, 0)]],
            "rii_upper_ci": [sims_rii[pos_upper]],
            "quantiles": [y.size],
            "confidence": [confidence],
            "statistic": ["slope and relative index of inequality" + (f" x {multiplier:g}" if multiplier != 1 else "")],
            "method": [f"simulation {repetitions} reps"],
        }
    )
