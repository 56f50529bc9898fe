"""Growth firms as benchmark-table rows: the section's headline measures (for the summary's cards and
the page), the published growth figures a store may hold without a firm register, and the context
indicators (skills, productivity, survival) the page compares.

Each is a table with the columns of :data:`diagnostics.compare.benchmark.BENCHMARK_COLUMNS`, built by
the one row builder (:func:`~diagnostics.compare.benchmark.benchmark_row`) or the session's
:meth:`~diagnostics.sections.session.Session.benchmarks`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_session
from diagnostics.compare.benchmark import BENCHMARK_COLUMNS, benchmark_row
from diagnostics.sections.growth.analysis import GrowthPage, growth_page, register_problem, register_source
from diagnostics.sections.session import Session
from diagnostics.stats import trend

__all__ = [
    "HeadlineMeasure",
    "HEADLINE_MEASURES",
    "PUBLISHED_INDICATORS",
    "CONTEXT_INDICATORS",
    "headline",
    "published_growth",
    "published_shown",
    "context_benchmarks",
]

#: Published growth figures a store may hold without a firm register, shown against region, country
#: and comparators when the firm-level analysis cannot run; the first the place has leads the charts.
#: Real England: the high-growth share computed at import from ONS Business Demography's counts, with
#: Wilson intervals (``high_growth_enterprises_pct``), then ONS's ready-made share without intervals.
PUBLISHED_INDICATORS = ("high_growth_enterprises_pct", "high_growth_share")
#: The indicators of skills, productivity and business survival compared in "what holds them back".
CONTEXT_INDICATORS = ("qualifications_level3_plus", "gva_per_job", "business_survival_3yr")


@dataclass(frozen=True)
class HeadlineMeasure:
    """One of the section's headline measures: which rate of which measure, and its names.

    Attributes
    ----------
    indicator_id : str
        Its id in the benchmark table.
    measure : str
        A key of :data:`~diagnostics.sections.growth.rates.MEASURES`.
    column : str
        The rate of :func:`~diagnostics.sections.growth.rates.growth_rates` shown (per_10k_10plus or
        per_10k_businesses).
    name, unit : str
        For people.
    """

    indicator_id: str
    measure: str
    column: str
    name: str
    unit: str

    @property
    def denominator(self) -> str:
        """The column of :func:`~diagnostics.sections.growth.rates.growth_rates` the rate divides by."""
        return "businesses_10plus" if self.column == "per_10k_10plus" else "businesses"


#: The section's headline measures, in order.
HEADLINE_MEASURES = (
    HeadlineMeasure("high_growth_rate", "high_growth_employment", "per_10k_10plus",
                    "High-growth firms per 10,000 firms with 10+ employees", "per 10,000 firms with 10+ employees"),
    HeadlineMeasure("scaleup_rate", "scaleup", "per_10k_businesses", "Scale-ups per 10,000 businesses",
                    "per 10,000 businesses"),
)


def published_growth(dx: Session) -> pd.DataFrame:
    """The store's ready-made growth indicators (:data:`PUBLISHED_INDICATORS`) as a benchmark table.

    Only indicators the store's catalogue knows are included (empty when none): each row is the
    place's latest published value against its region, country and comparators, with the
    publisher's interval where there is one, source and period
    (:func:`diagnostics.compare.benchmark.benchmark_table`).
    """

    def compute():
        ids = [i for i in PUBLISHED_INDICATORS if i in dx.store.catalogue.index]
        if not ids:
            return pd.DataFrame(columns=BENCHMARK_COLUMNS)
        return dx.benchmarks(ids)

    return cached(per_session(dx, "growth.published"), compute)


def published_shown(dx: Session) -> pd.DataFrame:
    """The rows of :func:`published_growth` that have a value for the place (status "ok")."""
    table = published_growth(dx)
    return table.loc[table["status"] == "ok"] if not table.empty else table


def context_benchmarks(dx: Session) -> pd.DataFrame:
    """The place's skills, productivity and business survival (:data:`CONTEXT_INDICATORS`) against
    its region, country and comparators."""
    return dx.benchmarks(CONTEXT_INDICATORS)


def headline(dx: Session) -> pd.DataFrame:
    """The section's headline measures as benchmark-table rows (columns of ``BENCHMARK_COLUMNS``).

    The high-growth rate (by employment, per 10,000 active firms with 10+ employees) and the
    scale-up rate (per 10,000 businesses) in the latest window, with Wilson intervals, against the
    region, the country and the comparators, ranked among all areas of the place's layer, with
    Fingertips' comparison and recent trend. Without a firm register, the store's ready-made growth
    indicators (:func:`published_growth`: ONS's high-growth share on real England) when it has
    them; otherwise each row's status says there is no register.
    """
    if register_problem(dx):
        published = published_growth(dx)
        if not published.empty:
            return published
        return pd.DataFrame.from_records(
            [{"indicator_id": m.indicator_id, "name": m.name, "unit": m.unit, "polarity": "higher_is_better",
              "decimals": 0, "status": "not available: the store has no firm register"} for m in HEADLINE_MEASURES],
            columns=BENCHMARK_COLUMNS)
    page = growth_page(dx)
    records = [_headline_row(dx, page, measure) for measure in HEADLINE_MEASURES]
    return pd.DataFrame.from_records(records, columns=BENCHMARK_COLUMNS)


def _headline_row(dx: Session, page: GrowthPage, measure: HeadlineMeasure) -> dict:
    """One measure's benchmark row: the place in the latest window against its peers, with its trend."""
    rates, peers, latest, column = page.rates, page.peer_rates, page.latest, measure.column
    base = {"indicator_id": measure.indicator_id, "name": measure.name, "unit": measure.unit,
            "polarity": "higher_is_better", "decimals": 0}
    rows = rates.loc[(rates["measure"] == measure.measure)]
    now = rows.loc[rows["year"] == latest].set_index("area_code")
    if dx.place.code not in now.index or not np.isfinite(now.loc[dx.place.code, column]):
        return {**base, "status": "not available: no active firms with 10+ employees in the place"}
    own = now.loc[dx.place.code]
    peer_now = peers.loc[(peers["measure"] == measure.measure) & (peers["year"] == latest)].set_index("area_code")[column].dropna()
    history = rows.loc[rows["area_code"] == dx.place.code].tail(5)
    try:
        trend_label = trend(history[column].to_numpy(float), history["year"].to_numpy(), history["count"].to_numpy(float),
                            history[measure.denominator].to_numpy(float), "higher_is_better", kind="proportion")["label"]
    except ValueError:
        trend_label = "cannot be calculated"
    mine = {"period": page.period(), "value": own[column], "lower_ci": own[f"{column}_lower"],
            "upper_ci": own[f"{column}_upper"]}
    return benchmark_row(
        base, dx.place.code, mine, now[column], peer_now, region=dx.region_code, country=dx.country_code,
        comparators=dx.comparator_codes, trend=trend_label, source=register_source(dx.store),
    )
