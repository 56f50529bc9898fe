"""The growth page without a firm register: the one notice at the top, then the ready-made growth
figures a store may hold (on real England, ONS Business Demography's high-growth share) as a
headline table, a series over time and a comparison with the comparators.

The table's rows are :func:`~diagnostics.sections.growth.headline.published_growth`; the findings
drawn from them are :func:`~diagnostics.sections.growth.narrative.published_findings`.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

from diagnostics.render.chart_figures import ChartFigures, FigureColumn, columns_by_area
from diagnostics.render.charts import ROLE_COLOURS, house_style, new_figure, show_figure
from diagnostics.render.comparison_charts import comparison_bar
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.tables import headline_html
from diagnostics.sections.growth.headline import published_growth, published_shown
from diagnostics.sections.growth.notices import needs_register, register_notice
from diagnostics.sections.session import Session

__all__ = ["published_headline_table", "published_over_time", "published_comparators"]


def published_headline_table(dx: Session, reason: str):
    """The section's first view without a firm register: the notice saying what the firm-level
    analysis needs (``reason``: why this store has no usable register), then the published growth
    figures against region, country and comparators where the store has them for the place."""
    parts = [register_notice(reason).data]
    table = published_growth(dx)
    ok = published_shown(dx)
    if table.empty:
        parts.append(notice("The store holds no published growth indicator either (such as ONS Business Demography's "
                            "high-growth share): import one with 'place-diagnostic data import'.",
                            title="No published growth figures").data)
    elif ok.empty:
        parts.append(notice(f"The store's published growth figures do not cover {dx.place.name} "
                            f"({dx.place.layer_label}): ONS publishes them for districts, counties, regions and the country.",
                            title="No published growth figures for this place").data)
    else:
        catalogue = dx.store.catalogue
        described = "; ".join(f"{catalogue.loc[i, 'name']}: {catalogue.loc[i, 'description']}"
                              for i in ok["indicator_id"] if i in catalogue.index and "description" in catalogue)
        bare = ok["lower_ci"].isna().all()
        parts.append(
            "<p>What published data does show: " + html.escape(described)
            + (" Published without a confidence interval, so it is not marked better or worse than the country."
               if bare else "") + "</p>"
            + headline_html(table, dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
                            dx.name_of(dx.country_code), dx.comparator_method)
            + source_line(", ".join(sorted(set(ok["source"].astype(str)))),
                          ", ".join(sorted(set(ok["period"].astype(str)))))
        )
    return as_html(synthetic_banner(dx) + "".join(parts))


def published_over_time(dx: Session):
    """The published high-growth share by year: place, region, country and the comparators' median."""
    ok = published_shown(dx)
    if ok.empty:
        return needs_register()
    row = ok.iloc[0]
    indicator_id = row["indicator_id"]
    roles = [(dx.country_code, "country", dx.name_of(dx.country_code) if dx.country_code else ""),
             (dx.region_code, "region", dx.name_of(dx.region_code) if dx.region_code else ""),
             (dx.place.code, "place", dx.place.name)]
    codes = [c for c, _, _ in roles if c] + list(dx.comparator_codes)
    rows = dx.store.indicator_values(indicator_id, codes).dropna(subset=["value"]).sort_values("year")
    own = rows.loc[rows["area_code"] == dx.place.code]
    if len(own) < 2:
        return needs_register()
    unit = str(row["unit"] or "")
    with house_style():
        fig = new_figure(9.5, 5.2, pad_in=None)
        ax = fig.add_subplot()
        for code, role, label in roles:
            r = rows.loc[rows["area_code"] == code] if code else rows.iloc[0:0]
            if r.empty:
                continue
            colour = ROLE_COLOURS[role]
            shaded = r["lower_ci"].notna().all() and r["upper_ci"].notna().all()
            if shaded:
                ax.fill_between(r["year"], r["lower_ci"], r["upper_ci"], color=colour, alpha=0.15, linewidth=0)
            ax.plot(r["year"], r["value"], color=colour, marker="o", linewidth=2.4 if role == "place" else 1.6,
                    label=label + (" (95% CI shaded)" if shaded else ""))
        comps = rows.loc[rows["area_code"].isin(dx.comparator_codes)].groupby("year")["value"].median()
        if len(comps):
            ax.plot(comps.index, comps.to_numpy(), color="#555555", linestyle="--", marker="s", markersize=4,
                    label="Comparators' median")
        ax.set_ylabel(unit)
        ax.set_xlabel("Year")
        ax.set_title(textwrap.fill(f"{row['name']}, as published", 70), loc="left")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncols=2, fontsize=11)
        periods = own["period"].astype(str)
        bare = " Published without intervals." if own["lower_ci"].isna().all() else ""
        fig.supxlabel(textwrap.fill(f"Source: {row['source']}. Period: {periods.iloc[0]} to {periods.iloc[-1]}.{bare} "
                                    "Firm-level rates need a firm register (see above).", 120),
                      x=0.01, ha="left", fontsize=10, color="#555555")
    return show_figure(fig, alt=f"Published {row['name']} of {dx.place.name} by year against its region and country",
                       data=_over_time_figures(dx, row, rows, roles, comps, f"{periods.iloc[0]} to {periods.iloc[-1]}"))


def _over_time_figures(dx: Session, row, rows: pd.DataFrame, roles, comparators_median: pd.Series,
                       period: str) -> ChartFigures:
    """The published series' figures: one row per year, each area drawn (with its interval where published)
    and the comparators' median."""
    unit, decimals = str(row["unit"] or ""), int(row["decimals"]) if pd.notna(row.get("decimals")) else 1
    areas = [(code, label, rows.loc[rows["area_code"] == code] if code else rows.iloc[0:0]) for code, _, label in reversed(roles)]
    frame, values = columns_by_area(
        rows.loc[rows["area_code"] == dx.place.code, ["year", "period"]].drop_duplicates("year"), areas, key="year",
        value="value", lower="lower_ci", upper="upper_ci", unit=unit, decimals=decimals, intervals="where published",
        median=comparators_median)
    return ChartFigures(frame, caption=f"{row['name']}, as published, by year", source=str(row["source"]),
                        period=period, labels=[("period", "Period")], values=values)


def published_comparators(dx: Session):
    """The published high-growth share, latest period: place, comparators (highest first), region, country."""
    ok = published_shown(dx)
    if ok.empty:
        return needs_register()
    row = ok.iloc[0]
    roles = ([(dx.place.code, "place")] + [(c, "comparator") for c in dx.comparator_codes]
             + [(dx.region_code, "region"), (dx.country_code, "country")])
    values = dx.store.indicator_values(row["indicator_id"], [c for c, _ in roles if c])
    now = values.loc[values["period"] == row["period"]].dropna(subset=["value"]).drop_duplicates("area_code", keep="last")
    now = now.set_index("area_code")
    rows = [{"name": dx.name_of(code), "value": now.loc[code, "value"], "lower_ci": now.loc[code, "lower_ci"],
             "upper_ci": now.loc[code, "upper_ci"], "role": role} for code, role in roles if code in now.index]
    frame = pd.DataFrame(rows)
    ordered = pd.concat([frame.iloc[:1], frame.loc[frame["role"] == "comparator"].sort_values("value", ascending=False),
                         frame.loc[frame["role"].isin(["region", "country"])]])
    if ordered["lower_ci"].isna().all():  # published without intervals: no interval in the legend either
        ordered = ordered.drop(columns=["lower_ci", "upper_ci"])
    missing = sum(1 for c in dx.comparator_codes if c not in now.index)
    fig = comparison_bar(ordered, title=textwrap.fill(f"{row['name']}, as published", 48), unit=str(row["unit"] or ""),
                         source=str(row["source"]) + (f"; {missing} comparator(s) without a value" if missing else ""),
                         period=str(row["period"]), value_format="{:,.1f}")
    interval = "lower_ci" in ordered.columns
    return show_figure(fig, alt=f"Published {row['name']} of {dx.place.name} and its comparators", data=ChartFigures(
        ordered.assign(role=ordered["role"].str.capitalize()), caption=f"{row['name']}, as published: {dx.place.name}, "
        "its comparators, region and country", source=str(row["source"]), period=str(row["period"]),
        labels=[("name", "Area"), ("role", "Role")],
        values=[FigureColumn("value", str(row["name"]), str(row["unit"] or ""),
                             int(row["decimals"]) if pd.notna(row.get("decimals")) else 1,
                             "lower_ci" if interval else None, "upper_ci" if interval else None)]))

