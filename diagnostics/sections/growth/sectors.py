"""The sectors of growth firms: SIC 2007 sections' names, and high-growth firms by section for a place
against the whole register.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition
from diagnostics.sections.growth.register import UNKNOWN_SECTION, Register
from diagnostics.stats import proportion_ci

__all__ = ["section_name", "SectorRows", "sector_rows", "sector_summary"]

#: SIC 2007 sections' names, shortened for the growth page's tables and sentences.
_SECTION_NAMES = {
    "A": "Agriculture, forestry and fishing", "B": "Mining and quarrying", "C": "Manufacturing",
    "D": "Energy supply", "E": "Water and waste", "F": "Construction", "G": "Wholesale and retail",
    "H": "Transport and storage", "I": "Accommodation and food", "J": "Information and communication",
    "K": "Finance and insurance", "L": "Real estate", "M": "Professional, scientific and technical",
    "N": "Administrative and support", "O": "Public administration", "P": "Education",
    "Q": "Health and social work", "R": "Arts and recreation", "S": "Other services",
    "T": "Households as employers", "U": "Extraterritorial organisations", UNKNOWN_SECTION: "Unknown sector",
}


def section_name(section: str) -> str:
    """The SIC 2007 section's name for people ("J" -> "Information and communication")."""
    return _SECTION_NAMES.get(section, str(section))


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
        From :func:`~diagnostics.sections.growth.classify.classify`.
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
