"""The runner: execute the parameterised notebooks for one place and export its report.

Reads top to bottom as the pipeline: resolve the store and the place, choose the notebooks,
execute each with papermill in a staging directory, export one self-contained HTML report, record
the run, and swap the finished directory into place. A failed run leaves the previous output
untouched and keeps the failed notebook (with papermill's banner pointing at the failing cell)
beside it in ``<out>.failed/``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .atomic import staged_directory
from .exceptions import InvalidParameter, NotebookFailed
from .places import Place
from .resources import notebooks_dir

__all__ = ["RunResult", "available_notebooks", "select_notebooks", "run_place", "REPORT_NAME"]

REPORT_NAME = "report.html"
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
        Seconds per notebook, and for the export.
    """

    place: Place
    out_dir: Path
    report: Path
    notebooks: list[Path]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def available_notebooks() -> list[str]:
    """The diagnostic's notebooks, in report order (``00_summary.ipynb``, ``10_economy.ipynb``...)."""
    return sorted(p.name for p in notebooks_dir().glob("*.ipynb") if _NUMBERED.match(p.name))


def select_notebooks(names: Sequence[str] | None) -> list[Path]:
    """Resolve notebook names given by a user ("summary", "00_summary", "00_summary.ipynb").

    Raises
    ------
    InvalidParameter
        For a name that matches no notebook; the message lists the notebooks there are.
    """
    available = available_notebooks()
    if not names:
        return [notebooks_dir() / n for n in available]
    chosen = []
    for name in names:
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


def _record_inputs(output: Path, inputs: dict) -> None:
    """Write what the run used (store, its version, the place) into the executed notebook's metadata."""
    import nbformat

    nb = nbformat.read(output, as_version=4)
    nb.metadata["place_diagnostics"] = inputs
    nbformat.write(nb, output)


def _execute(notebook: Path, output: Path, parameters: dict, kernel_name: str | None) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            cwd=str(output.parent),
            # the kernel talks over loopback only; its warning about unencrypted TCP is noise here
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as err:
        raise NotebookFailed(notebook.name, err.cell_index, f"{err.ename}: {err.evalue}", str(output)) from err


def run_place(
    place: str | Place,
    *,
    store=None,
    out: str | Path | None = None,
    notebooks: Sequence[str] | None = None,
    comparators: str = "nearest",
    kernel_name: str | None = None,
) -> RunResult:
    """Run the diagnostic for one place: executed notebooks plus one self-contained HTML report.

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
    comparators : str, default "nearest"
        Passed to every notebook's ``comparators`` parameter (see :func:`diagnostics.session.start`).
    kernel_name : str, optional
        The Jupyter kernel; default the notebooks' own (``python3``).

    Returns
    -------
    RunResult

    Raises
    ------
    PlaceNotFound
        For an unknown place (with close matches), before anything runs.
    NotebookFailed
        Naming the notebook and the cell; the previous output is left as it was and the failed
        notebook is kept in ``<out>/<code>.failed/``.
    """
    from .report import export_report
    from .session import start

    started = time.perf_counter()
    session = start(place, store, comparators)
    store, place = session.store, session.place
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
        executed = []
        for notebook in chosen:
            t0 = time.perf_counter()
            try:
                _execute(notebook, staging / notebook.name, parameters, kernel_name)
            except NotebookFailed as err:
                kept = _keep_failed(staging / notebook.name, failed_dir)
                raise NotebookFailed(err.notebook, err.cell, err.message, str(kept) if kept else None) from err
            _record_inputs(staging / notebook.name, inputs)
            timings[notebook.name] = time.perf_counter() - t0
            executed.append(staging / notebook.name)
        t0 = time.perf_counter()
        export_report(
            executed,
            staging / REPORT_NAME,
            place_name=place.name,
            source=store.source,
            vintage=store.vintage,
            attribution=store.attribution,
            synthetic=store.is_synthetic,
            title=f"{place.name}: place diagnostic",
        )
        timings["report"] = time.perf_counter() - t0
        record = {
            **inputs,
            "parameters": parameters,
            "notebooks": [p.name for p in chosen],
            "timings": timings,
        }
        (staging / "run.json").write_text(json.dumps(record, indent=2))
        if failed_dir.exists():
            shutil.rmtree(failed_dir, ignore_errors=True)
    executed = [out_dir / p.name for p in chosen]
    return RunResult(place, out_dir, out_dir / REPORT_NAME, executed, time.perf_counter() - started, timings)


def _package_version() -> str:
    from . import __version__

    return __version__


def _keep_failed(notebook: Path | None, failed_dir: Path) -> Path | None:
    """Move a failed notebook out of the staging directory (which is about to be removed)."""
    if notebook is None or not notebook.is_file():
        return None
    failed_dir.parent.mkdir(parents=True, exist_ok=True)
    with staged_directory(failed_dir) as staging:
        shutil.copy2(notebook, staging / notebook.name)
    return failed_dir / notebook.name


