"""Serve the app and the notebooks with Voilà (``place-diagnostic serve``).

What a notebook running in one of the server's kernels reads of it (the served store, the page's
``?place=``) is in :mod:`diagnostics.app.served`. What the server is configured to do, and why:

- the notebooks folder is served, so ``/voila/render/app.ipynb`` is the app and each section's
  notebook (``/voila/render/10_economy.ipynb?place=CODE``) is a page of its own;
- our template (``templates/voila/place_diagnostics``): no code, no tracebacks, nothing fetched
  from outside (the stock template loads Font Awesome from a CDN);
- the app's kernel is *preheated*: one kernel waits with the app already drawn for the default
  place, which brings the first page from ~3.5 s to ~1.3 s (ARCHITECTURE.md, platform facts). Only
  the app is preheated: each pooled kernel holds ~290 MiB;
- idle kernels are *culled*: closing a page does not free its kernel (voila issue 1458), so a
  kernel with no page connected is shut down after :data:`CULL_IDLE_SECONDS`.

The server runs in its own process (``python -m voila``); :func:`voila_command` builds its command
line and :func:`serve` runs it in the foreground.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

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
    """A Jupyter data folder holding our template where Voilà looks (``<root>/voila/templates/<name>``)."""
    source = templates_dir() / "voila" / TEMPLATE_NAME
    root = Path(tempfile.gettempdir()) / f"place-diagnostics-voila-{os.getuid() if hasattr(os, 'getuid') else 0}"
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


def voila_command(host: str = "127.0.0.1", port: int = 8866, *, preheat: bool = True) -> list[str]:
    """The command line that starts Voilà on the notebooks folder with our template.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        The address to listen on; loopback by default (the app has no login).
    port : int, default 8866
    preheat : bool, default True
        Keep one kernel waiting with the app drawn (the other notebooks start a kernel per page).
    """
    _check(host, port)
    pools = {"default": {"pool_size": 0}, APP_NOTEBOOK: {"pool_size": 1 if preheat else 0}}
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebooks_dir()),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--preheat_kernel={preheat}",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaExecutor.cell_error_instruction=This part of the page could not be drawn. Try another place, "
        "or ask whoever runs this app to look at its log.",
        # a notebook may take this long to draw before Voilà gives up on it
        "--VoilaExecutor.timeout=120",
    ]


def serve(host: str = "127.0.0.1", port: int = 8866, store=None, *, preheat: bool = True) -> int:
    """Run Voilà in the foreground until interrupted; returns its exit status.

    Parameters
    ----------
    host, port, preheat
        As :func:`voila_command`.
    store : path-like, optional
        The store the pages open; default the embedded synthetic store.
    """
    command = voila_command(host, port, preheat=preheat)
    env = voila_environment(store)
    process = subprocess.Popen(command, env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
