"""The public-money steps of an England import: who spends (every body of MHCLG's Revenue Outturn,
returned or not) and on what (13 service areas, £ thousand), each financial year given.

A body that made no return keeps its row in ``spend_bodies`` with ``returned`` False and the reason,
and is named in the import report: its spend is unknown, never read as zero.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.revenue_outturn import read_rsx

__all__ = ["read_revenue_outturn", "SPEND_PUBLISHER"]

#: The publisher key of the spending files, for the attribution.
SPEND_PUBLISHER = "MHCLG finance"


def read_revenue_outturn(ctx: ImportContext) -> None:
    """``spend_bodies`` and ``spend`` from every RSX file given (one per financial year)."""
    found = ctx.all_of("rsx")
    if not found:
        ctx.leave_out("Public money by body and service (MHCLG Revenue Outturn RSX, 'individual local authority data'): "
                      "none given, so the public money section has no council, police, fire or combined authority spend.")
        return
    bodies, spend, periods = [], [], set()
    for dataset in sorted(found, key=lambda d: d.detail):
        if dataset.detail in periods:
            ctx.set_aside(dataset.path, f"another RSX file of {dataset.detail} is used")
            continue
        rsx = read_rsx(dataset.path)
        periods.add(rsx.period)
        missing = rsx.bodies.loc[~rsx.bodies["returned"]]
        for _, body in missing.iterrows():
            ctx.leave_out(f"Spend of {body['body_name']} ({body['body_code']}) in {rsx.period}: no Revenue Outturn return "
                          "was received in time for publication; it is kept as 'not returned', never read as zero.")
        ctx.use(dataset.path, f"spend by service of {len(rsx.bodies)} public bodies, {rsx.period} "
                              f"({len(missing)} without a return; dropped the aggregates {', '.join(rsx.aggregates)})",
                SPEND_PUBLISHER)
        bodies.append(rsx.bodies.assign(source=rsx.source, vintage=rsx.vintage))
        if len(rsx.spend):
            spend.append(rsx.spend.assign(source=rsx.source, vintage=rsx.vintage))
    ctx.tables["spend_bodies"] = pd.concat(bodies, ignore_index=True)
    if spend:
        ctx.tables["spend"] = pd.concat(spend, ignore_index=True)
