"""The summary section's test stores and a section written later (``fake_section``).

``store`` is the small synthetic country (8 districts, 400 small areas); ``fake_section`` installs a
section that follows the registry's contract (a views module with ``VIEWS`` and ``headline``), to
check that it appears in the summary without touching the summary.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd
import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS
from diagnostics.render.html import notice
from diagnostics.sections import registry
from diagnostics.store.store import open_store


@pytest.fixture(scope="package")
def store(small_store):
    return open_store(small_store)


class _FakeSection(registry.Section):
    @property
    def is_available(self) -> bool:
        return True


def _fake_views_module(headline):
    module = types.ModuleType("fake_section_views")

    def fake_view(dx):
        return notice(f"fake view of {dx.place.name}")

    module.VIEWS = (("A fake view", fake_view),)
    module.headline = headline
    return module


@pytest.fixture
def fake_section(monkeypatch):
    """A function installing a section whose ``headline(dx)`` is the function given, after the summary."""

    def install(headline):
        monkeypatch.setitem(sys.modules, "fake_section_views", _fake_views_module(headline))
        fake = _FakeSection("fake", "Fake section", "99_fake.ipynb", "fake_section_views")
        monkeypatch.setattr(registry, "SECTIONS", registry.SECTIONS[:1] + (fake,))
        return fake

    return install


def fake_headline(dx):
    """A fake section's headline: one measure, the best of 50 areas and significantly better than the country."""
    row = {c: np.nan for c in BENCHMARK_COLUMNS}
    row.update(
        indicator_id="fake_excellence", name="Fake excellence", unit="%", polarity="higher_is_better",
        decimals=1, period="2024", value=91.25, lower_ci=90.0, upper_ci=92.5, country_value=50.0,
        rank=1, n_ranked=50, vs_country="better", trend="increasing and getting better",
        source="A fake source", status="ok",
    )
    return pd.DataFrame([row], columns=BENCHMARK_COLUMNS)


@pytest.fixture
def with_fake_section(fake_section):
    """The fake section installed, with :func:`fake_headline`."""
    return fake_section(fake_headline)
