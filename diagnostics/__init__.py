"""place-diagnostics: a standard place diagnostic for any local area.

The public API is named here. ``import diagnostics`` stays light: it loads the exceptions alone;
the store (pandas, pyarrow and pandera), the runner, the synthetic country's builder and the
statistics are imported on first use of their names (PEP 562), and the runner itself loads
papermill and nbconvert only when it runs.

>>> import diagnostics
>>> store = diagnostics.open_store()                      # the embedded synthetic country  # doctest: +SKIP
>>> place = diagnostics.resolve_place("Radworth", store)  # doctest: +SKIP
>>> diagnostics.run_place(place, store=store)             # executed notebooks + report.html  # doctest: +SKIP
"""

from importlib import import_module as _import_module

from diagnostics.exceptions import (
    BrokenStore,
    ClusterUnavailable,
    ContractViolation,
    DiagnosticsError,
    FetchFailed,
    ImportFailed,
    InvalidBoundary,
    InvalidParameter,
    NotebookFailed,
    OfflineViolation,
    OutputNotWritable,
    PdfNotMade,
    PlaceNotFound,
    PlaceReplaced,
    StoreNotFound,
    StoreTargetRefused,
    StoreWouldShrink,
)

__version__ = "0.1.0"

#: Public names imported on first use: name -> module.
_LAZY = {
    "open_store": "diagnostics.sources",
    "Store": "diagnostics.store.store",
    "write_store": "diagnostics.store.store",
    "Place": "diagnostics.store.places",
    "resolve_place": "diagnostics.store.places",
    "list_places": "diagnostics.store.places",
    "start": "diagnostics.sections.session",
    "Session": "diagnostics.sections.session",
    "run_place": "diagnostics.outputs.run",
    "RunResult": "diagnostics.outputs.run",
    "run_batch": "diagnostics.outputs.batch",
    "select_places": "diagnostics.outputs.batch",
    "import_folder": "diagnostics.sources.england",
    "build_synthetic": "diagnostics.sources.synthetic",
    "place_indicators": "diagnostics.store.indicators",
    "nearest_neighbours": "diagnostics.compare.benchmark",
    "benchmark_table": "diagnostics.compare.benchmark",
    "stats": "diagnostics.stats",
}

__all__ = [
    "__version__",
    # exceptions (diagnostics.exceptions draws their tree)
    "DiagnosticsError",
    "PlaceNotFound",
    "PlaceReplaced",
    "StoreNotFound",
    "ContractViolation",
    "BrokenStore",
    "StoreTargetRefused",
    "StoreWouldShrink",
    "InvalidParameter",
    "InvalidBoundary",
    "OfflineViolation",
    "ImportFailed",
    "FetchFailed",
    "NotebookFailed",
    "PdfNotMade",
    "ClusterUnavailable",
    "OutputNotWritable",
    # the store and its places
    "Store",
    "open_store",
    "write_store",
    "Place",
    "resolve_place",
    "list_places",
    # imported on first use
    "start",
    "Session",
    "run_place",
    "RunResult",
    "run_batch",
    "select_places",
    "import_folder",
    "build_synthetic",
    "place_indicators",
    "nearest_neighbours",
    "benchmark_table",
    "stats",
]


def __getattr__(name: str):
    if name in _LAZY:
        module = _import_module(_LAZY[name])
        value = module if name == "stats" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'diagnostics' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
