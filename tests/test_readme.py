"""The README's Python examples name code that exists: every import resolves, every imported name is
there, and every call on an imported module is an attribute of it (a moved or renamed function
breaks this test, not a reader's first try)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_python_examples():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_every_name_a_python_example_imports_exists(number):
    tree = ast.parse(BLOCKS[number])
    modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("diagnostics"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}"), (
                    f"README example {number}: {node.module} has no {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("diagnostics"):
                    modules[alias.asname or alias.name] = importlib.import_module(alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            assert hasattr(modules[node.value.id], node.attr), f"README example {number}: no {node.value.id}.{node.attr}"


def test_every_dotted_name_the_readmes_mention_exists():
    text = README.read_text() + (README.parent / "data" / "README.md").read_text()
    missing = []
    for ref in sorted(set(re.findall(r"\bdiagnostics(?:\.[A-Za-z_]\w*)+", text))):
        parts = ref.split(".")
        for i in range(len(parts), 0, -1):
            try:
                obj, rest = importlib.import_module(".".join(parts[:i])), parts[i:]
                break
            except ImportError:
                continue
        for attribute in rest:
            obj = getattr(obj, attribute, None)
        if obj is None:
            missing.append(ref)
    assert missing == []
