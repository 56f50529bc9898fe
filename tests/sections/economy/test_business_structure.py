"""Location quotients of business counts by broad industry group and the size profile, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.economy.business_structure import business_location_quotients, industry_counts, size_profile


def _table(counts: dict[str, int], year: int = 2021) -> pd.DataFrame:
    rows = [(year, unit, "industry", group, n) for unit in ("local_units", "enterprises") for group, n in counts.items()]
    return pd.DataFrame(rows, columns=["year", "unit", "breakdown", "category", "count"])


def test_location_quotients_are_shares_of_local_units_over_the_countrys():
    out = business_location_quotients(_table({"47": 30, "69-75": 70}), _table({"47": 100, "69-75": 300}), 2021).set_index("group")
    assert out.loc["47", "lq"] == pytest.approx(0.30 / 0.25)
    assert out.loc["69-75", "lq"] == pytest.approx(0.70 / 0.75)
    assert out.loc["47", "lq_enterprises"] == pytest.approx(1.2)
    assert out.loc["47", "specialisation"] == ""  # 1.2 is under the 1.25 of a specialisation
    assert out.loc["47", "share"] == pytest.approx(30.0) and out.loc["47", "national_share"] == pytest.approx(25.0)
    assert len(out) == 17 and out.loc["85", "local_units"] == 0 and pd.isna(out.loc["85", "lq"])


def test_a_year_the_counts_do_not_hold_is_refused_with_the_years_there_are():
    with pytest.raises(InvalidParameter, match=r"'year' parameter of business_location_quotients must be a year the local counts hold \(\[2021\]\); got 2019"):
        business_location_quotients(_table({"47": 1}), _table({"47": 1}), 2019)


def test_the_size_profile_groups_ons_bands_into_four_classes():
    t = pd.DataFrame({"year": 2021, "unit": "enterprises", "breakdown": "employment_size",
                      "category": ["0-4", "5-9", "20-49", "50-99", "100-249", "250+"], "count": [50, 20, 10, 10, 5, 5]})
    profile = size_profile(t, 2021)
    assert profile.to_dict() == {"micro (0-9)": 70.0, "small (10-49)": 10.0, "medium (50-249)": 15.0, "large (250+)": 5.0, "total": 100.0}
    assert size_profile(t, 2020).isna().all()


def test_industry_counts_take_one_units_groups_for_the_shift_share():
    counts = industry_counts(_table({"47": 30}))
    assert counts.to_dict("records") == [{"year": 2021, "group": "47", "count": 30}]
