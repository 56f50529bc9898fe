"""The package's promises about itself: dependencies in step, a light import, a curated API."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import diagnostics

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_and_pyproject_name_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    pip_names |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    for d in env["dependencies"]:
        if isinstance(d, dict):
            conda_names |= {_name(r) for r in d.get("pip", [])}
    assert pip_names == conda_names


def test_public_api_is_named_in_all():
    code = (
        "import sys, types, diagnostics; "
        "print(sorted(n for n, v in vars(diagnostics).items() if not n.startswith('_') "
        "and not isinstance(v, types.ModuleType)))"
    )
    eager = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert set(eval(eager)) <= set(diagnostics.__all__)
    for name in diagnostics.__all__:
        assert getattr(diagnostics, name) is not None, name


def test_importing_diagnostics_does_not_load_the_heavy_layers():
    code = (
        "import sys, diagnostics; "
        "print([m for m in ('papermill', 'nbconvert', 'voila', 'dask', 'distributed', 'folium', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_notebooks_are_committed_without_outputs_and_have_one_parameters_cell():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        # the section notebooks are papermill's; the app (app.ipynb) takes its place from the page's address
        assert len(tagged) == (1 if path.name[:2].isdigit() else 0), path.name


def test_the_makefile_and_ci_use_the_readme_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_all_names_every_exception_and_every_lazy_name():
    from diagnostics import exceptions

    assert set(exceptions.__all__) <= set(diagnostics.__all__)
    assert set(diagnostics._LAZY) <= set(diagnostics.__all__)
