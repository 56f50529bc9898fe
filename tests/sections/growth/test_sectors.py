"""High-growth firms by SIC section (diagnostics.sections.growth.sectors)."""

from __future__ import annotations

from sections.growth.registers import flat, register_of

from diagnostics.sections.growth.classify import classify
from diagnostics.sections.growth.sectors import section_name, sector_rows, sector_summary


def test_sector_summary_counts_the_place_against_the_register_and_takes_rows_kept_for_many_places():
    reg = register_of({"a": flat(20, 60), "b": flat(20, 21), "c": flat(30, 90), "d": flat(40, 41), "e": flat(20, 60)},
                      sections={"a": "J", "b": "J", "c": "C", "d": "C", "e": "J"}, areas={"e": None})
    classified = classify(reg)
    in_place = reg.firms["firm_id"].isin(["a", "b", "c"]).to_numpy()
    table = sector_summary(reg, classified, in_place, 2023).set_index("section")
    # the windows 2020-2023: a, c and e grow 44% a year; e has no location, so it is counted nowhere
    assert table.loc["J", ["businesses_10plus", "high_growth", "country_businesses_10plus", "country_high_growth"]].tolist() == [2, 1, 2, 1]
    assert table.loc["C", ["businesses_10plus", "high_growth", "country_businesses_10plus", "country_high_growth"]].tolist() == [1, 1, 2, 1]
    assert table.loc["J", "share"] == table.loc["C", "share"] == 50.0
    assert table.loc["C", "rate"] == 10_000 and table.loc["C", "country_rate"] == 5_000
    assert table.loc["J", "rate_lower"] < 5_000 < table.loc["J", "rate_upper"]
    kept = sector_rows(reg, classified, [2023])
    other_place = ~in_place
    assert sector_summary(reg, classified, other_place, 2023, rows=kept).equals(
        sector_summary(reg, classified, other_place, 2023))
    assert sector_summary(reg, classified, in_place, [2023], rows=kept).equals(table.reset_index())


def test_section_names_are_short_and_an_unknown_code_reads_as_itself():
    assert section_name("J") == "Information and communication"
    assert section_name("unknown") == "Unknown sector"
    assert section_name("Z") == "Z"
