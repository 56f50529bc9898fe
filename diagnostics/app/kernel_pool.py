"""How many app kernels ``place-diagnostic serve`` keeps preheated: ``--kernels N``, or a default
from the machine's memory.

A preheated kernel has already imported everything, opened the store and drawn the app for the
default place; a visitor who gets one waits for a switch at most, not for a kernel to start (~1 s
instead of ~10 s on a quiet 2-core machine). Voilà keeps the pool (``--preheat_kernel`` with
``VoilaKernelManager.kernel_pools_config``) and starts a replacement in the background,
:data:`REFILL_DELAY_SECONDS` after each kernel is taken. Each visitor's kernel then stays theirs
until it is culled (:data:`diagnostics.app.serve.CULL_IDLE_SECONDS` after its page closes), so the
memory a deployment needs is ``kernels x KERNEL_MIB`` for the pool plus ``VISITOR_MIB`` per page
open (or closed less than the cull time ago).

The figures are measured with the embedded synthetic store (``benchmarks/bench_app.py`` prints
them); a larger store's kernels hold more.
"""

from __future__ import annotations

import json

import psutil

from diagnostics.exceptions import InvalidParameter

__all__ = [
    "KERNEL_MIB",
    "VISITOR_MIB",
    "MOST_DEFAULT_KERNELS",
    "REFILL_DELAY_SECONDS",
    "available_mib",
    "default_kernels",
    "check_kernels",
    "kernel_pools",
]

#: Resident memory (MiB) of an app kernel waiting with the app drawn for the default place
#: (measured: 1,070 MiB resident, 967 MiB proportional; embedded store).
KERNEL_MIB = 1100
#: Resident memory (MiB) of a visitor's kernel once every tab has been drawn for a few places
#: (measured: 1,200 to 1,250 MiB; embedded store).
VISITOR_MIB = 1250
#: The most kernels the default keeps waiting (the aim: four visitors arriving at once).
MOST_DEFAULT_KERNELS = 4
#: Seconds Voilà waits after a kernel is taken before starting its replacement, so that the pages
#: just asked for are drawn before a new kernel's start-up competes with them for the processors.
REFILL_DELAY_SECONDS = 5.0


def available_mib() -> int:
    """Memory (MiB) the machine can give new processes now (``psutil.virtual_memory().available``)."""
    return int(psutil.virtual_memory().available // 2**20)


def default_kernels(available: int | None = None) -> int:
    """The pool's default size: as many kernels as fit in half the available memory (the other half
    is for the visitors' own kernels), at least 1 and at most :data:`MOST_DEFAULT_KERNELS`.

    Parameters
    ----------
    available : int, optional
        Available memory in MiB; default :func:`available_mib`.

    Examples
    --------
    >>> default_kernels(available=24_000), default_kernels(available=5_000), default_kernels(available=900)
    (4, 2, 1)
    """
    available = available_mib() if available is None else available
    return max(1, min(MOST_DEFAULT_KERNELS, available // (2 * KERNEL_MIB)))


def check_kernels(kernels, available: int | None = None) -> int:
    """Check a ``--kernels`` value: a whole number from 0 (no preheating) that the memory can hold.

    Parameters
    ----------
    kernels : int
        How many app kernels to keep preheated.
    available : int, optional
        Available memory in MiB; default :func:`available_mib`.

    Returns
    -------
    int
        ``kernels``.

    Raises
    ------
    InvalidParameter
        For a value that is not a whole number from 0, and for more kernels than the available
        memory holds (each :data:`KERNEL_MIB`); the message says how many fit.
    """
    _check_whole_number(kernels)
    available = available_mib() if available is None else available
    most = available // KERNEL_MIB
    if kernels > most:
        raise InvalidParameter(
            f"The 'kernels' parameter of serve must be a number of kernels this machine's memory can hold: each "
            f"preheated kernel takes about {KERNEL_MIB} MiB and {available} MiB is available, so at most {most}; "
            f"got {kernels}. Ask for fewer with --kernels (each visitor's page also needs about {VISITOR_MIB} MiB)."
        )
    return kernels


def kernel_pools(app_notebook: str, kernels: int) -> str:
    """Voilà's ``kernel_pools_config`` (JSON): ``kernels`` for the app, none for the other notebooks.

    Raises
    ------
    InvalidParameter
        For a ``kernels`` that is not a whole number from 0 (the memory is not looked at).
    """
    _check_whole_number(kernels)
    return json.dumps({"default": {"pool_size": 0}, app_notebook: {"pool_size": kernels}})


def _check_whole_number(kernels) -> None:
    if isinstance(kernels, bool) or not isinstance(kernels, int) or kernels < 0:
        raise InvalidParameter(
            f"The 'kernels' parameter of serve must be a whole number from 0 (0: no preheated kernels); got {kernels!r}."
        )
