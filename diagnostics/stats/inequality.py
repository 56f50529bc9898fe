"""Inequality across deprivation quantiles: the slope and relative index of inequality (phe_sii)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._tables import confidence_column, level_label
from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_choice,
    check_confidence_levels,
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


def _limit_names(levels) -> list[tuple[float, str]]:
    """(level, suffix) per level: "_ci" for one level (sii_lower_ci), PHE's "95_0cl" for several."""
    if len(levels) == 1:
        return [(levels[0], "_ci")]
    return [(c, f"{level_label(c)}cl") for c in levels]


def _check_inputs(values, population, se, lower, upper, value_type, transform, x, function):
    """Validated (y, population, standard error on the modelling scale) arrays, as phe_sii checks them."""
    pop = as_array(population, "population", function).ravel()
    if values is None:
        if x is None or value_type != "proportion":
            raise InvalidParameter(
                f"The 'values' parameter of {function} must be given, or 'x' (the numerator) with "
                "value_type='proportion'; got neither."
            )
        counts = as_counts(x, "x", function).ravel()
        check_same_shape(counts, pop, ("x", "population"), function)
        if (counts <= 0).any():
            i = int(np.flatnonzero(counts <= 0)[0])
            raise InvalidParameter(
                f"The 'x' parameter of {function} must be above 0 in every quantile; got {show(counts[i])} "
                f"at position {i}."
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            y = counts / pop
    else:
        y = as_array(values, "values", function).ravel()
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
    if transform and value_type == "normal":
        raise InvalidParameter(
            f"The 'transform' parameter of {function} must be False for value_type='normal' (only rates and "
            "proportions are transformed); got True."
        )
    if transform and (se is not None or lower is None or upper is None):
        raise InvalidParameter(
            f"The 'se' parameter of {function} must be left out when transform=True: give 'lower' and "
            "'upper' (the 95% limits), from which the standard error is found on the transformed scale."
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
            s = (_transform(hi, value_type) - _transform(lo, value_type)) / (2 * scipy.stats.norm.ppf(0.975))
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
    return y, pop, s


def sii(
    values,
    population,
    se=None,
    lower=None,
    upper=None,
    value_type: str = "normal",
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence=0.95,
    seed: int | None = 0,
    transform: bool = False,
    x=None,
) -> pd.DataFrame:
    """Slope and relative index of inequality by weighted least squares on the ridit, with simulated limits (phe_sii).

    Parameters
    ----------
    values : array-like of float, shape (q,), or None
        The indicator in each deprivation quantile, ordered from most deprived (1) to least. None
        for a proportion given by its numerator ``x``.
    population : array-like of float, shape (q,)
        Population of each quantile (or its share); all above 0.
    se : array-like of float, optional
        Standard error of each value (on the log scale for rates, the logit scale for
        proportions). If omitted, it is derived from the 95% limits ``lower`` and ``upper``.
    lower, upper : array-like of float, optional
        95% confidence limits of each value (PHE derives the standard error at 95% whatever the
        output confidence).
    value_type : {"normal", "rate", "proportion"}, default "normal"
        PHE's ``value_type`` 0, 1, 2: rates are simulated on the log scale and proportions (in
        (0, 1)) on the logit scale.
    multiplier : float, default 1
        Scales the SII (100 for a percentage); a negative multiplier flips the sign of the SII
        and inverts the RII, as PHE does for indicators where low is bad.
    repetitions : int, default 100 000
        Simulations for the limits (PHE's default; at least 1 000).
    confidence : float or sequence of float, default 0.95
        A level in (0, 1) or a percentage in [50, 100); several (``[0.95, 0.998]``) give a set of
        limit columns each, named as PHE (``sii_lower95_0cl``, ``rii_upper99_8cl``...).
    seed : int or None, default 0
        Seed of the random generator, for reproducible limits.
    transform : bool, default False
        PHE's ``transform``: fit the line to the log of rates (logit of proportions) and give the
        SII, RII and intercept back in the indicator's units, as PHE recommends for rates and
        proportions (their relation to deprivation is closer to linear on that scale). Needs
        ``lower`` and ``upper`` rather than ``se``.
    x : array-like of float, optional
        PHE's ``x``: the numerator of each quantile (people with the attribute), for a proportion
        given as ``x / population`` (``values`` None); every ``x`` above 0.

    Returns
    -------
    DataFrame
        One row: ``sii``, ``sii_lower_ci``, ``sii_upper_ci`` (units of ``values`` times
        ``multiplier``), ``rii``, ``rii_lower_ci``, ``rii_upper_ci`` (ratio), ``intercept`` (the
        fitted value at the most deprived end, ridit 0, in the indicator's units; times
        ``|multiplier|`` when transformed, as PHE), ``quantiles``, ``confidence`` (the level, or
        "95%, 99.8%"), ``statistic``, ``method`` ("simulation 100000 reps", "... on the log scale"
        when transformed). With several levels the limit columns are ``sii_lower95_0cl``,
        ``sii_upper95_0cl``, ``rii_lower95_0cl``... per level.

    Raises
    ------
    InvalidParameter (a ValueError)
        Fewer than 5 or more than 100 quantiles, lengths that differ, a population of 0 or below,
        neither ``se`` nor both limits (nor ``values`` nor ``x`` for a proportion), ``se`` with
        ``transform``, ``transform`` for value_type "normal", a proportion outside (0, 1), an
        ``x`` of 0 or below, negative or missing standard errors, fewer than 1 000 repetitions, or
        a confidence out of range.

    Notes
    -----
    With :math:`a_i` quantile :math:`i`'s share of the population and :math:`b_i` the midpoint
    of its cumulative share (the ridit; :math:`b_1 = a_1/2`), the model
    :math:`y_i\\sqrt{a_i} = \\beta_0\\sqrt{a_i} + \\beta_1 b_i\\sqrt{a_i}` is fitted by least
    squares (weighted least squares with weights :math:`a_i`); then

    .. math:: SII = m\\beta_1, \\qquad RII = \\frac{\\beta_0 + \\beta_1}{\\beta_0}, \\qquad
              \\text{intercept} = \\beta_0

    The limits are the :math:`(1 \\mp c)/2` order statistics (positions rounded as PHE) of the
    SII and RII refitted to ``repetitions`` draws :math:`y_i^* \\sim N(y_i, se_i)` (on the
    transformed scale, then transformed back). The generator differs from R's, so limits agree
    with ``phe_sii`` to simulation error, not digit for digit.

    With ``transform``, :math:`y_i` is :math:`g(\\text{value}_i)` (:math:`g` = log or logit), and
    with :math:`h = g^{-1}`, :math:`SII = m\\,(h(\\beta_0 + \\beta_1) - h(\\beta_0))`,
    :math:`RII = h(\\beta_0 + \\beta_1) / h(\\beta_0)` and the intercept is
    :math:`|m|\\,h(\\beta_0)`; the simulated slopes :math:`\\beta_{1,L}, \\beta_{1,U}` (on the
    transformed scale) are centred on the line's midpoint :math:`\\bar\\beta = \\beta_0 +
    \\beta_1/2` and transformed back the same way,
    :math:`SII_L = m\\,(h(\\bar\\beta + \\beta_{1,L}/2) - h(\\bar\\beta - \\beta_{1,L}/2))`.
    ``phe_sii`` swaps the limits of a rate's SII when ``multiplier < 1`` and of a proportion's
    when ``multiplier < 0``; this swaps both when the multiplier is negative (a multiplier in
    (0, 1) keeps the lower limit below the upper).

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
    levels = check_confidence_levels(confidence, function)
    repetitions = check_positive_number(repetitions, "repetitions", function, integer=True, minimum=1000,
                                        inclusive=True)
    if not isinstance(multiplier, (int, float, np.number)) or isinstance(multiplier, bool) or multiplier == 0:
        raise InvalidParameter(f"The 'multiplier' parameter of {function} must be a non-zero number; got {multiplier!r}.")
    if not isinstance(transform, (bool, np.bool_)):
        raise InvalidParameter(f"The 'transform' parameter of {function} must be True or False; got {transform!r}.")
    y, pop, s = _check_inputs(values, population, se, lower, upper, value_type, transform, x, function)
    a = pop / pop.sum()
    b = np.cumsum(a) - a / 2
    sqrt_a = np.sqrt(a)
    X = np.column_stack([sqrt_a, b * sqrt_a])
    solver = np.linalg.solve(X.T @ X, X.T)  # (2, q): least-squares coefficients for any y * sqrt(a)
    fitted_y = _transform(y, value_type) if transform else y
    intercept, slope = solver @ (fitted_y * sqrt_a)
    rng = np.random.default_rng(seed)
    draws = rng.normal(_transform(y, value_type), s, size=(repetitions, y.size))
    params = ((draws if transform else _back(draws, value_type)) * sqrt_a) @ solver.T
    sims_slope = np.sort(params[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        sims_rii = (params[:, 0] + params[:, 1]) / params[:, 0]
    if multiplier < 0:
        sims_rii = 1 / sims_rii
    sims_rii = np.sort(sims_rii)
    sims_sii = np.sort(multiplier * params[:, 1])
    flip = multiplier < 0

    def ends(level):
        upper_p = level + (1 - level) / 2
        return max(int(np.round(repetitions * (1 - upper_p))) - 1, 0), int(np.round(repetitions * upper_p)) - 1

    out = {}
    if transform:
        def h(v):  # the inverse of the transform, named as in Notes
            return _back(v, value_type)

        at_0, at_1 = h(intercept), h(intercept + slope)
        out["sii"] = (at_1 - at_0) * multiplier
        out["rii"] = at_0 / at_1 if flip else at_1 / at_0
        mid = intercept + slope / 2
        for level, suffix in _limit_names(levels):
            low_pos, high_pos = ends(level)
            bounds = []
            for beta in (sims_slope[low_pos], sims_slope[high_pos]):
                ends_0, ends_1 = h(mid - beta / 2), h(mid + beta / 2)
                bounds.append(((ends_1 - ends_0) * multiplier, ends_1 / ends_0))
            (sii_lo, rii_lo), (sii_hi, rii_hi) = bounds[::-1] if flip else bounds
            if flip:
                rii_lo, rii_hi = 1 / rii_lo, 1 / rii_hi
            out.update({f"sii_lower{suffix}": sii_lo, f"sii_upper{suffix}": sii_hi,
                        f"rii_lower{suffix}": rii_lo, f"rii_upper{suffix}": rii_hi})
        out["intercept"] = at_0 * abs(multiplier)
    else:
        rii = (intercept + slope) / intercept
        out["sii"] = multiplier * slope
        out["rii"] = 1 / rii if flip else rii
        for level, suffix in _limit_names(levels):
            low_pos, high_pos = ends(level)
            out.update({f"sii_lower{suffix}": sims_sii[low_pos], f"sii_upper{suffix}": sims_sii[high_pos],
                        f"rii_lower{suffix}": sims_rii[low_pos], f"rii_upper{suffix}": sims_rii[high_pos]})
        out["intercept"] = intercept
    order = ["sii", *[f"sii_{e}{suffix}" for _, suffix in _limit_names(levels) for e in ("lower", "upper")],
             "rii", *[f"rii_{e}{suffix}" for _, suffix in _limit_names(levels) for e in ("lower", "upper")],
             "intercept"]
    table = pd.DataFrame({k: [float(out[k])] for k in order})
    scale = {"rate": "log", "proportion": "logit"}.get(value_type)
    table["quantiles"] = y.size
    table["confidence"] = confidence_column(levels)
    table["statistic"] = "slope and relative index of inequality" + (f" x {multiplier:g}" if multiplier != 1 else "")
    table["method"] = f"simulation {repetitions} reps" + (f", fitted on the {scale} scale" if transform else "")
    return table
