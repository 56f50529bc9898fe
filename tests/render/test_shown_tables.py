"""Reading a view's tables back as data: every number as the formatters write it, and what frames it."""

import math

import pandas as pd
import pytest

from diagnostics.render.html import source_line
from diagnostics.render.numbers import format_change, format_interval, format_share, format_value
from diagnostics.render.shown_tables import ShownNumber, parse_shown_number, parse_shown_numbers, shown_tables
from diagnostics.render.tables import badge, html_table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (format_value(28431.2, "£", 0), ShownNumber(28431.0, unit="£")),
        (format_value(74.53, "%", 1), ShownNumber(74.5, unit="%")),
        (format_value(812.4, "per 100 000", 0), ShownNumber(812.0, unit="per 100 000")),
        (format_change(-2916, "£", 0), ShownNumber(-2916.0, unit="£")),
        (format_change(4.21, "%", 1), ShownNumber(4.2, unit="%")),
        (format_value(78.31, "", 1) + " " + format_interval(77.12, 79.48, "", 1), ShownNumber(78.3, 77.1, 79.5)),
        ("£743 (670 to 816)", ShownNumber(743.0, 670.0, 816.0, "£")),
        ("76.5% (70.6% to 81.4%)", ShownNumber(76.5, 70.6, 81.4, "%")),
        ("12.6 per 100 enterprises (11.6 to 13.7)", ShownNumber(12.6, 11.6, 13.7, "per 100 enterprises")),
        ("327 (196 to 542) per 10,000 10+", ShownNumber(327.0, 196.0, 542.0, "per 10,000 10+")),
        ("3 of 12", ShownNumber(3.0, unit="of 12")),
        (format_share(0.996), ShownNumber(float("nan"), lower=99.0, unit="%")),
    ],
)
def test_parse_shown_number_reads_back_what_the_formatters_write(text, expected):
    got = parse_shown_number(text)
    assert got is not None, text
    assert (got.lower, got.upper, got.unit) == (expected.lower, expected.upper, expected.unit)
    assert got.value == expected.value or (math.isnan(got.value) and math.isnan(expected.value))


@pytest.mark.parametrize("text", ["", "–", "2019-21", "Manufacturing (C)", "Z07000026", "Aged 65+", "better"])
def test_parse_shown_number_is_none_for_words_codes_periods_and_dashes(text):
    assert parse_shown_number(text) is None


def test_parse_shown_numbers_splits_a_cell_of_several_numbers_only_when_every_part_is_one():
    assert [n.value for n in parse_shown_numbers("14: 327 (196 to 542) per 10,000 10+; 26.9%")] == [14.0, 327.0, 26.9]
    assert parse_shown_numbers("employees +57% on a year before (+1.41); age 2 years (+0.37)") == []


def test_shown_tables_reads_caption_headers_rows_badges_and_the_source_line_under_the_table():
    frame = pd.DataFrame({"Industry": ["Manufacturing (C)", "Total"], "Jobs": ["1,234", "5,000"],
                          "Share": ["24.7%", "100.0%"]})
    markup = html_table(frame, "Jobs by industry") + source_line("BRES", "2024")
    markup += "<table class='pd-table'><thead><tr><th>Indicator</th><th>Value (95% CI)</th><th>Against</th></tr></thead>"
    markup += ("<tbody><tr><td>Obesity<span class='pd-unit'>per 100</span></td><td><strong>20.2</strong>"
               f"<span class='ci'>(18.0 to 22.6)</span></td><td>{badge('worse')}</td></tr></tbody></table>")
    first, second = shown_tables(markup)
    assert (first.caption, first.columns, first.source, first.period) == ("Jobs by industry", ["Industry", "Jobs", "Share"],
                                                                          "BRES", "2024")
    assert [c.text for c in first.rows[0]] == ["Manufacturing (C)", "1,234", "24.7%"]
    assert second.source == "" and second.columns == ["Indicator", "Value (95% CI)", "Against"]
    label, value, against = second.rows[0]
    assert (label.label, label.unit) == ("Obesity", "per 100")
    assert value.numbers == [ShownNumber(20.2, 18.0, 22.6)]
    assert against.badge == "worse" and against.numbers == []


def test_a_comparison_beside_a_number_is_read_apart_from_it():
    (row,) = shown_tables(f"<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td>LE</td><td>85.3 ▲</td>"
                          f"<td>85.1 {badge('better')}</td></tr></table>")[0].rows
    assert [(c.numbers, c.comparison) for c in row[1:]] == [([ShownNumber(85.3)], "higher"), ([ShownNumber(85.1)], "better")]


def test_an_interval_in_a_column_of_its_own_and_a_count_of_things_are_numbers():
    interval = parse_shown_number("(7.7 to 10.6)")
    assert math.isnan(interval.value) and (interval.lower, interval.upper) == (7.7, 10.6)
    assert parse_shown_number("0 rows") == ShownNumber(0.0, unit="rows")
