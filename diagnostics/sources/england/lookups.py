"""ONS lookups: local authority code changes, the area hierarchy and small-area best-fit tables.

District codes changed in 2019 (Dorset, BCP), 2020 (Buckinghamshire), 2021 (Northamptonshire),
2023 (Cumbria, North Yorkshire, Somerset) and 2025 (Barnsley, Sheffield re-coded). Figures are
harmonised to the current codes with ONS's code-change list: a *new code* for the same area
carries its figures over; a *merger* does not (a rate for Selby is not a rate for North
Yorkshire), but the predecessor's small areas are assigned to the successor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.recognise import open_text

__all__ = [
    "ITL1_EQUIVALENTS",
    "CodeChanges",
    "read_code_changes",
    "read_hierarchy",
    "read_police_lookup",
    "read_ttwa_lookup",
    "read_lep_lookup",
    "read_oa_lookup",
    "read_csv",
]


#: ITL1 areas of England and the ONS regions they coincide with (same boundaries, other codes):
#: figures published only for ITL1 (regional productivity) serve as the region's and England's.
ITL1_EQUIVALENTS: dict[str, str] = {
    "TLB": "E92000001", "TLC": "E12000001", "TLD": "E12000002", "TLE": "E12000003", "TLF": "E12000004",
    "TLG": "E12000005", "TLH": "E12000006", "TLI": "E12000007", "TLJ": "E12000008", "TLK": "E12000009",
}


def read_csv(path: Path, usecols=None, **kwargs) -> pd.DataFrame:
    """Read a (possibly gzipped) CSV as text columns; a damaged file raises :class:`ImportFailed`."""
    try:
        with open_text(Path(path)) as fh:
            df = pd.read_csv(fh, dtype=str, usecols=usecols, keep_default_na=False, na_values=[""], **kwargs)
    except (OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as err:
        raise ImportFailed(str(path), f"it cannot be read as CSV ({type(err).__name__}: {err}); download it again") from err
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _require(df: pd.DataFrame, path: Path, columns) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ImportFailed(str(path), f"the columns {missing} are missing; found {list(df.columns)[:10]}")


@dataclass
class CodeChanges:
    """ONS's local authority code changes, as maps from an old code to its successor.

    Attributes
    ----------
    renamed : dict
        Old code -> new code for the same area (type ``new_code``): figures carry over.
    merged : dict
        Old code -> the area that absorbed it (type ``merger``): small areas carry over, figures not.
    table : DataFrame
        The file as read (oldcd, oldnm, newcd, newnm, type, start).
    """

    renamed: dict[str, str] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def current(self, code: str) -> str:
        """The current code of an area (following renames and mergers to the end of the chain)."""
        seen = set()
        while code not in seen:
            seen.add(code)
            nxt = self.renamed.get(code) or self.merged.get(code)
            if not nxt:
                return code
            code = nxt
        return code

    def renamed_to(self, code: str) -> str:
        """The current code of the same area (renames only; a merged area keeps its old code)."""
        seen = set()
        while code in self.renamed and code not in seen:
            seen.add(code)
            code = self.renamed[code]
        return code


def read_code_changes(path: Path) -> CodeChanges:
    """Read ONS's code-change list (``oldcd, oldnm, newcd, newnm, type, start``)."""
    df = read_csv(path)
    _require(df, path, ["oldcd", "newcd", "type", "start"])
    df = df.dropna(subset=["oldcd"])
    renamed = dict(df.loc[df["type"] == "new_code", ["oldcd", "newcd"]].dropna().values)
    merged = dict(df.loc[df["type"] == "merger", ["oldcd", "newcd"]].dropna().values)
    # combined-authority "new_geo" rows say a district joined a new authority: not a code change
    return CodeChanges(renamed=renamed, merged=merged, table=df)


#: Columns of the hierarchy table :func:`read_hierarchy` returns.
HIERARCHY_COLUMNS = [
    "district_code", "district_name", "county_code", "county_name",
    "cauth_code", "cauth_name", "region_code", "region_name", "country_code", "country_name",
]


def read_hierarchy(path: Path, detail: str) -> pd.DataFrame:
    """Current English districts with their county (two-tier areas), combined authority and region.

    Reads either ONS Explore Local Statistics' area metadata (``geo-metadata.json``: each area's
    parents) or a table of every district code with its active successor (``LADCD``,
    ``LADCD_ACTIVE``, ``UTLACD``, ``CAUTHCD``, ``RGNCD``...).

    Returns
    -------
    DataFrame
        :data:`HIERARCHY_COLUMNS`; county and combined-authority columns empty where there is none.
        A unitary authority has no county (its upper tier is itself).
    """
    if detail == "els_geo_metadata":
        try:
            with open_text(path) as fh:
                meta = json.load(fh)
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
            raise ImportFailed(str(path), f"it is not valid JSON ({err})") from err
        rows = []
        for code, area in meta.items():
            if not (code.startswith("E") and "ltla" in area.get("level", []) and "end" not in area):
                continue
            parents = area.get("parents", [])
            county, cauth, region = (next((p for p in parents if p.startswith(prefix)), None)
                                     for prefix in ("E10", "E47", "E12"))
            name = lambda c: meta.get(c, {}).get("areanm") if c else None  # noqa: E731
            rows.append([code, area["areanm"], county, name(county), cauth, name(cauth), region, name(region),
                         "E92000001", name("E92000001") or "England"])
        table = pd.DataFrame(rows, columns=HIERARCHY_COLUMNS)
    else:
        df = read_csv(path)
        _require(df, path, ["LADCD", "LADNM", "LADCD_ACTIVE", "UTLACD", "UTLANM", "CAUTHCD", "CAUTHNM", "RGNCD", "RGNNM"])
        df = df.loc[(df["LADCD"] == df["LADCD_ACTIVE"]) & df["LADCD"].str.startswith("E")]
        if "Current" in df.columns:
            df = df.loc[df["Current"].str.upper() == "TRUE"]
        county = df["UTLACD"].where(df["UTLACD"].str.startswith("E10"))
        table = pd.DataFrame({
            "district_code": df["LADCD"], "district_name": df["LADNM"],
            "county_code": county, "county_name": df["UTLANM"].where(county.notna()),
            "cauth_code": df["CAUTHCD"], "cauth_name": df["CAUTHNM"],
            "region_code": df["RGNCD"], "region_name": df["RGNNM"],
            "country_code": "E92000001", "country_name": "England",
        })
    table = table.drop_duplicates("district_code").sort_values("district_code").reset_index(drop=True)
    if table.empty or table["region_code"].isna().any():
        raise ImportFailed(str(path), "it lists no current English districts with their regions")
    return table


def reconcile_regions(hierarchy: pd.DataFrame, district_regions: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``hierarchy`` with each district's region taken from a district-level lookup where the two differ.

    Explore Local Statistics' area tree hangs districts under their combined authority and the
    combined authority under one region, so a combined authority spanning two regions moves some of
    its districts to the other's region (Greater Lincolnshire, 2025, puts North and North East
    Lincolnshire in the East Midlands). A table of every district with its own region (``RGNCD``)
    is the authority on region membership.

    Returns
    -------
    (DataFrame, list of str)
        The hierarchy, and one sentence per district moved ("North Lincolnshire (E06000013): Yorkshire
        and The Humber, not East Midlands").
    """
    own = district_regions.drop_duplicates("district_code").set_index("district_code")
    known = hierarchy["district_code"].isin(own.index)
    new_code = hierarchy["district_code"].map(own["region_code"])
    moved = known & (new_code != hierarchy["region_code"])
    sentences = [
        f"{r.district_name} ({r.district_code}): {own.at[r.district_code, 'region_name']}, not {r.region_name}"
        for r in hierarchy.loc[moved].itertuples()
    ]
    fixed = hierarchy.copy()
    fixed.loc[moved, "region_code"] = new_code[moved]
    fixed.loc[moved, "region_name"] = hierarchy.loc[moved, "district_code"].map(own["region_name"])
    return fixed, sentences


def read_police_lookup(path: Path, changes: CodeChanges) -> pd.DataFrame:
    """District -> police force area (whole districts), on current district codes.

    Returns
    -------
    DataFrame
        district_code (current), police_code, police_name.
    """
    df = read_csv(path)
    lad = next(c for c in df.columns if c.upper().startswith("LAD") and c.upper().endswith("CD"))
    pfa = next(c for c in df.columns if c.upper().startswith("PFA") and c.upper().endswith("CD"))
    pfa_name = pfa[:-2] + "NM"
    _require(df, path, [pfa_name])
    out = pd.DataFrame({
        "district_code": df[lad].map(changes.current),
        "police_code": df[pfa],
        "police_name": df[pfa_name],
    })
    out = out.loc[out["district_code"].str.startswith("E")].drop_duplicates()
    clash = out.groupby("district_code")["police_code"].nunique()
    if (clash > 1).any():
        raise ImportFailed(str(path), f"districts {list(clash[clash > 1].index)[:5]} fall in several police force areas")
    return out.reset_index(drop=True)


def _small_area_lookup(path: Path, code_prefix: str, suffix: str = "CD") -> pd.DataFrame:
    df = read_csv(path)
    _require(df, path, ["LSOA11CD"])
    col = next((c for c in df.columns if c.upper().startswith(code_prefix) and c.upper().endswith(suffix)), None)
    if col is None:
        raise ImportFailed(str(path), f"no {code_prefix}yy{suffix} column")
    name_col = col[: -len(suffix)] + ("NM" if suffix == "CD" else "NM1")
    out = pd.DataFrame({"small_area_code": df["LSOA11CD"], "area_code": df[col], "area_name": df.get(name_col, df[col])})
    return out.loc[out["small_area_code"].str.startswith("E", na=False)].dropna(subset=["area_code"]).reset_index(drop=True)


def read_ttwa_lookup(path: Path) -> pd.DataFrame:
    """LSOA (2011) -> travel-to-work area (2011): small_area_code, area_code, area_name (England only)."""
    return _small_area_lookup(path, "TTWA")


def read_lep_lookup(path: Path) -> pd.DataFrame:
    """LSOA (2011) -> local enterprise partnership (its first LEP where two overlap).

    Returns
    -------
    DataFrame
        small_area_code, area_code, area_name, and ``second_code`` (the overlapping LEP, if any).
    """
    df = read_csv(path)
    col1 = next((c for c in df.columns if c.upper().startswith("LEP") and c.upper().endswith("CD1")), None)
    if col1 is None or "LSOA11CD" not in df.columns:
        raise ImportFailed(str(path), "expected LSOA11CD and LEPyyCD1 columns")
    col2 = col1[:-1] + "2"
    out = pd.DataFrame({
        "small_area_code": df["LSOA11CD"],
        "area_code": df[col1],
        "area_name": df.get(col1[:-3] + "NM1", df[col1]),
        "second_code": df.get(col2),
    })
    return out.loc[out["small_area_code"].str.startswith("E", na=False)].dropna(subset=["area_code"]).reset_index(drop=True)


def read_oa_lookup(path: Path) -> pd.DataFrame:
    """LSOA (2011) -> MSOA (2011), England: small_area_code, msoa_code."""
    df = read_csv(path, usecols=lambda c: c.strip() in ("LSOA11CD", "MSOA11CD"))
    _require(df, path, ["LSOA11CD", "MSOA11CD"])
    df = df.drop_duplicates("LSOA11CD")
    df = df.loc[df["LSOA11CD"].str.startswith("E", na=False)]
    return df.rename(columns={"LSOA11CD": "small_area_code", "MSOA11CD": "msoa_code"}).reset_index(drop=True)
