"""Growth firms: the OECD-Eurostat classification of the firm register, counts and rates by area,
and sectors. Where the firms are (density and Getis-Ord Gi* hot spots) is
:mod:`diagnostics.sections.growth.hot_spots`, whose functions are importable from here too.

Analysis only: plain functions from the store's ``firms`` and ``firm_years`` tables to tidy tables.
The logistic model of growth potential lives in :mod:`diagnostics.sections.growth.model`; the views in
:mod:`diagnostics.sections.growth.page`.

The register is held leniently (see :mod:`diagnostics.store.schema`): :func:`prepare_register` counts
every data-quality problem it meets (duplicated ids, unknown SIC sections, negative or zero
employment, missing years, unknown firms or small areas) in a table the page shows, and says what
was done with each; nothing is dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import InvalidParameter

__all__ = [
    "rows_years_ahead",
    "GrowthDefinition",
    "OECD_EUROSTAT",
    "Register",
    "prepare_register",
    "high_growth",
    "classify",
    "small_area_assignment",
    "small_area_counts",
    "growth_rates",
    "sector_summary",
    "SectorRows",
    "sector_rows",
    "store_growth",
    "UNKNOWN_SECTION",
]

#: The sector label given to firms whose SIC section is missing or not a SIC 2007 section.
UNKNOWN_SECTION = "unknown"
#: Growth within this relative distance of the threshold counts as exactly the threshold (not high
#: growth): 125 -> 216 employees is exactly 20% a year, though 216/125 > 1.2**3 in floating point.
_RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class GrowthDefinition:
    """The parameters of the OECD-Eurostat high-growth definition.

    Attributes
    ----------
    threshold : float, default 0.20
        Average annualised growth a firm must *exceed* over the window (0.20 = 20% a year; exactly
        the threshold is not high growth). The EU's 2014 statistical definition uses 0.10.
    window : int, default 3
        Length of the growth period in years (growth from year ``t - window`` to ``t``).
    min_employees : float, default 10
        Employees a firm must have at the start of the window (10 in the OECD-Eurostat manual;
        ONS also publishes variants, for example with 250+ employees for large firms).
    gazelle_max_age : int, default 5
        A gazelle is high-growth (by employment) and at most this many years old at the end of the
        window (age = end year - year founded).

    Examples
    --------
    >>> GrowthDefinition().label
    'more than 20% a year over 3 years, 10+ employees at the start'
    """

    threshold: float = 0.20
    window: int = 3
    min_employees: float = 10
    gazelle_max_age: int = 5

    def __post_init__(self):
        checks = (
            ("threshold", self.threshold, isinstance(self.threshold, (int, float)) and not isinstance(self.threshold, bool)
             and math.isfinite(self.threshold) and self.threshold > 0, "a positive fraction (0.2 = 20% a year)"),
            ("window", self.window, isinstance(self.window, (int, np.integer)) and not isinstance(self.window, bool)
             and 1 <= self.window <= 10, "an integer number of years from 1 to 10"),
            ("min_employees", self.min_employees, isinstance(self.min_employees, (int, float))
             and not isinstance(self.min_employees, bool) and self.min_employees >= 1, "a number of employees of at least 1"),
            ("gazelle_max_age", self.gazelle_max_age, isinstance(self.gazelle_max_age, (int, np.integer))
             and not isinstance(self.gazelle_max_age, bool) and self.gazelle_max_age >= 0, "a non-negative integer of years"),
        )
        for name, value, ok, allowed in checks:
            if not ok:
                raise InvalidParameter(f"The {name!r} parameter of GrowthDefinition must be {allowed}; got {value!r}.")

    @property
    def label(self) -> str:
        return (f"more than {self.threshold:.0%} a year over {self.window} years, "
                f"{self.min_employees:g}+ employees at the start")

    @property
    def key(self) -> tuple:
        return (float(self.threshold), int(self.window), float(self.min_employees), int(self.gazelle_max_age))


#: The OECD-Eurostat definition (Eurostat-OECD Manual on Business Demography Statistics, 2007).
OECD_EUROSTAT = GrowthDefinition()


@dataclass
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
    """

    firms: pd.DataFrame
    panel: pd.DataFrame
    quality: pd.DataFrame
    years: tuple[int, ...] = field(default=())


def _quality_row(check: str, table: str, count: int, unit: str, treatment: str) -> dict:
    return {"check": check, "table": table, "count": int(count), "unit": unit, "treatment": treatment}


def _positions(values: pd.Series, index: pd.Series) -> np.ndarray:
    """The position of each of ``values`` in ``index`` (unique), -1 when absent (Arrow's hash join)."""
    import pyarrow as pa
    import pyarrow.compute as pc

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

    def __deepcopy__(self, memo) -> "_SharedKeys":
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


_lookup = rows_years_ahead  # its name while it was private


def high_growth(start, end, definition: GrowthDefinition = OECD_EUROSTAT) -> np.ndarray:
    """Whether growth from ``start`` to ``end`` over the window is high growth (above the threshold).

    Only the growth rule: the minimum size at the start is checked by the caller. Missing or zero
    values are never high growth; growth within a relative 1e-9 of the threshold counts as exactly
    the threshold, which is not high growth.

    Examples
    --------
    >>> high_growth([125, 125], [216, 217]).tolist()   # 216/125 = 1.2**3: exactly 20% a year
    [False, True]
    """
    start, end = np.asarray(start, float), np.asarray(end, float)
    limit = (1 + definition.threshold) ** definition.window * (1 + _RELATIVE_TOLERANCE)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(start > 0, end / start, np.nan)
    return np.nan_to_num(ratio, nan=0.0) > limit


def classify(register: Register, definition: GrowthDefinition = OECD_EUROSTAT) -> pd.DataFrame:
    """Classify every growth window of every firm by the OECD-Eurostat definitions.

    Parameters
    ----------
    register : Register
        From :func:`prepare_register`.
    definition : GrowthDefinition, default OECD_EUROSTAT
        Threshold, window, minimum size and gazelle age.

    Returns
    -------
    DataFrame
        One row per firm and window end year ``t`` for which the firm had at least
        ``min_employees`` employees in year ``t - window`` (the firms *eligible* for the window):
        firm (number in ``register.firms``), start_year, end_year, start_employment,
        end_employment (NaN when the firm has no valid record in ``t``: closed, or a gap),
        employment_growth and turnover_growth (average annualised growth, a fraction; NaN when not
        measurable), high_growth_employment, high_growth_turnover, gazelle, scaleup (bool), age
        (years at the end of the window, NaN when the year founded is unknown).

    Notes
    -----
    Average annualised growth over :math:`w` years from :math:`E_{t-w}` to :math:`E_t` is
    :math:`g = (E_t / E_{t-w})^{1/w} - 1`. A firm is *high-growth* by employment when
    :math:`E_{t-w} \\ge m` and :math:`g > \\tau` (strictly: exactly :math:`\\tau` is not high growth);
    by turnover when :math:`E_{t-w} \\ge m` and turnover grew by more than :math:`\\tau` a year.
    A *gazelle* is high-growth by employment and at most ``gazelle_max_age`` years old in year
    :math:`t`. A *scale-up* follows the ScaleUp Institute's and OECD's wording: high-growth by
    employment **or** by turnover.

    References
    ----------
    Eurostat-OECD. Eurostat-OECD Manual on Business Demography Statistics. Luxembourg: Office for
    Official Publications of the European Communities; 2007. doi:10.1787/9789264041882-en

    ScaleUp Institute. ScaleUp Annual Review; see also Coutu S. The Scale-Up Report on UK Economic
    Growth. 2014.
    """
    if not isinstance(definition, GrowthDefinition):
        raise InvalidParameter(
            f"The 'definition' parameter of classify must be a GrowthDefinition; got {type(definition).__name__}.")
    panel = register.panel
    w = definition.window
    employment = panel["employment"].to_numpy(float)
    turnover = panel["turnover"].to_numpy(float)
    start = np.flatnonzero(employment >= definition.min_employees)
    end = rows_years_ahead(panel, w, start)
    has_end = end >= 0
    last_year = register.years[-1] if register.years else 0
    start_year = panel["year"].to_numpy(np.int64)[start]
    keep = start_year + w <= last_year
    start, end, has_end, start_year = start[keep], end[keep], has_end[keep], start_year[keep]
    e0 = employment[start]
    e1 = np.where(has_end, employment[np.maximum(end, 0)], np.nan)
    t0 = turnover[start]
    t1 = np.where(has_end, turnover[np.maximum(end, 0)], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        emp_ratio = e1 / e0
        turn_ratio = np.where(t0 > 0, t1 / t0, np.nan)
        emp_growth = np.where(emp_ratio >= 0, emp_ratio ** (1 / w) - 1, np.nan)
        turn_growth = np.where(turn_ratio >= 0, turn_ratio ** (1 / w) - 1, np.nan)
    hg_emp = high_growth(e0, e1, definition)
    hg_turn = high_growth(t0, t1, definition)
    firm = panel["firm"].to_numpy(np.int64)[start]
    founded = register.firms["founded"].to_numpy(float)[firm]
    age = start_year + w - founded
    gazelle = hg_emp & (age <= definition.gazelle_max_age) & (age >= 0)
    return pd.DataFrame({
        "firm": firm,
        "start_year": start_year,
        "end_year": start_year + w,
        "start_employment": e0,
        "end_employment": e1,
        "employment_growth": emp_growth,
        "turnover_growth": turn_growth,
        "high_growth_employment": hg_emp,
        "high_growth_turnover": hg_turn,
        "gazelle": gazelle,
        "scaleup": hg_emp | hg_turn,
        "age": age,
    })


def small_area_assignment(store, layer: str) -> pd.Series:
    """The area of ``layer`` each small area belongs to (the one with the largest lookup weight).

    Returns
    -------
    Series
        Indexed by small_area_code, values area codes; a small area split between areas of a
        layer that does not nest (a health area, a travel-to-work area) goes wholly to the area
        holding most of its population, ties broken by code.
    """
    return cached(per_store(store, "growth.small_area_assignment", layer), lambda: _small_area_assignment(store, layer))


def _small_area_assignment(store, layer: str) -> pd.Series:
    lookups = store.lookups
    rows = lookups.loc[lookups["layer"] == layer, ["small_area_code", "area_code", "weight"]]
    if rows.empty and layer == "small_area":
        codes = store.areas_in_layer("small_area")["code"]
        return pd.Series(codes.to_numpy(), index=codes.to_numpy())
    rows = rows.sort_values(["small_area_code", "weight", "area_code"], ascending=[True, False, True])
    rows = rows.drop_duplicates("small_area_code")
    return pd.Series(rows["area_code"].to_numpy(), index=rows["small_area_code"].to_numpy())


def firms_in_area(store, register: "Register", layer: str, code: str) -> np.ndarray:
    """Whether each firm of the store's register lies in the area ``code`` of ``layer`` (by its
    small area, assigned as :func:`small_area_assignment` does), as a boolean array in register order.

    ``register`` is the store's own (:func:`store_growth`'s, the same for every definition). The
    firms' areas of a layer are worked out once per store version, so a batch pays for them once
    rather than once per place.
    """
    def compute() -> pd.Categorical:
        return pd.Categorical(register.firms["small_area_code"].map(small_area_assignment(store, layer)))

    areas = cached(per_store(store, "growth.firm_areas", layer, len(register.firms)), compute)
    if code not in areas.categories:
        return np.zeros(len(areas), dtype=bool)
    return areas.codes == areas.categories.get_loc(code)


#: The measures counted by :func:`small_area_counts`, and their names for people.
MEASURES = {
    "high_growth_employment": "High-growth firms (employment)",
    "high_growth_turnover": "High-growth firms (turnover)",
    "gazelle": "Gazelles",
    "scaleup": "Scale-ups",
}


def small_area_counts(register: Register, classified: pd.DataFrame, definition: GrowthDefinition = OECD_EUROSTAT) -> pd.DataFrame:
    """Active businesses and growth firms by small area and year.

    Returns
    -------
    DataFrame
        small_area_code, year, businesses (firms with a record that year), businesses_10plus
        (records with at least ``min_employees`` employees), and one count per measure of
        :data:`MEASURES` (firms whose window ends that year). Firms with no small area are left out
        (counted by :func:`prepare_register`).
    """
    codes = pd.Categorical(register.firms["small_area_code"])
    sa = codes.codes.astype(np.int64)  # -1: no small area
    panel = register.panel
    years = np.array(register.years or [0])
    n_sa, n_years = len(codes.categories), len(years)

    def tally(firm: np.ndarray, year: np.ndarray, weight=None) -> np.ndarray:
        where = sa[firm]
        ok = where >= 0
        flat = where[ok] * n_years + (year[ok] - years[0])
        w = None if weight is None else weight[ok].astype(float)
        return np.bincount(flat, weights=w, minlength=n_sa * n_years)

    firm, year = panel["firm"].to_numpy(np.int64), panel["year"].to_numpy(np.int64)
    out = {
        "businesses": tally(firm, year),
        "businesses_10plus": tally(firm, year, panel["employment"].to_numpy(float) >= definition.min_employees),
    }
    cf, cy = classified["firm"].to_numpy(np.int64), classified["end_year"].to_numpy(np.int64)
    for measure in MEASURES:
        out[measure] = tally(cf, cy, classified[measure].to_numpy())
    frame = pd.DataFrame({k: v.astype(np.int64) for k, v in out.items()})
    frame.insert(0, "year", np.tile(years, n_sa))
    frame.insert(0, "small_area_code", np.repeat(np.asarray(codes.categories, dtype=object), n_years))
    return frame


def growth_rates(
    counts: pd.DataFrame,
    assignment: pd.Series,
    codes,
    definition: GrowthDefinition = OECD_EUROSTAT,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Counts and rates of growth firms for some areas, each year, with Wilson intervals.

    Parameters
    ----------
    counts : DataFrame
        From :func:`small_area_counts`.
    assignment : Series or mapping of str to Series
        Small area -> area code (:func:`small_area_assignment`); a dict of such Series, one per
        layer, lets ``codes`` mix layers (a district, its region and its country).
    codes : iterable of str
        The areas wanted.
    definition : GrowthDefinition
        Only its window is used: rates start in the first year a window can end.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        area_code, year, measure (a key of :data:`MEASURES`), count, businesses,
        businesses_10plus, per_10k_businesses, per_10k_businesses_lower, per_10k_businesses_upper,
        per_10k_10plus, per_10k_10plus_lower, per_10k_10plus_upper (per 10,000; Wilson score
        intervals at ``confidence``), confidence.

    Notes
    -----
    The denominators follow Eurostat: active enterprises in the end year, and active enterprises
    with 10+ employees in the end year (a high-growth firm has more than 17 employees at the end of
    its window, so it is always in the second denominator and the rate is a proportion).
    """
    from diagnostics.stats import proportion_ci

    assignments = assignment if isinstance(assignment, dict) else {"": assignment}
    wanted = list(dict.fromkeys(codes))
    frames = []
    # rows are grouped by integer area numbers: each layer's mapping is looked up once per small area
    row_small_area, small_areas = pd.factorize(counts["small_area_code"])
    values = counts.drop(columns="small_area_code")
    for mapping in assignments.values():
        area_of_small_area, areas = pd.factorize(pd.Series(mapping).reindex(small_areas))
        row_area = np.where(row_small_area >= 0, area_of_small_area[row_small_area], -1)
        is_wanted = np.append(areas.isin(wanted), False)  # the last: no area (-1)
        rows = is_wanted[row_area]
        if rows.any():
            sums = values.loc[rows].assign(_area=row_area[rows]).groupby(["_area", "year"], as_index=False).sum()
            sums.insert(0, "area_code", np.asarray(areas, dtype=object)[sums.pop("_area").to_numpy()])
            frames.append(sums)
    columns = ["area_code", "year", "measure", "count", "businesses", "businesses_10plus",
               "per_10k_businesses", "per_10k_businesses_lower", "per_10k_businesses_upper",
               "per_10k_10plus", "per_10k_10plus_lower", "per_10k_10plus_upper", "confidence"]
    if not frames:
        return pd.DataFrame(columns=columns)
    by_area = pd.concat(frames, ignore_index=True).drop_duplicates(["area_code", "year"])
    first = (counts["year"].min() if len(counts) else 0) + definition.window
    by_area = by_area.loc[by_area["year"] >= first]
    long = by_area.melt(id_vars=["area_code", "year", "businesses", "businesses_10plus"],
                        value_vars=list(MEASURES), var_name="measure", value_name="count")
    count = long["count"].to_numpy(float)
    for denominator, prefix in (("businesses", "per_10k_businesses"), ("businesses_10plus", "per_10k_10plus")):
        n = long[denominator].to_numpy(float)
        value, lower, upper = proportion_ci(np.minimum(count, n), n, confidence=confidence, multiplier=10_000)
        long[prefix], long[f"{prefix}_lower"], long[f"{prefix}_upper"] = value, lower, upper
    long["confidence"] = confidence
    order = {c: i for i, c in enumerate(wanted)}
    long = long.sort_values(["measure", "area_code", "year"], key=lambda s: s.map(order) if s.name == "area_code" else s)
    return long[columns].reset_index(drop=True)


@dataclass(frozen=True)
class SectorRows:
    """The register's firms that :func:`sector_summary` counts for some window end years, in any place.

    Attributes
    ----------
    sections : pandas.Index
        The SIC sections of the register's firms, in code order.
    section_of_firm : array of int
        Each firm's position in ``sections`` (one per firm of ``register.firms``).
    firm_years : array of int
        The firm number of each firm-year with ``definition.min_employees`` or more employees in
        one of the years, firms with a location only.
    high_growth : array of int
        The firm number of each high-growth (employment) firm-window ending in one of the years,
        firms with a location only.
    """

    sections: pd.Index
    section_of_firm: np.ndarray
    firm_years: np.ndarray
    high_growth: np.ndarray


def sector_rows(register: Register, classified: pd.DataFrame, end_years,
                definition: GrowthDefinition = OECD_EUROSTAT) -> SectorRows:
    """The firm-years and high-growth firm-windows of the whole register for :func:`sector_summary`.

    They depend on the years and the definition, not on the place: a batch computes them once
    and passes them to every place's summary.
    """
    panel = register.panel
    section = register.firms["section"].astype("category")
    located = register.firms["small_area_code"].notna().to_numpy()
    years = [int(end_years)] if np.ndim(end_years) == 0 else [int(y) for y in end_years]
    rows = panel.loc[panel["year"].isin(years) & (panel["employment"] >= definition.min_employees), "firm"].to_numpy()
    hg = classified.loc[classified["end_year"].isin(years) & classified["high_growth_employment"], "firm"].to_numpy()
    return SectorRows(section.cat.categories, section.cat.codes.to_numpy(np.int64), rows[located[rows]], hg[located[hg]])


def sector_summary(
    register: Register,
    classified: pd.DataFrame,
    in_place: np.ndarray,
    end_years,
    definition: GrowthDefinition = OECD_EUROSTAT,
    confidence: float = 0.95,
    *,
    rows: SectorRows | None = None,
) -> pd.DataFrame:
    """High-growth firms (by employment) by SIC section for a place and the whole register.

    Parameters
    ----------
    register : Register
    classified : DataFrame
        From :func:`classify`.
    in_place : array of bool
        One per firm of ``register.firms``: whether it is in the place.
    end_years : int or iterable of int
        The window end years pooled (counts and denominators summed over them).
    rows : SectorRows, optional
        :func:`sector_rows` of the same register, classification, years and definition, when the
        caller keeps them for many places; computed here otherwise.

    Returns
    -------
    DataFrame
        section, businesses_10plus (firm-years), high_growth (firm-windows), share (% of the place's high-growth firms),
        rate (per 10,000 active firms with 10+ employees), rate_lower, rate_upper,
        country_businesses_10plus, country_high_growth, country_rate (per 10,000), sorted by the
        place's count of high-growth firms.
    """
    from diagnostics.stats import proportion_ci

    counted = rows if rows is not None else sector_rows(register, classified, end_years, definition)
    firm_years, hg = counted.firm_years, counted.high_growth

    def count(firms: np.ndarray) -> pd.Series:
        return pd.Series(np.bincount(counted.section_of_firm[firms], minlength=len(counted.sections)),
                         index=counted.sections)

    table = pd.DataFrame({
        "businesses_10plus": count(firm_years[in_place[firm_years]]),
        "high_growth": count(hg[in_place[hg]]),
        "country_businesses_10plus": count(firm_years),
        "country_high_growth": count(hg),
    }).fillna(0).astype(int)
    table.index.name = "section"
    table = table.reset_index()
    table = table.loc[table["businesses_10plus"] > 0]
    total = table["high_growth"].sum()
    table["share"] = 100 * table["high_growth"] / total if total else 0.0
    value, lower, upper = proportion_ci(table["high_growth"].to_numpy(float), table["businesses_10plus"].to_numpy(float),
                                        confidence=confidence, multiplier=10_000)
    table["rate"], table["rate_lower"], table["rate_upper"] = value, lower, upper
    with np.errstate(divide="ignore", invalid="ignore"):
        table["country_rate"] = 10_000 * table["country_high_growth"] / table["country_businesses_10plus"]
    table = table.sort_values(["high_growth", "businesses_10plus"], ascending=False).reset_index(drop=True)
    return table[["section", "businesses_10plus", "high_growth", "share", "rate", "rate_lower", "rate_upper",
                  "country_businesses_10plus", "country_high_growth", "country_rate"]]


def store_growth(store, definition: GrowthDefinition = OECD_EUROSTAT) -> tuple[Register, pd.DataFrame, pd.DataFrame]:
    """The register, its classification and its small-area counts for a store, once per process.

    Kept once per store version and definition (:func:`diagnostics.cache.per_store`): every place
    of a batch run in one process reuses them.

    Returns
    -------
    (Register, DataFrame, DataFrame)
        :func:`prepare_register`, :func:`classify` and :func:`small_area_counts` of the store.
    """
    def compute():
        small_areas = store.areas_in_layer("small_area")["code"]
        register = prepare_register(store.firms, store.firm_years, small_areas)
        classified = classify(register, definition)
        return register, classified, small_area_counts(register, classified, definition)

    return cached(per_store(store, "growth.register", definition), compute)
