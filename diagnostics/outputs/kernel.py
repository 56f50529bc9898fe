"""The warm kernel: one IPython kernel that executes notebook after notebook, as papermill would.

Starting a kernel and importing the geo stack into it costs seconds, most of a notebook's time; a
place's own work is a fraction of a second. A :class:`WarmKernel` starts its kernel once and keeps
it, so a run pays that cost once per kernel rather than once per notebook, and a batch worker once
for all its places. What is cached inside the kernel's process (the imported modules, the stores
opened by :func:`diagnostics.store.store.open_store`) survives from one notebook to the next; the
notebook's own namespace does not.

Each executed notebook stays exactly what ``papermill.execute_notebook`` writes: the notebook goes
through papermill's own pipeline (parameterisation with the injected-parameters cell, papermill's
metadata, per-cell status and timing, the error banner and
:class:`papermill.exceptions.PapermillExecutionError` on failure). Only the engine differs: the
``place_diagnostics_warm`` engine registered here runs papermill's own notebook client
(:class:`papermill.clientwrap.PapermillNotebookClient`) against the kept kernel instead of a new
one. Before each notebook the kernel's namespace is reset (``InteractiveShell.reset``, which also
sets the execution count back to 1, as in a new kernel), what a notebook may have changed for the
whole process (matplotlib's settings, pandas' options, numpy's and Python's random state, the
environment variables) is put back as it was when the kernel was prepared, and its working folder
is set, silently: that housekeeping (:mod:`diagnostics.outputs.kernel_state`) is recorded nowhere.
The kernel also measures SVG text through one shared cache
(:func:`diagnostics._compat.share_svg_text_metrics`), which changes matplotlib for its whole
process: this kernel draws nothing else.

A kernel that dies is started again before the next notebook; a cell that runs longer than the
cell timeout fails its notebook (:class:`~diagnostics.exceptions.NotebookFailed`) and the kernel,
whose state is then unknown, is restarted.

All traffic with the kernel happens on one thread owned by the :class:`WarmKernel` (the kernel
client's sockets belong to that thread's event loop), so a kernel can be shared by callers on any
thread, one notebook at a time.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from diagnostics.exceptions import InvalidParameter, NotebookFailed

__all__ = ["WarmKernel", "shared_kernel", "shutdown_shared_kernels", "ENGINE_NAME", "KERNEL_ARGUMENTS"]

#: The papermill engine that executes in a :class:`WarmKernel` (registered on first use).
ENGINE_NAME = "place_diagnostics_warm"

#: Arguments every kernel starts with. The kernel talks over loopback only: its warning about
#: unencrypted TCP is noise here. History goes to memory, as nbclient's own kernels do.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:")

# Run silently (not recorded, execution count untouched) before each notebook: the working folder,
# the process-wide state of the kernel's first preparation, and a fresh namespace and execution count 1,
# as in a new kernel (see diagnostics.outputs.kernel_state, which runs in the kernel).
_PREPARE = '__import__("diagnostics.outputs.kernel_state", fromlist=["prepare"]).prepare({cwd!r})'

_registered = False
_register_lock = threading.Lock()


def _register_engine() -> None:
    """Register the warm engine with papermill's engine registry (once per process)."""
    global _registered
    with _register_lock:
        if _registered:
            return
        from papermill.engines import NBClientEngine, papermill_engines

        class WarmKernelEngine(NBClientEngine):
            """papermill's nbclient engine, executing in a kept :class:`WarmKernel`."""

            @classmethod
            def execute_managed_notebook(
                cls,
                nb_man,
                kernel_name,
                log_output=False,
                stdout_file=None,
                stderr_file=None,
                start_timeout=60,
                execution_timeout=None,
                warm_kernel=None,
                record=None,
                kernel_cwd=None,
                **kwargs,
            ):
                from papermill.clientwrap import PapermillNotebookClient
                from papermill.log import logger
                from papermill.utils import remove_args

                if warm_kernel is None:
                    raise InvalidParameter(
                        f"The {ENGINE_NAME!r} papermill engine needs the 'warm_kernel' argument; "
                        "run notebooks with WarmKernel.execute_notebook."
                    )
                if record:
                    nb_man.nb.metadata["place_diagnostics"] = dict(record)
                warm_kernel._ensure_started(kernel_name, kernel_cwd)
                kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
                client = PapermillNotebookClient(
                    nb_man,
                    km=warm_kernel._km,
                    timeout=execution_timeout,
                    startup_timeout=start_timeout,
                    kernel_name=kernel_name,
                    log=logger,
                    log_output=log_output,
                    stdout_file=stdout_file,
                    stderr_file=stderr_file,
                    **kwargs,
                )
                # with a kernel manager and a client given, nbclient neither starts nor stops anything
                client.kc = warm_kernel._kc
                return client.execute()

        papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
        _registered = True


class WarmKernel:
    """An IPython kernel kept alive to execute notebook after notebook through papermill.

    Parameters
    ----------
    kernel_name : str or None, default None
        The Jupyter kernel; ``None`` takes the first notebook's own (``python3`` here). A later
        notebook asking for another kernel restarts this one with it.
    startup_timeout : float, default 60
        Seconds to wait for the kernel to answer after starting it.
    cell_timeout : float or None, default None
        Seconds one cell may run before its notebook fails and the kernel is restarted; ``None``
        waits for ever (papermill's default).
    preload : str, default ""
        Code run silently once after each (re)start, typically imports (``"import diagnostics"``),
        so that the first notebook does not pay for them. Its names are cleared before the first
        notebook; the modules stay imported.
    env : mapping of str to str, optional
        The kernel's environment variables, all of them; default a copy of this process's when the
        kernel starts.

    Examples
    --------
    >>> with WarmKernel() as kernel:                                                # doctest: +SKIP
    ...     for place in ("E08000016", "E08000017"):
    ...         kernel.execute_notebook("notebooks/00_summary.ipynb", f"{place}.ipynb", {"place": place})
    """

    def __init__(
        self,
        kernel_name: str | None = None,
        *,
        startup_timeout: float = 60.0,
        cell_timeout: float | None = None,
        preload: str = "",
        env: Mapping[str, str] | None = None,
    ):
        for argument, value in (("startup_timeout", startup_timeout), ("cell_timeout", cell_timeout)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
                raise InvalidParameter(
                    f"The {argument!r} parameter of WarmKernel must be a positive number of seconds; got {value!r}."
                )
        self.kernel_name = kernel_name
        self.startup_timeout = float(startup_timeout)
        self.cell_timeout = None if cell_timeout is None else float(cell_timeout)
        self.preload = preload
        self.env = None if env is None else _check_environment(env)
        self._km = None
        self._kc = None
        self._started_name: str | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-kernel")
        self._lock = threading.Lock()
        self._starting: Future | None = None  # a start(wait=False) not yet waited for
        self._closed = False
        #: Notebooks executed, kernel starts, and seconds spent starting kernels (for benchmarks).
        self.notebooks_executed = 0
        self.starts = 0
        self.start_seconds = 0.0

    # -- life cycle ----------------------------------------------------------------------------
    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        # stopped (Ctrl-C, a stop signal): do not wait for a cell that is still running to finish
        self.shutdown(now=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))

    def start(self, *, wait: bool = True) -> WarmKernel:
        """Start the kernel now (and run ``preload``) rather than on the first notebook.

        Parameters
        ----------
        wait : bool, default True
            Wait until the kernel has started and run ``preload``. With ``False`` the kernel starts
            (and imports what ``preload`` imports) on the kernel's own thread while the caller goes
            on, for instance to open the store; the first notebook waits for it to be ready, and a
            start that failed raises there.
        """
        with self._lock:
            starting = self._thread.submit(self._ensure_started, self.kernel_name)
            if wait:
                starting.result()
            else:
                self._starting = starting
        return self

    def restart(self) -> None:
        """Stop the kernel; the next notebook starts a fresh one."""
        with self._lock:
            self._thread.submit(self._stop).result()

    def shutdown(self, *, now: bool = False) -> None:
        """Stop the kernel and the thread that talks to it. The object cannot be used afterwards.

        With ``now``, a kernel still running a notebook (in another thread, or in this one when
        interrupted) is ended at once rather than waited for; that notebook fails.
        """
        if now:
            self._kill()
        with self._lock:
            if not self._closed:
                self._closed = True
                self._thread.submit(self._stop).result()
                self._thread.shutdown(wait=True)

    @property
    def is_alive(self) -> bool:
        """Whether the kernel's process is running."""
        km = self._km
        if km is None:
            return False
        from jupyter_core.utils import run_sync

        return bool(self._thread.submit(lambda: run_sync(km.is_alive)()).result())

    @property
    def pid(self) -> int | None:
        """The kernel process's id, or None when no kernel is running."""
        provisioner = getattr(self._km, "provisioner", None)
        return getattr(provisioner, "pid", None)

    # -- execution -----------------------------------------------------------------------------
    def execute_notebook(
        self,
        notebook: str | os.PathLike,
        output: str | os.PathLike,
        parameters: Mapping[str, Any] | None = None,
        *,
        cwd: str | os.PathLike | None = None,
        record: Mapping[str, Any] | None = None,
    ):
        """Execute one notebook with papermill in the kept kernel and write the executed copy.

        Parameters
        ----------
        notebook : path-like
            The notebook to run (its cell tagged ``parameters`` receives ``parameters``).
        output : path-like
            Where the executed notebook is written, also when it fails (with papermill's banner).
        parameters : mapping, optional
            Passed to papermill: an injected-parameters cell follows the ``parameters`` cell.
        cwd : path-like, optional
            The kernel's working folder while the notebook runs; default ``output``'s folder (as
            the runner's papermill calls had).
        record : mapping, optional
            Stored in the executed notebook's metadata under ``place_diagnostics`` (what the run
            used), written in the same single write as the rest.

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook.

        Raises
        ------
        NotebookFailed
            If a cell raised (naming the cell, as papermill's error does; the executed notebook is at
            ``output``), a cell ran past ``cell_timeout``, or the kernel died. After a timeout or a
            dead kernel the kernel is restarted for the next notebook.
        """
        notebook, output = Path(notebook), Path(output)
        cwd = Path(cwd) if cwd is not None else output.parent
        with self._lock:
            starting, self._starting = self._starting, None
            if starting is not None:
                starting.result()  # a background start's error is the first notebook's
            return self._thread.submit(self._execute, notebook, output, dict(parameters or {}), cwd, record).result()

    def _execute(self, notebook: Path, output: Path, parameters: dict, cwd: Path, record) -> Any:
        import papermill
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.exceptions import PapermillExecutionError

        _register_engine()
        if self._km is not None:
            self._prepare(cwd)
        try:
            nb = papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                engine_name=ENGINE_NAME,
                request_save_on_cell_execute=False,  # one write at the end, the same notebook
                kernel_name=self.kernel_name,
                progress_bar=False,
                start_timeout=self.startup_timeout,
                execution_timeout=self.cell_timeout,
                warm_kernel=self,
                record=record,
                kernel_cwd=cwd,
            )
        except PapermillExecutionError as err:
            raise NotebookFailed(notebook.name, err.cell_index, f"{err.ename}: {err.evalue}", str(output)) from err
        except CellTimeoutError as err:
            self._stop()
            raise NotebookFailed(
                notebook.name, None, f"a cell ran for more than {self.cell_timeout:g} s and was stopped ({err})"
            ) from err
        except DeadKernelError as err:
            self._stop()
            raise NotebookFailed(notebook.name, None, f"the kernel died while running the notebook ({err})") from err
        finally:
            self.notebooks_executed += 1
        return nb

    def _kill(self) -> None:
        """End the kernel's process at once (from any thread): the notebook running in it fails."""
        pid = self.pid
        if pid:
            try:
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            except OSError:  # already gone
                pass

    # -- on the kernel's thread only -------------------------------------------------------------
    def _ensure_started(self, kernel_name: str | None, cwd: Path | None = None) -> None:
        from jupyter_core.utils import run_sync

        wanted = kernel_name or self.kernel_name or "python3"
        if self._km is not None:
            alive = run_sync(self._km.is_alive)()
            if alive and wanted == self._started_name:
                return
            self._stop()
        from jupyter_client.manager import AsyncKernelManager

        t0 = time.perf_counter()
        km = AsyncKernelManager(kernel_name=wanted)
        run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS), cwd=str(cwd) if cwd else None,
                                  env=dict(os.environ if self.env is None else self.env))
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
        except BaseException:
            kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise
        kc.allow_stdin = False
        self._km, self._kc, self._started_name = km, kc, wanted
        self.starts += 1
        if self.preload:
            self._silent(self.preload, timeout=max(self.startup_timeout, 120.0))
        if cwd is not None:
            self._silent(_PREPARE.format(cwd=str(cwd)), timeout=self.startup_timeout)
        self.start_seconds += time.perf_counter() - t0

    def _prepare(self, cwd: Path) -> None:
        """A fresh namespace and execution count, in ``cwd``; a dead or stuck kernel is replaced."""
        try:
            self._silent(_PREPARE.format(cwd=str(cwd)), timeout=self.startup_timeout)
        except (TimeoutError, RuntimeError):
            self._stop()

    def _silent(self, code: str, timeout: float) -> None:
        """Run code in the kernel without recording it; raise RuntimeError if it fails."""
        from jupyter_core.utils import run_sync

        kc = self._kc
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"The kernel did not answer within {timeout:g} s.")
            try:
                reply = run_sync(kc.get_shell_msg)(timeout=min(remaining, 1.0))
            except Exception:  # queue.Empty: nothing yet; check the kernel is still there
                if not run_sync(self._km.is_alive)():
                    raise RuntimeError("The kernel died.") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"Kernel housekeeping failed: {content.get('ename')}: {content.get('evalue')}")

    def _stop(self) -> None:
        from jupyter_core.utils import run_sync

        km, kc = self._km, self._kc
        self._km = self._kc = self._started_name = None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # already gone: nothing left to stop
                pass
            finally:  # a kernel that died first leaves its connection file: remove it
                if km.connection_file:
                    Path(km.connection_file).unlink(missing_ok=True)


def _check_environment(env: Any) -> dict[str, str]:
    """``env`` as a dict of str to str.

    Raises
    ------
    InvalidParameter
        If it is not a mapping of str to str.
    """
    if not isinstance(env, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise InvalidParameter(
            f"The 'env' parameter of WarmKernel must be a mapping of str to str (environment variables); got {env!r:.80}."
        )
    return dict(env)


# --------------------------------------------------------------------------------------------------
# One kernel per process (a batch worker's)
# --------------------------------------------------------------------------------------------------

_SHARED: dict[tuple, WarmKernel] = {}
_SHARED_LOCK = threading.Lock()


def shared_kernel(kernel_name: str | None = None, *, cell_timeout: float | None = None, preload: str = "") -> WarmKernel:
    """The calling thread's warm kernel for these settings, created on first use and kept until exit.

    A batch worker runs every place's notebooks in it, so the kernel start and the imports are paid
    once per worker thread (a Dask worker with one thread: once per worker). Stopped by
    :func:`shutdown_shared_kernels` (also at exit).
    """
    key = (kernel_name, cell_timeout, preload, threading.get_ident())
    with _SHARED_LOCK:
        kernel = _SHARED.get(key)
        if kernel is None:
            kernel = _SHARED[key] = WarmKernel(kernel_name, cell_timeout=cell_timeout, preload=preload)
        return kernel


def shutdown_shared_kernels(*, now: bool = False) -> None:
    """Stop every kernel :func:`shared_kernel` started in this process (with ``now``, without waiting
    for a notebook still running: see :meth:`WarmKernel.shutdown`)."""
    with _SHARED_LOCK:
        kernels = list(_SHARED.values())
        _SHARED.clear()
    for kernel in kernels:
        kernel.shutdown(now=now)


atexit.register(shutdown_shared_kernels)
