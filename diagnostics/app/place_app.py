"""The app for leaders: one place at a time, every section in a tab, in the browser through Voilà.

:class:`PlaceApp` is an ipywidgets application: a searchable place picker across every layer, a
choice of comparators, a tab per available section (:func:`diagnostics.sections.registry.available_sections`)
built from the same view functions as the notebooks, and a "download the report" action that runs
the same pipeline as ``place-diagnostic run`` (with its PDF when "Also as a PDF" is ticked). Changing
the place redraws the open tab at once and the others when they are opened (lazily, so a switch costs
one tab, not all of them). A tab once drawn is kept: opening it again, or going back to one of the last
:data:`PLACES_DRAWN_KEPT` places (with the same comparators), shows what was drawn without computing or
drawing it again.

``notebooks/app.ipynb`` calls :func:`launch`; ``place-diagnostic serve`` (:mod:`diagnostics.app.serve`)
serves it. Viewers never see code or tracebacks: a view that fails becomes a short message saying
what to do, and the traceback goes to the server's log.
"""

from __future__ import annotations

import base64
import html
import inspect
import logging
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diagnostics.app.served import (
    environment_outside_voila,
    in_voila_kernel,
    is_preheating,
    requested_place,
    served_store,
)
from diagnostics.conventions import layer_label
from diagnostics.exceptions import DiagnosticsError, PdfNotMade, PlaceNotFound
from diagnostics.outputs.run import run_place
from diagnostics.render.html import synthetic_banner
from diagnostics.render.shared_leaflet import lean_frames, provider_html
from diagnostics.render.style import style_block
from diagnostics.sections.registry import available_sections
from diagnostics.sections.session import start
from diagnostics.sources import open_store
from diagnostics.store.places import Place, list_places

__all__ = ["PlaceApp", "launch", "follow_link", "place_options", "COMPARATOR_CHOICES", "PLACES_DRAWN_KEPT"]

log = logging.getLogger(__name__)

#: The comparator choices the app offers, as (label, value) pairs.
COMPARATOR_CHOICES = (("Statistical neighbours", "nearest"), ("Others in its region", "region"), ("A custom list", "custom"))
#: What the app writes to the server's log once drawn (a preheated kernel then waits for a page).
APP_READY = "place-diagnostics app drawn for"
#: How many places' drawn tabs one app keeps (each place's tabs are a few MiB of HTML and SVG).
PLACES_DRAWN_KEPT = 4

# --------------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------------


def place_options(store) -> dict[str, str]:
    """The picker's entries, ``"Name (CODE) · Layer"`` to code, every layer, preferred layers first."""
    places = list_places(store)
    labels = [
        f"{name} ({code}) · {layer_label(layer)}"
        for name, code, layer in zip(places["name"], places["code"], places["layer"])
    ]
    return dict(zip(labels, places["code"]))


def _bundle(displayable: Any) -> dict:
    """A displayable as an output of an Output widget (kept in the widget's state, so a page that
    connects later, as with a preheated kernel, still receives it)."""
    from IPython.core.interactiveshell import InteractiveShell

    data, metadata = InteractiveShell.instance().display_formatter.format(displayable)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def _without_leaflet(bundle: dict) -> dict:
    """The output with its maps' frames taking Leaflet from the page (:func:`lean_frames`)."""
    markup = bundle["data"].get("text/html")
    if isinstance(markup, str):
        bundle["data"]["text/html"] = lean_frames(markup)[0]
    return bundle


def _html_bundle(markup: str) -> dict:
    return {"output_type": "display_data", "data": {"text/html": markup, "text/plain": ""}, "metadata": {}}


def _failure(heading: str, err: BaseException) -> str:
    """The short message a viewer sees in place of a view that failed."""
    what = str(err) if isinstance(err, DiagnosticsError) else f"an unexpected {type(err).__name__}"
    return (
        '<div class="pd-message" role="alert"><strong>'
        + html.escape(heading)
        + " could not be drawn.</strong> "
        + html.escape(what[:300].rstrip("."))
        + ". Try another place or comparators; to see the full error, run "
        + "<code>place-diagnostic run --place CODE</code> for this place.</div>"
    )


class PlaceApp:
    """The leaders' app for one store.

    Parameters
    ----------
    store : Store or path-like, optional
        Default: the embedded synthetic store.
    place : str, default "default"
        The place shown first.
    comparators : str, default "default"
        As :func:`diagnostics.sections.session.start`.
    share_leaflet : bool, default False
        Show maps in frames without Leaflet, which take it from the page: only for a page that shows
        :func:`~diagnostics.render.shared_leaflet.provider_html` (as :func:`launch` does).

    Attributes
    ----------
    root : ipywidgets.VBox
        The whole app, to display.
    dx : Session
        The current place's session.
    timings : dict
        Seconds taken by the last :meth:`show` (``"show"``) and the last drawing of each tab
        (keyed by the section's key).
    """

    def __init__(self, store=None, place: str = "default", comparators: str = "default", *, share_leaflet: bool = False):
        import ipywidgets as w

        self.share_leaflet = share_leaflet
        self.store = open_store(store)
        self.sections = available_sections()
        self.options = place_options(self.store)
        self._labels = {code: label for label, code in self.options.items()}
        self.timings: dict[str, float] = {}
        wide = {"description_width": "initial"}
        self.header = w.HTML()
        self.message = w.HTML()
        self.picker = w.Combobox(
            placeholder="Type a place name or code",
            options=tuple(self.options),
            ensure_option=True,
            description="Place",
            style=wide,
            layout=w.Layout(width="min(640px, 95%)"),
        )
        choices = COMPARATOR_CHOICES
        first = "nearest"
        if self.store.has_table("comparators"):  # ONS's own similar-areas lists, imported with real data: the default
            choices = (("ONS's similar areas (default)", "default"),) + choices
            first = "default"
        self.comparator = w.Dropdown(options=choices, value=first, description="Compare with", style=wide)
        self.custom = w.Text(
            placeholder="Codes or names, separated by commas",
            description="Custom list",
            style=wide,
            continuous_update=False,
            layout=w.Layout(width="min(640px, 95%)", display="none"),
        )
        # one Output per view (and one for the tab's banner), so each view appears as soon as it is drawn
        self.outputs = [[w.Output() for _ in range(1 + len(s.views))] for s in self.sections]
        self.tabs = w.Tab(children=[w.VBox(outs) for outs in self.outputs], titles=[s.title for s in self.sections])
        self.download_button = w.Button(description="Prepare the report", icon="download", tooltip="Run the whole diagnostic and offer the HTML report",
            layout=w.Layout(width="auto"),
        )
        self.pdf_box = w.Checkbox(value=False, description="Also as a PDF (A4, for board papers)", indent=False,
                                  layout=w.Layout(width="auto"))
        self.download_link = w.HTML()
        self.root = w.VBox(
            [
                self.header,
                self.message,
                w.HBox([self.picker, self.comparator]),
                self.custom,
                w.HBox([self.download_button, self.pdf_box, self.download_link]),
                self.tabs,
            ],
            layout=w.Layout(width="100%"),
        )
        self.root.add_class("pd-app")
        self._stale: set[int] = set()
        # the tabs drawn for recent places: (place, comparators) -> {tab index: each Output's outputs}
        self._drawn: OrderedDict[tuple, dict[int, tuple[tuple[dict, ...], ...]]] = OrderedDict()
        self.dx = None
        self.picker.observe(self._on_pick, names="value")
        self.comparator.observe(self._on_comparator, names="value")
        self.custom.observe(self._on_custom, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.download_button.on_click(self._on_download)
        self.show(place, comparators)

    # -- state changes -----------------------------------------------------------------------------

    def show(self, place: str | Place, comparators: str | None = None) -> bool:
        """Show a place (and comparators): draw the open tab now, the others when opened; tabs
        already drawn for this place and comparators (among the last :data:`PLACES_DRAWN_KEPT`)
        are shown as they were drawn.

        Returns False, with a message on the page, when the place or comparators cannot be used.
        """
        comparators = comparators if comparators is not None else self._comparator_value()
        started = time.perf_counter()
        try:
            dx = start(place, self.store, comparators)
        except PlaceNotFound as err:
            hint = f" Did you mean {'; '.join(err.suggestions)}?" if err.suggestions else ""
            self.say(f"No place matches {err.query!r}.{hint} Type a name or code and pick from the list.")
            return False
        except DiagnosticsError as err:
            self.say(str(err))
            return False
        self.dx = dx
        self.say("")
        label = self._labels.get(dx.place.code)
        if label and self.picker.value != label:
            self.picker.value = label  # _on_pick sees the same place and does nothing
        kept = self._drawn.setdefault(self._drawn_key(), {})
        self._drawn.move_to_end(self._drawn_key())
        while len(self._drawn) > PLACES_DRAWN_KEPT:
            self._drawn.popitem(last=False)
        self._stale = set(range(len(self.sections))) - set(kept)
        for index, outputs in enumerate(self.outputs):  # never the old place's views under the new title
            drawn = kept.get(index, ((),) * len(outputs))
            for output, shown in zip(outputs, drawn):
                output.outputs = shown
        current = self.tabs.selected_index or 0
        self.header.value = self._header_html()
        self.download_link.value = ""
        self.render_tab(current)
        self.timings["show"] = time.perf_counter() - started
        return True

    def say(self, message: str) -> None:
        """Show a short message above the controls ('' hides it)."""
        self.message.value = f'<div class="pd-message" role="alert">{html.escape(message)}</div>' if message else ""

    def render_tab(self, index: int) -> None:
        """Draw one tab for the current place, each view under its heading; a failing view becomes a message."""
        if index not in self._stale or self.dx is None:
            return
        started = time.perf_counter()
        section = self.sections[index]
        outputs = self.outputs[index]
        anchor = html.escape(section.title.replace(" ", "-"))
        outputs[0].outputs = (_html_bundle(f'<a id="{anchor}"></a>' + synthetic_banner(self.dx)),)
        for output, (heading, view) in zip(outputs[1:], section.views):
            title = _html_bundle(f'<h2 class="pd-view-heading">{html.escape(heading)}</h2>')
            output.outputs = (title, self._draw(heading, view))
        self._stale.discard(index)
        self._drawn.setdefault(self._drawn_key(), {})[index] = tuple(output.outputs for output in outputs)
        self.timings[section.key] = seconds = time.perf_counter() - started
        log.info("drew %s for %s in %.2f s", section.title, self.dx.place.code, seconds)

    def _drawn_key(self) -> tuple:
        """What a drawn tab depends on besides the store: the place and its comparators."""
        return (self.dx.place.code, self.dx.comparator_method, tuple(self.dx.comparator_codes))

    def _draw(self, heading: str, view: Callable) -> dict:
        kwargs = {"in_app": True} if "in_app" in inspect.signature(view).parameters else {}
        try:
            bundle = _bundle(view(self.dx, **kwargs))
            return _without_leaflet(bundle) if self.share_leaflet else bundle
        except Exception as err:  # noqa: BLE001 - viewers get a message; the log gets the traceback
            log.exception("view %s failed for %s", getattr(view, "__name__", view), self.dx.place.code)
            return _html_bundle(_failure(heading, err))

    def _header_html(self) -> str:
        dx, store = self.dx, self.store
        where = " › ".join(dx.name_of(code) for code in store.ancestors(dx.place.code))
        link = f"?place={dx.place.code}"
        return (
            style_block()
            + '<div class="pd-app">'
            + synthetic_banner(dx)
            + f'<h1 class="pd-title">{html.escape(dx.place.name)}</h1>'
            + f'<p class="pd-sub">{html.escape(dx.place.layer_label)} {html.escape(dx.place.code)}'
            + (f" in {html.escape(where)}" if where else "")
            + f". Compared with {html.escape(dx.comparator_method)}.</p>"
            + f'<p class="pd-sub">Data: {html.escape(store.source)}, vintage {html.escape(store.vintage)}. '
            + f'Link to this place: <a href="{html.escape(link)}">{html.escape(link)}</a></p></div>'
        )

    def _comparator_value(self) -> str:
        if self.comparator.value == "custom":
            return self.custom.value.strip() or "nearest"
        return self.comparator.value

    # -- widget callbacks --------------------------------------------------------------------------

    def _on_pick(self, change) -> None:
        code = self.options.get(change["new"])
        if code and (self.dx is None or code != self.dx.place.code):
            self.show(code)

    def _on_comparator(self, change) -> None:
        custom = change["new"] == "custom"
        self.custom.layout.display = None if custom else "none"
        if custom and not self.custom.value.strip():
            self.say("Type the comparator areas' codes or names, separated by commas, then press Enter.")
            return
        if self.dx is not None:
            self.show(self.dx.place, self._comparator_value())

    def _on_custom(self, change) -> None:
        if self.comparator.value == "custom" and change["new"].strip() and self.dx is not None:
            self.show(self.dx.place, change["new"].strip())

    def _on_tab(self, change) -> None:
        if change["new"] is not None:
            self.render_tab(change["new"])

    def _on_download(self, _button=None) -> None:
        self.download_link.value = "<em>Preparing the report: every section is run afresh, which takes a little while...</em>"
        self.download_link.value = self.report_link()

    def report_link(self, out: str | Path | None = None, *, pdf: bool | None = None) -> str:
        """Run the diagnostic for the current place (as ``place-diagnostic run``) and return a link
        that downloads its self-contained HTML report (a ``data:`` URI: nothing is fetched) and, with
        ``pdf`` (default: the "Also as a PDF" box), a second link to its PDF, or why there is none."""
        dx = self.dx
        pdf = self.pdf_box.value if pdf is None else pdf
        pdf_payload, pdf_problem = None, ""
        try:
            with tempfile.TemporaryDirectory(prefix="pd-report-") as tmp:
                # the report's kernel is not a served page's: without Voilà's variables, its notebooks
                # run with the parameters given (a preheated kernel's would wait for a request)
                try:
                    result = run_place(dx.place, store=self.store, out=out or tmp, comparators=self._comparator_value(),
                                       kernel_env=environment_outside_voila(), pdf=pdf)
                    report, printed = result.report, result.pdf
                except PdfNotMade as err:  # the HTML report is written all the same
                    report, printed, pdf_problem = Path(err.report or err.pdf), None, err.problem
                payload = base64.b64encode(report.read_bytes()).decode("ascii")
                if printed is not None:
                    pdf_payload = base64.b64encode(printed.read_bytes()).decode("ascii")
        except Exception as err:  # noqa: BLE001 - viewers get a message; the log gets the traceback
            log.exception("report for %s failed", dx.place.code)
            return _failure("The report", err)
        name = f"{dx.place.slug}-place-diagnostic"
        links = (
            f'<a class="pd-download" download="{html.escape(name)}.html" href="data:text/html;base64,{payload}">'
            f"Download the report for {html.escape(dx.place.name)} (HTML)</a>"
        )
        if pdf_payload is not None:
            links += (f' <a class="pd-download" download="{html.escape(name)}.pdf" href="data:application/pdf;base64,'
                      f'{pdf_payload}">Download PDF</a>')
        elif pdf:
            log.warning("no PDF of the report for %s: %s", dx.place.code, pdf_problem)
            links += f' <span class="pd-message" role="status">No PDF: {html.escape(pdf_problem)}</span>'
        return links


def _log_to_server() -> None:
    """Send the app's log (tracebacks of failed views) to the server's terminal, never to the page."""
    if not any(getattr(h, "_pd_server", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.__stderr__)
        handler._pd_server = True
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def launch(store=None, comparators: str = "default"):
    """Build and display the app: the default place first, then the place a deep link asks for.

    With a preheated Voilà kernel the default place is drawn before anyone asks for the page; the
    request then only costs a switch when it names another place. An unknown ``?place=`` value
    shows a friendly message and keeps the default place.

    A preheated kernel waits for its visitor's request in a background thread, not in the cell:
    Voilà times every cell (``VoilaExecutor.timeout``), so a kernel waiting in the pool longer than
    that would otherwise give its visitor a page with a timed-out cell.
    """
    from IPython.display import HTML, display

    _log_to_server()
    if in_voila_kernel():
        # Voilà's helpers import its server stack (~1.5 s of CPU): import them while the kernel
        # preheats, not after the page's request has arrived (measured: the page waited for it).
        import voila.utils  # noqa: F401
    app = PlaceApp(served_store(store), "default", comparators, share_leaflet=True)
    display(HTML(provider_html()))  # Leaflet once for the page; each map's frame asks it for the library
    display(app.root)
    log.info("%s %s; waiting for the page's request", APP_READY, app.dx.place.code)
    if is_preheating():
        threading.Thread(target=follow_link, args=(app,), name="pd-page-request", daemon=True).start()
    else:
        follow_link(app)
    return app


def follow_link(app: PlaceApp) -> None:
    """Show the place the page's link asks for (``?place=``), waiting for the request in a
    preheated kernel; a message on the page for an unknown or shared name."""
    try:
        place, message = requested_place(app.store)
    except Exception:  # noqa: BLE001 - in a background thread: the log gets it, the page keeps its place
        log.exception("the page's request could not be read")
        return
    if place is None and message:
        app.say(message + " Type a name or code in the place box to choose one.")
    elif place is not None:
        if place.code != app.dx.place.code:
            app.show(place)
        if message:  # a name several places share: which one is shown
            app.say(message)
