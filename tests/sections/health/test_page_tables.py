"""The health page's tables, one rendering test per view: each shows the figures of its result object."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnostics.render.numbers import format_interval, format_share, format_value
from diagnostics.render.style import badge_class
from diagnostics.sections.health import analysis, page_tables, place_results
from diagnostics.sections.session import start


@pytest.mark.parametrize("store_name, place", [("gradient_store", "D1"), ("gradient_store", "D3"),
                                               ("tiny_england_store", "E08000001"), ("tiny_store", "D2")])
def test_headline_table_view_shows_each_measure_s_value_and_interval_or_why_not(request, text_of, store_name, place):
    dx = start(place, request.getfixturevalue(store_name), comparators="region")
    table = place_results.headline_table_of(dx)
    shown = page_tables.headline_table_view(dx).data
    text = text_of(shown)
    for r in table.to_dict("records"):
        decimals = int(r["decimals"]) if pd.notna(r["decimals"]) else 1
        unit = r["unit"] if r["unit"] in ("%", "£") else ""
        if r["status"] != "ok":
            assert f"Not shown: {r['status']}" in text, r["indicator_id"]
            continue
        value = f"<strong>{format_value(r['value'], unit, decimals)}</strong>"
        interval = format_interval(r["lower_ci"], r["upper_ci"], "", decimals) or "no interval in the imported file"
        assert f"{value}<span class='ci'>{interval}</span>" in shown, r["indicator_id"]
    ready = table["method"].astype(str).str.startswith("Ready-made")
    assert shown.count("<span class='pd-ready-made'>ready-made</span>") == ready.sum()
    assert ("cannot be computed here" in text) == (not dx.store.has_table("deaths"))


def test_ready_made_inequality_table_shows_the_published_slope_index(monkeypatch, gradient_session, text_of):
    assert page_tables.ready_made_inequality_table(gradient_session, "no deaths") is None  # none in the store
    published = pd.DataFrame({
        "indicator_id": ["le_inequality_female"], "name": ["Inequality in life expectancy at birth (female)"],
        "status": ["ok"], "period": ["2018-20"], "value": [7.25], "lower_ci": [float("nan")],
        "upper_ci": [float("nan")], "region_value": [6.0], "country_value": [7.4], "rank": [3.0],
        "n_ranked": [9.0], "decimals": [1], "source": ["OHID Fingertips indicator 92901"],
    })
    monkeypatch.setattr(page_tables, "headline_table_of", lambda dx: published)
    text = text_of(page_tables.ready_made_inequality_table(gradient_session, "no deaths"))
    assert ("Inequality in life expectancy at birth (female) ready-made 2018-20 7.2 years no interval in the imported "
            "file 6.0 7.4 3 of 9 OHID Fingertips indicator 92901") in text
    assert "The decile-by-decile chart computed here needs deaths and populations: no deaths." in text


def test_deprivation_view_shows_every_domain_with_its_ranks_source_and_vintage(tiny_england_store, text_of):
    dx = start("E08000001", tiny_england_store, comparators="region")
    profile = place_results.deprivation_profile_of(dx)
    shown = page_tables.deprivation_view(dx).data
    text = text_of(shown)
    for r in profile.to_dict("records"):
        # beside the rank among today's districts, the rank among the districts of 2019 (the code is unchanged)
        published = f"{int(r['rank_of_average_rank_iod2019'])} of {int(r['n_ranked_iod2019'])}"
        assert (f"{r['domain_name']} {format_value(r['average_rank'], '', 0)} {int(r['rank_of_average_rank'])} of "
                f"{int(r['n_ranked'])} {published} {format_value(r['most_deprived_10pct'], '%', 1)}") in text, r["domain"]
    assert f"Rank of average rank among the {int(profile['n_ranked_iod2019'].max())} districts of 2019" in text
    assert "<th scope='col'>Average score</th>" not in shown and "the imported files carry ranks only" in text  # File 2's
    assert "Source: MHCLG English Indices of Deprivation 2019" in text and "period: 2019" in text


def test_similar_places_view_colours_each_cell_by_its_comparison_and_outlines_the_place(gradient_session):
    table = place_results.similar_places_of(gradient_session)
    shown = page_tables.similar_places_view(gradient_session).data
    for r in table.dropna(subset=["value"]).to_dict("records"):
        place = " pd-place" if r["is_place"] else ""
        assert f"<td class='pd-heat {badge_class(r['vs_country'])}{place}' title='{r['area_name']}: " in shown
    assert shown.count("<td class='pd-no-value'>–</td>") == table["value"].isna().sum()  # Tinyham's withheld values
    assert shown.count("<th scope='col' class='pd-vertical pd-place'>Slopeford</th>") == 1


def test_health_areas_view_shows_the_overlaps_and_each_area_s_measures(gradient_session, tiny_england_store, text_of):
    overlaps = analysis.health_area_overlaps(gradient_session.store, "D1")
    text = text_of(page_tables.health_areas_view(gradient_session))
    for a in overlaps.itertuples():
        assert (f"{a.area_name} {format_share(a.place_share)} of the place's people; the place is "
                f"{format_share(a.area_share)} of it") in text
    table = place_results.health_areas_of(gradient_session)
    le = table.loc[table["indicator_id"] == "life_expectancy_birth_female"].set_index("area_code")
    own = place_results.headline_table_of(gradient_session).set_index("indicator_id").loc["life_expectancy_birth_female"]
    assert (f"LE at birth (F) 2021-23 {format_value(own['value'], '', 1)} {own['vs_country']} "
            f"{format_value(le.loc['H1', 'value'], '', 1)} {le.loc['H1', 'vs_country']} "
            f"{format_value(le.loc['H2', 'value'], '', 1)} {le.loc['H2', 'vs_country']}") in text
    # a real store without health figures for its health areas says so, and what to import
    notice = text_of(page_tables.health_areas_view(start("E08000001", tiny_england_store, comparators="region")))
    assert notice.startswith("No health figures for health areas:") and "ICB level" in notice
