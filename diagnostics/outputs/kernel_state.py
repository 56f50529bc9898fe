"""Inside the warm kernel: the housekeeping run (silently) before each notebook.

A :class:`~diagnostics.outputs.kernel.WarmKernel` imports this module in its kernel and calls
:func:`prepare` before every notebook. The first call, when the kernel has just started (after its
``preload``), turns on the shared SVG text measurements of the runner and the batch
(:func:`diagnostics._compat.share_svg_text_metrics`) and takes a snapshot of the process-wide state
a notebook may change for the notebooks after it:

- matplotlib's settings (``rcParams``), through matplotlib's own ``rc_context``;
- pandas' options;
- numpy's error handling and print options, and the random state of ``numpy.random`` and ``random``;
- the environment variables (``os.environ``).

Every call then puts that state back, sets the working folder and empties the namespace (as a new
kernel would have it: ``InteractiveShell.reset``, execution count 1). What the kernel keeps on
purpose (imported modules, stores opened, the cache of :mod:`diagnostics.cache`) is left alone.

numpy, pandas and matplotlib are imported by the first call: every notebook of the diagnostic
imports them anyway, and a snapshot of a library not yet imported could not be taken.
"""

from __future__ import annotations

import gc
import os
import random
import warnings
from dataclasses import dataclass
from typing import Any

from diagnostics._compat import share_svg_text_metrics

__all__ = ["prepare", "KernelState"]


@dataclass
class KernelState:
    """The process-wide state restored before each notebook.

    Attributes
    ----------
    rc_context : contextlib.AbstractContextManager
        An entered ``matplotlib.rc_context()``: leaving it puts ``rcParams`` back.
    pandas_options : dict of str to object
        Every pandas option and its value.
    numpy_errors, numpy_print_options : dict
        ``numpy.geterr()`` and ``numpy.get_printoptions()``.
    numpy_random, python_random : tuple
        The state of numpy's global ``RandomState`` and of :mod:`random`.
    environment : dict of str to str
        A copy of ``os.environ``.
    """

    rc_context: Any
    pandas_options: dict[str, Any]
    numpy_errors: dict[str, str]
    numpy_print_options: dict[str, Any]
    numpy_random: tuple
    python_random: tuple
    environment: dict[str, str]

    @classmethod
    def take(cls) -> KernelState:
        """The state now."""
        import matplotlib
        import numpy as np

        rc_context = matplotlib.rc_context()
        rc_context.__enter__()
        return cls(
            rc_context=rc_context,
            pandas_options=_pandas_options(),
            numpy_errors=np.geterr(),
            numpy_print_options=np.get_printoptions(),
            numpy_random=np.random.get_state(),
            python_random=random.getstate(),
            environment=dict(os.environ),
        )

    def restore(self) -> None:
        """Put the state back as it was taken (and keep it for the next time)."""
        import matplotlib
        import numpy as np
        import pandas as pd

        self.rc_context.__exit__(None, None, None)  # rcParams as they were on entering it
        self.rc_context = matplotlib.rc_context()
        self.rc_context.__enter__()
        with warnings.catch_warnings():  # setting a deprecated option back warns
            warnings.simplefilter("ignore")
            for name, value in self.pandas_options.items():
                if not _same(pd.get_option(name), value):
                    pd.set_option(name, value)
        np.seterr(**self.numpy_errors)
        np.set_printoptions(**self.numpy_print_options)
        np.random.set_state(self.numpy_random)
        random.setstate(self.python_random)
        for name in set(os.environ) - set(self.environment):
            del os.environ[name]
        for name, value in self.environment.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


def _pandas_options() -> dict[str, Any]:
    """Every pandas option (``"display.max_rows"``...) and its value, read through ``pandas.options``."""
    import pandas as pd

    options: dict[str, Any] = {}
    with warnings.catch_warnings():  # reading a deprecated option warns
        warnings.simplefilter("ignore")

        def walk(node: Any, prefix: str) -> None:
            for name in dir(node):
                value = getattr(node, name)
                if isinstance(value, type(pd.options)):
                    walk(value, f"{prefix}{name}.")
                else:
                    options[f"{prefix}{name}"] = value

        walk(pd.options, "")
    return options


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # values whose == is not a bool (arrays)
        return a is b


_state: KernelState | None = None


def prepare(cwd: str) -> None:
    """Before a notebook: the state of the kernel's first preparation, ``cwd`` and an empty namespace.

    Parameters
    ----------
    cwd : str
        The working folder the notebook runs in.
    """
    from IPython import get_ipython

    global _state
    os.chdir(cwd)
    shell = get_ipython()
    # IPython's reset ends with a full gc.collect(), a third of a second over the geo stack's heap
    # for every notebook; the interpreter's own generational collection frees the same cycles.
    collect, gc.collect = gc.collect, lambda generation=2: 0
    try:
        shell.reset(new_session=True)
    finally:
        gc.collect = collect
    if _state is None:
        share_svg_text_metrics()
        _state = KernelState.take()
    else:
        _state.restore()
