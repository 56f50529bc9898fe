"""Fast row selection for large tables: row positions grouped by a column's values, and Arrow
columns joined into one chunk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["RowGroups", "contiguous"]


class RowGroups:
    """The row positions of a table grouped by the values of one column (a CSR-style index).

    ``rows(groups)`` gives the positions, ascending, of the rows in any of ``groups``; a group is
    the integer :meth:`groups_of` gives for a value.
    """

    def __init__(self, column: pd.Series):
        self.group_of_row, values = pd.factorize(column)
        #: each value the column holds -> its group
        self.group_of_value = {value: group for group, value in enumerate(np.asarray(values, dtype=object))}
        self.order = np.argsort(self.group_of_row, kind="stable")
        self.bounds = np.searchsorted(self.group_of_row[self.order], np.arange(len(values) + 1))

    def groups_of(self, values: list) -> np.ndarray:
        """The groups of these values; values the column never holds are left out."""
        found = self.group_of_value
        return np.array([found[v] for v in dict.fromkeys(values) if v in found], dtype=np.int64)

    def size(self, groups: np.ndarray) -> int:
        return int((self.bounds[groups + 1] - self.bounds[groups]).sum())

    def rows(self, groups: np.ndarray) -> np.ndarray:
        if not len(groups):
            return np.zeros(0, np.int64)
        parts = [self.order[self.bounds[g]:self.bounds[g + 1]] for g in groups]
        return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts))


def contiguous(df: pd.DataFrame) -> pd.DataFrame:
    """The table with each Arrow-backed column in one chunk.

    parquet reads a column as many chunks (one per row group and page), and pandas pays a fixed
    cost per chunk on every row selection of an Arrow-backed column: about 10 ms for the ~40 chunks
    of a five-million-row column, even to select no row; from one chunk, microseconds. A column too
    large for one chunk (over 2 GiB of text) is left as it is.
    """
    import pyarrow as pa

    for column in df.columns:
        values = df[column].array
        chunked = getattr(values, "_pa_array", None)  # ArrowStringArray / ArrowExtensionArray
        if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1:
            try:
                whole = pa.chunked_array([chunked.combine_chunks()], type=chunked.type)
            except (pa.ArrowInvalid, pa.ArrowCapacityError):
                continue
            if isinstance(values, pd.arrays.ArrowStringArray):
                rebuilt = pd.arrays.ArrowStringArray(whole, dtype=values.dtype)
            else:
                rebuilt = pd.arrays.ArrowExtensionArray(whole)
            df[column] = pd.Series(rebuilt, index=df.index, name=column)
    return df
