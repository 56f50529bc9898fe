"""diagnostics.outputs.kernel_state: the process-wide state put back before each notebook (in this process)."""

from __future__ import annotations

import os
import random

import matplotlib
import numpy as np
import pandas as pd

from diagnostics.outputs.kernel_state import KernelState


def test_a_state_taken_is_put_back_and_kept_for_the_next_time(monkeypatch):
    monkeypatch.setenv("PD_TEST_CHANGED", "original")
    monkeypatch.setenv("PD_TEST_REMOVED", "here")
    monkeypatch.delenv("PD_TEST_ADDED", raising=False)
    before = (matplotlib.rcParams["font.size"], pd.get_option("display.max_rows"), np.geterr(), np.get_printoptions())
    state = KernelState.take()
    draws = (np.random.random(), random.random())
    for _ in range(2):  # and again: restoring keeps the state for the next notebook
        state.restore()
        matplotlib.rcParams["font.size"] = 31
        pd.set_option("display.max_rows", 3)
        np.seterr(divide="raise")
        np.set_printoptions(precision=2)
        np.random.seed(1)
        random.seed(1)
        os.environ["PD_TEST_ADDED"] = "added"
        os.environ["PD_TEST_CHANGED"] = "changed"
        del os.environ["PD_TEST_REMOVED"]
        state.restore()
        assert (matplotlib.rcParams["font.size"], pd.get_option("display.max_rows"), np.geterr(),
                np.get_printoptions()) == before
        assert (np.random.random(), random.random()) == draws
        assert "PD_TEST_ADDED" not in os.environ
        assert (os.environ["PD_TEST_CHANGED"], os.environ["PD_TEST_REMOVED"]) == ("original", "here")
    state.rc_context.__exit__(None, None, None)
