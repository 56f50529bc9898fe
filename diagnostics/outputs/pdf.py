"""The report as a PDF for board papers: the written ``report.html`` printed by a headless Chromium.

Reads top to bottom as the pipeline: check the arguments, find playwright and a Chromium, open the
report from its file with scripts off and every request that leaves the file refused, print it A4
with the place and the data's vintage at the top of every page and the synthetic or licence label
and "Page N of M" at the foot, with the headings as the document's outline and tags (headings,
reading order, images' alternative text) as far as Chromium writes them, and write the bytes
atomically.

What the page shows in print is the report's own print styling (``stylesheet.css``'s print block):
each interactive map gives way to its static drawing (:mod:`diagnostics.render.static_map`) and
the charts are the report's inline SVG, so both stay vectors and their words stay text.

The browser runs in a thread of its own: playwright's synchronous API refuses to run inside an
event loop, and the app (a Jupyter kernel) has one running.
"""

from __future__ import annotations

import concurrent.futures
import html as html_lib
import os
import shutil
from pathlib import Path

from diagnostics.atomic import write_bytes_atomic
from diagnostics.exceptions import InvalidParameter, PdfNotMade

__all__ = ["PDF_NAME", "CHROMIUM_VARIABLE", "find_chromium", "missing_pdf_tool", "footer_label", "write_report_pdf"]

PDF_NAME = "report.pdf"
#: The environment variable naming the Chromium (or Google Chrome) executable to print with.
CHROMIUM_VARIABLE = "PLACE_DIAGNOSTICS_CHROMIUM"
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_INSTALL = (
    "install Chromium (`apt-get install chromium` on Debian, `apt-get install chromium-browser` on Ubuntu) "
    f"or set {CHROMIUM_VARIABLE} to a Chromium or Google Chrome executable"
)
_MARGIN = {"top": "17mm", "bottom": "17mm", "left": "14mm", "right": "14mm"}
#: The page drawn at 80%: a layout 860 CSS pixels wide (182 mm) holds the report's widest tables whole,
#: with the report's 11 pt print text at 8.8 pt (tables' 13 px at 7.8 pt).
_SCALE = 0.8
_BAND = ("font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:8pt;color:#333;width:100%;"
         "margin:0 14mm;display:flex;justify-content:space-between;gap:8mm")


def find_chromium() -> str | None:
    """The Chromium to print with: ``$PLACE_DIAGNOSTICS_CHROMIUM``, else the first of ``chromium``,
    ``chromium-browser``, ``google-chrome`` and ``google-chrome-stable`` on the ``PATH``; ``None`` if
    there is none (playwright's own downloaded browser is then tried).

    Raises
    ------
    PdfNotMade
        If ``$PLACE_DIAGNOSTICS_CHROMIUM`` is set but names no executable file.
    """
    named = os.environ.get(CHROMIUM_VARIABLE, "").strip()
    if named:
        if not (os.path.isfile(named) and os.access(named, os.X_OK)):
            raise PdfNotMade(PDF_NAME, f"{CHROMIUM_VARIABLE} is set to {named!r}, which is not an executable file; "
                                       "set it to a Chromium or Google Chrome executable, or unset it.")
        return named
    return next((found for found in map(shutil.which, _CHROMIUM_NAMES) if found), None)


def missing_pdf_tool() -> str | None:
    """What making a PDF needs and this machine lacks, as a sentence saying what to install; ``None``
    when playwright and a Chromium (the system's, or playwright's own download) are there.

    Raises
    ------
    PdfNotMade
        As :func:`find_chromium`, for a ``$PLACE_DIAGNOSTICS_CHROMIUM`` naming no executable.
    """
    problem = _missing_playwright()
    if problem or find_chromium() is not None:
        return problem
    from playwright.sync_api import sync_playwright

    def downloaded() -> bool:
        with sync_playwright() as p:
            return Path(p.chromium.executable_path).is_file()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # not in the caller's event loop
        return None if pool.submit(downloaded).result() else f"no Chromium was found; {_INSTALL}."


def _missing_playwright() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401  (imported here: only a PDF needs it)
    except ImportError:
        return ("it needs the Python package playwright, which is not installed: `pip install playwright`, "
                f"and {_INSTALL} (playwright's own browser download is not needed).")
    return None


def footer_label(attribution: str, synthetic: bool) -> str:
    """The label at the foot of every page: the synthetic label, else the data's licence in a few words.

    Examples
    --------
    >>> footer_label("Invented data.", True)
    'SYNTHETIC DATA: describes no real place'
    >>> footer_label("Contains public sector information licensed under the Open Government Licence v3.0 (...).", False)
    'Contains public sector information licensed under the Open Government Licence v3.0'
    """
    if synthetic:
        return "SYNTHETIC DATA: describes no real place"
    first = attribution.strip().split(" (", 1)[0].split(". ", 1)[0].rstrip(".")
    return first[:140]


def write_report_pdf(
    report_html: str | os.PathLike,
    out_pdf: str | os.PathLike,
    *,
    place_name: str,
    vintage: str,
    label: str,
    timeout_s: float = 180.0,
) -> Path:
    """Print a written HTML report to an A4 PDF with a running header and footer.

    Parameters
    ----------
    report_html : path
        The self-contained report (:func:`diagnostics.outputs.report.export_report`).
    out_pdf : path
        Where to write the PDF; an existing file is replaced only once the new one is complete.
    place_name : str
        At the top left of every page.
    vintage : str
        The data's vintage, at the top right of every page.
    label : str
        At the foot of every page, beside "Page N of M": the synthetic or licence label
        (:func:`footer_label`).
    timeout_s : float, default 180.0
        Seconds the browser may take to open and print the report.

    Returns
    -------
    pathlib.Path
        The PDF's path.

    Raises
    ------
    InvalidParameter
        If ``report_html`` is not a file, or a text argument is empty.
    PdfNotMade
        If playwright is not installed, no Chromium is found (the message says what to install),
        or the browser fails; ``out_pdf`` is then left as it was.
    """
    report_html = Path(report_html)
    if not report_html.is_file():
        raise InvalidParameter(f"The 'report_html' parameter of write_report_pdf must be a written report; {str(report_html)!r} is not a file.")
    for name, value in (("place_name", place_name), ("vintage", vintage), ("label", label)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidParameter(f"The {name!r} parameter of write_report_pdf must be a non-empty str; got {value!r}.")
    out_pdf = Path(out_pdf)
    problem = _missing_playwright()
    if problem:
        raise PdfNotMade(str(out_pdf), problem)
    executable = find_chromium()
    header = (f'<div style="{_BAND}"><span>Place diagnostic: {html_lib.escape(place_name)}</span>'
              f"<span>Data: {html_lib.escape(vintage)}</span></div>")
    footer = (f'<div style="{_BAND}"><span style="font-weight:700">{html_lib.escape(label)}</span>'
              '<span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-pdf") as pool:
        data = pool.submit(_print, report_html.resolve(), executable, header, footer, timeout_s, str(out_pdf)).result()
    return write_bytes_atomic(out_pdf, data)


def _print(report: Path, executable: str | None, header: str, footer: str, timeout_s: float, out_pdf: str) -> bytes:
    """The report printed by Chromium (in this thread): its PDF's bytes."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, headless=True)
        except PlaywrightError as err:
            found = f"the Chromium at {executable} did not start ({str(err).splitlines()[0][:200]})" if executable else \
                "no Chromium was found"
            raise PdfNotMade(out_pdf, f"{found}; {_INSTALL}.") from err
        try:
            page = browser.new_page(java_script_enabled=False)
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else route.abort())
            page.goto(report.as_uri(), wait_until="load", timeout=timeout_s * 1000)
            return page.pdf(format="A4", margin=_MARGIN, scale=_SCALE, print_background=True, display_header_footer=True,
                            header_template=header, footer_template=footer, outline=True, tagged=True)
        except PlaywrightError as err:
            raise PdfNotMade(out_pdf, f"Chromium failed while printing the report: {str(err).splitlines()[0][:300]}") from err
        finally:
            browser.close()
