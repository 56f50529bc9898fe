"""An analyst's own firm register (Companies House, FAME or Beauhurst exports) into a store
(``place-diagnostic data import --firms FILE --store S [--map COLUMN=FIELD ...]``).

The pipeline reads top to bottom: read the file (CSV or Excel), find each field's column
(:func:`~diagnostics.sources.firm_columns.resolve_columns`), make the contract's ``firms`` and
``firm_years`` tables (SIC code -> section, founding date -> year, latitude/longitude -> British
National Grid, the small area from the register's LSOA code or, where the store has small-area
polygons, from the firm's point), then rewrite the store with them, atomically (a failed import
leaves the store as it was). The register is held leniently, as the contract says: problems in its
rows are counted by the growth section's data-quality table, not refused here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.firm_columns import ColumnMap, parse_mapping, resolve_columns
from diagnostics.store.schema import TABLE_SCHEMAS
from diagnostics.store.store import open_store, write_store

__all__ = ["FirmImport", "import_firms", "sic_section"]

#: SIC 2007 divisions (first two digits) -> section.
_DIVISIONS = [(1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"), (45, 47, "G"),
              (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"), (69, 75, "M"), (77, 82, "N"),
              (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"), (94, 96, "S"), (97, 98, "T"), (99, 99, "U")]
_SECTION_OF = {d: s for lo, hi, s in _DIVISIONS for d in range(lo, hi + 1)}
#: Manifest keys write_store sets itself; the rest of a store's manifest is kept when firms are added.
_OWN_KEYS = {"schema_version", "store_version", "source", "vintage", "attribution", "created", "tables",
             "validated_digests", "boundary_layers"}


@dataclass
class FirmImport:
    """What a register import did: the store written, the columns used, and notes for people."""

    store: Path
    firms: int
    firm_years: int
    columns: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Firm register: {self.firms:,} firms, {self.firm_years:,} firm-years, written to {self.store}",
                 "Columns used: " + ", ".join(f"{c} -> {f}" for f, c in self.columns.items())]
        return "\n".join(lines + [f"  ! {n}" for n in self.notes])


def sic_section(sic: pd.Series) -> pd.Series:
    """The SIC 2007 section of each SIC code ("62012 - Business and domestic software" -> "J").

    The first run of 4 or 5 digits is the code (a 4-digit code lost its leading zero in a
    spreadsheet: "1110" is 01110); NaN when there is none or its division is not a SIC 2007 one.

    >>> sic_section(pd.Series(["62012 - Business and domestic software development", "1110", "none"])).tolist()
    ['J', 'A', nan]
    """
    codes = sic.astype("string").str.extract(r"(\d{4,5})", expand=False).str.zfill(5)
    return codes.str[:2].astype("Float64").map(lambda d: _SECTION_OF.get(int(d)) if pd.notna(d) else np.nan).astype(object)


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pd.read_excel(path, dtype=str, engine="calamine")
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise ImportFailed(str(path), f"it cannot be read as CSV or Excel ({type(err).__name__}: {err})") from err
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise ImportFailed(str(path), "it has no rows")
    return frame


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype("string").str.replace(r"[,£\s]", "", regex=True), errors="coerce").astype(float)


def _year(values: pd.Series) -> pd.Series:
    """A year from a date ("01/04/2015", "2015-04-01") or a year."""
    return pd.to_numeric(values.astype("string").str.extract(r"((?:18|19|20)\d\d)", expand=False), errors="coerce").astype(float)


def _firm_years(frame: pd.DataFrame, columns: ColumnMap, ids: pd.Series) -> pd.DataFrame:
    if columns.is_wide:
        parts = []
        years = sorted(set(columns.yearly["employment"]) | set(columns.yearly.get("turnover", {}))
                       | set(columns.yearly.get("turnover_pounds", {})))
        for year in years:
            turnover = (_number(frame[columns.yearly["turnover"][year]]) if year in columns.yearly.get("turnover", {})
                        else _number(frame[columns.yearly["turnover_pounds"][year]]) / 1000
                        if year in columns.yearly.get("turnover_pounds", {}) else np.nan)
            employment = _number(frame[columns.yearly["employment"][year]]) if year in columns.yearly["employment"] else np.nan
            parts.append(pd.DataFrame({"firm_id": ids, "year": year, "employment": employment, "turnover": turnover}))
        years_table = pd.concat(parts, ignore_index=True)
        return years_table.loc[years_table[["employment", "turnover"]].notna().any(axis=1)].reset_index(drop=True)
    f = columns.fields
    turnover = (_number(frame[f["turnover"]]) if "turnover" in f
                else _number(frame[f["turnover_pounds"]]) / 1000 if "turnover_pounds" in f else np.nan)
    table = pd.DataFrame({"firm_id": ids, "year": _year(frame[f["year"]]), "employment": _number(frame[f["employment"]]),
                          "turnover": turnover})
    return table.dropna(subset=["year"]).astype({"year": int}).reset_index(drop=True)


def _locate(firms: pd.DataFrame, store, notes: list[str]) -> pd.DataFrame:
    """Fill small areas from points where the register gives no LSOA and the store has small-area polygons."""
    need = firms["small_area_code"].isna() & firms["x"].notna() & firms["y"].notna()
    if need.any() and "small_area" in store.boundary_layers():
        import geopandas as gpd  # noqa: PLC0415 - a third-party import kept off `import diagnostics`

        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(firms.loc[need, "x"], firms.loc[need, "y"]),
                                  index=firms.index[need], crs="EPSG:27700")
        joined = gpd.sjoin(points, store.boundaries("small_area")[["code", "geometry"]], predicate="within", how="left")
        firms.loc[need, "small_area_code"] = joined.loc[~joined.index.duplicated(), "code"].reindex(firms.index[need])
        notes.append(f"{int(firms.loc[need, 'small_area_code'].notna().sum()):,} firms placed in a small area by their "
                     "coordinates (point in polygon).")
    elif need.any():
        notes.append(f"{int(need.sum()):,} firms have coordinates but no LSOA code, and this store has no small-area "
                     "polygons to place them: they are mapped but in no area's counts. Add an LSOA code column "
                     "(--map COLUMN=small_area_code).")
    return firms


def import_firms(file: str | Path, store: str | Path, mapping: list[str] | None = None) -> FirmImport:
    """Add an analyst's firm register to a store (replacing any register it had), atomically.

    Parameters
    ----------
    file : path-like
        The register: CSV or Excel, one row per firm (wide: employment and turnover one column per year)
        or per firm and year (long: a year column).
    store : path-like
        The store to add it to; rewritten in place, or left untouched when anything fails.
    mapping : list of str, optional
        ``COLUMN=FIELD`` pairs naming columns the import does not know (fields:
        :data:`~diagnostics.sources.firm_columns.FIELDS`).

    Returns
    -------
    FirmImport

    Raises
    ------
    ImportFailed
        For a file that cannot be read, a bad ``--map``, or a register without a firm id, employment
        by year or a location (the message names the unmapped columns and the ``--map`` fix).

    Notes
    -----
    Turnover is stored in £ thousand: a column "Turnover th GBP 2022" (FAME) is taken as it is, a column
    "Turnover (£) 2022" or "Turnover 2022" (Beauhurst) is divided by 1,000. A postcode alone cannot place
    a firm (no postcode directory is bundled): give the postcode's centroid as latitude and longitude.
    """
    path = Path(file).expanduser()
    pairs = parse_mapping(mapping)
    frame = _read(path)
    columns = resolve_columns(list(frame.columns), pairs, str(path))
    target = open_store(store)
    f, notes = columns.fields, []
    if not columns.is_wide and "firm_id" in f:
        frame = frame.dropna(subset=[f["firm_id"]])
    ids = frame[f["firm_id"]].astype(str).str.strip()
    per_firm = frame.assign(_id=ids.to_numpy()).drop_duplicates("_id") if not columns.is_wide else frame.assign(_id=ids.to_numpy())
    x, y = (_number(per_firm[f["x"]]), _number(per_firm[f["y"]])) if {"x", "y"} <= set(f) else (None, None)
    if x is None and {"latitude", "longitude"} <= set(f):
        from pyproj import Transformer  # noqa: PLC0415 - a third-party import kept off `import diagnostics`

        lon, lat = _number(per_firm[f["longitude"]]), _number(per_firm[f["latitude"]])
        x, y = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(lon.to_numpy(), lat.to_numpy())
        x, y = pd.Series(x, index=per_firm.index).where(lon.notna()), pd.Series(y, index=per_firm.index).where(lat.notna())
    sic = per_firm[f["sic"]] if "sic" in f else pd.Series(np.nan, index=per_firm.index)
    firms = pd.DataFrame({
        "firm_id": per_firm["_id"],
        "name": per_firm[f["name"]] if "name" in f else None,
        "sic": sic.astype("string").str.extract(r"(\d{4,5})", expand=False).str.zfill(5),
        "sic_section": sic_section(sic),
        "founded": _year(per_firm[f["founded"]]) if "founded" in f else np.nan,
        "small_area_code": per_firm[f["small_area_code"]].str.strip() if "small_area_code" in f else np.nan,
        "x": x if x is not None else np.nan,
        "y": y if y is not None else np.nan,
    }).reset_index(drop=True)
    firms["small_area_code"] = firms["small_area_code"].astype(object)
    firms = _locate(firms, target, notes)
    postcode_only = firms["small_area_code"].isna() & firms["x"].isna()
    if "postcode" in f and postcode_only.any():
        notes.append(f"{int(postcode_only.sum()):,} firms have a postcode but no coordinates or LSOA code: a postcode alone "
                     "cannot place them (no postcode directory is bundled); add the postcode's centroid as latitude and "
                     "longitude columns (ONS Postcode Directory).")
    unplaced = int(firms["small_area_code"].isna().sum())
    if unplaced:
        notes.append(f"{unplaced:,} firms have no small area of the store; the growth section counts them in its "
                     "data-quality table.")
    firm_years = _firm_years(frame, columns, ids)
    provenance = {"source": f"Firm register {path.name}", "vintage": re.sub(r"\.\w+$", "", path.name)}
    tables = {name: target.table(name) for name in TABLE_SCHEMAS if target.has_table(name)}
    tables["firms"] = firms.assign(**provenance)
    tables["firm_years"] = firm_years
    manifest = {k: v for k, v in target.manifest.items() if k not in _OWN_KEYS}
    manifest.setdefault("absent_tables", {})
    manifest["absent_tables"] = {k: v for k, v in manifest["absent_tables"].items() if k not in ("firms", "firm_years")}
    manifest["firm_register"] = {"file": str(path), "columns": {**f, **{k: list(v.values()) for k, v in columns.yearly.items()}}}
    written = write_store(target.path, tables, {layer: target.boundaries(layer) for layer in target.boundary_layers()},
                          source=target.source, vintage=target.vintage, attribution=target.attribution, extra=manifest)
    used = {**f, **{k: f"{len(v)} yearly columns ({min(v)} to {max(v)})" for k, v in columns.yearly.items()}}
    return FirmImport(written, len(firms), len(firm_years), used, notes)

