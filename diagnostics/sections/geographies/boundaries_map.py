"""The geographies page's map: the place with every geography it touches as a toggleable overlay."""

from __future__ import annotations

import html

import folium
from shapely.geometry import box

from diagnostics.conventions import layer_label
from diagnostics.render import map_layers, maps
from diagnostics.render.html import notice, synthetic_banner
from diagnostics.render.numbers import format_share, format_value
from diagnostics.render.offline import show_map
from diagnostics.sections.geographies.analysis import geography_analysis, split_small_areas
from diagnostics.sections.geographies.narrative import counting
from diagnostics.sections.geographies.notes import basis_note, geography_source, overlaps_unavailable
from diagnostics.sections.session import Session

__all__ = ["MAX_MAP_AREAS", "boundaries_map"]

#: The most areas of one layer drawn on the map (wards of a big county would swamp it).
MAX_MAP_AREAS = 150

_SPLIT_COLOUR = "#D55E00"  # vermillion (Okabe-Ito), always with a dashed outline and a label


def _clip_box(shape, margin: float = 0.25):
    """A box around ``shape``, wider on each side by ``margin`` of its larger extent (at least 1 km, in metres)."""
    minx, miny, maxx, maxy = shape.bounds
    pad = margin * max(maxx - minx, maxy - miny, 1000.0)
    return box(minx - pad, miny - pad, maxx + pad, maxy + pad)


class _Together:
    """Several displayables shown as one cell output (HTML before and after a map)."""

    def __init__(self, before: str, middle, after: str):
        self.before, self.middle, self.after = before, middle, after

    def _repr_html_(self) -> str:
        inner = self.middle._repr_html_() if hasattr(self.middle, "_repr_html_") else str(self.middle)
        return self.before + inner + self.after


def boundaries_map(dx: Session):
    """The place with every geography it touches as a toggleable overlay, split small areas highlighted.

    Each layer's areas that share residents or land with the place are drawn (clipped to a frame
    around the place), with popups giving their name, code and the two overlap shares.
    """
    overlaps = geography_analysis(dx)
    if overlaps.problem:
        return overlaps_unavailable(dx, overlaps.problem)
    store, place = dx.store, dx.place
    if place.layer not in store.boundary_layers():
        return notice(f"The store has no boundaries for the layer {place.layer!r}, so the map cannot be drawn.",
                      title="Map not available")
    own = store.boundaries(place.layer)
    own = own.loc[own["code"] == place.code]
    if own.empty:
        return notice(f"The store has no boundary for {place.label}, so the map cannot be drawn.", title="Map not available")
    frame = _clip_box(own.geometry.iloc[0])
    table, scores = overlaps.table, overlaps.scores
    counted = counting(store)
    tolerance = map_layers.DEFAULT_TOLERANCE_M

    prepared_place = map_layers.prepare_layer(own, ("code", "name"), tolerance)
    m = map_layers.blank_map(map_layers.fit_bounds(prepared_place), f"{place.name}: every geography")
    colours = [c for c in maps.LAYER_COLOURS if c != "#000000"]  # black is the place's outline
    messiest = scores.loc[scores["relationship"].str.startswith("split"), "layer"].head(2).tolist()
    for i, layer in enumerate(scores["layer"]):
        if layer not in store.boundary_layers():
            continue
        rows = table.loc[table["layer"] == layer].head(MAX_MAP_AREAS)
        shapes = store.boundaries(layer)
        shapes = shapes.loc[shapes["code"].isin(rows["area_code"])].merge(
            rows[["area_code", "place_share", "area_share", "land_place_share"]], left_on="code", right_on="area_code"
        )
        if shapes.empty:
            continue
        shapes = shapes.set_geometry(shapes.geometry.intersection(frame))
        shapes = shapes.loc[~shapes.geometry.is_empty]
        shapes["of_place"] = shapes["place_share"].map(format_share)
        shapes["of_area"] = shapes["area_share"].map(format_share)
        prepared = map_layers.prepare_layer(shapes, ("code", "name", "of_place", "of_area"), tolerance)
        colour = colours[i % len(colours)]
        label = layer_label(layer)
        folium.GeoJson(
            map_layers.feature_collection(prepared),
            name=f"{label} ({len(shapes)})",
            overlay=True,
            show=layer in messiest,
            style_function=lambda _f, colour=colour: {"color": colour, "weight": 2.5, "fillColor": colour, "fillOpacity": 0.1},
            highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.3},
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[label]),
            popup=folium.GeoJsonPopup(
                fields=["name", "code", "of_place", "of_area"],
                aliases=[label, "Code", f"Share of {place.name}'s {counted.noun}",
                         f"Share of its {counted.noun} in {place.name}"],
            ),
        ).add_to(m)
    place_layer = prepared_place.assign(population=format_value(table["place_population"].iloc[0], "", 0))
    folium.GeoJson(
        map_layers.feature_collection(place_layer),
        name=f"{place.name} (the place)",
        overlay=True,
        style_function=lambda _f: {"color": "#000000", "weight": 3.5, "fill": False, "dashArray": None},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Place"]),
        popup=folium.GeoJsonPopup(fields=["name", "code", "population"], aliases=["Place", "Code", counted.noun.capitalize()]),
    ).add_to(m)
    split = split_small_areas(dx)
    if split is not None and not split.empty:
        folium.GeoJson(
            map_layers.feature_collection(map_layers.prepare_layer(split, ("code", "name", "cut_by"), tolerance)),
            name=f"Small areas split by a boundary ({len(split)})",
            overlay=True,
            style_function=lambda _f: {"color": _SPLIT_COLOUR, "weight": 2, "dashArray": "4 3",
                                       "fillColor": _SPLIT_COLOUR, "fillOpacity": 0.45},
            tooltip=folium.GeoJsonTooltip(fields=["name", "cut_by"], aliases=["Split small area", "Cut by"]),
            popup=folium.GeoJsonPopup(fields=["name", "code", "cut_by"], aliases=["Small area", "Code", "Cut by"]),
        ).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    n_split = 0 if split is None else len(split)
    caption = (
        "Tick a geography in the box at the top right to show it; click an area for its overlap shares. "
        + (f"{n_split} small area(s) of {place.name} are cut by a boundary (dashed, shaded)."
           if n_split else f"No small area of {place.name} is cut by any of these boundaries: they all follow small-area edges.")
    )
    shown = show_map(m, height=520, title=f"{place.name}: every geography", table="Overlaps, both ways")
    return _Together(synthetic_banner(dx), shown, f"<p class='pd-map-caption'>{html.escape(caption)}</p>"
                     + basis_note(counted) + geography_source(dx, "boundaries and lookups"))
