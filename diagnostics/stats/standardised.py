"""Directly standardised rates (Dobson, as calculate_dsr) with the European Standard Population 2013."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from diagnostics.conventions import AGE_BANDS
from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._tables import check_columns, confidence_column, group_codes, limit_columns
from diagnostics.stats._validation import (
    as_counts,
    check_confidence_levels,
    check_positive_number,
    check_same_shape,
    position,
    show,
)
from diagnostics.stats.intervals import count_ci

__all__ = ["ESP2013", "dsr", "dsr_table"]

#: European Standard Population 2013, aligned with :data:`diagnostics.store.schema.AGE_BANDS`
#: (0, 1-4, 5-9, ..., 85-89, 90+; 20 weights summing to 100 000). Eurostat publishes the 0-4 weight
#: 5 000 as 1 000 for age 0 and 4 000 for ages 1-4, which is how PHE standardises when the two
#: bands are kept apart; merging them gives PHEindicatormethods' 19-band ``esp2013``.
ESP2013: np.ndarray = np.array(
    [1000, 4000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000,
     7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    dtype=float,
)
ESP2013.setflags(write=False)

_DSR_METHOD = "Dobson"
_MIN_DSR_COUNT = 10


def _dsr_core(total_count, total_pop, weighted, squared, sum_weights, multiplier, levels):
    """Value and Dobson limits (one pair per level) from per-group sums; NaN where the total count is below 10."""
    small = total_count < _MIN_DSR_COUNT
    with np.errstate(divide="ignore", invalid="ignore"):
        value = weighted / sum_weights * multiplier
        scale = np.sqrt(squared / sum_weights**2 / total_count) * multiplier
    columns = {"total_count": total_count, "total_pop": total_pop, "value": np.where(small, np.nan, value)}
    for level, lower_name, upper_name in limit_columns(levels):
        lower_o, upper_o = count_ci(total_count, level)
        with np.errstate(invalid="ignore"):
            columns[lower_name] = np.where(small, np.nan, value + scale * (lower_o - total_count))
            columns[upper_name] = np.where(small, np.nan, value + scale * (upper_o - total_count))
    columns.update({
        "confidence": confidence_column(levels),
        "statistic": f"dsr per {multiplier:,g}",
        "method": _DSR_METHOD,
        "note": np.where(small, f"dsr not calculated: total count < {_MIN_DSR_COUNT}", None),
    })
    return pd.DataFrame(columns)


def dsr(events, population, standard_population=ESP2013, multiplier: float = 100_000, confidence=0.95):
    """Directly standardised rate with Dobson's interval on Byar's limits, as ``phe_dsr``.

    Parameters
    ----------
    events : array-like of float, shape (..., k)
        Events in each of ``k`` standardisation bands (the last axis); a 2-D array gives one rate
        per row. Non-negative; NaN counts as 0 (as ``phe_dsr``).
    population : array-like of float, shape (..., k)
        Population (person-years) in each band, same shape as ``events``; every band above 0.
    standard_population : array-like of float, shape (k,), default :data:`ESP2013`
        Standard population weights in the same band order (ESP 2013 in the 20 bands of
        :data:`diagnostics.store.schema.AGE_BANDS`).
    multiplier : float, default 100 000
        Rate per this many people.
    confidence : float or sequence of float, default 0.95
        A level in (0, 1) or a percentage in [50, 100); 0.95 and 0.998 in Fingertips. Several
        (``[0.95, 0.998]``) give a pair of limit columns each, named as ``calculate_dsr``
        (``lower95_0cl``, ``upper95_0cl``, ``lower99_8cl``, ``upper99_8cl``).

    Returns
    -------
    DataFrame
        One row per rate (per row of a 2-D input): ``total_count`` (events), ``total_pop``
        (person-years), ``value``, ``lower_ci``, ``upper_ci`` (per ``multiplier``; one pair per
        level when several are asked), ``confidence`` (the level, or "95%, 99.8%"),
        ``statistic`` ("dsr per 100,000"), ``method`` ("Dobson") and ``note``
        (why a value is missing, else None). Value and limits are NaN where the total count is
        below 10, as ``phe_dsr``.

    Raises
    ------
    InvalidParameter (a ValueError)
        Negative events, a population of 0 or below (``phe_dsr`` stops there too), shapes that
        differ, a standard population of another length, or a confidence that is neither in (0, 1)
        nor a percentage in [50, 100).

    Notes
    -----
    With :math:`O_i`, :math:`n_i` and :math:`w_i` the events, population and standard weight
    of band :math:`i`, :math:`O = \\sum O_i` and :math:`m` the multiplier,

    .. math:: DSR = \\frac{m}{\\sum w_i} \\sum \\frac{w_i O_i}{n_i}, \\qquad
              \\operatorname{Var}(DSR) = \\frac{1}{(\\sum w_i)^2} \\sum \\frac{w_i^2 O_i}{n_i^2}

    and Dobson's limits scale the limits :math:`O_L, O_U` of the total count
    (:func:`count_ci`: Byar's method, exact below 10, unused since values are not given below 10):

    .. math:: DSR_{L,U} = DSR + \\sqrt{\\operatorname{Var}(DSR)/O}\\,(O_{L,U} - O)\\,m

    References
    ----------
    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums of
    Poisson parameters. Stat Med 1991;10:457-462. doi:10.1002/sim.4780100317

    Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC Scientific
    Publications 82. Lyon: IARC; 1987.

    Eurostat. Revision of the European Standard Population: report of Eurostat's task force.
    Luxembourg: Publications Office of the European Union; 2013. doi:10.2785/11470

    Examples
    --------
    >>> out = dsr([10, 20], [1000, 4000], standard_population=[1, 1], multiplier=1000)
    >>> out.loc[0, ["value", "lower_ci", "upper_ci"]].astype(float).round(3).tolist()
    [7.5, 4.511, 11.428]
    """
    function = "dsr"
    levels = check_confidence_levels(confidence, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    x = as_counts(events, "events", function)
    n = as_counts(population, "population", function)
    check_same_shape(x, n, ("events", "population"), function)
    w = as_counts(standard_population, "standard_population", function)
    if x.ndim == 0:
        raise InvalidParameter(
            f"The 'events' parameter of {function} must be an array of counts by band; got a scalar {float(x)!r}."
        )
    if w.ndim != 1 or w.shape[0] != x.shape[-1]:
        raise InvalidParameter(
            f"The 'standard_population' parameter of {function} must have one weight per band "
            f"({x.shape[-1]}); got shape {w.shape}."
        )
    zero = np.flatnonzero(n <= 0)
    if zero.size:
        raise InvalidParameter(
            f"The 'population' parameter of {function} must be above 0 in every band; got "
            f"{show(n.ravel()[zero[0]])} at position {position(n, int(zero[0]))}."
        )
    x2 = np.nan_to_num(x.reshape(-1, x.shape[-1]), nan=0.0)
    n2 = n.reshape(-1, n.shape[-1])
    return _dsr_core(
        x2.sum(axis=1),
        n2.sum(axis=1),
        (x2 * w / n2).sum(axis=1),
        (x2 * (w / n2) ** 2).sum(axis=1),
        w.sum(),
        multiplier,
        levels,
    )


def dsr_table(
    data: pd.DataFrame,
    by: Sequence[str],
    *,
    age_band: str = "age_band",
    events: str = "events",
    population: str = "population",
    standard_population: Mapping[str, float] | Sequence[float] = ESP2013,
    multiplier: float = 100_000,
    confidence=0.95,
) -> pd.DataFrame:
    """Directly standardised rates (Dobson) for every group of a long table, in one grouped pass.

    Parameters
    ----------
    data : DataFrame
        One row per group and band, with the ``by`` columns, ``age_band``, ``events`` and
        ``population`` columns.
    by : sequence of str
        The columns that identify a group (say ``["area_code", "year", "sex"]``).
    age_band, events, population : str
        Names of the band, events and population columns.
    standard_population : mapping or sequence, default :data:`ESP2013`
        Weight per band label, or a sequence aligned with :data:`diagnostics.store.schema.AGE_BANDS`.
    multiplier : float, default 100 000
    confidence : float or sequence of float, default 0.95
        As :func:`dsr`.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns then the columns of :func:`dsr`.

    Raises
    ------
    InvalidParameter (a ValueError)
        A missing column, a band label without a standard weight, a group that lacks a band or
        repeats one, negative events, a population of 0 or below, or a confidence out of range.

    Notes
    -----
    The formulae are those of :func:`dsr`; sums are taken with one ``groupby`` over the table.

    References
    ----------
    Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums of
    Poisson parameters. Stat Med 1991;10:457-462. doi:10.1002/sim.4780100317

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "A"], "age_band": ["0", "1-4"],
    ...                    "events": [10, 20], "population": [1000, 4000]})
    >>> out = dsr_table(df, ["area"], standard_population={"0": 1, "1-4": 1}, multiplier=1000)
    >>> out[["area", "value"]].round(3).to_dict("records")
    [{'area': 'A', 'value': 7.5}]
    """
    function = "dsr_table"
    by = [by] if isinstance(by, str) else list(by)
    check_columns(data, [*by, age_band, events, population], function)
    levels = check_confidence_levels(confidence, function)
    multiplier = check_positive_number(multiplier, "multiplier", function)
    if isinstance(standard_population, Mapping):
        weights = pd.Series(standard_population, dtype=float)
    else:
        arr = as_counts(standard_population, "standard_population", function)
        if arr.shape != (len(AGE_BANDS),):
            raise InvalidParameter(
                f"The 'standard_population' parameter of {function} must be a mapping of band to weight "
                f"or {len(AGE_BANDS)} weights aligned with AGE_BANDS; got shape {arr.shape}."
            )
        weights = pd.Series(arr, index=list(AGE_BANDS))
    x = as_counts(data[events], events, function)
    n = as_counts(data[population], population, function)
    band = data[age_band].astype(str)
    unknown = ~band.isin(weights.index)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InvalidParameter(
            f"The '{age_band}' column of {function}'s data must hold bands of the standard population "
            f"({', '.join(map(str, weights.index))}); got {show(band.iloc[i])} at position {i}."
        )
    zero = np.flatnonzero(~(n > 0))
    if zero.size:
        raise InvalidParameter(
            f"The '{population}' column of {function}'s data must be above 0 in every band; got "
            f"{show(n[zero[0]])} at position {int(zero[0])}."
        )
    w = band.map(weights).to_numpy(dtype=float)
    codes, keys = group_codes(data, by)
    n_groups = len(keys)
    band_code = band.map({b: i for i, b in enumerate(weights.index)}).to_numpy(dtype=np.int64)
    seen = np.bincount(codes * len(weights) + band_code, minlength=n_groups * len(weights))
    seen = seen.reshape(n_groups, len(weights))
    bad = np.flatnonzero((seen != 1).any(axis=1))
    if bad.size:
        g = int(bad[0])
        raise InvalidParameter(
            f"The 'data' parameter of {function} must hold each band once per group; group "
            f"{keys.iloc[g].to_dict()} has {int(seen[g].sum())} rows for {len(weights)} bands."
        )
    x = np.nan_to_num(x, nan=0.0)

    def total(values):
        return np.bincount(codes, weights=values, minlength=n_groups)

    out = _dsr_core(
        total(x), total(n), total(x * w / n), total(x * (w / n) ** 2), float(weights.sum()),
        multiplier, levels,
    )
    return pd.concat([keys.reset_index(drop=True), out], axis=1)
