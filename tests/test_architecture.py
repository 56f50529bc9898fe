"""The layers of shared/ARCHITECTURE.md hold: import-linter's contracts (pyproject.toml, [tool.importlinter])
are kept, so `make test` catches an upward import as `make lint` and CI do."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_are_every_top_level_module_and_analysis_is_kept_from_rendering():
    layers = next(c for c in CONTRACTS if c["type"] == "layers")
    assert layers["exhaustive"] is True  # a new top-level module must be given its layer
    assert layers["layers"][:4] == ["cli", "app", "outputs", "sections"]
    forbidden = next(c for c in CONTRACTS if c["type"] == "forbidden")
    assert "diagnostics.sections.*.analysis" in forbidden["source_modules"]
    assert set(forbidden["forbidden_modules"]) == {"diagnostics.render", "diagnostics.outputs", "diagnostics.app"}
