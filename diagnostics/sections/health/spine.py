"""Health: the spine chart, each measure of the place against the range of every area of its layer.

Its table (:func:`spine_table`) is built here, beside the view, rather than in the analysis: the
range of each measure is :func:`diagnostics.render.fingertips.spine_statistics` (the quartiles
oriented by polarity, as Fingertips draws them), and the analysis never imports rendering. When
that function moves down to :mod:`diagnostics.stats`, the table belongs in
:mod:`~diagnostics.sections.health.analysis`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.compare.benchmark import ancestor_of_layer
from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.sections.health.analysis import health_catalogue, layer_comparison
from diagnostics.sections.health.mortality import mortality_unavailable_reason
from diagnostics.sections.health.place_results import headline_table_of, region_name
from diagnostics.sections.session import Session
from diagnostics.store.places import Place, resolve_place

__all__ = ["spine_table", "spine_chart_view"]


def spine_table(store, place: str | Place) -> pd.DataFrame:
    """One row per health measure: the place, its region and country, and the range of its layer's areas.

    Returns
    -------
    DataFrame
        indicator_id, indicator (name), unit, decimals, polarity, period, value, region_value,
        country_value, comparison (the place against the country, 95%), worst, q25, median, q75,
        best (of all areas of the place's layer, oriented by polarity:
        :func:`diagnostics.render.fingertips.spine_statistics`), n_areas. Latest period of each.
    """
    from diagnostics.render.fingertips import spine_statistics  # loads matplotlib: only when a spine is drawn

    place = resolve_place(place, store)
    catalogue = health_catalogue(store)
    rows = layer_comparison(store, place.layer)
    region = ancestor_of_layer(store, place.code, "region")
    region_rows = layer_comparison(store, "region") if region else None
    records = []
    for indicator_id, meta in catalogue.iterrows():
        part = rows.loc[rows["indicator_id"] == indicator_id]
        if part.empty:
            continue
        own = part.loc[part["area_code"] == place.code]
        region_value = np.nan
        if region_rows is not None:
            r = region_rows.loc[(region_rows["indicator_id"] == indicator_id) & (region_rows["area_code"] == region)
                                & (region_rows["year"] == part["year"].iloc[0])]
            region_value = float(r["value"].iloc[0]) if len(r) else np.nan
        records.append(
            {
                "indicator_id": indicator_id, "indicator": meta["name"], "unit": meta["unit"],
                "decimals": int(meta["decimals"]), "polarity": meta["polarity"], "period": part["period"].iloc[0],
                "value": float(own["value"].iloc[0]) if len(own) else np.nan,
                "region_value": region_value,
                "country_value": float(part["country_value"].iloc[0]),
                "comparison": str(own["vs_country"].iloc[0]) if len(own) else "not compared",
                **spine_statistics(part["value"], meta["polarity"]),
                "n_areas": int(part["value"].notna().sum()),
            }
        )
    return pd.DataFrame.from_records(records)


def spine_chart_view(dx: Session):
    """The Fingertips spine chart: each measure for the place against the range of all areas of its layer."""
    # the chart modules load matplotlib: imported when a chart is drawn, so that the page (and the
    # summary, which asks it for its headline) loads light
    from diagnostics.render.charts import show_figure
    from diagnostics.render.fingertips import spine_chart

    if dx.country_code is None:
        return notice(f"{dx.place.name} is the whole country: a spine chart compares an area with the country.",
                      title="No spine chart")
    table = cached(per_place(dx, "health.spine"), lambda: spine_table(dx.store, dx.place))
    if table.empty:
        return notice("The store has no health measure for the areas of this layer.", title="No spine chart")
    n_areas = table["n_areas"]
    if mortality_unavailable_reason(dx.store) is None:
        source = f"{dx.store.source}; life expectancy and mortality computed from deaths and populations"
    else:
        sources = headline_table_of(dx).set_index("indicator_id")["source"].reindex(table["indicator_id"])
        source = f"{dx.store.source}: " + ", ".join(sorted(set(sources.dropna().astype(str))))
    fig = spine_chart(
        table,
        title=f"{dx.place.name}: health against every {dx.place.layer_label.lower()}",
        place_label=dx.place.name,
        country_label=dx.name_of(dx.country_code),
        region_label=region_name(dx),
        areas_label=(f"{int(n_areas.max())} areas of the layer" if n_areas.nunique() == 1 else
                     f"{int(n_areas.min())} to {int(n_areas.max())} areas of the layer (those published)"),
        source=source,
        period="latest period of each indicator (shown)",
    )
    missing = table.loc[table["value"].isna(), "indicator"].tolist()
    note = (f"<p class='pd-health-note'>No value for {html.escape(dx.place.name)}: {html.escape('; '.join(missing))} "
            "(see the headline table for the reason).</p>") if missing else ""
    return as_html(synthetic_banner(dx) + show_figure(fig, alt=f"Spine chart of health indicators for {dx.place.name}").data
                   + note)
