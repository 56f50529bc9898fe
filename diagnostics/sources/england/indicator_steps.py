"""The indicator steps of an England import: the publishers' ready-made figures, population totals
from IoD2019's small-area denominators, and MHCLG's deprivation summaries for every area made of
whole districts.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.sources.england.context import HIERARCHY_LAYERS, ImportContext, england_catalogue
from diagnostics.sources.england.indicator_rows import population_indicators, ready_made_indicators
from diagnostics.store.deprivation import (
    area_summaries,
    profile_catalogue,
    profile_indicators,
    ranks_among_published_districts,
    small_area_rank_indicators,
)

__all__ = ["read_ready_made_indicators", "count_population", "summarise_deprivation", "IOD_SMALL_AREA_SOURCE"]

#: The source of each small area's IMD rank and decile, as imported.
IOD_SMALL_AREA_SOURCE = "MHCLG English Indices of Deprivation 2019, File 1/7"


def read_ready_made_indicators(ctx: ImportContext) -> None:
    """Explore Local Statistics and Fingertips figures, mapped onto the catalogue and current codes."""
    rows, used_ids, publishers = ready_made_indicators(ctx.datasets, ctx.report, england_catalogue(), ctx.changes, ctx.area_codes)
    ctx.indicators += rows
    ctx.used_ids |= used_ids
    ctx.publishers |= publishers


def count_population(ctx: ImportContext) -> None:
    """Population totals and broad age shares of every area, from IoD2019 File 6 (mid-2015)."""
    if ctx.small_area_population is not None and not ctx.small_areas.empty:
        rows = population_indicators(ctx.small_area_population, ctx.lookups, ctx.small_areas)
        ctx.indicators.append(rows)
        ctx.used_ids |= set(rows["indicator_id"])


def summarise_deprivation(ctx: ImportContext) -> None:
    """MHCLG's local-authority summaries of IoD2019 for every area made of whole districts, and each
    small area's national IMD rank (for the map of a place's small areas by decile)."""
    measures, population = ctx.deprivation_measures, ctx.small_area_population
    if measures.empty:
        ctx.leave_out("Deprivation profile: no IoD2019 small-area ranks or scores file (File 1, 2, 5 or 7) was given.")
        return
    ranks, rank_catalogue = small_area_rank_indicators(measures)
    if not ranks.empty:  # the map of a place's small areas by national decile
        ctx.indicators.append(ranks.assign(source=IOD_SMALL_AREA_SOURCE, vintage="IoD2019 (LSOA 2011)"))
        ctx.catalogue_rows.append(rank_catalogue.assign(source=IOD_SMALL_AREA_SOURCE, vintage="IoD2019"))
    if population is None:
        ctx.leave_out("Deprivation profile: IoD2019 File 6 (population denominators) is needed to weight the summaries.")
        return
    weights = population.set_index("small_area_code")[["total", "working_age", "aged_0_15", "aged_60_plus"]]
    summarised = (*HIERARCHY_LAYERS, "ward")  # wards: their best-fit LSOAs, summarised the same way
    membership = ctx.lookups.loc[ctx.lookups["layer"].isin(summarised), ["small_area_code", "layer", "area_code"]]
    n_national = int(measures.loc[measures["measure"] == "rank", "value"].max()) if (measures["measure"] == "rank").any() else None
    summaries = area_summaries(measures, weights, membership, n_national)
    districts = ctx.areas.loc[ctx.areas["layer"] == "district", "code"]
    summaries = pd.concat([summaries, ranks_among_published_districts(measures, weights, districts, n_national)], ignore_index=True)
    rows = profile_indicators(summaries)
    rows["source"] = "MHCLG English Indices of Deprivation 2019 (summaries computed by place-diagnostics)"
    rows["vintage"] = ("IoD2019 (LSOA 2011, mid-2015 population weights: working-age for employment, 0-15 for IDACI, "
                       "60+ for IDAOPI, total for the rest); areas on current codes")
    ctx.indicators.append(rows)
    catalogue = profile_catalogue(measures=list(summaries["measure"].unique()))
    catalogue = catalogue.loc[catalogue["indicator_id"].isin(rows["indicator_id"])]
    catalogue = catalogue.assign(source="MHCLG English Indices of Deprivation 2019", vintage="IoD2019")
    ctx.catalogue_rows.append(catalogue)
    if (measures["measure"] == "score").any():  # the synthetic country's headline id, same definition
        ctx.indicators.append(rows.loc[rows["indicator_id"] == "deprivation_imd_average_score"].assign(indicator_id="deprivation_score"))
        ctx.catalogue_rows.append(catalogue.loc[catalogue["indicator_id"] == "deprivation_imd_average_score"].assign(
            indicator_id="deprivation_score", name="Deprivation score (IMD average score)", short_name="Deprivation"))
    else:
        ctx.leave_out("Deprivation average scores (and the headline 'deprivation score'): IoD2019 File 5/7 (scores) was not given; average ranks and the share in the most deprived 10% are shown instead.")
