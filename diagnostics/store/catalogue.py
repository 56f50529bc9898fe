"""The committed indicator catalogue: ``data/catalogue.csv``.

One row per indicator the synthetic country provides, with the contract's catalogue columns (less
source and vintage, which each source sets) and ``real_source``, the publication it imitates.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.resources import data_dir

__all__ = ["committed_catalogue"]


def committed_catalogue() -> pd.DataFrame:
    """The indicator catalogue as committed in ``data/catalogue.csv`` (a fresh DataFrame each call)."""
    return pd.read_csv(data_dir() / "catalogue.csv")
