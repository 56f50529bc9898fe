"""Helpers shared by the functions that return tables: group keys, level labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter

__all__ = ["level_label", "limit_columns", "confidence_column", "check_columns", "group_codes"]


def level_label(confidence: float) -> str:
    """``0.95 -> '95_0'``, ``0.998 -> '99_8'`` (PHEindicatormethods' column suffixes)."""
    return f"{confidence * 100:.1f}".replace(".", "_")


def limit_columns(levels: Sequence[float]) -> list[tuple[float, str, str]]:
    """The (level, lower column, upper column) of each confidence level of a table.

    One level gives the store's ``lower_ci`` and ``upper_ci`` (PHEindicatormethods' ``lowercl`` and
    ``uppercl``); several give PHEindicatormethods' names, ``lower95_0cl``, ``upper95_0cl``,
    ``lower99_8cl``, ``upper99_8cl``...
    """
    if len(levels) == 1:
        return [(levels[0], "lower_ci", "upper_ci")]
    return [(c, f"lower{level_label(c)}cl", f"upper{level_label(c)}cl") for c in levels]


def confidence_column(levels: Sequence[float]):
    """The ``confidence`` column of a table: the level (0.95) for one, ``"95%, 99.8%"`` for several (as PHE)."""
    if len(levels) == 1:
        return levels[0]
    return ", ".join(f"{c * 100:g}%" for c in levels)


def check_columns(data, columns: Sequence[str], function: str) -> None:
    """Raise unless ``data`` is a DataFrame holding every column named."""
    if not isinstance(data, pd.DataFrame):
        raise InvalidParameter(
            f"The 'data' parameter of {function} must be a pandas DataFrame; got {type(data).__name__}."
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InvalidParameter(
            f"The 'data' parameter of {function} must have the columns {list(columns)}; "
            f"missing {missing}. Name them with the matching arguments."
        )


def group_codes(data: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """One integer code per row for its group, and the groups' keys as a DataFrame (sorted)."""
    if not by:
        return np.zeros(len(data), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    grouped = data.groupby(list(by), sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().index.to_frame(index=False)
    return codes, keys
