"""Sources: each turns one outside format into the store's tables, and knows no analysis.

``synthetic`` generates the embedded demonstration country; ``england`` imports the official
downloads. :func:`open_store` opens a store, or the embedded synthetic one (built on first use):
the sessions, the runner, the batch, the app and the command line open stores through it.
"""

from __future__ import annotations

import os

from diagnostics.store.store import Store, as_store

__all__ = ["open_store"]


def open_store(store: Store | str | os.PathLike | None = None) -> Store:
    """A store from a :class:`~diagnostics.store.store.Store`, its folder, or None: the embedded
    synthetic country, built into the cache folder on first use
    (:func:`diagnostics.sources.synthetic.ensure_default_store`).

    Raises
    ------
    StoreNotFound, ContractViolation
        For a folder that holds no store, or a broken one.
    """
    if store is None:
        from diagnostics.sources.synthetic import (
            ensure_default_store,  # the generator loads only when needed
        )

        store = ensure_default_store()
    return as_store(store)
