"""The package's promises about itself: dependencies declared, locked and in step, a light import, a
curated API, and the commands of the README and CI."""

import ast
import importlib.metadata
import json
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import platformdirs
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import diagnostics
from diagnostics.resources import cache_dir

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
TEST_EXTRA = [Requirement(r) for r in PROJECT["optional-dependencies"]["test"]]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

#: Declared, but never imported: what each is for instead.
NOT_IMPORTED = {
    "ipykernel": "the kernel the notebooks run in (make install registers it)",
    "jupyterlab": "the README's way to open the notebooks",
    "ruff": "run by make lint",
    "import-linter": "run by make lint and tests/test_architecture.py",
}


def _declared(requirements) -> dict[str, SpecifierSet]:
    return {canonicalize_name(r.name): r.specifier for r in requirements}


def _conda_environment() -> tuple[str, dict[str, SpecifierSet]]:
    """environment.yml's Python version and its packages (conda-forge's and pip's) with their bounds."""
    python, packages = None, {}
    for entry in yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]:
        for spec in entry.get("pip", []) if isinstance(entry, dict) else [entry]:
            if spec.startswith("python="):
                python = spec.removeprefix("python=")
            elif spec != "pip":
                packages |= _declared([Requirement(spec)])
    return python, packages


def test_environment_yml_and_pyproject_declare_the_same_packages_with_the_same_bounds():
    python, conda = _conda_environment()
    pip = _declared(RUNTIME + TEST_EXTRA)
    assert sorted(conda) == sorted(pip)
    assert {name: str(spec) for name, spec in conda.items()} == {name: str(spec) for name, spec in pip.items()}
    assert SpecifierSet(PROJECT["requires-python"]).contains(python)


def _pins() -> dict[str, str]:
    lines = [line.strip() for line in CONSTRAINTS.read_text().splitlines()]
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    assert all(len(pin) == 2 for pin in pins), "every line of the constraints is name==version"
    return {canonicalize_name(name): version for name, version in pins}


def test_the_constraints_pin_every_declared_package_within_its_bounds_and_not_the_project():
    pins = _pins()
    for name, spec in _declared(RUNTIME + TEST_EXTRA).items():
        assert name in pins, f"{name} is declared in pyproject.toml but not pinned in {CONSTRAINTS.name}"
        assert spec.contains(pins[name], prereleases=True), f"{name}=={pins[name]} is outside {spec}"
    assert canonicalize_name(PROJECT["name"]) not in pins


def _imported_roots(folder: Path) -> dict[str, list[str]]:
    """Top-level names imported anywhere under folder (function-level imports, find_spec and
    import_module of a literal name included), with where: ``{name: ["path:line", ...]}``."""
    found = defaultdict(list)
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"find_spec", "import_module", "importorskip"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            else:
                continue
            for name in names:
                found[name.split(".")[0]].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _distributions_of(roots: dict[str, list[str]], own: set[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The installed distributions providing the outside names imported (``{distribution: where}``),
    and the names no installed distribution provides."""
    providers = importlib.metadata.packages_distributions()
    used, unknown = defaultdict(list), {}
    for root, where in roots.items():
        if root in sys.stdlib_module_names or root in own:
            continue
        if root not in providers:
            unknown[root] = where
        for dist in providers.get(root, []):
            used[canonicalize_name(dist)] += where
    return used, unknown


def test_every_outside_import_is_declared_and_every_declared_package_is_imported():
    runtime, tests = _declared(RUNTIME), _declared(TEST_EXTRA)
    code_uses, code_unknown = _distributions_of(_imported_roots(ROOT / "diagnostics"), {"diagnostics"})
    # tests/ is on the path (pytest's pythonpath), so its folders and modules import by their own names
    tests_own = {"diagnostics"} | {path.stem for path in (ROOT / "tests").iterdir()}
    test_uses, test_unknown = _distributions_of(_imported_roots(ROOT / "tests"), tests_own)

    assert not code_unknown | test_unknown, f"imported but provided by no installed package: {code_unknown | test_unknown}"
    undeclared = {d: w for d, w in code_uses.items() if d not in runtime}
    undeclared |= {d: w for d, w in test_uses.items() if d not in runtime | tests}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    unused = set(runtime) - set(code_uses) - set(NOT_IMPORTED)
    unused |= set(tests) - set(test_uses) - set(NOT_IMPORTED)
    assert not unused, f"declared in pyproject.toml but imported nowhere (or say why in NOT_IMPORTED): {sorted(unused)}"


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
        "print([m for m in ('papermill', 'nbconvert', 'voila', 'dask', 'distributed', 'folium', 'matplotlib', "
        "'pandas', 'pyarrow', 'pandera', 'scipy', 'geopandas', 'statsmodels') if m in sys.modules])"
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


def test_make_test_is_the_fast_set_and_ci_runs_lint_then_the_fast_then_the_slow_tests_once():
    makefile = (ROOT / "Makefile").read_text()
    assert '$(PYTEST) -m "not slow"' in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-c $(CONSTRAINTS)" in makefile and "CONSTRAINTS := requirements/constraints.txt" in makefile
    steps = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("make ")]
    assert steps == ["make lint", "make test", "make test-slow"]


def test_tests_use_the_sessions_cache_not_the_users(session_cache):
    assert cache_dir() == session_cache
    assert not cache_dir().is_relative_to(platformdirs.user_cache_dir("place-diagnostics"))


def test_all_names_every_exception_and_every_lazy_name():
    from diagnostics import exceptions

    assert set(exceptions.__all__) <= set(diagnostics.__all__)
    assert set(diagnostics._LAZY) <= set(diagnostics.__all__)
