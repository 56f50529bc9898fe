"""Checks of a table read back from a store: boundaries against the contract, whether a table already
has the contract's types, a file's digest, and the empty table a declared-absent table reads as.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ContractViolation
from diagnostics.store.schema import (
    BOUNDARY_CRS,
    TABLE_SCHEMAS,
    validate_table,
)

__all__ = ["validate_boundaries", "has_contract_types", "empty_table", "file_digest"]


def validate_boundaries(layer: str, gdf, areas: pd.DataFrame) -> None:
    """Check one layer's boundaries against the contract; raise listing every problem."""
    problems: list[str] = []
    try:
        validate_table("boundaries", pd.DataFrame(gdf.drop(columns=gdf.geometry.name)))
    except ContractViolation as err:
        problems.extend(err.problems)
    if gdf.crs is None or gdf.crs.to_string() != BOUNDARY_CRS:
        problems.append(f"the CRS is {gdf.crs}; boundaries are stored in {BOUNDARY_CRS} (metres)")
    empty = gdf.index[gdf.geometry.is_empty | gdf.geometry.isna()].tolist()
    if empty:
        problems.append(f"column 'geometry' is empty in rows {empty[:5]}; every area needs a polygon")
    invalid = gdf.index[~gdf.geometry.is_valid].tolist()
    if invalid:
        problems.append(f"column 'geometry' is invalid in rows {invalid[:5]}; repair with shapely.make_valid")
    known = set(areas.loc[areas["layer"] == layer, "code"])
    unknown = sorted(set(gdf["code"]) - known)
    if unknown:
        problems.append(f"column 'code' has codes not in areas for layer {layer!r}: {unknown[:5]}")
    if problems:
        raise ContractViolation(f"boundaries/{layer}", problems)


def has_contract_types(name: str, df: pd.DataFrame) -> bool:
    """Whether the table has the contract's columns, already of the types validation coerces to."""
    try:
        coerced = validate_table(name, df.head(0))
    except ContractViolation:
        return False
    return list(coerced.columns) == list(df.columns) and coerced.dtypes.equals(df.dtypes)


def empty_table(name: str) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in TABLE_SCHEMAS[name].columns})


def file_digest(file: Path) -> str:
    h = hashlib.sha256()
    with open(file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
