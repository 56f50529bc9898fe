"""The summary's headline table and chart (diagnostics.sections.summary.headline): one rendering test each."""

from __future__ import annotations

import html
import re

from diagnostics.sections.session import start
from diagnostics.sections.summary import headline


def test_the_headline_table_leaves_out_the_region_column_for_a_place_in_no_region(store):
    health_area = start(store.areas_in_layer("health_area")["code"].iloc[0], store)
    district = start("default", store)
    assert headline.headline_table(health_area).data.count("<th scope='col'>") == 9
    region_name = district.name_of(district.region_code)
    district_table = headline.headline_table(district).data
    assert district_table.count("<th scope='col'>") == 10 and f"<th scope='col'>{region_name}</th>" in district_table
    assert district_table.startswith('<div class="pd-synthetic">') and "Comparators: median" in district_table


def test_the_headline_chart_draws_the_place_against_the_country_or_says_why_not(store):
    dx = start("default", store)
    label = re.search(r'aria-label="([^"]*)"', headline.headline_chart(dx).data).group(1)
    assert html.unescape(label) == (f"Headline indicators of {dx.place.name} as % difference from the country. "
                                    "Its figures are in the table \u201cHeadline indicators\u201d on this page.")
    country = start(store.areas_in_layer("country")["code"].iloc[0], store)
    assert headline.headline_chart(country).data == (
        "<p><em>No chart of differences from the country: the place is the whole country.</em></p>"
    )
