"""How the place's public spending is paid for locally: council tax, once per place.

- the bill: the Band D council tax of every body levying on each of the place's billing areas (its
  districts), each precept and their sum (the whole bill of a Band D home);
- the council tax requirement per head: what all the bodies raise from the place's billing areas,
  shared to the place by residents, over its residents;
- the share of each body's spending funded from council tax: its requirement over all the billing
  areas it levies on, over its net spending (both the body's whole, not the place's part).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.sections.public_money.analysis import place_spending
from diagnostics.sections.public_money.attribution import place_district_shares
from diagnostics.sections.public_money.data import spending_tables
from diagnostics.sections.session import Session

__all__ = ["CouncilTax", "place_council_tax", "band_d_bills", "funded_shares"]


@dataclass(frozen=True)
class CouncilTax:
    """The council tax of a place, or why there is none to show.

    Attributes
    ----------
    bills : DataFrame
        ``billing_code``, ``billing_name``, ``period``, ``body_code``, ``body_name``, ``body_type``,
        ``band_d`` (£), one row per body levying on each billing area in the latest period, then one
        row per billing area with ``body_type`` "total" (the whole bill); :func:`band_d_bills`.
    requirement_per_head : Series
        Council tax requirement raised in the place, £ per resident, by period.
    funded : DataFrame
        ``body_code``, ``body_name``, ``body_type``, ``requirement`` (£ thousand, all billing areas),
        ``net`` (£ thousand, the body's whole net spending), ``funded_share`` (0-1); :func:`funded_shares`.
    period : str or None
        The latest period of the bills.
    problem : str
        Why there is nothing to show ('' otherwise).
    """

    bills: pd.DataFrame = field(default_factory=pd.DataFrame)
    requirement_per_head: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    funded: pd.DataFrame = field(default_factory=pd.DataFrame)
    period: str | None = None
    problem: str = ""


def band_d_bills(council_tax: pd.DataFrame, billing_codes, period: str, names, area_names=None) -> pd.DataFrame:
    """The Band D bill of each billing area: one row per levying body and a ``total`` row (their sum).

    Parameters
    ----------
    council_tax : DataFrame
        The contract's ``council_tax`` table.
    billing_codes : iterable of str
        The billing areas (districts).
    period : str
        The financial year.
    names : callable
        Body code -> name.
    area_names : callable, optional
        Billing area code -> name (default ``names``).

    Returns
    -------
    DataFrame
        ``billing_code``, ``billing_name``, ``period``, ``body_code``, ``body_name``, ``body_type``,
        ``band_d`` (£ per Band D dwelling); precepts in the order billing council, county or GLA,
        combined authority, police, fire, parishes; then the total.
    """
    order = {"district": 0, "unitary": 0, "metropolitan": 0, "london_borough": 0, "county": 1, "gla": 1,
             "combined_authority": 2, "police": 3, "fire": 4, "parishes": 5}
    rows = council_tax.loc[council_tax["billing_code"].isin(list(billing_codes)) & (council_tax["period"] == period)]
    rows = rows.assign(_order=rows["body_type"].map(order).fillna(6)).sort_values(["billing_code", "_order"])
    frames = []
    for billing, precepts in rows.groupby("billing_code", sort=True):
        frame = precepts[["billing_code", "period", "body_code", "body_type", "band_d"]].copy()
        frame["body_name"] = [("Parish and town councils (average)" if kind == "parishes" else names(code))
                              for code, kind in zip(frame["body_code"], frame["body_type"])]
        total = pd.DataFrame([{"billing_code": billing, "period": period, "body_code": "", "body_type": "total",
                               "band_d": precepts["band_d"].sum(min_count=1), "body_name": "Whole bill"}])
        frames += [frame, total]
    if not frames:
        return pd.DataFrame(columns=["billing_code", "billing_name", "period", "body_code", "body_name", "body_type", "band_d"])
    out = pd.concat(frames, ignore_index=True)
    out.insert(1, "billing_name", out["billing_code"].map(area_names or names))
    return out[["billing_code", "billing_name", "period", "body_code", "body_name", "body_type", "band_d"]]


def funded_shares(council_tax: pd.DataFrame, spend: pd.DataFrame, body_codes, period: str, names) -> pd.DataFrame:
    """The share of each body's net spending raised from council tax in ``period``.

    Returns
    -------
    DataFrame
        ``body_code``, ``body_name``, ``body_type``, ``requirement`` (£ thousand over every billing
        area it levies on), ``net`` (£ thousand, all services), ``funded_share`` (requirement / net,
        NaN without both); bodies that levy no council tax (an ICB) are left out.
    """
    rows = council_tax.loc[(council_tax["period"] == period) & council_tax["body_code"].isin(list(body_codes))]
    requirement = rows.groupby(["body_code", "body_type"], as_index=False)["requirement"].sum(min_count=1)
    net = spend.loc[spend["period"] == period].groupby("body_code")["net"].sum(min_count=1)
    requirement["net"] = requirement["body_code"].map(net)
    ok = requirement["net"] > 0
    requirement["funded_share"] = np.where(ok, requirement["requirement"] / requirement["net"].where(ok, 1.0), np.nan)
    requirement.insert(1, "body_name", requirement["body_code"].map(names))
    return requirement.sort_values("funded_share", ascending=False).reset_index(drop=True)


def place_council_tax(dx: Session) -> CouncilTax:
    """The place's council tax: bills, requirement per head, shares of spending funded, once per place."""

    def compute() -> CouncilTax:
        store = dx.store
        spending = place_spending(dx)
        if spending.problem:
            return CouncilTax(problem=spending.problem)
        if not store.has_table("council_tax"):
            return CouncilTax(problem="the store has no council tax table: import MHCLG's council tax levels "
                                      "(Table 9 workbooks) to see the bills and what they pay for")
        tables = spending_tables(store)
        shares = place_district_shares(store, dx.place).shares
        tax = tables.council_tax.loc[tables.council_tax["billing_code"].isin(shares.index)]
        if tax.empty:
            return CouncilTax(problem=f"the store's council tax table has no billing area of {dx.place.name}")
        period = max(tax["period"])
        names = _namer(dx)
        bills = band_d_bills(tax, shares.index, period, names, store.name_of)
        raised = tax.assign(place=tax["requirement"] * tax["billing_code"].map(shares))
        per_head = (raised.groupby("period")["place"].sum(min_count=1) * 1000 / spending.residents).dropna()
        funded = funded_shares(tables.council_tax, tables.spend, spending.bodies["body_code"].unique(), period, names)
        return CouncilTax(bills, per_head, funded, period)

    return cached(per_place(dx, "public_money.council_tax"), compute)


def _namer(dx: Session):
    """Code -> the body's name in the spending tables, else the store's area name."""
    bodies = spending_tables(dx.store).bodies.drop_duplicates("body_code", keep="last").set_index("body_code")["body_name"]
    return lambda code: bodies.get(code, dx.store.name_of(code))
