"""The health section (``notebooks/40_health.ipynb``): what each cell shows.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell shows; the
analysis is in :mod:`diagnostics.sections.health.analysis` and is computed once per session through ``dx.memo`` (and
once per store version for every area of a layer, in :mod:`diagnostics.sections.health.analysis`'s cache). Views never
raise for missing data: a store without deaths, a value PHE would withhold, a place with too few
small areas is each shown as a notice that says why.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place, per_session
from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.conventions import layer_label
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.palette import COMPARISON_COLOURS, COMPARISON_TEXT_COLOURS
from diagnostics.render.tables import badge
from diagnostics.sections.health import analysis as health
from diagnostics.sections.health import inequality, mortality
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "headline",
    "findings_view",
    "headline_table_view",
    "spine_chart_view",
    "funnel_plots_view",
    "inequality_view",
    "deprivation_view",
    "small_area_map_view",
    "similar_places_view",
    "health_areas_view",
    "methods_view",
]

# --------------------------------------------------------------------------------------------------
# Shared analysis (once per session)
# --------------------------------------------------------------------------------------------------


def _headline_table(dx: Session) -> pd.DataFrame:
    return cached(per_place(dx, "health.headline"), lambda: health.health_headline(dx.store, dx.place, dx.comparator_codes))


def _inequality(dx: Session) -> dict:
    return cached(per_place(dx, "health.inequality"), lambda: inequality.inequality_summary(dx.store, dx.place, dx.comparator_codes))


def headline(dx: Session) -> pd.DataFrame:
    """The section's headline measures for the summary's cards (:data:`diagnostics.compare.benchmark.BENCHMARK_COLUMNS`).

    Life expectancy at birth and at 65 for women and men, and under-75 mortality (directly
    standardised), computed from the store's deaths and populations (3-year pooled). Where the
    store has no deaths or a value is withheld, the row's ``status`` says why; a real store's
    ready-made life expectancy at birth (OHID Fingertips) stands in for the computed one.
    """
    table = _headline_table(dx)
    ids = set(health.HEADLINE_MEASURE_IDS) | set(health.ready_made_in_place_of(dx.store).values())
    return table.loc[table["indicator_id"].isin(ids), BENCHMARK_COLUMNS].reset_index(drop=True)


def _fmt(value, unit: str, decimals: int) -> str:
    from diagnostics.render.numbers import format_value

    return format_value(value, unit if unit in ("%", "£") else "", decimals)


def _region_name(dx: Session) -> str | None:
    return dx.name_of(dx.region_code) if dx.region_code else None


# --------------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------------


def findings_view(dx: Session):
    """The findings in plain English, each pointing at the view whose figure it states."""
    reason = mortality.mortality_unavailable_reason(dx.store)
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
        ready = health.is_ready_made(r.get("method"))
        tag = ("<br><span class='pd-ready-made' style='font-size:11px;border:1px solid #888;border-radius:3px;"
               "padding:0 3px'>ready-made</span>") if ready else ""
        name = f"{html.escape(str(r['name']))}{unit_note}{tag}"
        if r["status"] != "ok":
            period = html.escape(str(r["period"])) if isinstance(r.get("period"), str) else ""
            rows.append(f"<tr><td>{name}</td><td>{period}</td><td colspan='{n_columns - 2}'><em>Not shown: "
                        f"{html.escape(str(r['status']))}</em></td></tr>")
            continue
        from diagnostics.render.numbers import format_interval

        ci = format_interval(r["lower_ci"], r["upper_ci"], "", dec)
        if ready and pd.isna(r["lower_ci"]):
            ci = "no interval in the imported file"
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
            f"<td>{badge(r['vs_country'])}</td>" + (f"<td>{badge(r['vs_region'])}</td>" if region else "")
            + f"<td>{html.escape(str(r['trend']))}</td><td>{html.escape(str(r['source']))}</td></tr>"
        )
    computed = (
        f"Life expectancy and under-75 mortality are computed here from the store's deaths and mid-year "
        f"populations, pooled over {mortality.POOL_YEARS} years as ONS and OHID publish them (life expectancy: "
        "Chiang II with Silcocks' interval; mortality: directly standardised to the European Standard Population "
        "2013, Dobson's interval)."
    )
    if mortality.mortality_unavailable_reason(dx.store) is not None:
        computed = (
            "Life expectancy and under-75 mortality cannot be computed here: the store has no deaths or population "
            "table. Figures marked ready-made are published ones (OHID, ONS) as imported, with their published 95% "
            "interval where the file carries one; a figure without an interval is compared by size only."
        )
    caption = (
        computed + " The other indicators are the store's, latest period. 'Against' compares the "
        "place's 95% interval with the benchmark's value. Recent trend: Fingertips' test on the last five "
        "points (single years for the computed measures). Rank: 1 is best among all areas of the layer. "
        f"Comparators: {dx.comparator_method}."
    )
    return as_html(
        synthetic_banner(dx)
        + '<table class="pd-table pd-health" style="border-collapse:collapse;font-size:13px">'
        + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
        + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def spine_chart_view(dx: Session):
    """The Fingertips spine chart: each measure for the place against the range of all areas of its layer."""
    from diagnostics.render.charts import show_figure
    from diagnostics.render.fingertips import spine_chart

    if dx.country_code is None:
        return notice(f"{dx.place.name} is the whole country: a spine chart compares an area with the country.",
                      title="No spine chart")
    table = cached(per_place(dx, "health.spine"), lambda: health.spine_table(dx.store, dx.place))
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
        areas_label=(f"{int(table['n_areas'].max())} areas of the layer" if table["n_areas"].nunique() == 1 else
                     f"{int(table['n_areas'].min())} to {int(table['n_areas'].max())} areas of the layer (those published)"),
        source=(f"{dx.store.source}; life expectancy and mortality computed from deaths and populations"
                if mortality.mortality_unavailable_reason(dx.store) is None else
                f"{dx.store.source}: " + ", ".join(sorted(set(_headline_table(dx).set_index("indicator_id")["source"]
                                                          .reindex(table["indicator_id"]).dropna().astype(str))))),
        period="latest period of each indicator (shown)",
    )
    note = (f"<p style='font-size:0.9em'>No value for {html.escape(dx.place.name)}: {html.escape('; '.join(missing))} "
            "(see the headline table for the reason).</p>") if missing else ""
    return as_html(synthetic_banner(dx) + show_figure(fig, alt=f"Spine chart of health indicators for {dx.place.name}").data + note)


def funnel_plots_view(dx: Session):
    """Funnel plots of the main rates and proportions: every area against the country, 95% and 99.8% limits."""
    from diagnostics.render.charts import figure_html
    from diagnostics.render.fingertips import funnel_plot

    parts, missing = [], []
    for indicator_id in health.FUNNEL_INDICATORS:
        data = cached(per_session(dx, f"health.funnel.{indicator_id}"), lambda i=indicator_id: health.funnel_data(dx.store, dx.place.layer, i))
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
        extra = "" if dx.store.is_synthetic else (
            " Published ready-made figures (ONS, OHID) come as rates with intervals but without the counts a funnel "
            "needs; a Fingertips API export carries them (its Count and Denominator fields), or add deaths and "
            "population tables.")
        return notice("No funnel plot can be drawn: the store has neither deaths nor indicators with numerators and "
                      "denominators for the areas of this layer." + extra, title="No funnel plots")
    text = ("<p>Each point is an area of the same layer; the lines are Spiegelhalter's exact control limits around "
            "the country's value (dashed 95%, solid 99.8%). Points outside are shaped ▲ above / ▼ below and coloured "
            "blue (better) or vermillion (worse); hollow if outside 95% only. Under-75 mortality is shown as an "
            "indirectly standardised ratio against expected deaths, since a directly standardised rate has no "
            "single denominator.</p>")
    if missing:
        names = [mortality.MEASURES.get(i, {}).get("name", i) for i in missing]
        text += f"<p><em>Not drawn (no counts for this layer in the store): {html.escape('; '.join(names))}.</em></p>"
    return as_html(synthetic_banner(dx) + text + "".join(parts))


#: Ready-made inequality measures a real store may hold (OHID Fingertips), shown when none can be computed.
READY_MADE_INEQUALITY = ("le_inequality_female", "le_inequality_male")


def _ready_made_inequality(dx: Session, reason: str):
    """The store's ready-made slope indices of inequality for the place, or None when it has none."""
    table = _headline_table(dx)
    rows = table.loc[table["indicator_id"].isin(READY_MADE_INEQUALITY) & (table["status"] == "ok")]
    if rows.empty:
        return None
    from diagnostics.render.numbers import format_interval

    region = _region_name(dx)
    country = dx.name_of(dx.country_code) if dx.country_code else "Country"
    body = []
    for r in rows.to_dict("records"):
        dec = int(r["decimals"]) if pd.notna(r["decimals"]) else 1
        ci = ("no interval in the imported file" if pd.isna(r["lower_ci"])
              else format_interval(r["lower_ci"], r["upper_ci"], "", dec))
        rank = "–" if pd.isna(r["rank"]) else f"{int(r['rank'])} of {int(r['n_ranked'])}"
        body.append(
            f"<tr><td>{html.escape(str(r['name']))}<br><span class='pd-ready-made' style='font-size:11px;border:1px solid "
            f"#888;border-radius:3px;padding:0 3px'>ready-made</span></td><td class='nw'>{html.escape(str(r['period']))}</td>"
            f"<td style='text-align:right'><strong>{_fmt(r['value'], '', dec)}</strong> years<br>"
            f"<span style='color:#555;font-size:12px'>{html.escape(ci)}</span></td>"
            + (f"<td style='text-align:right'>{_fmt(r['region_value'], '', dec)}</td>" if region else "")
            + f"<td style='text-align:right'>{_fmt(r['country_value'], '', dec)}</td>"
            f"<td class='nw' style='text-align:right'>{rank}</td>"
            f"<td>{html.escape(str(r['source']))}</td></tr>"
        )
    head = ("<tr><th>Measure</th><th>Period</th>" f"<th>{html.escape(dx.place.name)}</th>"
            + (f"<th>{html.escape(region)}</th>" if region else "") + f"<th>{html.escape(country)}</th>"
            "<th>Rank (1 = smallest gap)</th><th>Source</th></tr>")
    caption = (
        "Ready-made: OHID's slope index of inequality in life expectancy at birth, the modelled gap in years between "
        "the most and the least deprived ends of the place, its small areas grouped into local deprivation deciles "
        "(published figures as imported). The decile-by-decile chart computed here needs deaths and populations: "
        f"{reason}."
    )
    return as_html(
        synthetic_banner(dx) + '<table class="pd-table pd-health" style="border-collapse:collapse;font-size:13px">'
        + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
        + f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


def inequality_view(dx: Session):
    """Life expectancy and under-75 mortality by local deprivation decile, the SII and the gap."""
    from diagnostics.render.charts import figure_html
    from diagnostics.render.fingertips import deprivation_chart
    from diagnostics.render.numbers import format_interval
    from diagnostics.render.tables import html_table

    result = _inequality(dx)
    if not result["available"]:
        ready = _ready_made_inequality(dx, result["reason"])
        if ready is not None:
            return ready
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
    from diagnostics.render.maps import choropleth_map
    from diagnostics.render.offline import show_map

    reason = mortality.mortality_unavailable_reason(dx.store)
    if reason is not None:
        return notice(f"No map of small-area mortality: {reason}.", title="Not available")
    if "small_area" not in dx.store.boundary_layers():
        return notice("The store has no small-area boundaries to draw.", title="No map")
    smr = cached(per_place(dx, "health.smr"), lambda: inequality.small_area_mortality_ratio(dx.store, dx.place))
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
    table = cached(per_place(dx, "health.similar"), lambda: health.similar_places(dx.store, dx.place, dx.comparator_codes))
    if table.empty:
        return notice(f"The store has no health measure for {dx.place.name} and its comparators "
                      "(the areas of its layer). "
                      "Published health figures are imported for districts; for other layers import OHID Fingertips "
                      "exports for that area type.", title="No similar places")
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
               "compared; ▲ significantly higher, ▼ lower, ● similar, ○ not compared (no interval published). Rank: 1 is the best of the place and its comparators.")
    return as_html(synthetic_banner(dx)
                   + "<div style='overflow-x:auto'><table class='pd-table pd-health' style='border-collapse:collapse;font-size:12px'>"
                   + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
                   + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>")


def _deprivation(dx: Session) -> pd.DataFrame:
    return cached(per_place(dx, "health.deprivation"), lambda: health.deprivation_profile(dx.store, dx.place))


def deprivation_view(dx: Session):
    """The deprivation profile: MHCLG's summaries of the IMD and its domains, with ranks among the layer."""
    if dx.place.layer == "small_area":
        return notice(f"{dx.place.name} is a single small area: its deprivation is its own IoD rank, not a profile.",
                      title="No deprivation profile")
    table = _deprivation(dx)
    covered = health.deprivation_profile_layers(dx.store) if table.empty else []
    if table.empty and covered:

        labels = "; ".join(layer_label(layer).lower() for layer in covered)
        return notice(
            f"The store's deprivation profile covers these layers: {labels}; not {dx.place.name}'s layer: MHCLG summarises the "
            "indices for local authorities, and the import summarises the layers whose areas are made of whole small "
            "areas. Run the diagnostic for one of the districts it covers (the Geographies section lists them).",
            title="No deprivation profile for this layer")
    if table.empty:
        return notice(
            f"The store has no deprivation profile for {dx.place.name} and no small-area deprivation scores to "
            "compute one from. Import MHCLG's English Indices of Deprivation 2019 File 1 (IMD), File 2 (domains) and "
            "File 6 (population denominators) with `place-diagnostic data import` to see it.",
            title="No deprivation profile")
    layer = dx.place.layer_label.lower() if hasattr(dx.place, "layer_label") else dx.place.layer

    def value(v, decimals: int, suffix: str = "") -> str:
        return "–" if pd.isna(v) else f"{v:,.{decimals}f}{suffix}"

    def rank(v, n) -> str:
        return "–" if pd.isna(v) else (f"{int(v)} of {int(n)}" if pd.notna(n) else f"{int(v)}")

    has_score = table["average_score"].notna().any()
    head = ("<tr><th>Index or domain</th><th>Average rank</th><th>Rank of average rank</th>"
            + ("<th>Average score</th><th>Rank of average score</th>" if has_score else "")
            + "<th>Small areas in the most deprived 10%</th><th>Rank of that share</th></tr>")
    rows = []
    for r in table.to_dict("records"):
        n = r.get("n_ranked")
        rows.append(
            f"<tr><td>{html.escape(r['domain_name'])}</td><td style='text-align:right'>{value(r['average_rank'], 0)}</td>"
            f"<td class='nw' style='text-align:right'>{rank(r['rank_of_average_rank'], n)}</td>"
            + (f"<td style='text-align:right'>{value(r['average_score'], 2)}</td>"
               f"<td class='nw' style='text-align:right'>{rank(r['rank_of_average_score'], n)}</td>" if has_score else "")
            + f"<td style='text-align:right'>{value(r['most_deprived_10pct'], 1, '%')}</td>"
            f"<td class='nw' style='text-align:right'>{rank(r['rank_of_most_deprived_10pct'], n)}</td></tr>"
        )
    first = table.iloc[0]
    computed = bool(first.get("computed_here"))
    what = ("the IMD summarised here from the store's small-area deprivation scores (small areas ranked nationally "
            "by score)" if computed else "the English Indices of Deprivation 2019, summarised from its small-area files")
    caption = (
        f"Deprivation of {dx.place.name}: {what} as MHCLG summarises local authorities. Average rank: the "
        "population-weighted mean of its small areas' national ranks, reversed so that a higher average rank is more "
        "deprived. Average score: the population-weighted mean of their scores. Most deprived 10%: the share of its "
        f"small areas ranked in the most deprived tenth nationally. Ranks are among the {layer}s of the store, "
        "1 = most deprived. These are relative measures: they rank places, they do not say how deprived a place is "
        "in absolute terms, and they describe 2019 (incomes mostly 2015-16)."
        + ("" if has_score else " Average scores are not shown: the imported files carry ranks only (File 5 has the "
                                 "scores).")
    )
    source = source_line(str(first.get("source") or dx.store.source) + (f" ({first['vintage']})" if isinstance(
        first.get("vintage"), str) else ""), str(first.get("period")) if isinstance(first.get("period"), str) else None)
    return as_html(
        synthetic_banner(dx)
        + '<table class="pd-table pd-health pd-deprivation" style="border-collapse:collapse;font-size:13px">'
        + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
        + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>" + source
    )


def health_areas_view(dx: Session):
    """The headline health measures of each health area (the NHS's footprint) the place overlaps."""
    if "health_area" not in dx.store.layers:
        return notice("The store has no health areas (layer health_area), so the NHS footprint cannot be shown.",
                      title="No health areas")
    if dx.place.layer == "health_area":
        return notice(f"{dx.place.name} is itself a health area: its NHS footprint is the place itself.", title="The place is a health area")
    table = cached(per_place(dx, "health.areas"), lambda: health.health_area_comparison(dx.store, dx.place))
    if table.empty:
        return notice(f"{dx.place.name} overlaps no health area in the store's lookups.", title="No health areas")
    if table["value"].notna().sum() == 0:
        from diagnostics.geography.lookups import population_basis

        shares = "; ".join(f"{a.area_name} ({a.place_share:.0%} of {dx.place.name}'s "
                           f"{population_basis(dx.store)})"
                           for a in table.drop_duplicates("area_code").itertuples())
        return notice(
            f"{dx.place.name} lies in {shares}, but the store holds no health figures for health areas (ICBs) and "
            "cannot compute any (no deaths or population tables). Import OHID Fingertips exports at ICB level "
            "(area type 'ICBs', with their area codes E54...) to compare the place with its NHS footprint; the "
            "Geographies section shows how the place overlaps them.",
            title="No health figures for health areas")
    catalogue = health.health_catalogue(dx.store)
    own = _headline_table(dx).set_index("indicator_id")
    areas = table.drop_duplicates("area_code")
    from diagnostics.geography.lookups import population_basis

    people = "people" if population_basis(dx.store) == "residents" else "small areas (counted equally: no populations)"
    head = ("<tr><th>Indicator</th><th>Period</th>"
            + f"<th>{html.escape(dx.place.name)}</th>"
            + "".join(f"<th>{html.escape(str(a.area_name))}<br><span style='font-weight:400;font-size:11px'>"
                      f"{a.place_share:.0%} of the place's {people}; the place is {a.area_share:.0%} of it</span></th>"
                      for a in areas.itertuples())
            + "</tr>")
    rows = []
    for indicator_id in [i for i in catalogue.index if i in set(table["indicator_id"].dropna())]:
        meta = catalogue.loc[indicator_id]
        unit, dec = str(meta["unit"]), int(meta["decimals"])
        mine = own.loc[indicator_id] if indicator_id in own.index else None
        cells = [f"<td class='nw'>{_fmt(mine['value'], unit, dec)} {badge(mine['vs_country'])}</td>" if mine is not None and
                 mine["status"] == "ok" else "<td>–</td>"]
        part = table.loc[table["indicator_id"] == indicator_id].set_index("area_code")
        for a in areas.itertuples():
            if a.area_code in part.index and pd.notna(part.loc[a.area_code, "value"]):
                r = part.loc[a.area_code]
                cells.append(f"<td class='nw'>{_fmt(r['value'], unit, dec)} {badge(r['vs_country'])}</td>")
            else:
                note = part.loc[a.area_code, "note"] if a.area_code in part.index else "no value"
                cells.append(f"<td><em>{html.escape(str(note))}</em></td>")
        period = part["period"].dropna().iloc[0] if part["period"].notna().any() else ""
        rows.append(f"<tr><td>{html.escape(str(meta['short_name']))}</td><td class='nw'>{html.escape(str(period))}</td>{''.join(cells)}</tr>")
    caption = ("Health areas (ICB-like) overlapping the place, largest share of its population first; the same measures "
               "computed the same way for each, compared with the country (95% intervals). The NHS plans on these "
               "footprints, so their figures are what a place's partners see.")
    return as_html(synthetic_banner(dx)
                   + "<table class='pd-table pd-health' style='border-collapse:collapse;font-size:12px'>"
                   + f"<caption style='caption-side:bottom;text-align:left;font-size:12px;color:#444'>{html.escape(caption)}</caption>"
                   + f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


def methods_view(dx: Session):
    """How the health figures are made and when a value is withheld (PHE's rules)."""
    from diagnostics.stats.life_table import MIN_POPULATION

    reason = mortality.mortality_unavailable_reason(dx.store)
    items = [
        f"Life expectancy at birth and at 65 by sex: abridged life table in 20 age bands (open at 90+), Chiang's "
        f"method II with Silcocks' 95% interval, from deaths and mid-year populations pooled over {mortality.POOL_YEARS} "
        "years (person-years), as ONS and OHID publish it.",
        "Under-75 mortality from all causes: directly standardised rate per 100,000, European Standard Population "
        "2013 (bands 0 to 70-74), persons, Dobson's 95% interval, 3 years pooled.",
        f"Withheld, with the reason shown (PHE's rules): life expectancy where the period's person-years are "
        f"{MIN_POPULATION:,} or fewer, a band has no population or more deaths than people, nobody died in the 90+ "
        "band, or the 95% interval is wider than 20 years; a standardised rate where fewer than 10 deaths occurred.",
        "Comparisons: the place's 95% interval against the benchmark's value (Fingertips' rule: better, similar or "
        "worse). Recent trend: the last five single years (computed measures) or periods (other indicators), "
        "Fingertips' tests at the 99.9% level.",
        f"Inequality: {inequality.DECILE_BASIS}. Quintiles are used where a decile cannot hold a life table. Slope index "
        "of inequality by weighted regression on the population midpoints (Low & Low 2004), simulated interval.",
    ]
    catalogue = dx.store.catalogue
    stored = health.prevalence_indicator_ids(dx.store)
    ready = [i for i in stored if health.is_ready_made(catalogue.loc[i].get("method"))]
    own = [i for i in stored if i not in ready]
    names = lambda ids: ", ".join(str(catalogue.loc[i, "short_name"]).lower() for i in ids)  # noqa: E731
    if own:
        items.append(f"The other indicators ({names(own)}) are the store's own ({dx.store.source}, vintage "
                     f"{dx.store.vintage}).")
    if ready:
        items.append(f"Ready-made (published, not computed here; marked so in the tables): {names(ready)}. Each keeps "
                     "its publisher's 95% interval where the imported file carries one; a figure without one is "
                     "compared by size only, never called significant.")
    if reason:
        items = [f"Life expectancy and mortality are not computed here: {reason}. The methods below apply when a "
                 "store has deaths and populations."] + items
    if not dx.store.is_synthetic and not dx.store.has_table("deaths"):
        items.append("Deprivation profile: MHCLG's local-authority summaries of the English Indices of Deprivation "
                     "2019, computed from its small-area files at import (diagnostics.store.deprivation).")
    return as_html(synthetic_banner(dx) + "<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>")


VIEWS = (
    ("Findings", findings_view),
    ("Headline health", headline_table_view),
    ("Spine chart", spine_chart_view),
    ("Funnel plots", funnel_plots_view),
    ("Inequality within the place", inequality_view),
    ("Deprivation profile", deprivation_view),
    ("Small-area health map", small_area_map_view),
    ("Similar places", similar_places_view),
    ("Across boundaries: health areas", health_areas_view),
    ("About these figures", methods_view),
)
