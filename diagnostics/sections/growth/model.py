"""Growth potential: a logistic model of the odds that a firm becomes high-growth over the next window.

Fitted once on the whole country's register with statsmodels, tested on a held-out later period,
cached per (store version, parameters) in this process and on disk. Its rows and terms are
:mod:`~diagnostics.sections.growth.features`; what it says about a place's firms (odds ratios in
words, firms' scores, observed against expected) is :mod:`~diagnostics.sections.growth.scoring`.
"""

from __future__ import annotations

import json
import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import rankdata
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from diagnostics.cache import DiskFormat, cached, per_store
from diagnostics.exceptions import DiagnosticsError, InvalidParameter
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition
from diagnostics.sections.growth.features import REFERENCE_SECTION, Scaling, design_matrix, store_windows

__all__ = [
    "MODEL_VERSION",
    "MIN_EVENTS",
    "auc",
    "fit_logit",
    "GrowthModel",
    "train_model",
    "MODEL_FILE",
    "growth_model",
]

#: Changes whenever the model's terms or data change, so older cached models are not reused.
MODEL_VERSION = 2
#: The fewest high-growth (and other) training windows the model is fitted on.
MIN_EVENTS = 20


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve by the Mann-Whitney rank statistic (ties count one half).

    Examples
    --------
    >>> auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
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

    Raises
    ------
    PerfectSeparationWarning
        Raised, not warned, when the design separates the outcomes perfectly: the estimates would
        run off to infinity. statsmodels 0.14 and later only warn (and return those estimates).
    numpy.linalg.LinAlgError
        When the design's information matrix is singular.
    """
    import statsmodels.api as sm  # heavy (~1.5 s): loaded only when a model is fitted

    mean = float(np.mean(y))
    start = np.zeros(X.shape[1])
    if names and names[0] == "intercept" and 0 < mean < 1:
        start[0] = math.log(mean / (1 - mean))  # the null model's answer: saves Newton steps
    # check_rank=False: the rank check is a QR of the whole design (slow on millions of rows); the
    # design has no constant or duplicated column by construction (sectors without firms are left out)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
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


@dataclass(frozen=True)
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
        The columns of :func:`~diagnostics.sections.growth.features.design_matrix` in the model (factors constant in the training rows are
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

    @property
    def window(self) -> int:
        """The growth window in years, from :attr:`definition`."""
        return int(self.definition[1])

    def design(self, windows: pd.DataFrame) -> np.ndarray:
        """The model's columns of the design matrix of ``windows`` (scaled as the training rows were)."""
        X, _ = design_matrix(windows, self.sections, Scaling(**self.scaling))
        return X[:, self.columns]

    def predict(self, windows: pd.DataFrame) -> np.ndarray:
        """Probability of high growth over the next window for each row of
        :func:`~diagnostics.sections.growth.features.firm_windows`."""
        return expit(self.design(windows) @ np.asarray(self.fit["params"]))

    def to_json(self) -> str:
        """The model as JSON (:data:`MODEL_FILE`'s format)."""
        return json.dumps(self.__dict__, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> GrowthModel:
        """The model :meth:`to_json` wrote."""
        return cls(**json.loads(text))


#: The fitted model on disk: a later process (a batch worker, the app) reads it instead of fitting.
MODEL_FILE = DiskFormat(".json", GrowthModel.to_json, GrowthModel.from_json)


def train_model(windows: pd.DataFrame, definition: GrowthDefinition, store_version: str) -> GrowthModel:
    """Fit the model on a register's firm-windows and test it on the last start year with a known outcome.

    :func:`growth_model` keeps its answer; call this directly only to time or study a fit.

    Parameters
    ----------
    windows : DataFrame
        :func:`~diagnostics.sections.growth.features.firm_windows` of the whole register.
    definition : GrowthDefinition
        The definition the outcomes were classified by (recorded in the model).
    store_version : str
        Recorded in the model.

    Raises
    ------
    InvalidParameter
        When fewer than two start years have a known outcome (nothing to fit and test on).
    DiagnosticsError
        When the training windows hold fewer than :data:`MIN_EVENTS` high-growth or other windows,
        or the model cannot be estimated (a factor predicts the outcome perfectly).
    """
    started = time.perf_counter()
    known = windows.loc[windows["outcome"].notna()]
    years = sorted(int(y) for y in known["start_year"].unique())
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
    if REFERENCE_SECTION not in sections:
        sections = sorted(set(sections) | {REFERENCE_SECTION})
    train = train.loc[train["section"].isin(sections)]
    events = int(train["outcome"].sum())
    if events < MIN_EVENTS or len(train) - events < MIN_EVENTS:
        raise DiagnosticsError(
            f"The firm register has too few firm-windows to fit the growth model: {events} high-growth and "
            f"{len(train) - events} other windows starting {train_years[0]}-{train_years[-1]}; at least "
            f"{MIN_EVENTS} of each are needed. A larger register (more firms or more years) is needed.")
    dep = train["deprivation"].to_numpy(float)
    dens = train["log10_density"].to_numpy(float)
    scaling = Scaling(float(np.nanmean(dep)) if np.isfinite(dep).any() else 0.0,
                       float(np.nanstd(dep)) if np.isfinite(dep).sum() > 1 and np.nanstd(dep) > 0 else 1.0,
                       float(np.nanmean(dens)) if np.isfinite(dens).any() else 0.0)
    X, names = design_matrix(train, sections, scaling)
    # a factor with one value in the training rows (no firm under 3 years old...) cannot be estimated
    columns = [0] + [j for j in range(1, X.shape[1]) if X[:, j].min() < X[:, j].max()]
    X, names = X[:, columns], [names[j] for j in columns]
    y = train["outcome"].to_numpy(float)
    try:
        fit = fit_logit(y, X, names)
    except (np.linalg.LinAlgError, PerfectSeparationWarning) as err:
        raise DiagnosticsError(
            f"The growth model cannot be estimated on this register ({err}): some factor predicts the outcome "
            "perfectly or is constant. A larger register is needed.") from err
    beta = np.asarray(fit["params"])
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
        :func:`~diagnostics.sections.growth.features.firm_windows` of the store, when the caller has it already.

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
        return train_model(rows, definition, store.version)

    return cached(per_store(store, "growth_model", MODEL_VERSION, definition.key, disk=MODEL_FILE), fit)

