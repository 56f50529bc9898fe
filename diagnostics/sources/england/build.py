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

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.resources import cache_dir, data_dir
from diagnostics.sources.england.recognise import KINDS, Dataset, Ignored, scan
from diagnostics.store.schema import BOUNDARY_CRS

__all__ = ["ImportReport", "import_folder", "default_england_store_path", "england_catalogue", "OGL_STATEMENT"]

SOURCE = "england-official"
OGL_STATEMENT = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."
)
_OS_STATEMENT = "Boundaries contain OS data © Crown copyright and database right."
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
    from diagnostics.store.store import write_store

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
    from diagnostics.sources.england import comparators as comp
    from diagnostics.sources.england import lookups as lk
    from diagnostics.sources.england.ons_geography import (
        read_boundaries,
        read_centroids,
    )

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

    geo = _Geography(hierarchy, districts)
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
    from diagnostics.sources.england.iod import read_iod_measures, read_iod_population

    iod_files = sorted((d for d in datasets if d.kind == "iod"), key=lambda d: -len(d.columns))  # fullest first
    measures, population, have = [], None, set()
    for ds in iod_files:
        parts = []
        for measure in ("rank", "score"):
            if f"{measure}s" not in ds.detail.split(","):
                continue
            m = read_iod_measures(ds.path, measure)
            new = m.loc[~m["domain"].map(lambda d: (d, measure) in have)]
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
    small = _small_areas(measures, population, changes, hierarchy)
    oa_ds = _pick(datasets, report, "oa_lookup")
    if small.empty and oa_ds is None:
        report.left_out.append("No small areas: no IoD2019 or population file was given, so there is no small-area layer, no best-fit lookups and no deprivation profile.")
    oa = lk.read_oa_lookup(oa_ds.path) if oa_ds else None
    centroid_files = {d.path: read_centroids(d.path) for d in datasets if d.kind == "centroids"}
    if not small.empty:
        geo.add_small_areas(small)
        points, fit = _small_area_points(small, centroid_files, oa)
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
    indicators, used_ids, pubs = _indicators(datasets, report, catalogue, changes, set(areas["code"]))
    publishers |= pubs
    if population is not None and not small.empty:
        pop_rows = _population_indicators(population, lookups, small)
        indicators.append(pop_rows)
        used_ids |= set(pop_rows["indicator_id"])
    deprivation_catalogue = pd.DataFrame()
    if not measures.empty and population is not None:
        from diagnostics.store.deprivation import (
            area_summaries,
            profile_catalogue,
            profile_indicators,
        )

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
        "Sources: " + "; ".join(_publisher_credit(p) for p in sorted(publishers)) + ".",
        _OS_STATEMENT,
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


_CREDITS = {
    "ONS": "Office for National Statistics (Open Geography Portal, Explore Local Statistics)",
    "MHCLG": "Ministry of Housing, Communities and Local Government (English Indices of Deprivation 2019)",
    "OHID": "Office for Health Improvement and Disparities (Fingertips)",
}


def _publisher_credit(code: str) -> str:
    return _CREDITS.get(code, code)


# -- geography ------------------------------------------------------------------------------------
def _small_areas(measures, population, changes, hierarchy) -> pd.DataFrame:
    """LSOAs (2011) with name and current district: code, name, district_code."""
    frames = []
    if not measures.empty:
        frames.append(measures[["small_area_code", "small_area_name", "district_code_2019"]].drop_duplicates("small_area_code"))
    if population is not None:
        frames.append(population[["small_area_code", "small_area_name", "district_code_2019"]])
    if not frames:
        return pd.DataFrame(columns=["code", "name", "district_code"])
    small = pd.concat(frames).drop_duplicates("small_area_code")
    small = small.loc[small["small_area_code"].str.startswith("E")]
    small["district_code"] = small["district_code_2019"].map(changes.current)
    unknown = sorted(set(small["district_code"]) - set(hierarchy["district_code"]))
    if unknown:
        raise ImportFailed("(IoD2019 files)", f"their district codes {unknown[:5]} are not current districts and no code change maps them; add ONS's code-change list")
    return small.rename(columns={"small_area_code": "code", "small_area_name": "name"})[["code", "name", "district_code"]].reset_index(drop=True)


def _small_area_points(small, centroid_files, oa) -> tuple[pd.DataFrame, dict]:
    """A best-fit point for each LSOA (2011): its own 2021 population-weighted centroid when its code
    survived into 2021 (an unchanged LSOA keeps its code), else its MSOA's; NaN when neither is known."""
    cents = pd.concat(centroid_files.values(), ignore_index=True).drop_duplicates("code").set_index("code") if centroid_files else pd.DataFrame(columns=["x", "y"])
    pts = cents.reindex(small["code"]).reset_index(drop=True)
    own = pts["x"].notna()
    via_msoa = pd.Series(False, index=pts.index)
    if oa is not None and (~own).any():
        msoa = small["code"].map(oa.set_index("small_area_code")["msoa_code"])
        fill = cents.reindex(msoa).reset_index(drop=True)
        via_msoa = ~own & fill["x"].notna()
        pts.loc[via_msoa, ["x", "y"]] = fill.loc[via_msoa, ["x", "y"]].to_numpy()
    pts.index = small["code"].to_numpy()
    fit = {"own_centroid": int(own.sum()), "msoa_centroid": int(via_msoa.sum()), "district_majority": int((~own & ~via_msoa).sum())}
    return pts, fit


class _Geography:
    """Collects areas, polygons and best-fit lookups layer by layer."""

    def __init__(self, hierarchy: pd.DataFrame, districts):
        self.h = hierarchy
        self.polygons = {"district": districts}
        self.small = pd.DataFrame(columns=["code", "name", "district_code"])
        self.extra_areas: list[pd.DataFrame] = []
        self.members: list[pd.DataFrame] = []  # small_area_code, layer, area_code
        self.fit_counts: dict[str, int] = {}
        self._whole_district: dict[str, pd.DataFrame] = {}  # layer -> district_code, code, name
        from diagnostics.sources.england.ons_geography import dissolve

        h = hierarchy
        self.polygons["county"] = dissolve(districts, h, "county_code", "county_name")
        self.polygons["combined_authority"] = dissolve(districts, h, "cauth_code", "cauth_name")
        self.polygons["region"] = dissolve(districts, h, "region_code", "region_name")
        self.polygons["country"] = dissolve(districts, h, "country_code", "country_name")

    def add_polygons(self, layer: str, gdf) -> None:
        self.polygons[layer] = gdf

    def add_police(self, table: pd.DataFrame) -> None:
        from diagnostics.sources.england.ons_geography import dissolve

        table = table.loc[table["district_code"].isin(self.h["district_code"])]
        self.polygons["police_force"] = dissolve(self.polygons["district"], table, "police_code", "police_name")
        self._whole_district["police_force"] = table.rename(columns={"police_code": "code", "police_name": "name"})

    def add_small_areas(self, small: pd.DataFrame) -> None:
        self.small = small
        h = self.h.set_index("district_code")
        for layer, column in (("district", None), ("county", "county_code"), ("combined_authority", "cauth_code"), ("region", "region_code"), ("country", "country_code")):
            codes = small["district_code"] if column is None else small["district_code"].map(h[column])
            self.members.append(pd.DataFrame({"small_area_code": small["code"], "layer": layer, "area_code": codes}).dropna())
        for layer, table in self._whole_district.items():
            codes = small["district_code"].map(table.set_index("district_code")["code"])
            self.members.append(pd.DataFrame({"small_area_code": small["code"], "layer": layer, "area_code": codes}).dropna())

    def assign_by_points(self, points: pd.DataFrame, fit: dict) -> None:
        from diagnostics.sources.england.ons_geography import assign_points

        self.fit_counts = fit
        known = points.dropna()
        for layer in ("health_area", "sub_icb", "nhs_region"):
            if layer not in self.polygons:
                continue
            codes = pd.Series(np.nan, index=points.index, dtype=object)
            if not known.empty:
                codes.loc[known.index] = assign_points(known, self.polygons[layer]).to_numpy()
            missing = codes.isna()
            if missing.any():  # no centroid: the area holding most of the district's other LSOAs
                district = pd.Series(self.small["district_code"].to_numpy(), index=self.small["code"].to_numpy())
                majority = codes.dropna().groupby(district.reindex(codes.dropna().index)).agg(lambda s: s.value_counts().index[0])
                codes.loc[missing] = district.reindex(codes.index[missing]).map(majority).to_numpy()
            self.members.append(pd.DataFrame({"small_area_code": codes.index, "layer": layer, "area_code": codes.to_numpy()}).dropna())

    def add_lookup_layer(self, layer: str, table: pd.DataFrame) -> None:
        table = table.loc[table["small_area_code"].isin(self.small["code"])]
        self.members.append(pd.DataFrame({"small_area_code": table["small_area_code"], "layer": layer, "area_code": table["area_code"]}))
        names = table.drop_duplicates("area_code")
        self.extra_areas.append(pd.DataFrame({"code": names["area_code"], "name": names["area_name"], "layer": layer, "parent_code": None}))

    def tables(self):
        import geopandas as gpd

        h = self.h
        rows = [
            pd.DataFrame({"code": ["E92000001"], "name": [h["country_name"].iloc[0]], "layer": "country", "parent_code": [None]}),
            h.drop_duplicates("region_code").pipe(lambda d: pd.DataFrame({"code": d["region_code"], "name": d["region_name"], "layer": "region", "parent_code": "E92000001"})),
            h.dropna(subset=["county_code"]).drop_duplicates("county_code").pipe(lambda d: pd.DataFrame({"code": d["county_code"], "name": d["county_name"], "layer": "county", "parent_code": d["region_code"]})),
            h.dropna(subset=["cauth_code"]).drop_duplicates("cauth_code").pipe(lambda d: pd.DataFrame({"code": d["cauth_code"], "name": d["cauth_name"], "layer": "combined_authority", "parent_code": d["region_code"]})),
            pd.DataFrame({"code": h["district_code"], "name": h["district_name"], "layer": "district", "parent_code": h["county_code"].fillna(h["region_code"])}),
        ]
        for layer, parent_layer in (("nhs_region", None), ("health_area", "nhs_region"), ("sub_icb", "health_area")):
            if layer not in self.polygons:
                continue
            gdf = self.polygons[layer]
            parent = None
            if parent_layer in self.polygons:
                parent = gdf.geometry.representative_point().to_frame("geometry").pipe(lambda p: gpd.GeoDataFrame(p, geometry="geometry", crs=BOUNDARY_CRS))
                joined = gpd.sjoin(parent, self.polygons[parent_layer][["code", "geometry"]], how="left", predicate="within")
                parent = joined[~joined.index.duplicated()]["code"].to_numpy()
            rows.append(pd.DataFrame({"code": gdf["code"], "name": gdf["name"], "layer": layer, "parent_code": parent if parent is not None else "E92000001"}))
        if "police_force" in self.polygons:
            p = self.polygons["police_force"]
            rows.append(pd.DataFrame({"code": p["code"], "name": p["name"], "layer": "police_force", "parent_code": "E92000001"}))
        rows += self.extra_areas
        if not self.small.empty:
            rows.append(pd.DataFrame({"code": self.small["code"], "name": self.small["name"], "layer": "small_area", "parent_code": self.small["district_code"]}))
        areas = pd.concat(rows, ignore_index=True).drop_duplicates("code")
        areas["parent_code"] = areas["parent_code"].where(areas["parent_code"].isin(areas["code"]))
        areas = areas.assign(source=SOURCE, vintage="current codes (2025); small areas LSOA 2011").reset_index(drop=True)
        lookups = pd.concat(self.members, ignore_index=True) if self.members else pd.DataFrame(columns=["small_area_code", "layer", "area_code"])
        lookups = lookups.loc[lookups["area_code"].isin(areas["code"])].drop_duplicates(["small_area_code", "layer"])
        lookups = lookups.assign(weight=1.0, source=SOURCE, vintage="best fit (population-weighted centroids; whole districts)").reset_index(drop=True)
        boundaries = {}
        for layer, gdf in self.polygons.items():
            gdf = gdf.loc[gdf["code"].isin(areas.loc[areas["layer"] == layer, "code"])].reset_index(drop=True)
            if not gdf.empty:
                boundaries[layer] = gdf[["code", "name", "geometry"]]
        return areas, boundaries, lookups


# -- indicators -------------------------------------------------------------------------------------
_STATUS = {
    "x": "not available (suppressed or unreliable; status x)",
    "u": "low reliability (status u)",
    "c": "confidential (status c)",
}


def _indicators(datasets, report, catalogue, changes, area_codes):
    from diagnostics.sources.england.els import read_els
    from diagnostics.sources.england.fingertips import read_fingertips

    frames, used_ids, pubs = [], set(), set()
    for ds in [d for d in datasets if d.kind in ("els", "fingertips")]:
        fmt = "els" if ds.kind == "els" else "fingertips"
        raw = read_els(ds.path, ds.detail) if fmt == "els" else read_fingertips(ds.path, ds.detail)
        spec = catalogue.loc[catalogue["match_format"] == fmt]
        matched, labels = [], sorted(raw["indicator"].astype(str).unique())
        for _, row in spec.iterrows():
            sel = raw.loc[raw["indicator"].astype(str) == row["match_indicator"]]
            if fmt == "fingertips" and isinstance(row["match_sex"], str) and row["match_sex"]:
                sel = sel.loc[sel["sex"] == row["match_sex"]]
            elif fmt == "fingertips":
                sel = sel.loc[sel["sex"].isin(["Persons", "NA", ""]) | sel["sex"].isna()]
            if sel.empty:
                continue
            matched.append(_indicator_rows(sel, row, changes, area_codes, ds.path.name))
            used_ids.add(row["indicator_id"])
            pubs.add(row["publisher"])
        unmatched = [lab for lab in labels if lab not in set(spec["match_indicator"])]
        if matched:
            rows = pd.concat(matched, ignore_index=True)
            frames.append(rows)
            ids = ", ".join(sorted(rows["indicator_id"].unique()))
            what = f"{KINDS[ds.kind]}: {ids}"
            if unmatched:
                what += f" (not in the catalogue, left out: {'; '.join(unmatched)})"
            report.used.append((ds.path, what))
        else:
            report.unused.append((ds.path, f"its indicators ({'; '.join(labels)[:200]}) are not in data/england_catalogue.csv, or are covered by another source"))
    if frames:
        all_rows = pd.concat(frames, ignore_index=True)
        # the same indicator from two files (e.g. HLE from ONS and from Fingertips): the first file wins
        frames = [all_rows.drop_duplicates(["indicator_id", "area_code", "period"], keep="first")]
    return frames, used_ids, pubs


def _indicator_rows(sel: pd.DataFrame, spec: pd.Series, changes, area_codes: set, file_name: str) -> pd.DataFrame:
    """Rows of one catalogue indicator, on current codes, with published intervals kept."""
    from diagnostics.sources.england.lookups import ITL1_EQUIVALENTS

    sel = sel.copy()
    original = sel["area_code"].astype(str)
    sel["area_code"] = original.map(lambda c: ITL1_EQUIVALENTS.get(c) or changes.renamed_to(c))
    renamed = sel["area_code"] != original
    sel = sel.loc[sel["area_code"].isin(area_codes)]
    renamed = renamed.loc[sel.index]
    # prefer rows published under the current code over the same figure under a retired one
    sel = sel.assign(_renamed=renamed).sort_values("_renamed").drop_duplicates(["area_code", "period"], keep="first")
    value, lo, hi = sel["value"], sel["lower_ci"], sel["upper_ci"]
    ordered = lo.isna() | hi.isna() | value.isna() | ((lo <= value + 1e-9) & (value <= hi + 1e-9))
    notes = []
    for status, note, was_renamed, ok, old in zip(
        sel.get("status", pd.Series(index=sel.index, dtype=object)), sel.get("notes", pd.Series(index=sel.index, dtype=object)),
        sel["_renamed"], ordered, original.loc[sel.index],
    ):
        parts = []
        if isinstance(status, str) and status.strip():
            parts.append(_STATUS.get(status.strip().lower(), f"status {status.strip()}"))
        if isinstance(note, str) and note.strip():
            parts.append(note.strip())
        if was_renamed and old in ITL1_EQUIVALENTS:
            parts.append(f"published for ITL1 {old}, which has the same boundary")
        elif was_renamed:
            parts.append(f"published under the retired code {old}")
        if not ok:
            parts.append("published interval does not contain the value; interval dropped")
        notes.append("; ".join(parts) if parts else None)
    has_ci = lo.notna() & hi.notna() & ordered
    denominator = sel["denominator"] if "denominator" in sel else pd.Series(np.nan, index=sel.index)
    numerator = sel["numerator"] if "numerator" in sel else pd.Series(np.nan, index=sel.index)
    return pd.DataFrame({
        "indicator_id": spec["indicator_id"],
        "area_code": sel["area_code"].to_numpy(),
        "period": sel["period"].to_numpy(),
        "year": sel["year"].to_numpy(),
        "value": value.to_numpy(),
        "numerator": numerator.where(numerator >= 0).to_numpy(),
        "denominator": denominator.where(denominator > 0).to_numpy(),
        "lower_ci": lo.where(has_ci).to_numpy(),
        "upper_ci": hi.where(has_ci).to_numpy(),
        "confidence": np.where(has_ci, 0.95, np.nan),
        "note": notes,
        "source": spec["real_source"],
        "vintage": f"{file_name}; ready-made, area codes current (2025)",
    })


def _population_indicators(population: pd.DataFrame, lookups: pd.DataFrame, small: pd.DataFrame) -> pd.DataFrame:
    """Population total and broad-age shares (mid-2015) for every area, summed over its small areas."""
    pop = population.set_index("small_area_code")[["total", "aged_0_15", "aged_60_plus"]]
    joined = lookups[["small_area_code", "area_code"]].join(pop, on="small_area_code", how="inner")
    sums = joined.groupby("area_code")[["total", "aged_0_15", "aged_60_plus"]].sum()
    base = dict(period="2015", year=2015, lower_ci=np.nan, upper_ci=np.nan, confidence=np.nan,
                source="MHCLG English Indices of Deprivation 2019 File 6 (ONS mid-2015 small area population estimates)",
                vintage="mid-2015, excluding prisoners; LSOA 2011 summed by best fit")
    frames = [pd.DataFrame({"indicator_id": "population_total", "area_code": sums.index, "value": sums["total"].to_numpy(),
                            "numerator": sums["total"].to_numpy(), "denominator": np.nan, "note": None, **base})]
    for column, ident in (("aged_0_15", "population_aged_0_15_share"), ("aged_60_plus", "population_aged_60_plus_share")):
        frames.append(pd.DataFrame({"indicator_id": ident, "area_code": sums.index, "value": 100 * sums[column] / sums["total"],
                                    "numerator": sums[column].to_numpy(), "denominator": sums["total"].to_numpy(),
                                    "note": "a population estimate: no sampling interval", **base}))
    return pd.concat(frames, ignore_index=True)
