"""MHCLG's local-authority summaries of the Indices of Deprivation: weights by domain and the ranks
among the districts MHCLG ranked, on tiny cases worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.store.deprivation import (
    AS_PUBLISHED,
    DOMAIN_WEIGHTS,
    area_summaries,
    profile_catalogue,
    profile_indicators,
    ranks_among_published_districts,
)

POPULATION = pd.DataFrame(
    {"total": [100, 300, 200, 200], "working_age": [80, 20, 50, 150], "aged_0_15": [10, 90, 50, 50], "aged_60_plus": [5, 5, 5, 5]},
    index=pd.Index(["a", "b", "c", "d"], name="small_area_code"),
)
MEMBERS = pd.DataFrame({"small_area_code": ["a", "b", "c", "d"], "layer": "district", "area_code": ["X", "X", "Y", "Y"]})


def _ranks(domain: str, values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"small_area_code": ["a", "b", "c", "d"], "domain": domain, "measure": "rank", "value": values})


def _value(out: pd.DataFrame, area: str, domain: str, measure: str) -> float:
    return float(out.set_index(["area_code", "domain", "measure"]).loc[(area, domain, measure), "value"])


def test_the_employment_domain_is_weighted_by_the_working_age_population():
    out = area_summaries(pd.concat([_ranks("imd", [1, 10, 5, 8]), _ranks("employment", [1, 10, 5, 8])]), POPULATION, MEMBERS, n_national=10)
    # reversed ranks 10 and 1: the IMD weights them 100:300 -> 3.25; employment 80:20 -> 8.2
    assert _value(out, "X", "imd", "average_rank") == pytest.approx(3.25)
    assert _value(out, "X", "employment", "average_rank") == pytest.approx((10 * 80 + 1 * 20) / 100)
    # Y: reversed 6 and 3, working-age 50:150 -> 3.75
    assert _value(out, "Y", "employment", "average_rank") == pytest.approx((6 * 50 + 3 * 150) / 200)


def test_idaci_is_weighted_by_children_and_idaopi_by_older_people():
    out = area_summaries(pd.concat([_ranks("idaci", [1, 10, 5, 8]), _ranks("idaopi", [1, 10, 5, 8])]), POPULATION, MEMBERS, n_national=10)
    assert _value(out, "X", "idaci", "average_rank") == pytest.approx((10 * 10 + 1 * 90) / 100)
    assert _value(out, "X", "idaopi", "average_rank") == pytest.approx(5.5)  # equal weights
    assert DOMAIN_WEIGHTS == {"employment": "working_age", "idaci": "aged_0_15", "idaopi": "aged_60_plus"}


def test_a_population_series_weights_every_domain_alike():
    out = area_summaries(_ranks("employment", [1, 10, 5, 8]), POPULATION["total"], MEMBERS, n_national=10)
    assert _value(out, "X", "employment", "average_rank") == pytest.approx(3.25)


def test_area_summaries_refuse_a_population_table_without_the_domains_column():
    with pytest.raises(InvalidParameter, match=r"needs a column 'working_age' to weight the employment domain"):
        area_summaries(_ranks("employment", [1, 10, 5, 8]), POPULATION[["total"]], MEMBERS, n_national=10)


def test_ranks_among_published_districts_rank_the_districts_of_2019_and_keep_unchanged_codes():
    measures = _ranks("imd", [1, 10, 5, 8]).assign(district_code_2019=["X", "X", "Y", "OLD"])
    out = ranks_among_published_districts(measures, POPULATION, current_codes=["X", "Y", "NEW"], n_national=10)
    # 2019: X (3.25), Y (reversed 6 -> 6), OLD (3): Y first, X second; OLD has since been re-coded
    assert set(out["area_code"]) == {"X", "Y"} and set(out["measure"]) == {f"rank_of_average_rank{AS_PUBLISHED}", f"rank_of_most_deprived_10pct{AS_PUBLISHED}"}
    assert _value(out, "Y", "imd", f"rank_of_average_rank{AS_PUBLISHED}") == 1
    assert _value(out, "X", "imd", f"rank_of_average_rank{AS_PUBLISHED}") == 2
    assert (out["n_ranked"] == 3).all()
    rows = profile_indicators(out)
    assert rows["note"].str.startswith("rank among the 3 districts MHCLG ranked in 2019").all()


def test_the_catalogue_says_which_population_weights_each_domain():
    cat = profile_catalogue().set_index("indicator_id")
    assert cat["method"].str.contains("working-age population").sum() == 9  # the employment domain's 9 measures
    assert "children aged 0-15" in cat.loc["deprivation_idaci_average_rank", "method"]
    assert "total population" in cat.loc["deprivation_imd_average_rank", "method"]


def test_national_deciles_are_mhclgs_tenths_of_the_ranks():
    # IoD2019 File 1: decile 1 = ranks 1 to 3,284, decile 2 = 3,285 to 6,568, decile 3 from 6,569 ... 10 up to 32,844
    from diagnostics.store.deprivation import national_deciles

    assert national_deciles([1, 3284, 3285, 6568, 6569, 32844], 32844).tolist() == [1, 1, 2, 2, 3, 10]


def test_national_deciles_refuse_a_rank_outside_the_ranked_areas():
    from diagnostics.store.deprivation import national_deciles

    with pytest.raises(InvalidParameter, match="between 1 and the number of ranked small areas"):
        national_deciles([0, 5], 10)
