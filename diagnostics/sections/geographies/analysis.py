"""The geographies of one place, computed once per session: the typed results the page's views render.

- :func:`geography_analysis`: how the place overlaps the areas of every other layer, and one
  coterminosity score per layer (:class:`GeographyAnalysis`, from :mod:`diagnostics.geography.overlaps`);
- :func:`method_comparison`: the worked example, an indicator built four ways for the health areas the
  place is in and, for a district, for the place itself (:class:`MethodComparison`, from
  :func:`diagnostics.geography.apportion.compare_methods`);
- :func:`split_small_areas`: the place's small areas that some boundary cuts, with the layers cutting each.

A result the data cannot support carries the reason (``problem``) for the page to show; nothing here
raises for missing data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from diagnostics.cache import cached, per_place
from diagnostics.conventions import layer_label
from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.apportion import compare_methods
from diagnostics.geography.lookups import layer_links, overlap_layers, place_small_areas
from diagnostics.geography.overlaps import coterminosity, overlap_table
from diagnostics.sections.session import Session

__all__ = [
    "WORKED_EXAMPLE_INDICATOR",
    "OWN_BOUNDARY",
    "GeographyAnalysis",
    "MethodComparison",
    "geography_analysis",
    "method_comparison",
    "split_small_areas",
]

#: The indicator of the worked example (a health indicator published with numerators).
WORKED_EXAMPLE_INDICATOR = "smoking_prevalence"

#: How :func:`split_small_areas` names the place's own boundary among the boundaries cutting a small area.
OWN_BOUNDARY = "the place's own boundary"

#: A lookup weight below 1 by more than this marks a small area split by a boundary.
_WHOLE = 1 - 1e-9


@dataclass(frozen=True)
class GeographyAnalysis:
    """How the place sits in every other layer, or why that cannot be worked out.

    Attributes
    ----------
    table : DataFrame or None
        :func:`diagnostics.geography.overlaps.overlap_table` of the place and every other layer.
    scores : DataFrame or None
        :func:`diagnostics.geography.overlaps.coterminosity` of the same, messiest layer first.
    problem : str
        Why there are no overlaps (for people); '' when there are.
    """

    table: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None
    problem: str = ""

    @property
    def population_year(self) -> str | None:
        """The year of the populations the overlaps count (None without populations or overlaps)."""
        if self.table is None or self.table.empty:
            return None
        first = self.table["year"].iloc[0]
        return None if first is None or pd.isna(first) else str(first)


def geography_analysis(dx: Session) -> GeographyAnalysis:
    """The overlap table and coterminosity scores of the place, once per place."""

    def compute() -> GeographyAnalysis:
        try:
            layers = [layer for layer in overlap_layers(dx.store) if layer not in ("small_area", dx.place.layer)]
            if not layers:
                return GeographyAnalysis(problem="the store has lookups from small areas to no layer other than the place's own")
            if place_small_areas(dx.store, dx.place).empty:
                return GeographyAnalysis(problem=f"the store's lookups give {dx.place.name} no small areas")
            table = overlap_table(dx.store, dx.place, layers)
            return GeographyAnalysis(table, coterminosity(dx.store, dx.place, table=table))
        except InvalidParameter as err:
            return GeographyAnalysis(problem=str(err))

    return cached(per_place(dx, "geography.analysis"), compute)


@dataclass(frozen=True)
class MethodComparison:
    """The worked example: one indicator built four ways, or why it cannot be.

    Attributes
    ----------
    indicator : str
        The indicator's id (:data:`WORKED_EXAMPLE_INDICATOR`).
    down : DataFrame or None
        :func:`~diagnostics.geography.apportion.compare_methods` from districts to the health areas
        the place is in (every health area when the place is in none).
    up : DataFrame or None
        The same from health areas to the place, when the place is a district; else None.
    problem : str
        Why there is no example (for people); '' when there is one.
    """

    indicator: str
    down: pd.DataFrame | None = None
    up: pd.DataFrame | None = None
    problem: str = ""


def method_comparison(dx: Session) -> MethodComparison:
    """The worked example of :data:`WORKED_EXAMPLE_INDICATOR`, once per place."""

    def compute() -> MethodComparison:
        store, place = dx.store, dx.place
        indicator = WORKED_EXAMPLE_INDICATOR
        if not {"district", "health_area", "small_area"} <= set(store.layers) or not store.has_table("indicators"):
            return MethodComparison(indicator, problem="the store lacks districts, health areas or small areas")
        if store.indicator_values(indicator).empty:
            return MethodComparison(indicator, problem=f"the store holds no {indicator} rows")
        overlaps = geography_analysis(dx)
        if overlaps.problem:
            return MethodComparison(indicator, problem=overlaps.problem)
        health = overlaps.table.loc[overlaps.table["layer"] == "health_area", "area_code"].tolist()
        try:
            down = compare_methods(store, indicator, "district", "health_area", codes=health or None)
            up = None
            if place.layer == "district":
                up = compare_methods(store, indicator, "health_area", "district", codes=[place.code])
        except InvalidParameter as err:
            return MethodComparison(indicator, problem=str(err))
        return MethodComparison(indicator, down, up)

    return cached(per_place(dx, "geography.worked_example"), compute)


def split_small_areas(dx: Session):
    """The place's small areas that some layer's boundary cuts, with the layers cutting each.

    Returns
    -------
    GeoDataFrame or None
        The store's small-area boundaries of those small areas, with ``cut_by`` (the layers' labels,
        and :data:`OWN_BOUNDARY` when the place's own boundary cuts it, comma-separated); None when the
        store has no small-area boundaries or no boundary cuts a small area of the place.
    """
    store, place = dx.store, dx.place
    if "small_area" not in store.boundary_layers():
        return None
    own = place_small_areas(store, place)
    cut: dict[str, list[str]] = {}
    for layer in overlap_layers(store):
        if layer == "small_area":
            continue
        links = layer_links(store, layer)
        links = links.loc[links["small_area_code"].isin(own.index) & (links["weight"] < _WHOLE)]
        for code in links["small_area_code"].unique():
            cut.setdefault(code, []).append(layer_label(layer))
    cut.update({code: cut.get(code, []) + [OWN_BOUNDARY] for code in own.index[own < _WHOLE]})
    shapes = store.boundaries("small_area")
    for code in _cut_by_outline(store, place, shapes):
        if OWN_BOUNDARY not in cut.get(code, []):
            cut.setdefault(code, []).append(OWN_BOUNDARY)
    if not cut:
        return None
    shapes = shapes.loc[shapes["code"].isin(list(cut))].copy()
    shapes["cut_by"] = shapes["code"].map(lambda c: ", ".join(cut[c]))
    return shapes


def _cut_by_outline(store, place, shapes) -> list[str]:
    """Small areas whose land the place's drawn outline divides (between 1% and 99% inside it).

    For a user's own boundary the lookups hold whole small areas (best fit), so the outline is the
    only evidence of the small areas it cuts.
    """
    import shapely  # loaded only when a map is drawn, as in diagnostics.geography

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
