"""Growth firms: the section's results for a session's place, each a small typed value computed once.

The views ask for a place's results here: :func:`growth_page` (the register, its classification
and the rates of the place, its region, country, comparators and peers), :func:`place_sectors` and
:func:`place_hot_spots`; the growth model as the place sees it is
:mod:`~diagnostics.sections.growth.place_model`. They are made of plain functions of store tables,
one job a module:

=============================================  ==================================================
:mod:`~diagnostics.sections.growth.register`   the firm register made ready, its quality checks
:mod:`~diagnostics.sections.growth.classify`   the OECD-Eurostat definition and classification
:mod:`~diagnostics.sections.growth.rates`      counts by small area, rates by area, the store's
:mod:`~diagnostics.sections.growth.sectors`    high-growth firms by SIC section
:mod:`~diagnostics.sections.growth.hot_spots`  Getis-Ord Gi*, kernel density, grid clusters
:mod:`~diagnostics.sections.growth.features`   the model's rows and design matrix
:mod:`~diagnostics.sections.growth.model`      the logistic model, fitted once per store
:mod:`~diagnostics.sections.growth.scoring`    odds ratios in words, firms' scores, observed/expected
=============================================  ==================================================

Analysis only: nothing here draws or writes HTML (the views are :mod:`diagnostics.sections.growth.page`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from diagnostics.cache import cached, per_place, per_session, per_store
from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.classify import OECD_EUROSTAT, GrowthDefinition
from diagnostics.sections.growth.hot_spots import getis_ord_hot_spots
from diagnostics.sections.growth.rates import firms_in_area, growth_rates, small_area_assignment, store_growth
from diagnostics.sections.growth.register import Register
from diagnostics.sections.growth.sectors import sector_rows, sector_summary
from diagnostics.sections.session import Session

__all__ = [
    "RECENT_YEARS",
    "set_definition",
    "definition_of",
    "register_problem",
    "register_source",
    "GrowthPage",
    "growth_page",
    "recent_growth_firms",
    "place_sectors",
    "neighbourhood_layer",
    "HotSpots",
    "place_hot_spots",
]

#: How many latest window end years count a firm as a "recent" growth firm (map, hot spots, sectors).
RECENT_YEARS = 3
_IMPORT_HELP = (
    "Published data does not include one. Add your own (a Companies House, FAME or Beauhurst export, or a local "
    "business database, with employment by year) with 'place-diagnostic data import --firms FILE --store STORE', "
    "naming any column the import does not know with --map COLUMN=FIELD (see 'Your own firm register' in the "
    "README's 'Growth firms' section); or run the diagnostic on the embedded synthetic country to see this section."
)


# --------------------------------------------------------------------------------------------------
# The session's definition and the store's register
# --------------------------------------------------------------------------------------------------


def set_definition(dx: Session, threshold: float = 0.20, window: int = 3, min_employees: float = 10) -> GrowthDefinition:
    """Choose the high-growth definition for this session's views (call before any view).

    Parameters
    ----------
    threshold : float, default 0.20
        Average annualised growth a firm must exceed (0.20 = 20% a year; ONS and Eurostat also use 0.10).
    window : int, default 3
        Years of growth.
    min_employees : float, default 10
        Employees at the start of the window.

    Raises
    ------
    InvalidParameter
        For a value outside its range, or when views already used another definition.
    """
    definition = GrowthDefinition(float(threshold), int(window), float(min_employees))
    used = cached(per_session(dx, "growth.definition"), lambda: definition)
    if used != definition:
        raise InvalidParameter(
            "The growth definition must be set before any growth view runs in this session; "
            f"views already used {used.label}. Start a new session with diagnostics.sections.session.start."
        )
    return definition


def definition_of(dx: Session) -> GrowthDefinition:
    """The session's high-growth definition: :func:`set_definition`'s, else OECD-Eurostat's."""
    return cached(per_session(dx, "growth.definition"), lambda: OECD_EUROSTAT)


def register_problem(dx: Session) -> str | None:
    """Why the store's firm register cannot be analysed, with how to add one, or None when it can."""
    store = dx.store
    if not (store.has_table("firms") and store.has_table("firm_years")):
        return "This store has none (no firms and firm_years tables). " + _IMPORT_HELP
    if store.firms.empty or store.firm_years.empty:
        return "The store's firm register is empty. " + _IMPORT_HELP
    return None


def register_source(store) -> str:
    """The firm register's source and vintage, as a source line names them."""
    return f"{'synthetic' if store.is_synthetic else store.source} firm register ({store.vintage})"


# --------------------------------------------------------------------------------------------------
# The place's register, classification and rates
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GrowthPage:
    """What every view of the firm register shares for a session's place (see :func:`growth_page`).

    Attributes
    ----------
    definition : GrowthDefinition
        The session's definition.
    register : Register
        The store's whole register.
    classified : DataFrame
        :func:`~diagnostics.sections.growth.classify.classify` of the whole register.
    counts : DataFrame
        :func:`~diagnostics.sections.growth.rates.small_area_counts` of the whole register.
    rates : DataFrame
        :func:`~diagnostics.sections.growth.rates.growth_rates` of the place, its comparators,
        region and country.
    peer_rates : DataFrame
        The same for every area of the place's layer (ranks).
    in_place : array of bool
        One per firm of ``register.firms``: whether it is in the place.
    years : tuple of int
        The window end years with rates, in order.
    latest : int or None
        The last of ``years`` (None when no window fits in the register's years).
    """

    definition: GrowthDefinition
    register: Register
    classified: pd.DataFrame
    counts: pd.DataFrame
    rates: pd.DataFrame
    peer_rates: pd.DataFrame
    in_place: np.ndarray
    years: tuple[int, ...]
    latest: int | None

    def period(self, year: int | None = None) -> str:
        """The window ending in ``year`` (the latest by default) in words: "growth 2020 to 2023"."""
        year = self.latest if year is None else year
        return f"growth {year - self.definition.window} to {year}"

    @property
    def recent_years(self) -> list[int]:
        """The last :data:`RECENT_YEARS` window end years (map, hot spots and sectors pool them); none
        when no window fits in the register's years."""
        return [] if self.latest is None else [y for y in self.years if y > self.latest - RECENT_YEARS]


def _layer_codes(dx: Session) -> dict[str, list[str]]:
    codes = [dx.place.code, *dx.comparator_codes, dx.region_code, dx.country_code]
    by_layer: dict[str, list[str]] = {}
    for code in codes:
        if code is not None:
            by_layer.setdefault(dx.store.layer_of(code) or "", []).append(code)
    return by_layer


def growth_page(dx: Session) -> GrowthPage:
    """The register, its classification and the rates of the session's place, once per place and
    definition (:func:`diagnostics.cache.per_place`)."""
    definition = definition_of(dx)

    def compute() -> GrowthPage:
        register, classified, counts = store_growth(dx.store, definition)
        layers = _layer_codes(dx)
        assignments = {layer: small_area_assignment(dx.store, layer) for layer in layers}
        codes = [c for group in layers.values() for c in group]
        rates = growth_rates(counts, assignments, codes, definition)
        place_layer = dx.store.layer_of(dx.place.code)
        place_assignment = assignments[place_layer]
        in_place = firms_in_area(dx.store, register, place_layer, dx.place.code)
        peers = dx.store.areas_in_layer(dx.place.layer)["code"]
        peer_rates = cached(  # the same for every place of the layer
            per_store(dx.store, "growth.peer_rates", definition, place_layer, dx.place.layer),
            lambda: growth_rates(counts, place_assignment, peers, definition))
        years = tuple(int(y) for y in sorted(rates["year"].unique()))
        return GrowthPage(definition, register, classified, counts, rates, peer_rates, in_place, years,
                          years[-1] if years else None)

    return cached(per_place(dx, "growth.page", definition), compute)


def recent_growth_firms(page: GrowthPage) -> pd.DataFrame:
    """Distinct firms that were scale-ups in a recent window (:attr:`GrowthPage.recent_years`).

    Returns
    -------
    DataFrame
        The rows of ``page.register.firms`` of firms with a small area, with firm (number),
        employment_growth and turnover_growth (a fraction a year), end_year and end_employment of
        their fastest-growing recent window (by employment), fastest first.
    """
    c = page.classified
    recent = c.loc[c["end_year"].isin(page.recent_years) & c["scaleup"]]
    recent = recent.sort_values("employment_growth", ascending=False).drop_duplicates("firm")
    firms = page.register.firms
    frame = firms.iloc[recent["firm"].to_numpy()].assign(
        firm=recent["firm"].to_numpy(), employment_growth=recent["employment_growth"].to_numpy(),
        turnover_growth=recent["turnover_growth"].to_numpy(), end_year=recent["end_year"].to_numpy(),
        end_employment=recent["end_employment"].to_numpy())
    return frame.loc[frame["small_area_code"].notna()]


def place_sectors(dx: Session) -> pd.DataFrame:
    """:func:`~diagnostics.sections.growth.sectors.sector_summary` of the place's high-growth firms in
    the recent windows (:attr:`GrowthPage.recent_years`, pooled), against the whole register."""
    page = growth_page(dx)
    years = page.recent_years
    register, classified, definition = page.register, page.classified, page.definition
    rows = cached(per_store(dx.store, "growth.sector_rows", definition, tuple(years)),  # the same for every place
                  lambda: sector_rows(register, classified, years, definition))
    return sector_summary(register, classified, page.in_place, years, definition, rows=rows)


def neighbourhood_layer(dx: Session) -> str:
    """The layer whose names group small areas in the hot spots and the observed/expected figures."""
    return "neighbourhood" if "neighbourhood" in dx.store.layers else dx.place.layer


# --------------------------------------------------------------------------------------------------
# Hot spots
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HotSpots:
    """Getis-Ord Gi* hot spots of recent growth firms across the place's region.

    Attributes
    ----------
    spots : DataFrame or None
        :func:`~diagnostics.sections.growth.hot_spots.getis_ord_hot_spots` of the study area's small
        areas, with neighbourhood and name (names for people) and in_place (bool); None when the
        study area cannot be tested (``problem`` says why).
    problem : str
        Why there are no spots ("" when there are).
    study_area : str
        The name of the area tested (the place's region, or the place).
    """

    spots: pd.DataFrame | None
    problem: str
    study_area: str


def _study_area(dx: Session) -> tuple[list[str], str]:
    """Small areas tested for hot spots: the place's region (so the place's edges have neighbours)."""
    within = dx.region_code or dx.place.code
    layer = dx.store.layer_of(within)
    assignment = small_area_assignment(dx.store, layer)
    return list(assignment.index[assignment == within]), dx.name_of(within)


def place_hot_spots(dx: Session) -> HotSpots:
    """Gi* hot spots of the place's region's recent growth firms, marked in or out of the place, once
    per session; the test itself runs once per store, definition, years and region."""
    page = growth_page(dx)

    def study_area_spots() -> HotSpots:
        """Gi* over the study area: the same for every place that shares it (every district of a region)."""
        codes, study_name = _study_area(dx)
        shapes = dx.store.boundaries("small_area")
        shapes = shapes.loc[shapes["code"].isin(codes)].reset_index(drop=True)
        counts = recent_growth_firms(page)["small_area_code"].value_counts()
        shapes["growth_firms"] = shapes["code"].map(counts).fillna(0).astype(float)
        try:
            return HotSpots(getis_ord_hot_spots(shapes, "growth_firms"), "", study_name)
        except InvalidParameter as err:
            return HotSpots(None, str(err), study_name)

    def compute() -> HotSpots:
        within = dx.region_code or dx.place.code
        key = per_store(dx.store, "growth.hot_spots", page.definition, tuple(page.recent_years), within)
        study = cached(key, study_area_spots)
        if study.spots is None:
            return study
        spots = study.spots.copy()
        hood = small_area_assignment(dx.store, neighbourhood_layer(dx))
        place_sa = small_area_assignment(dx.store, dx.store.layer_of(dx.place.code))
        spots["neighbourhood"] = spots["code"].map(hood).map(dx.name_of)
        spots["name"] = spots["code"].map(dx.name_of)
        spots["in_place"] = spots["code"].map(place_sa).eq(dx.place.code).to_numpy()
        return HotSpots(spots, "", study.study_area)

    return cached(per_session(dx, "growth.hot_spots"), compute)
