"""What the growth model says: its odds ratios in plain words, a place's firms scored with the factors
that raise or lower their chance, and observed against expected high growth by group.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm

from diagnostics.sections.growth.features import REFERENCE_SECTION
from diagnostics.sections.growth.model import GrowthModel
from diagnostics.sections.growth.register import Register
from diagnostics.sections.growth.sectors import section_name
from diagnostics.stats import count_ci

__all__ = ["odds_ratio_table", "score_firms", "observed_expected"]


def odds_ratio_table(model: GrowthModel, confidence: float = 0.95) -> pd.DataFrame:
    """The model's odds ratios with Wald intervals, each said in plain words.

    Returns
    -------
    DataFrame
        term, group (age, size, recent growth, sector, deprivation, density), odds_ratio, lower,
        upper, p_value, words (e.g. "Firms in Information and communication have 2.4 times the odds
        of high growth of firms in Wholesale and retail, other things equal").
    """
    names = model.fit["names"]
    beta = np.asarray(model.fit["params"])
    se = np.sqrt(np.diag(np.asarray(model.fit["cov"])))
    z = norm.ppf(0.5 + confidence / 2)
    rows = []
    for name, b, s in zip(names, beta, se):
        if name == "intercept":
            continue
        group, _, detail = name.partition(": ")
        scale = 1.0
        if name.startswith("recent growth: log"):
            scale = math.log(1.1)  # per 10% more employees than a year before
        odds, lower, upper = (math.exp(scale * v) for v in (b, b - z * s, b + z * s))
        p = float(2 * norm.sf(abs(b / s))) if s > 0 else float("nan")
        rows.append({"term": name, "group": group, "odds_ratio": odds, "lower": lower, "upper": upper, "p_value": p,
                     "words": _in_words(name, detail, odds, model)})
    return pd.DataFrame(rows)


def _times(odds: float) -> str:
    if odds >= 1:
        return f"{odds:.2f} times the odds"
    return f"{odds:.2f} times the odds (that is, {100 * (1 - odds):.0f}% lower odds)"


def _in_words(name: str, detail: str, odds: float, model: GrowthModel) -> str:
    if name.startswith("age: "):
        return f"Firms aged {detail} have {_times(odds)} of high growth of firms aged 20 years or more."
    if name.startswith("size: "):
        return f"Each doubling of employees at the start gives {_times(odds)} of high growth."
    if name.startswith("recent growth: log"):
        return f"Having 10% more employees than a year before gives {_times(odds)} of high growth."
    if name.startswith("recent growth: no"):
        return f"Firms with no record a year earlier (new to the register) have {_times(odds)} of those with one."
    if name.startswith("sector: "):
        return (f"Firms in {section_name(detail)} have {_times(odds)} of high growth of firms in "
                f"{section_name(REFERENCE_SECTION)}.")
    if name.startswith("deprivation"):
        sd = model.scaling["deprivation_sd"]
        return (f"A location one standard deviation more deprived ({sd:.1f} points of the deprivation score) "
                f"gives {_times(odds)} of high growth.")
    if name.startswith("density"):
        return f"A location ten times as densely populated gives {_times(odds)} of high growth."
    return name


def _factor_groups(names: list[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name == "intercept":
            continue
        group = name.split(":")[0]
        groups.setdefault(group, []).append(i)
    return groups


def score_firms(model: GrowthModel, windows: pd.DataFrame, register: Register) -> pd.DataFrame:
    """Each window's probability of high growth, and the factors that raise or lower it most.

    A factor's contribution is its terms' :math:`\\beta (x - \\bar x)` on the log-odds scale, against
    the average firm-window the model was fitted on.

    Returns
    -------
    DataFrame
        The rows of ``windows`` with firm_id, name, probability, and factors_up / factors_down
        (the two largest contributions each way, in words, with their log-odds).
    """
    if windows.empty:
        return windows.assign(firm_id=[], name=[], probability=[], factors_up=[], factors_down=[])
    usable = windows.copy()
    X = model.design(usable)
    beta = np.asarray(model.fit["params"])
    usable["probability"] = expit(X @ beta)
    contrib = (X - np.asarray(model.means)) * beta
    groups = _factor_groups(model.fit["names"])
    labels = list(groups)
    by_group = np.column_stack([contrib[:, idx].sum(axis=1) for idx in groups.values()])
    words_up, words_down = [], []
    for row, values in zip(usable.itertuples(index=False), by_group):
        order = np.argsort(-values)
        up = [f"{_describe(labels[k], row)} ({values[k]:+.2f})" for k in order[:2] if values[k] > 0.05]
        down = [f"{_describe(labels[k], row)} ({values[k]:+.2f})" for k in order[::-1][:2] if values[k] < -0.05]
        words_up.append("; ".join(up) or "none stands out")
        words_down.append("; ".join(down) or "none stands out")
    usable["factors_up"] = words_up
    usable["factors_down"] = words_down
    chosen = register.firms.iloc[usable["firm"].to_numpy()]
    usable.insert(0, "firm_id", chosen["firm_id"].to_numpy())
    usable.insert(1, "name", chosen["name"].to_numpy())
    return usable


def _describe(group: str, row) -> str:
    if group == "age":
        return f"age {row.age:.0f} years"
    if group == "size":
        return f"{row.employment:.0f} employees"
    if group == "recent growth":
        if row.no_previous_year:
            return "new to the register"
        return f"employees {100 * (math.exp(row.recent_growth) - 1):+.0f}% on a year before"
    if group == "sector":
        return f"sector: {section_name(row.section)}"
    if group == "deprivation":
        return f"deprivation score {row.deprivation:.1f} where it is"
    if group == "density":
        return f"{10 ** row.log10_density:,.0f} residents per km² where it is"
    return group


def observed_expected(windows: pd.DataFrame, probability: np.ndarray, by: pd.Series | np.ndarray,
                      confidence: float = 0.95) -> pd.DataFrame:
    """Observed against expected high-growth windows by group, with an interval on the ratio.

    Parameters
    ----------
    windows : DataFrame
        Rows of :func:`~diagnostics.sections.growth.features.firm_windows` with a known outcome.
    probability : array of float
        The model's probability for each row.
    by : array-like
        The group of each row (a sector, a neighbourhood).

    Returns
    -------
    DataFrame
        group, windows, observed, expected, ratio (observed / expected), lower, upper (Byar's
        interval on the observed count, divided by the expected), sorted by ratio.

    Notes
    -----
    As an indirectly standardised ratio: the expected count is the sum of the model's
    probabilities, treated as fixed, and the observed count as Poisson.
    """
    frame = pd.DataFrame({"group": np.asarray(by, dtype=object), "observed": windows["outcome"].to_numpy(float),
                          "expected": np.asarray(probability, float)})
    table = frame.groupby("group").agg(windows=("observed", "size"), observed=("observed", "sum"),
                                       expected=("expected", "sum")).reset_index()
    lower, upper = count_ci(table["observed"].to_numpy(float), confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = table["observed"] / table["expected"]
        table["lower"] = lower / table["expected"].to_numpy()
        table["upper"] = upper / table["expected"].to_numpy()
    return table.sort_values("ratio").reset_index(drop=True)
