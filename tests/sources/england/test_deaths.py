"""ONS's deaths Table 2 (deaths by area name, sex and age band) read from its CSV export's layout."""

from __future__ import annotations

import pytest
from helpers import england_population_files as pf

from diagnostics.conventions import AGE_BANDS
from diagnostics.sources.england.deaths import read_deaths_by_age, sniff_deaths_table


def test_table_2_is_recognised_by_its_title_with_the_registration_year(tmp_path):
    path = pf.write_deaths_table2(tmp_path)
    found = sniff_deaths_table(path)
    assert (found.table, found.year) == ("2", 2014)


def test_every_band_is_read_for_both_sexes_with_names_cleaned_of_footnotes(tmp_path):
    deaths = read_deaths_by_age(pf.write_deaths_table2(tmp_path))
    assert list(dict.fromkeys(deaths["name"])) == ["ENGLAND AND WALES", "NORTH", "Alpha", "Beta", "Gamma", "Old Gamma",
                                                   "Delta", "Usual residence outside England and Wales"]
    beta = deaths.loc[deaths["name"] == "Beta"]
    assert sorted(beta["age_band"].unique(), key=AGE_BANDS.index) == list(AGE_BANDS)
    assert beta.loc[(beta["sex"] == "M") & (beta["age_band"] == "1-4"), "deaths"].item() == pf.band_deaths("E08000002", "M", 1)
    total = deaths.loc[(deaths["name"] == "NORTH") & (deaths["sex"] == "F"), "deaths"].sum()
    assert total == sum(pf.band_deaths(c, "F", b) for c in pf.DISTRICTS_2014 for b in range(20)) and total > 1000


def test_a_table_without_an_age_band_says_what_was_expected(tmp_path):
    path = pf.write_deaths_table2(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("90 and over", "90 plus"), encoding="utf-8")
    with pytest.raises(ValueError, match="no column for 90\\+ M, 90\\+ F .*Table 2"):
        read_deaths_by_age(path)
