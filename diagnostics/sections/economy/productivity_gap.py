"""The productivity gap: a place's GVA per job against the nation's, split into industry mix and within industries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.structure import SIC_SECTION_NAMES, section_series
from diagnostics.sections.economy.years import check_years, common_years

__all__ = ["productivity_gap"]


def _lacking_gva(local: pd.DataFrame, national: pd.DataFrame) -> dict[int, list[str]]:
    """For each year, the sections with jobs but no GVA in either table (years lacking none are left out)."""
    rows = pd.concat([frame.loc[(frame["employment"] > 0) & frame["gva"].isna(), ["year", "sic_section"]]
                      for frame in (local, national)])
    return {int(year): sorted(set(group["sic_section"])) for year, group in rows.groupby("year")}


def productivity_gap(local: pd.DataFrame, national: pd.DataFrame, year=None) -> pd.DataFrame:
    """The gap between the place's GVA per job and the nation's, split into industry mix and within industries.

    Parameters
    ----------
    local, national : DataFrame
        Industry tables (year, sic_section, employment, gva in £ million).
    year : int, optional
        Default: the latest year both hold with GVA for every section.

    Returns
    -------
    DataFrame
        One row per SIC section with jobs in the place or the nation, then a ``"Total"`` row:
        sic_section, name, year, share, national_share (% of jobs), gva_per_job,
        national_gva_per_job (£ per job; NaN for a sector with no jobs), mix (£ per job: the part
        of the gap due to the sector's share differing from the nation's), within (£ per job: the
        part due to the place's productivity in the sector differing from the nation's), gap
        (mix + within). In the total row gva_per_job and national_gva_per_job are the overall
        values and ``gap`` is their difference exactly: the sum of the sectors' mix and within.

    Raises
    ------
    InvalidParameter
        For a year outside the tables, or one in which some section lacks GVA.

    Notes
    -----
    With :math:`s_i` and :math:`S_i` the local and national shares of jobs in sector :math:`i` and
    :math:`p_i`, :math:`P_i` the GVA per job in it, the overall levels are :math:`p = \\sum_i s_i p_i`
    and :math:`P = \\sum_i S_i P_i`, so the gap splits exactly (a shift-share of productivity levels):

    .. math::

        p - P = \\underbrace{\\sum_i (s_i - S_i) P_i}_{\\text{industry mix}}
              + \\underbrace{\\sum_i s_i (p_i - P_i)}_{\\text{within industries}}

    The industry-mix part is the gap the place would have if each of its sectors were as productive
    as the nation's; the within part is what remains at the place's own mix. A sector with no jobs
    in one area has its GVA per job taken as 0 in the products (its share is 0 there), which keeps the
    sum exact. GVA is workplace-based and in current prices; jobs are workplace jobs.

    The identity is the level form of the shift-share decomposition of :func:`shift_share`
    (Dunn 1960): structure valued at national productivity, plus productivity differences weighted
    by the local structure.
    """
    if year is None:
        lacking = _lacking_gva(local, national)
        years = [y for y in common_years(local, national) if y not in lacking]
        if not years:
            raise InvalidParameter("productivity_gap needs a year in which both industry tables give GVA for every section; there is none.")
        year = years[-1]
    year = check_years(local, national, year, None, name="year", func="productivity_gap")[0]
    e, big_e = section_series(local, year).fillna(0), section_series(national, year).fillna(0)
    g, big_g = section_series(local, year, "gva"), section_series(national, year, "gva")
    lacking = _lacking_gva(local, national).get(year, [])
    if lacking:
        raise InvalidParameter(
            f"The 'year' parameter of productivity_gap names {year}, in which sections {', '.join(lacking)} lack GVA; "
            "choose another year or leave it None."
        )
    if e.sum() <= 0 or big_e.sum() <= 0:
        raise InvalidParameter(f"The 'year' parameter of productivity_gap names {year}, in which there are no jobs.")
    s, big_s = e / e.sum(), big_e / big_e.sum()
    p = (1e6 * g.fillna(0) / e.replace(0.0, np.nan)).fillna(0.0)
    big_p = (1e6 * big_g.fillna(0) / big_e.replace(0.0, np.nan)).fillna(0.0)
    mix = (s - big_s) * big_p
    within = s * (p - big_p)
    table = pd.DataFrame(
        {
            "sic_section": list(SIC_SECTIONS),
            "name": [SIC_SECTION_NAMES[x] for x in SIC_SECTIONS],
            "year": year,
            "share": (100 * s).to_numpy(),
            "national_share": (100 * big_s).to_numpy(),
            "gva_per_job": p.where(e > 0).to_numpy(),
            "national_gva_per_job": big_p.where(big_e > 0).to_numpy(),
            "mix": mix.to_numpy(),
            "within": within.to_numpy(),
        }
    )
    table["gap"] = table["mix"] + table["within"]
    table = table.loc[(e > 0).to_numpy() | (big_e > 0).to_numpy()]
    total = {
        "sic_section": "Total", "name": "All industries", "year": year, "share": 100.0, "national_share": 100.0,
        "gva_per_job": float((s * p).sum()), "national_gva_per_job": float((big_s * big_p).sum()),
        "mix": float(table["mix"].sum()), "within": float(table["within"].sum()),
    }
    total["gap"] = total["gva_per_job"] - total["national_gva_per_job"]
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
