"""Recent trend over the last five points, as Fingertips: chi-squared test for trend, Poisson or least squares."""

from __future__ import annotations

import numpy as np
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_choice,
    check_confidence,
    check_not_above,
    check_polarity,
    check_same_shape,
)

__all__ = ["trend", "TREND_POINTS"]

#: Fingertips tests the most recent five points.
TREND_POINTS = 5
KINDS = ("proportion", "rate", "value")


def _result(method, direction, p_value, confidence, polarity, points):
    significant = direction in ("increasing", "decreasing")
    assessment = None
    if significant and polarity in ("higher_is_better", "lower_is_better"):
        good = (direction == "increasing") == (polarity == "higher_is_better")
        assessment = "getting better" if good else "getting worse"
    label = direction if assessment is None else f"{direction} and {assessment}"
    return {
        "label": label,
        "direction": direction,
        "assessment": assessment,
        "p_value": p_value,
        "significant": significant,
        "confidence": confidence,
        "points": points,
        "method": method,
    }


def trend(
    values,
    periods,
    numerators=None,
    denominators=None,
    polarity=None,
    *,
    kind: str | None = None,
    standard_errors=None,
    confidence: float = 0.999,
) -> dict:
    """Fingertips' recent trend: chi-squared test for trend (proportions), Poisson regression (rates), else least squares.

    Parameters
    ----------
    values : array-like of float
        The indicator in each period (any order; sorted by ``periods``).
    periods : array-like
        Sortable period labels (years, or "2019/20"...), one per value, consecutive.
    numerators, denominators : array-like of float, optional
        Counts behind each value; needed for proportions and rates.
    polarity : str, optional
        One of :data:`diagnostics.store.schema.POLARITIES`; with "higher_is_better" or
        "lower_is_better" a significant trend is assessed as "getting better" / "getting worse".
    kind : {"proportion", "rate", "value"}, optional
        Which test. By default "proportion" when counts are given, else "value". A rate (counts
        per person-years, where the numerator may exceed the denominator) must be asked for.
    standard_errors : array-like of float, optional
        For kind "value": weights :math:`1/se^2` for weighted least squares (else ordinary).
    confidence : float, default 0.999
        Significance is :math:`p < 1 - c`.

    Returns
    -------
    dict
        ``label`` (Fingertips' wording, e.g. "increasing and getting worse"), ``direction`` ("increasing", "decreasing", "no significant change" or "cannot be
        calculated"), ``assessment`` ("getting better", "getting worse" or None), ``p_value``,
        ``significant`` (bool), ``confidence``, ``points`` (periods used) and ``method``.

    Raises
    ------
    InvalidParameter (a ValueError)
        Lengths that differ, negative counts, a numerator above its denominator for a
        proportion, an unknown kind or polarity, or a confidence outside (0, 1).

    Notes
    -----
    Only the last five periods are used, and the trend "cannot be calculated" unless all five are
    present. With scores :math:`t_i = 1..5`, counts :math:`r_i` of :math:`n_i`,
    :math:`R = \\sum r_i`, :math:`N = \\sum n_i`, :math:`p = R/N` and
    :math:`\\bar{t} = \\sum n_i t_i / N`, the chi-squared test for trend (1 df) is

    .. math:: X^2 = \\frac{\\left(\\sum r_i t_i - R\\bar{t}\\right)^2}
              {p(1-p)\\left(\\sum n_i t_i^2 - N\\bar{t}^2\\right)}

    For rates, :math:`\\log E(r_i) = \\log n_i + \\beta_0 + \\beta_1 t_i` is fitted by Poisson
    regression (statsmodels) and :math:`\\beta_1` is tested by its Wald z. Otherwise
    :math:`y_i = \\beta_0 + \\beta_1 t_i` is fitted by (weighted) least squares and
    :math:`\\beta_1` tested by t. The sign of the statistic gives the direction.

    References
    ----------
    Altman DG. Practical statistics for medical research. London: Chapman and Hall; 1991:261-265
    (chi-squared test for trend). ISBN 978-0-412-27630-9

    Armitage P. Tests for linear trends in proportions and frequencies. Biometrics
    1955;11:375-386. doi:10.2307/3001775

    Office for Health Improvement and Disparities. Fingertips technical guidance: recent trends.
    https://fingertips.phe.org.uk/profile/guidance

    Examples
    --------
    >>> out = trend([0.20, 0.22, 0.24, 0.26, 0.28], [2019, 2020, 2021, 2022, 2023],
    ...             numerators=[200, 220, 240, 260, 280], denominators=[1000] * 5,
    ...             polarity="lower_is_better")
    >>> out["label"], bool(out["p_value"] < 0.001)
    ('increasing and getting worse', True)
    """
    function = "trend"
    confidence = check_confidence(confidence, function)
    if polarity is not None:
        check_polarity(polarity, function)
    y = as_array(values, "values", function).ravel()
    t = np.asarray(periods).ravel()
    check_same_shape(y, t, ("values", "periods"), function)
    has_counts = numerators is not None or denominators is not None
    if has_counts and (numerators is None or denominators is None):
        raise InvalidParameter(
            f"The 'numerators' parameter of {function} must be given with 'denominators' (both or neither); "
            "got only one."
        )
    kind = kind if kind is not None else ("proportion" if has_counts else "value")
    check_choice(kind, "kind", KINDS, function)
    if kind in ("proportion", "rate"):
        if not has_counts:
            raise InvalidParameter(
                f"The 'numerators' parameter of {function} must be given for kind={kind!r}; got None."
            )
        x = as_counts(numerators, "numerators", function).ravel()
        n = as_counts(denominators, "denominators", function).ravel()
        check_same_shape(y, x, ("values", "numerators"), function)
        check_same_shape(y, n, ("values", "denominators"), function)
        if kind == "proportion":
            check_not_above(x, n, ("numerators", "denominators"), function)
    se = None
    if standard_errors is not None:
        se = as_counts(standard_errors, "standard_errors", function).ravel()
        check_same_shape(y, se, ("values", "standard_errors"), function)

    order = np.argsort(t, kind="stable")[-TREND_POINTS:]
    points = [p.item() if hasattr(p, "item") else p for p in t[order]]
    method = {"proportion": "chi-squared test for trend", "rate": "Poisson regression",
              "value": "weighted least squares" if se is not None else "ordinary least squares"}[kind]
    cannot = _result(method, "cannot be calculated", np.nan, confidence, polarity, points)
    if len(order) < TREND_POINTS:
        return cannot
    score = np.arange(1, TREND_POINTS + 1, dtype=float)
    alpha = 1 - confidence
    if kind == "proportion":
        r, m = x[order], n[order]
        if np.isnan(r).any() or np.isnan(m).any() or (m <= 0).any():
            return cannot
        R, N = r.sum(), m.sum()
        p = R / N
        tbar = (m * score).sum() / N
        numerator = (r * score).sum() - R * tbar
        denominator = p * (1 - p) * ((m * score**2).sum() - N * tbar**2)
        if not denominator > 0:
            return cannot
        stat = numerator / np.sqrt(denominator)
        p_value = float(2 * scipy.stats.norm.sf(abs(stat)))
    elif kind == "rate":
        r, m = x[order], n[order]
        if np.isnan(r).any() or np.isnan(m).any() or (m <= 0).any() or r.sum() == 0:
            return cannot
        import statsmodels.api as sm  # heavy: imported only when a rate trend is asked for

        fit = sm.GLM(r, sm.add_constant(score), family=sm.families.Poisson(), offset=np.log(m)).fit()
        stat, p_value = float(fit.params[1]), float(fit.pvalues[1])
    else:
        v = y[order]
        if np.isnan(v).any() or (se is not None and (np.isnan(se[order]).any() or (se[order] <= 0).any())):
            return cannot
        w = np.ones_like(v) if se is None else 1 / se[order] ** 2
        X = np.column_stack([np.ones_like(score), score])
        sw = np.sqrt(w)
        beta, *_ = np.linalg.lstsq(X * sw[:, None], v * sw, rcond=None)
        resid = (v - X @ beta) * sw
        dof = TREND_POINTS - 2
        sigma2 = (resid @ resid) / dof
        cov = sigma2 * np.linalg.inv((X * w[:, None]).T @ X)
        if not cov[1, 1] > 0:
            stat = beta[1]
            p_value = 0.0 if beta[1] != 0 else 1.0
        else:
            stat = beta[1] / np.sqrt(cov[1, 1])
            p_value = float(2 * scipy.stats.t.sf(abs(stat), dof))
    if p_value < alpha and stat != 0:
        direction = "increasing" if stat > 0 else "decreasing"
    else:
        direction = "no significant change"
    return _result(method, direction, p_value, confidence, polarity, points)
