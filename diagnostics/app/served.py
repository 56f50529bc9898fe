"""Inside a page served by ``place-diagnostic serve``: the store it serves and the place its link asks for.

A notebook served by Voilà runs in a kernel whose environment says so (Voilà's ``VOILA_*``
variables; the page's query string; the store :mod:`diagnostics.app.serve` was given, in
:data:`~diagnostics.app.serve.STORE_ENV`). Only this module reads them, and only when asked:

- the set-up cell of every section's notebook calls :func:`served_parameters` before
  :func:`~diagnostics.sections.session.start` (which never reads the environment): in a served
  page it gives the served store and the place of the page's ``?place=``; anywhere else (a run, a
  batch, JupyterLab) it returns the notebook's parameters as they are;
- the app (:func:`diagnostics.app.place_app.launch`) opens :func:`served_store` and shows
  :func:`requested_place`;
- a report run from a served page gets a kernel started with :func:`environment_outside_voila`, so
  that its notebooks run with the parameters they are given.

A query string is only ever looked up among the store's places: it is never evaluated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs

from diagnostics.app.serve import STORE_ENV
from diagnostics.exceptions import DiagnosticsError, PlaceNotFound
from diagnostics.render.html import notice
from diagnostics.sections.session import DEFAULT_PLACE
from diagnostics.sources import open_store
from diagnostics.store.places import Place, match_place

__all__ = [
    "served_parameters",
    "served_store",
    "requested_place",
    "query_parameter",
    "in_voila_kernel",
    "is_preheating",
    "environment_outside_voila",
    "MAX_QUERY_LENGTH",
]

#: The longest query value a page will look at (a place code or name is far shorter).
MAX_QUERY_LENGTH = 120
#: Variables of a Voilà kernel that say it serves a page (and, in QUERY_STRING, the page's request).
_VOILA_VARIABLES = ("VOILA_", "QUERY_STRING")


def in_voila_kernel(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this is a kernel Voilà started for a page (``environ``: default ``os.environ``)."""
    environ = os.environ if environ is None else environ
    return "VOILA_SERVER_URL" in environ or "VOILA_BASE_URL" in environ


def is_preheating(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this is a kernel of Voilà's preheated pool, drawing its page before anyone asks for it
    (its page's request, and the query string, come when a visitor takes it)."""
    environ = os.environ if environ is None else environ
    return in_voila_kernel(environ) and environ.get("VOILA_PREHEAT") == "True"


def environment_outside_voila(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment (default ``os.environ``) without what makes a kernel a served page's.

    Voilà's ``VOILA_*`` variables and the page's ``QUERY_STRING`` go, and the served store: a kernel
    started with it (the report's, from the app) runs its notebooks with the parameters it is given.
    """
    environ = os.environ if environ is None else environ
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith(_VOILA_VARIABLES) and name != STORE_ENV
    }


def query_parameter(query: str | None, name: str) -> str | None:
    """The first value of ``name`` in a URL query string, stripped; None when absent or empty.

    >>> query_parameter("place=E08000003&x=1", "place"), query_parameter("", "place")
    ('E08000003', None)
    """
    if not query:
        return None
    values = parse_qs(str(query).lstrip("?"), keep_blank_values=False).get(name)
    if not values:
        return None
    value = values[0].strip()[:MAX_QUERY_LENGTH]
    return value or None


def _voila_query_string() -> str | None:
    """The query string of the page request when running in a Voilà kernel (None otherwise).

    A preheated kernel runs the notebook before anyone asks for it; ``get_query_string`` then waits
    for the request that claims the kernel. An ordinary Voilà kernel has it in its environment.
    """
    if not in_voila_kernel():
        return None
    from voila.utils import get_query_string  # Voilà's server stack: only in a Voilà kernel

    return get_query_string()


def requested_place(store, query: str | None = None) -> tuple[Place | None, str | None]:
    """The place a deep link (``?place=CODE``) asks for, checked against the store's places.

    Parameters
    ----------
    store : Store
    query : str, optional
        The URL query string; default the Voilà request's (none outside a Voilà kernel).

    Returns
    -------
    (Place or None, str or None)
        The place (None when the link names none or an unknown one) and a message for people (None
        when there is nothing to say): for an unknown value, that it is unknown and what to do; for
        a name several places share (or an old code), which place and layer is shown
        (:attr:`~diagnostics.store.places.PlaceMatch.page_notice`).
    """
    query = _voila_query_string() if query is None else query
    wanted = query_parameter(query, "place")
    if wanted is None:
        return None, None
    try:
        match = match_place(wanted, store)
        return match.place, match.page_notice
    except PlaceNotFound as err:
        hint = f" Did you mean {', '.join(err.suggestions)}?" if getattr(err, "suggestions", None) else ""
        return None, f"The link asks for the place {wanted!r}, which is not a place in this data.{hint}"
    except DiagnosticsError as err:
        return None, f"The link's place could not be used: {err}"


def served_store(store=None):
    """The store to open: ``store`` if given, else the one ``place-diagnostic serve --store`` serves
    (:data:`STORE_ENV`, in a Voilà kernel only), else None (the embedded synthetic store)."""
    if store is not None or not in_voila_kernel():
        return store
    return os.environ.get(STORE_ENV) or None


def served_parameters(place, store):
    """A notebook's ``place`` and ``store`` parameters as the page serving it asks for them.

    The set-up cell of every section's notebook calls it before
    :func:`~diagnostics.sections.session.start`. Outside a Voilà kernel (a run, a batch, JupyterLab)
    it returns both as they are. In a kernel of ``place-diagnostic serve``: the served store when
    ``store`` is None, and for the default place the place the page's link asks for
    (``?place=CODE``); an unknown value shows a short message on the page and keeps the default
    place.

    Parameters
    ----------
    place : str
        The notebook's ``place`` parameter.
    store : Store, path-like or None
        The notebook's ``store`` parameter.

    Returns
    -------
    (str, Store or path-like or None)
        The place and store to start with.
    """
    if not in_voila_kernel():
        return place, store
    store = open_store(served_store(store))
    if place is None or str(place).strip().casefold() == DEFAULT_PLACE:
        wanted, message = requested_place(store)
        if message and wanted is None:
            from IPython.display import display  # IPython: loaded where a page is drawn, not by `serve`

            display(
                notice(
                    message + " The default place is shown instead; check the code after ?place= in the address.",
                    title="Unknown place in the link",
                )
            )
        elif wanted is not None:
            place = wanted.code
            if message:
                from IPython.display import display

                display(notice(message, title="Which place?"))
    return place, store
