"""MHCLG's published local-authority summaries (IoD2019 File 10), read from tiny files in its layout."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.exceptions import ImportFailed
from diagnostics.sources.england.iod import read_iod_district_summaries
from diagnostics.store.deprivation import agreement_with_published


def _file10(path):
    # File 10's CSV export: code and name, then "<domain> - <measure> " columns (trailing spaces as published)
    pd.DataFrame({
        "Local Authority District code (2019)": ["E08000003", "E06000001"],
        "Local Authority District name (2019)": ["Manchester", "Hartlepool"],
        "IMD - Average rank ": ["26,417.75", "23,000.00"],
        "IMD - Rank of average rank ": [2, 24],
        "Employment - Average rank ": ["20,752.92", "22,000.00"],
        "Employment - Proportion of LSOAs in most deprived 10% nationally ": [0.3, 0.4],
        "IDACI - Average rank ": [25000, 21000],
    }).to_csv(path, index=False)
    return path


def test_file_10_is_read_long_with_our_domain_and_measure_names(tmp_path):
    out = read_iod_district_summaries(_file10(tmp_path / "File_10.csv"))
    got = out.set_index(["district_code_2019", "domain", "measure"])["value"]
    assert got[("E08000003", "employment", "average_rank")] == pytest.approx(20752.92)
    assert got[("E08000003", "imd", "rank_of_average_rank")] == 2
    assert got[("E06000001", "employment", "most_deprived_10pct")] == pytest.approx(0.4)
    assert got[("E06000001", "idaci", "average_rank")] == 21000
    assert len(out) == 2 * 5


def test_a_file_without_summary_columns_is_refused_naming_the_layout(tmp_path):
    path = tmp_path / "other.csv"
    pd.DataFrame({"Local Authority District code (2019)": ["E08000003"], "Population": [1]}).to_csv(path, index=False)
    with pytest.raises(ImportFailed, match=r"no column of the form '<domain> - Average rank'"):
        read_iod_district_summaries(path)


def test_agreement_compares_averages_and_the_ranks_among_the_districts_of_2019(tmp_path):
    published = read_iod_district_summaries(_file10(tmp_path / "File_10.csv"))
    ours = pd.DataFrame({
        "area_code": ["E08000003"] * 3,
        "domain": ["employment", "imd", "imd"],
        "measure": ["average_rank", "rank_of_average_rank", "rank_of_average_rank_iod2019"],
        "value": [20753.10, 1, 2],
    })
    table = agreement_with_published(ours, published).set_index(["domain", "measure"])
    assert table.loc[("employment", "average_rank"), "difference"] == pytest.approx(0.18)
    # the rank among today's districts is not MHCLG's; the rank among the districts of 2019 is
    assert table.loc[("imd", "rank_of_average_rank"), "ours"] == 2 and len(table) == 2
