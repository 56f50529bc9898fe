"""The growth page's map: where the place's recent growth firms are.

Small areas (or neighbourhoods, or districts, whichever is the finest layer with at most
:data:`MAX_MAP_AREAS` areas in the place) shaded by growth firms per km², a kernel density surface,
firms grouped on a grid with their counts, each firm, and the Getis-Ord Gi* hot spots, each a layer
that can be switched on and off. Drawn with Leaflet inlined, no tiles: it works offline.
"""

from __future__ import annotations

import html
import math

import numpy as np

from diagnostics.render.chart_figures import ChartFigures, FigureColumn
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.sections.growth.analysis import (
    growth_page,
    place_hot_spots,
    recent_growth_firms,
    register_source,
)
from diagnostics.sections.growth.hot_spots import grid_clusters, kernel_density
from diagnostics.sections.growth.notices import guarded
from diagnostics.sections.growth.rates import small_area_assignment
from diagnostics.sections.growth.sectors import section_name
from diagnostics.sections.session import Session

__all__ = ["MAX_MAP_AREAS", "MAX_MAP_FIRMS", "growth_map"]

#: The most areas shaded on the map (a larger place is shaded by neighbourhood or district instead).
MAX_MAP_AREAS = 1500
#: The most firms drawn one by one on the map (all of them are in the clusters and the density).
MAX_MAP_FIRMS = 2000


def _shading_areas(dx: Session, place_sa: set):
    """The finest layer (small areas, neighbourhoods, districts) with at most MAX_MAP_AREAS areas in the place,
    and its boundaries there (None, None when no layer fits)."""
    available = set(dx.store.boundary_layers())
    for layer in ("small_area", "neighbourhood", "district"):
        if layer not in available:
            continue
        to_layer = small_area_assignment(dx.store, layer)
        codes = set(to_layer.reindex(list(place_sa)).dropna())
        if codes and len(codes) <= MAX_MAP_AREAS:
            shapes = dx.store.boundaries(layer)
            return layer, shapes.loc[shapes["code"].isin(codes)].copy()
    return None, None


@guarded
def growth_map(dx: Session):
    """The place's recent growth firms: small areas shaded by growth firms per km², a density
    surface, grid clusters with counts, each firm, and the Gi* hot spots (layers toggle)."""
    import folium
    import geopandas as gpd
    import matplotlib
    from matplotlib.colors import to_hex

    # render.maps loads folium (~1 s): here, not at the top, so that importing the growth page (the
    # summary does, for the headline) stays free of it
    from diagnostics.render.map_elements import HtmlMarkers
    from diagnostics.render.map_layers import feature_collection, prepare_layer
    from diagnostics.render.maps import choropleth_map
    from diagnostics.render.offline import show_map

    page = growth_page(dx)
    years = page.recent_years
    assignment = small_area_assignment(dx.store, dx.store.layer_of(dx.place.code))
    place_sa = set(assignment.index[assignment == dx.place.code])
    layer, areas = _shading_areas(dx, place_sa)
    if areas is None or areas.empty:
        return notice("The store has no boundaries to map this place's small areas, neighbourhoods or districts.",
                      title="Map")
    firms = recent_growth_firms(page)
    firms = firms.loc[firms["small_area_code"].isin(place_sa) & firms["x"].notna() & firms["y"].notna()]
    to_layer = small_area_assignment(dx.store, layer)
    km2 = areas.geometry.area / 1e6
    areas["growth_firms"] = areas["code"].map(firms["small_area_code"].astype(str).map(to_layer).value_counts()).fillna(0)
    areas["per_km2"] = (areas["growth_firms"] / km2).round(2)
    title = f"Growth firms in {dx.place.name}, windows ending {years[0]}-{years[-1]}"
    label = {"small_area": "small areas", "neighbourhood": "neighbourhoods", "district": "districts"}.get(layer, layer)
    m = choropleth_map(areas, "per_km2", title=title, legend_label=f"Growth firms per km² ({label})",
                       palette="cividis_r", value_format="{:,.2f}",
                       popup_columns={"name": "Area", "growth_firms": "Growth firms"})
    place_km2 = float(km2.sum())
    cluster_m = max(1000.0, 1000.0 * round(math.sqrt(place_km2 / 300)))

    if len(firms):
        bounds = areas.total_bounds
        grid = kernel_density(firms["x"], firms["y"], bounds, cell_m=250, bandwidth_m=600)
        grid = grid.loc[grid["density"] >= 0.05 * grid["density"].max()]
        half = grid["cell_m"].iloc[0] / 2 if len(grid) else 0
        cells = gpd.GeoDataFrame(grid, geometry=gpd.GeoSeries.from_xy(grid["x"], grid["y"], crs=27700).buffer(half, cap_style="square"),
                                 crs=27700)
        cmap = matplotlib.colormaps["magma_r"]
        top = float(grid["density"].max()) or 1.0
        cells["fill"] = [to_hex(cmap(0.1 + 0.8 * v / top)) for v in cells["density"]]
        cells["label"] = [f"{v:,.1f} growth firms per km²" for v in cells["density"]]
        density = folium.FeatureGroup(name="Density surface (kernel, 600 m)", show=False)
        folium.GeoJson(  # every layer as the choropleth's: 6 decimals (~0.1 m), no bounding box per feature
            feature_collection(prepare_layer(cells, ["fill", "label"], tolerance_m=0)),
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": f["properties"]["fill"],
                                      "weight": 0, "fillOpacity": 0.55},
            tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=["Density"]),
        ).add_to(density)
        density.add_to(m)

        points = gpd.GeoSeries.from_xy(firms["x"], firms["y"], crs=27700)
        clusters = grid_clusters(firms["x"], firms["y"], firms["name"].fillna(firms["firm_id"]), cell_m=cluster_m)
        centres = gpd.GeoSeries.from_xy(clusters["x"], clusters["y"], crs=27700).to_crs(4326)
        group = folium.FeatureGroup(name=f"Clusters ({cluster_m / 1000:.0f} km grid, count of firms)", show=True)
        counts = HtmlMarkers()
        for c, point in zip(clusters.itertuples(index=False), centres):
            size = int(18 + 6 * math.sqrt(c.count))
            # styled inline: the marker lives in the map's own document (an iframe), which the page's
            # stylesheet does not reach; its size is data (it grows with the count)
            counts.add(
                point.y, point.x,
                (f'<div style="width:{size}px;height:{size}px;line-height:{size}px;border-radius:50%;'
                 f'background:rgba(230,159,0,0.85);border:2px solid #5c4400;text-align:center;'
                 f'font:600 12px system-ui,sans-serif;color:#000">{c.count}</div>'),
                size=(size, size), anchor=(size // 2, size // 2),
                tooltip=html.escape(f"{c.count} growth firm(s): {c.labels}"),
            )
        counts.add_to(group)
        group.add_to(m)
        each = folium.FeatureGroup(name="Each growth firm", show=False)
        shown = firms.head(MAX_MAP_FIRMS)
        labels = [  # the tooltip shows them as HTML
            html.escape(f"{f.name} ({section_name(f.section)}); "
                        + (f"employment {f.employment_growth:+.0%} a year" if np.isfinite(f.employment_growth) else "")
                        + f"; window ending {f.end_year}")
            for f in shown.itertuples(index=False)
        ]
        # one layer of circle markers drawn from one GeoJSON, not one map element per firm
        folium.GeoJson(
            feature_collection(prepare_layer(
                gpd.GeoDataFrame({"label": labels}, geometry=points.iloc[: len(shown)].to_numpy(), crs=27700), ["label"], tolerance_m=0)),
            marker=folium.CircleMarker(radius=5, color="#000000", weight=1, fill=True, fill_color="#E69F00",
                                       fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(each)
        each.add_to(m)

    spots = place_hot_spots(dx).spots
    if spots is not None:
        shapes = dx.store.boundaries("small_area")
        hot = shapes.loc[shapes["code"].isin(spots.loc[(spots["spot"] == "hot") & spots["in_place"], "code"])]
        if len(hot):
            group = folium.FeatureGroup(name="Gi* hot spots (p < 0.05)", show=True)
            folium.GeoJson(feature_collection(prepare_layer(hot, ["name"], tolerance_m=0)),
                           style_function=lambda _f: {"color": "#D55E00", "weight": 3, "fill": False, "dashArray": "6 3"},
                           tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Hot spot"])).add_to(group)
            group.add_to(m)
    folium.LayerControl(position="topleft", collapsed=False).add_to(m)
    shown_each = "" if len(firms) <= MAX_MAP_FIRMS else f" (the first {MAX_MAP_FIRMS:,} by growth are drawn one by one)"
    note = (f"<p>{len(firms):,} growth firms{shown_each} (high-growth by employment or turnover in a window ending {years[0]} to "
            f"{years[-1]}) in {dx.place.name}. Clusters group firms by {cluster_m / 1000:.0f} km grid square (drawn here, not by a "
            "marker-clustering script, so the map works offline); the density surface and each firm can be switched "
            "on in the layer control; dashed vermillion outlines are Gi* hot spots.</p>")
    figures = ChartFigures(
        areas.drop(columns="geometry").sort_values(["per_km2", "name"], ascending=[False, True]),
        caption=(f"Growth firms in each of {dx.place.name}'s {label}, windows ending {years[0]}-{years[-1]}: how many, "
                 "and per km² (the map's shading), densest first. The hot spots are in the table of the view 'Hot spots'."),
        source=register_source(dx.store), period=f"windows ending {years[0]}-{years[-1]}",
        labels=[("name", "Area"), ("code", "Code")],
        values=[FigureColumn("growth_firms", "Growth firms", "count", 0), FigureColumn("per_km2", "Growth firms per km²", "", 2)])
    return as_html(synthetic_banner(dx) + note + show_map(m, height=560, title=title, data=figures).data
                   + source_line(register_source(dx.store), f"windows ending {years[0]}-{years[-1]}"))

