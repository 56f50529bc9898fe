"""place-diagnostics: a standard place diagnostic for any local area.

The public API is named here; ``import diagnostics`` stays light (the notebook runner, the report
exporter, Voilà and Dask load only when used).
"""


from .exceptions import (
    ContractViolation,
    DiagnosticsError,
    InvalidBoundary,
    InvalidParameter,
    NotebookFailed,
    OfflineViolation,
    PlaceNotFound,
    StoreNotFound,
)
from .store import Store, open_store, write_store

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "DiagnosticsError",
    "PlaceNotFound",
    "StoreNotFound",
    "ContractViolation",
    "InvalidParameter",
    "InvalidBoundary",
    "OfflineViolation",
    "NotebookFailed",
    "Store",
    "open_store",
    "write_store",
]
