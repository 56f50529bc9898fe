"""Benchmark comparison by confidence interval overlap: the Fingertips RAG rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.stats._validation import as_array, check_polarity, check_same_shape

__all__ = ["compare_to_benchmark", "COMPARISONS"]

#: Every label :func:`compare_to_benchmark` returns.
COMPARISONS = ("better", "similar", "worse", "higher", "lower", "not compared")


def compare_to_benchmark(value, lower, upper, benchmark, polarity="neutral"):
    """Fingertips' comparison with a benchmark: is the benchmark outside the area's confidence interval?

    Parameters
    ----------
    value : array-like of float
        The areas' values (used only for the shape and to mark missing values).
    lower, upper : array-like of float
        The confidence limits of each value (95% or 99.8%), same length as ``value``.
    benchmark : float or array-like of float
        The comparator's value (England, the region...), one for all or one per area.
    polarity : str or array-like of str, default "neutral"
        One of :data:`diagnostics.store.schema.POLARITIES`: "higher_is_better", "lower_is_better" or
        "neutral"; one for all or one per area.

    Returns
    -------
    str, ndarray of str or Series
        Shaped like ``value``: "better", "similar" or "worse" (with a polarity), "higher",
        "similar" or "lower" (neutral), and "not compared" where the value, either limit or the
        benchmark is missing.

    Raises
    ------
    InvalidParameter (a ValueError)
        An unknown polarity, lengths that differ, or non-numeric values.

    Notes
    -----
    With limits :math:`(L, U)` and benchmark :math:`B`: higher if :math:`L > B`, lower if
    :math:`U < B`, similar otherwise (a limit equal to the benchmark is similar). Higher is
    "better" for "higher_is_better" and "worse" for "lower_is_better", and conversely.

    References
    ----------
    Office for Health Improvement and Disparities. Fingertips technical guidance: comparing an
    area with a benchmark (confidence interval overlap). https://fingertips.phe.org.uk/profile/guidance

    Examples
    --------
    >>> compare_to_benchmark(0.65, 0.55, 0.74, 0.5, "higher_is_better")
    'better'
    >>> compare_to_benchmark([65, 70], [55, 60], [74, 80], 76, "neutral").tolist()
    ['lower', 'similar']
    """
    function = "compare_to_benchmark"
    v = as_array(value, "value", function)
    lo = as_array(lower, "lower", function)
    hi = as_array(upper, "upper", function)
    b = as_array(benchmark, "benchmark", function)
    check_same_shape(v, lo, ("value", "lower"), function)
    check_same_shape(v, hi, ("value", "upper"), function)
    check_same_shape(v, b, ("value", "benchmark"), function)
    pol = check_polarity(polarity, function)
    pol = np.asarray(pol, dtype=object)
    check_same_shape(v, pol, ("value", "polarity"), function)
    missing = np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(b)
    with np.errstate(invalid="ignore"):
        higher, lower_ = lo > b, hi < b
    up = np.where(pol == "higher_is_better", "better", np.where(pol == "lower_is_better", "worse", "higher"))
    down = np.where(pol == "higher_is_better", "worse", np.where(pol == "lower_is_better", "better", "lower"))
    out = np.where(missing, "not compared", np.where(higher, up, np.where(lower_, down, "similar"))).astype(object)
    if isinstance(value, pd.Series):
        return pd.Series(out, index=value.index, dtype=object)
    return str(out) if out.ndim == 0 else out
