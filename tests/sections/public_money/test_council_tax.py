"""Council tax: Band D bills, requirement per head and the shares of spending funded."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.sections.public_money.council_tax import band_d_bills, funded_shares, place_council_tax


def test_the_whole_band_d_bill_is_the_sum_of_every_precept():
    table = pd.DataFrame({
        "billing_code": ["B1"] * 4, "period": ["2023-24"] * 4, "body_code": ["B1", "C", "P", "parishes"],
        "body_type": ["district", "county", "police", "parishes"], "band_d": [200.0, 1500.25, 250.5, 40.0],
    })
    bills = band_d_bills(table, ["B1"], "2023-24", lambda code: code)
    assert bills["body_type"].tolist() == ["district", "county", "police", "parishes", "total"]
    assert bills["band_d"].iloc[-1] == pytest.approx(1990.75)
    assert bills["body_name"].iloc[3] == "Parish and town councils (average)"


def test_the_share_funded_is_requirement_over_net_spending():
    tax = pd.DataFrame({"period": ["2023-24"] * 2, "body_code": ["C", "C"], "body_type": ["county"] * 2,
                        "requirement": [300.0, 200.0]})
    spend = pd.DataFrame({"period": ["2023-24"] * 2, "body_code": ["C", "C"], "net": [1500.0, 500.0]})
    funded = funded_shares(tax, spend, ["C"], "2023-24", lambda code: "County")
    assert funded["funded_share"].iloc[0] == pytest.approx(0.25)


def test_the_place_s_council_tax_per_resident_and_its_bill(session_of):
    tax = place_council_tax(session_of("D1"))
    assert tax.period == "2022-23"
    assert tax.bills.loc[tax.bills["body_type"] == "total", "band_d"].iloc[0] == pytest.approx(1990.0)
    assert tax.requirement_per_head["2022-23"] == pytest.approx(1_990_000 / 3440)
    county = tax.funded.set_index("body_code").loc["K1"]
    assert county["funded_share"] == pytest.approx(1500 / 7200)


def test_a_place_with_no_billing_area_in_the_table_says_so(session_of):
    assert "no billing area of Dunmore" in place_council_tax(session_of("D4")).problem
