"""The comparator step of an England import: ONS's similar-areas lists and clusters."""

from __future__ import annotations

import pandas as pd

from diagnostics.sources.england import comparators as comp
from diagnostics.sources.england.context import ImportContext

__all__ = ["read_official_comparators"]


def read_official_comparators(ctx: ImportContext) -> None:
    """ONS's nearest neighbours (global, economic, demographic) and clusters, on current codes."""
    descriptions_ds = ctx.pick("cluster_descriptions")
    descriptions = comp.read_cluster_descriptions(descriptions_ds.path) if descriptions_ds else {}
    frames = []
    for ds in ctx.all_of("neighbours"):
        frames.append(comp.read_neighbours(ds.path, ds.detail, ctx.changes))
        ctx.use(ds.path, f"ONS {ds.detail} nearest neighbours (20 per authority)")
    if frames:
        neighbours = pd.concat(frames, ignore_index=True)
        neighbours = neighbours.loc[neighbours["area_code"].isin(ctx.area_codes)]
        ctx.tables["comparators"] = neighbours.assign(source="ONS Explore Local Statistics similar areas", vintage="2025 clustering")
    else:
        ctx.leave_out("Official comparators: no ONS neighbour list was given, so comparators='official' is unavailable (statistical nearest neighbours still work).")
    clusters_ds = ctx.pick("clusters")
    if clusters_ds is not None:
        clusters = comp.read_clusters(clusters_ds.path, descriptions, ctx.changes)
        ctx.tables["clusters"] = clusters.loc[clusters["area_code"].isin(ctx.area_codes)].assign(
            source="ONS Explore Local Statistics clusters", vintage="2025 clustering")
        ctx.use(clusters_ds.path, "ONS local authority clusters (global, economic, demographic)")
        if descriptions_ds:
            ctx.use(descriptions_ds.path, "plain-English cluster descriptions")
