"""Atomic output: build a directory beside its target, then swap it into place.

A failed build never leaves a half-written store or report, and never harms what was there.

The folders beside a target ``T`` while it is built are hidden and carry the builder's host and
process id: ``.T.building-HOST-PID-XXXX`` (the new content) and ``.T.old-HOST-PID-XXXX`` (what
``T`` held, on its way out). A process stopped before it could tidy up (killed, or the machine
lost) leaves them behind; the next build of ``T`` on the same host removes those whose process
is gone (:func:`sweep_stale`).

Several processes may build the same target at once: each swap renames its folder onto the target
and, when another's folder stands there, retires that one first and tries again, so every swap
succeeds, the last one wins whole (never a mix of two), and nothing is left beside the target.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["staged_directory", "swap_into_place", "sweep_stale", "write_text_atomic", "write_bytes_atomic"]

#: How many times a swap retires another writer's folder and tries again before giving up.
_SWAP_ATTEMPTS = 1000


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", socket.gethostname()) or "host"


def _owner_tag() -> str:
    """``HOST-PID``: who made a hidden working folder, so a later build can tell if it is stale."""
    return f"{_host()}-{os.getpid()}"


def _working_folder(target: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-{_owner_tag()}-", dir=target.parent))


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def sweep_stale(target: str | os.PathLike) -> list[Path]:
    """Remove the working folders of ``target`` left by processes of this host that are gone.

    Only folders named by :func:`staged_directory` (``.T.building-HOST-PID-*``, ``.T.old-HOST-PID-*``)
    whose host is this one and whose process no longer runs are removed; another process's build in
    progress is left alone, as are folders made on other hosts (a shared file system).

    Returns
    -------
    list of Path
        The folders removed.
    """
    target = Path(target)
    if not target.parent.is_dir():
        return []
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?:building|old)-{re.escape(_host())}-(\d+)-[^/]+$")
    removed = []
    for entry in target.parent.iterdir():
        found = pattern.match(entry.name)
        if found and entry.is_dir() and _process_is_gone(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def swap_into_place(staging: Path, target: Path) -> None:
    """Move the finished directory ``staging`` to ``target``, replacing an existing one only then.

    Safe when other processes swap into the same ``target`` at the same time: a folder standing
    at ``target`` is moved aside into a retired folder of this swap's own (removed at the end) and
    the rename tried again, so the swap cannot fail with "Directory not empty" and leaks nothing.

    Raises
    ------
    OSError
        When ``target`` cannot be replaced for another reason (a file stands there, permissions),
        with ``staging`` left where it was.
    """
    staging, target = Path(staging), Path(target)
    retired: Path | None = None
    try:
        for attempt in range(_SWAP_ATTEMPTS):
            try:
                os.replace(staging, target)  # replaces an empty folder; refuses a non-empty one
                return
            except OSError as err:
                if err.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
            if retired is None:
                retired = _working_folder(target, "old")
            try:
                os.replace(target, retired / str(attempt))
            except FileNotFoundError:  # another writer moved it first: try again
                continue
        raise OSError(errno.EBUSY, f"{target} kept being replaced by other writers; try again")
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def staged_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty directory beside ``target``; on success it becomes ``target``.

    On any exception the staging directory is removed and ``target`` is left as it was. Working
    folders of ``target`` left by stopped processes are removed first (:func:`sweep_stale`).
    """
    target = Path(target).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(target)
    staging = _working_folder(target, "building")
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; outputs are for sharing
    try:
        yield staging
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write a text file through a temporary file in the same folder and an atomic rename."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write a file through a temporary file in the same folder and an atomic rename: a reader sees
    the previous file or the whole new one, never part of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
