"""Who spends in a place: every body's spending attributed to districts, then to any place, by residents.

A spending body (a council, a police force, a fire authority, a combined authority, an integrated care
board) covers whole districts or shares of them (the store's ``spend_body_areas``). Its spending is
shared among its residents: each district gets the part its residents are of the body's, and any
place (a district, a county, a health area, a ward, a user's own boundary) the part of each district's
residents living in it, through the store's lookups (:func:`diagnostics.geography.apportion.allocation_matrix`).

- :func:`district_residents`: residents of every district in a year;
- :func:`body_residents`: residents of every body's area;
- :func:`place_district_shares`: the share of each district's residents living in the place, and the
  share of the place's residents that comes from districts its boundary splits (``split_share``);
- :func:`body_fractions`: the share of every body's residents living in each area of a layer;
- :func:`layer_spend`: attributed spending and residents of every area of a layer (the place, its
  comparators, region and country), once per store and layer.

Notes
-----
With :math:`s_{bd}` the share of district :math:`d`'s residents in body :math:`b`'s area, :math:`P_d` the
district's residents and :math:`x_{dp}` the share of them living in place :math:`p`, body :math:`b`'s
spending :math:`S_b` is attributed as

.. math:: S_{bp} = S_b \\frac{\\sum_d s_{bd} P_d x_{dp}}{\\sum_d s_{bd} P_d}

exact for a place made of whole districts; where the place splits a district, the body's residents
in the district are taken as spread evenly over it (the assumption :func:`~diagnostics.geography.apportion.apportion`
makes, whose ``split_share`` the page shows). A body that splits a district and is itself an area of
the store (an ICB stored as a health area) is overlapped with the place through small areas instead,
so a health area is never given a share of a neighbouring ICB's spending.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from diagnostics.cache import cached, per_store
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.apportion import allocation_matrix
from diagnostics.geography.lookups import layer_links, overlap_layers, small_area_population
from diagnostics.sections.public_money.data import spending_tables
from diagnostics.store.places import Place
from diagnostics.store.store import Store

__all__ = ["MONEY_COLUMNS", "DistrictShares", "district_residents", "body_residents", "place_district_shares",
           "body_fractions", "layer_residents", "layer_spend"]

#: The money columns of the spend tables (£ thousand).
MONEY_COLUMNS = ["gross", "income", "net"]


def _nearest(years: np.ndarray, year: int | None) -> int:
    return int(years.max()) if year is None else int(years[np.argmin(np.abs(years - year))])


def district_residents(store: Store, year: int | None = None) -> pd.Series:
    """Residents of every district in ``year`` (or the store's nearest year; None: its latest).

    Returns
    -------
    Series
        Persons by district code; ``attrs["year"]`` the year used and ``attrs["source"]`` where they
        come from: the small-area population table summed through the lookups, else the districts'
        ``population_total`` indicator; empty when the store has neither.
    """

    def compute() -> pd.Series:
        if store.has_table("population") and not store.population.empty:
            years = np.sort(store.population["year"].unique())
            used = _nearest(years, year)
            people = small_area_population(store, used)
            links = layer_links(store, "district")
            totals = (links["weight"] * links["small_area_code"].map(people).fillna(0.0)).groupby(links["area_code"]).sum()
            source = "small-area population estimates"
        else:
            codes = store.areas_in_layer("district")["code"]
            rows = store.indicator_values("population_total", codes).dropna(subset=["value"])
            if rows.empty:
                out = pd.Series(dtype=float)
                out.attrs.update(year=None, source="")
                return out
            years = np.sort(rows["year"].unique())
            used = _nearest(years, year)
            totals = rows.loc[rows["year"] == used].groupby("area_code")["value"].sum()
            source = "the districts' resident population indicator"
        out = totals.astype(float).rename("residents")
        out.attrs.update(year=used, source=source)
        return out

    return cached(per_store(store, "public_money.district_residents", None if year is None else int(year)), compute)


@dataclass(frozen=True)
class DistrictShares:
    """How a place is made of districts.

    Attributes
    ----------
    shares : Series
        District code -> the share of the district's residents living in the place (0-1].
    split_share : float
        The share of the place's residents (0-1) living in districts the place's boundary splits:
        0 for a place made of whole districts, whose attributed figures are then exact.
    problem : str
        Why the place cannot be made of districts ('' when it can).
    """

    shares: pd.Series
    split_share: float = 0.0
    problem: str = ""


def _layer_matrix(store: Store, layer: str) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """(districts x areas of ``layer``) share of each district's residents in each area, the codes of both,
    and whether each district is split between areas of the layer."""
    if layer == "district":
        codes = np.sort(store.areas_in_layer("district")["code"].to_numpy())
        return sparse.identity(len(codes), format="csr"), codes, codes, np.zeros(len(codes), bool)
    allocation = allocation_matrix(store, "district", layer)
    return allocation.shares.tocsr(), allocation.source_codes, allocation.target_codes, allocation.split_sources


def place_district_shares(store: Store, place: Place) -> DistrictShares:
    """The districts a place is made of, with the share of each district's residents living in it."""

    def compute() -> DistrictShares:
        if place.layer == "district":
            return DistrictShares(pd.Series({place.code: 1.0}, name="share"))
        try:
            matrix, districts, targets, split = _layer_matrix(store, place.layer)
        except InvalidParameter as err:
            return DistrictShares(pd.Series(dtype=float), problem=str(err))
        where = np.flatnonzero(targets == place.code)
        if not len(where):
            return DistrictShares(pd.Series(dtype=float),
                                  problem=f"the store's lookups link no district to {place.name}")
        column = np.asarray(matrix[:, where[0]].todense()).ravel()
        inside = column > 1e-12
        shares = pd.Series(column[inside], index=districts[inside], name="share")
        people = district_residents(store)
        weight = shares * shares.index.map(people).fillna(0.0)
        split_share = float(weight[split[inside]].sum() / weight.sum()) if weight.sum() > 0 else 0.0
        return DistrictShares(shares, split_share)

    return cached(per_store(store, "public_money.place_districts", place.code), compute)


def body_residents(store: Store) -> pd.DataFrame:
    """Residents of every body's area in each period: ``body_code``, ``period``, ``year``, ``residents``.

    :math:`R_b = \\sum_d s_{bd} P_d`, with the districts' residents of the period's year.
    """

    def compute() -> pd.DataFrame:
        tables = spending_tables(store)
        areas = tables.areas[["body_code", "period", "district_code", "share"]].copy()
        areas["year"] = areas["period"].map(tables.bodies.drop_duplicates("period").set_index("period")["year"])
        areas = areas.dropna(subset=["year"])
        areas["residents"] = 0.0
        for year, rows in areas.groupby("year"):
            people = district_residents(store, int(year))
            areas.loc[rows.index, "residents"] = rows["share"] * rows["district_code"].map(people).fillna(0.0)
        out = areas.groupby(["body_code", "period", "year"], as_index=False)["residents"].sum()
        out["year"] = out["year"].astype(int)
        return out

    return cached(per_store(store, "public_money.body_residents"), compute)


def _by_districts(store: Store, layer: str) -> pd.DataFrame:
    """Body fractions through districts: body_code, period, area_code, fraction."""
    tables = spending_tables(store)
    matrix, districts, targets, _split = _layer_matrix(store, layer)
    coo = matrix.tocoo()
    links = pd.DataFrame({"district_code": districts[coo.row], "area_code": targets[coo.col], "x": coo.data})
    links = links.loc[links["x"] > 1e-12]
    areas = tables.areas[["body_code", "period", "district_code", "share"]].copy()
    years = tables.bodies.drop_duplicates("period").set_index("period")["year"]
    areas["people"] = 0.0
    for period, rows in areas.groupby("period"):
        if period in years.index:
            people = district_residents(store, int(years[period]))
            areas.loc[rows.index, "people"] = rows["share"] * rows["district_code"].map(people).fillna(0.0)
    total = areas.groupby(["body_code", "period"])["people"].transform("sum")
    areas["weight"] = areas["people"] / total.where(total > 0, np.nan)
    joined = areas.dropna(subset=["weight"]).merge(links, on="district_code")
    joined["fraction"] = joined["weight"] * joined["x"]
    return joined.groupby(["body_code", "period", "area_code"], as_index=False)["fraction"].sum()


def _by_own_area(store: Store, layer: str, codes: set[str]) -> pd.DataFrame:
    """Body fractions of bodies that are areas of a store layer with lookups (an ICB that is a health area),
    from the residents the two areas share through small areas: body_code, area_code, fraction."""
    frames = []
    by_layer = pd.Series({code: store.layer_of(code) for code in codes}).dropna()
    for body_layer, members in by_layer.groupby(by_layer):
        if body_layer == layer:
            frames.append(pd.DataFrame({"body_code": members.index, "area_code": members.index, "fraction": 1.0}))
            continue
        try:
            allocation = allocation_matrix(store, body_layer, layer)
        except InvalidParameter:
            continue
        coo = allocation.shares.tocoo()
        frame = pd.DataFrame({"body_code": allocation.source_codes[coo.row],
                              "area_code": allocation.target_codes[coo.col], "fraction": coo.data})
        frames.append(frame.loc[frame["body_code"].isin(members.index) & (frame["fraction"] > 1e-12)])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["body_code", "area_code", "fraction"])


def body_fractions(store: Store, layer: str) -> pd.DataFrame:
    """The share of each body's residents living in each area of ``layer`` (once per store and layer).

    A body that splits a district and is itself an area of a store layer with lookups (an ICB stored as
    a health area) is overlapped with the layer through small areas, which is exact even where both
    split a district; any other body through its districts, with each year's district residents
    (module Notes).

    Returns
    -------
    DataFrame
        ``body_code``, ``period``, ``area_code``, ``fraction`` (0-1]; no rows for a store without
        spending or without lookups to ``layer``.
    """

    def compute() -> pd.DataFrame:
        try:
            through_districts = _by_districts(store, layer)
        except InvalidParameter:
            return pd.DataFrame(columns=["body_code", "period", "area_code", "fraction"])
        # only a body splitting a district needs the small-area overlap; one made of whole districts is
        # shared through them, with the districts' residents of each year as the place's own are
        areas = spending_tables(store).areas
        splitting = set(areas.loc[areas["share"] < 1 - 1e-9, "body_code"])
        layers = set(overlap_layers(store)) - {"district"}
        own = {c for c in through_districts["body_code"].unique() if c in splitting and store.layer_of(c) in layers}
        exact = _by_own_area(store, layer, own)
        if exact.empty:
            return through_districts
        periods = through_districts.loc[through_districts["body_code"].isin(exact["body_code"]),
                                        ["body_code", "period"]].drop_duplicates()
        exact = exact.merge(periods, on="body_code")
        rest = through_districts.loc[~through_districts["body_code"].isin(exact["body_code"])]
        return pd.concat([rest, exact[["body_code", "period", "area_code", "fraction"]]], ignore_index=True)

    return cached(per_store(store, "public_money.body_fractions", layer), compute)


def layer_residents(store: Store, layer: str) -> pd.DataFrame:
    """Residents of every area of ``layer`` in each spending period: area_code, period, residents."""

    def compute() -> pd.DataFrame:
        tables = spending_tables(store)
        try:
            matrix, districts, targets, _split = _layer_matrix(store, layer)
        except InvalidParameter:
            return pd.DataFrame(columns=["area_code", "period", "residents"])
        frames = []
        for period, year in tables.bodies.drop_duplicates("period").set_index("period")["year"].items():
            people = district_residents(store, int(year)).reindex(districts).fillna(0.0).to_numpy()
            frames.append(pd.DataFrame({"area_code": targets, "period": period, "residents": matrix.T @ people}))
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["area_code", "period", "residents"])
        return out.loc[out["residents"] > 0]

    return cached(per_store(store, "public_money.layer_residents", layer), compute)


def layer_spend(store: Store, layer: str) -> pd.DataFrame:
    """Attributed spending and residents of every area of ``layer``, by period and service (once per store).

    Returns
    -------
    DataFrame
        ``area_code``, ``period``, ``year``, ``service``, ``gross``, ``income``, ``net`` (£ thousand)
        and ``residents`` (persons in the period's year); empty when the store has no spending or
        no lookups to ``layer``.
    """

    def compute() -> pd.DataFrame:
        columns = ["area_code", "period", "year", "service", *MONEY_COLUMNS, "residents"]
        fractions = body_fractions(store, layer)
        spend = spending_tables(store).spend
        if fractions.empty or spend.empty:
            return pd.DataFrame(columns=columns)
        joined = spend[["body_code", "period", "year", "service", *MONEY_COLUMNS]].merge(fractions, on=["body_code", "period"])
        for column in MONEY_COLUMNS:
            joined[column] = joined[column] * joined["fraction"]
        out = joined.groupby(["area_code", "period", "year", "service"], as_index=False)[MONEY_COLUMNS].sum()
        out = out.merge(layer_residents(store, layer), on=["area_code", "period"])
        out["year"] = out["year"].astype(int)
        return out[columns]

    return cached(per_store(store, "public_money.layer_spend", layer), compute)
