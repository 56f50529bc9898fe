"""Industrial structure: each SIC section's share of a place's jobs against the nation's (location quotients).

Industry tables are :attr:`diagnostics.sections.economy.industry.PlaceIndustry.table` frames: year,
sic_section (A-U), employment (jobs), gva (£ million).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.years import check_years

__all__ = [
    "SIC_SECTION_NAMES",
    "SPECIALISATION_LQ",
    "STRONG_SPECIALISATION_LQ",
    "UNDER_REPRESENTED_LQ",
    "MIN_SPECIALISATION_SHARE",
    "location_quotients",
    "industrial_structure",
    "specialisation",
    "section_series",
]

#: SIC 2007 sections, as ONS names them (shortened where the official name runs to a sentence).
SIC_SECTION_NAMES: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity and gas supply",
    "E": "Water supply and waste",
    "F": "Construction",
    "G": "Wholesale and retail; motor repair",
    "H": "Transport and storage",
    "I": "Accommodation and food",
    "J": "Information and communication",
    "K": "Finance and insurance",
    "L": "Real estate",
    "M": "Professional, scientific and technical",
    "N": "Administrative and support services",
    "O": "Public administration and defence",
    "P": "Education",
    "Q": "Health and social work",
    "R": "Arts, entertainment and recreation",
    "S": "Other services",
    "T": "Households as employers",
    "U": "Extraterritorial organisations",
}

#: A sector is a *specialisation* at a location quotient of at least this...
SPECIALISATION_LQ = 1.25
#: ...a *strong specialisation* at this or more...
STRONG_SPECIALISATION_LQ = 2.0
#: ...and *under-represented* at this or less (1 / 1.25: the same distance from 1 on a log scale).
UNDER_REPRESENTED_LQ = 0.8
#: ...provided it holds at least this share of the place's jobs (tiny sectors give erratic quotients).
MIN_SPECIALISATION_SHARE = 0.01


def location_quotients(local: pd.Series, national: pd.Series) -> pd.Series:
    """Location quotients: each sector's share of local jobs over its share of national jobs.

    Parameters
    ----------
    local, national : Series
        Employment (jobs) by sector, indexed alike (sectors missing from one count as zero).

    Returns
    -------
    Series
        The location quotient of each sector; NaN where the sector has no national jobs.

    Notes
    -----
    .. math:: LQ_i = \\frac{e_i / e}{E_i / E}

    with :math:`e_i` local and :math:`E_i` national jobs in sector :math:`i`, :math:`e` and
    :math:`E` the totals. 1 means the same share as the nation; 2, twice the share.

    >>> location_quotients(pd.Series({"A": 10, "B": 90}), pd.Series({"A": 50, "B": 950})).round(2).tolist()
    [2.0, 0.95]
    """
    index = local.index.union(national.index)
    e = local.reindex(index).fillna(0).astype(float)
    big_e = national.reindex(index).fillna(0).astype(float)
    if e.sum() <= 0 or big_e.sum() <= 0:
        raise InvalidParameter("location_quotients needs positive total employment both locally and nationally.")
    national_share = (big_e / big_e.sum()).replace(0.0, np.nan)
    return (e / e.sum()) / national_share


def specialisation(lq: float, share: float, min_share: float = MIN_SPECIALISATION_SHARE) -> str:
    """The call-out of a sector with location quotient ``lq`` holding ``share`` (0 to 1) of the place's
    total: "strong specialisation", "specialisation", "under-represented" or "" (see the constants above)."""
    if pd.isna(lq):
        return ""
    if lq >= SPECIALISATION_LQ and share >= min_share:
        return "strong specialisation" if lq >= STRONG_SPECIALISATION_LQ else "specialisation"
    if lq <= UNDER_REPRESENTED_LQ and share >= min_share:
        return "under-represented"
    return ""


def industrial_structure(
    local: pd.DataFrame, national: pd.DataFrame, year: int, min_share: float = MIN_SPECIALISATION_SHARE
) -> pd.DataFrame:
    """Employment by SIC section in one year, its shares and location quotients against the nation.

    Parameters
    ----------
    local, national : DataFrame
        Industry tables (year, sic_section, employment, gva), as :attr:`PlaceIndustry.table`.
    year : int
        The year; must be in both.
    min_share : float, default :data:`MIN_SPECIALISATION_SHARE`
        The least share of the place's jobs (0 to 1) a sector needs to be called a specialisation
        or under-represented.

    Returns
    -------
    DataFrame
        One row per section (A-U, in order): sic_section, name, employment (jobs), share (% of
        the place's jobs), national_employment, national_share (%), lq, specialisation
        ("strong specialisation": LQ >= 2; "specialisation": LQ >= 1.25; "under-represented":
        LQ <= 0.8; each only with at least ``min_share`` of the place's jobs; else "").
    """
    year = check_years(local, national, year, None, name="year", func="industrial_structure")[0]
    e = local.loc[local["year"] == year].set_index("sic_section")["employment"].reindex(list(SIC_SECTIONS)).fillna(0)
    big_e = national.loc[national["year"] == year].set_index("sic_section")["employment"].reindex(list(SIC_SECTIONS)).fillna(0)
    lq = location_quotients(e, big_e)
    share = e / e.sum()
    out = pd.DataFrame(
        {
            "sic_section": list(SIC_SECTIONS),
            "name": [SIC_SECTION_NAMES[s] for s in SIC_SECTIONS],
            "employment": e.to_numpy(),
            "share": 100 * share.to_numpy(),
            "national_employment": big_e.to_numpy(),
            "national_share": 100 * (big_e / big_e.sum()).to_numpy(),
            "lq": lq.to_numpy(),
        }
    )
    out["specialisation"] = [specialisation(q, s, min_share) for q, s in zip(out["lq"], share)]
    return out


def section_series(
    frame: pd.DataFrame, year: int, column: str = "employment", sectors=SIC_SECTIONS, key: str = "sic_section"
) -> pd.Series:
    """One year's ``column`` of an industry table by sector, in the order of ``sectors`` (NaN for a
    sector without rows); by default SIC sections A-U of the ``sic_section`` column."""
    rows = frame.loc[frame["year"] == year].set_index(key)[column]
    return rows.reindex(list(sectors)).astype(float)
