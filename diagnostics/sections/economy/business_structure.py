"""Industry structure and size of a place's businesses: location quotients of local units and
enterprises by broad industry group, and the size profile (micro, small, medium, large).

Tables are :attr:`~diagnostics.sections.economy.businesses.PlaceBusinesses.table` frames (year, unit,
breakdown, category, count). These are counts of businesses, not jobs: a quotient above 1 says the
place has more of its workplaces in a group than the country, not more of its jobs.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.conventions import BROAD_INDUSTRY_GROUPS, BUSINESS_SIZE_CLASSES
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.structure import location_quotients, specialisation

__all__ = ["business_location_quotients", "size_profile", "industry_counts"]


def _counts(table: pd.DataFrame, year: int, unit: str, breakdown: str, categories) -> pd.Series:
    rows = table.loc[(table["year"] == year) & (table["unit"] == unit) & (table["breakdown"] == breakdown)]
    return rows.set_index("category")["count"].reindex(list(categories)).fillna(0).astype(float)


def industry_counts(table: pd.DataFrame, unit: str = "local_units") -> pd.DataFrame:
    """One unit's counts by broad industry group in the layout of an industry table, for
    :func:`~diagnostics.sections.economy.shift_share.shift_share` (key "group", column "count").

    Returns
    -------
    DataFrame
        year, group (an industry group's SIC divisions), count.
    """
    rows = table.loc[(table["unit"] == unit) & (table["breakdown"] == "industry")]
    return rows.rename(columns={"category": "group"})[["year", "group", "count"]].reset_index(drop=True)


def business_location_quotients(local: pd.DataFrame, national: pd.DataFrame, year: int) -> pd.DataFrame:
    """Location quotients of local units and of enterprises by broad industry group in one year.

    Parameters
    ----------
    local, national : DataFrame
        Business-count tables (year, unit, breakdown, category, count) of the place and its country.
    year : int
        A year both hold.

    Returns
    -------
    DataFrame
        One row per broad industry group (:data:`~diagnostics.conventions.BROAD_INDUSTRY_GROUPS`, in
        order): group, name, local_units, share (% of the place's local units), national_share (%),
        lq (of local units), enterprises, enterprise_share (%), national_enterprise_share (%),
        lq_enterprises, specialisation (the call-out of
        :func:`~diagnostics.sections.economy.structure.specialisation` on local units).

    Raises
    ------
    InvalidParameter
        When ``year`` is not in both tables.

    Notes
    -----
    :math:`LQ_i = (b_i / b) / (B_i / B)` with :math:`b_i` the place's and :math:`B_i` the country's
    businesses in group :math:`i` (:func:`~diagnostics.sections.economy.structure.location_quotients`).
    """
    for name, table in (("local", local), ("national", national)):
        if year not in set(int(y) for y in table["year"].unique()):
            raise InvalidParameter(f"The 'year' parameter of business_location_quotients must be a year the {name} "
                                   f"counts hold ({sorted(set(int(y) for y in table['year']))}); got {year!r}.")
    groups = list(BROAD_INDUSTRY_GROUPS)
    out = pd.DataFrame({"group": groups, "name": [BROAD_INDUSTRY_GROUPS[g] for g in groups]})
    for unit, prefix in (("local_units", ""), ("enterprises", "enterprise_")):
        here = _counts(local, year, unit, "industry", groups)
        there = _counts(national, year, unit, "industry", groups)
        out[unit] = here.to_numpy()
        out[f"{prefix}share"] = (100 * here / here.sum()).to_numpy() if here.sum() else float("nan")
        out[f"national_{prefix}share"] = (100 * there / there.sum()).to_numpy()
        out["lq" if unit == "local_units" else "lq_enterprises"] = location_quotients(here, there).reindex(groups).to_numpy()
    out["specialisation"] = [specialisation(q, s / 100) for q, s in zip(out["lq"], out["share"])]
    return out


def size_profile(table: pd.DataFrame, year: int, unit: str = "enterprises") -> pd.Series:
    """The shares of a place's businesses by size class (micro 0-9, small 10-49, medium 50-249, large 250+).

    Parameters
    ----------
    table : DataFrame
        A business-count table (year, unit, breakdown, category, count).
    year : int
    unit : {"enterprises", "local_units"}, default "enterprises"

    Returns
    -------
    Series
        The % of the businesses in each class of :data:`~diagnostics.conventions.BUSINESS_SIZE_CLASSES`
        (by employment), then ``total`` (the number of businesses); all NaN when there are none.

    >>> t = pd.DataFrame({"year": 2021, "unit": "enterprises", "breakdown": "employment_size",
    ...                   "category": ["0-4", "5-9", "10-19", "250+"], "count": [80, 10, 5, 5]})
    >>> size_profile(t, 2021).round(1).tolist()
    [90.0, 5.0, 0.0, 5.0, 100.0]
    """
    bands = _counts(table, year, unit, "employment_size", [b for group in BUSINESS_SIZE_CLASSES.values() for b in group])
    total = bands.sum()
    shares = {size: (100 * bands[list(group)].sum() / total if total else float("nan"))
              for size, group in BUSINESS_SIZE_CLASSES.items()}
    return pd.Series({**shares, "total": total if total else float("nan")})
