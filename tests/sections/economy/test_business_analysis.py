"""The economy section on a store with business counts and no jobs by industry: the comparison with the
country, location quotients, size profile and shift-share of a place, and the views that show them."""

from __future__ import annotations

import pytest

from diagnostics.sections.economy.business_analysis import (
    business_comparison,
    place_business_shift_share,
    place_business_structure,
    place_size_profile,
    uses_business_counts,
)
from diagnostics.sections.economy.business_tables import NOT_JOBS
from diagnostics.sections.economy.businesses import place_businesses
from diagnostics.sections.economy.narrative import economy_findings
from diagnostics.sections.economy.page import VIEWS
from diagnostics.sections.session import start


@pytest.fixture()
def dx(business_store):
    return start("D1", business_store, comparators=["D3", "D4"])


def test_a_district_is_compared_with_the_sum_of_the_countrys_districts(dx):
    assert uses_business_counts(dx)
    b = business_comparison(dx)
    assert b.years == [2022, 2023] and b.nation.method == "the sum of its 4 districts"
    assert b.computed.startswith("Computed: counts of businesses (not jobs) from hand-made, March 2022, 2023 snapshots")


def test_location_quotients_of_local_units_are_worked_by_hand(dx):
    table = place_business_structure(dx).set_index("group")
    assert table.loc["47", "lq"] == pytest.approx((30 / 100) / (100 / 400))


def test_the_size_profile_sets_the_place_against_region_country_and_comparators(dx):
    profile = place_size_profile(dx).set_index("role")
    assert profile.loc["place", "micro (0-9)"] == pytest.approx(90.0)
    assert profile.loc["region", "micro (0-9)"] == pytest.approx(190 / 200 * 100)  # D1 and D2
    assert profile.loc["country", "large (250+)"] == pytest.approx(5 / 400 * 100)
    assert profile.loc["comparators", "micro (0-9)"] == pytest.approx(100.0)


def test_the_shift_share_of_local_units_sums_to_the_change(dx):
    table = place_business_shift_share(dx).table
    total = table.iloc[-1]
    assert total["change"] == 100 - 80
    national = 400 / 380 - 1  # the four districts' local units, 2023 over 2022 (conftest.BUSINESS_UNITS)
    assert total["national_growth"] == pytest.approx(80 * national)
    assert total["national_growth"] + total["industry_mix"] + total["local_effect"] == pytest.approx(20)


def test_a_place_not_made_of_whole_districts_has_no_counts_and_says_why(business_store):
    result = place_businesses(business_store, "H1")
    assert not result.available and "does not follow district boundaries" in result.reason


def test_the_findings_say_the_counts_are_not_jobs(dx):
    texts = [f.text for f in economy_findings(dx)]
    assert any(t.startswith("Local units (workplaces, not jobs) changed by +20 (+25.0%)") for t in texts)
    assert any(t.startswith("90.0% of Ashcombe's enterprises are micro") for t in texts)


def test_the_structure_table_view_shows_business_counts_under_the_not_jobs_sentence(dx):
    view = dict(VIEWS)["Location quotients by industry"]
    html = view(dx).data
    assert NOT_JOBS.split(":")[0] in html and "Size profile of enterprises" in html and "Computed: counts of businesses" in html
