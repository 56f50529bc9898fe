"""The OECD-Eurostat classification of growth firms: the definition's parameters, the growth rule,
and every firm-window of a register classified as high-growth (by employment, by turnover), gazelle
and scale-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.register import Register, rows_years_ahead

__all__ = ["GrowthDefinition", "OECD_EUROSTAT", "high_growth", "classify"]

#: Growth within this relative distance of the threshold counts as exactly the threshold (not high
#: growth): 125 -> 216 employees is exactly 20% a year, though 216/125 > 1.2**3 in floating point.
_RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class GrowthDefinition:
    """The parameters of the OECD-Eurostat high-growth definition.

    Attributes
    ----------
    threshold : float, default 0.20
        Average annualised growth a firm must *exceed* over the window (0.20 = 20% a year; exactly
        the threshold is not high growth). The EU's 2014 statistical definition uses 0.10.
    window : int, default 3
        Length of the growth period in years (growth from year ``t - window`` to ``t``).
    min_employees : float, default 10
        Employees a firm must have at the start of the window (10 in the OECD-Eurostat manual;
        ONS also publishes variants, for example with 250+ employees for large firms).
    gazelle_max_age : int, default 5
        A gazelle is high-growth (by employment) and at most this many years old at the end of the
        window (age = end year - year founded).

    Examples
    --------
    >>> GrowthDefinition().label
    'more than 20% a year over 3 years, 10+ employees at the start'
    """

    threshold: float = 0.20
    window: int = 3
    min_employees: float = 10
    gazelle_max_age: int = 5

    def __post_init__(self):
        checks = (
            ("threshold", self.threshold, isinstance(self.threshold, (int, float)) and not isinstance(self.threshold, bool)
             and math.isfinite(self.threshold) and self.threshold > 0, "a positive fraction (0.2 = 20% a year)"),
            ("window", self.window, isinstance(self.window, (int, np.integer)) and not isinstance(self.window, bool)
             and 1 <= self.window <= 10, "an integer number of years from 1 to 10"),
            ("min_employees", self.min_employees, isinstance(self.min_employees, (int, float))
             and not isinstance(self.min_employees, bool) and self.min_employees >= 1, "a number of employees of at least 1"),
            ("gazelle_max_age", self.gazelle_max_age, isinstance(self.gazelle_max_age, (int, np.integer))
             and not isinstance(self.gazelle_max_age, bool) and self.gazelle_max_age >= 0, "a non-negative integer of years"),
        )
        for name, value, ok, allowed in checks:
            if not ok:
                raise InvalidParameter(f"The {name!r} parameter of GrowthDefinition must be {allowed}; got {value!r}.")

    @property
    def label(self) -> str:
        """The definition in words, for captions and notices."""
        return (f"more than {self.threshold:.0%} a year over {self.window} years, "
                f"{self.min_employees:g}+ employees at the start")

    @property
    def key(self) -> tuple:
        """The parameters as plain numbers (a cache key, and the fitted model's record of its definition)."""
        return (float(self.threshold), int(self.window), float(self.min_employees), int(self.gazelle_max_age))


#: The OECD-Eurostat definition (Eurostat-OECD Manual on Business Demography Statistics, 2007).
OECD_EUROSTAT = GrowthDefinition()


def high_growth(start, end, definition: GrowthDefinition = OECD_EUROSTAT) -> np.ndarray:
    """Whether growth from ``start`` to ``end`` over the window is high growth (above the threshold).

    Only the growth rule: the minimum size at the start is checked by the caller. Missing or zero
    values are never high growth; growth within a relative 1e-9 of the threshold counts as exactly
    the threshold, which is not high growth.

    Examples
    --------
    >>> high_growth([125, 125], [216, 217]).tolist()   # 216/125 = 1.2**3: exactly 20% a year
    [False, True]
    """
    start, end = np.asarray(start, float), np.asarray(end, float)
    limit = (1 + definition.threshold) ** definition.window * (1 + _RELATIVE_TOLERANCE)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(start > 0, end / start, np.nan)
    return np.nan_to_num(ratio, nan=0.0) > limit


def classify(register: Register, definition: GrowthDefinition = OECD_EUROSTAT) -> pd.DataFrame:
    """Classify every growth window of every firm by the OECD-Eurostat definitions.

    Parameters
    ----------
    register : Register
        From :func:`~diagnostics.sections.growth.register.prepare_register`.
    definition : GrowthDefinition, default OECD_EUROSTAT
        Threshold, window, minimum size and gazelle age.

    Returns
    -------
    DataFrame
        One row per firm and window end year ``t`` for which the firm had at least
        ``min_employees`` employees in year ``t - window`` (the firms *eligible* for the window):
        firm (number in ``register.firms``), start_year, end_year, start_employment,
        end_employment (NaN when the firm has no valid record in ``t``: closed, or a gap),
        employment_growth and turnover_growth (average annualised growth, a fraction; NaN when not
        measurable), high_growth_employment, high_growth_turnover, gazelle, scaleup (bool), age
        (years at the end of the window, NaN when the year founded is unknown).

    Notes
    -----
    Average annualised growth over :math:`w` years from :math:`E_{t-w}` to :math:`E_t` is
    :math:`g = (E_t / E_{t-w})^{1/w} - 1`. A firm is *high-growth* by employment when
    :math:`E_{t-w} \\ge m` and :math:`g > \\tau` (strictly: exactly :math:`\\tau` is not high growth);
    by turnover when :math:`E_{t-w} \\ge m` and turnover grew by more than :math:`\\tau` a year.
    A *gazelle* is high-growth by employment and at most ``gazelle_max_age`` years old in year
    :math:`t`. A *scale-up* follows the ScaleUp Institute's and OECD's wording: high-growth by
    employment **or** by turnover.

    References
    ----------
    Eurostat-OECD. Eurostat-OECD Manual on Business Demography Statistics. Luxembourg: Office for
    Official Publications of the European Communities; 2007. doi:10.1787/9789264041882-en

    ScaleUp Institute. ScaleUp Annual Review; see also Coutu S. The Scale-Up Report on UK Economic
    Growth. 2014.
    """
    if not isinstance(definition, GrowthDefinition):
        raise InvalidParameter(
            f"The 'definition' parameter of classify must be a GrowthDefinition; got {type(definition).__name__}.")
    panel = register.panel
    w = definition.window
    employment = panel["employment"].to_numpy(float)
    turnover = panel["turnover"].to_numpy(float)
    start = np.flatnonzero(employment >= definition.min_employees)
    end = rows_years_ahead(panel, w, start)
    has_end = end >= 0
    last_year = register.years[-1] if register.years else 0
    start_year = panel["year"].to_numpy(np.int64)[start]
    keep = start_year + w <= last_year
    start, end, has_end, start_year = start[keep], end[keep], has_end[keep], start_year[keep]
    e0 = employment[start]
    e1 = np.where(has_end, employment[np.maximum(end, 0)], np.nan)
    t0 = turnover[start]
    t1 = np.where(has_end, turnover[np.maximum(end, 0)], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        emp_ratio = e1 / e0
        turn_ratio = np.where(t0 > 0, t1 / t0, np.nan)
        emp_growth = np.where(emp_ratio >= 0, emp_ratio ** (1 / w) - 1, np.nan)
        turn_growth = np.where(turn_ratio >= 0, turn_ratio ** (1 / w) - 1, np.nan)
    hg_emp = high_growth(e0, e1, definition)
    hg_turn = high_growth(t0, t1, definition)
    firm = panel["firm"].to_numpy(np.int64)[start]
    founded = register.firms["founded"].to_numpy(float)[firm]
    age = start_year + w - founded
    gazelle = hg_emp & (age <= definition.gazelle_max_age) & (age >= 0)
    return pd.DataFrame({
        "firm": firm,
        "start_year": start_year,
        "end_year": start_year + w,
        "start_employment": e0,
        "end_employment": e1,
        "employment_growth": emp_growth,
        "turnover_growth": turn_growth,
        "high_growth_employment": hg_emp,
        "high_growth_turnover": hg_turn,
        "gazelle": gazelle,
        "scaleup": hg_emp | hg_turn,
        "age": age,
    })
