"""Quantiles: PHE's quantiles of areas (phe_quantile) and population-weighted deprivation groups.

Two different things, each for its own job:

- :func:`phe_quantile` puts *areas* into quantiles by rank, each quantile holding about the same
  number of areas, as PHEindicatormethods' ``phe_quantile`` and OHID's "Assigning deprivation
  categories" guide. It is the default for any quantile comparison of areas (Fingertips' quintiles
  of districts on an indicator, say).
- :func:`quantile_groups` puts small areas into deprivation groups that each hold about the same
  *population* (local deprivation deciles within a place, weighted by population). It answers a
  different question, so it keeps its own method.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_positive_number,
    check_same_shape,
)

__all__ = ["phe_quantile", "quantile_groups"]


def _group_codes(groups, size: int, function: str) -> np.ndarray:
    """One integer code per value for its group set (all 0 without groups)."""
    if groups is None:
        return np.zeros(size, dtype=np.int64)
    frame = groups.reset_index(drop=True) if isinstance(groups, pd.DataFrame) else pd.DataFrame(
        {"group": np.asarray(groups, dtype=object).ravel()})
    if len(frame) != size:
        raise InvalidParameter(
            f"The 'values' and 'groups' parameters of {function} must have the same length; "
            f"got ({size},) and ({len(frame)},)."
        )
    return frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)


def phe_quantile(values, groups=None, n: int = 10, invert=True) -> pd.Series:
    """Quantiles of areas by rank, as PHEindicatormethods ``phe_quantile`` (Fingertips' method).

    Parameters
    ----------
    values : array-like of float
        The value of each area (an indicator, a deprivation score). NaN gives no quantile and is
        not counted.
    groups : array-like or DataFrame, optional
        The group set of each area (say its region, or indicator and sex): quantiles are assigned
        within each group set. A DataFrame groups by all its columns. Without it, all areas form
        one set.
    n : int, default 10
        Number of quantiles: 10 for deciles, 5 for quintiles (at least 2).
    invert : bool or array-like of bool, default True
        True puts the highest values in quantile 1 (PHE's default: for an indicator where high is
        bad, or a deprivation score, quantile 1 is the worst); False puts the lowest values in
        quantile 1. An array gives each area's setting (from its indicator's polarity), which
        must be the same within a group set.

    Returns
    -------
    Series of Int64
        The quantile of each area, 1 to ``n``, keeping the index of a Series input; ``<NA>``
        where the value is missing, and for every area of a group set with fewer areas with a
        value than ``n`` (PHE assigns none there either, and so does this, with a warning).

    Raises
    ------
    InvalidParameter (a ValueError)
        Non-numeric values, ``n`` not an integer >= 2, ``invert`` not True/False (or an array of
        them of the right length), ``invert`` differing within a group set, or groups of another
        length.

    Warns
    -----
    UserWarning
        When a group set has fewer areas with a value than quantiles: its areas get no quantile.

    Notes
    -----
    Within a group set of :math:`N` areas with a value, each area's rank :math:`r` is its
    position from the highest value (``invert``) or the lowest, ties taking the lowest rank
    (R's ``ties.method = "min"``); its quantile is

    .. math:: q = \\max\\left(1, \\left\\lfloor n + 1 - \\left\\lceil \\frac{N + 1 - r}{N / n}
              \\right\\rceil \\right\\rfloor\\right)

    so each quantile holds about :math:`N/n` areas. Areas of equal value share a quantile, even
    across a natural boundary (OHID advise a manual review in such cases).

    References
    ----------
    Office for Health Improvement and Disparities. Public health data science technical guide:
    assigning deprivation categories. https://fingertips.phe.org.uk/profile/guidance

    Fox S, Flowers J, Thelwall S, et al. PHEindicatormethods: common public health statistics
    and their confidence intervals (R package), ``phe_quantile``.
    https://github.com/ukhsa-collaboration/PHEindicatormethods

    Examples
    --------
    >>> phe_quantile([10, 20, 30, 40, 50, 60], n=3).tolist()
    [3, 3, 2, 2, 1, 1]
    >>> phe_quantile([10, 20, 30, 40, 50, 60], n=3, invert=False).tolist()
    [1, 1, 2, 2, 3, 3]
    """
    function = "phe_quantile"
    n = check_positive_number(n, "n", function, integer=True, minimum=2, inclusive=True)
    v = as_array(values, "values", function).ravel()
    codes = _group_codes(groups, v.size, function)
    if isinstance(invert, (bool, np.bool_)):
        inv = np.full(v.size, bool(invert))
    else:
        arr = np.asarray(invert, dtype=object).ravel()
        if arr.size != v.size or not all(isinstance(i, (bool, np.bool_)) for i in arr):
            raise InvalidParameter(
                f"The 'invert' parameter of {function} must be True, False or one True/False per value "
                f"({v.size}); got {invert!r}."[:300]
            )
        inv = arr.astype(bool)
    mixed = pd.Series(inv).groupby(codes).nunique().to_numpy() > 1
    if mixed.any():
        first = int(np.flatnonzero(codes == np.flatnonzero(mixed)[0])[0])
        raise InvalidParameter(
            f"The 'invert' parameter of {function} must take one value within each group set; the group "
            f"set of the value at position {first} has both True and False."
        )
    key = pd.Series(np.where(inv, -v, v))
    rank = key.groupby(codes).rank(method="min").to_numpy()
    count = pd.Series(~np.isnan(v)).groupby(codes).transform("sum").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.floor((n + 1) - np.ceil(((count + 1) - rank) / (count / n)))
    q = np.where(q == 0, 1, q)
    ok = ~np.isnan(v) & (count >= n)
    too_few = np.unique(codes[~np.isnan(v) & (count < n)])
    if too_few.size:
        warnings.warn(
            f"{too_few.size} group set(s) have fewer areas with a value than quantiles ({n}): "
            "their areas were given no quantile.",
            UserWarning,
            stacklevel=2,
        )
    out = pd.array(np.full(v.size, pd.NA), dtype="Int64")
    out[ok] = q[ok].astype(np.int64)
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series(out, index=index, name="quantile")


def quantile_groups(scores, weights=None, n: int = 10, higher_is_more_deprived: bool = True):
    """Population-weighted deprivation quantiles (deciles, quintiles) by cumulative population midpoint.

    For small areas cut into groups of about equal *population* (local deprivation deciles of a
    place's small areas, weighted by their residents), which is not what PHEindicatormethods'
    ``phe_quantile`` does: that ranks areas into groups of about equal *number*, and is the method
    for quantile comparisons of areas (use :func:`phe_quantile` for those). The two agree when
    every area has the same population and the count divides evenly.

    Parameters
    ----------
    scores : array-like of float
        Deprivation score of each small area (IMD score, or a rank). NaN gives a missing group.
    weights : array-like of float, optional
        Population of each area (non-negative); equal weights if omitted.
    n : int, default 10
        Number of groups: 10 for deciles, 5 for quintiles.
    higher_is_more_deprived : bool, default True
        True for IMD scores (higher score = more deprived); False for IMD ranks (rank 1 = most
        deprived). Either way group 1 is the most deprived.

    Returns
    -------
    Series of Int64
        The group of each area, 1 (most deprived) to ``n`` (least deprived); ``<NA>`` where the
        score or weight is missing. Keeps the index of a Series input.

    Raises
    ------
    InvalidParameter (a ValueError)
        Negative weights, lengths that differ, or ``n`` not an integer >= 2.

    Notes
    -----
    Areas are sorted from most to least deprived; areas with equal scores are kept together. With
    :math:`W` the total weight and :math:`C` the weight of all areas more deprived than an area
    (or its tie group) of weight :math:`w`, its group is

    .. math:: g = \\min\\left(n, \\left\\lfloor n \\frac{C + w/2}{W} \\right\\rfloor + 1\\right)

    so each group holds about :math:`W/n` of the population and an area straddling a boundary
    goes where its middle person falls.

    References
    ----------
    Ministry of Housing, Communities and Local Government. The English Indices of Deprivation
    2019: technical report. London: MHCLG; 2019.
    https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019

    Examples
    --------
    >>> quantile_groups([40, 30, 20, 10], [100, 100, 100, 100], n=2).tolist()
    [1, 1, 2, 2]
    """
    function = "quantile_groups"
    n = check_positive_number(n, "n", function, integer=True, minimum=2, inclusive=True)
    if not isinstance(higher_is_more_deprived, (bool, np.bool_)):
        raise InvalidParameter(
            f"The 'higher_is_more_deprived' parameter of {function} must be True or False; "
            f"got {higher_is_more_deprived!r}."
        )
    s = as_array(scores, "scores", function).ravel()
    w = np.ones_like(s) if weights is None else as_counts(weights, "weights", function).ravel()
    check_same_shape(s, w, ("scores", "weights"), function)
    ok = ~np.isnan(s) & ~np.isnan(w)
    key = -s if higher_is_more_deprived else s
    uniq, inverse = np.unique(key[ok], return_inverse=True)
    tie_weight = np.bincount(inverse, weights=w[ok], minlength=len(uniq))
    total = tie_weight.sum()
    before = np.cumsum(tie_weight) - tie_weight
    with np.errstate(divide="ignore", invalid="ignore"):
        group = np.minimum(n, np.floor(n * (before + tie_weight / 2) / total) + 1)
    out = pd.array(np.full(s.shape, pd.NA), dtype="Int64")
    out[ok] = group[inverse].astype(np.int64)
    index = scores.index if isinstance(scores, pd.Series) else None
    return pd.Series(out, index=index, name="quantile")


