"""Public-health statistics, matching OHID Fingertips and PHEindicatormethods (UKHSA).

Every function is vectorised over numpy arrays and pandas Series, validates all its arguments before
computing (raising :class:`~diagnostics.exceptions.InvalidParameter`, a ``ValueError``, worded as
"The 'confidence' parameter of proportion_ci must be a float in (0, 1); got 95."), names its method
in its summary line and cites its reference. Functions that return tables give ``confidence``,
``statistic`` and ``method`` columns, and a ``note`` where a value is withheld.

One module per job:

- ``intervals``: :func:`proportion_ci` (Wilson), :func:`count_ci` and :func:`rate_ci` (Byar, exact
  below 10), :func:`mean_ci` (Student's t);
- ``standardised``: :data:`ESP2013`, :func:`dsr` and :func:`dsr_table` (Dobson);
- ``indirect``: :func:`isr` (indirectly standardised ratio) and :func:`israte` (rate), Byar's limits;
- ``life_table``: :func:`life_expectancy` and :func:`life_expectancy_table` (Chiang II, Silcocks);
- ``quantiles``: :func:`phe_quantile` (PHE's quantiles of areas, by rank), :func:`quantile_groups`
  (population-weighted deprivation groups of small areas);
- ``inequality``: :func:`sii` (slope and relative index of inequality);
- ``funnels``: :func:`funnel_limits`, :func:`funnel_significance` (PHE's Wilson and exact Poisson
  limits, Spiegelhalter's on request); ``funnel_points``: :func:`funnel_points` (rate funnels);
- ``significance``: :func:`compare_to_benchmark` (Fingertips' benchmark rule);
- ``trends``: :func:`trend` (Fingertips' recent trend);
- ``spine``: :func:`spine_statistics` (the range of areas a Fingertips spine chart draws).
"""

from __future__ import annotations

from diagnostics.stats.funnel_points import funnel_points
from diagnostics.stats.funnels import funnel_limits, funnel_significance
from diagnostics.stats.indirect import isr, israte
from diagnostics.stats.inequality import sii
from diagnostics.stats.intervals import count_ci, mean_ci, proportion_ci, rate_ci
from diagnostics.stats.life_table import life_expectancy, life_expectancy_table
from diagnostics.stats.quantiles import phe_quantile, quantile_groups
from diagnostics.stats.significance import compare_to_benchmark
from diagnostics.stats.spine import spine_statistics
from diagnostics.stats.standardised import ESP2013, dsr, dsr_table
from diagnostics.stats.trends import trend

__all__ = [
    "proportion_ci",
    "rate_ci",
    "count_ci",
    "mean_ci",
    "ESP2013",
    "dsr",
    "dsr_table",
    "isr",
    "israte",
    "life_expectancy",
    "life_expectancy_table",
    "phe_quantile",
    "quantile_groups",
    "sii",
    "funnel_limits",
    "funnel_significance",
    "funnel_points",
    "compare_to_benchmark",
    "trend",
    "spine_statistics",
]
