"""The public-money section's headline measures, as benchmark rows for the summary's cards.

Two measures, both neutral (spending is neither good nor bad in itself, so never a strength or a
challenge): net public spending per resident attributed to the place by every body, and the same
without the NHS (the councils, police, fire and combined authorities that council tax helps pay for).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS, benchmark_row
from diagnostics.sections.public_money.analysis import place_spending
from diagnostics.sections.public_money.attribution import layer_spend
from diagnostics.sections.session import Session

__all__ = ["HEADLINE_MEASURES", "headline"]

#: id -> (name, services left out).
HEADLINE_MEASURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "public_spend_per_head": ("Public spending per resident (net, every body)", ()),
    "local_spend_per_head": ("Local public spending per resident (net, without the NHS)", ("nhs",)),
}


def _per_head(store, layer: str, period: str, leave_out: tuple[str, ...]) -> pd.Series:
    rows = layer_spend(store, layer)
    rows = rows.loc[(rows["period"] == period) & ~rows["service"].isin(leave_out)]
    people = rows.drop_duplicates("area_code").set_index("area_code")["residents"]
    return rows.groupby("area_code")["net"].sum() * 1000 / people


def headline(dx: Session) -> pd.DataFrame:
    """The section's headline benchmark table (:data:`~diagnostics.compare.benchmark.BENCHMARK_COLUMNS`).

    Rows keep ``status`` "not available..." when the store has no spending for the place.
    """
    spending = place_spending(dx)
    records = []
    for indicator_id, (name, leave_out) in HEADLINE_MEASURES.items():
        measure = {"indicator_id": indicator_id, "name": name, "unit": "£", "polarity": "neutral", "decimals": 0}
        if spending.problem:
            records.append({**measure, "status": "not available: " + spending.problem})
            continue
        period = spending.latest
        values = _per_head(dx.store, dx.place.layer, period, leave_out)
        if dx.place.code not in values.index:
            records.append({**measure, "status": "not available: no spending attributed to the place"})
            continue
        around = [_per_head(dx.store, layer, period, leave_out) for layer in ("region", "country")]
        everything = pd.concat([values, *around])
        everything = everything[~everything.index.duplicated()]
        own = {"period": period, "value": float(values[dx.place.code]), "lower_ci": np.nan, "upper_ci": np.nan}
        source = "; ".join(sorted(set(dx.store.table("spend")["source"].astype(str))))
        records.append(benchmark_row(measure, dx.place.code, own, everything, values, region=dx.region_code,
                                     country=dx.country_code, comparators=dx.comparator_codes, trend="",
                                     source=source))
    return pd.DataFrame.from_records(records, columns=BENCHMARK_COLUMNS)
