"""The batch on ``dask.distributed``: a local cluster of worker processes or an existing one, each
worker thread running places in its own warm kernel, and what a worker reports back.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from diagnostics.exceptions import ClusterUnavailable, InvalidParameter, NotebookFailed
from diagnostics.outputs.batch_outcomes import PlaceOutcome
from diagnostics.outputs.kernel import shared_kernel, shutdown_shared_kernels
from diagnostics.outputs.run import execute_place
from diagnostics.sources import open_store
from diagnostics.store.places import Place

__all__ = [
    "LOCAL_WORKER_CONFIG",
    "PLUGIN_NAME",
    "SCHEDULER_TIMEOUT_S",
    "check_scheduler_address",
    "cluster_client",
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
    pdf: bool = False,
) -> PlaceOutcome:
    """Run one place in this worker thread's warm kernel; never raises for the place's own failure."""
    started = time.perf_counter()
    outcome = PlaceOutcome(place.code, place.name, place.layer, "ok", attempts=attempt, input_hash=expected_hash)
    outcome.worker = worker_name()
    kernel = shared_kernel(kernel_name, cell_timeout=cell_timeout)
    try:
        execute_place(place, open_store(store_path), kernel, out=out, notebooks=notebooks, comparators=comparators, pdf=pdf)
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


def warm_kernels_plugin(*, own_cluster: bool = False):
    """A worker plugin that stops the worker's warm kernels when the worker closes (or the plugin is
    removed).

    On a cluster of the batch's own (``own_cluster``) a worker also ignores Ctrl-C (the terminal
    sends it to every process of the batch: the batch itself stops the workers, and a worker that
    took it would print its own traceback), and a kernel still running a place when the cluster
    closes (the batch was stopped) is ended at once, the place's half-built folder and the kernel's
    connection file with it. Someone else's cluster may run other work: its kernels are waited for.
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmKernels(WorkerPlugin):
        name = PLUGIN_NAME

        def setup(self, worker):
            if own_cluster and threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)

        def teardown(self, worker):
            shutdown_shared_kernels(now=own_cluster)

    return WarmKernels()


#: Dask settings of the workers a batch starts on this machine. A worker's statistical profiler
#: samples every thread's stack every 10 ms; here a worker's one task waits on its kernel, so the
#: samples only say "waiting" and cost the kernels' cores. An existing cluster keeps its own settings.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


#: Seconds a batch waits for an existing cluster's scheduler to answer before it gives up.
SCHEDULER_TIMEOUT_S = 5


def check_scheduler_address(address: str) -> str:
    """The scheduler's address if it is one Dask can dial (``tcp://HOST:PORT``...), else raise.

    Raises
    ------
    InvalidParameter
        For an address without a protocol, an unknown protocol, or a missing or impossible port.
    """
    from distributed.comm import registry
    from distributed.comm.addressing import parse_address, parse_host_port

    example = "give it as tcp://HOST:PORT (the address `dask scheduler` prints), e.g. tcp://10.0.0.5:8786"
    try:
        protocol, location = parse_address(address, strict=True)
    except ValueError:
        raise InvalidParameter(
            f"The 'scheduler' parameter must be a Dask scheduler's address; got {address!r}: {example}."
        ) from None
    if protocol not in registry.backends:
        raise InvalidParameter(
            f"The 'scheduler' parameter's protocol must be one of {', '.join(sorted(registry.backends))}; "
            f"got {protocol!r} in {address!r}: {example}."
        )
    if protocol != "inproc":
        try:
            host, port = parse_host_port(location)
        except ValueError:
            port = None
        if not isinstance(port, int) or not 0 < port < 65536:
            raise InvalidParameter(
                f"The 'scheduler' parameter needs a port from 1 to 65535 after the host; got {address!r}: {example}."
            )
    return address


def connect(workers: int | None, scheduler: str | None, n_tasks: int):
    """A dask client and the cluster it made (None for an existing cluster).

    Raises
    ------
    InvalidParameter
        For a scheduler's address Dask cannot dial (:func:`check_scheduler_address`).
    ClusterUnavailable
        When the scheduler does not answer within :data:`SCHEDULER_TIMEOUT_S` seconds.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        check_scheduler_address(scheduler)
        try:
            return Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s"), None
        except OSError as err:  # refused, unknown host, or no answer in time
            raise ClusterUnavailable(
                scheduler,
                f"no answer within {SCHEDULER_TIMEOUT_S} s ({err}). Check the address and that the scheduler "
                "is running and reachable from here, or leave out --scheduler to run on this machine's cores.",
            ) from err
    import dask

    n = workers or min(os.cpu_count() or 1, max(n_tasks, 1))
    # the workers' nannies take the config they start with; the workers inherit Ctrl-C ignored
    with dask.config.set(LOCAL_WORKER_CONFIG), _ctrl_c_ignored():
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


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes start (they inherit it); restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def cluster_client(workers: int | None, scheduler: str | None, n_tasks: int) -> Iterator:
    """A connected dask client with the warm-kernels plugin; on exit the plugin is removed and the
    client closed, and a cluster started here is stopped.

    Connecting comes first, so a batch whose cluster cannot start fails before it writes anything.

    Raises
    ------
    InvalidParameter, ClusterUnavailable
        As for :func:`connect`.
    """
    client, cluster = connect(workers, scheduler, n_tasks)
    try:
        client.register_plugin(warm_kernels_plugin(own_cluster=cluster is not None), name=PLUGIN_NAME)
        yield client
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
        else:
            try:
                client.unregister_worker_plugin(PLUGIN_NAME)
            finally:
                client.close()


def run_on_cluster(client, todo, outcomes, store, out_dir, chosen, comparators, retries,
                   kernel_name, cell_timeout, tally, report, pdf: bool = False) -> int:
    """Run every place of ``todo`` on the cluster of ``client``, filling ``outcomes``; the number of workers."""
    from distributed import as_completed

    n_workers = len(client.nthreads())
    arguments = (str(store.path), str(out_dir), [str(p) for p in chosen], comparators, kernel_name, cell_timeout)

    def submit(place: Place, digest: str, attempt: int):
        return client.submit(
            run_on_worker, place, *arguments, digest, attempt, pdf,
            key=f"place-{place.slug}-attempt-{attempt}", pure=False,
        )

    futures = {}
    for place, digest in todo:
        futures[submit(place, digest, 1)] = (place, digest, 1)
    pending = as_completed(list(futures))
    try:
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
    except BaseException:
        # stopped (Ctrl-C, a stop signal): the places not yet started must not start while the batch
        # writes the manifest of what finished and closes the cluster
        client.cancel(list(futures))
        raise
    return n_workers
