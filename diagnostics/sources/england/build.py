"""Assemble a store from a folder of official downloads (``place-diagnostic data import``).

The pipeline reads top to bottom: recognise every file by its columns, read the ones the store
needs, harmonise district codes to the current set, build the geography (areas, boundaries,
best-fit lookups), the indicators (ready-made and computed) and the official comparators, then
write the store atomically. Anything wrong with a file raises :class:`ImportFailed` naming it,
before anything is written, so a previous store is never harmed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.resources import cache_dir, data_dir
from diagnostics.sources.england import comparators as comp
from diagnostics.sources.england import lookups as lk
from diagnostics.sources.england.areas import (
    GeographyBuilder,
    small_area_points,
    small_area_table,
)
from diagnostics.sources.england.indicator_rows import (
    population_indicators,
    ready_made_indicators,
)
from diagnostics.sources.england.iod import read_iod_measures, read_iod_population
from diagnostics.sources.england.ons_geography import read_boundaries, read_centroids
from diagnostics.sources.england.provenance import (
    OGL_STATEMENT,
    OS_STATEMENT,
    SOURCE,
    publisher_credit,
)
from diagnostics.sources.england.recognise import KINDS, Dataset, Ignored, scan
from diagnostics.store.deprivation import (
    area_summaries,
    profile_catalogue,
    profile_indicators,
)
from diagnostics.store.store import write_store

__all__ = [
    "ImportReport",
    "import_folder",
    "default_england_store_path",
    "england_catalogue",
]
_HIERARCHY_LAYERS = ("district", "county", "combined_authority", "region", "country")


def default_england_store_path() -> Path:
    """Where ``data import`` writes when no --store is given: ``<cache>/stores/england``."""
    return cache_dir() / "stores" / "england"


def england_catalogue() -> pd.DataFrame:
    """The real-England indicator catalogue committed in ``data/england_catalogue.csv``."""
    return pd.read_csv(data_dir() / "england_catalogue.csv", dtype={"match_sex": str}, keep_default_na=False, na_values=[""])


@dataclass
class ImportReport:
    """What an import found, used, ignored and left out, and where it wrote the store."""

    store: Path | None = None
    used: list[tuple[Path, str]] = field(default_factory=list)
    unused: list[tuple[Path, str]] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def text(self) -> str:
        """The report for people, one line per file."""
        lines = [f"Used ({len(self.used)} files):"]
        lines += [f"  + {p.name}: {what}" for p, what in self.used]
        if self.unused:
            lines.append(f"Recognised but not used ({len(self.unused)}):")
            lines += [f"  ~ {p.name}: {why}" for p, why in self.unused]
        if self.ignored:
            lines.append(f"Ignored ({len(self.ignored)}):")
            lines += [f"  - {i.path.name}: {i.reason}" for i in self.ignored]
        if self.left_out:
            lines.append("What the diagnostic will leave out:")
            lines += [f"  ! {text}" for text in self.left_out]
        if self.counts:
            lines.append("Store: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        if self.store is not None:
            lines.append(f"Written to {self.store} in {self.seconds:.1f} s")
        return "\n".join(lines)


# -- choosing files -----------------------------------------------------------------------------
def _vintage_of(dataset: Dataset) -> int:
    m = re.search(r"(\d\d)CD$", dataset.detail)
    return int(m.group(1)) if m else 0


def _pick(datasets: list[Dataset], report: ImportReport, kind: str, detail_prefix: str = "", prefer=None) -> Dataset | None:
    """The best file of a kind (newest vintage, or ``prefer``'s order); the others are reported unused."""
    candidates = [d for d in datasets if d.kind == kind and d.detail.startswith(detail_prefix)]
    if not candidates:
        return None
    if prefer:
        candidates.sort(key=lambda d: prefer.index(d.detail) if d.detail in prefer else len(prefer))
    else:
        candidates.sort(key=_vintage_of, reverse=True)
    for other in candidates[1:]:
        report.unused.append((other.path, f"another {KINDS[kind]} file is used instead ({candidates[0].path.name})"))
    return candidates[0]


# -- the pipeline ---------------------------------------------------------------------------------
def import_folder(folder: str | Path, store: str | Path | None = None) -> ImportReport:
    """Build a store from a folder of official downloads and write it atomically.

    Parameters
    ----------
    folder : path-like
        The folder of downloads (searched recursively); files are recognised by their columns.
    store : path-like, optional
        Where to write the store; default :func:`default_england_store_path`.

    Returns
    -------
    ImportReport
        Files used, recognised but not used, ignored (with reasons), and what the diagnostic will
        leave out for want of a dataset.

    Raises
    ------
    ImportFailed
        Naming the file and the problem (nothing recognisable, a truncated or corrupt file, a file
        of the right name with the wrong content). Nothing is written; a previous store is untouched.
    """
    started = time.perf_counter()
    report = ImportReport()
    datasets, ignored = scan(folder)
    report.ignored = ignored
    if not datasets:
        reasons = "; ".join(f"{i.path.name}: {i.reason}" for i in ignored[:5]) or "the folder is empty"
        raise ImportFailed(str(folder), f"no official dataset was recognised ({reasons}). See README 'Real England' for the files the import reads.")
    tables, boundaries, extra = _build(datasets, report)
    target = Path(store).expanduser() if store else default_england_store_path()
    extra["import_seconds"] = round(time.perf_counter() - started, 1)
    report.store = write_store(
        target, tables, boundaries, source=SOURCE, vintage=extra["vintage_summary"],
        attribution=extra.pop("attribution"), extra=extra,
    )
    report.seconds = time.perf_counter() - started
    return report


def _build(datasets: list[Dataset], report: ImportReport):
    publishers: set[str] = set()

    # 1. code changes and the district hierarchy
    changes_ds = _pick(datasets, report, "code_changes")
    changes = lk.read_code_changes(changes_ds.path) if changes_ds else lk.CodeChanges()
    if changes_ds:
        report.used.append((changes_ds.path, "district code changes 2014-2025 (harmonising to current codes)"))
    hierarchy_ds = _pick(datasets, report, "hierarchy", prefer=["els_geo_metadata", "la_all_codes"])
    if hierarchy_ds is None:
        raise ImportFailed("(folder)", "no area hierarchy was found: the import needs ONS Explore Local Statistics' geo-metadata.json or a district lookup with LADCD, LADCD_ACTIVE, UTLACD, CAUTHCD, RGNCD columns")
    hierarchy = lk.read_hierarchy(hierarchy_ds.path, hierarchy_ds.detail)
    report.used.append((hierarchy_ds.path, f"{len(hierarchy)} current English districts with county, combined authority and region"))

    # 2. district polygons, harmonised to current codes
    lad_ds = _pick(datasets, report, "boundaries", "district:")
    if lad_ds is None:
        raise ImportFailed("(folder)", "no Local Authority District boundary file (GeoJSON with LADyyCD properties) was found; the import needs one to draw districts")
    districts = read_boundaries(lad_ds.path, lad_ds.detail.split(":")[1])
    districts["code"] = districts["code"].map(changes.renamed_to)
    districts = districts.loc[districts["code"].isin(hierarchy["district_code"])]
    lacking = sorted(set(hierarchy["district_code"]) - set(districts["code"]))
    if lacking:
        raise ImportFailed(str(lad_ds.path), f"it has no polygon for current districts {lacking[:6]}; use a boundary file of {lad_ds.detail.split(':')[1][:5]} or later vintage")
    districts["name"] = districts["code"].map(hierarchy.set_index("district_code")["district_name"])
    report.used.append((lad_ds.path, f"{len(districts)} district polygons ({lad_ds.detail.split(':')[1]}, codes moved to current)"))
    publishers.add("ONS")

    geo = GeographyBuilder(hierarchy, districts)
    # 3. other polygon layers from files (health geographies); nested layers by dissolving districts
    for layer in ("health_area", "sub_icb", "nhs_region"):
        ds = _pick(datasets, report, "boundaries", f"{layer}:")
        if ds is not None:
            geo.add_polygons(layer, read_boundaries(ds.path, ds.detail.split(":")[1]))
            report.used.append((ds.path, f"{layer} polygons ({ds.detail.split(':')[1]})"))
    for layer in ("region", "county_unitary", "combined_authority"):
        for ds in [d for d in datasets if d.kind == "boundaries" and d.detail.startswith(f"{layer}:")]:
            report.unused.append((ds.path, "drawn instead as the union of current districts, so that layers nest exactly and carry 2025 codes"))
    police_ds = _pick(datasets, report, "police_lookup")
    if police_ds is not None:
        geo.add_police(lk.read_police_lookup(police_ds.path, changes))
        report.used.append((police_ds.path, "police force areas as unions of whole districts"))

    # 4. small areas (LSOA 2011) and their best-fit membership of every layer

    iod_files = sorted((d for d in datasets if d.kind == "iod"), key=lambda d: -len(d.columns))  # fullest first
    measures, population, have = [], None, set()
    for ds in iod_files:
        parts = []
        for measure in ("rank", "score"):
            if f"{measure}s" not in ds.detail.split(","):
                continue
            m = read_iod_measures(ds.path, measure)
            new = m.loc[[(d, measure) not in have for d in m["domain"]]]
            if not new.empty:
                have |= {(d, measure) for d in new["domain"].unique()}
                measures.append(new)
                parts.append(f"{measure}s of {new['small_area_code'].nunique():,} LSOAs (2011) for {', '.join(new['domain'].unique())}")
        if "population" in ds.detail.split(",") and population is None:
            population = read_iod_population(ds.path)
            parts.append(f"mid-2015 populations of {len(population):,} LSOAs (2011): weights and population indicators")
        if parts:
            report.used.append((ds.path, "IoD2019 " + "; ".join(parts)))
            publishers.add("MHCLG")
        else:
            report.unused.append((ds.path, "its ranks, scores or populations are already read from another IoD2019 file"))
    measures = pd.concat(measures, ignore_index=True) if measures else pd.DataFrame(columns=["small_area_code", "small_area_name", "district_code_2019", "domain", "measure", "value"])
    small = small_area_table(measures, population, changes, hierarchy)
    oa_ds = _pick(datasets, report, "oa_lookup")
    if small.empty and oa_ds is None:
        report.left_out.append("No small areas: no IoD2019 or population file was given, so there is no small-area layer, no best-fit lookups and no deprivation profile.")
    oa = lk.read_oa_lookup(oa_ds.path) if oa_ds else None
    centroid_files = {d.path: read_centroids(d.path) for d in datasets if d.kind == "centroids"}
    if not small.empty:
        geo.add_small_areas(small)
        points, fit = small_area_points(small, centroid_files, oa)
        for path in centroid_files:
            report.used.append((path, "population-weighted centroids: best-fit assignment of LSOAs to polygon layers"))
        if oa_ds is not None:
            report.used.append((oa_ds.path, "LSOA (2011) -> MSOA (2011): centroid of the MSOA for LSOAs re-coded in 2021"))
        geo.assign_by_points(points, fit)
    for kind, layer, reader in (("ttwa_lookup", "ttwa", lk.read_ttwa_lookup), ("lep_lookup", "economic_partnership", lk.read_lep_lookup)):
        ds = _pick(datasets, report, kind)
        if ds is not None and not small.empty:
            table = reader(ds.path)
            overlaps = int(table["second_code"].notna().sum()) if "second_code" in table else 0
            geo.add_lookup_layer(layer, table)
            what = f"{layer} by LSOA (2011) lookup, no polygons"
            if overlaps:
                what += f"; {overlaps:,} LSOAs in two overlapping partnerships are assigned to their first"
            report.used.append((ds.path, what))
    areas, boundaries, lookups = geo.tables()

    # 5. indicators
    catalogue = england_catalogue()
    indicators, used_ids, pubs = ready_made_indicators(datasets, report, catalogue, changes, set(areas["code"]))
    publishers |= pubs
    if population is not None and not small.empty:
        pop_rows = population_indicators(population, lookups, small)
        indicators.append(pop_rows)
        used_ids |= set(pop_rows["indicator_id"])
    deprivation_catalogue = pd.DataFrame()
    if not measures.empty and population is not None:
        weights = population.set_index("small_area_code")["total"]
        membership = lookups.loc[lookups["layer"].isin(_HIERARCHY_LAYERS), ["small_area_code", "layer", "area_code"]]
        summaries = area_summaries(measures, weights, membership)
        rows = profile_indicators(summaries)
        rows["source"] = "MHCLG English Indices of Deprivation 2019 (summaries computed by place-diagnostics)"
        rows["vintage"] = "IoD2019 (LSOA 2011, mid-2015 population weights); areas on current codes"
        indicators.append(rows)
        deprivation_catalogue = profile_catalogue(measures=[m for m in summaries["measure"].unique()])
        deprivation_catalogue = deprivation_catalogue.loc[deprivation_catalogue["indicator_id"].isin(rows["indicator_id"])]
        if (measures["measure"] == "score").any():  # the synthetic country's headline id, same definition
            score = rows.loc[rows["indicator_id"] == "deprivation_imd_average_score"].assign(indicator_id="deprivation_score")
            indicators.append(score)
            used_ids.add("deprivation_score")
    elif measures.empty:
        report.left_out.append("Deprivation profile: no IoD2019 small-area ranks or scores file (File 1, 2, 5 or 7) was given.")
    else:
        report.left_out.append("Deprivation profile: IoD2019 File 6 (population denominators) is needed to weight the summaries.")
    if not measures.empty and not (measures["measure"] == "score").any():
        report.left_out.append("Deprivation average scores (and the headline 'deprivation score'): IoD2019 File 5/7 (scores) was not given; average ranks and the share in the most deprived 10% are shown instead.")
    indicators = pd.concat(indicators, ignore_index=True) if indicators else pd.DataFrame()
    if indicators.empty:
        raise ImportFailed("(folder)", "no indicator could be read from the files found; add at least one Explore Local Statistics, Fingertips or IoD2019 file")
    cat = catalogue.loc[catalogue["indicator_id"].isin(used_ids)].drop_duplicates("indicator_id")
    cat = cat.assign(source=cat["real_source"], vintage="as published; areas on current codes")
    cat = cat[[c for c in cat.columns if not c.startswith("match_") and c not in ("real_source", "publisher")]]
    if not deprivation_catalogue.empty:
        dep = deprivation_catalogue.assign(source="MHCLG English Indices of Deprivation 2019", vintage="IoD2019")
        cat = pd.concat([cat, dep], ignore_index=True)
        if "deprivation_score" in used_ids:
            row = dep.loc[dep["indicator_id"] == "deprivation_imd_average_score"].assign(
                indicator_id="deprivation_score", name="Deprivation score (IMD average score)", short_name="Deprivation")
            cat = pd.concat([cat, row], ignore_index=True)

    # 6. official comparators
    tables = {"areas": areas, "lookups": lookups, "indicators": indicators, "catalogue": cat}
    descriptions_ds = _pick(datasets, report, "cluster_descriptions")
    descriptions = comp.read_cluster_descriptions(descriptions_ds.path) if descriptions_ds else {}
    neighbour_frames = []
    for ds in [d for d in datasets if d.kind == "neighbours"]:
        neighbour_frames.append(comp.read_neighbours(ds.path, ds.detail, changes))
        report.used.append((ds.path, f"ONS {ds.detail} nearest neighbours (20 per authority)"))
    if neighbour_frames:
        nb = pd.concat(neighbour_frames, ignore_index=True)
        nb = nb.loc[nb["area_code"].isin(areas["code"])]
        tables["comparators"] = nb.assign(source="ONS Explore Local Statistics similar areas", vintage="2025 clustering")
    else:
        report.left_out.append("Official comparators: no ONS neighbour list was given, so comparators='official' is unavailable (statistical nearest neighbours still work).")
    clusters_ds = _pick(datasets, report, "clusters")
    if clusters_ds is not None:
        cl = comp.read_clusters(clusters_ds.path, descriptions, changes)
        tables["clusters"] = cl.loc[cl["area_code"].isin(areas["code"])].assign(source="ONS Explore Local Statistics clusters", vintage="2025 clustering")
        report.used.append((clusters_ds.path, "ONS local authority clusters (global, economic, demographic)"))
        if descriptions_ds:
            report.used.append((descriptions_ds.path, "plain-English cluster descriptions"))

    # 7. what the diagnostic will leave out, and the manifest
    population_reason = (
        "Population by sex and five-year age band (the contract's population table): the official files give "
        "mid-2015 totals and broad age groups only, so no age/sex split is invented; age-standardised rates and "
        "life tables computed from counts are unavailable."
    )
    report.left_out += [
        population_reason,
        "Deaths by small area: not in these downloads, so the health section shows ready-made mortality and life expectancy figures only.",
        "Firm register: no firm-level data is published openly; the growth section's firm-level analysis needs a user's own register (see README 'Real England').",
        "Employment and GVA by industry for districts: only ITL3-level industry tables were found, so the industry structure table is absent.",
    ]
    for layer in ("ttwa", "economic_partnership"):
        if layer in set(areas["layer"]):
            report.left_out.append(f"Maps of {layer}: ONS publishes it here as a lookup only (no polygons), so it is a layer without boundaries.")
    absent = {"population": population_reason}
    attribution = " ".join([
        OGL_STATEMENT,
        "Sources: " + "; ".join(publisher_credit(p) for p in sorted(publishers)) + ".",
        OS_STATEMENT,
    ])
    report.counts = {
        "areas": len(areas), "districts": int((areas["layer"] == "district").sum()),
        "small areas": int((areas["layer"] == "small_area").sum()), "indicators": int(indicators["indicator_id"].nunique()),
        "indicator rows": len(indicators),
    }
    default_place = "E08000003" if "E08000003" in set(areas["code"]) else areas.loc[areas["layer"] == "district", "code"].iloc[0]
    extra = {
        "absent_tables": absent,
        "attribution": attribution,
        "vintage_summary": "mixed: see each figure's period and vintage (district codes current to 2025)",
        "default_place": default_place,
        "country_name": "England",
        "best_fit": geo.fit_counts,
        "datasets": [{"file": str(p), "use": what} for p, what in report.used],
        "left_out": report.left_out,
    }
    return tables, boundaries, extra
