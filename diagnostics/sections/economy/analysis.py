"""The economy of a place: industrial structure, location quotients, shift-share and the productivity gap.

Plain functions from store data (and a :class:`~diagnostics.store.places.Place`) to tidy DataFrames; the
page that shows them is :mod:`diagnostics.sections.economy.page`. The headline indicators (GVA per head and
per job, employment, claimants, pay, qualifications, business demography) come from the store's
``indicators`` table through :func:`diagnostics.compare.benchmark.benchmark_table`; everything about industries
comes from its ``industry`` table (employment and GVA by SIC 2007 section, area and year).

Which industry rows make up a place (a district's own, or the sum of the whole districts it is made
of) is :mod:`diagnostics.sections.economy.industry`; :func:`place_industry` and :class:`PlaceIndustry` are
importable from here too.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from diagnostics.compare.benchmark import ancestor_of_layer
from diagnostics.conventions import SIC_SECTIONS
from diagnostics.exceptions import InvalidParameter
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "ECONOMY_INDICATORS",
    "HEADLINE_ORDER",
    "economy_indicator_ids",
    "SIC_SECTION_NAMES",
    "SPECIALISATION_LQ",
    "STRONG_SPECIALISATION_LQ",
    "UNDER_REPRESENTED_LQ",
    "MIN_SPECIALISATION_SHARE",
    "country_of",
    "indicator_history",
    "location_quotients",
    "industrial_structure",
    "common_years",
    "year_parameters",
    "check_years",
    "shift_share",
    "productivity_gap",
]

#: The economy section's headline indicators (catalogue domain "economy"), in page order.
ECONOMY_INDICATORS: tuple[str, ...] = (
    "gva_per_head",
    "gva_per_job",
    "employment_rate",
    "claimant_rate",
    "median_weekly_pay",
    "qualifications_level3_plus",
    "business_density",
    "business_birth_rate",
    "business_death_rate",
    "business_survival_3yr",
)

#: Page order of every headline economy measure a store may hold: the synthetic store's ids and the
#: ready-made ones of real England (data/england_catalogue.csv); others follow in catalogue order.
HEADLINE_ORDER: tuple[str, ...] = (
    "gva_per_head", "gdp_per_head", "gva_per_hour", "gva_per_job", "gdhi_per_head", "employment_rate",
    "economic_inactivity_rate", "unemployment_rate", "claimant_rate", "median_weekly_pay",
    "qualifications_level3_plus", "business_density", "business_birth_rate", "business_death_rate",
    "business_survival_3yr",
)


def economy_indicator_ids(store) -> tuple[str, ...]:
    """The headline economy measures this store holds values of, in page order.

    The catalogue's ``economy``-domain indicators with at least one value, ordered by
    :data:`HEADLINE_ORDER` then the catalogue. Counts (``value_type == "count"``, such as the number
    of active enterprises) are left out: a count says more about an area's size than its economy
    and cannot be set against the country's.
    """
    catalogue = store.catalogue
    present = store.indicator_ids
    chosen = [i for i in catalogue.index
              if catalogue.loc[i, "domain"] == "economy" and i in present and catalogue.loc[i, "value_type"] != "count"]
    return tuple([i for i in HEADLINE_ORDER if i in chosen] + [i for i in chosen if i not in HEADLINE_ORDER])

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

def country_of(store, place: str | Place) -> str | None:
    """The code of the country containing the place (None for the country itself or an orphan)."""
    place = resolve_place(place, store)
    return ancestor_of_layer(store, place.code, "country")


def indicator_history(store, place: str | Place, indicator_ids: Sequence[str] = ECONOMY_INDICATORS) -> pd.DataFrame:
    """Every period of some indicators for the place, its region and its country (for trend charts).

    Returns
    -------
    DataFrame
        indicator_id, role ("place", "region" or "country"), area_code, year, period, value,
        lower_ci, upper_ci (95% where the indicator is an estimate, else NaN), source; sorted by
        indicator, role and year.
    """
    place = resolve_place(place, store)
    roles = {place.code: "place"}
    for layer in ("region", "country"):
        code = ancestor_of_layer(store, place.code, layer)
        if code is not None:
            roles[code] = layer
    rows = store.indicator_values(list(indicator_ids), list(roles))
    columns = ["indicator_id", "role", "area_code", "year", "period", "value", "lower_ci", "upper_ci", "source"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(role=rows["area_code"].map(roles)).dropna(subset=["value"])
    order = {"place": 0, "region": 1, "country": 2}
    rows = rows.assign(_o=rows["role"].map(order)).sort_values(["indicator_id", "_o", "year"])
    return rows[columns].reset_index(drop=True)


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


def _specialisation(lq: float, share: float, min_share: float) -> str:
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
    out["specialisation"] = [_specialisation(q, s, min_share) for q, s in zip(out["lq"], share)]
    return out


def common_years(local: pd.DataFrame, national: pd.DataFrame) -> list[int]:
    """The years both industry tables hold, in order."""
    return sorted(set(int(y) for y in local["year"].unique()) & set(int(y) for y in national["year"].unique()))


def _as_year(value, name: str, func: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, str)):
        raise InvalidParameter(f"The {name!r} parameter of {func} must be a year such as 2015, or None; got {value!r}.")
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise InvalidParameter(f"The {name!r} parameter of {func} must be a year such as 2015, or None; got {value!r}.")
        value = int(value.strip())
    return int(value)


def year_parameters(start_year=None, end_year=None) -> tuple[int | None, int | None]:
    """Check the form of the ``start_year`` and ``end_year`` parameters before any data is read.

    Returns
    -------
    (int or None, int or None)
        The years as integers (a string of digits is accepted: command lines pass strings).

    Raises
    ------
    InvalidParameter
        For a value that is not a year (or None), or a start year not before the end year.

    >>> year_parameters("2015", 2020)
    (2015, 2020)
    """
    start = _as_year(start_year, "start_year", "shift_share")
    end = _as_year(end_year, "end_year", "shift_share")
    if start is not None and end is not None and start >= end:
        raise InvalidParameter(
            f"The 'start_year' parameter of shift_share must be before 'end_year'; got start_year={start} "
            f"and end_year={end}."
        )
    return start, end


def check_years(local: pd.DataFrame, national: pd.DataFrame, start_year, end_year, *, name: str = "start_year",
                func: str = "shift_share") -> tuple[int, int | None]:
    """Validate the years of an industry comparison against the years both tables hold.

    ``start_year`` None means the first common year; ``end_year`` None the last. With
    ``end_year=None`` and ``name="year"`` only one year is checked (``None`` means the latest).

    Raises
    ------
    InvalidParameter
        For a value that is not a year, a year the tables do not both hold (the message lists the
        years there are), or a start year not before the end year.
    """
    years = common_years(local, national)
    if not years:
        raise InvalidParameter(f"{func} needs a year that both industry tables hold; they share none.")
    consecutive = len(years) > 1 and years == list(range(years[0], years[-1] + 1))
    span = f"{years[0]} to {years[-1]}" if consecutive else ", ".join(map(str, years))
    if name == "year":
        year = _as_year(start_year, "year", func)
        year = years[-1] if year is None else year
        if year not in years:
            raise InvalidParameter(f"The 'year' parameter of {func} must be a year with industry figures ({span}); got {year}.")
        return year, None
    start = _as_year(start_year, "start_year", func)
    end = _as_year(end_year, "end_year", func)
    for label, value in (("start_year", start), ("end_year", end)):
        if value is not None and value not in years:
            raise InvalidParameter(
                f"The {label!r} parameter of {func} must be a year with industry figures for the place "
                f"and the country ({span}); got {value}. Choose another year, or leave it None."
            )
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    if start >= end:
        raise InvalidParameter(
            f"The 'start_year' parameter of {func} must be before 'end_year'; got start_year={start} and "
            f"end_year={end}. Industry figures cover {span}."
        )
    return start, end


def _section_table(frame: pd.DataFrame, year: int, column: str = "employment") -> pd.Series:
    rows = frame.loc[frame["year"] == year].set_index("sic_section")[column]
    return rows.reindex(list(SIC_SECTIONS)).astype(float)


def shift_share(local: pd.DataFrame, national: pd.DataFrame, start_year=None, end_year=None) -> pd.DataFrame:
    """Shift-share decomposition of the change in a place's jobs: national growth, industry mix, local effect.

    Parameters
    ----------
    local, national : DataFrame
        Industry tables (year, sic_section, employment...), as :attr:`PlaceIndustry.table`.
    start_year, end_year : int, optional
        The two years compared; default the first and last years both tables hold.

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
    e0, e1 = _section_table(local, start).fillna(0), _section_table(local, end).fillna(0)
    n0, n1 = _section_table(national, start).fillna(0), _section_table(national, end).fillna(0)
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
            "sic_section": list(SIC_SECTIONS),
            "name": [SIC_SECTION_NAMES[s] for s in SIC_SECTIONS],
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
    e, big_e = _section_table(local, year).fillna(0), _section_table(national, year).fillna(0)
    g, big_g = _section_table(local, year, "gva"), _section_table(national, year, "gva")
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
