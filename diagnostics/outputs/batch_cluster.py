"""The batch on ``dask.distributed``: a local cluster of worker processes or an existing one, each
worker thread running places in its own warm kernel, and what a worker reports back.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from diagnostics.exceptions import NotebookFailed
from diagnostics.outputs.batch_outcomes import PlaceOutcome
from diagnostics.outputs.kernel import shared_kernel, shutdown_shared_kernels
from diagnostics.outputs.run import execute_place
from diagnostics.sources import open_store
from diagnostics.store.places import Place

__all__ = [
    "LOCAL_WORKER_CONFIG",
    "PLUGIN_NAME",
    "connect",
    "run_on_cluster",
    "run_on_worker",
    "peak_mb",
    "worker_name",
    "warm_kernels_plugin",
]

#: The name of the worker plugin that stops the warm kernels when a worker closes.
PLUGIN_NAME = "place-diagnostics-warm-kernels"

logger = logging.getLogger("diagnostics.outputs.batch")


# --------------------------------------------------------------------------------------------------
# On a worker
# --------------------------------------------------------------------------------------------------


def peak_mb(pid: int | None) -> float:
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


def run_on_worker(
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
    outcome.worker = worker_name()
    kernel = shared_kernel(kernel_name, cell_timeout=cell_timeout)
    try:
        execute_place(place, open_store(store_path), kernel, out=out, notebooks=notebooks, comparators=comparators)
    except NotebookFailed as err:
        outcome.status, outcome.error = "failed", str(err)
        outcome.notebook, outcome.cell = err.notebook, err.cell
    except Exception as err:  # the batch records any failure of one place and goes on
        outcome.status, outcome.error = "failed", f"{type(err).__name__}: {err}"
    outcome.seconds = time.perf_counter() - started
    outcome.worker_mb = peak_mb(os.getpid())
    outcome.kernel_mb = peak_mb(kernel.pid)
    return outcome


def worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().name)
    except ValueError:  # not on a worker (run in the client's process)
        return f"pid {os.getpid()}"


def warm_kernels_plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmKernels(WorkerPlugin):
        """Stop the worker's warm kernels when the worker closes."""

        name = PLUGIN_NAME

        def teardown(self, worker):
            shutdown_shared_kernels()

    return WarmKernels()


#: Dask settings of the workers a batch starts on this machine. A worker's statistical profiler
#: samples every thread's stack every 10 ms; here a worker's one task waits on its kernel, so the
#: samples only say "waiting" and cost the kernels' cores. An existing cluster keeps its own settings.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def connect(workers: int | None, scheduler: str | None, n_tasks: int):
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


def run_on_cluster(todo, outcomes, store, out_dir, chosen, comparators, workers, scheduler, retries,
                    kernel_name, cell_timeout, tally, report) -> int:
    from distributed import as_completed

    client, cluster = connect(workers, scheduler, len(todo))
    try:
        client.register_plugin(warm_kernels_plugin(), name=PLUGIN_NAME)
        n_workers = len(client.nthreads())
        arguments = (str(store.path), str(out_dir), [str(p) for p in chosen], comparators, kernel_name, cell_timeout)

        def submit(place: Place, digest: str, attempt: int):
            return client.submit(
                run_on_worker, place, *arguments, digest, attempt,
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
                client.unregister_worker_plugin(PLUGIN_NAME)
            finally:
                client.close()
