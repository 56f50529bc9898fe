"""The batch: the diagnostic for many places at once, on this machine or on a Dask cluster.

One code path on ``dask.distributed``: a :class:`~distributed.LocalCluster` of worker processes
by default, or an existing cluster given by its scheduler's address. Each place is one task, and
each task writes exactly what ``place-diagnostic run`` writes (:func:`diagnostics.outputs.run.execute_place`).

Reads top to bottom as the pipeline: choose the places and the notebooks, hash each place's inputs,
skip the places whose outputs are current (``resume``), run the rest on the cluster (a failed
place is recorded, tried once more, and the batch goes on), then write ``manifest.csv`` and
``index.html`` (:mod:`diagnostics.outputs.batch_index`).

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
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from diagnostics.exceptions import InvalidParameter, NotebookFailed
from diagnostics.outputs.batch_index import write_index, write_manifest
from diagnostics.outputs.kernel import shared_kernel, shutdown_shared_kernels
from diagnostics.outputs.run import RECORD_NAME, REPORT_NAME, execute_place, input_hash, select_notebooks
from diagnostics.sources import open_store
from diagnostics.store.places import Place, resolve_place

__all__ = [
    "PlaceOutcome",
    "BatchProgress",
    "BatchResult",
    "select_places",
    "run_batch",
    "progress_reporter",
    "STATUSES",
]

logger = logging.getLogger(__name__)

#: A place's status in the manifest: run now and succeeded, failed (after its retry), or left as it
#: was because its outputs exist and its inputs are unchanged (``resume``); "not run" when the
#: batch was interrupted before it.
STATUSES = ("ok", "failed", "unchanged", "not run")

_PLUGIN_NAME = "place-diagnostics-warm-kernels"


@dataclass
class PlaceOutcome:
    """What happened to one place (it crosses from a worker to the client, so it pickles).

    Attributes
    ----------
    code, name, layer : str
        The place.
    status : str
        One of :data:`STATUSES`.
    seconds : float
        Wall-clock seconds of the place's last attempt (0 when not run).
    attempts : int
        How many times it ran (2 when its first attempt failed).
    error : str
        Empty on success; else the failing notebook, cell and message.
    notebook : str
        The failing notebook's file name ("" on success).
    cell : int or None
        The failing cell's index in the executed notebook, when known.
    input_hash : str
        :func:`diagnostics.outputs.run.input_hash` of the place's inputs.
    worker : str
        The worker that ran it.
    worker_mb, kernel_mb : float
        Peak resident memory (MiB) so far of the worker's process and of its kernel's, read after
        the place (the kernel's since its last start).
    """

    code: str
    name: str
    layer: str
    status: str
    seconds: float = 0.0
    attempts: int = 0
    error: str = ""
    notebook: str = ""
    cell: int | None = None
    input_hash: str = ""
    worker: str = ""
    worker_mb: float = float("nan")
    kernel_mb: float = float("nan")

    @property
    def succeeded(self) -> bool:
        return self.status in ("ok", "unchanged")

    def as_row(self) -> dict:
        return asdict(self)


@dataclass
class BatchProgress:
    """The state of a batch after each place, for a progress bar or log lines."""

    total: int
    done: int
    failed: int
    retrying: int
    outcome: PlaceOutcome
    elapsed: float


@dataclass
class BatchResult:
    """What a batch wrote.

    Attributes
    ----------
    out_dir : Path
    outcomes : list of PlaceOutcome
        One per place, in the order the places were given.
    index : Path
        ``index.html``.
    manifest : Path
        ``manifest.csv``.
    seconds : float
    workers : int
        How many workers the cluster had.
    """

    out_dir: Path
    outcomes: list[PlaceOutcome]
    index: Path
    manifest: Path
    seconds: float
    workers: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def all_succeeded(self) -> bool:
        return all(o.succeeded for o in self.outcomes)

    @property
    def failed(self) -> list[PlaceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


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
        The layer of the places; default ``district``.
    within : str, optional
        Only places inside this area (a region's code or name): those with it among their ancestors.
    from_file : path-like, optional
        A text file with one code or name per line (blank lines and ``#`` comments skipped); a CSV
        file with a ``code`` column also works.

    Raises
    ------
    InvalidParameter
        For an unknown layer, a file that does not exist, or a selection with no place.
    PlaceNotFound
        For a code or name (or ``within``) the store does not have, with close matches.
    """
    store = open_store(store)
    chosen_layer = layer or "district"
    if chosen_layer not in set(store.areas["layer"]):
        raise InvalidParameter(
            f"The 'layer' parameter must be one of the store's layers {store.layers}; got {chosen_layer!r}."
        )
    if from_file is not None:
        names = _names_from_file(Path(from_file))
        found = [resolve_place(n, store) for n in names]
    elif places is not None and not (isinstance(places, str) and places.strip().casefold() == "all"):
        items = places.split(",") if isinstance(places, str) else list(places)
        found = [resolve_place(i.strip(), store) for i in items if str(i).strip()]
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
    lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].split(",")[0].strip().casefold() == "code":
        import pandas as pd

        return [str(c).strip() for c in pd.read_csv(path, dtype=str, comment="#")["code"].dropna()]
    return lines


# --------------------------------------------------------------------------------------------------
# On a worker
# --------------------------------------------------------------------------------------------------


def _peak_mb(pid: int | None) -> float:
    """A process's peak resident memory so far in MiB (Linux ``VmHWM``; else its current RSS)."""
    if not pid:
        return float("nan")
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.Error:
        return float("nan")


def _run_on_worker(
    place: Place,
    store_path: str,
    out: str,
    notebooks: list[str],
    comparators: str,
    kernel_name: str | None,
    cell_timeout: float | None,
    expected_hash: str,
    attempt: int,
) -> PlaceOutcome:
    """Run one place in this worker thread's warm kernel; never raises for the place's own failure."""
    started = time.perf_counter()
    outcome = PlaceOutcome(place.code, place.name, place.layer, "ok", attempts=attempt, input_hash=expected_hash)
    outcome.worker = _worker_name()
    kernel = shared_kernel(kernel_name, cell_timeout=cell_timeout)
    try:
        execute_place(place, open_store(store_path), kernel, out=out, notebooks=notebooks, comparators=comparators)
    except NotebookFailed as err:
        outcome.status, outcome.error = "failed", str(err)
        outcome.notebook, outcome.cell = err.notebook, err.cell
    except Exception as err:  # the batch records any failure of one place and goes on
        outcome.status, outcome.error = "failed", f"{type(err).__name__}: {err}"
    outcome.seconds = time.perf_counter() - started
    outcome.worker_mb = _peak_mb(os.getpid())
    outcome.kernel_mb = _peak_mb(kernel.pid)
    return outcome


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().name)
    except ValueError:  # not on a worker (run in the client's process)
        return f"pid {os.getpid()}"


def _plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmKernels(WorkerPlugin):
        """Stop the worker's warm kernels when the worker closes."""

        name = _PLUGIN_NAME

        def teardown(self, worker):
            shutdown_shared_kernels()

    return WarmKernels()


# --------------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------------


def _is_current(out_dir: Path, digest: str, notebooks: list[Path]) -> bool:
    """Whether a place's outputs exist and were made from the same inputs."""
    record = out_dir / RECORD_NAME
    if not (record.is_file() and (out_dir / REPORT_NAME).is_file()):
        return False
    if not all((out_dir / nb.name).is_file() for nb in notebooks):
        return False
    try:
        return json.loads(record.read_text()).get("input_hash") == digest
    except (OSError, ValueError):
        return False


#: Dask settings of the workers a batch starts on this machine. A worker's statistical profiler
#: samples every thread's stack every 10 ms; here a worker's one task waits on its kernel, so the
#: samples only say "waiting" and cost the kernels' cores. An existing cluster keeps its own settings.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def _connect(workers: int | None, scheduler: str | None, n_tasks: int):
    """A dask client and the cluster it made (None for an existing cluster)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="30s"), None
    import dask

    n = workers or min(os.cpu_count() or 1, max(n_tasks, 1))
    with dask.config.set(LOCAL_WORKER_CONFIG):  # the workers' nannies take the config they start with
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,  # one kernel per worker process: the cores run notebooks, not threads
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
            memory_limit=0,  # a place's kernel lives outside the worker: dask cannot account for it
        )
    return Client(cluster), cluster


def run_batch(
    places: Sequence[Place],
    *,
    store=None,
    out: str | os.PathLike = "outputs",
    notebooks: Sequence[str] | None = None,
    comparators: str = "nearest",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    retries: int = 1,
    map_indicator: str | None = None,
    kernel_name: str | None = None,
    cell_timeout: float | None = 1800.0,
    progress: Callable[[BatchProgress], None] | None = None,
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
    comparators : str, default "nearest"
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

    Returns
    -------
    BatchResult
        ``all_succeeded`` is what the command's exit status reports.

    Raises
    ------
    InvalidParameter
        For no place, a bad number of workers or retries, or both ``workers`` and ``scheduler``.
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

    started = time.perf_counter()
    store = open_store(store)
    chosen = select_notebooks(notebooks)
    if map_indicator is not None and map_indicator not in store.indicator_ids:
        raise InvalidParameter(
            f"The 'map_indicator' parameter names {map_indicator!r}, which is not an indicator of the store; "
            f"choose one of: {', '.join(sorted(store.indicator_ids))}."
        )
    out_dir = Path(out).expanduser().resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, PlaceOutcome] = {}
    todo: list[tuple[Place, str]] = []
    for place in places:
        digest = input_hash(place.code, store, chosen, comparators)
        if resume and _is_current(out_dir / place.slug, digest, chosen):
            outcomes[place.code] = PlaceOutcome(place.code, place.name, place.layer, "unchanged", input_hash=digest)
        else:
            outcomes[place.code] = PlaceOutcome(place.code, place.name, place.layer, "not run", input_hash=digest)
            todo.append((place, digest))

    tally = {"done": 0, "failed": 0, "retrying": 0}

    def report(outcome: PlaceOutcome) -> None:
        if progress is not None:
            progress(
                BatchProgress(len(todo), tally["done"], tally["failed"], tally["retrying"], outcome,
                              time.perf_counter() - started)
            )

    n_workers = 0
    try:
        if todo:
            n_workers = _run_on_cluster(
                todo, outcomes, store, out_dir, chosen, comparators, workers, scheduler, retries,
                kernel_name, cell_timeout, tally, report,
            )
    finally:  # also when interrupted: what finished is listed, the rest "not run"
        ordered = [outcomes[p.code] for p in places]
        manifest = write_manifest(out_dir, ordered)
        index = write_index(out_dir, ordered, store, map_indicator=map_indicator)
    counts = {s: sum(o.status == s for o in ordered) for s in STATUSES}
    return BatchResult(out_dir, ordered, index, manifest, time.perf_counter() - started, n_workers, counts)


def _run_on_cluster(todo, outcomes, store, out_dir, chosen, comparators, workers, scheduler, retries,
                    kernel_name, cell_timeout, tally, report) -> int:
    from distributed import as_completed

    client, cluster = _connect(workers, scheduler, len(todo))
    try:
        client.register_plugin(_plugin(), name=_PLUGIN_NAME)
        n_workers = len(client.nthreads())
        arguments = (str(store.path), str(out_dir), [str(p) for p in chosen], comparators, kernel_name, cell_timeout)

        def submit(place: Place, digest: str, attempt: int):
            return client.submit(
                _run_on_worker, place, *arguments, digest, attempt,
                key=f"place-{place.slug}-attempt-{attempt}", pure=False,
            )

        futures = {}
        for place, digest in todo:
            futures[submit(place, digest, 1)] = (place, digest, 1)
        pending = as_completed(list(futures))
        for future in pending:
            place, digest, attempt = futures.pop(future)
            try:
                outcome = future.result()
            except Exception as err:  # the worker itself was lost (killed, out of memory)
                outcome = PlaceOutcome(place.code, place.name, place.layer, "failed", attempts=attempt,
                                       error=f"{type(err).__name__}: {err}", input_hash=digest)
            if outcome.status == "failed" and attempt <= retries:
                tally["retrying"] += 1
                retry = submit(place, digest, attempt + 1)
                futures[retry] = (place, digest, attempt + 1)
                pending.add(retry)
                logger.info("%s failed (%s); trying again", place.label, outcome.error)
                continue
            if outcome.status == "failed":
                tally["failed"] += 1
            tally["done"] += 1
            outcomes[place.code] = outcome
            report(outcome)
        return n_workers
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
        else:
            try:
                client.unregister_worker_plugin(_PLUGIN_NAME)
            finally:
                client.close()


# --------------------------------------------------------------------------------------------------
# Progress, for people
# --------------------------------------------------------------------------------------------------


def _eta(progress: BatchProgress) -> str:
    if not progress.done or progress.done >= progress.total:
        return ""
    left = progress.elapsed / progress.done * (progress.total - progress.done)
    return f"; about {left / 60:.1f} min left" if left >= 60 else f"; about {left:.0f} s left"


@contextmanager
def progress_reporter(*, quiet: bool = False, stream: IO[str] | None = None) -> Iterator[Callable[[BatchProgress], None]]:
    """A ``progress`` callback for :func:`run_batch`: a progress bar, or one log line per place.

    The bar (tqdm) shows the places done, the failed ones and the estimated time left; with
    ``quiet`` each place writes a line instead (``[12/50] Radworth (Z07000012) ok in 3.1 s; 0
    failed; about 2.0 min left``), which suits logs. Both go to ``stream`` (default stderr).
    """
    stream = stream or sys.stderr
    bar = None

    def report(progress: BatchProgress) -> None:
        nonlocal bar
        o = progress.outcome
        if quiet:
            line = (
                f"[{progress.done}/{progress.total}] {o.name} ({o.code}) {o.status} in {o.seconds:.1f} s"
                + (f" ({o.error})" if o.error else "")
                + f"; {progress.failed} failed{_eta(progress)}"
            )
            stream.write(line + "\n")
            stream.flush()
            return
        if bar is None:
            from tqdm.auto import tqdm

            bar = tqdm(total=progress.total, unit="place", desc="Places", file=stream, dynamic_ncols=True)
        bar.set_postfix_str(f"failed {progress.failed}", refresh=False)
        bar.update(progress.done - bar.n)

    try:
        yield report
    finally:
        if bar is not None:
            bar.close()
