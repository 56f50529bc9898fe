"""Growth potential: a logistic model of the odds that a firm becomes high-growth over the next window.

Fitted once on the whole country's register with statsmodels, tested on a held-out later period,
cached per (store version, parameters) in this process and on disk, then used to rank a place's
firms and to compare what its firms achieved with what the model expected.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import PerfectSeparationError

from diagnostics.cache import DiskFormat, cached, per_store
from diagnostics.exceptions import DiagnosticsError, InvalidParameter
from diagnostics.sections.growth.analysis import (
    OECD_EUROSTAT,
    UNKNOWN_SECTION,
    GrowthDefinition,
    Register,
    high_growth,
    rows_years_ahead,
)

__all__ = [
    "MODEL_VERSION",
    "AGE_BANDS",
    "location_features",
    "firm_windows",
    "store_windows",
    "design_matrix",
    "fit_logit",
    "GrowthModel",
    "growth_model",
    "auc",
    "odds_ratio_table",
    "score_firms",
    "observed_expected",
]

#: Changes whenever the model's terms or data change, so older cached models are not reused.
MODEL_VERSION = 2
#: The fewest high-growth (and other) training windows the model is fitted on.
MIN_EVENTS = 20
#: Age bands at the start of the window (years since founded); the last is the reference.
AGE_BANDS = (("under 3 years", 0, 3), ("3-5 years", 3, 6), ("6-9 years", 6, 10), ("10-19 years", 10, 20),
             ("20 years or more", 20, 10_000))
_REFERENCE_SECTION = "G"
_SECTION_NAMES = {
    "A": "Agriculture, forestry and fishing", "B": "Mining and quarrying", "C": "Manufacturing",
    "D": "Energy supply", "E": "Water and waste", "F": "Construction", "G": "Wholesale and retail",
    "H": "Transport and storage", "I": "Accommodation and food", "J": "Information and communication",
    "K": "Finance and insurance", "L": "Real estate", "M": "Professional, scientific and technical",
    "N": "Administrative and support", "O": "Public administration", "P": "Education",
    "Q": "Health and social work", "R": "Arts and recreation", "S": "Other services",
    "T": "Households as employers", "U": "Extraterritorial organisations", UNKNOWN_SECTION: "Unknown sector",
}


def section_name(section: str) -> str:
    """The SIC 2007 section's name for people ("J" -> "Information and communication")."""
    return _SECTION_NAMES.get(section, str(section))


def location_features(store) -> pd.DataFrame:
    """Deprivation and population density of each small area, for the model.

    Returns
    -------
    DataFrame
        Indexed by small_area_code: deprivation (the store's ``deprivation_score``, latest period),
        density (residents per square kilometre: the latest ``population_total``, else the
        ``population`` table's latest year, over the area of the small-area boundary in EPSG:27700;
        NaN without boundaries), log10_density.
    """
    small = store.areas_in_layer("small_area")["code"]
    values = store.indicator_values(["deprivation_score", "population_total"], small)
    values = values.dropna(subset=["value"]).sort_values("year").drop_duplicates(["indicator_id", "area_code"], keep="last")
    dep = values.loc[values["indicator_id"] == "deprivation_score"].set_index("area_code")["value"]
    latest = values.loc[values["indicator_id"] == "population_total"].set_index("area_code")["value"]
    if latest.empty and store.has_table("population"):
        pop = store.population
        latest = pop.loc[pop["year"] == pop["year"].max()].groupby("area_code")["population"].sum()
    try:
        shapes = store.boundaries("small_area").set_index("code")
        km2 = shapes.geometry.area / 1e6
        density = (latest.reindex(km2.index) / km2).where(km2 > 0)
    except InvalidParameter:  # a store without small-area polygons: density unknown (the mean is used)
        density = pd.Series(np.nan, index=small.to_numpy())
    frame = pd.DataFrame({"deprivation": dep.reindex(small.to_numpy()), "density": density.reindex(small.to_numpy())})
    frame["log10_density"] = np.log10(frame["density"].clip(lower=1.0))
    frame.index.name = "small_area_code"
    return frame


def firm_windows(register: Register, locations: pd.DataFrame, definition: GrowthDefinition = OECD_EUROSTAT) -> pd.DataFrame:
    """One row per firm and start year in which it had at least ``min_employees`` employees.

    Returns
    -------
    DataFrame
        firm, start_year, employment (persons at the start), recent_growth (log of employment
        over the year before; 0 with ``no_previous_year`` when there is no record a year earlier),
        no_previous_year (bool), age (years at the start), section, small_area_code, deprivation,
        log10_density, outcome (1.0 when high-growth by employment over the next ``window`` years,
        0.0 when not, NaN when the window ends after the last year of data). Firms with no small
        area or no year founded are left out (see the register's quality table).
    """
    panel = register.panel
    employment = panel["employment"].to_numpy(float)
    start = np.flatnonzero(employment >= definition.min_employees)
    firm = panel["firm"].to_numpy(np.int64)[start]
    year = panel["year"].to_numpy(np.int64)[start]
    ahead = rows_years_ahead(panel, definition.window, start)
    before = rows_years_ahead(panel, -1, start)
    e0 = employment[start]
    e1 = np.where(ahead >= 0, employment[np.maximum(ahead, 0)], np.nan)
    prev = np.where(before >= 0, employment[np.maximum(before, 0)], np.nan)
    last = register.years[-1] if register.years else 0
    outcome = np.where(year + definition.window <= last, high_growth(e0, e1, definition).astype(float), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        recent = np.log(e0 / prev)
    no_prev = ~np.isfinite(recent)
    recent = np.clip(np.where(no_prev, 0.0, recent), -2.0, 2.0)
    firms = register.firms
    founded = firms["founded"].to_numpy(float)[firm]
    area = pd.Categorical(firms["small_area_code"])
    area_code = area.codes.astype(np.int64)[firm]
    keep = ~np.isnan(founded) & (area_code >= 0)
    loc = locations.reindex(area.categories)
    where = area_code[keep]
    section = firms["section"].astype("category")
    return pd.DataFrame({
        "firm": firm[keep],
        "start_year": year[keep],
        "employment": e0[keep],
        "recent_growth": recent[keep],
        "no_previous_year": no_prev[keep],
        "age": np.maximum(year[keep] - founded[keep], 0),
        "section": pd.Categorical.from_codes(section.cat.codes.to_numpy()[firm[keep]], categories=section.cat.categories),
        "small_area_code": pd.Categorical.from_codes(where, categories=area.categories),
        "deprivation": loc["deprivation"].to_numpy(float)[where],
        "log10_density": loc["log10_density"].to_numpy(float)[where],
        "outcome": outcome[keep],
    })


def store_windows(store, definition: GrowthDefinition = OECD_EUROSTAT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`location_features` and :func:`firm_windows` of a store's whole register, once per
    store version and definition (like :func:`diagnostics.sections.growth.analysis.store_growth`)."""
    from diagnostics.sections.growth.analysis import store_growth

    def compute():
        register, _, _ = store_growth(store, definition)
        locations = location_features(store)
        return locations, firm_windows(register, locations, definition)

    return cached(per_store(store, "growth.windows", definition), compute)


@dataclass(frozen=True)
class _Scaling:
    deprivation_mean: float
    deprivation_sd: float
    density_mean: float


def design_matrix(windows: pd.DataFrame, sections: list[str], scaling: _Scaling) -> tuple[np.ndarray, list[str]]:
    """The model's design matrix: intercept, age bands, log2 size, recent growth, sectors, location.

    Deprivation is in standard deviations from the country's mean; density in log10 units (a tenfold
    difference); missing location values take the country's mean.
    """
    n = len(windows)
    age = windows["age"].to_numpy(float)
    columns = [np.ones(n)]
    names = ["intercept"]
    for label, lo, hi in AGE_BANDS[:-1]:
        columns.append(((age >= lo) & (age < hi)).astype(float))
        names.append(f"age: {label}")
    columns.append(np.log2(windows["employment"].to_numpy(float) / 10.0))
    names.append("size: log2 employees")
    columns.append(windows["recent_growth"].to_numpy(float))
    names.append("recent growth: log employment change over the last year")
    columns.append(windows["no_previous_year"].to_numpy(float))
    names.append("recent growth: no record a year earlier")
    section = pd.Categorical(windows["section"])
    codes, categories = section.codes, list(section.categories)
    for s in sections:
        if s != _REFERENCE_SECTION:
            columns.append((codes == categories.index(s)).astype(float) if s in categories else np.zeros(n))
            names.append(f"sector: {s}")
    dep = windows["deprivation"].to_numpy(float)
    columns.append(np.nan_to_num((dep - scaling.deprivation_mean) / scaling.deprivation_sd, nan=0.0))
    names.append("deprivation: per standard deviation")
    dens = windows["log10_density"].to_numpy(float)
    columns.append(np.nan_to_num(dens - scaling.density_mean, nan=0.0))
    names.append("density: per tenfold")
    return np.column_stack(columns), names


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve by the Mann-Whitney rank statistic (ties count one half).

    Examples
    --------
    >>> auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    from scipy.stats import rankdata

    y = np.asarray(y, float)
    positives = y.sum()
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def fit_logit(y: np.ndarray, X: np.ndarray, names: list[str]) -> dict:
    """Fit a logistic regression with statsmodels (Newton-Raphson) and keep what later use needs.

    Returns
    -------
    dict
        names, params, cov (the coefficients' covariance matrix, as lists), converged,
        llf, llnull, n.
    """
    import statsmodels.api as sm

    mean = float(np.mean(y))
    start = np.zeros(X.shape[1])
    if names and names[0] == "intercept" and 0 < mean < 1:
        start[0] = math.log(mean / (1 - mean))  # the null model's answer: saves Newton steps
    # check_rank=False: the rank check is a QR of the whole design (slow on millions of rows); the
    # design has no constant or duplicated column by construction (sectors without firms are left out)
    result = sm.Logit(y, X, check_rank=False).fit(method="newton", disp=0, maxiter=60, start_params=start)
    events = float(np.sum(y))
    # the intercept-only log-likelihood in closed form (statsmodels' llnull refits a model on all rows)
    llnull = events * math.log(mean) + (len(y) - events) * math.log(1 - mean) if 0 < mean < 1 else 0.0
    return {
        "names": list(names),
        "params": np.asarray(result.params, float).tolist(),
        "cov": np.asarray(result.cov_params(), float).tolist(),
        "converged": bool(result.mle_retvals.get("converged", False)),
        "llf": float(result.llf),
        "llnull": float(llnull),
        "n": int(len(y)),
    }


@dataclass
class GrowthModel:
    """A fitted model of the odds of high growth over the next window (see :func:`growth_model`).

    Attributes
    ----------
    fit : dict
        From :func:`fit_logit`.
    sections : list of str
        The sectors in the model (``G``, wholesale and retail, is the reference).
    scaling : dict
        deprivation_mean, deprivation_sd, density_mean (of the training rows).
    columns : list of int
        The columns of :func:`design_matrix` in the model (factors constant in the training rows are
        left out).
    means : list of float
        Mean of each design column over the training rows (the "average firm" for factors).
    train_years, test_year : list of int, int
        Start years of the windows fitted and of the held-out windows.
    train_auc, test_auc : float
        Area under the ROC curve in the training windows and in the held-out later windows.
    n_train, events_train, n_test, events_test : int
    definition : tuple
        The growth definition's key.
    store_version : str
    seconds : float
        Time taken to fit.
    """

    fit: dict
    sections: list
    scaling: dict
    columns: list
    means: list
    train_years: list
    test_year: int
    train_auc: float
    test_auc: float
    n_train: int
    events_train: int
    n_test: int
    events_test: int
    definition: tuple
    store_version: str
    seconds: float

    def design(self, windows: pd.DataFrame) -> np.ndarray:
        X, _ = design_matrix(windows, self.sections, _Scaling(**self.scaling))
        return X[:, self.columns]

    def predict(self, windows: pd.DataFrame) -> np.ndarray:
        """Probability of high growth over the next window for each row of :func:`firm_windows`."""
        from scipy.special import expit

        return expit(self.design(windows) @ np.asarray(self.fit["params"]))

    def to_json(self) -> str:
        return json.dumps(self.__dict__, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> "GrowthModel":
        return cls(**json.loads(text))


#: The fitted model on disk: a later process (a batch worker, the app) reads it instead of fitting.
MODEL_FILE = DiskFormat(".json", GrowthModel.to_json, GrowthModel.from_json)


def _train(windows: pd.DataFrame, definition: GrowthDefinition, store_version: str) -> GrowthModel:
    started = time.perf_counter()
    known = windows.loc[windows["outcome"].notna()]
    years = sorted(known["start_year"].unique())
    first = int(windows["start_year"].min()) if len(windows) else 0
    # the first year has no "year before" for anyone; the last year with a known outcome is held out
    train_years = [y for y in years if y > first][:-1] or years[:-1]
    if not train_years or len(years) < 2:
        raise InvalidParameter(
            f"The firm register covers too few years to fit and test the model: outcomes over "
            f"{definition.window} years are known for start years {years}; at least two are needed.")
    test_year = int(years[-1])
    train = known.loc[known["start_year"].isin(train_years)]
    test = known.loc[known["start_year"] == test_year]
    by_section = train.groupby("section", observed=True)["outcome"].agg(["size", "sum"])
    sections = sorted(str(s) for s, r in by_section.iterrows() if r["size"] >= 50 and r["sum"] >= 1)
    if _REFERENCE_SECTION not in sections:
        sections = sorted(set(sections) | {_REFERENCE_SECTION})
    train = train.loc[train["section"].isin(sections)]
    events = int(train["outcome"].sum())
    if events < MIN_EVENTS or len(train) - events < MIN_EVENTS:
        raise DiagnosticsError(
            f"The firm register has too few firm-windows to fit the growth model: {events} high-growth and "
            f"{len(train) - events} other windows starting {train_years[0]}-{train_years[-1]}; at least "
            f"{MIN_EVENTS} of each are needed. A larger register (more firms or more years) is needed.")
    dep = train["deprivation"].to_numpy(float)
    dens = train["log10_density"].to_numpy(float)
    scaling = _Scaling(float(np.nanmean(dep)) if np.isfinite(dep).any() else 0.0,
                       float(np.nanstd(dep)) if np.isfinite(dep).sum() > 1 and np.nanstd(dep) > 0 else 1.0,
                       float(np.nanmean(dens)) if np.isfinite(dens).any() else 0.0)
    X, names = design_matrix(train, sections, scaling)
    # a factor with one value in the training rows (no firm under 3 years old...) cannot be estimated
    columns = [0] + [j for j in range(1, X.shape[1]) if X[:, j].min() < X[:, j].max()]
    X, names = X[:, columns], [names[j] for j in columns]
    y = train["outcome"].to_numpy(float)
    try:
        fit = fit_logit(y, X, names)
    except (np.linalg.LinAlgError, PerfectSeparationError) as err:
        raise DiagnosticsError(
            f"The growth model cannot be estimated on this register ({err}): some factor predicts the outcome "
            "perfectly or is constant. A larger register is needed.") from err
    beta = np.asarray(fit["params"])
    from scipy.special import expit

    train_auc = auc(y, expit(X @ beta))
    test = test.loc[test["section"].isin(sections)]
    X_test = design_matrix(test, sections, scaling)[0][:, columns]
    test_auc = auc(test["outcome"].to_numpy(float), expit(X_test @ beta))
    return GrowthModel(
        fit=fit, sections=sections, scaling=scaling.__dict__, columns=columns, means=X.mean(axis=0).tolist(),
        train_years=[int(v) for v in train_years], test_year=test_year, train_auc=train_auc, test_auc=test_auc,
        n_train=int(len(y)), events_train=int(y.sum()), n_test=int(len(test)), events_test=int(test["outcome"].sum()),
        definition=list(definition.key), store_version=store_version, seconds=time.perf_counter() - started,
    )


def growth_model(store, definition: GrowthDefinition = OECD_EUROSTAT, *, windows: pd.DataFrame | None = None) -> GrowthModel:
    """The model for a store, fitted on the whole country once per (store version, definition).

    Looked up in this process first, then on disk (:data:`MODEL_FILE`, under
    :func:`diagnostics.resources.cache_dir`, written atomically), and fitted only when neither has it.

    Parameters
    ----------
    store : Store
    definition : GrowthDefinition, default OECD_EUROSTAT
    windows : DataFrame, optional
        :func:`firm_windows` of the store, when the caller has it already.

    Returns
    -------
    GrowthModel

    Notes
    -----
    The outcome is high growth by employment over the ``window`` years after a start year, for
    firms with at least ``min_employees`` employees then. The model is

    .. math:: \\operatorname{logit} P(\\text{high growth}) = \\beta_0 + \\beta_{age} + \\beta_1 \\log_2(E/10)
              + \\beta_2 \\log(E/E_{-1}) + \\beta_3 [\\text{no } E_{-1}] + \\beta_{sector}
              + \\beta_4 z_{deprivation} + \\beta_5 \\log_{10}(\\text{density})

    fitted by maximum likelihood on every window starting from the second year of data up to the
    year before the last window with a known outcome; that last window is held out, so the test
    AUC measures prediction of a later period the model never saw. No year effects are included:
    the model has to predict years it has not seen.
    """
    def fit() -> GrowthModel:
        rows = windows if windows is not None else store_windows(store, definition)[1]
        return _train(rows, definition, store.version)

    return cached(per_store(store, "growth_model", MODEL_VERSION, definition.key, disk=MODEL_FILE), fit)


def odds_ratio_table(model: GrowthModel, confidence: float = 0.95) -> pd.DataFrame:
    """The model's odds ratios with Wald intervals, each said in plain words.

    Returns
    -------
    DataFrame
        term, group (age, size, recent growth, sector, deprivation, density), odds_ratio, lower,
        upper, p_value, words (e.g. "Firms in Information and communication have 2.4 times the odds
        of high growth of firms in Wholesale and retail, other things equal").
    """
    from scipy.stats import norm

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
                f"{section_name(_REFERENCE_SECTION)}.")
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
    from scipy.special import expit

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
        Rows of :func:`firm_windows` with a known outcome.
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
    from diagnostics.stats import count_ci

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
