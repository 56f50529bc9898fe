"""What a batch reports: each place's outcome (status, time, attempts, memory), the batch's result,
and its progress as it goes, with the reporter the command line prints.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

__all__ = [
    "PlaceOutcome",
    "BatchProgress",
    "BatchResult",
    "progress_reporter",
    "merge_outcomes",
    "STATUSES",
]

#: A place's status in the manifest: run now and succeeded, failed (after its retry), or left as it
#: was because its outputs exist and its inputs are unchanged (``resume``); "not run" when the
#: batch was interrupted before it.
STATUSES = ("ok", "failed", "unchanged", "not run")


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


def merge_outcomes(previous: Sequence[PlaceOutcome], current: Sequence[PlaceOutcome]) -> list[PlaceOutcome]:
    """What an output folder holds after a batch: the earlier batches' places and this one's.

    A place of ``current`` replaces its earlier row, except a place left "not run" (the batch was
    stopped before it), whose earlier row still describes the outputs in its folder. Earlier places
    keep their order; places new to the folder follow, in their order.
    """
    merged = {o.code: o for o in previous}
    for outcome in current:
        if outcome.status != "not run" or outcome.code not in merged:
            merged[outcome.code] = outcome
    return list(merged.values())


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
