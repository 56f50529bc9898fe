"""Health: the page's charts and maps: funnel plots, inequality by deprivation, small-area mortality and deprivation.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook
cell shows. The chart and map modules load matplotlib and folium, so they are imported when a
view draws, not with the page: the summary asks the page for its headline and stays light.
Views never raise for missing data: they return a notice that says why.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from diagnostics.render.chart_figures import ChartFigures, FigureColumn
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import MISSING, format_change, format_interval, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.health.deprivation import small_area_deciles
from diagnostics.sections.health.funnels import FUNNEL_INDICATORS, funnel_data
from diagnostics.sections.health.mortality import MEASURES, small_area_mortality_reason
from diagnostics.sections.health.page_tables import ready_made_inequality_table
from diagnostics.sections.health.place_results import country_name, inequality_of, small_area_ratios_of
from diagnostics.sections.session import Session

__all__ = ["funnel_plots_view", "inequality_view", "small_area_map_view", "deprivation_map_view"]


def funnel_plots_view(dx: Session):
    """Funnel plots of the main rates and proportions: every area against the country, 95% and 99.8% limits."""
    from diagnostics.render.charts import figure_html  # matplotlib: loaded when a chart is drawn
    from diagnostics.render.funnel_plot import funnel_plot

    parts, missing, methods = [], [], []
    for indicator_id in FUNNEL_INDICATORS:
        data = funnel_data(dx.store, dx.place.layer, indicator_id)
        if data is None:
            missing.append(indicator_id)
            continue
        method = _LIMIT_METHODS[str(data.limits["method"].iloc[0])]
        methods += [method] if method not in methods else []
        fig = funnel_plot(
            data.points, data.limits, benchmark=data.benchmark, title=data.name, y_label=data.y_label,
            x_label=data.x_label, place_code=dx.place.code, polarity=data.polarity,
            benchmark_label=country_name(dx, "Country"), source=dx.store.source, period=data.period,
        )
        parts.append(figure_html(fig, alt=f"Funnel plot: {data.name}", data=_funnel_figures(dx, data)))
    if not parts:
        extra = "" if dx.store.is_synthetic else (
            " Published ready-made figures (ONS, OHID) come as rates with intervals but without the counts a funnel "
            "needs; a Fingertips API export carries them (its Count and Denominator fields), or add deaths and "
            "population tables.")
        return notice("No funnel plot can be drawn: the store has neither deaths nor indicators with numerators and "
                      "denominators for the areas of this layer." + extra, title="No funnel plots")
    text = ("<p>Each point is an area of the same layer; the lines are the control limits OHID Fingertips draws "
            f"(PHEindicatormethods) around the country's value, dashed 95% and solid 99.8%: {'; '.join(methods)}. "
            "Points outside are shaped ▲ above / ▼ below and coloured "
            "blue (better) or vermillion (worse); hollow if outside 95% only. Under-75 mortality is shown as an "
            "indirectly standardised ratio against expected deaths, since a directly standardised rate has no "
            "single denominator.</p>")
    if missing:
        catalogue = dx.store.catalogue
        names = [MEASURES[i]["name"] if i in MEASURES
                 else catalogue.at[i, "name"] if i in catalogue.index else i.replace("_", " ").capitalize()
                 for i in missing]
        text += f"<p><em>Not drawn (no counts for this layer in the store): {html.escape('; '.join(names))}.</em></p>"
    return as_html(synthetic_banner(dx) + text + "".join(parts))


def _funnel_figures(dx: Session, data) -> ChartFigures:
    """A funnel plot's figures: every area's numerator, denominator and value, highest value first, and
    where it falls against the limits (the limits themselves are lines, named in the caption)."""
    ratio = data.kind == "ratio"
    points = data.points.sort_values("value", ascending=False).assign(
        against=lambda t: t["significance"].map(lambda v: str(v).replace("95", "95% limit").replace("99.8", "99.8% limit")))
    unit = "" if ratio else data.unit
    heading = "Standardised ratio (country = 100)" if ratio else data.name
    return ChartFigures(
        points, caption=(f"{data.name}: each area of the layer ({dx.place.name} among them), highest first, against "
                         f"the country's value ({format_value(data.benchmark, unit, 1)}) and its 95% and 99.8% control "
                         "limits (within, above or below)"),
        source=dx.store.source, period=data.period, labels=[("name", "Area"), ("code", "Code"), ("against", "Against the limits")],
        values=[FigureColumn("numerator", "Observed deaths" if ratio else "Numerator", "count", 0),
                FigureColumn("denominator", "Expected deaths" if ratio else data.x_label.removeprefix("Denominator: ").capitalize(),
                             "count", 1 if ratio else 0),
                FigureColumn("value", heading, unit, 1)])


def _by_group_figures(table: pd.DataFrame, *, caption: str, group_name: str, unit: str, decimals: int, source: str,
                      period: str) -> ChartFigures:
    """An inequality chart's figures: one row per deprivation group, each series' value with its interval."""
    frame = pd.DataFrame({"group": sorted(table["group"].unique())})
    values = []
    for series, rows in table.groupby("series", sort=False):
        part = rows.set_index("group")[["value", "lower_ci", "upper_ci"]].add_prefix(f"{series}_")
        frame = frame.merge(part, left_on="group", right_index=True, how="left")
        values.append(FigureColumn(f"{series}_value", str(series), unit, decimals, f"{series}_lower_ci",
                                   f"{series}_upper_ci"))
    frame["group"] = frame["group"].map(lambda g: f"{group_name.capitalize()} {g}")
    return ChartFigures(frame, caption=caption, source=source, period=period,
                        labels=[("group", f"Deprivation {group_name} (1 = most deprived)")], values=values)


#: How the limits of each method (the ``method`` of :func:`diagnostics.stats.funnel_limits`) are named.
_LIMIT_METHODS = {"Wilson": "Wilson score limits for percentages (0% to 100%)",
                  "Poisson": "exact Poisson limits for rates and ratios",
                  "Spiegelhalter exact": "Spiegelhalter's interpolated binomial or Poisson limits"}


#: The lines under the inequality charts: indicator -> (who, unit, decimals).
_GAP_LINES = {"life_expectancy_birth_female": ("women", "years", 1), "life_expectancy_birth_male": ("men", "years", 1),
              "under75_mortality": ("under-75 mortality", "deaths per 100,000", 0)}


def inequality_view(dx: Session):
    """Life expectancy and under-75 mortality by local deprivation decile, the SII and the gap."""
    from diagnostics.render.charts import figure_html  # matplotlib: loaded when a chart is drawn
    from diagnostics.render.deprivation_chart import deprivation_chart

    result = inequality_of(dx)
    if not result.available:
        ready = ready_made_inequality_table(dx, result.reason)
        if ready is not None:
            return ready
        return notice(f"Inequality by deprivation cannot be shown: {result.reason}.", title="Not available")
    table, name = result.table, result.groups_name
    period = str(table["period"].iloc[0])
    le = table.loc[table["indicator_id"] != "under75_mortality"].assign(
        series=lambda t: t["indicator_id"].map({"life_expectancy_birth_female": "Women", "life_expectancy_birth_male": "Men"}))
    u75 = table.loc[table["indicator_id"] == "under75_mortality"].assign(series="Persons")
    source = f"{dx.store.source}: deaths, populations and 2019 deprivation scores of small areas"
    fig_le = deprivation_chart(le, title=f"Life expectancy at birth by local deprivation {name}, {dx.place.name}",
                               y_label="Years", group_name=name, source=source, period=period)
    parts = [figure_html(fig_le, alt="Life expectancy by deprivation group", data=_by_group_figures(
        le, caption=f"Life expectancy at birth by local deprivation {name}, {dx.place.name}", group_name=name,
        unit="years", decimals=1, source=source, period=period))]
    if u75["value"].notna().any():
        fig_u = deprivation_chart(u75, title=f"Under-75 mortality by local deprivation {name}, {dx.place.name}",
                                  y_label="Deaths per 100,000 (age-standardised)", group_name=name, source=source,
                                  period=period)
        parts.append(figure_html(fig_u, alt="Under-75 mortality by deprivation group", data=_by_group_figures(
            u75, caption=f"Under-75 mortality (age-standardised) by local deprivation {name}, {dx.place.name}",
            group_name=name, unit="per 100,000", decimals=0, source=source, period=period)))
    slope = result.sii.set_index("indicator_id")
    tenths = "tenths" if result.n == 10 else "fifths"
    lines = []
    for indicator_id, (who, unit, dec) in _GAP_LINES.items():
        r = slope.loc[indicator_id]
        wider, n_comparators = result.gap_against_comparators(indicator_id)
        gap_text = (f"Gap between the least and most deprived {tenths} for {who}: {format_change(r['gap'], '', dec)} {unit}"
                    + (f" (wider than in {wider} of {n_comparators} similar places)" if n_comparators else ""))
        if np.isfinite(r["sii"]):
            sii_text = (f"slope index of inequality {format_change(r['sii'], '', dec)} {unit} "
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
        f"<p>{html.escape(dx.place.name)}'s {result.n_small_areas} small areas are grouped into "
        f"{html.escape(result.basis)}. Group 1 is the most deprived. Period {html.escape(period)} (3 years pooled).</p>"
        f"<ul>{''.join(lines)}</ul>"
        "<p class='pd-health-note'>A positive slope index for life expectancy means the least deprived live longer; "
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
    from diagnostics.render.maps import choropleth_map  # folium: loaded when a map is drawn
    from diagnostics.render.offline import show_map

    reason = small_area_mortality_reason(dx.store)
    if reason is not None:
        return notice(f"No map of small-area mortality: {reason}.", title="Not available")
    if "small_area" not in dx.store.boundary_layers():
        return notice("The store has no small-area boundaries to draw.", title="No map")
    smr = small_area_ratios_of(dx)
    if smr.empty or smr["value"].notna().sum() == 0:
        return notice(f"{dx.place.name} has no small area with expected deaths in the store.", title="No map")
    shapes = dx.store.boundaries("small_area")
    gdf = shapes.merge(smr, on="code")
    # the popup's interval: the ratio's bounds without brackets (the column is titled "95% CI")
    gdf["interval"] = [f"{format_value(lo, '', 0)} to {format_value(hi, '', 0)}" if np.isfinite(lo) else MISSING
                       for lo, hi in zip(gdf["lower_ci"], gdf["upper_ci"])]
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
    shown = show_map(m, title=f"Map of {dx.place.name}'s small areas: under-75 deaths, {period}, standardised ratio (country = 100)",
                     data=ChartFigures(
                         gdf.drop(columns="geometry").sort_values("value", ascending=False),
                         caption=(f"Under-75 deaths in each of {dx.place.name}'s small areas, {period}, against those expected at "
                                  "the country's rates (standardised ratio, country = 100), highest ratio first"),
                         source=dx.store.source, period=period, labels=[("name", "Small area"), ("code", "Code")],
                         values=[FigureColumn("value", "Standardised ratio (country = 100)", "", 0, "lower_ci", "upper_ci"),
                                 FigureColumn("observed", "Deaths under 75", "count", 0),
                                 FigureColumn("expected", "Expected deaths", "count", 1)]))
    return as_html(synthetic_banner(dx) + text + shown.data + source_line(dx.store.source, period))


def deprivation_map_view(dx: Session):
    """A choropleth of the place's small areas by national IMD decile (1 = most deprived)."""
    from diagnostics.render.maps import choropleth_map  # folium: loaded when a map is drawn
    from diagnostics.render.offline import show_map

    deciles = small_area_deciles(dx.store, dx.place)
    if deciles.empty:
        return notice(f"The store holds no national deprivation rank of {dx.place.name}'s small areas. Import MHCLG's "
                      "English Indices of Deprivation 2019 File 1 (or File 2) with `place-diagnostic data import` to "
                      "see them.", title="No deprivation map")
    if "small_area" not in dx.store.boundary_layers():
        return notice("The store has no small-area boundaries to draw (on real data: the LSOA 2011 boundaries of "
                      "boundaries/england_by_lad/).", title="No map")
    shapes = dx.store.boundaries("small_area")
    gdf = shapes.merge(deciles, on="code")
    if gdf.empty:
        return notice(f"None of {dx.place.name}'s ranked small areas has a boundary in the store.", title="No map")
    gdf["rank_shown"] = [f"{format_value(r, '', 0)} of {format_value(n, '', 0)}" for r, n in zip(gdf["rank"], gdf["n_national"])]
    outline = dx.store.boundaries(dx.place.layer) if dx.place.layer in dx.store.boundary_layers() else None
    if outline is not None:
        outline = outline.loc[outline["code"] == dx.place.code]
    first = deciles.iloc[0]
    period, source = str(first["period"]), str(first["source"])
    m = choropleth_map(
        gdf.assign(decile=gdf["decile"].astype(float)), "decile",
        title=f"Index of Multiple Deprivation {period}: national decile of each small area",
        legend_label="National IMD decile (1 = most deprived 10%)", palette="cividis",
        popup_columns={"name": "Small area", "code": "Code", "decile": "Decile", "rank_shown": "National rank"},
        value_format="{:,.0f}", value_range=(1, 10), outline_gdf=outline if outline is not None and not outline.empty else None,
    )
    counts = deciles["decile"].value_counts()
    most = int(counts.get(1, 0))
    least = int(counts.get(10, 0))
    how = ("ranked here by the store's small-area deprivation scores (highest score = rank 1)"
           if bool(first["ranked_here"]) else "as MHCLG published them (IoD2019 File 1)")
    unmapped = len(deciles) - len(gdf)
    text = (f"<p>Each of {html.escape(dx.place.name)}'s {len(deciles)} small areas shaded by its decile of the Index of "
            f"Multiple Deprivation among the {format_value(first['n_national'], '', 0)} small areas of the country, "
            f"{how}: decile 1 is the most deprived tenth, 10 the least. {most} of them are in the most deprived "
            f"tenth nationally and {least} in the least deprived. Ranks are relative: they say which areas are more "
            "deprived than others, not by how much."
            + (f" {unmapped} small area(s) have no boundary in the store and are not drawn." if unmapped else "")
            + "</p>")
    shown = show_map(m, title=f"Map of {dx.place.name}'s small areas by national decile of deprivation, {period} (1 = most deprived)",
                     data=ChartFigures(
                         gdf.drop(columns="geometry").sort_values("rank"),
                         caption=(f"{dx.place.name}'s small areas by national decile and rank of the Index of Multiple "
                                  f"Deprivation {period}, most deprived first"),
                         source=source, period=period,
                         labels=[("name", "Small area"), ("code", "Code"), ("rank_shown", "National rank (1 = most deprived)")],
                         values=[FigureColumn("decile", "National decile (1 = most deprived 10%)", "", 0)]))
    return as_html(synthetic_banner(dx) + text + shown.data + source_line(source, period))
