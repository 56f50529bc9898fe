"""Real England: import the official open data (ONS, MHCLG, OHID) into a store, or fetch it first.

>>> from diagnostics.sources.england import import_folder          # doctest: +SKIP
>>> report = import_folder("downloads/", "stores/england")         # doctest: +SKIP
>>> print(report.text())                                            # doctest: +SKIP
"""

from diagnostics.sources.england.build import default_england_store_path, import_folder
from diagnostics.sources.england.context import ImportReport, england_catalogue
from diagnostics.sources.england.fetch import PUBLISHERS, fetch_all, fetch_file
from diagnostics.sources.england.recognise import Dataset, Ignored, recognise, scan

__all__ = [
    "import_folder",
    "ImportReport",
    "default_england_store_path",
    "england_catalogue",
    "fetch_all",
    "fetch_file",
    "PUBLISHERS",
    "recognise",
    "scan",
    "Dataset",
    "Ignored",
]
