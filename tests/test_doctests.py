"""The docstrings' examples run as tests (STYLE.md, habit 5): one test per module that has any.

Examples that need a kernel, a server or a browser are marked ``# doctest: +SKIP`` where they are
written, so every module is collected here and none is left out by name.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import diagnostics

PACKAGE_DIR = Path(diagnostics.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


#: Modules whose source holds an example, found without importing them (collection stays light).
MODULES_WITH_EXAMPLES = sorted(
    _module_name(path) for path in PACKAGE_DIR.rglob("*.py") if ">>> " in path.read_text(encoding="utf-8")
)


def test_examples_are_found():
    assert {"diagnostics.stats.intervals", "diagnostics.render.numbers"} <= set(MODULES_WITH_EXAMPLES)


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    report: list[str] = []
    # pytest's --doctest-modules runs with ELLIPSIS by default: the examples are written for it
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        examples += len(test.examples)
        runner.run(test, out=report.append)
    assert examples, f"{name} has '>>> ' in its source but no docstring example was found"
    assert runner.failures == 0, "".join(report)
