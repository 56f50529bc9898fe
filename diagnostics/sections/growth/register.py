"""The firm register made ready for analysis: firms numbered, their yearly records joined and sorted,
and every data-quality problem counted.

The register is held leniently (see :mod:`diagnostics.store.schema`): :func:`prepare_register` counts
every problem it meets (duplicated ids, unknown SIC sections, negative or zero employment, missing
years, unknown firms or small areas) in a table the page shows, and says what was done with each;
nothing is dropped silently. :func:`rows_years_ahead` finds a firm's record some years on, which the
classification (:mod:`~diagnostics.sections.growth.classify`) and the model's features
(:mod:`~diagnostics.sections.growth.features`) use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import InvalidParameter

__all__ = ["UNKNOWN_SECTION", "Register", "prepare_register", "rows_years_ahead"]

#: The sector label given to firms whose SIC section is missing or not a SIC 2007 section.
UNKNOWN_SECTION = "unknown"


@dataclass(frozen=True, eq=False)
class Register:
    """A firm register ready for analysis.

    Attributes
    ----------
    firms : DataFrame
        One row per distinct firm id (the first row of a duplicated id), index 0..n-1 (the firm's
        number in ``panel``): firm_id, name, sic, section (categorical; ``UNKNOWN_SECTION`` when
        missing or not a SIC 2007 section), founded (year, NaN when unknown), small_area_code
        (categorical; NaN when missing or not a small area of the store), x, y (EPSG:27700 metres).
    panel : DataFrame
        One row per firm and year, sorted: firm (int), year (int), employment (persons; NaN when
        missing or negative), turnover (pounds thousand; NaN when missing or negative).
    quality : DataFrame
        One row per check: check, table, count, unit, treatment (what was done).
    years : tuple of int
        Every year from the first record to the last.
    """

    firms: pd.DataFrame
    panel: pd.DataFrame
    quality: pd.DataFrame
    years: tuple[int, ...] = ()


def _quality_row(check: str, table: str, count: int, unit: str, treatment: str) -> dict:
    return {"check": check, "table": table, "count": int(count), "unit": unit, "treatment": treatment}


def _positions(values: pd.Series, index: pd.Series) -> np.ndarray:
    """The position of each of ``values`` in ``index`` (unique), -1 when absent (Arrow's hash join)."""
    found = pc.index_in(pa.array(values.astype(str)), value_set=pa.array(index.astype(str)))
    return np.asarray(found.fill_null(-1), dtype=np.int64)


def prepare_register(firms: pd.DataFrame, firm_years: pd.DataFrame, small_area_codes=None) -> Register:
    """Number the firms, join their yearly records and count every data-quality problem.

    Parameters
    ----------
    firms : DataFrame
        The store's ``firms`` table (firm_id, name, sic, sic_section, founded, small_area_code, x, y).
    firm_years : DataFrame
        The store's ``firm_years`` table (firm_id, year, employment in persons, turnover in pounds
        thousand).
    small_area_codes : iterable of str, optional
        The store's small areas; a firm located elsewhere is counted and kept with no small area.

    Returns
    -------
    Register
        The cleaned register; ``quality`` lists each check with its count (zero when none found):
        duplicated firm ids, unknown SIC sections, missing year founded, missing or unknown small
        area, records of firms not in the register, duplicated firm-year records, negative, zero and
        missing employment, negative turnover, and gaps in a firm's years.

    Notes
    -----
    What is done: a duplicated id keeps its first row; an unknown section becomes
    ``"unknown"`` (kept in every count, shown as its own sector); negative employment or turnover
    becomes missing (the firm stays active that year but cannot start or end a growth window);
    zero employment is kept (a business with no employees: active, never 10+); a record of a firm
    not in the register or a repeated firm-year record is left out; a gap year means the firm is
    not active that year, and a window starting or ending in it cannot be classified.
    """
    for name, table, columns in (("firms", firms, ("firm_id", "sic_section", "founded", "small_area_code")),
                                 ("firm_years", firm_years, ("firm_id", "year", "employment", "turnover"))):
        if not isinstance(table, pd.DataFrame):
            raise InvalidParameter(f"The {name!r} parameter of prepare_register must be a DataFrame; got {type(table).__name__}.")
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise InvalidParameter(f"The {name!r} parameter of prepare_register lacks column(s) {missing}; see data/README.md.")
    quality = []
    duplicated = firms["firm_id"].astype(str).duplicated(keep="first").to_numpy()
    quality.append(_quality_row("duplicated firm id", "firms", duplicated.sum(), "rows",
                                "the first row of each id is used; later rows are left out"))
    f = firms.loc[~duplicated].reset_index(drop=True) if duplicated.any() else firms.reset_index(drop=True)
    raw_section = pd.Categorical(f["sic_section"])
    known_section = [c for c in raw_section.categories if c in SIC_SECTIONS]
    section = raw_section.set_categories(known_section + [UNKNOWN_SECTION])
    unknown_section = section.isna()
    section[unknown_section] = UNKNOWN_SECTION
    quality.append(_quality_row("unknown or missing SIC section", "firms", unknown_section.sum(), "firms",
                                "kept, in a sector of its own called 'unknown'"))
    founded = pd.to_numeric(f["founded"], errors="coerce").to_numpy(float)
    quality.append(_quality_row("missing year founded", "firms", np.isnan(founded).sum(), "firms",
                                "kept; its age is unknown, so it is never a gazelle and is left out of the model"))
    raw_location = pd.Categorical(f["small_area_code"])
    categories = raw_location.categories
    if small_area_codes is not None:
        categories = categories[categories.isin(list(small_area_codes))]
    location = raw_location.set_categories(categories)
    unknown_location = location.isna()
    quality.append(_quality_row("missing or unknown small area", "firms", unknown_location.sum(), "firms",
                                "kept in the register but in no area's counts, the map or the model"))
    clean = pd.DataFrame({
        "firm_id": f["firm_id"].astype(str),
        "name": f["name"] if "name" in f else None,
        "sic": f["sic"] if "sic" in f else None,
        "section": section,
        "founded": founded,
        "small_area_code": location,
        "x": pd.to_numeric(f["x"], errors="coerce").to_numpy(float) if "x" in f else np.nan,
        "y": pd.to_numeric(f["y"], errors="coerce").to_numpy(float) if "y" in f else np.nan,
    })

    firm = _positions(firm_years["firm_id"], clean["firm_id"])
    year = firm_years["year"].to_numpy(np.int64)
    employment = pd.to_numeric(firm_years["employment"], errors="coerce").to_numpy(float)
    turnover = pd.to_numeric(firm_years["turnover"], errors="coerce").to_numpy(float)
    unknown_firm = firm < 0
    quality.append(_quality_row("records of firms not in the register", "firm_years", unknown_firm.sum(), "rows",
                                "left out"))
    keep = ~unknown_firm
    if not keep.all():
        firm, year, employment, turnover = firm[keep], year[keep], employment[keep], turnover[keep]
    key = _panel_keys(firm, year)
    if len(key) and not (key[1:] >= key[:-1]).all():  # registers are usually sorted already
        order = np.argsort(key, kind="stable")
        firm, year, employment, turnover, key = firm[order], year[order], employment[order], turnover[order], key[order]
    repeat = np.zeros(len(firm), bool)
    repeat[1:] = key[1:] == key[:-1]
    quality.append(_quality_row("duplicated firm-year record", "firm_years", repeat.sum(), "rows",
                                "the first record of each firm and year is used"))
    if repeat.any():
        firm, year, employment, turnover, key = firm[~repeat], year[~repeat], employment[~repeat], turnover[~repeat], key[~repeat]
    negative = employment < 0
    quality.append(_quality_row("negative employment", "firm_years", negative.sum(), "rows",
                                "treated as missing: active that year, but no growth window starts or ends there"))
    quality.append(_quality_row("zero employment", "firm_years", (employment == 0).sum(), "rows",
                                "kept: a business with no employees (active, never 10+, never high-growth)"))
    quality.append(_quality_row("missing employment", "firm_years", np.isnan(employment).sum(), "rows",
                                "active that year, but no growth window starts or ends there"))
    employment = np.where(negative, np.nan, employment)
    bad_turnover = turnover < 0
    quality.append(_quality_row("negative turnover", "firm_years", bad_turnover.sum(), "rows",
                                "treated as missing for growth in turnover"))
    turnover = np.where(bad_turnover, np.nan, turnover)
    if len(firm):
        starts = np.r_[0, np.flatnonzero(np.diff(firm)) + 1]
        span = np.maximum.reduceat(year, starts) - np.minimum.reduceat(year, starts) + 1
        records = np.diff(np.r_[starts, len(firm)])
        gaps = span - records
    else:
        gaps = np.zeros(0, int)
    quality.append(_quality_row("firms with missing years between their first and last record", "firm_years",
                                (gaps > 0).sum(), "firms",
                                f"inactive in the {int(gaps.sum()):,} missing firm-years; windows starting or ending there are not classified"))
    panel = pd.DataFrame({"firm": firm, "year": year, "employment": employment, "turnover": turnover})
    panel.attrs["keys"] = _SharedKeys(key)  # sorted and unique: what rows_years_ahead searches
    years = tuple(range(int(year.min()), int(year.max()) + 1)) if len(year) else ()
    return Register(clean, panel, pd.DataFrame(quality), years)


#: The largest number of years :func:`rows_years_ahead` may look ahead or back (windows are at most 10 years).
_MAX_OFFSET = 11


class _SharedKeys:
    """A panel's firm-year keys, carried in ``DataFrame.attrs`` by reference.

    pandas deep-copies ``attrs`` into the result of every operation on a frame; a bare array of
    one key per firm-year (tens of millions at england scale) would be copied each time."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray):
        self.array = array

    def __deepcopy__(self, memo) -> _SharedKeys:
        return self


def _panel_keys(firm: np.ndarray, year: np.ndarray) -> np.ndarray:
    """One sortable integer per firm-year: ``firm * span + (year - first year)``, with room for offsets."""
    if not len(year):
        return np.zeros(0, np.int64)
    span = int(year.max() - year.min() + 1 + _MAX_OFFSET)
    return firm.astype(np.int64) * span + (year.astype(np.int64) - int(year.min()))


def rows_years_ahead(panel: pd.DataFrame, years_ahead: int, rows: np.ndarray | None = None) -> np.ndarray:
    """For each of ``rows`` of the panel (all by default), the row of the same firm ``years_ahead``
    years later (earlier when negative), or -1 when the firm has no record then.

    ``years_ahead`` is at most 11 in size; the panel is a :class:`Register`'s ``panel`` (sorted by
    firm and year)."""
    if abs(years_ahead) > _MAX_OFFSET:
        raise InvalidParameter(f"The 'years_ahead' parameter of rows_years_ahead must be at most {_MAX_OFFSET} in size; got {years_ahead}.")
    keys = getattr(panel.attrs.get("keys"), "array", None)
    if keys is None or len(keys) != len(panel):
        keys = _panel_keys(panel["firm"].to_numpy(np.int64), panel["year"].to_numpy(np.int64))
    if not len(keys):
        return np.zeros(0, np.int64)
    rows = np.arange(len(keys)) if rows is None else np.asarray(rows, np.int64)
    target = keys[rows] + years_ahead
    at = np.minimum(np.searchsorted(keys, target), len(keys) - 1)
    return np.where(keys[at] == target, at, -1)


