"""Growth potential as a session's place sees it: the national model and the place's firm-windows it
scores (:func:`place_model`, a :class:`ModelResult` holding the model or why there is none), the
place's firms most likely to grow next, and observed against expected high growth.

Analysis only, like :mod:`~diagnostics.sections.growth.analysis` (whose results it builds on).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_session
from diagnostics.exceptions import DiagnosticsError
from diagnostics.sections.growth.analysis import definition_of, growth_page, neighbourhood_layer
from diagnostics.sections.growth.features import store_windows
from diagnostics.sections.growth.model import GrowthModel, growth_model
from diagnostics.sections.growth.rates import small_area_assignment
from diagnostics.sections.growth.scoring import observed_expected, score_firms
from diagnostics.sections.growth.sectors import section_name
from diagnostics.sections.session import Session

__all__ = ["ModelResult", "place_model", "place_candidates", "ObservedExpected", "place_observed_expected"]


@dataclass(frozen=True, eq=False)
class ModelResult:
    """The national growth model and the place's firm-windows it scores, or why there is no model.

    Attributes
    ----------
    model : GrowthModel or None
        None when the register cannot support a model (then ``problem`` says why).
    windows : DataFrame
        The place's rows of :func:`~diagnostics.sections.growth.features.firm_windows` in the model's
        sectors, with the model's probability of high growth (empty without a model).
    country_deprivation : float
        The mean deprivation score of every firm-window of the country (NaN without a model).
    problem : DiagnosticsError or None
        Why the model could not be fitted (too few years, too few high-growth firms, a factor that
        predicts the outcome perfectly).
    """

    model: GrowthModel | None
    windows: pd.DataFrame
    country_deprivation: float = float("nan")
    problem: DiagnosticsError | None = None


def place_model(dx: Session) -> ModelResult:
    """The national model and the place's scored firm-windows, once per session (the model itself is
    fitted once per store version and definition: :func:`~diagnostics.sections.growth.model.growth_model`)."""

    def compute() -> ModelResult:
        page = growth_page(dx)
        try:
            _, windows = store_windows(dx.store, page.definition)
            model = growth_model(dx.store, page.definition, windows=windows)
        except DiagnosticsError as err:  # kept, so each view says so without refitting
            return ModelResult(None, pd.DataFrame(), problem=err)
        place_windows = windows.loc[page.in_place[windows["firm"].to_numpy()]].reset_index(drop=True)
        place_windows = place_windows.loc[place_windows["section"].isin(model.sections)].reset_index(drop=True)
        place_windows["probability"] = model.predict(place_windows) if len(place_windows) else []
        country = float(windows["deprivation"].mean()) if len(windows) else float("nan")
        return ModelResult(model, place_windows, country)

    return cached(per_session(dx, "growth.model"), compute)


@dataclass(frozen=True, eq=False)
class ObservedExpected:
    """High-growth firm-windows of the place observed against those the model expects.

    Attributes
    ----------
    overall : Series or None
        The place's row of :func:`~diagnostics.sections.growth.scoring.observed_expected` (group,
        windows, observed, expected, ratio, lower, upper); None when no window has a known outcome.
    sector, neighbourhood : DataFrame
        The same by sector ("J Information and communication") and by neighbourhood name.
    years : (int, int) or None
        The first start year and the last end year of the windows.
    """

    overall: pd.Series | None
    sector: pd.DataFrame
    neighbourhood: pd.DataFrame
    years: tuple[int, int] | None


def place_observed_expected(dx: Session) -> ObservedExpected:
    """Observed against expected high growth of the place's firms (with a known outcome), overall,
    by sector and by neighbourhood, once per session. Empty when there is no model."""

    def compute() -> ObservedExpected:
        result = place_model(dx)
        known = result.windows.loc[result.windows["outcome"].notna()] if result.model is not None else pd.DataFrame()
        if known.empty:
            return ObservedExpected(None, pd.DataFrame(), pd.DataFrame(), None)
        hood = known["small_area_code"].map(small_area_assignment(dx.store, neighbourhood_layer(dx))).map(dx.name_of)
        prob = known["probability"].to_numpy()
        overall = observed_expected(known, prob, np.full(len(known), dx.place.name)).iloc[0]
        sector = observed_expected(known, prob, [f"{s} {section_name(s)}" for s in known["section"]])
        neighbourhood = observed_expected(known, prob, hood.fillna("unknown").to_numpy())
        years = (int(known["start_year"].min()), int(known["start_year"].max()) + definition_of(dx).window)
        return ObservedExpected(overall, sector, neighbourhood, years)

    return cached(per_session(dx, "growth.observed_expected"), compute)


def place_candidates(dx: Session, n: int = 20) -> pd.DataFrame:
    """The place's firms not growing now that the model rates most likely to become high-growth next.

    Parameters
    ----------
    n : int, default 20
        How many firms.

    Returns
    -------
    DataFrame
        :func:`~diagnostics.sections.growth.scoring.score_firms` of the place's firm-windows starting
        in the latest year (10+ employees then, outcome not yet known) of firms that are not scale-ups
        in the latest window, most likely first; empty when there are none or there is no model.
    """
    result, page = place_model(dx), growth_page(dx)
    if result.model is None:
        return pd.DataFrame()
    windows = result.windows
    latest = windows.loc[windows["outcome"].isna() & (windows["start_year"] == page.latest)]
    c = page.classified
    now_growing = set(c.loc[(c["end_year"] == page.latest) & c["scaleup"], "firm"])
    candidates = latest.loc[~latest["firm"].isin(now_growing)].sort_values("probability", ascending=False).head(n)
    if candidates.empty:
        return pd.DataFrame()
    return score_firms(result.model, candidates.drop(columns="probability"), page.register)

