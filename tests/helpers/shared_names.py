"""A tiny store with names shared by several layers, a name only a travel-to-work area has, an
apostrophe, and two replaced codes (one re-coded, one merged): built on tests/helpers/tiny.py."""

from __future__ import annotations

import pandas as pd

from diagnostics.store.store import open_store, write_store
from helpers.tiny import tiny_tables

SHARED = [
    # "Brackley" is a police force area and a combined authority (as Greater Manchester is)
    ("P1", "Brackley", "police_force", "C1"),
    ("CA1", "Brackley", "combined_authority", "C1"),
    ("EP1", "Brackley", "economic_partnership", "C1"),
    # "Caddington Market" is only a travel-to-work area, beside the district Caddington Market Vale
    ("T1", "Caddington Market", "ttwa", "C1"),
    ("D5", "Caddington Market Vale", "district", "R2"),
    ("D6", "St Mary's", "district", "R2"),
]
REPLACED = {
    "D9": {"name": "Ashcombe", "code": "D1", "year": "2025", "how": "new_code"},
    "D8": {"name": "Old Dunmore", "code": "D4", "year": "2023", "how": "merger"},
}


def build_shared_names_store(path):
    """The tiny store plus :data:`SHARED` areas and :data:`REPLACED` codes, opened."""
    tables, boundaries = tiny_tables()
    extra = pd.DataFrame(SHARED, columns=["code", "name", "layer", "parent_code"]).assign(source="synthetic", vintage="synthetic")
    tables = dict(tables, areas=pd.concat([tables["areas"], extra], ignore_index=True))
    path = write_store(path, tables, boundaries, source="synthetic",
                       vintage="synthetic", attribution="SYNTHETIC DATA: a hand-made test store.",
                       extra={"default_place": "D2", "replaced_codes": REPLACED})
    return open_store(path)
