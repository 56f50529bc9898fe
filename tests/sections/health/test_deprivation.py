"""The deprivation profile: MHCLG's summaries of the IMD and its domains, read or computed from scores."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import england_files as ef

from diagnostics.sections.health import deprivation


def test_deprivation_profile_reads_the_imported_mhclg_summaries(tiny_england_store):
    table = deprivation.deprivation_profile(tiny_england_store, "E08000001").set_index("domain")
    assert list(table.index) == list(deprivation.DEPRIVATION_DOMAINS[:8])  # the fixture has no File 3 (IDACI, IDAOPI)
    imd = table.loc["imd"]
    assert imd["average_rank"] == pytest.approx(ef.EXPECTED_IMD_AVERAGE_RANK["E08000001"])
    assert imd["most_deprived_10pct"] == pytest.approx(ef.EXPECTED_IMD_SHARE["E08000001"])
    assert imd["rank_of_average_rank"] == ef.EXPECTED_RANK_OF_AVERAGE_RANK["E08000001"] and imd["n_ranked"] == 4
    assert np.isnan(imd["average_score"]) and not imd["computed_here"]  # File 2 carries ranks only
    assert imd["period"] == "2019" and "Indices of Deprivation 2019" in imd["source"]
    assert deprivation.deprivation_profile_layers(tiny_england_store) == ["district", "county", "region", "country",
                                                                          "combined_authority"]


def test_deprivation_profile_is_computed_from_small_area_scores_when_the_store_has_none(gradient_store):
    # by hand: D1 holds scores 1..20 (mean 10.5) and the two most deprived of the 24 small areas (the
    # most deprived 10% nationally: ranks 1 and 2, scores 20 and 19); D2 holds 5, 10, 15 (mean 10) and
    # D3 one area of 10, all with equal populations per area, so D2 and D3 tie at rank 2 of 3.
    table = deprivation.deprivation_profile(gradient_store, "D2")
    assert list(table["domain"]) == ["imd"] and table["computed_here"].all()
    row = table.iloc[0]
    assert row["average_score"] == pytest.approx(10.0)
    assert row["most_deprived_10pct"] == 0.0
    assert (row["rank_of_average_score"], row["n_ranked"]) == (2, 3)
    d1 = deprivation.deprivation_profile(gradient_store, "D1").iloc[0]
    assert d1["average_score"] == pytest.approx(10.5) and d1["rank_of_average_score"] == 1
    assert d1["most_deprived_10pct"] == pytest.approx(100 * 2 / 20)


def test_deprivation_profile_is_empty_when_the_store_has_neither_profile_nor_scores(tiny_store):
    assert deprivation.deprivation_profile(tiny_store, "D2").empty
    assert deprivation.deprivation_profile_layers(tiny_store) == []
