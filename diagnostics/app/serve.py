"""Serve the app and the notebooks with Voilà (``place-diagnostic serve``).

What a notebook running in one of the server's kernels reads of it (the served store, the page's
``?place=``) is in :mod:`diagnostics.app.served`. What the server is configured to do, and why:

- the notebooks folder is served, so ``/voila/render/app.ipynb`` is the app and each section's
  notebook (``/voila/render/10_economy.ipynb?place=CODE``) is a page of its own;
- our template (``templates/voila/place_diagnostics``): no code, no tracebacks, nothing fetched
  from outside (the stock template loads Font Awesome from a CDN);
- the app's kernels are *preheated*: a pool of ``kernels`` waits with the app already drawn for
  the default place, and Voilà refills it in the background as visitors take them, so several
  visitors arriving at once each get a drawn app rather than waiting for a kernel to start
  (:mod:`diagnostics.app.kernel_pool`: the pool's default size from the machine's memory, and what
  each kernel takes). Only the app is preheated;
- idle kernels are *culled*: closing a page does not free its kernel (voila issue 1458), so a
  kernel with no page connected is shut down after :data:`CULL_IDLE_SECONDS`.

The server runs in its own process (``python -m voila``); :func:`voila_command` builds its command
line and :func:`serve` runs it in the foreground:

- the port is checked first (:func:`check_port_free`) and Voilà is told never to move to another one
  (``port_retries=0``), so the address announced is the address served;
- the address is announced only once Voilà listens on it;
- every stop signal (Ctrl-C, ``SIGTERM`` from a service manager or ``kill``, ``SIGHUP`` from a closed
  terminal) is forwarded to Voilà as ``SIGTERM``, which shuts its kernels down; kernels still alive
  once Voilà has exited, and a Voilà that has not stopped within :data:`STOP_GRACE_SECONDS`, are
  killed. Stopping the command stops everything it started.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from diagnostics.app.kernel_pool import REFILL_DELAY_SECONDS, check_kernels, default_kernels, kernel_pools
from diagnostics.exceptions import InvalidParameter
from diagnostics.resources import notebooks_dir, templates_dir

__all__ = [
    "TEMPLATE_NAME",
    "APP_NOTEBOOK",
    "STORE_ENV",
    "CULL_IDLE_SECONDS",
    "app_url",
    "voila_command",
    "voila_environment",
    "check_port_free",
    "serve",
]

TEMPLATE_NAME = "place_diagnostics"
APP_NOTEBOOK = "app.ipynb"
#: The environment variable that tells the served notebooks which store to open
#: (:func:`diagnostics.app.served.served_store` reads it).
STORE_ENV = "PLACE_DIAGNOSTICS_SERVED_STORE"
#: Seconds a kernel with no page connected lives before it is shut down.
CULL_IDLE_SECONDS = 300
#: How often (seconds) idle kernels are looked for.
CULL_INTERVAL_SECONDS = 60
#: Seconds Voilà has to shut its kernels down after a stop signal before it is killed.
STOP_GRACE_SECONDS = 20
#: The signals that stop ``serve`` (and, forwarded, Voilà and its kernels).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def app_url(host: str, port: int) -> str:
    """The address of the app (``http://127.0.0.1:8866/voila/render/app.ipynb``)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/voila/render/{APP_NOTEBOOK}"


def _check(host: str, port: int) -> None:
    if not isinstance(host, str) or not host.strip():
        raise InvalidParameter(f"The 'host' parameter of serve must be a host name or address; got {host!r}.")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise InvalidParameter(f"The 'port' parameter of serve must be an integer in 1..65535; got {port!r}.")


def _template_root() -> Path:
    """A Jupyter data folder holding our template where Voilà looks (``<root>/voila/templates/<name>``).

    One folder per user and per installation (a digest of the template's path names it), so two
    checkouts serving at once each serve their own template.
    """
    source = templates_dir() / "voila" / TEMPLATE_NAME
    installation = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    root = Path(tempfile.gettempdir()) / f"place-diagnostics-voila-{os.getuid() if hasattr(os, 'getuid') else 0}-{installation}"
    target = root / "voila" / "templates" / TEMPLATE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() and target.resolve() != source.resolve():
        target.unlink()
    if not target.exists():
        target.symlink_to(source, target_is_directory=True)
    return root


def voila_environment(store=None) -> dict[str, str]:
    """The server's environment: our template on the Jupyter path, and the store to serve."""
    env = dict(os.environ)
    root = str(_template_root())
    env["JUPYTER_PATH"] = os.pathsep.join([root, *filter(None, [env.get("JUPYTER_PATH")])])
    if store is not None:
        env[STORE_ENV] = str(Path(store).expanduser().resolve())
    else:
        env.pop(STORE_ENV, None)
    return env


def voila_command(host: str = "127.0.0.1", port: int = 8866, *, kernels: int = 1) -> list[str]:
    """The command line that starts Voilà on the notebooks folder with our template.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        The address to listen on; loopback by default (the app has no login).
    port : int, default 8866
    kernels : int, default 1
        How many kernels to keep waiting with the app drawn (0: none; the other notebooks start a
        kernel per page). Only its form is checked here; :func:`serve` also checks the memory.
    """
    _check(host, port)
    pools = kernel_pools(APP_NOTEBOOK, kernels)
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebooks_dir()),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # never quietly serve another port than the one announced
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--preheat_kernel={kernels > 0}",
        f"--VoilaKernelManager.kernel_pools_config={pools}",
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY_SECONDS}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaExecutor.cell_error_instruction=This part of the page could not be drawn. Try another place, "
        "or ask whoever runs this app to look at its log.",
        # a notebook may take this long to draw before Voilà gives up on it
        "--VoilaExecutor.timeout=120",
    ]


def check_port_free(host: str, port: int) -> None:
    """Check that a server can listen at ``host:port`` now (every address ``host`` stands for).

    Raises
    ------
    InvalidParameter
        For a port another program listens on, a port this user may not open, or a host that is
        not an address of this machine; the message names the argument and the fix.
    """
    _check(host, port)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise InvalidParameter(
            f"The 'host' parameter of serve must be an address of this machine; got {host!r}, which cannot "
            f"be resolved ({err.strerror}). Use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)."
        ) from err
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Voilà's own socket does
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as err:
                raise _bind_problem(host, port, err) from err


def _bind_problem(host: str, port: int, err: OSError) -> InvalidParameter:
    if err.errno == errno.EADDRINUSE:
        return InvalidParameter(
            f"The 'port' parameter of serve must be a free port; got {port}, which another program is "
            f"listening on at {host}. Choose another with --port, or stop the program using it."
        )
    if err.errno == errno.EADDRNOTAVAIL:
        return InvalidParameter(
            f"The 'host' parameter of serve must be an address of this machine; got {host!r}. Use "
            "127.0.0.1 (this machine only) or 0.0.0.0 (every network)."
        )
    if err.errno in (errno.EACCES, errno.EPERM):
        return InvalidParameter(
            f"The 'port' parameter of serve must be a port this user may open; got {port} ({err.strerror}). "
            "Choose one from 1024 up with --port."
        )
    return InvalidParameter(f"The 'port' parameter of serve cannot be used: port {port} at {host}: {err.strerror}.")


class _Stopper:
    """Forwards a stop signal to Voilà, remembering what Voilà had started (its kernels)."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.requested_at: float | None = None
        self.started: list[psutil.Process] = []

    def on_signal(self, signum, frame) -> None:
        if self.requested_at is not None:  # a second Ctrl-C: no more waiting
            self.process.kill()
            return
        self.requested_at = time.monotonic()
        self.started = _descendants(self.process.pid)
        try:
            self.process.send_signal(signal.SIGTERM)  # Voilà shuts its kernels down on SIGTERM
        except ProcessLookupError:
            pass

    def wait(self) -> int:
        """Voilà's exit status, killing it once :data:`STOP_GRACE_SECONDS` have passed after a stop."""
        while True:
            try:
                return self.process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if self.requested_at is not None and time.monotonic() - self.requested_at > STOP_GRACE_SECONDS:
                    self.process.kill()

    def stop_everything(self) -> bool:
        """Stop Voilà if it still runs, then every process it had started that is still alive;
        True when all of them are gone."""
        if self.process.poll() is None:
            self.on_signal(signal.SIGTERM, None)
            self.wait()
        for leftover in self.started:
            try:
                leftover.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(self.started, timeout=5)
        for leftover in alive:
            try:
                leftover.kill()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(alive, timeout=5)
        return not alive


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _wait_until_listening(process: subprocess.Popen, host: str, port: int) -> bool:
    """True once something answers at ``host:port``; False if Voilà exited first."""
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    while process.poll() is None:
        try:
            with socket.create_connection((target, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def serve(
    host: str = "127.0.0.1",
    port: int = 8866,
    store=None,
    *,
    kernels: int | None = None,
    on_ready: Callable[[str, int], None] | None = None,
) -> int:
    """Run Voilà in the foreground until it is stopped; stopping it stops every process it started.

    Parameters
    ----------
    host, port
        As :func:`voila_command`; the port must be free (:func:`check_port_free`).
    kernels : int, optional
        How many app kernels to keep preheated (0: none); default
        :func:`~diagnostics.app.kernel_pool.default_kernels`, from the machine's memory. Checked
        against the memory available (:func:`~diagnostics.app.kernel_pool.check_kernels`).
    store : path-like, optional
        The store the pages open; default the embedded synthetic store.
    on_ready : callable, optional
        Called with the app's address (:func:`app_url`) and the number of preheated kernels once
        Voilà listens on it.

    Returns
    -------
    int
        0 when stopped by a stop signal (:data:`STOP_SIGNALS`) and everything stopped; else
        Voilà's exit status (128 + the signal's number when a signal killed it).

    Raises
    ------
    InvalidParameter
        For a bad or busy port, a bad host, or a number of kernels that is not a whole number from 0
        or that the memory cannot hold, before anything starts.
    """
    kernels = default_kernels() if kernels is None else check_kernels(kernels)
    command = voila_command(host, port, kernels=kernels)
    check_port_free(host, port)
    process = subprocess.Popen(command, env=voila_environment(store), start_new_session=True)
    stopper = _Stopper(process)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, stopper.on_signal) for sig in STOP_SIGNALS} if in_main_thread else {}
    try:
        if _wait_until_listening(process, host, port) and on_ready is not None:
            on_ready(app_url(host, port), kernels)
        status = stopper.wait()
    finally:
        stopped = stopper.stop_everything()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # Voilà 0.5 can exit with 1 when stopped while a pool's kernel is still starting (its
    # shutdown_all asks jupyter_server to shut a pending kernel it does not know yet): the stop
    # asked for still happened once every process it started is gone.
    if stopper.requested_at is not None and (status in (0, -signal.SIGTERM) or stopped):
        return 0
    return 128 - status if status < 0 else status
