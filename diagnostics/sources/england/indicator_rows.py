"""Indicator rows of an England store: ready-made figures from the publishers' files, mapped onto
the catalogue and current codes with their status notes, and population totals computed from
small-area denominators.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.sources.england.els import read_els
from diagnostics.sources.england.fingertips import read_fingertips
from diagnostics.sources.england.lookups import ITL1_EQUIVALENTS
from diagnostics.sources.england.recognise import KINDS

__all__ = ["ready_made_indicators", "indicator_rows", "population_indicators"]

# -- indicators -------------------------------------------------------------------------------------
_STATUS = {
    "x": "not available (suppressed or unreliable; status x)",
    "u": "low reliability (status u)",
    "c": "confidential (status c)",
}


def ready_made_indicators(datasets, report, catalogue, changes, area_codes):
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
            matched.append(indicator_rows(sel, row, changes, area_codes, ds.path.name))
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


def indicator_rows(sel: pd.DataFrame, spec: pd.Series, changes, area_codes: set, file_name: str) -> pd.DataFrame:
    """Rows of one catalogue indicator, on current codes, with published intervals kept."""
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


def population_indicators(population: pd.DataFrame, lookups: pd.DataFrame, small: pd.DataFrame) -> pd.DataFrame:
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
