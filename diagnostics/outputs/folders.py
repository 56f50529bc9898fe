"""The output folder of a run or a batch, checked before anything runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from diagnostics.exceptions import OutputNotWritable

__all__ = ["check_output_folder"]


def check_output_folder(folder: str | os.PathLike) -> Path:
    """The absolute path of an output folder that can be made and written; nothing is left behind.

    The folder itself need not exist yet. Its nearest existing folder is tried by making (and
    removing) an empty folder in it, so a read-only mount is found as well as a missing permission.

    Returns
    -------
    Path
        ``folder`` expanded and resolved.

    Raises
    ------
    OutputNotWritable
        When ``folder`` is a file, lies under a file, or cannot be written to.
    """
    path = Path(folder).expanduser().resolve()
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "it is a file" if existing == path else f"{existing} is a file, so no folder can be made under it"
        raise OutputNotWritable(str(folder), f"{where}; give a folder (it is made if it does not exist).")
    try:
        shutil.rmtree(tempfile.mkdtemp(prefix=".write-check-", dir=existing))
    except OSError as err:
        raise OutputNotWritable(
            str(folder),
            f"{existing} cannot be written to ({err.strerror or err}); choose a folder you can write to, "
            "or ask for write permission.",
        ) from err
    return path
