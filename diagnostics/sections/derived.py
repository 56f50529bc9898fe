"""A store's derived tables: the whole-country results every place's run reads, computed once per
store version and kept on disk.

Each is an analysis function cached with ``per_store(..., disk=TABLE)`` (:mod:`diagnostics.cache`):
the first process that asks for it computes it and writes it as parquet under the cache folder
(``<cache>/results/<name>/<store version>-<code version>-<digest>.parquet``); every later process,
a batch's kernels and the app's included, reads it. :func:`derive_tables` asks for them all ahead
of time (``place-diagnostic data derive``, and the batch before it starts its workers), so that no
place's run pays for them; anything it leaves out is derived on first use, the same way.

The derived tables, per layer of the places to run:

- ``layer_comparison``: every health indicator of every area against the country
  (:func:`diagnostics.sections.health.analysis.layer_comparison`);
- ``mortality_measures``: life expectancy and under-75 mortality of every area, 3-year pools and
  single years, from life tables and directly standardised rates;
- ``under75_smr``: the funnel plot's standardised ratios;
- ``deprivation_groups`` and ``inequality_by_deprivation``: each area's local deprivation deciles
  and the measures within them;
- ``deprivation_profile_from_scores``: each area's IMD summary built from small-area scores;

and, once per store, ``small_area_imd_ranks`` (every small area's national rank and decile) and
``compare_methods`` (the worked example of apportioning between districts and health areas).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from diagnostics.exceptions import InvalidParameter
from diagnostics.geography.apportion import compare_methods
from diagnostics.sections.geographies.analysis import WORKED_EXAMPLE_INDICATOR
from diagnostics.sections.health.analysis import layer_comparison
from diagnostics.sections.health.deprivation import national_ranks, profiles_from_scores
from diagnostics.sections.health.funnels import under75_smr
from diagnostics.sections.health.inequality import deprivation_groups, inequality_by_deprivation
from diagnostics.sections.health.mortality import mortality_measures, mortality_unavailable_reason
from diagnostics.store.store import as_store

__all__ = ["DerivedTable", "derive_tables", "DEFAULT_LAYERS"]

#: The layers :func:`derive_tables` derives by default: the districts every batch runs, and the
#: layers every district's page compares it with.
DEFAULT_LAYERS: tuple[str, ...] = ("district",)

#: The layers every place's page also reads (its region, the country, its health areas).
_ALWAYS: tuple[str, ...] = ("region", "country", "health_area")


@dataclass(frozen=True)
class DerivedTable:
    """One derived table :func:`derive_tables` asked for.

    Attributes
    ----------
    name : str
        The analysis (``"layer_comparison"``).
    layer : str or None
        The layer of its areas (None for a table of the whole store).
    rows : int
        Its rows.
    seconds : float
        Wall seconds to compute it or read it from disk.
    """

    name: str
    layer: str | None
    rows: int
    seconds: float


def _per_layer(store) -> list[tuple[str, Callable[[str], pd.DataFrame]]]:
    tables: list[tuple[str, Callable[[str], pd.DataFrame]]] = [
        ("layer_comparison", lambda layer: layer_comparison(store, layer)),
    ]
    if mortality_unavailable_reason(store) is None:
        tables += [
            ("mortality_measures", lambda layer: mortality_measures(store, layer)),
            ("mortality_measures (single years)", lambda layer: mortality_measures(store, layer, pool=1)),
            ("under75_smr", lambda layer: under75_smr(store, layer)),
        ]
        if store.has_table("population") and not store.population.empty:
            tables += [
                ("deprivation_groups", lambda layer: deprivation_groups(store, layer)),
                ("inequality_by_deprivation", lambda layer: inequality_by_deprivation(store, layer)),
            ]
    tables.append(("deprivation_profile_from_scores", lambda layer: profiles_from_scores(store, layer)))
    return tables


def derive_tables(store, layers: Sequence[str] = DEFAULT_LAYERS) -> list[DerivedTable]:
    """Compute (or find on disk) the store's derived tables for the places of ``layers``.

    Parameters
    ----------
    store : Store or path-like
    layers : sequence of str, default ("district",)
        The layers of the places that will be run; their region, country and health-area tables
        are derived with them.

    Returns
    -------
    list of DerivedTable
        What was asked for, in order, with its rows and the seconds it took (a table already on
        disk is read back in a fraction of the time it takes to compute).

    Raises
    ------
    InvalidParameter
        When a layer is not one of the store's layers; the message lists them.
    """
    store = as_store(store)
    unknown = [layer for layer in layers if layer not in store.layers]
    if unknown:
        raise InvalidParameter(
            f"The 'layers' parameter of derive_tables must name layers of the store ({', '.join(store.layers)}); "
            f"got {', '.join(map(repr, unknown))}."
        )
    chosen = list(dict.fromkeys([*layers, *(layer for layer in _ALWAYS if layer in store.layers)]))
    done: list[DerivedTable] = []

    def ask(name: str, layer: str | None, compute: Callable[[], pd.DataFrame]) -> None:
        t0 = time.perf_counter()
        table = compute()
        done.append(DerivedTable(name, layer, len(table), time.perf_counter() - t0))

    for layer in chosen:
        for name, compute in _per_layer(store):
            ask(name, layer, lambda compute=compute, layer=layer: compute(layer))
    ask("small_area_imd_ranks", None, lambda: national_ranks(store))
    if {"district", "health_area", "small_area"} <= set(store.layers) and not store.indicator_values(
            WORKED_EXAMPLE_INDICATOR).empty:
        for source, target in (("district", "health_area"), ("health_area", "district")):
            try:
                ask(f"compare_methods {source} to {target}", target,
                    lambda source=source, target=target: compare_methods(store, WORKED_EXAMPLE_INDICATOR, source, target))
            except InvalidParameter:
                pass  # the store cannot apportion this way: the page says why, on first use
    return done
