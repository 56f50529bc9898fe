"""Health: the spine chart, each measure of the place against the range of every area of its layer
(:func:`~diagnostics.sections.health.analysis.spine_table`)."""

from __future__ import annotations

import html

from diagnostics.cache import cached, per_place
from diagnostics.render.html import as_html, notice, synthetic_banner
from diagnostics.sections.health.analysis import spine_table
from diagnostics.sections.health.mortality import mortality_unavailable_reason
from diagnostics.sections.health.place_results import headline_table_of, region_name
from diagnostics.sections.session import Session

__all__ = ["spine_chart_view"]


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
    return as_html(synthetic_banner(dx) + show_figure(fig, alt=f"Spine chart of health indicators for {dx.place.name}", table="Headline health").data
                   + note)
