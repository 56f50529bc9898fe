"""diagnostics.geography: overlaps, best fit and apportioning between layers."""

import pandas as pd
import pytest

from diagnostics import geography
from diagnostics.exceptions import InvalidParameter


def test_aggregate_small_areas_conserves_counts(tiny_store):
    pop = tiny_store.population
    totals = geography.aggregate_small_areas(tiny_store, pop, "district", ["population"], by=["year"])
    assert totals["population"].sum() == pytest.approx(pop["population"].sum())
    assert set(totals["area_code"]) == set(tiny_store.areas_in_layer("district")["code"])


def test_aggregate_small_areas_unknown_layer_names_the_known_ones(tiny_store):
    with pytest.raises(InvalidParameter, match="district"):
        geography.aggregate_small_areas(tiny_store, tiny_store.population, "nonsense", ["population"])
