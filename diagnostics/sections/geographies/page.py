"""The geographies section: the place seen through every boundary that matters
(``notebooks/30_geographies.ipynb``).

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell shows;
the analysis lives in :mod:`diagnostics.geography` and is computed once per session (``dx.memo``).
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography import overlaps
from diagnostics.geography.apportion import compare_methods
from diagnostics.geography.lookups import (
    layer_links,
    overlap_layers,
    place_small_areas,
    population_basis,
)
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.sections.notebooks import NotebookSpec

__all__ = [
    "VIEWS",
    "WORKED_EXAMPLE_INDICATOR",
    "boundaries_map",
    "layer_sentences",
    "coterminosity_table",
    "overlap_table",
    "custom_boundary_note",
    "worked_example",
    "layer_sentence",
]

#: The indicator of the worked example (a health indicator published with numerators).
WORKED_EXAMPLE_INDICATOR = "smoking_prevalence"

#: The most areas of one layer drawn on the map (wards of a big county would swamp it).
MAX_MAP_AREAS = 150

_SPLIT_COLOUR = "#D55E00"  # vermillion (Okabe-Ito), always with a dashed outline and a label


def _pct(share: float) -> str:
    if share is None or pd.isna(share):
        return "–"
    value = 100 * float(share)
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


def _analysis(dx) -> dict:
    """The overlap table and scores of the place, once per session; ``{"error": text}`` when impossible."""

    def compute() -> dict:
        try:
            layers = [layer for layer in overlap_layers(dx.store) if layer not in ("small_area", dx.place.layer)]
            if not layers:
                return {"error": "the store has lookups from small areas to no layer other than the place's own"}
            if place_small_areas(dx.store, dx.place).empty:
                return {"error": f"the store's lookups give {dx.place.name} no small areas"}
            table = overlaps.overlap_table(dx.store, dx.place, layers)
            return {"table": table, "scores": overlaps.coterminosity(dx.store, dx.place, table=table)}
        except InvalidParameter as err:
            return {"error": str(err)}

    return cached(per_place(dx, "geography.analysis"), compute)


def _unavailable(dx, result: dict):
    return notice(
        f"The overlaps of {dx.place.name} cannot be worked out: {result['error']}. A store needs small-area "
        "populations and the lookups from small areas to each layer (see data/README.md).",
        title="Overlaps not available",
    )


def _counts_small_areas(dx) -> bool:
    """Whether the store has no populations, so overlaps count small areas instead of residents."""
    return population_basis(dx.store) == "small areas"


#: Without populations every "residents" of the wording becomes a count of small areas.
_SMALL_AREA_WORDS = (("residents-weighted", "small-area-count-weighted"),
                     ("Residents from small-area populations and the lookups' weights", "Small areas counted through the lookups"),
                     ("Residents", "Small areas"),
                     ("residents", "small areas"))


def _words(dx, text: str) -> str:
    """``text`` as it must read for this store: about small areas when the store has no populations."""
    if _counts_small_areas(dx):
        for old, new in _SMALL_AREA_WORDS:
            text = text.replace(old, new)
    return text


def _basis_note(dx) -> str:
    """A line saying what the overlaps count when it is not residents ('' otherwise)."""
    if not _counts_small_areas(dx):
        return ""
    return ("<p class='pd-basis' style='font-size:0.9em'><strong>Counted in small areas, not residents:</strong> "
            "the store has no small-area populations, so each small area (LSOA, built to hold 1,000 to 3,000 people) "
            "counts once. Shares are shares of small areas; import the ONS small-area population estimates "
            "(or rebuild the store with a population table, see data/README.md) to weight them by residents.</p>")


def _source(dx, what: str) -> str:
    year = None
    result = _analysis(dx)
    if "table" in result and not result["table"].empty:
        first = result["table"]["year"].iloc[0]
        year = None if first is None or pd.isna(first) else str(first)
    if _counts_small_areas(dx):
        what = what.replace("small-area populations", "small-area counts")
    return source_line(f"{dx.store.source} ({dx.store.vintage}): {what}", f"residents {year}" if year else None)


# --------------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------------


def layer_sentence(place_name: str, score: pd.Series, rows: pd.DataFrame) -> str:
    """One plain-English sentence on how the place sits in one layer.

    Parameters
    ----------
    place_name : str
    score : Series
        The layer's row of :func:`diagnostics.geography.overlaps.coterminosity`.
    rows : DataFrame
        The layer's rows of :func:`diagnostics.geography.overlaps.overlap_table`, biggest first.

    >>> score = pd.Series({"layer_label": "Health area (ICB)", "relationship": "split between 2 areas"})
    >>> rows = pd.DataFrame({"area_name": ["Health Area North", "Health Area East"],
    ...                      "place_share": [0.82, 0.18], "area_share": [0.2, 0.05], "population": [82, 18]})
    >>> layer_sentence("Radworth", score, rows)
    "Health area (ICB): 82% of Radworth's residents are in Health Area North; the other 18% are in Health Area East."
    """
    label = score["layer_label"]
    people = rows.loc[rows["population"] > 0]
    if people.empty:
        return f"{label}: none of {place_name}'s residents are in an area of this layer."
    first = people.iloc[0]
    if score["relationship"] == "inside one area":
        return (
            f"{label}: all of {place_name}'s residents are in {first['area_name']}, "
            f"where they are {_pct(first['area_share'])} of its residents."
        )
    if score["relationship"] == "made of whole areas":
        return f"{label}: {place_name} is made of {len(people)} whole areas, so its figures add up exactly from theirs."
    parts = [f"{_pct(first['place_share'])} of {place_name}'s residents are in {first['area_name']}"]
    rest = people.iloc[1:]
    if len(rest) == 1:
        parts.append(f"the other {_pct(rest['place_share'].iloc[0])} are in {rest['area_name'].iloc[0]}")
    else:
        shown = rest.head(3)
        listed = ", ".join(f"{_pct(s)} in {n}" for n, s in zip(shown["area_name"], shown["place_share"]))
        others = rest.iloc[3:]
        if not others.empty:
            listed += f" and {_pct(others['place_share'].sum())} in {len(others)} more"
        parts.append(f"the other {_pct(rest['place_share'].sum())} are spread over {len(rest)} areas ({listed})")
    return f"{label}: " + "; ".join(parts) + "."


def layer_sentences(dx):
    """A sentence per layer in plain English, messiest layer first."""
    result = _analysis(dx)
    if "error" in result:
        return _unavailable(dx, result)
    table, scores = result["table"], result["scores"]
    items = []
    for _, score in scores.iterrows():
        rows = table.loc[table["layer"] == score["layer"]]
        sentence = layer_sentence(dx.place.name, score, rows)
        messy = score["relationship"].startswith("split")
        style = f"border-left:4px solid {_SPLIT_COLOUR};padding-left:6px" if messy else "padding-left:10px"
        flag = "<strong>Split.</strong> " if messy else ""
        items.append(f"<li style='{style};margin:4px 0'>{flag}{html.escape(sentence)}</li>")
    split = scores.loc[scores["relationship"].str.startswith("split")]
    lead = (
        f"{dx.place.name} is split by {len(split)} of the {len(scores)} other geographies: "
        + ", ".join(label[:1].lower() + label[1:] if not label[:3].isupper() else label for label in split["layer_label"])
        + ". Figures published for those areas do not describe the place, and the place's own figures cannot be "
        "added up from theirs."
        if not split.empty
        else f"{dx.place.name} lines up with every other geography: each area either contains it or lies wholly inside it."
    )
    return as_html(
        synthetic_banner(dx)
        + _words(dx, f"<p>{html.escape(lead)}</p><ul style='list-style:none;padding-left:0'>{''.join(items)}</ul>")
        + _basis_note(dx)
        + _source(dx, "small-area populations and lookups")
    )


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------


def _table_page(dx, frame: pd.DataFrame, caption: str, sources: str):
    """``frame`` as a captioned table, worded for the store, with the basis note and the source line."""
    from diagnostics.render.tables import html_table

    return as_html(synthetic_banner(dx) + _words(dx, html_table(frame, caption)) + _basis_note(dx)
                   + _source(dx, sources))


def coterminosity_table(dx):
    """One coterminosity score per layer (1 = the boundaries line up), messiest first."""
    result = _analysis(dx)
    if "error" in result:
        return _unavailable(dx, result)
    s = result["scores"]
    frame = pd.DataFrame(
        {
            "Geography": s["layer_label"],
            "Coterminosity (residents)": s["coterminosity"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}"),
            "Coterminosity (land)": s["land_coterminosity"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}"),
            "Areas": s["n_areas"],
            "Relationship": s["relationship"],
            "Main area": s["main_area_name"],
            "Residents in main area": s["main_place_share"].map(_pct),
            "Residents elsewhere": s["population_outside_main"].map(lambda v: f"{v:,.0f}"),
            "Split small areas": s["n_split_small_areas"],
        }
    )
    caption = (
        "Coterminosity: the residents-weighted share of the smaller of the place and each of its areas that their "
        "overlap covers (1 = every area either contains the place or lies wholly inside it; a place split 70/30 "
        "between two larger areas scores 0.58). Split small areas: small areas cut by a boundary (lookup weight "
        "below 1)."
    )
    return _table_page(dx, frame, caption, "lookups and boundaries")


def overlap_table(dx):
    """Every area the place overlaps, both ways, by residents and by land, messiest layer first."""
    result = _analysis(dx)
    if "error" in result:
        return _unavailable(dx, result)
    t = result["table"]
    frame = pd.DataFrame(
        {
            "Geography": t["layer_label"],
            "Area": t["area_name"],
            "Code": t["area_code"],
            "Shared residents": t["population"].map(lambda v: f"{v:,.0f}"),
            "Share of the place's residents": t["place_share"].map(_pct),
            "Share of the area's residents": t["area_share"].map(_pct),
            "Share of the place's land": t["land_place_share"].map(_pct),
            "Share of the area's land": t["land_area_share"].map(_pct),
            "Small areas": t["n_small_areas"],
            "Split small areas": t["n_split_small_areas"],
        }
    )
    caption = (
        f"{dx.place.name} ({t['place_population'].iloc[0]:,.0f} residents) against each area of every other geography. "
        "Residents from small-area populations and the lookups' weights; land from the boundaries (British National Grid)."
    )
    return _table_page(dx, frame, caption, "small-area populations, lookups, boundaries")


# --------------------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------------------


def _clip_box(shape, margin: float = 0.25):
    from shapely.geometry import box

    minx, miny, maxx, maxy = shape.bounds
    pad = margin * max(maxx - minx, maxy - miny, 1000.0)
    return box(minx - pad, miny - pad, maxx + pad, maxy + pad)


def boundaries_map(dx):
    """The place with every geography it touches as a toggleable overlay, split small areas highlighted.

    Each layer's areas that share residents or land with the place are drawn (clipped to a frame
    around the place), with popups giving their name, code and the two overlap shares.
    """
    import folium

    from diagnostics.render import maps

    result = _analysis(dx)
    if "error" in result:
        return _unavailable(dx, result)
    store, place = dx.store, dx.place
    if place.layer not in store.boundary_layers():
        return notice(f"The store has no boundaries for the layer {place.layer!r}, so the map cannot be drawn.",
                      title="Map not available")
    own = store.boundaries(place.layer)
    own = own.loc[own["code"] == place.code]
    if own.empty:
        return notice(f"The store has no boundary for {place.label}, so the map cannot be drawn.", title="Map not available")
    frame = _clip_box(own.geometry.iloc[0])
    table, scores = result["table"], result["scores"]
    tolerance = maps.DEFAULT_TOLERANCE_M

    prepared_place = maps.prepare_layer(own, ("code", "name"), tolerance)
    m = maps.blank_map(maps.fit_bounds(prepared_place), f"{place.name}: every geography")
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
        shapes["of_place"] = shapes["place_share"].map(_pct)
        shapes["of_area"] = shapes["area_share"].map(_pct)
        prepared = maps.prepare_layer(shapes, ("code", "name", "of_place", "of_area"), tolerance)
        colour = colours[i % len(colours)]
        label = layer_label(layer)
        folium.GeoJson(
            maps.feature_collection(prepared),
            name=f"{label} ({len(shapes)})",
            overlay=True,
            show=layer in messiest,
            style_function=lambda _f, colour=colour: {"color": colour, "weight": 2.5, "fillColor": colour, "fillOpacity": 0.1},
            highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.3},
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[label]),
            popup=folium.GeoJsonPopup(
                fields=["name", "code", "of_place", "of_area"],
                aliases=[label, "Code", _words(dx, f"Share of {place.name}'s residents"),
                         _words(dx, f"Share of its residents in {place.name}")],
            ),
        ).add_to(m)
    place_layer = prepared_place.assign(population=f"{table['place_population'].iloc[0]:,.0f}")
    folium.GeoJson(
        maps.feature_collection(place_layer),
        name=f"{place.name} (the place)",
        overlay=True,
        style_function=lambda _f: {"color": "#000000", "weight": 3.5, "fill": False, "dashArray": None},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Place"]),
        popup=folium.GeoJsonPopup(fields=["name", "code", "population"], aliases=["Place", "Code", _words(dx, "Residents")]),
    ).add_to(m)
    split = _split_small_area_shapes(dx)
    if split is not None and not split.empty:
        folium.GeoJson(
            maps.feature_collection(maps.prepare_layer(split, ("code", "name", "cut_by"), tolerance)),
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
    return _map_with_caption(dx, m, caption)


def _map_with_caption(dx, m, caption: str):
    from diagnostics.render import maps

    shown = maps.show_map(m, height=520, title=f"{dx.place.name}: every geography")
    return _Together(synthetic_banner(dx), shown, f"<p style='font-size:0.9em'>{html.escape(caption)}</p>"
                     + _basis_note(dx) + _source(dx, "boundaries and lookups"))


class _Together:
    """Several displayables shown as one cell output (HTML before and after a map)."""

    def __init__(self, before: str, middle, after: str):
        self.before, self.middle, self.after = before, middle, after

    def _repr_html_(self) -> str:
        inner = self.middle._repr_html_() if hasattr(self.middle, "_repr_html_") else str(self.middle)
        return self.before + inner + self.after


def _split_small_area_shapes(dx):
    """The place's small areas that some layer's boundary cuts, with the layers cutting each."""
    store, place = dx.store, dx.place
    if "small_area" not in store.boundary_layers():
        return None
    own = place_small_areas(store, place)
    cut: dict[str, list[str]] = {}
    for layer in overlap_layers(store):
        if layer in ("small_area",):
            continue
        links = layer_links(store, layer)
        links = links.loc[links["small_area_code"].isin(own.index) & (links["weight"] < 1 - 1e-9)]
        for code in links["small_area_code"].unique():
            cut.setdefault(code, []).append(layer_label(layer))
    cut.update({code: cut.get(code, []) + ["the place's own boundary"] for code in own.index[own < 1 - 1e-9]})
    shapes = store.boundaries("small_area")
    for code in _cut_by_outline(store, place, shapes):
        if "the place's own boundary" not in cut.get(code, []):
            cut.setdefault(code, []).append("the place's own boundary")
    if not cut:
        return None
    shapes = shapes.loc[shapes["code"].isin(list(cut))].copy()
    shapes["cut_by"] = shapes["code"].map(lambda c: ", ".join(cut[c]))
    return shapes


# --------------------------------------------------------------------------------------------------
# The worked example: how much the method matters
# --------------------------------------------------------------------------------------------------


def _worked_example(dx) -> dict:
    def compute() -> dict:
        store, place = dx.store, dx.place
        indicator = WORKED_EXAMPLE_INDICATOR
        needed = {"district", "health_area", "small_area"}
        if not needed <= set(store.layers) or not store.has_table("indicators"):
            return {"error": "the store lacks districts, health areas or small areas"}
        if store.indicator_values(indicator).empty:
            return {"error": f"the store holds no {indicator} rows"}
        result = _analysis(dx)
        if "error" in result:
            return result
        table = result["table"]
        health = table.loc[table["layer"] == "health_area", "area_code"].tolist()
        try:
            down = compare_methods(store, indicator, "district", "health_area", codes=health or None)
            up = None
            if place.layer == "district":
                up = compare_methods(store, indicator, "health_area", "district", codes=[place.code])
        except InvalidParameter as err:
            return {"error": str(err)}
        return {"down": down, "up": up, "indicator": indicator}

    return cached(per_place(dx, "geography.worked_example"), compute)


def _method_rows(frame: pd.DataFrame, unit: str, decimals: int) -> pd.DataFrame:
    from diagnostics.render.numbers import format_interval, format_value

    return pd.DataFrame(
        {
            "Area": frame["area_name"],
            "Method": frame["method_label"],
            "Value": [format_value(v, unit, decimals) for v in frame["value"]],
            "95% interval": [format_interval(lo, hi, "", decimals) for lo, hi in zip(frame["lower_ci"], frame["upper_ci"])],
            "Difference from the small-area build": [
                "–" if pd.isna(d) else f"{d:+.{decimals + 1}f}" for d in frame["difference"]
            ],
            "Share of weight from split areas": frame["split_share"].map(_pct),
        }
    )


def worked_example(dx):
    """A health indicator built four ways (published, from small areas, apportioned by residents or land)."""
    from diagnostics.render.tables import html_table

    result = _worked_example(dx)
    if "error" in result:
        reason = result["error"].rstrip(". ")
        real = "" if dx.store.is_synthetic else (
            " Published real data gives this indicator for districts only (smoking: ONS Annual Population Survey), "
            "so on a real store the example needs small-area counts of your own (a numerator and denominator per "
            "LSOA, added to the store's indicators table as data/README.md describes)."
        )
        return notice(
            f"The worked example cannot be shown: {reason}. It needs small-area and district rows of "
            f"{WORKED_EXAMPLE_INDICATOR} with numerators and denominators, and health areas.{real}",
            title="Worked example not available",
        )
    store = dx.store
    meta = store.catalogue.loc[result["indicator"]]
    unit, decimals = meta["unit"], int(meta["decimals"])
    down, up = result["down"], result["up"]
    parts = [synthetic_banner(dx)]
    intro = (
        f"{meta['name']} is published for districts. A health area made of parts of several districts has no "
        "district figure of its own: it can be apportioned from the districts (assuming smokers are spread like "
        "residents, or like land), or built from small-area counts. The table shows the difference."
    )
    parts.append(f"<p>{html.escape(intro)}</p>")
    parts.append(html_table(_method_rows(down, unit, decimals),
                            f"{meta['name']} ({unit}), {down['period'].iloc[0]}, for the health areas {dx.place.name} is in."))
    apportioned = down.loc[down["method"].isin(["population", "area"])]
    if not apportioned.empty:
        worst = apportioned.loc[apportioned["difference"].abs().idxmax()]
        parts.append(
            "<p>"
            + html.escape(
                f"The largest gap: {worst['method_label']} gives {worst['area_name']} "
                f"{worst['value']:.{decimals}f} against {worst['value'] - worst['difference']:.{decimals}f} "
                f"built from small areas ({worst['difference']:+.{decimals + 1}f}); "
                f"{_pct(worst['split_share'])} of its residents or land came from districts it shares."
            )
            + "</p>"
        )
    if up is not None and not up.empty:
        parts.append(
            "<p>"
            + html.escape(
                f"The other way round: had {meta['short_name'] if isinstance(meta['short_name'], str) and meta['short_name'] else meta['name']} "
                f"been published only for health areas, {dx.place.name}'s own figure would have to be apportioned from them:"
            )
            + "</p>"
        )
        parts.append(html_table(_method_rows(up, unit, decimals),
                                f"{dx.place.name}: published, built from small areas, and apportioned from health areas."))
        own = up.loc[up["method"] == "population"]
        if not own.empty:
            gap = own["difference"].iloc[0]
            base = own["value"].iloc[0] - gap
            lo, hi = up.loc[up["method"] == "small_areas", ["lower_ci", "upper_ci"]].iloc[0]
            inside = lo <= own["value"].iloc[0] <= hi
            parts.append(
                "<p>"
                + html.escape(
                    f"Apportioned from health areas by residents, {dx.place.name} would read {own['value'].iloc[0]:.{decimals}f} "
                    f"instead of {base:.{decimals}f} ({gap:+.{decimals + 1}f}), "
                    + ("within" if inside else "outside")
                    + " the interval of its own figure: "
                    + ("here the method changes little." if inside else "here the method changes the conclusion.")
                )
                + "</p>"
            )
    parts.append(_source(dx, f"{meta['name']} ({meta['source']}); small-area populations and lookups"))
    return as_html("".join(parts))


# --------------------------------------------------------------------------------------------------
# A user's own boundary
# --------------------------------------------------------------------------------------------------


def custom_boundary_note(dx):
    """For a place drawn by the user: how its boundary was matched to small areas and what that misplaces."""
    info = dx.store.manifest.get("custom_places", {}).get(dx.place.code)
    if not info:
        return as_html(
            "<p>"
            + html.escape(
                f"{dx.place.name} is an area of the store's own {dx.place.layer_label.lower()} layer. To run the "
                "diagnostic for a boundary of your own (a town centre, a neighbourhood, a hospital catchment), use "
                "`place-diagnostic run --boundary my_area.geojson --name \"Town centre\"`."
            )
            + "</p>"
        )
    lines = [
        f"{dx.place.name} was drawn from the file {info['file']} and matched to {info['n_small_areas']:,} small areas "
        f"by best fit (each small area whose representative point lies inside the boundary).",
        f"{_pct(info['misplaced_share'])} of the residents counted are misplaced by best fit: about "
        f"{info['residents_outside']:,.0f} counted live outside the boundary and about {info['residents_left_out']:,.0f} "
        "living inside it are in small areas counted elsewhere (assuming residents are spread evenly over each "
        "small area's land).",
        "Its indicators are built from small-area counts (numerators and denominators summed, intervals "
        f"recomputed); it is compared with {dx.comparator_method}.",
    ]
    for note in info.get("notes", []):
        lines.append(note)
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return as_html(synthetic_banner(dx) + f"<ul>{items}</ul>")


#: The section's views in page order: (heading, view).
VIEWS = (
    ("Every geography at once", boundaries_map),
    ("How the place sits in each geography", layer_sentences),
    ("Coterminosity", coterminosity_table),
    ("Overlaps, both ways", overlap_table),
    ("How much the method matters", worked_example),
    ("Your own boundary", custom_boundary_note),
)


NOTEBOOK = NotebookSpec(
    intro=(
        "How the place sits in every boundary that matters (councils, the NHS, police, travel to work, "
        "economic partnerships, universities), and how much moving data between them matters."
    ),
)


def _cut_by_outline(store, place, shapes) -> list[str]:
    """Small areas whose land the place's drawn outline divides (between 1% and 99% inside it).

    For a user's own boundary the lookups hold whole small areas (best fit), so the outline is the
    only evidence of the small areas it cuts.
    """
    import shapely

    if place.layer not in store.boundary_layers():
        return []
    own = store.boundaries(place.layer)
    own = own.loc[own["code"] == place.code]
    if own.empty:
        return []
    outline = own.geometry.iloc[0]
    hits = shapes.sindex.query(outline.boundary, predicate="intersects")
    if not len(hits):
        return []
    geoms = shapes.geometry.values[hits]
    inside = shapely.area(shapely.intersection(geoms, outline)) / shapely.area(geoms)
    cut = (inside > 0.01) & (inside < 0.99)
    return shapes["code"].to_numpy()[hits][cut].tolist()
