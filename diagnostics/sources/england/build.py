"""Assemble a store from a folder of official downloads (``place-diagnostic data import``).

The pipeline reads top to bottom (:data:`STEPS`): recognise every file by its columns, harmonise
district codes to the current set, build the geography (areas, boundaries, best-fit lookups), the
indicators (ready-made and computed) and the official comparators, say what is missing, then write
the store atomically. Each step is one function of an :class:`~diagnostics.sources.england.context.ImportContext`
(a new dataset is one step and one line here). Anything wrong with a file raises
:class:`ImportFailed` naming it, before anything is written, so a previous store is never harmed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.resources import cache_dir
from diagnostics.sources.england.business_steps import count_businesses, count_high_growth_enterprises
from diagnostics.sources.england.comparator_steps import read_official_comparators
from diagnostics.sources.england.context import ImportContext, ImportReport, england_catalogue
from diagnostics.sources.england.deaths_steps import read_deaths
from diagnostics.sources.england.geography_steps import (
    assemble_geography,
    read_codes_and_hierarchy,
    read_district_polygons,
    read_other_polygons,
    read_small_areas,
)
from diagnostics.sources.england.indicator_steps import (
    count_population,
    read_ready_made_indicators,
    summarise_deprivation,
)
from diagnostics.sources.england.nomis_steps import read_bres_employment
from diagnostics.sources.england.population_steps import read_population_estimates
from diagnostics.sources.england.provenance import OGL_STATEMENT, OS_STATEMENT, SOURCE, publisher_credit
from diagnostics.sources.england.recognise import scan
from diagnostics.sources.england.small_area_steps import read_small_area_polygons
from diagnostics.sources.england.spending_steps import read_public_money
from diagnostics.store.store import write_store
from diagnostics.store.target import check_store_target

__all__ = ["ImportReport", "import_folder", "store_target", "default_england_store_path", "england_catalogue", "STEPS"]


def default_england_store_path() -> Path:
    """Where ``data import`` writes when no --store is given: ``<cache>/stores/england``."""
    return cache_dir() / "stores" / "england"


def describe_what_is_missing(ctx: ImportContext) -> None:
    """Name each table of the contract the files could not fill, and the dataset that would."""
    if "population" not in ctx.tables and "district_population" in ctx.tables:
        ctx.absent_tables["population"] = (
            "Small-area population by sex and five-year age band: ONS publishes its mid-year estimates by age for "
            "districts only (the district_population table holds them); small-area weights use IoD2019's mid-2015 totals."
        )
    elif "population" not in ctx.tables:
        ctx.absent_tables["population"] = (
            "Population by sex and five-year age band (the contract's population table): no ONS mid-year "
            "estimates by single year of age were given, and IoD2019 gives mid-2015 totals and broad age groups "
            "only, so no age/sex split is invented; age-standardised rates and life tables computed from counts "
            "are unavailable."
        )
        ctx.leave_out(ctx.absent_tables["population"])
    if "deaths" not in ctx.tables and "district_deaths" not in ctx.tables:
        ctx.leave_out("Deaths by age and sex: not in these downloads, so the health section shows ready-made mortality "
                      "and life expectancy figures only.")
    if "firms" not in ctx.tables:
        ctx.leave_out("Firm register: no firm-level data is published openly; the growth section's firm-level analysis "
                      "needs a user's own register: 'place-diagnostic data import --firms FILE --store STORE' (see README "
                      "'Real England').")
    if "industry" not in ctx.tables:
        ctx.leave_out("Employment and GVA by industry for districts (BRES jobs by SIC section, Nomis: "
                      "'place-diagnostic data fetch --nomis'): only ITL3-level "
                      "industry tables were found, so there are no jobs by industry and no productivity gap"
                      + ("; the industrial structure and shift-share are computed from business counts (not jobs) instead."
                         if "business_counts" in ctx.tables else "."))


#: The import, step by step: each reads what the earlier steps left in the context and adds its part.
STEPS = (
    read_codes_and_hierarchy,
    read_district_polygons,
    read_other_polygons,
    read_small_areas,
    read_small_area_polygons,
    assemble_geography,
    read_ready_made_indicators,
    count_population,
    summarise_deprivation,
    read_population_estimates,
    read_deaths,
    read_official_comparators,
    count_businesses,
    count_high_growth_enterprises,
    read_bres_employment,
    read_public_money,
    describe_what_is_missing,
)


def store_target(store: str | Path | None, folder: str | Path) -> Path:
    """Where an import of ``folder`` writes, once checked: only a new or empty folder or an England store,
    never the downloads or a folder holding them (:func:`diagnostics.store.target.check_store_target`)."""
    return check_store_target(Path(store).expanduser() if store else default_england_store_path(), SOURCE, reads_from=[folder])


def import_folder(folder: str | Path, store: str | Path | None = None, *, allow_fewer: bool = False) -> ImportReport:
    """Build a store from a folder of official downloads and write it atomically.

    Parameters
    ----------
    folder : path-like
        The folder of downloads (searched recursively); files are recognised by their columns.
    store : path-like, optional
        Where to write the store; default :func:`default_england_store_path`.
    allow_fewer : bool, default False
        Replace a store even when the new one lacks indicators, tables or areas the previous one had.

    Returns
    -------
    ImportReport
        Files used, recognised but not used, ignored (with reasons), and what the diagnostic will
        leave out for want of a dataset.

    Raises
    ------
    ImportFailed
        When no dataset is recognised, an essential one is missing, or a file is damaged (or is
        of the right name with the wrong content). Nothing is written; a previous store is untouched.
    StoreTargetRefused
        Before anything is read, if ``store`` is not a new or empty folder or an England store, or is
        (or holds) ``folder`` (see :func:`store_target`).
    StoreWouldShrink
        Unless ``allow_fewer``, when the store it replaces had indicators, tables or areas the new one lacks.
    """
    started = time.perf_counter()
    target = store_target(store, folder)
    report = ImportReport()
    datasets, ignored = scan(folder)
    report.ignored = ignored
    if not datasets:
        reasons = "; ".join(f"{i.path.name}: {i.reason}" for i in ignored[:5]) or "the folder is empty"
        raise ImportFailed(str(folder), f"no official dataset was recognised ({reasons}). See README 'Real England' for the files the import reads.")
    ctx = ImportContext(datasets, report)
    for step in STEPS:
        step(ctx)
    tables, extra = _store_tables(ctx)
    extra["import_seconds"] = round(time.perf_counter() - started, 1)
    report.store = write_store(
        target, tables, ctx.boundaries, source=SOURCE, vintage=extra["vintage_summary"],
        attribution=extra.pop("attribution"), extra=extra, allow_fewer=allow_fewer,
    )
    report.seconds = time.perf_counter() - started
    return report


def _store_tables(ctx: ImportContext) -> tuple[dict[str, pd.DataFrame], dict]:
    """The store's tables and manifest from what the steps built."""
    indicators = pd.concat(ctx.indicators, ignore_index=True) if ctx.indicators else pd.DataFrame()
    if indicators.empty:
        raise ImportFailed("(folder)", "no indicator could be read from the files found; add at least one Explore Local Statistics, Fingertips or IoD2019 file")
    catalogue = england_catalogue()
    ready_made = catalogue.loc[catalogue["indicator_id"].isin(ctx.used_ids)].drop_duplicates("indicator_id")
    ready_made = ready_made.assign(source=ready_made["real_source"], vintage="as published; areas on current codes")
    ready_made = ready_made[[c for c in ready_made.columns if not c.startswith("match_") and c not in ("real_source", "publisher")]]
    tables = {
        "areas": ctx.areas, "lookups": ctx.lookups, "indicators": indicators,
        "catalogue": pd.concat([ready_made, *ctx.catalogue_rows], ignore_index=True),
        **ctx.tables,
    }
    areas = ctx.areas
    ctx.report.counts = {
        "areas": len(areas), "districts": int((areas["layer"] == "district").sum()),
        "small areas": int((areas["layer"] == "small_area").sum()), "indicators": int(indicators["indicator_id"].nunique()),
        "indicator rows": len(indicators),
    }
    default_place = "E08000003" if "E08000003" in set(areas["code"]) else areas.loc[areas["layer"] == "district", "code"].iloc[0]
    extra = {
        "absent_tables": ctx.absent_tables,
        "attribution": " ".join([
            OGL_STATEMENT,
            "Sources: " + "; ".join(publisher_credit(p) for p in sorted(ctx.publishers)) + ".",
            OS_STATEMENT,
        ]),
        "vintage_summary": "mixed: see each figure's period and vintage (district codes current to 2025)",
        "default_place": default_place,
        "country_name": "England",
        **ctx.manifest,
        "datasets": [{"file": str(p), "use": what} for p, what in ctx.report.used],
        "left_out": ctx.report.left_out,
    }
    return tables, extra
