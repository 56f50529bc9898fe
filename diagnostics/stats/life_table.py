"""Life expectancy from an abridged life table: Chiang's method II with Silcocks' variance (phe_life_expectancy)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy  # scipy.stats and scipy.special load on first use (scipy's lazy submodules)

from diagnostics.conventions import AGE_BANDS
from diagnostics.exceptions import InvalidParameter
from diagnostics.stats._tables import check_columns, confidence_column, group_codes, limit_columns
from diagnostics.stats._validation import (
    as_array,
    as_counts,
    check_confidence_levels,
    check_same_shape,
    show,
)

__all__ = ["life_expectancy", "life_expectancy_table"]

METHOD = "Chiang, using Silcocks et al for confidence limits"
#: PHE's minimum total population (person-years, all bands) for a life table: 5 000 (Toson & Baker).
MIN_POPULATION = 5_000
_Z95 = 1.959963984540054

_NOTES = {
    1: "not calculated: a band has a population of 0",
    2: "not calculated: a band is missing",
    3: "not calculated: deaths exceed population in a band",
    4: f"not calculated: total population <= {MIN_POPULATION:,}",
    5: "not calculated: no deaths in the final (open) band",
    6: "value suppressed: 95% confidence interval wider than 20 years",
    7: "not calculated: a band has negative deaths",
}


def _band_starts(age_bands, function: str) -> np.ndarray:
    starts = []
    for i, band in enumerate(age_bands):
        match = re.match(r"\D*(\d+)", str(band))
        if match is None:
            raise InvalidParameter(
                f"The 'age_bands' parameter of {function} must be band labels or start ages that begin "
                f"with a number; got {band!r} at position {i}."
            )
        starts.append(int(match.group(1)))
    starts = np.asarray(starts, dtype=float)
    if len(starts) < 2 or starts[0] != 0 or np.any(np.diff(starts) <= 0):
        raise InvalidParameter(
            f"The 'age_bands' parameter of {function} must start at age 0 and ascend, with at least two "
            f"bands; got {list(age_bands)!r}."
        )
    return starts


def _life_table(deaths: np.ndarray, population: np.ndarray, starts: np.ndarray, z: float):
    """Chiang II life table over the rows of two (groups, bands) arrays; returns e, se and codes."""
    D, P = deaths, population
    groups, k = D.shape
    width = np.diff(starts)
    a = np.where(starts == 0, 0.1, 0.5)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        M = D / P
        n = np.empty_like(M)
        n[:, :-1] = width
        n[:, -1] = 2 / M[:, -1]
        q = np.where(D <= P / n / a, M * n / (1 + M * n * (1 - a)), 1.0)
        p = 1 - q
        l = np.empty_like(M)
        l[:, 0] = 1e5
        l[:, 1:] = 1e5 * np.cumprod(p[:, :-1], axis=1)
        d = l - np.concatenate([l[:, 1:], np.zeros((groups, 1))], axis=1)
        L = np.empty_like(M)
        L[:, :-1] = n[:, :-1] * (l[:, 1:] + a[:-1] * d[:, :-1])
        L[:, -1] = l[:, -1] / M[:, -1]
        T = np.cumsum(L[:, ::-1], axis=1)[:, ::-1]
        e = np.where(l == 0, 0.0, T / l)
        sp = np.where(d == 0, 0.0, q**2 * (1 - q) / D)
        sp[:, -1] = 4 / (D[:, -1] * M[:, -1] ** 2)
        W = np.empty_like(M)
        W[:, :-1] = sp[:, :-1] * l[:, :-1] ** 2 * ((1 - a[:-1]) * n[:, :-1] + e[:, 1:]) ** 2
        W[:, -1] = (l[:, -1] / 2) ** 2 * sp[:, -1]
        ST = np.cumsum(W[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(ST / l**2)
    return e, se


def _compute(D: np.ndarray, P: np.ndarray, starts: np.ndarray, levels, band_missing=None):
    """Values, limits (one pair per level) and notes for (groups, bands) arrays, with PHE's suppression rules."""
    groups = D.shape[0]
    missing = np.isnan(D).any(axis=1) | np.isnan(P).any(axis=1)
    if band_missing is not None:
        missing |= band_missing
    reason = np.zeros(groups, dtype=np.int8)
    # PHE's order of checks (the first that applies wins): negative deaths, population <= 0,
    # incomplete bands, deaths > population, total <= 5 000.
    for code, bad in (
        (4, np.nansum(P, axis=1) <= MIN_POPULATION),
        (3, (D > P).any(axis=1)),
        (2, missing),
        (1, (P <= 0).any(axis=1)),
        (7, (D < 0).any(axis=1)),
    ):
        reason = np.where(bad, code, reason)
    e, se = _life_table(np.clip(np.nan_to_num(D), 0, None), np.where(np.isnan(P), 1.0, P), starts, _Z95)
    row_reason = np.repeat(reason[:, None], D.shape[1], axis=1)
    no_final_deaths = (np.nan_to_num(D[:, -1]) == 0)[:, None] & (row_reason == 0)
    row_reason = np.where(no_final_deaths, 5, row_reason)
    value = np.where(np.isinf(e), np.nan, e)
    wide = (_Z95 * se > 10) & (row_reason == 0)
    row_reason = np.where(wide, 6, row_reason)
    value = np.where(row_reason > 0, np.nan, value)
    blank = (row_reason > 0) & (row_reason != 6)
    limits = []
    for level in levels:
        z = float(scipy.stats.norm.ppf(0.5 + level / 2))
        with np.errstate(invalid="ignore"):
            limits.append((np.where(blank, np.nan, e - z * se), np.where(blank, np.nan, e + z * se)))
    se = np.where(blank, np.nan, se)
    notes = np.array([None, *(_NOTES[i] for i in range(1, 8))], dtype=object)[row_reason]
    pops_used = np.cumsum(P[:, ::-1], axis=1)[:, ::-1]
    deaths_used = np.cumsum(D[:, ::-1], axis=1)[:, ::-1]
    return value, limits, se, notes, pops_used, deaths_used


def _frame(labels, starts, groups, value, limits, se, notes, pops_used, deaths_used, levels):
    k = len(labels)
    columns = {
        "age_band": np.tile(np.asarray(labels, dtype=object), groups),
        "start_age": np.tile(starts.astype(int), groups),
        "value": value.ravel(),
    }
    for (_, lower_name, upper_name), (lower, upper) in zip(limit_columns(levels), limits):
        columns[lower_name] = lower.ravel()
        columns[upper_name] = upper.ravel()
    columns.update({
        "standard_error": se.ravel(),
        "population_used": pops_used.ravel(),
        "deaths_used": deaths_used.ravel(),
        "confidence": confidence_column(levels),
        "statistic": np.tile(np.array([f"life expectancy at {int(s)}" for s in starts], dtype=object), groups),
        "method": METHOD,
        "note": notes.ravel(),
    })
    return pd.DataFrame(columns, index=pd.RangeIndex(groups * k))


def _le_ages(le_age, labels, starts, function: str):
    """The start ages asked for by ``le_age`` (all when None), as a boolean mask over the bands."""
    if le_age is None:
        return np.ones(len(starts), dtype=bool)
    wanted = [le_age] if isinstance(le_age, (str, int, float, np.integer, np.floating)) else list(le_age)
    mask = np.zeros(len(starts), dtype=bool)
    for age in wanted:
        hit = [i for i, (label, start) in enumerate(zip(labels, starts))
               if str(age) == str(label) or (not isinstance(age, str) and age == start)]
        if not hit:
            raise InvalidParameter(
                f"The 'le_age' parameter of {function} must be start ages or labels of 'age_bands' "
                f"({', '.join(map(str, labels))}); got {age!r}."
            )
        mask[hit] = True
    return mask


def life_expectancy(deaths, population, age_bands: Sequence = AGE_BANDS, confidence=0.95,
                    le_age=None) -> pd.DataFrame:
    """Life expectancy at each band's start age: Chiang's method II with Silcocks' variance (phe_life_expectancy).

    Parameters
    ----------
    deaths : array-like of float, shape (..., k)
        Deaths in each of the ``k`` age bands (last axis) over the period; a 2-D array gives one
        life table per row. A missing (NaN) or negative count leaves that table uncalculated, with
        a note saying why, as ``phe_life_expectancy`` does.
    population : array-like of float, shape (..., k)
        Person-years at risk in each band over the period (the sum of the mid-year populations of
        the period's years), same shape as ``deaths``.
    age_bands : sequence of str or int, default :data:`diagnostics.store.schema.AGE_BANDS`
        Band labels or start ages, ascending from 0; the last band is open (90+). Start ages are
        read from the leading digits of each label, as ``phe_life_expectancy`` does.
    confidence : float or sequence of float, default 0.95
        A level in (0, 1) or a percentage in [50, 100); several (``[0.95, 0.998]``) give a pair
        of limit columns each, named as PHE (``lower95_0cl``, ``upper95_0cl``...).
    le_age : int, str or sequence of them, optional
        PHE's ``le_age``: the start ages (``0``, ``65``) or band labels (``"65-69"``) whose life
        expectancy is wanted; all bands when omitted.

    Returns
    -------
    DataFrame
        One row per table and band (``k`` rows for 1-D input; row ``g * k + i`` is table ``g``,
        band ``i``; with ``le_age``, only the bands asked for, in the same order):
        ``age_band``, ``start_age`` (years), ``value`` (life expectancy at the band's start,
        years), ``lower_ci``, ``upper_ci`` (or one pair per level), ``standard_error`` (years),
        ``population_used`` and ``deaths_used`` (from that age up), ``confidence`` (the level,
        or "95%, 99.8%"), ``statistic`` ("life expectancy at 0"...), ``method`` and ``note``
        (why a value is missing, else None).

    Raises
    ------
    InvalidParameter (a ValueError)
        A negative population, shapes that differ or do not match ``age_bands``, bands that do
        not start at 0 and ascend, a confidence out of range, or an ``le_age`` that is not one of
        the bands (``phe_life_expectancy`` warns and returns every band instead).

    Notes
    -----
    For band :math:`i` starting at :math:`x_i` with width :math:`n_i`, deaths :math:`D_i`,
    person-years :math:`P_i`, :math:`M_i = D_i/P_i` and the fraction of the interval lived by
    those who die :math:`a_i` (0.1 for age 0, 0.5 otherwise):

    .. math::
        q_i = \\frac{n_i M_i}{1 + (1 - a_i) n_i M_i} \\;(1 \\text{ if } D_i > P_i/(n_i a_i)),\\quad
        l_0 = 100\\,000,\\; l_{i+1} = l_i (1 - q_i),\\; d_i = l_i - l_{i+1}

        L_i = n_i (l_{i+1} + a_i d_i), \\quad L_\\omega = l_\\omega / M_\\omega, \\quad
        e_i = \\frac{\\sum_{j \\ge i} L_j}{l_i}

    Variance (Chiang, with Silcocks' term for the open band :math:`\\omega`):

    .. math::
        S^2_{p_i} = \\frac{q_i^2 (1 - q_i)}{D_i}, \\quad S^2_{p_\\omega} = \\frac{4}{D_\\omega M_\\omega^2},
        \\quad \\operatorname{Var}(e_i) = \\frac{1}{l_i^2}\\Big[\\sum_{i \\le j < \\omega}
        l_j^2 \\big((1 - a_j) n_j + e_{j+1}\\big)^2 S^2_{p_j} + \\big(\\tfrac{l_\\omega}{2}\\big)^2
        S^2_{p_\\omega}\\Big]

    and the limits are :math:`e_i \\pm z\\sqrt{\\operatorname{Var}(e_i)}`.

    PHE's rules, followed here (each gives NaN and a ``note``, never an error): no table when a
    band has negative deaths, a band's population is 0, a band is missing (NaN deaths or
    population, or no row), deaths exceed the population in a band,
    or the total population is 5 000 or less (``phe_life_expectancy`` tests ``<= 5000``); no
    values when the open band has no deaths (its :math:`L_\\omega` is infinite; zero deaths in any
    other band are fine); and the value (not its limits) is suppressed where the 95% interval is
    wider than 20 years (:math:`1.96\\,SE > 10`), whatever ``confidence`` is.

    References
    ----------
    Chiang CL. The life table and its construction. In: Introduction to stochastic processes in
    biostatistics. New York: Wiley; 1968:189-214.

    Silcocks PBS, Jenner DA, Reza R. Life expectancy as a summary of mortality in a population:
    statistical considerations and suitability for use by health authorities. J Epidemiol
    Community Health 2001;55:38-43. doi:10.1136/jech.55.1.38

    Eayres DP, Williams ES. Evaluation of methodologies for small area life expectancy
    estimation. J Epidemiol Community Health 2004;58:243-249. doi:10.1136/jech.2003.009654

    Examples
    --------
    The worked example of ``phe_life_expectancy`` (PHE's Life Expectancy Calculator gives 80.1696
    (79.8827 to 80.4565) at birth):

    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
    ...         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...           1605, 1936, 1937]
    >>> le = life_expectancy(deaths, pops)
    >>> le.loc[0, ["value", "lower_ci", "upper_ci"]].astype(float).round(4).tolist()
    [80.1696, 79.8827, 80.4565]
    """
    function = "life_expectancy"
    levels = check_confidence_levels(confidence, function)
    D = as_array(deaths, "deaths", function)
    P = as_counts(population, "population", function)
    check_same_shape(D, P, ("deaths", "population"), function)
    starts = _band_starts(age_bands, function)
    if D.ndim == 0 or D.shape[-1] != len(starts):
        raise InvalidParameter(
            f"The 'deaths' parameter of {function} must have one count per age band ({len(starts)}) "
            f"on its last axis; got shape {D.shape}."
        )
    wanted = _le_ages(le_age, list(age_bands), starts, function)
    D2, P2 = D.reshape(-1, len(starts)), P.reshape(-1, len(starts))
    results = _compute(D2, P2, starts, levels)
    out = _frame(list(age_bands), starts, D2.shape[0], *results, levels)
    return out.loc[np.tile(wanted, D2.shape[0])].reset_index(drop=True)


def life_expectancy_table(
    data: pd.DataFrame,
    by: Sequence[str],
    *,
    age_band: str = "age_band",
    deaths: str = "deaths",
    population: str = "population",
    age_bands: Sequence[str] = AGE_BANDS,
    confidence=0.95,
    le_age=None,
) -> pd.DataFrame:
    """Life expectancy (Chiang II, Silcocks' variance) for every group of a long table, vectorised.

    Parameters
    ----------
    data : DataFrame
        One row per group and age band: the ``by`` columns, ``age_band``, ``deaths`` and
        ``population`` (person-years over the period).
    by : sequence of str
        Columns that identify one life table, such as ``["area_code", "period", "sex"]``.
    age_band, deaths, population : str
        Names of the band, deaths and population columns.
    age_bands : sequence of str, default :data:`diagnostics.store.schema.AGE_BANDS`
        The band labels, in age order; every label in ``data[age_band]`` must be one of them.
    confidence : float or sequence of float, default 0.95
        As :func:`life_expectancy`.
    le_age : int, str or sequence of them, optional
        As :func:`life_expectancy`: only these bands' rows are returned.

    Returns
    -------
    DataFrame
        One row per group and band, sorted by group then age: the ``by`` columns then the columns
        of :func:`life_expectancy`. A group that lacks a band gets NaN values and the note
        "not calculated: a band is missing".

    Raises
    ------
    InvalidParameter (a ValueError)
        A missing column, an unknown band label, a band repeated in a group, a negative
        population, a confidence out of range, or an ``le_age`` that is not one of the bands.
        Negative or missing deaths are not errors: that group's values are NaN with a note.

    Notes
    -----
    The formulae and PHE's rules are those of :func:`life_expectancy`; the table is reshaped to
    a (groups, bands) array once and every life table is computed together.

    References
    ----------
    Chiang CL. Introduction to stochastic processes in biostatistics. New York: Wiley; 1968.

    Silcocks PBS, Jenner DA, Reza R. J Epidemiol Community Health 2001;55:38-43.
    doi:10.1136/jech.55.1.38

    Examples
    --------
    >>> df = pd.DataFrame({"area": "A", "age_band": list(AGE_BANDS),
    ...     "population": [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    ...                    50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936],
    ...     "deaths": [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...                1605, 1936, 1937]})
    >>> out = life_expectancy_table(df, ["area"])
    >>> round(float(out.loc[0, "value"]), 4), out.loc[0, "statistic"]
    (80.1696, 'life expectancy at 0')
    """
    function = "life_expectancy_table"
    by = [by] if isinstance(by, str) else list(by)
    check_columns(data, [*by, age_band, deaths, population], function)
    levels = check_confidence_levels(confidence, function)
    starts = _band_starts(age_bands, function)
    wanted = _le_ages(le_age, list(age_bands), starts, function)
    k = len(starts)
    d = as_array(data[deaths], deaths, function)
    p = as_counts(data[population], population, function)
    band_index = {str(b): i for i, b in enumerate(age_bands)}
    band = data[age_band].astype(str).map(band_index).fillna(-1).to_numpy(dtype=np.int64)
    unknown = np.flatnonzero(band < 0)
    if unknown.size:
        i = int(unknown[0])
        raise InvalidParameter(
            f"The '{age_band}' column of {function}'s data must hold labels of 'age_bands' "
            f"({', '.join(map(str, age_bands))}); got {show(data[age_band].iloc[i])} at position {i}."
        )
    codes, keys = group_codes(data, by)
    groups = len(keys)
    cell = codes * k + band
    seen = np.bincount(cell, minlength=groups * k)
    if (seen > 1).any():
        g = int(np.flatnonzero(seen > 1)[0] // k)
        raise InvalidParameter(
            f"The 'data' parameter of {function} must hold each age band once per group; group "
            f"{keys.iloc[g].to_dict()} repeats one."
        )
    D = np.full(groups * k, np.nan)
    P = np.full(groups * k, np.nan)
    D[cell] = d
    P[cell] = p
    D, P = D.reshape(groups, k), P.reshape(groups, k)
    band_missing = (seen.reshape(groups, k) == 0).any(axis=1)
    results = _compute(D, P, starts, levels, band_missing)
    out = _frame(list(age_bands), starts, groups, *results, levels)
    key_rows = keys.loc[np.repeat(np.arange(groups), k)].reset_index(drop=True)
    return pd.concat([key_rows, out], axis=1).loc[np.tile(wanted, groups)].reset_index(drop=True)
