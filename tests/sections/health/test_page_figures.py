"""The health page's charts and map, one rendering test per view: each shows the figures of its result object."""

from __future__ import annotations

from diagnostics.render.numbers import format_change, format_interval
from diagnostics.render.shown_tables import shown_tables
from diagnostics.sections.health import funnels, page_figures, place_results


def test_funnel_plots_view_draws_one_plot_per_indicator_with_counts_and_names_the_others(gradient_session, text_of):
    data = {i: funnels.funnel_data(gradient_session.store, "district", i) for i in funnels.FUNNEL_INDICATORS}
    shown = page_figures.funnel_plots_view(gradient_session).data
    drawn = [d for d in data.values() if d is not None]
    assert shown.count("<figure") == len(drawn) == 1
    assert ('aria-label="Funnel plot: Under-75 mortality, all causes (standardised ratio). '
            "Its figures are in the table under the chart") in shown
    # the method note names the limits drawn: PHE's exact Poisson limits for the standardised ratio
    assert "dashed 95% and solid 99.8%: exact Poisson limits for rates and ratios." in text_of(shown)
    # the indicators not drawn are named as people read them (the catalogue's names), never by id
    catalogue = gradient_session.store.catalogue
    missing = [catalogue.at[i, "name"] for i, d in data.items() if d is None]
    assert missing and all("_" not in name for name in missing)
    assert f"Not drawn (no counts for this layer in the store): {'; '.join(missing)}." in text_of(shown)


def test_inequality_view_states_each_gap_and_slope_index_of_the_summary(gradient_session, text_of):
    summary = place_results.inequality_of(gradient_session)
    shown = page_figures.inequality_view(gradient_session).data
    text = text_of(shown)
    slope = summary.sii.set_index("indicator_id")
    for indicator_id, (who, unit, decimals) in page_figures._GAP_LINES.items():
        r = slope.loc[indicator_id]
        interval = format_interval(r["sii_lower_ci"], r["sii_upper_ci"], "", decimals)
        # no comparator has a gap (D2 and D3 are too small for deciles), so none is compared
        assert (f"Gap between the least and most deprived tenths for {who}: {format_change(r['gap'], '', decimals)} "
                f"{unit}; slope index of inequality {format_change(r['sii'], '', decimals)} {unit} {interval}.") in text
    assert text.startswith("SYNTHETIC DATA") and "Slopeford's 20 small areas are grouped into local deciles" in text
    assert shown.count("<figure") == 2


def test_small_area_map_view_counts_the_small_areas_that_differ_significantly(gradient_session, text_of):
    smr = place_results.small_area_ratios_of(gradient_session)
    significant = int(((smr["lower_ci"] > 100) | (smr["upper_ci"] < 100)).sum())
    shown = page_figures.small_area_map_view(gradient_session).data
    text = text_of(shown)
    assert f"Deaths under 75 in each of {len(smr)} small areas over 2019-23" in text
    assert f"intervals are wide: {significant} of {len(smr)} differ significantly from 100" in text
    assert '<div class="pd-map-frame"><iframe' in shown


def test_deprivation_map_view_shades_the_small_areas_by_decile_ranked_from_scores(gradient_session, text_of):
    from diagnostics.sections.health.deprivation import small_area_deciles

    deciles = small_area_deciles(gradient_session.store, gradient_session.place)
    shown = page_figures.deprivation_map_view(gradient_session).data
    text = text_of(shown)
    assert deciles["ranked_here"].all() and deciles["decile"].between(1, 10).all()
    assert f"{len(deciles)} small areas shaded by its decile" in text
    assert f"{int((deciles['decile'] == 1).sum())} of them are in the most deprived tenth" in text
    assert "ranked here by the store's small-area deprivation scores" in text
    assert '<div class="pd-map-frame"><iframe' in shown


def test_the_funnel_and_inequality_charts_carry_their_figures_in_tables_under_them(gradient_session):
    data = funnels.funnel_data(gradient_session.store, "district", "under75_mortality")
    (funnel,) = [t for t in shown_tables(page_figures.funnel_plots_view(gradient_session).data) if t.of_chart]
    expected = data.points.sort_values("value", ascending=False)
    assert [r[1].text for r in funnel.rows] == expected["code"].tolist()
    assert [r[-1].numbers[0].value for r in funnel.rows] == [round(v, 1) for v in expected["value"]]
    summary = place_results.inequality_of(gradient_session)
    life, mortality = [t for t in shown_tables(page_figures.inequality_view(gradient_session).data) if t.of_chart]
    women = summary.table.loc[summary.table["indicator_id"] == "life_expectancy_birth_female"].sort_values("group")
    assert life.columns == ["Deprivation decile (1 = most deprived)", "Women (years, 95% CI)", "Men (years, 95% CI)"]
    assert [(r[1].numbers[0].value, r[1].numbers[0].lower, r[1].numbers[0].upper) for r in life.rows if r[1].numbers] == [
        (round(v, 1), round(lo, 1), round(hi, 1)) for v, lo, hi in
        zip(women["value"], women["lower_ci"], women["upper_ci"]) if v == v]
    assert mortality.columns == ["Deprivation decile (1 = most deprived)", "Persons (per 100,000, 95% CI)"]


def test_the_small_area_maps_carry_their_figures_in_tables_under_them(gradient_session):
    smr = place_results.small_area_ratios_of(gradient_session).sort_values("value", ascending=False)
    (mortality,) = [t for t in shown_tables(page_figures.small_area_map_view(gradient_session).data) if t.of_chart]
    assert mortality.columns[:3] == ["Small area", "Code", "Standardised ratio (country = 100) (95% CI)"]
    assert [r[2].numbers[0].value for r in mortality.rows] == [round(v) for v in smr["value"]]  # highest first
    (deprivation,) = [t for t in shown_tables(page_figures.deprivation_map_view(gradient_session).data) if t.of_chart]
    ranks = [r[2].numbers[0].value for r in deprivation.rows]
    assert ranks == sorted(ranks) and deprivation.rows[0][3].text == "1"  # most deprived first
