"""What every benchmark prints for one step: its wall-clock and CPU seconds.

CPU seconds are what the step costs on a machine to itself; wall seconds also count the waits for
other programs on a shared machine. Benchmarks run as scripts (``python benchmarks/bench_x.py``), so
they import this as ``from timing import timed``.
"""

from __future__ import annotations

import time

__all__ = ["timed"]


def timed(label, fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)``, print ``label`` with its wall-clock and CPU seconds, and return its result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    print(f"{label:<74} {time.perf_counter() - start:8.3f} s wall {time.process_time() - cpu:8.3f} s cpu")
    return result
