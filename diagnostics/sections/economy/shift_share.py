"""Shift-share: why a place's jobs changed, split into national growth, industry mix and local effect."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.structure import SIC_SECTION_NAMES, section_series
from diagnostics.sections.economy.years import check_years

__all__ = ["shift_share"]


def shift_share(
    local: pd.DataFrame,
    national: pd.DataFrame,
    start_year=None,
    end_year=None,
    sectors: Mapping[str, str] | None = None,
    key: str = "sic_section",
    column: str = "employment",
) -> pd.DataFrame:
    """Shift-share decomposition of the change in a place's jobs: national growth, industry mix, local effect.

    Parameters
    ----------
    local, national : DataFrame
        Industry tables (year, sic_section, employment...), as :attr:`PlaceIndustry.table`.
    start_year, end_year : int, optional
        The two years compared; default the first and last years both tables hold.
    sectors : mapping of str to str, optional
        Sector code -> name, in order; default the SIC sections (:data:`SIC_SECTION_NAMES`).
    key, column : str, default "sic_section", "employment"
        The tables' sector column and the column of counts decomposed (jobs by default; any count
        of the same kind in both tables, such as local units of businesses, decomposes alike).

    Returns
    -------
    DataFrame
        One row per SIC section with jobs in the place or the nation at the start, then a
        ``"Total"`` row (sic_section "Total"): sic_section, name, start_year, end_year,
        start_employment, end_employment, change (jobs), national_growth, industry_mix,
        local_effect (jobs; the three sum to ``change``), local_growth_pct, national_sector_growth_pct,
        national_growth_pct (% over the whole period).

    Raises
    ------
    InvalidParameter
        See :func:`check_years`.

    Notes
    -----
    The standard formulation (Dunn 1960; reviewed by Stevens & Moore 1980). With :math:`e_i` local
    and :math:`E_i` national jobs in sector :math:`i` at the start (0) and end (1) and
    :math:`G = E_1/E_0 - 1`, :math:`G_i = E_{i1}/E_{i0} - 1`, :math:`g_i = e_{i1}/e_{i0} - 1`:

    .. math::

        NS_i = e_{i0} G, \\quad IM_i = e_{i0} (G_i - G), \\quad LE_i = e_{i0} (g_i - G_i)

    so :math:`NS_i + IM_i + LE_i = e_{i1} - e_{i0}`. The local effect is computed as the remainder
    :math:`(e_{i1} - e_{i0}) - NS_i - IM_i`, which equals the formula whenever :math:`e_{i0} > 0`
    and keeps the sum exact for a sector the place did not have at the start (then
    :math:`NS_i = IM_i = 0` and all its new jobs are local effect).

    References
    ----------
    Dunn, E. S. (1960). A statistical and analytical technique for regional analysis. *Papers of
    the Regional Science Association*, 6, 97-112. https://doi.org/10.1007/BF01947627

    Stevens, B. H., & Moore, C. L. (1980). A critical review of the literature on shift-share as a
    forecasting technique. *Journal of Regional Science*, 20(4), 419-437.
    https://doi.org/10.1111/j.1467-9787.1980.tb00660.x
    """
    start, end = check_years(local, national, start_year, end_year)
    sectors = SIC_SECTION_NAMES if sectors is None else dict(sectors)
    e0, e1, n0, n1 = (section_series(frame, year, column, sectors, key).fillna(0)
                      for frame, year in ((local, start), (local, end), (national, start), (national, end)))
    if n0.sum() <= 0:
        raise InvalidParameter(f"The 'start_year' parameter of shift_share names {start}, when the nation has no jobs.")
    growth = n1.sum() / n0.sum() - 1
    sector_growth = (n1 / n0.replace(0.0, np.nan)) - 1
    national_growth = e0 * growth
    industry_mix = (e0 * (sector_growth - growth)).where(e0 > 0, 0.0)
    change = e1 - e0
    local_effect = change - national_growth - industry_mix
    table = pd.DataFrame(
        {
            "sic_section": list(sectors),
            "name": list(sectors.values()),
            "start_year": start,
            "end_year": end,
            "start_employment": e0.to_numpy(),
            "end_employment": e1.to_numpy(),
            "change": change.to_numpy(),
            "national_growth": national_growth.to_numpy(),
            "industry_mix": industry_mix.to_numpy(),
            "local_effect": local_effect.to_numpy(),
            "local_growth_pct": (100 * (e1 / e0.replace(0.0, np.nan) - 1)).to_numpy(),
            "national_sector_growth_pct": (100 * sector_growth).to_numpy(),
            "national_growth_pct": 100 * growth,
        }
    )
    table = table.loc[(e0 > 0).to_numpy() | (e1 > 0).to_numpy() | (n0 > 0).to_numpy()]
    jobs = ["start_employment", "end_employment", "change", "national_growth", "industry_mix", "local_effect"]
    total = {column: table[column].sum() for column in jobs}
    t0 = total["start_employment"]
    total.update(
        sic_section="Total", name="All industries", start_year=start, end_year=end,
        local_growth_pct=100 * (total["end_employment"] / t0 - 1) if t0 > 0 else np.nan,
        national_sector_growth_pct=100 * growth, national_growth_pct=100 * growth,
    )
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
