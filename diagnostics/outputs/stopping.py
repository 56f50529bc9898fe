"""Stop signals as exceptions: a run or a batch stopped by SIGTERM or SIGHUP cleans up as for Ctrl-C.

Python's default for SIGTERM (what ``kill``, systemd, Slurm and container runtimes send) and SIGHUP
(a closed terminal) ends the process at once: no ``finally`` runs, so a run leaves its hidden
staging folder and its kernel (with the kernel's connection file) behind, and a batch writes no
manifest. Inside :func:`stop_signals_raise` those signals raise :class:`Stopped`, a
``KeyboardInterrupt``, in the main thread instead, so every clean-up written for Ctrl-C runs: the
staging folder is removed, the kernels are stopped and a batch lists what finished.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Stopped", "STOP_SIGNALS", "stop_signals_raise"]

#: The signals that stop a run or a batch (besides SIGINT, which Python already raises).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; raised in the main thread so that clean-up runs as for Ctrl-C.

    Parameters
    ----------
    signum : int
        The signal's number.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """``128 + signum``: the status a shell reports for a process ended by the signal."""
        return 128 + self.signum

    def __str__(self) -> str:
        return f"Stopped by {signal.Signals(self.signum).name}"


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread (once: a second
    signal during the clean-up is ignored, so the clean-up finishes). Handlers are restored on exit.

    Outside the main thread (where Python cannot set handlers) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def handler(signum, frame):
        nonlocal raised
        if not raised:
            raised = True
            raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
