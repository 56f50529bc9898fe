"""The geography steps of an England import: district codes and hierarchy, district polygons, the
health, police and nested layers, the LSOAs (2011) and their best-fit membership of every layer, and
the assembled areas, boundaries and lookups.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england import lookups as lk
from diagnostics.sources.england.areas import GeographyBuilder, small_area_points, small_area_table
from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.iod import read_iod_measures, read_iod_population
from diagnostics.sources.england.ons_geography import read_boundaries, read_centroids

__all__ = [
    "replaced_codes",
    "read_codes_and_hierarchy",
    "read_district_polygons",
    "read_other_polygons",
    "read_small_areas",
    "assemble_geography",
]


def replaced_codes(changes: lk.CodeChanges) -> dict[str, dict]:
    """Each replaced district code with its name, its current successor, the year and how (``new_code``:
    the same area re-coded; ``merger``: taken into another), as the store's manifest keeps them for
    :func:`diagnostics.store.places.match_place`."""
    table = changes.table
    if table.empty:
        return {}
    rows = table.loc[table["type"].isin(["new_code", "merger"])]
    return {
        str(old): {"name": str(name), "code": changes.current(str(old)), "year": str(year), "how": str(how)}
        for old, name, year, how in zip(rows["oldcd"], rows.get("oldnm", rows["oldcd"]), rows["start"], rows["type"])
    }


def read_codes_and_hierarchy(ctx: ImportContext) -> None:
    """District code changes 2014-2025 and the current district hierarchy (required)."""
    changes_ds = ctx.pick("code_changes")
    if changes_ds:
        ctx.changes = lk.read_code_changes(changes_ds.path)
        ctx.use(changes_ds.path, "district code changes 2014-2025 (harmonising to current codes)")
        ctx.manifest["replaced_codes"] = replaced_codes(ctx.changes)
    hierarchy_ds = ctx.pick("hierarchy", prefer=["els_geo_metadata", "la_all_codes"])
    if hierarchy_ds is None:
        raise ImportFailed("(folder)", "no area hierarchy was found: the import needs ONS Explore Local Statistics' geo-metadata.json or a district lookup with LADCD, LADCD_ACTIVE, UTLACD, CAUTHCD, RGNCD columns")
    ctx.hierarchy = lk.read_hierarchy(hierarchy_ds.path, hierarchy_ds.detail)
    ctx.use(hierarchy_ds.path, f"{len(ctx.hierarchy)} current English districts with county, combined authority and region")
    district_tables = [d for d in ctx.all_of("hierarchy") if d.detail == "la_all_codes" and d is not hierarchy_ds]
    if hierarchy_ds.detail == "els_geo_metadata" and district_tables:
        ctx.hierarchy, moved = lk.reconcile_regions(
            ctx.hierarchy, lk.read_hierarchy(district_tables[0].path, district_tables[0].detail))
        ctx.report.unused = [u for u in ctx.report.unused if u[0] != district_tables[0].path]
        ctx.use(district_tables[0].path, "each district's own region (where the area tree puts a district under its "
                                         f"combined authority's region instead): {'; '.join(moved) or 'none moved'}")


def read_district_polygons(ctx: ImportContext) -> None:
    """District polygons on current codes (required): the geography every other layer is placed in."""
    lad_ds = ctx.pick("boundaries", "district:")
    if lad_ds is None:
        raise ImportFailed("(folder)", "no Local Authority District boundary file (GeoJSON with LADyyCD properties) was found; the import needs one to draw districts")
    vintage = lad_ds.detail.split(":")[1]
    districts = read_boundaries(lad_ds.path, vintage)
    districts["code"] = districts["code"].map(ctx.changes.renamed_to)
    districts = districts.loc[districts["code"].isin(ctx.hierarchy["district_code"])]
    lacking = sorted(set(ctx.hierarchy["district_code"]) - set(districts["code"]))
    if lacking:
        raise ImportFailed(str(lad_ds.path), f"it has no polygon for current districts {lacking[:6]}; use a boundary file of {vintage[:5]} or later vintage")
    districts["name"] = districts["code"].map(ctx.hierarchy.set_index("district_code")["district_name"])
    ctx.use(lad_ds.path, f"{len(districts)} district polygons ({vintage}, codes moved to current)", "ONS")
    ctx.geography = GeographyBuilder(ctx.hierarchy, districts)


def read_other_polygons(ctx: ImportContext) -> None:
    """Health geographies from their files; police force areas as unions of districts (nested
    layers are drawn as unions of current districts, so layers nest exactly)."""
    for layer in ("health_area", "sub_icb", "nhs_region"):
        ds = ctx.pick("boundaries", f"{layer}:")
        if ds is not None:
            ctx.geography.add_polygons(layer, read_boundaries(ds.path, ds.detail.split(":")[1]))
            ctx.use(ds.path, f"{layer} polygons ({ds.detail.split(':')[1]})")
    for layer in ("region", "county_unitary", "combined_authority"):
        for ds in ctx.all_of("boundaries", f"{layer}:"):
            ctx.set_aside(ds.path, "drawn instead as the union of current districts, so that layers nest exactly and carry 2025 codes")
    police_ds = ctx.pick("police_lookup")
    if police_ds is not None:
        ctx.geography.add_police(lk.read_police_lookup(police_ds.path, ctx.changes))
        ctx.use(police_ds.path, "police force areas as unions of whole districts")


def _read_iod(ctx: ImportContext) -> None:
    iod_files = sorted(ctx.all_of("iod"), key=lambda d: -len(d.columns))  # fullest first
    measures, have = [], set()
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
        if "population" in ds.detail.split(",") and ctx.small_area_population is None:
            ctx.small_area_population = read_iod_population(ds.path)
            parts.append(f"mid-2015 populations of {len(ctx.small_area_population):,} LSOAs (2011): weights and population indicators")
        if parts:
            ctx.use(ds.path, "IoD2019 " + "; ".join(parts), "MHCLG")
        else:
            ctx.set_aside(ds.path, "its ranks, scores or populations are already read from another IoD2019 file")
    ctx.deprivation_measures = pd.concat(measures, ignore_index=True) if measures else pd.DataFrame(
        columns=["small_area_code", "small_area_name", "district_code_2019", "domain", "measure", "value"])


def read_small_areas(ctx: ImportContext) -> None:
    """The LSOAs (2011) of IoD2019, each placed in every polygon layer by its population-weighted
    centroid (ONS best fit), and the lookup-only layers (travel to work, economic partnerships)."""
    _read_iod(ctx)
    ctx.small_areas = small_area_table(ctx.deprivation_measures, ctx.small_area_population, ctx.changes, ctx.hierarchy)
    oa_ds = ctx.pick("oa_lookup")
    if ctx.small_areas.empty and oa_ds is None:
        ctx.leave_out("No small areas: no IoD2019 or population file was given, so there is no small-area layer, no best-fit lookups and no deprivation profile.")
    oa = lk.read_oa_lookup(oa_ds.path) if oa_ds else None
    centroid_files = {d.path: read_centroids(d.path) for d in ctx.all_of("centroids")}
    if not ctx.small_areas.empty:
        ctx.geography.add_small_areas(ctx.small_areas)
        points, fit = small_area_points(ctx.small_areas, centroid_files, oa)
        for path in centroid_files:
            ctx.use(path, "population-weighted centroids: best-fit assignment of LSOAs to polygon layers")
        if oa_ds is not None:
            ctx.use(oa_ds.path, "LSOA (2011) -> MSOA (2011): centroid of the MSOA for LSOAs re-coded in 2021")
        ctx.geography.assign_by_points(points, fit)
    for kind, layer, reader in (("ttwa_lookup", "ttwa", lk.read_ttwa_lookup), ("lep_lookup", "economic_partnership", lk.read_lep_lookup)):
        ds = ctx.pick(kind)
        if ds is not None and not ctx.small_areas.empty:
            table = reader(ds.path)
            overlaps = int(table["second_code"].notna().sum()) if "second_code" in table else 0
            ctx.geography.add_lookup_layer(layer, table)
            what = f"{layer} by LSOA (2011) lookup, no polygons"
            if overlaps:
                what += f"; {overlaps:,} LSOAs in two overlapping partnerships are assigned to their first"
            ctx.use(ds.path, what)


def assemble_geography(ctx: ImportContext) -> None:
    """The areas, boundaries and lookups of every layer built so far."""
    ctx.areas, ctx.boundaries, ctx.lookups = ctx.geography.tables()
    ctx.manifest["best_fit"] = ctx.geography.fit_counts
    for layer in ("ttwa", "economic_partnership"):
        if layer in set(ctx.areas["layer"]):
            ctx.leave_out(f"Maps of {layer}: ONS publishes it here as a lookup only (no polygons), so it is a layer without boundaries.")
