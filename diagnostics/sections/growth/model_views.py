"""The growth page's views of the national growth model: what it links to high growth (odds ratios),
how well it predicts a later period, and the place's firms it rates most likely to grow next.

Each view shows :func:`~diagnostics.sections.growth.analysis.place_model`'s model, or, when the
register cannot support one, a notice saying why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.tables import html_table
from diagnostics.sections.growth.analysis import growth_page, register_source
from diagnostics.sections.growth.notices import guarded, unavailable
from diagnostics.sections.growth.place_model import place_candidates, place_model
from diagnostics.sections.growth.scoring import odds_ratio_table
from diagnostics.sections.growth.sectors import section_name
from diagnostics.sections.session import Session

__all__ = ["factor_label", "odds_ratios", "model_performance", "likely_growers"]

#: The model's terms (other than sectors and age bands) as the odds-ratio table names them.
_FACTOR_LABELS = {
    "size: log2 employees": "Size: each doubling of employees",
    "recent growth: log employment change over the last year": "Recent growth: 10% more employees than a year before",
    "recent growth: no record a year earlier": "New to the register (no record a year earlier)",
    "deprivation: per standard deviation": "Deprivation of the location: one standard deviation more",
    "density: per tenfold": "Population density of the location: ten times higher",
}


def factor_label(term: str) -> str:
    """A model term as a row label says it ("sector: J" -> "Sector: Information and communication
    (against Wholesale and retail)")."""
    group, _, detail = term.partition(": ")
    if group == "sector":
        return f"Sector: {section_name(detail)} (against Wholesale and retail)"
    if group == "age":
        return f"Age {detail} (against 20 years or more)"
    return _FACTOR_LABELS.get(term, term)


@guarded
def odds_ratios(dx: Session):
    """What the national model links to high growth: odds ratios with 95% intervals, in plain words."""
    result = place_model(dx)
    if result.problem is not None:
        return unavailable(result.problem)
    model = result.model
    table = odds_ratio_table(model)
    shown = pd.DataFrame({
        "Factor": [factor_label(t) for t in table["term"]],
        "Odds ratio (95% CI)": [f"{o:.2f} ({lo:.2f} to {hi:.2f})" for o, lo, hi in zip(table["odds_ratio"], table["lower"], table["upper"])],
        "In words": [w + (" The interval includes 1: no clear difference." if lo <= 1 <= hi else "")
                     for w, lo, hi in zip(table["words"], table["lower"], table["upper"])],
    })
    caption = (f"Logistic regression (statsmodels, maximum likelihood) of high growth by employment over the next "
               f"{model.window} years, fitted on {model.n_train:,} firm-windows of the whole country "
               f"(start years {model.train_years[0]}-{model.train_years[-1]}; {model.events_train:,} became high-growth). "
               "Each odds ratio holds the other factors equal; Wald 95% intervals.")
    return as_html(synthetic_banner(dx) + html_table(shown, caption)
                   + source_line(register_source(dx.store), f"windows starting {model.train_years[0]}-{model.train_years[-1]}"))


def _discrimination(test_auc: float) -> str:
    """The usual words for an AUC: weak, modest, fair or good discrimination."""
    return "weak" if test_auc < 0.65 else "modest" if test_auc < 0.75 else "fair" if test_auc < 0.85 else "good"


@guarded
def model_performance(dx: Session):
    """How well the model predicts: AUC on a later period it never saw, and calibration there."""
    result = place_model(dx)
    if result.problem is not None:
        return unavailable(result.problem)
    model = result.model
    text = (f"<p>On the held-out windows starting in {model.test_year} (ending {model.test_year + model.window}; "
            f"{model.n_test:,} firms, {model.events_test:,} became high-growth), which the model was not fitted on, "
            f"its area under the ROC curve (AUC) is <strong>{model.test_auc:.3f}</strong>, against {model.train_auc:.3f} "
            f"on the years it was fitted on. An AUC of 0.5 is a coin toss and 1 is perfect: {_discrimination(model.test_auc)} "
            "discrimination. It ranks firms better than chance, but most firms it rates highly will not become high-growth, "
            "and some that it rates low will: use the ranking to choose whom to talk to, not to pick winners.</p>"
            f"<p>Pseudo R² (McFadden): {1 - model.fit['llf'] / model.fit['llnull']:.3f}. "
            f"{'The fit converged.' if model.fit['converged'] else 'The fit did NOT converge: treat the figures with care.'}</p>")
    return as_html(synthetic_banner(dx) + text
                   + source_line(register_source(dx.store), f"held-out windows starting {model.test_year}"))


@guarded
def likely_growers(dx: Session, n: int = 20):
    """The place's firms not yet high-growth that the model rates most likely to become so next."""
    result = place_model(dx)
    if result.problem is not None:
        return unavailable(result.problem)
    page = growth_page(dx)
    scored = place_candidates(dx, n)
    if scored.empty:
        return notice(f"No firm in {dx.place.name} had 10+ employees in {page.latest} outside the current growth firms.",
                      title="Likely growers")
    end = page.latest + page.definition.window
    shown = pd.DataFrame({
        "Rank": np.arange(1, len(scored) + 1),
        "Firm": scored["name"].fillna(scored["firm_id"]),
        "Sector": [section_name(s) for s in scored["section"]],
        "Employees": scored["employment"].round(0).astype(int),
        "Age (years)": scored["age"].round(0).astype(int),
        f"Chance of high growth by {end}": [f"{100 * p:.0f}%" for p in scored["probability"]],
        "Raising it": scored["factors_up"],
        "Lowering it": scored["factors_down"],
    })
    windows = result.windows
    base = float(np.mean(windows.loc[windows["outcome"].notna(), "outcome"])) if len(windows) else float("nan")
    caption = (f"The {len(shown)} firms of {dx.place.name} with 10+ employees in {page.latest} that are not high-growth now "
               f"and that the model rates most likely to be over {page.latest}-{end}. "
               f"For scale: {100 * base:.1f}% of the place's past firm-windows became high-growth. The factors are each "
               "one's contribution to the log-odds against the country's average firm (positive raises the chance).")
    return as_html(synthetic_banner(dx) + html_table(shown, caption)
                   + source_line(register_source(dx.store), f"firms in {page.latest}"))
