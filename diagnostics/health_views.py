"""The health section (``notebooks/40_health.ipynb``): what each cell shows.

Each view takes a :class:`~diagnostics.session.Session` and returns what one notebook cell shows; the
analysis is in :mod:`diagnostics.health` and is computed once per session through ``dx.memo`` (and
once per store version for every area of a layer, in :mod:`diagnostics.health`'s cache). Views never
raise for missing data: a store without deaths, a value PHE would withhold, a place with too few
small areas is each shown as a notice that says why.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from . import health
from .compare import BENCHMARK_COLUMNS
from .palette import COMPARISON_COLOURS, COMPARISON_TEXT_COLOURS
from .session import Session
from .views import as_html, notice, source_line, synthetic_banner

__all__ = [
    "VIEWS",
    "headline",
    "findings_view",
    "headline_table_view",
    "spine_chart_view",
    "funnel_plots_view",
    "inequality_view",
    "small_area_map_view",
    "similar_places_view",
    "health_areas_view",
    "methods_view",
]

# --------------------------------------------------------------------------------------------------
# Shared analysis (once per session)
# --------------------------------------------------------------------------------------------------


def _headline_table(dx: Session) -> pd.DataFrame:
    return dx.memo("health.headline", lambda: health.health_headline(dx.store, dx.place, dx.comparator_codes))


def _inequality(dx: Session) -> dict:
    return dx.memo("health.inequality", lambda: health.inequality_summary(dx.store, dx.place, dx.comparator_codes))


def headline(dx: Session) -> pd.DataFrame:
    """The section's headline measures for the summary's cards (:data:`diagnostics.compare.BENCHMARK_COLUMNS`).

    Life expectancy at birth and at 65 for women and men, and under-75 mortality (directly
    standardised), computed from the store's deaths and populations (3-year pooled). Where the
    store has no deaths or a value is withheld, the row's ``status`` says why.
    """
    table = _headline_table(dx)
    return table.loc[table["indicator_id"].isin(health.HEADLINE_MEASURE_IDS), BENCHMARK_COLUMNS].reset_index(drop=True)


#: Padding, and periods and ranks kept on one line, for the section's tables.
_TABLE_STYLE = ("<style>.pd-health td,.pd-health th{padding:3px 6px;border-bottom:1px solid #ddd;vertical-align:top}"
                ".pd-health th{background:#f0f0f0;border-bottom:2px solid #999}.pd-health td.nw{white-space:nowrap}</style>")


def _badge(label) -> str:
    label = label if isinstance(label, str) and label else "not compared"
    colour = COMPARISON_COLOURS.get(label, "#ffffff")
    text = COMPARISON_TEXT_COLOURS.get(label, "#000000")
    return (f'<span class="pd-badge" style="display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;'
            f'border:1px solid #888;background:{colour};color:{text}">{html.escape(label)}</span>')


def _fmt(value, unit: str, decimals: int) -> str:
    from .tables import format_value

    return format_value(value, unit if unit in ("%", "£") else "", decimals)


def _region_name(dx: Session) -> str | None:
    return dx.name_of(dx.region_code) if dx.region_code else None


# --------------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------------


def findings_view(dx: Session):
    """The findings in plain English, each pointing at the view whose figure it states."""
    reason = health.mortality_unavailable_reason(dx.store)
    items = health.findings(_headline_table(dx), _inequality(dx) if reason is None else None, dx.place.name,
                            dx.name_of(dx.country_code) if dx.country_code else "the country", reason)
    if not items:
        return notice("No health measure is available for this place in the store.", title="No findings")
    body = "".join(
        f"<li>{html.escape(item['text'])} <span style='color:#555;font-size:0.9em'>(see: {html.escape(item['see'])})"
        "</span></li>"
        for item in items
    )
    return as_html(
        synthetic_banner(dx)
        + f"<ul class='pd-findings' style='line-height:1.45'>{body}</ul>"
        + "<p style='font-size:0.85em;color:#444'>'Significantly' means the place's 95% confidence interval "
          "excludes the benchmark's value (Fingertips' rule); a difference that is not significant is called so.</p>"
    )


def headline_table_view(dx: Session):
    """Every health measure: value and interval, region, country, comparators, rank, comparisons, trend."""
    table = _headline_table(dx)
    region = _region_name(dx)
    country = dx.name_of(dx.country_code) if dx.country_code else "Country"
    head = ("<tr><th>Indicator</th><th>Period</th>"
            f"<th>{html.escape(dx.place.name)} (95% CI)</th>"
            + (f"<th>{html.escape(region)}</th>" if region else "")
            + f"<th>{html.escape(country)}</th><th>Comparators: median (range)</th><th>Rank</th>"
            f"<th>Against {html.escape(country)}</th>" + (f"<th>Against {html.escape(region)}</th>" if region else "")
            + "<th>Recent trend</th><th>Source</th></tr>")
    n_columns = 11 if region else 9
    rows = []
    for r in table.to_dict("records"):
        unit, dec = str(r["unit"] or ""), int(r["decimals"]) if pd.notna(r["decimals"]) else 1
        unit_note = "" if unit in ("%", "£", "", "score") else f"<br><span style='color:#555;font-size:12px'>{html.escape(unit)}</span>"
        name = f"{html.escape(str(r['name']))}{unit_note}"
        if r["status"] != "ok":
            period = html.escape(str(r["period"])) if isinstance(r.get("period"), str) else ""
            rows.append(f"<tr><td>{name}</td><td>{period}</td><td colspan='{n_columns - 2}'><em>Not shown: "
                        f"{html.escape(str(r['status']))}</em></td></tr>")
            continue
        from .tables import format_interval

        ci = format_interval(r["lower_ci"], r["upper_ci"], "", dec)
        comp = "–"
        if r.get("n_comparators") and r["n_comparators"] > 0:
            comp = (f"{_fmt(r['comparators_median'], unit, dec)} <span style='color:#555;font-size:12px'>"
                    f"({_fmt(r['comparators_min'], unit, dec)} to {_fmt(r['comparators_max'], unit, dec)})</span>")
        rank = f"{int(r['rank'])} of {int(r['n_ranked'])}" if pd.notna(r.get("rank")) else "–"
        rows.append(
            "<tr>"
            f"<td>{name}</td><td class='nw'>{html.escape(str(r['period']))}</td>"
            f"<td style='text-align:right'><strong>{_fmt(r['value'], unit, dec)}</strong><br>"
            f"<span style='color:#555;font-size:12px'>{html.escape(ci)}</span></td>"
            + (f"<td style='text-align:right'>{_fmt(r['region_value'], unit, dec)}</td>" if region else "")
            + f"<td style='text-align:right'>{_fmt(r['country_value'], unit, dec)}</td>"
            f"<td style='text-align:right'>{comp}</td><td class='nw' style='text-align:right'>{rank}</td>"
            f"<td>{_badge(r['vs_country'])}</td>" + (f"<td>{_badge(r['vs_region'])}</td>" if region else "")
            + f"<td>{html.escape(str(r['trend']))}</td><td>{html.escape(str(r['source']))}</td></tr>"
        )
    caption = (
        f"Life expectancy and under-75 mortality are computed here from the store's deaths and mid-year "
        f"populations, pooled over {health.POOL_YEARS} years as ONS and OHID publish them (life expectancy: "
        "Chiang II with Silcocks' interval; mortality: directly standardised to the European Standard Population "
        "2013, Dobson's interval). The other indicators are the store's, latest period. 'Against' compares the "
        "place's 95% interval with the benchmark's value. Recent trend: Fingertips' test on the last five "
        "points (single years for the computed measures). Rank: 1 is best among all areas of the layer. "
        f"Comparators: {dx.comparator_method}."
    )
    return as_html(
        synthetic_banner(dx)
        + _TABLE_STYLE + '<table class="pd-table pd-health" style="border-collapse:collapse;font-size:13px">'
        + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
        + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def spine_chart_view(dx: Session):
    """The Fingertips spine chart: each measure for the place against the range of all areas of its layer."""
    from .charts import show_figure
    from .fingertips_charts import spine_chart

    if dx.country_code is None:
        return notice(f"{dx.place.name} is the whole country: a spine chart compares an area with the country.",
                      title="No spine chart")
    table = dx.memo("health.spine", lambda: health.spine_table(dx.store, dx.place))
    if table.empty:
        return notice("The store has no health measure for the areas of this layer.", title="No spine chart")
    layer_label = dx.place.layer_label.lower() if hasattr(dx.place, "layer_label") else dx.place.layer
    missing = table.loc[table["value"].isna(), "indicator"].tolist()
    fig = spine_chart(
        table,
        title=f"{dx.place.name}: health against every {layer_label}",
        place_label=dx.place.name,
        country_label=dx.name_of(dx.country_code),
        region_label=_region_name(dx),
        areas_label=f"{int(table['n_areas'].max())} areas of the layer",
        source=f"{dx.store.source}; life expectancy and mortality computed from deaths and populations",
        period="latest period of each indicator (shown)",
    )
    note = (f"<p style='font-size:0.9em'>No value for {html.escape(dx.place.name)}: {html.escape('; '.join(missing))} "
            "(see the headline table for the reason).</p>") if missing else ""
    return as_html(synthetic_banner(dx) + show_figure(fig, alt=f"Spine chart of health indicators for {dx.place.name}").data + note)


def funnel_plots_view(dx: Session):
    """Funnel plots of the main rates and proportions: every area against the country, 95% and 99.8% limits."""
    from .charts import figure_html
    from .fingertips_charts import funnel_plot

    parts, missing = [], []
    for indicator_id in health.FUNNEL_INDICATORS:
        data = dx.memo(f"health.funnel.{indicator_id}", lambda i=indicator_id: health.funnel_data(dx.store, dx.place.layer, i))
        if data is None:
            missing.append(indicator_id)
            continue
        fig = funnel_plot(
            data["points"], data["limits"], benchmark=data["benchmark"], title=data["name"], y_label=data["y_label"],
            x_label=data["x_label"], place_code=dx.place.code, polarity=data["polarity"],
            benchmark_label=dx.name_of(dx.country_code) if dx.country_code else "Country",
            source=dx.store.source, period=str(data["period"]),
        )
        parts.append(figure_html(fig, alt=f"Funnel plot: {data['name']}"))
    if not parts:
        return notice("No funnel plot can be drawn: the store has neither deaths nor indicators with numerators and "
                      "denominators for the areas of this layer.", title="No funnel plots")
    text = ("<p>Each point is an area of the same layer; the lines are Spiegelhalter's exact control limits around "
            "the country's value (dashed 95%, solid 99.8%). Points outside are shaped ▲ above / ▼ below and coloured "
            "blue (better) or vermillion (worse); hollow if outside 95% only. Under-75 mortality is shown as an "
            "indirectly standardised ratio against expected deaths, since a directly standardised rate has no "
            "single denominator.</p>")
    if missing:
        names = [health.MEASURES.get(i, {}).get("name", i) for i in missing]
        text += f"<p><em>Not drawn (no counts for this layer in the store): {html.escape('; '.join(names))}.</em></p>"
    return as_html(synthetic_banner(dx) + text + "".join(parts))


def inequality_view(dx: Session):
    """Life expectancy and under-75 mortality by local deprivation decile, the SII and the gap."""
    from .charts import figure_html
    from .fingertips_charts import deprivation_chart
    from .tables import format_interval, html_table

    result = _inequality(dx)
    if not result["available"]:
        return notice(f"Inequality by deprivation cannot be shown: {result['reason']}.", title="Not available")
    table, n, name = result["table"], result["n"], result["groups_name"]
    period = str(table["period"].iloc[0])
    le = table.loc[table["indicator_id"] != "under75_mortality"].assign(
        series=lambda t: t["indicator_id"].map({"life_expectancy_birth_female": "Women", "life_expectancy_birth_male": "Men"}))
    u75 = table.loc[table["indicator_id"] == "under75_mortality"].assign(series="Persons")
    source = f"{dx.store.source}: deaths, populations and 2019 deprivation scores of small areas"
    fig_le = deprivation_chart(le, title=f"Life expectancy at birth by local deprivation {name}, {dx.place.name}",
                               y_label="Years", group_name=name, source=source, period=period)
    parts = [figure_html(fig_le, alt="Life expectancy by deprivation group")]
    if u75["value"].notna().any():
        fig_u = deprivation_chart(u75, title=f"Under-75 mortality by local deprivation {name}, {dx.place.name}",
                                  y_label="Deaths per 100,000 (age-standardised)", group_name=name, source=source,
                                  period=period)
        parts.append(figure_html(fig_u, alt="Under-75 mortality by deprivation group"))
    s = result["sii"].set_index("indicator_id")
    comp = result["comparator_gaps"]
    lines = []
    labels = {"life_expectancy_birth_female": ("women", "years", 1), "life_expectancy_birth_male": ("men", "years", 1),
              "under75_mortality": ("under-75 mortality", "deaths per 100,000", 0)}
    tenths = "tenths" if n == 10 else "fifths"
    for indicator_id, (who, unit, dec) in labels.items():
        r = s.loc[indicator_id]
        theirs = comp.loc[comp["indicator_id"] == indicator_id, "gap"].dropna()
        if indicator_id == "under75_mortality":
            wider = int((theirs.abs() < abs(r["gap"])).sum())
        else:
            wider = int((theirs < r["gap"]).sum())
        gap_text = (f"Gap between the least and most deprived {tenths} for {who}: {r['gap']:+,.{dec}f} {unit}"
                    + (f" (wider than in {wider} of {len(theirs)} similar places)" if len(theirs) else ""))
        if np.isfinite(r["sii"]):
            sii_text = (f"slope index of inequality {r['sii']:+,.{dec}f} {unit} "
                        f"{format_interval(r['sii_lower_ci'], r['sii_upper_ci'], '', dec)}")
        else:
            sii_text = f"slope index of inequality not calculated ({r['note']})"
        lines.append(f"<li>{html.escape(gap_text)}; {html.escape(sii_text)}.</li>")
    wide = table.pivot_table(index="group", columns="indicator_id", values="value")
    shown = pd.DataFrame({
        name.capitalize(): wide.index,
        "Small areas": table.drop_duplicates("group").set_index("group")["n_small_areas"].reindex(wide.index).to_numpy(),
        "Life expectancy, women": wide.get("life_expectancy_birth_female").round(1).to_numpy(),
        "Life expectancy, men": wide.get("life_expectancy_birth_male").round(1).to_numpy(),
        "Under-75 mortality per 100,000": wide.get("under75_mortality").round(0).to_numpy(),
    })
    notes = sorted(set(table["note"].dropna()))
    text = (
        f"<p>{html.escape(dx.place.name)}'s {result.get('n_small_areas', '')} small areas are grouped into "
        f"{html.escape(result['basis'])}. Group 1 is the most deprived. Period {html.escape(period)} (3 years pooled).</p>"
        f"<ul>{''.join(lines)}</ul>"
        "<p style='font-size:0.9em'>A positive slope index for life expectancy means the least deprived live longer; "
        "a negative one for mortality means the most deprived die younger more often. The SII's 95% interval is "
        "simulated (100,000 draws, PHE's method).</p>"
    )
    if notes:
        text += f"<p><em>Withheld in some groups: {html.escape('; '.join(notes))}.</em></p>"
    return as_html(synthetic_banner(dx) + text + "".join(parts)
                   + html_table(shown, f"By local deprivation {name}; blank where a value is withheld.")
                   + source_line(source, period))


def small_area_map_view(dx: Session):
    """A choropleth of under-75 mortality (standardised ratio) in the place's small areas."""
    from .maps import choropleth_map, show_map

    reason = health.mortality_unavailable_reason(dx.store)
    if reason is not None:
        return notice(f"No map of small-area mortality: {reason}.", title="Not available")
    if "small_area" not in dx.store.boundary_layers():
        return notice("The store has no small-area boundaries to draw.", title="No map")
    smr = dx.memo("health.smr", lambda: health.small_area_mortality_ratio(dx.store, dx.place))
    if smr.empty or smr["value"].notna().sum() == 0:
        return notice(f"{dx.place.name} has no small area with expected deaths in the store.", title="No map")
    shapes = dx.store.boundaries("small_area")
    gdf = shapes.merge(smr, on="code")
    gdf["interval"] = [f"{lo:.0f} to {hi:.0f}" if np.isfinite(lo) else "–" for lo, hi in zip(gdf["lower_ci"], gdf["upper_ci"])]
    gdf["observed"] = gdf["observed"].round(0).astype(int)
    gdf["expected"] = gdf["expected"].round(1)
    outline = dx.store.boundaries(dx.place.layer) if dx.place.layer in dx.store.boundary_layers() else None
    if outline is not None:
        outline = outline.loc[outline["code"] == dx.place.code]
    period = str(smr["period"].iloc[0])
    m = choropleth_map(
        gdf, "value", title=f"Under-75 deaths, {period}: standardised ratio (country = 100)",
        legend_label="Standardised mortality ratio, under 75 (higher is worse)", palette="cividis_r",
        bins=5 if smr["value"].notna().sum() >= 10 and smr["value"].nunique() >= 5 else None,
        popup_columns={"name": "Small area", "value": "Ratio", "interval": "95% CI", "observed": "Deaths under 75",
                       "expected": "Expected"},
        value_format="{:,.0f}", outline_gdf=outline if outline is not None and not outline.empty else None,
    )
    significant = int(((smr["lower_ci"] > 100) | (smr["upper_ci"] < 100)).sum())
    text = (f"<p>Deaths under 75 in each of {len(smr)} small areas over {html.escape(period)}, against the deaths "
            "expected at the country's rates by age and sex (indirect standardisation; 100 = as expected). Small "
            f"areas have few deaths, so intervals are wide: {significant} of {len(smr)} differ significantly from "
            "100 (click an area for its interval). Life expectancy is not mapped: a small area has fewer than 5,000 "
            "person-years, below PHE's minimum.</p>")
    return as_html(synthetic_banner(dx) + text + show_map(m).data + source_line(dx.store.source, period))


def similar_places_view(dx: Session):
    """The place and its statistical neighbours on every health measure, each against the country."""
    if not dx.comparator_codes:
        return notice("There are no comparators for this place.", title="No similar places")
    table = dx.memo("health.similar", lambda: health.similar_places(dx.store, dx.place, dx.comparator_codes))
    if table.empty:
        return notice("The store has no health measure for the place's comparators.", title="No similar places")
    catalogue = health.health_catalogue(dx.store)
    areas = list(dict.fromkeys(table.sort_values("is_place", ascending=False)["area_code"]))
    areas = [dx.place.code] + [c for c in dx.comparator_codes if c in areas and c != dx.place.code]
    head = "<tr><th>Indicator</th><th>Period</th><th>Rank of the place</th>" + "".join(
        f"<th style='writing-mode:vertical-rl;transform:rotate(180deg);font-weight:{'700' if c == dx.place.code else '400'}'>"
        f"{html.escape(dx.name_of(c))}</th>" for c in areas) + "</tr>"
    rows = []
    for indicator_id in [i for i in catalogue.index if i in set(table["indicator_id"])]:
        meta = catalogue.loc[indicator_id]
        part = table.loc[table["indicator_id"] == indicator_id].set_index("area_code")
        mine = part.loc[dx.place.code] if dx.place.code in part.index else None
        rank = (f"{int(mine['rank_among'])} of {int(mine['n_among'])}" if mine is not None and pd.notna(mine["rank_among"])
                else "–")
        cells = []
        for code in areas:
            if code not in part.index or pd.isna(part.loc[code, "value"]):
                cells.append("<td style='text-align:center;color:#555'>–</td>")
                continue
            label = str(part.loc[code, "vs_country"])
            colour = COMPARISON_COLOURS.get(label, "#ffffff")
            text_colour = COMPARISON_TEXT_COLOURS.get(label, "#000000")
            symbol = {"similar": "●", "not compared": "○", "higher": "▲", "lower": "▼"}.get(label)
            if symbol is None:
                symbol = "▲" if part.loc[code, "value"] > part.loc[code, "country_value"] else "▼"
            bold = "font-weight:700;outline:2px solid #000;" if code == dx.place.code else ""
            cells.append(f"<td title='{html.escape(dx.name_of(code))}: {label} than the country' style='text-align:center;"
                         f"background:{colour};color:{text_colour};{bold}'>"
                         f"{_fmt(part.loc[code, 'value'], str(meta['unit']), int(meta['decimals']))} {symbol}</td>")
        rows.append(f"<tr><td>{html.escape(str(meta['short_name']))}</td><td class='nw'>{html.escape(str(part['period'].iloc[0]))}</td>"
                    f"<td class='nw'>{rank}</td>{''.join(cells)}</tr>")
    caption = (f"{dx.place.name} (first column, outlined) and {dx.comparator_method}. Each cell is coloured by its "
               "comparison with the country (95% intervals): blue better, vermillion worse, grey similar, white not "
               "compared; ▲ significantly higher, ▼ lower, ● similar. Rank: 1 is the best of the place and its comparators.")
    return as_html(synthetic_banner(dx)
                   + _TABLE_STYLE + "<div style='overflow-x:auto'><table class='pd-table pd-health' style='border-collapse:collapse;font-size:12px'>"
                   + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
                   + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>")


def health_areas_view(dx: Session):
    """The headline health measures of each health area (the NHS's footprint) the place overlaps."""
    if "health_area" not in dx.store.layers:
        return notice("The store has no health areas (layer health_area), so the NHS footprint cannot be shown.",
                      title="No health areas")
    table = dx.memo("health.areas", lambda: health.health_area_comparison(dx.store, dx.place))
    if table.empty:
        return notice(f"{dx.place.name} overlaps no health area in the store's lookups.", title="No health areas")
    catalogue = health.health_catalogue(dx.store)
    own = _headline_table(dx).set_index("indicator_id")
    areas = table.drop_duplicates("area_code")
    head = ("<tr><th>Indicator</th><th>Period</th>"
            + f"<th>{html.escape(dx.place.name)}</th>"
            + "".join(f"<th>{html.escape(str(a.area_name))}<br><span style='font-weight:400;font-size:11px'>"
                      f"{a.place_share:.0%} of the place's people; the place is {a.area_share:.0%} of it</span></th>"
                      for a in areas.itertuples())
            + "</tr>")
    rows = []
    for indicator_id in [i for i in catalogue.index if i in set(table["indicator_id"].dropna())]:
        meta = catalogue.loc[indicator_id]
        unit, dec = str(meta["unit"]), int(meta["decimals"])
        mine = own.loc[indicator_id] if indicator_id in own.index else None
        cells = [f"<td class='nw'>{_fmt(mine['value'], unit, dec)} {_badge(mine['vs_country'])}</td>" if mine is not None and
                 mine["status"] == "ok" else "<td>–</td>"]
        part = table.loc[table["indicator_id"] == indicator_id].set_index("area_code")
        for a in areas.itertuples():
            if a.area_code in part.index and pd.notna(part.loc[a.area_code, "value"]):
                r = part.loc[a.area_code]
                cells.append(f"<td class='nw'>{_fmt(r['value'], unit, dec)} {_badge(r['vs_country'])}</td>")
            else:
                note = part.loc[a.area_code, "note"] if a.area_code in part.index else "no value"
                cells.append(f"<td><em>{html.escape(str(note))}</em></td>")
        period = part["period"].dropna().iloc[0] if part["period"].notna().any() else ""
        rows.append(f"<tr><td>{html.escape(str(meta['short_name']))}</td><td class='nw'>{html.escape(str(period))}</td>{''.join(cells)}</tr>")
    caption = ("Health areas (ICB-like) overlapping the place, largest share of its population first; the same measures "
               "computed the same way for each, compared with the country (95% intervals). The NHS plans on these "
               "footprints, so their figures are what a place's partners see.")
    return as_html(synthetic_banner(dx)
                   + _TABLE_STYLE + "<table class='pd-table pd-health' style='border-collapse:collapse;font-size:12px'>"
                   + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
                   + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


def methods_view(dx: Session):
    """How the health figures are made and when a value is withheld (PHE's rules)."""
    from .stats.life_table import MIN_POPULATION

    reason = health.mortality_unavailable_reason(dx.store)
    items = [
        f"Life expectancy at birth and at 65 by sex: abridged life table in 20 age bands (open at 90+), Chiang's "
        f"method II with Silcocks' 95% interval, from deaths and mid-year populations pooled over {health.POOL_YEARS} "
        "years (person-years), as ONS and OHID publish it.",
        "Under-75 mortality from all causes: directly standardised rate per 100,000, European Standard Population "
        "2013 (bands 0 to 70-74), persons, Dobson's 95% interval, 3 years pooled.",
        f"Withheld, with the reason shown (PHE's rules): life expectancy where the period's person-years are "
        f"{MIN_POPULATION:,} or fewer, a band has no population or more deaths than people, nobody died in the 90+ "
        "band, or the 95% interval is wider than 20 years; a standardised rate where fewer than 10 deaths occurred.",
        "Comparisons: the place's 95% interval against the benchmark's value (Fingertips' rule: better, similar or "
        "worse). Recent trend: the last five single years (computed measures) or periods (other indicators), "
        "Fingertips' tests at the 99.9% level.",
        f"Inequality: {health.DECILE_BASIS}. Quintiles are used where a decile cannot hold a life table. Slope index "
        "of inequality by weighted regression on the population midpoints (Low & Low 2004), simulated interval.",
        "The other indicators (smoking, obesity, inactivity, diabetes, depression, emergency admissions, bad health, "
        f"healthy life expectancy) are the store's own ({dx.store.source}, vintage {dx.store.vintage}).",
    ]
    if reason:
        items.insert(0, f"Life expectancy and mortality are not shown: {reason}.")
    return as_html(synthetic_banner(dx) + "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>")


VIEWS = (
    ("Findings", findings_view),
    ("Headline health", headline_table_view),
    ("Spine chart", spine_chart_view),
    ("Funnel plots", funnel_plots_view),
    ("Inequality within the place", inequality_view),
    ("Small-area health map", small_area_map_view),
    ("Similar places", similar_places_view),
    ("Across boundaries: health areas", health_areas_view),
    ("About these figures", methods_view),
)
