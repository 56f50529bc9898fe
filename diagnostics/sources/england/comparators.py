"""ONS's own comparator groups for local authorities (Explore Local Statistics "similar areas").

Three nearest-neighbour lists (global, economic, demographic: 20 neighbours each, nearest first)
and three clusterings (each authority's cluster letter), with plain-English cluster descriptions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.lookups import CodeChanges, read_csv
from diagnostics.sources.england.recognise import open_text

__all__ = ["read_neighbours", "read_clusters", "read_cluster_descriptions"]


def read_neighbours(path: Path, set_name: str, changes: CodeChanges | None = None) -> pd.DataFrame:
    """One ONS neighbour list in long form: area_code, set_name, rank (1 = nearest), comparator_code.

    Codes are moved to their current equivalents where an area was only re-coded.
    """
    df = read_csv(path)
    if "AREACD" not in df.columns:
        raise ImportFailed(str(path), "the AREACD column is missing")
    rank_columns = [c for c in df.columns if c.strip().isdigit()]
    if not rank_columns:
        raise ImportFailed(str(path), "no neighbour columns 1, 2, ... found")
    long = df.melt(id_vars="AREACD", value_vars=rank_columns, var_name="rank", value_name="comparator_code")
    long = long.dropna(subset=["comparator_code"])
    out = pd.DataFrame({
        "area_code": long["AREACD"],
        "set_name": set_name,
        "rank": long["rank"].astype(int),
        "comparator_code": long["comparator_code"],
    })
    if changes is not None:
        out["area_code"] = out["area_code"].map(changes.renamed_to)
        out["comparator_code"] = out["comparator_code"].map(changes.renamed_to)
    return out.drop_duplicates(["area_code", "set_name", "rank"]).sort_values(["area_code", "rank"]).reset_index(drop=True)


def read_clusters(path: Path, descriptions: dict | None = None, changes: CodeChanges | None = None) -> pd.DataFrame:
    """Cluster membership in long form: area_code, set_name (global/economic/demographic), cluster, description."""
    df = read_csv(path)
    sets = [c for c in ("Global", "Economic", "Demographic") if c in df.columns]
    if "AREACD" not in df.columns or not sets:
        raise ImportFailed(str(path), "expected AREACD and Global/Economic/Demographic columns")
    long = df.melt(id_vars="AREACD", value_vars=sets, var_name="set_name", value_name="cluster").dropna(subset=["cluster"])
    long["set_name"] = long["set_name"].str.lower()
    out = pd.DataFrame({"area_code": long["AREACD"], "set_name": long["set_name"], "cluster": long["cluster"]})
    if changes is not None:
        out["area_code"] = out["area_code"].map(changes.renamed_to)
    descriptions = descriptions or {}
    out["description"] = [
        _describe(descriptions.get(s, {}), c) for s, c in zip(out["set_name"], out["cluster"])
    ]
    return out.drop_duplicates(["area_code", "set_name"]).reset_index(drop=True)


def _describe(entry, cluster: str) -> str | None:
    value = (entry.get(cluster) or entry.get(str(cluster).lower())) if isinstance(entry, dict) else None
    if isinstance(value, dict):
        value = value.get("description") or value.get("text") or next((v for v in value.values() if isinstance(v, str)), None)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value) if value else None


def read_cluster_descriptions(path: Path) -> dict:
    """The descriptions JSON: {set: {cluster: description}}."""
    try:
        with open_text(path) as fh:
            return json.load(fh)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ImportFailed(str(path), f"it is not valid JSON ({err})") from err
