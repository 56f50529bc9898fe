"""The store: validated parquet tables that every analysis reads, and the places they describe.

``store`` opens, validates and caches a store directory; ``schema`` is the data contract;
``places`` resolves what a user typed to an area; ``catalogue``, ``indicators``, ``rollup`` and
``deprivation`` build and list the indicator rows a store holds. The store imports nothing above
it: no analysis, rendering or output.
"""

from diagnostics.store.places import Place, list_places, resolve_place
from diagnostics.store.store import Store, as_store, open_store, write_store

__all__ = ["Store", "open_store", "as_store", "write_store", "Place", "resolve_place", "list_places"]
