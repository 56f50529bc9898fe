"""Where the files that ship beside the code live: notebooks, templates, the committed data.

In an editable install (``make demo``/``make test``) they are the repository's own folders; a wheel
carries copies under ``diagnostics/_bundled``.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent

CACHE_ENV = "PLACE_DIAGNOSTICS_CACHE"


def _resource_dir(name: str) -> Path:
    bundled = _PACKAGE_DIR / "_bundled" / name
    return bundled if bundled.is_dir() else _REPO_DIR / name


def notebooks_dir() -> Path:
    """The folder of the parameterised notebooks."""
    return _resource_dir("notebooks")


def templates_dir() -> Path:
    """The folder of the Voilà and nbconvert templates (``voila/``, ``nbconvert/``)."""
    return _resource_dir("templates")


def data_dir() -> Path:
    """The folder of the committed data: the contract's README and the indicator catalogue."""
    return _resource_dir("data")


def cache_dir() -> Path:
    """Where generated data is kept: ``$PLACE_DIAGNOSTICS_CACHE``, else the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    path = Path(configured) if configured else Path(platformdirs.user_cache_dir("place-diagnostics"))
    return path.expanduser()
