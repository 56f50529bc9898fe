"""The public money of one place, computed once per place: the typed results the page's views render.

- :func:`place_spending`: every body whose area covers any of the place, its spending attributed to the
  place by residents (:mod:`diagnostics.sections.public_money.attribution`), the place's residents, the
  quality figures (``split_share``, ``coverage``) and the notes on missing returns, bodies that changed
  between years and bodies with no known area (:class:`PlaceSpending`);
- :func:`per_head_comparison`: net spending per head by service against the region, the country and
  the comparators;
- :func:`spending_over_years`: the place's spending per head by service in each year, in cash and, with
  deflators, in real terms.

Nothing here raises for missing data: a result carries ``problem`` (one sentence) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.conventions import SPEND_SERVICES
from diagnostics.sections.public_money.attribution import (
    MONEY_COLUMNS,
    body_fractions,
    body_residents,
    district_residents,
    layer_residents,
    layer_spend,
    place_district_shares,
)
from diagnostics.sections.public_money.data import deflator_index, missing_spending, real_terms, spending_tables
from diagnostics.sections.session import Session

__all__ = ["PlaceSpending", "place_spending", "per_head_comparison", "spending_over_years", "TOTAL"]

#: The label of the all-services row of :func:`per_head_comparison`.
TOTAL = "All services"


@dataclass(frozen=True)
class PlaceSpending:
    """The public money spent in one place, or why it cannot be shown.

    Attributes
    ----------
    by_body : DataFrame
        ``period``, ``year``, ``body_code``, ``body_name``, ``body_type``, ``service``, ``gross``,
        ``income``, ``net``: each body's spending attributed to the place, £ thousand.
    bodies : DataFrame
        One row per body covering any of the place and period: ``period``, ``body_code``,
        ``body_name``, ``body_type``, ``returned``, ``note``, ``residents_share`` (share of the
        body's residents living in the place, 0-1), ``place_share`` (share of the place's residents
        in the body's area, 0-1), ``gross`` and ``net`` (£ thousand attributed; NaN without a return).
    residents : Series
        The place's residents by period.
    split_share : float
        Share of the place's residents in districts its boundary splits (0 = exact).
    coverage : float
        Share of the place's residents (latest period) living where the store knows some spending body.
    notes : tuple of str
        Missing returns, bodies that changed between years, bodies with no known area.
    problem : str
        Why nothing can be shown ('' when it can).
    """

    by_body: pd.DataFrame = field(default_factory=pd.DataFrame)
    bodies: pd.DataFrame = field(default_factory=pd.DataFrame)
    residents: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    split_share: float = 0.0
    coverage: float = 0.0
    notes: tuple[str, ...] = ()
    problem: str = ""

    @property
    def periods(self) -> list[str]:
        return sorted(self.bodies["period"].unique()) if not self.bodies.empty else []

    @property
    def latest(self) -> str | None:
        """The financial year the page leads with: the latest in which as many kinds of body have spending
        in the place as in any year (NHS allocations published a year ahead of the councils' outturn make a
        year of the NHS alone, which is not the place's public money)."""
        return headline_period(self.bodies)


def headline_period(bodies: pd.DataFrame) -> str | None:
    """The latest ``period`` of ``bodies`` (period, body_type, net) in which the number of body types with
    spending is the largest of any period; None without bodies.

    >>> headline_period(pd.DataFrame({"period": ["2024-25", "2024-25", "2025-26"],
    ...                               "body_type": ["unitary", "icb", "icb"], "net": [1.0, 2.0, 3.0]}))
    '2024-25'
    """
    if bodies.empty:
        return None
    kinds = bodies.dropna(subset=["net"]).groupby("period")["body_type"].nunique()
    if kinds.empty:
        return str(sorted(bodies["period"].unique())[-1])
    return str(kinds.index[kinds == kinds.max()].max())


def _body_notes(bodies: pd.DataFrame, type_periods: pd.Series, unplaced: pd.DataFrame) -> list[str]:
    notes = []
    for row in bodies.loc[~bodies["returned"].astype(bool)].itertuples(index=False):
        why = f" ({row.note})" if isinstance(row.note, str) and row.note else ""
        notes.append(f"{row.body_name} made no return for {row.period}{why}: its spending is not counted, so the "
                     f"place's total for {row.period} is short of it.")
    # a body is noted when it lacks a year its kind of body has in the store (a year its publisher covers)
    seen = bodies.groupby("body_code")[["period", "body_type"]].agg({"period": lambda p: sorted(set(p)), "body_type": "last"})
    for code, (had, kind) in seen.iterrows():
        if len(type_periods.get(kind, [])) > 1 and had != type_periods[kind]:
            name = bodies.loc[bodies["body_code"] == code, "body_name"].iloc[-1]
            notes.append(f"{name} covers the place in {', '.join(had)} only (a body created, abolished or recoded "
                         "between years): compare totals across years with care.")
    if not unplaced.empty:
        names = sorted(unplaced["body_name"].unique())
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        notes.append(f"The store does not say which districts {len(names)} spending "
                     f"{'body covers' if len(names) == 1 else 'bodies cover'} ({shown}), so their spending cannot "
                     "be placed in any area and is left out.")
    return notes


def place_spending(dx: Session) -> PlaceSpending:
    """Every body spending in the place and its spending attributed by residents, once per place."""

    def compute() -> PlaceSpending:
        store, place = dx.store, dx.place
        missing = missing_spending(store)
        if missing:
            return PlaceSpending(problem=missing)
        made_of = place_district_shares(store, place)
        if made_of.problem:
            return PlaceSpending(problem=f"{place.name} cannot be made of districts: {made_of.problem}")
        tables = spending_tables(store)
        periods = tables.periods
        people = layer_residents(store, place.layer)
        residents = people.loc[people["area_code"] == place.code].set_index("period")["residents"].reindex(periods)
        fractions = body_fractions(store, place.layer)
        fractions = fractions.loc[fractions["area_code"] == place.code, ["body_code", "period", "fraction"]]
        if fractions.empty or not residents.fillna(0).gt(0).any():
            return PlaceSpending(problem=f"no spending body in the store covers {place.name}")
        info = tables.bodies.set_index(["body_code", "period"])
        spend = tables.spend.merge(fractions, on=["body_code", "period"])
        for column in MONEY_COLUMNS:
            spend[column] = spend[column] * spend["fraction"]
        by_body = spend[["period", "year", "body_code", "service", *MONEY_COLUMNS]].copy()
        keys = pd.MultiIndex.from_frame(by_body[["body_code", "period"]])
        by_body["body_name"] = info["body_name"].reindex(keys).to_numpy()
        by_body["body_type"] = info["body_type"].reindex(keys).to_numpy()

        bodies = fractions.rename(columns={"fraction": "residents_share"}).reset_index(drop=True)
        keys = pd.MultiIndex.from_frame(bodies[["body_code", "period"]])
        for column in ("body_name", "body_type", "returned", "note"):
            bodies[column] = info[column].reindex(keys).to_numpy()
        body_people = body_residents(store).set_index(["body_code", "period"])["residents"]
        bodies["place_share"] = (bodies["residents_share"] * body_people.reindex(keys).to_numpy()
                                 / bodies["period"].map(residents).to_numpy()).clip(0, 1)
        totals = by_body.groupby(["body_code", "period"])[["gross", "net"]].sum()
        bodies[["gross", "net"]] = totals.reindex(keys).to_numpy()
        bodies = bodies.dropna(subset=["body_name"]).sort_values(["period", "net"], ascending=[True, False])
        bodies = bodies[["period", "body_code", "body_name", "body_type", "returned", "note", "residents_share",
                         "place_share", "gross", "net"]].reset_index(drop=True)

        shares = made_of.shares
        years = tables.bodies.drop_duplicates("period").set_index("period")["year"]
        areas = tables.areas.loc[tables.areas["district_code"].isin(shares.index)]
        latest = headline_period(bodies) or periods[-1]
        known = areas.loc[areas["period"] == latest, "district_code"].unique()
        weight = shares * shares.index.map(district_residents(store, int(years[latest]))).fillna(0.0)
        coverage = float(weight.reindex(known).sum() / weight.sum()) if weight.sum() > 0 else 0.0
        placed = set(tables.areas["body_code"])
        unplaced = tables.bodies.loc[~tables.bodies["body_code"].isin(placed)]
        type_periods = tables.bodies.groupby("body_type")["period"].apply(lambda p: sorted(set(p)))
        notes = _body_notes(bodies, type_periods, unplaced)
        return PlaceSpending(by_body, bodies, residents, made_of.split_share, coverage, tuple(notes))

    return cached(per_place(dx, "public_money.place_spending"), compute)


def _per_head(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Net and gross £ per resident of ``layer_spend`` rows summed over ``by`` (residents taken once per area)."""
    money = frame.groupby(["area_code", "period", *by])[MONEY_COLUMNS].sum()
    people = frame.drop_duplicates(["area_code", "period"]).set_index(["area_code", "period"])["residents"]
    out = money.div(people.reindex(money.index.droplevel(by) if by else money.index).to_numpy(), axis=0) * 1000
    return out.reset_index()


def per_head_comparison(dx: Session, period: str | None = None) -> pd.DataFrame:
    """Net spending per head by service (and in all) against the region, the country and the comparators.

    Parameters
    ----------
    dx : Session
    period : str, optional
        A financial year; default the latest with spending.

    Returns
    -------
    DataFrame
        One row per service the place or its peers spend on, then :data:`TOTAL`: ``service`` (key or
        "total"), ``label``, ``period``, ``place`` (£ net per resident), ``region``, ``country``,
        ``comparators_median``, ``comparators_min``, ``comparators_max``, ``n_comparators``, ``rank``
        (1 = highest among the areas of the place's layer), ``n_ranked``, ``ratio`` (place over the
        comparators' median). Empty when the place has no spending.
    """
    spending = place_spending(dx)
    if spending.problem:
        return pd.DataFrame()
    period = period or spending.latest
    peers = layer_spend(dx.store, dx.place.layer)
    peers = peers.loc[peers["period"] == period]
    if dx.place.code not in set(peers["area_code"]):
        return pd.DataFrame()
    wide = pd.concat([
        _per_head(peers, ["service"]).pivot(index="area_code", columns="service", values="net"),
        _per_head(peers, []).set_index("area_code")["net"].rename("total"),
    ], axis=1)
    around = {}
    for layer, code in (("region", dx.region_code), ("country", dx.country_code)):
        if code is None:
            continue
        rows = layer_spend(dx.store, layer)
        rows = rows.loc[(rows["period"] == period) & (rows["area_code"] == code)]
        if not rows.empty:
            values = _per_head(rows, ["service"]).set_index("service")["net"]
            values["total"] = _per_head(rows, []).iloc[0]["net"]
            around[layer] = values
    records = []
    comparators = [c for c in dx.comparator_codes if c in wide.index]
    for service in [*[s for s in SPEND_SERVICES if s in wide.columns], "total"]:
        column = wide[service].fillna(0.0)
        own = float(column[dx.place.code])
        comps = column.reindex(comparators)
        ranks = column.rank(ascending=False, method="min")
        median = float(comps.median()) if len(comps) else np.nan
        records.append({
            "service": service, "label": SPEND_SERVICES.get(service, TOTAL), "period": period, "place": own,
            "region": around.get("region", {}).get(service, np.nan) if "region" in around else np.nan,
            "country": around.get("country", {}).get(service, np.nan) if "country" in around else np.nan,
            "comparators_median": median,
            "comparators_min": float(comps.min()) if len(comps) else np.nan,
            "comparators_max": float(comps.max()) if len(comps) else np.nan,
            "n_comparators": len(comps), "rank": int(ranks[dx.place.code]), "n_ranked": len(column),
            "ratio": own / median if median and median > 0 else np.nan,
        })
    return pd.DataFrame.from_records(records)


def spending_over_years(dx: Session) -> pd.DataFrame:
    """The place's net spending per head by service in each year, in cash and, with deflators, in real terms.

    Returns
    -------
    DataFrame
        ``period``, ``service``, ``label``, ``net`` (£ thousand), ``per_head`` (£ cash), ``real_per_head``
        (£ in the prices of the latest deflated year; NaN without deflators). Empty without spending.
    """
    spending = place_spending(dx)
    if spending.problem or spending.by_body.empty:
        return pd.DataFrame()
    net = spending.by_body.groupby(["period", "service"], as_index=False)["net"].sum()
    net["label"] = net["service"].map(SPEND_SERVICES)
    net["per_head"] = 1000 * net["net"] / net["period"].map(spending.residents)
    index = deflator_index(dx.store)
    net["real_per_head"] = real_terms(net["per_head"], net["period"], index) if index is not None else np.nan
    return net[["period", "service", "label", "net", "per_head", "real_per_head"]]
