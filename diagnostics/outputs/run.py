"""The runner: execute the parameterised notebooks for one place and export its report.

Reads top to bottom as the pipeline: choose the notebooks, check the output folder, start the
kernel (which imports what the notebooks import while this process goes on), resolve the store and
the place, execute each notebook with papermill in a staging directory, export one self-contained HTML
report, write every figure its tables show as ``figures.csv`` and ``figures.xlsx``
(:mod:`diagnostics.outputs.figures`), (when asked) print the report to ``report.pdf``, record the run,
and swap the finished directory into place. A failed run leaves the previous output
untouched and keeps the failed notebook (with papermill's banner pointing at the failing cell)
beside it in ``<out>.failed/``.

The notebooks of a place run one after another in one kernel (a
:class:`~diagnostics.outputs.kernel.WarmKernel`), each executed notebook exactly what papermill writes;
:func:`execute_place` runs a resolved place in a kernel the caller keeps, which is how the batch
runs place after place in one kernel per worker.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diagnostics.atomic import staged_directory
from diagnostics.exceptions import BrokenStore, InvalidParameter, NotebookFailed, PdfNotMade
from diagnostics.outputs.changes import Edition, check_same_place, compare_editions, edition_of, read_edition
from diagnostics.outputs.changes_report import changes_notebook
from diagnostics.outputs.figures import figures_of_notebooks
from diagnostics.outputs.figures_files import write_figures
from diagnostics.outputs.folders import check_output_folder
from diagnostics.outputs.kernel import WarmKernel
from diagnostics.outputs.pdf import PDF_NAME, footer_label, write_report_pdf
from diagnostics.resources import notebooks_dir
from diagnostics.sections.session import start
from diagnostics.store.places import Place

if TYPE_CHECKING:
    from diagnostics.store.store import Store

__all__ = [
    "RunResult",
    "available_notebooks",
    "select_notebooks",
    "run_place",
    "execute_place",
    "set_up_imports",
    "VIEW_LIBRARIES",
    "input_hash",
    "REPORT_NAME",
    "RECORD_NAME",
]

REPORT_NAME = "report.html"
#: The run's record, beside the report: what it used, its input hash and its timings.
RECORD_NAME = "run.json"
_NUMBERED = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")


@dataclass
class RunResult:
    """What a run wrote.

    Attributes
    ----------
    place : Place
    out_dir : Path
        The place's output folder.
    report : Path
        The self-contained HTML report.
    notebooks : list of Path
        The executed notebooks, in order.
    seconds : float
        Wall-clock time of the whole run.
    timings : dict of str to float
        Seconds per notebook, for the export (``report``) and for the PDF (``pdf``).
    pdf : Path or None
        The report as a PDF, when one was asked for.
    """

    place: Place
    out_dir: Path
    report: Path
    notebooks: list[Path]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    pdf: Path | None = None


def available_notebooks() -> list[str]:
    """The diagnostic's notebooks, in report order (``00_summary.ipynb``, ``10_economy.ipynb``...)."""
    return sorted(p.name for p in notebooks_dir().glob("*.ipynb") if _NUMBERED.match(p.name))


def select_notebooks(names: Sequence[str] | None) -> list[Path]:
    """Resolve notebook names given by a user ("summary", "00_summary", "00_summary.ipynb").

    A name holding a folder (``"my/notebooks/05_extra.ipynb"``) that is an existing notebook file
    is taken as it is: a user's own notebook, run with the same parameters.

    Raises
    ------
    InvalidParameter
        For a name that matches no notebook (the message lists the notebooks there are), or a
        notebook file that is not a Jupyter notebook (not JSON, or not of nbformat 4).
    """
    available = available_notebooks()
    if not names:
        return [notebooks_dir() / n for n in available]
    chosen = []
    for name in names:
        if os.sep in str(name) and str(name).endswith(".ipynb") and Path(name).expanduser().is_file():
            own = Path(name).expanduser().resolve()
            _check_notebook_file(name, own)
            if own not in chosen:
                chosen.append(own)
            continue
        stem = Path(str(name)).name.removesuffix(".ipynb").casefold()
        matches = [n for n in available if n.removesuffix(".ipynb") == stem or n[3:].removesuffix(".ipynb") == stem]
        if not matches:
            raise InvalidParameter(
                f"The 'notebooks' parameter names {name!r}, which is not a notebook of the diagnostic; "
                f"choose from {', '.join(n.removesuffix('.ipynb') for n in available)}."
            )
        if matches[0] not in [p.name for p in chosen]:
            chosen.append(notebooks_dir() / matches[0])
    return sorted(chosen, key=lambda p: p.name)


#: The libraries the diagnostic's views load when they first draw (charts, maps) or compute (statistics);
#: importing a section's page does not load them.
VIEW_LIBRARIES = ("matplotlib.figure", "folium", "geopandas", "scipy.stats")


def set_up_imports(notebooks: Sequence[Path]) -> str:
    """The imports of the set-up cells of the diagnostic's own notebooks among ``notebooks``, one a
    line, then :data:`VIEW_LIBRARIES`.

    A kernel that runs them first (:class:`~diagnostics.outputs.kernel.WarmKernel`'s ``preload``)
    has imported what those notebooks need before their first cell. A user's own notebook adds
    nothing: its imports run in its own cells, where a failure is reported as that notebook's.

    Returns
    -------
    str
        Python import statements (``"import diagnostics"`` at least).
    """
    import nbformat

    ours = notebooks_dir().resolve()
    lines = ["import diagnostics"]
    for path in notebooks:
        path = Path(path)
        if path.resolve().parent != ours:
            continue
        code = [c for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        if code:
            lines += [line for line in code[0].source.splitlines() if line.startswith(("import ", "from "))]
    if len(lines) > 1:
        lines += [f"import {library}" for library in VIEW_LIBRARIES]
    return "\n".join(dict.fromkeys(lines))


def _check_notebook_file(name: str, path: Path) -> None:
    """Raise InvalidParameter unless ``path`` reads as a Jupyter notebook (nbformat 4)."""
    import nbformat

    try:
        nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError, nbformat.ValidationError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InvalidParameter(
            f"The 'notebooks' parameter names {name!r}, which is not a Jupyter notebook ({reason[:200]}); "
            "give a .ipynb file saved by Jupyter, or a notebook of the diagnostic by name."
        ) from err


def _broken_store_found_by(err: NotebookFailed, store: Store) -> BrokenStore:
    """A store file found damaged while a notebook read it (its head and tail were whole when the store
    opened): the store's fault, not the notebook's, so the same error as a damaged file found at open."""
    problems = [line.strip()[2:] for line in err.message.splitlines() if line.strip().startswith("- ")]
    return BrokenStore(str(store.path), [f"{p} (found while running {err.notebook})" for p in problems or [err.message]])


def input_hash(place_code: str, store: Store, notebooks: Sequence[Path], comparators: str = "default") -> str:
    """A digest of everything a place's outputs depend on, for skipping unchanged places.

    It covers the store's version (a digest of its content), each notebook's name and content, the
    parameters that shape the outputs (the place and the comparators; not the store's folder, so a
    moved store with the same content keeps its hash) and the package's version.

    Returns
    -------
    str
        ``"sha256:"`` and 64 hexadecimal digits.
    """
    digest = hashlib.sha256()
    parts = {
        "store_version": store.version,
        "parameters": {"place": place_code, "comparators": comparators},
        "version": _package_version(),
        "notebooks": [[Path(p).name, _file_digest(Path(p))] for p in notebooks],
    }
    digest.update(json.dumps(parts, sort_keys=True).encode())
    return "sha256:" + digest.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_place(
    place: str | Place,
    *,
    store=None,
    out: str | Path | None = None,
    notebooks: Sequence[str] | None = None,
    comparators: str = "default",
    kernel_name: str | None = None,
    kernel_env: Mapping[str, str] | None = None,
    pdf: bool = False,
    since: str | Path | None = None,
) -> RunResult:
    """Run the diagnostic for one place: executed notebooks plus one self-contained HTML report.

    The notebooks run one after another in one kernel started for the run (see
    :mod:`diagnostics.outputs.kernel`); each executed notebook is what papermill writes.

    Parameters
    ----------
    place : str or Place
        A code or name (any case), or ``"default"`` for the store's default place.
    store : Store or path-like, optional
        Default: the embedded synthetic store (built on first use).
    out : path-like, optional
        The parent folder of the outputs; the place's go to ``<out>/<code>/``. Default ``outputs``.
    notebooks : sequence of str, optional
        Which notebooks to run (default: all, in order).
    comparators : str, default "default"
        Passed to every notebook's ``comparators`` parameter (see :func:`diagnostics.sections.session.start`).
    kernel_name : str, optional
        The Jupyter kernel; default the notebooks' own (``python3``).
    kernel_env : mapping of str to str, optional
        The kernel's environment variables, all of them; default a copy of this process's. (The app
        passes its own without Voilà's, so the notebooks do not take themselves for a served page.)
    pdf : bool, default False
        Also print the report to ``report.pdf`` (A4, for board papers) with a headless Chromium
        (:func:`diagnostics.outputs.pdf.write_report_pdf`).
    since : path-like, optional
        An earlier run of the place (its folder, or its ``figures.csv``): the report gains a section
        "Changes since <date>" (:mod:`diagnostics.outputs.changes`). Read before anything runs, so it
        may be the folder this run replaces.

    Returns
    -------
    RunResult

    Raises
    ------
    PlaceNotFound
        For an unknown place (with close matches), before anything runs.
    InvalidParameter
        For a notebook that is not one of the diagnostic's, or a notebook file that cannot be read.
    OutputNotWritable
        When ``out`` is a file, lies under a file or cannot be written to, before anything runs.
    InvalidParameter
        Also for ``since`` without figures.csv, or a run of another place, before anything runs.
    NotebookFailed
        Naming the notebook and the cell; the previous output is left as it was and the failed
        notebook is kept in ``<out>/<code>.failed/``.
    PdfNotMade
        With ``pdf``, when the PDF cannot be made (no playwright or Chromium: the message says what
        to install); everything else is written, and the message names the HTML report.
    """
    started = time.perf_counter()
    previous = read_edition(since, "--since") if since is not None else None
    chosen = select_notebooks(notebooks)
    out = check_output_folder(out or "outputs")
    # the kernel starts, and imports what the notebooks will, while this process opens the store
    with WarmKernel(kernel_name, env=kernel_env, preload=set_up_imports(chosen)).start(wait=False) as kernel:
        session = start(place, store, comparators)
        if previous is not None:
            check_same_place(previous, session.place.code, session.place.name, session.store.is_synthetic)
        result = execute_place(session.place, session.store, kernel, out=out, notebooks=chosen, comparators=comparators,
                               pdf=pdf, previous=previous)
    result.seconds = time.perf_counter() - started
    return result


def execute_place(
    place: Place,
    store: Store,
    kernel: WarmKernel,
    *,
    out: str | Path | None = None,
    notebooks: Sequence[str | Path] | None = None,
    comparators: str = "default",
    pdf: bool = False,
    previous: Edition | None = None,
) -> RunResult:
    """Run the diagnostic for a resolved place in a kernel the caller keeps; write what run_place writes.

    The pipeline of :func:`run_place` without its checks: the place is already resolved and the
    comparators already valid. Only the store's manifest is read here (the kernel reads the data),
    which keeps a batch worker's own process small.

    Parameters
    ----------
    place : Place
    store : Store
    kernel : WarmKernel
        Where the notebooks execute; its namespace is reset before each one.
    out, notebooks, comparators, pdf
        As for :func:`run_place`; ``notebooks`` may also be paths from :func:`select_notebooks`.
    previous : Edition, optional
        An earlier edition of the place's figures (:func:`~diagnostics.outputs.changes.read_edition`):
        the report ends with what changed since.

    Returns
    -------
    RunResult

    Raises
    ------
    NotebookFailed, PdfNotMade
        As for :func:`run_place`.
    """
    # nbconvert and folium (the report's offline check) load on the first export, not with this module
    from diagnostics.outputs.report import export_report

    started = time.perf_counter()
    chosen = select_notebooks(notebooks)
    out_dir = Path(out or "outputs").expanduser().resolve() / place.slug
    parameters = {"place": place.code, "store": str(store.path), "comparators": comparators}
    inputs = {
        "place": place.code,
        "name": place.name,
        "layer": place.layer,
        "store": str(store.path),
        "store_version": store.version,
        "source": store.source,
        "vintage": store.vintage,
        "version": _package_version(),
    }
    timings: dict[str, float] = {}
    failed_dir = out_dir.with_name(out_dir.name + ".failed")
    with staged_directory(out_dir) as staging:
        executed = []  # the executed notebooks as written, handed to the report without reading them back
        for notebook in chosen:
            t0 = time.perf_counter()
            try:
                nb = kernel.execute_notebook(notebook, staging / notebook.name, parameters, cwd=staging, record=inputs)
            except NotebookFailed as err:
                kept = _keep_failed(staging / notebook.name, failed_dir)
                if err.message.startswith(f"{BrokenStore.__name__}:"):
                    raise _broken_store_found_by(err, store) from err
                raise NotebookFailed(err.notebook, err.cell, err.message, str(kept) if kept else None) from err
            timings[notebook.name] = time.perf_counter() - t0
            executed.append(nb)
        t0 = time.perf_counter()
        shown = figures_of_notebooks(executed, place, store)
        sections = list(executed)
        if previous is not None:
            changes = compare_editions(previous, edition_of(shown.figures))
            sections.append(changes_notebook(changes))
        timings["figures"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_report(
            sections,
            staging / REPORT_NAME,
            place_name=place.name,
            source=store.source,
            vintage=store.vintage,
            attribution=store.attribution,
            synthetic=store.is_synthetic,
            title=f"{place.name}: place diagnostic",
        )
        timings["report"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_figures(shown, staging)
        timings["figures"] += time.perf_counter() - t0
        pdf_problem = None
        if pdf:
            t0 = time.perf_counter()
            try:
                write_report_pdf(staging / REPORT_NAME, staging / PDF_NAME, place_name=place.name, vintage=store.vintage,
                                 label=footer_label(store.attribution, store.is_synthetic))
            except PdfNotMade as err:  # the rest of the run is written all the same, then the problem is raised
                pdf_problem = err.problem
            timings["pdf"] = time.perf_counter() - t0
        record = {
            **inputs,
            "parameters": parameters,
            "notebooks": [p.name for p in chosen],
            "input_hash": input_hash(place.code, store, chosen, comparators),
            "generated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "since": previous.label if previous is not None else None,
            "timings": timings,
            **({"pdf": PDF_NAME if pdf_problem is None else None, "pdf_problem": pdf_problem} if pdf else {}),
        }
        (staging / RECORD_NAME).write_text(json.dumps(record, indent=2))
        if failed_dir.exists():
            shutil.rmtree(failed_dir, ignore_errors=True)
    if pdf_problem is not None:
        raise PdfNotMade(str(out_dir / PDF_NAME), pdf_problem, str(out_dir / REPORT_NAME))
    executed = [out_dir / p.name for p in chosen]
    return RunResult(place, out_dir, out_dir / REPORT_NAME, executed, time.perf_counter() - started, timings,
                     out_dir / PDF_NAME if pdf else None)


def _package_version() -> str:
    from diagnostics import __version__

    return __version__


def _keep_failed(notebook: Path | None, failed_dir: Path) -> Path | None:
    """Move a failed notebook out of the staging directory (which is about to be removed)."""
    if notebook is None or not notebook.is_file():
        return None
    failed_dir.parent.mkdir(parents=True, exist_ok=True)
    with staged_directory(failed_dir) as staging:
        shutil.copy2(notebook, staging / notebook.name)
    return failed_dir / notebook.name


