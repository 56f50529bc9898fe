"""The batch: the diagnostic for many places at once, on this machine or on a Dask cluster.

One code path on ``dask.distributed``: a :class:`~distributed.LocalCluster` of worker processes
by default, or an existing cluster given by its scheduler's address. Each place is one task, and
each task writes exactly what ``place-diagnostic run`` writes (:func:`diagnostics.outputs.run.execute_place`).

Reads top to bottom as the pipeline: choose the places and the notebooks, hash each place's inputs,
skip the places whose outputs are current (``resume``), connect to the cluster (a batch that cannot
start writes nothing), run the rest on it (a failed place is recorded, tried once more, and the
batch goes on), then write ``manifest.csv`` and ``index.html``
(:mod:`diagnostics.outputs.batch_index`), merged with the places an earlier batch listed there.

Every worker thread keeps one warm kernel (:func:`diagnostics.outputs.kernel.shared_kernel`) that executes
notebook after notebook, place after place: the kernel start and the imports are paid once per
worker, and the stores the kernel opens stay cached in it. A plugin stops the kernels when the
workers close. Workers must see the store and the output folder at the same paths as the client
(one machine, or a shared file system).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

from diagnostics.exceptions import InvalidParameter, PdfNotMade
from diagnostics.outputs.batch_cluster import check_scheduler_address, cluster_client, run_on_cluster
from diagnostics.outputs.batch_index import read_manifest, write_index, write_manifest
from diagnostics.outputs.batch_outcomes import STATUSES, BatchProgress, BatchResult, PlaceOutcome, merge_outcomes
from diagnostics.outputs.changes import earlier_editions
from diagnostics.outputs.folders import check_output_folder
from diagnostics.outputs.pdf import PDF_NAME, missing_pdf_tool
from diagnostics.outputs.run import RECORD_NAME, REPORT_NAME, input_hash, select_notebooks
from diagnostics.sections.derived import derive_tables
from diagnostics.sources import open_store
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "select_places",
    "run_batch",
]

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------
# Which places
# --------------------------------------------------------------------------------------------------


def select_places(
    store,
    *,
    places: str | Sequence[str] | None = None,
    layer: str | None = None,
    within: str | None = None,
    from_file: str | os.PathLike | None = None,
) -> list[Place]:
    """The places of a batch, in a stable order (by code).

    Parameters
    ----------
    store : Store or path-like
    places : "all", or a sequence (or comma-separated str) of codes or names, optional
        ``"all"`` (the default) is every area of ``layer``.
    layer : str, optional
        The layer of the places; default ``district``. With ``places`` names or ``from_file``, the
        layer each name is looked up in (default: any, the preferred layer winning).
    within : str, optional
        Only places inside this area (a region's code or name): those with it among their ancestors.
    from_file : path-like, optional
        A text file with one code or name per line (blank lines and ``#`` comments skipped); a CSV
        file with a ``code`` column also works.

    Raises
    ------
    InvalidParameter
        For an unknown layer, a file that does not exist or is not text, or a selection with no place.
    PlaceNotFound
        For a code or name (or ``within``) the store does not have, with close matches.
    """
    store = open_store(store)
    chosen_layer = layer or "district"
    if chosen_layer not in set(store.areas["layer"]):
        raise InvalidParameter(
            f"The 'layer' parameter must be one of the store's layers {store.layers}; got {chosen_layer!r}."
        )
    named_in = [layer] if layer else None  # names given are looked up in the layer when one is given
    if from_file is not None:
        names = _names_from_file(Path(from_file))
        found = [resolve_place(n, store, named_in) for n in names]
    elif places is not None and not (isinstance(places, str) and places.strip().casefold() == "all"):
        items = places.split(",") if isinstance(places, str) else list(places)
        found = [resolve_place(i.strip(), store, named_in) for i in items if str(i).strip()]
    else:
        areas = store.areas_in_layer(chosen_layer)
        found = [Place(str(c), str(n), chosen_layer) for c, n in zip(areas["code"], areas["name"])]
    if within is not None:
        container = resolve_place(within, store)
        found = [p for p in found if container.code in store.ancestors(p.code)]
    unique = sorted({p.code: p for p in found}.values(), key=lambda p: p.code)
    if not unique:
        where = f" within {within!r}" if within else ""
        raise InvalidParameter(f"The batch's selection holds no place (layer {chosen_layer!r}{where}); widen it.")
    return unique


def _names_from_file(path: Path) -> list[str]:
    if not path.is_file():
        raise InvalidParameter(f"The 'from_file' parameter names {str(path)!r}, which is not a file.")
    text = _decoded(path)
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].split(",")[0].strip().casefold() == "code":
        import io

        import pandas as pd

        return [str(c).strip() for c in pd.read_csv(io.StringIO(text), dtype=str, comment="#")["code"].dropna()]
    return lines


def _decoded(path: Path) -> str:
    """A list file's text: UTF-8 (with or without a byte-order mark), else Windows-1252 (a spreadsheet's
    "CSV" export on a UK government machine)."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidParameter(
        f"The 'from_file' parameter names {str(path)!r}, which is not text in UTF-8 or Windows-1252 "
        "(binary content?); save it as a UTF-8 text file with one code or name per line.")


# --------------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------------


def _is_current(out_dir: Path, digest: str, notebooks: list[Path], pdf: bool = False) -> bool:
    """Whether a place's outputs exist (with its PDF, when one is asked for) and were made from the same inputs."""
    record = out_dir / RECORD_NAME
    if not (record.is_file() and (out_dir / REPORT_NAME).is_file()):
        return False
    if pdf and not (out_dir / PDF_NAME).is_file():
        return False
    if not all((out_dir / nb.name).is_file() for nb in notebooks):
        return False
    try:
        return json.loads(record.read_text()).get("input_hash") == digest
    except (OSError, ValueError):
        return False


def _derive_once(store, layers: list[str]) -> None:
    """The store's derived tables, computed here once (:func:`diagnostics.sections.derived.derive_tables`)
    before the workers start, so that every kernel reads them from the cache folder instead of
    computing them from the whole country's tables."""
    try:
        derive_tables(store, layers)
    except Exception as err:  # each place then derives what it needs and reports its own failure
        logger.warning("The store's derived tables could not be computed before the batch (%s: %s); "
                       "each place computes what it needs.", type(err).__name__, err)


def run_batch(
    places: Sequence[Place],
    *,
    store=None,
    out: str | os.PathLike = "outputs",
    notebooks: Sequence[str] | None = None,
    comparators: str = "default",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retries: int = 1,
    map_indicator: str | None = None,
    kernel_name: str | None = None,
    cell_timeout: float | None = 1800.0,
    progress: Callable[[BatchProgress], None] | None = None,
    pdf: bool = False,
    since: str | os.PathLike | None = None,
) -> BatchResult:
    """Run the diagnostic for many places on a Dask cluster; write the index and the manifest.

    Parameters
    ----------
    places : sequence of Place
        From :func:`select_places`.
    store : Store or path-like, optional
        Default: the embedded synthetic store.
    out : path-like, default "outputs"
        Each place's outputs go to ``<out>/<code>/`` (as ``place-diagnostic run`` writes them);
        ``index.html`` and ``manifest.csv`` to ``<out>/``.
    notebooks : sequence of str, optional
        Which notebooks (default: every notebook of the diagnostic; see
        :func:`diagnostics.outputs.run.select_notebooks`).
    comparators : str, default "default"
    workers : int, optional
        Worker processes of the local cluster; default one per core (no more than the places).
    scheduler : str, optional
        The address of an existing cluster's scheduler (``tcp://host:8786``); then ``workers`` is
        not used. Its workers must see ``store`` and ``out`` at the same paths.
    resume : bool, default False
        Skip the places whose outputs exist and whose input hash is unchanged.
    retries : int, default 1
        How many more times a failed place is run before it is recorded as failed.
    map_indicator : str, optional
        The indicator of the index's map (default: see :func:`diagnostics.outputs.batch_index.write_index`).
    kernel_name : str, optional
        The Jupyter kernel (default the notebooks' own).
    cell_timeout : float or None, default 1800
        Seconds one cell may run before its place fails and the kernel is restarted.
    progress : callable, optional
        Called with a :class:`BatchProgress` after each place (and each place skipped).
    pdf : bool, default False
        Also write each place's ``report.pdf`` (see :func:`diagnostics.outputs.run.run_place`); with
        ``resume``, a place without its PDF is run again.
    since : path-like, optional
        An earlier batch's output folder (it may be ``out`` itself: its figures are read first): the
        index gains a column with each place's changes since (:mod:`diagnostics.outputs.changes`).

    Returns
    -------
    BatchResult
        ``all_succeeded`` is what the command's exit status reports; ``outcomes`` are this batch's
        places. The manifest and the index also keep the places an earlier batch listed in ``out``
        that this one did not run (a place this one left "not run" keeps its earlier row).

    Raises
    ------
    InvalidParameter
        For no place, a bad number of workers or retries, both ``workers`` and ``scheduler``, a
        scheduler's address Dask cannot dial, or a ``since`` that is not a folder or holds no figures
        of these places.
    OutputNotWritable
        When ``out`` is a file, lies under a file or cannot be written to.
    ClusterUnavailable
        When the scheduler does not answer within a few seconds; nothing is written then.
    PdfNotMade
        With ``pdf``, when this machine lacks playwright or a Chromium (the message says what to
        install), before anything runs.
    """
    if not places:
        raise InvalidParameter("The 'places' parameter of run_batch must hold at least one place; got none.")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InvalidParameter(f"The 'workers' parameter of run_batch must be a positive integer; got {workers!r}.")
    if workers is not None and scheduler:
        raise InvalidParameter(
            "The 'workers' and 'scheduler' parameters of run_batch exclude each other: give the number "
            "of local workers, or the address of an existing cluster."
        )
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InvalidParameter(f"The 'retries' parameter of run_batch must be an integer >= 0; got {retries!r}.")

    if scheduler:
        check_scheduler_address(scheduler)
    if pdf and (problem := missing_pdf_tool()):
        raise PdfNotMade(PDF_NAME, f"{problem} Nothing was run; run the batch again without --pdf, or once it is installed.")

    started = time.perf_counter()
    store = open_store(store)
    chosen = select_notebooks(notebooks)
    if map_indicator is not None and map_indicator not in store.indicator_ids:
        raise InvalidParameter(
            f"The 'map_indicator' parameter names {map_indicator!r}, which is not an indicator of the store; "
            f"choose one of: {', '.join(sorted(store.indicator_ids))}."
        )
    out_dir = check_output_folder(out)
    earlier = earlier_editions(since, places) if since is not None else None
    outcomes: dict[str, PlaceOutcome] = {}
    todo: list[tuple[Place, str]] = []
    for place in places:
        digest = input_hash(place.code, store, chosen, comparators)
        if resume and _is_current(out_dir / place.slug, digest, chosen, pdf):
            outcomes[place.code] = PlaceOutcome(place.code, place.name, place.layer, "unchanged", input_hash=digest)
        else:
            outcomes[place.code] = PlaceOutcome(place.code, place.name, place.layer, "not run", input_hash=digest)
            todo.append((place, digest))
    if todo:
        _derive_once(store, sorted({place.layer for place, _ in todo}))

    tally = {"done": 0, "failed": 0, "retrying": 0}

    def report(outcome: PlaceOutcome) -> None:
        if progress is not None:
            progress(
                BatchProgress(len(todo), tally["done"], tally["failed"], tally["retrying"], outcome,
                              time.perf_counter() - started)
            )

    n_workers = 0
    with ExitStack() as cluster:
        # the cluster first: a batch that cannot start (a scheduler out of reach) writes nothing
        client = cluster.enter_context(cluster_client(workers, scheduler, len(todo))) if todo else None
        out_dir.mkdir(parents=True, exist_ok=True)
        previous = read_manifest(out_dir)
        try:
            if client is not None:
                n_workers = run_on_cluster(
                    client, todo, outcomes, store, out_dir, chosen, comparators, retries,
                    kernel_name, cell_timeout, tally, report, pdf,
                )
        finally:  # also when interrupted or stopped: what finished is listed, the rest "not run"
            ordered = [outcomes[p.code] for p in places]
            listed = merge_outcomes(previous, ordered)
            manifest = write_manifest(out_dir, listed)
            index = write_index(out_dir, listed, store, map_indicator=map_indicator, earlier=earlier)
    counts = {s: sum(o.status == s for o in ordered) for s in STATUSES}
    return BatchResult(out_dir, ordered, index, manifest, time.perf_counter() - started, n_workers, counts)
