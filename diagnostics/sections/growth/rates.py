"""Growth firms counted by small area and year, and their rates per 10,000 businesses for any areas,
with Wilson intervals; :func:`store_growth` keeps a store's register, classification and counts once
per process.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition, classify
from diagnostics.sections.growth.register import Register, prepare_register
from diagnostics.stats import proportion_ci

__all__ = [
    "MEASURES",
    "small_area_assignment",
    "firms_in_area",
    "small_area_counts",
    "growth_rates",
    "store_growth",
]


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


def firms_in_area(store, register: Register, layer: str, code: str) -> np.ndarray:
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
        (counted by :func:`~diagnostics.sections.growth.register.prepare_register`).
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


def store_growth(store, definition: GrowthDefinition = OECD_EUROSTAT) -> tuple[Register, pd.DataFrame, pd.DataFrame]:
    """The register, its classification and its small-area counts for a store, once per process.

    Kept once per store version and definition (:func:`diagnostics.cache.per_store`): every place
    of a batch run in one process reuses them.

    Returns
    -------
    (Register, DataFrame, DataFrame)
        :func:`~diagnostics.sections.growth.register.prepare_register`,
        :func:`~diagnostics.sections.growth.classify.classify` and :func:`small_area_counts` of the store.
    """
    def compute():
        small_areas = store.areas_in_layer("small_area")["code"]
        register = prepare_register(store.firms, store.firm_years, small_areas)
        classified = classify(register, definition)
        return register, classified, small_area_counts(register, classified, definition)

    return cached(per_store(store, "growth.register", definition), compute)
