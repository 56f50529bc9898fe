"""The summary's sentences (diagnostics.sections.summary.narrative)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.sections.session import start
from diagnostics.sections.summary.narrative import finding_sentence, stand_ins_sentence, unit_and_decimals


def test_a_finding_gives_value_period_country_and_rank_in_the_rows_unit():
    row = {"name": "Smoking prevalence", "unit": "%", "decimals": 1, "value": 11.04, "period": "2023",
           "vs_country": "worse", "country_value": 9.95, "rank": 22, "n_ranked": 22}
    assert finding_sentence(row, "Radworth", "England", "District") == (
        "Smoking prevalence in Radworth: 11.0% (2023), worse than England (9.9%); ranked 22nd of 22 districts "
        "(first is best)."
    )


def test_a_row_without_decimals_or_unit_shows_one_decimal_and_no_unit():
    assert unit_and_decimals({"unit": None, "decimals": np.nan}) == ("", 1)
    assert unit_and_decimals({"unit": "per 100 000", "decimals": 0.0}) == ("per 100 000", 0)


def test_comparators_on_real_england_say_which_stand_ins_were_used(tiny_england_store):
    dx = start("E08000001", tiny_england_store, comparators="nearest")
    text = stand_ins_sentence(tiny_england_store, dx.neighbours)
    assert "stand-ins are used" in text
    assert "Index of Multiple Deprivation average rank for Deprivation score" in text
    assert "GVA per hour for GVA per head" in text  # GDP per head is published for Alpha alone
    assert text.endswith(" Without values here, so not used: Employment rate.")  # two districts only


def test_no_stand_ins_are_named_for_a_table_that_does_not_say_what_it_used(store):
    assert stand_ins_sentence(store, pd.DataFrame({"code": ["D1"]})) == ""
    assert stand_ins_sentence(store, start("default", store).neighbours) == ""
