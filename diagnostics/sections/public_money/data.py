"""The public-money tables of a store, read once, and what a store lacks to show them.

The tables are the contract's optional ``spend_bodies``, ``spend_body_areas``, ``spend``,
``council_tax`` and ``regional_spend`` (data/README.md), and a ``deflators`` table (HM Treasury's GDP
deflators: period, year, index) where the store's contract has one. Nothing here raises for a store
without them: :func:`missing_spending` says, in one sentence, which datasets would make the section work.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from diagnostics.cache import cached, per_store
from diagnostics.store.schema import TABLE_SCHEMAS
from diagnostics.store.store import Store

__all__ = ["SPENDING_TABLES", "SpendingTables", "spending_tables", "missing_spending", "deflator_index", "real_terms",
           "NO_DEFLATORS"]

#: The tables without which the section has nothing to attribute.
SPENDING_TABLES: tuple[str, ...] = ("spend_bodies", "spend_body_areas", "spend")

#: What the page says about real terms when the store has no deflators.
NO_DEFLATORS = "cash terms only: add HM Treasury's GDP deflators to the store for real terms"


@dataclass(frozen=True)
class SpendingTables:
    """The store's public-money tables (empty frames for the optional ones it lacks).

    Attributes
    ----------
    bodies, areas, spend, council_tax, regional : DataFrame
        The contract's ``spend_bodies``, ``spend_body_areas``, ``spend`` (£ thousand),
        ``council_tax`` and ``regional_spend`` tables.
    """

    bodies: pd.DataFrame
    areas: pd.DataFrame
    spend: pd.DataFrame
    council_tax: pd.DataFrame
    regional: pd.DataFrame

    @property
    def periods(self) -> list[str]:
        """The financial years with bodies, oldest first."""
        return sorted(self.bodies["period"].unique())


def _table(store: Store, name: str) -> pd.DataFrame:
    return store.table(name) if store.has_table(name) else pd.DataFrame()


def spending_tables(store: Store) -> SpendingTables:
    """The store's public-money tables, read once per store version."""
    return cached(per_store(store, "public_money.tables"), lambda: SpendingTables(
        *(_table(store, name) for name in (*SPENDING_TABLES, "council_tax", "regional_spend"))))


def missing_spending(store: Store) -> str:
    """One sentence naming the datasets the store lacks for the section ('' when it has them)."""
    absent = [name for name in SPENDING_TABLES if not store.has_table(name)]
    if not absent:
        return ""
    return (
        f"The store holds no public spending ({', '.join(absent)} missing): import MHCLG's Revenue Outturn "
        "service expenditure (RSX) with the council tax workbooks' Precepting_Bodies sheet, and NHS England's "
        "ICB allocations, with `place-diagnostic data import` (or rebuild the synthetic store) to see who "
        "spends in the place."
    )


def deflator_index(store: Store) -> pd.Series | None:
    """HM Treasury's GDP deflator by financial year (``period`` -> index), or None without a table.

    Read from the store's ``deflators`` table (period, year, index) when the contract has one and the
    store holds it.
    """
    if "deflators" not in TABLE_SCHEMAS or not store.has_table("deflators"):
        return None
    table = store.table("deflators")
    if table.empty:
        return None
    return table.drop_duplicates("period", keep="last").set_index("period")["index"].astype(float)


def real_terms(cash: pd.Series, periods: pd.Series, index: pd.Series) -> pd.Series:
    """Cash figures in the prices of the latest deflated year: ``cash x index[latest] / index[period]``.

    Parameters
    ----------
    cash : Series
        Money in any unit.
    periods : Series
        The financial year of each figure (aligned with ``cash``).
    index : Series
        GDP deflator by financial year (:func:`deflator_index`).

    Returns
    -------
    Series
        Like ``cash``; NaN where the period has no deflator.

    Examples
    --------
    >>> import pandas as pd
    >>> real_terms(pd.Series([100.0, 110.0]), pd.Series(["2022-23", "2023-24"]),
    ...            pd.Series({"2022-23": 100.0, "2023-24": 105.0})).round(2).tolist()
    [105.0, 110.0]
    """
    latest = index.loc[max(index.index)]
    return cash * latest / periods.map(index).astype(float)
