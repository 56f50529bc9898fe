"""What the summary shows, chosen from what the store holds: its headline indicators and its cards.

- :func:`headline_indicator_ids` and :func:`headline_benchmarks`: the dozen-odd indicators of the
  headline table against region, country and comparators;
- :func:`card_indicator_ids` and :func:`card_measures`: the measures shown as cards, the catalogue's
  then each section's first headline measures.

The strengths and challenges across every section are :mod:`diagnostics.sections.summary.findings`.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.compare.benchmark import NEIGHBOUR_EQUIVALENTS
from diagnostics.sections.economy.indicators import ECONOMY_INDICATORS, HEADLINE_ORDER, economy_indicator_ids
from diagnostics.sections.session import Session
from diagnostics.sections.summary.findings import all_measures, section_headlines

__all__ = [
    "SUMMARY_LEAVES_OUT",
    "HEADLINE_INDICATORS",
    "CARD_INDICATORS",
    "CARDS_PER_SECTION",
    "PRODUCTIVITY_MEASURES",
    "headline_indicator_ids",
    "headline_benchmarks",
    "rows_against_country",
    "card_indicator_ids",
    "card_measures",
]

#: Economy headline measures the summary leaves to the economy section (neutral: neither high nor
#: low is better, so they cannot be a strength or a challenge).
SUMMARY_LEAVES_OUT: tuple[str, ...] = ("business_birth_rate", "business_death_rate")

#: The dozen-odd indicators of the summary's headline table, in the order shown: the economy block
#: is the economy section's own headline list (less :data:`SUMMARY_LEAVES_OUT`).
HEADLINE_INDICATORS: tuple[str, ...] = (
    "population_total",
    *(i for i in ECONOMY_INDICATORS if i not in SUMMARY_LEAVES_OUT),
    "deprivation_score",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
    "smoking_prevalence",
    "obesity_prevalence",
    "emergency_admissions",
)

#: The catalogue indicators shown as cards, in order: size, productivity, jobs and health. Each
#: available section adds the first two measures of its own headline table after these.
CARD_INDICATORS: tuple[str, ...] = (
    "population_total",
    "gva_per_job",
    "employment_rate",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
)
#: How many of each section's headline measures become cards.
CARDS_PER_SECTION = 2
#: The productivity card's measure: the first of these the store holds (GVA per filled job, else
#: per hour worked, else GDP or GVA per head); a store of real England publishes the first three.
PRODUCTIVITY_MEASURES: tuple[str, ...] = ("gva_per_job", "gva_per_hour", "gdp_per_head", "gva_per_head")


def headline_indicator_ids(store) -> tuple[str, ...]:
    """The summary's headline indicators on this store, in page order.

    :data:`HEADLINE_INDICATORS`, taken from what the store holds:

    - the economy's measures are the economy section's own headline list on this store
      (:func:`diagnostics.sections.economy.indicators.economy_indicator_ids`, ordered by
      :data:`diagnostics.sections.economy.indicators.HEADLINE_ORDER`), less :data:`SUMMARY_LEAVES_OUT`:
      GVA per head and per job on the synthetic store; GDP per head, GVA per hour, GVA per job,
      household income... on real England;
    - any other indicator the store does not hold is replaced by its first stand-in that it does
      hold (:data:`diagnostics.compare.benchmark.NEIGHBOUR_EQUIVALENTS`: the deprivation score by the IMD
      average score or average rank of MHCLG's district summaries), else kept if the catalogue
      knows it (its row then says it is not available), else left out.

    On the synthetic store this is :data:`HEADLINE_INDICATORS` exactly.
    """
    held = store.indicator_ids
    known = set(store.catalogue.index)
    ids: list[str] = []
    for indicator_id in HEADLINE_INDICATORS:
        if indicator_id in HEADLINE_ORDER:  # the economy block, once, where its first measure stands
            if not any(i in HEADLINE_ORDER for i in ids):
                ids += [i for i in economy_indicator_ids(store) if i not in SUMMARY_LEAVES_OUT]
            continue
        options = (indicator_id, *NEIGHBOUR_EQUIVALENTS.get(indicator_id, ()))
        found = next((i for i in options if i in held), None)
        if found is None and indicator_id in known:
            found = indicator_id
        if found is not None and found not in ids:
            ids.append(found)
    return tuple(ids)


def headline_benchmarks(dx: Session) -> pd.DataFrame:
    """The headline indicators (:func:`headline_indicator_ids`) against region, country and
    comparators (a benchmark table; each row computed once per place however many views ask)."""
    return dx.benchmarks(headline_indicator_ids(dx.store))


def rows_against_country(dx: Session, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a benchmark table that can be shown as the place's % difference from the country.

    Those with a value and a national value, less counts (the population has no meaningful %
    difference from the whole country) and ranks (the deprivation profile's average rank: the
    country's is the middle rank by construction). Empty for the country itself.
    """
    kinds = table["indicator_id"].map(dx.store.catalogue["value_type"])
    ranks = table["unit"].astype(str).str.startswith("rank")
    return table.loc[(table["status"] == "ok") & (kinds != "count") & ~ranks & table["country_value"].notna()]


def card_indicator_ids(store) -> tuple[str, ...]:
    """:data:`CARD_INDICATORS` on this store: the productivity card becomes the first of
    :data:`PRODUCTIVITY_MEASURES` the store holds (``gva_per_job`` on the synthetic store)."""
    held = store.indicator_ids
    productivity = next((i for i in PRODUCTIVITY_MEASURES if i in held), PRODUCTIVITY_MEASURES[0])
    return tuple(productivity if i == "gva_per_job" else i for i in CARD_INDICATORS)


def card_measures(dx: Session) -> pd.DataFrame:
    """The measures shown as cards: :func:`card_indicator_ids`, then each section's first headline measures.

    A catalogue card the store has no value for keeps its row (its status says why); a section's
    measure becomes a card only when it has a value.

    Returns
    -------
    DataFrame
        Rows of :func:`diagnostics.sections.summary.findings.all_measures`, in card order.
    """
    measures = all_measures(dx)
    chosen = [measures.loc[measures["indicator_id"] == i] for i in card_indicator_ids(dx.store)]
    chosen = [c for c in chosen if not c.empty]
    taken = {i for c in chosen for i in c["indicator_id"]}
    for table in section_headlines(dx).tables.values():
        rows = table.loc[(table["status"] == "ok") & ~table["indicator_id"].isin(taken)].head(CARDS_PER_SECTION)
        taken |= set(rows["indicator_id"])
        chosen.append(measures.loc[measures["indicator_id"].isin(rows["indicator_id"])])
    if not chosen:
        return measures.iloc[0:0]
    return pd.concat(chosen, ignore_index=True)
