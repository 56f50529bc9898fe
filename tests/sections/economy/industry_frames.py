"""Industry tables small enough to work by hand, shared by the economy section's tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def industry(rows) -> pd.DataFrame:
    """An industry table from (year, section, employment[, gva])."""
    rows = [tuple(r) + (np.nan,) * (4 - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=["year", "sic_section", "employment", "gva"])


# The worked example of the shift-share: two sectors, 2010 -> 2020.
# Nation: A 400 -> 500 (+25%), B 600 -> 600 (0%); all jobs 1000 -> 1100 (+10%).
# Place:  A 100 -> 120 (+20%), B 200 -> 220 (+10%); all jobs 300 -> 340.
NATION = industry([(2010, "A", 400), (2010, "B", 600), (2020, "A", 500), (2020, "B", 600)])
PLACE = industry([(2010, "A", 100), (2010, "B", 200), (2020, "A", 120), (2020, "B", 220)])

# The worked example of the productivity gap:
# Nation: A 100 jobs, £10m (£100,000 a job); B 100 jobs, £2m (£20,000): £60,000 a job overall.
# Place:  A 30 jobs, £2.7m (£90,000);       B 70 jobs, £1.75m (£25,000): £44,500 a job overall.
GAP_NATION = industry([(2020, "A", 100, 10.0), (2020, "B", 100, 2.0)])
GAP_PLACE = industry([(2020, "A", 30, 2.7), (2020, "B", 70, 1.75)])
