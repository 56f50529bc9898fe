"""The warm kernel: notebook after notebook in one kernel, each exactly what papermill writes."""

from __future__ import annotations

import nbformat
import papermill
import pytest

from diagnostics.exceptions import InvalidParameter, NotebookFailed
from diagnostics.outputs.kernel import WarmKernel

pytestmark = pytest.mark.slow


def _notebook(path, *cells, parameters="x = 1\nlabel = 'a'"):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Probe"), params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _shape(nb):
    """What must match papermill's output: cells, tags, counts, outputs, statuses, papermill metadata."""
    cells = [
        (
            c.cell_type,
            c.source,
            tuple(c.metadata.get("tags", [])),
            c.get("execution_count"),
            tuple((o.output_type, o.get("name"), o.get("text") or str(o.get("data", {}).get("text/plain", "")),
                   o.get("ename"), o.get("evalue")) for o in c.get("outputs", [])),
            c.metadata.get("papermill", {}).get("status"),
            c.metadata.get("papermill", {}).get("exception"),
        )
        for c in nb.cells
    ]
    meta = nb.metadata["papermill"]
    return cells, sorted(meta), meta["parameters"], meta["exception"], nb.metadata["language_info"]["name"]


@pytest.fixture(scope="module")
def kernel():
    with WarmKernel() as k:
        yield k


def test_an_executed_notebook_is_what_papermill_writes(kernel, tmp_path):
    source = _notebook(tmp_path / "probe.ipynb", "print(x * 2)", "label * 3", "import sys\nsys.stderr.write('note')")
    params = {"x": 21, "label": "ab"}
    papermill.execute_notebook(str(source), str(tmp_path / "pm.ipynb"), parameters=params, progress_bar=False)
    kernel.execute_notebook(source, tmp_path / "warm.ipynb", params)
    ours = nbformat.read(tmp_path / "warm.ipynb", as_version=4)
    theirs = nbformat.read(tmp_path / "pm.ipynb", as_version=4)
    assert _shape(ours) == _shape(theirs)
    injected = [c for c in ours.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "x = 21" in injected[0].source
    assert ours.cells[3].outputs[0].text == "42\n"


def test_the_namespace_is_reset_between_notebooks_and_the_kernel_is_kept(kernel, tmp_path):
    first = _notebook(tmp_path / "first.ipynb", "leaked = 'from the first notebook'")
    second = _notebook(tmp_path / "second.ipynb", "'leaked' in dir()", "import os\nos.getcwd()")
    starts = kernel.starts
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kernel.execute_notebook(first, tmp_path / "a" / "first.ipynb", {}, cwd=tmp_path)
    kernel.execute_notebook(second, tmp_path / "b" / "second.ipynb", {})
    out = nbformat.read(tmp_path / "b" / "second.ipynb", as_version=4)
    assert out.cells[-2].outputs[0].data["text/plain"] == "False"
    assert out.cells[-1].outputs[0].data["text/plain"] == repr(str(tmp_path / "b"))  # output's folder
    assert [c.execution_count for c in out.cells if c.cell_type == "code"] == [1, 2, 3]
    assert kernel.starts == max(starts, 1)


def test_a_failing_cell_is_recorded_as_papermill_records_it(kernel, tmp_path):
    source = _notebook(tmp_path / "broken.ipynb", "y = x + 1", "raise ValueError(f'bad {y}')", "never = True")
    with pytest.raises(papermill.PapermillExecutionError):
        papermill.execute_notebook(str(source), str(tmp_path / "pm.ipynb"), progress_bar=False)
    with pytest.raises(NotebookFailed, match=r"broken.ipynb failed in cell 3: ValueError: bad 2") as info:
        kernel.execute_notebook(source, tmp_path / "warm.ipynb", {})
    assert info.value.output == str(tmp_path / "warm.ipynb")
    ours = nbformat.read(tmp_path / "warm.ipynb", as_version=4)
    theirs = nbformat.read(tmp_path / "pm.ipynb", as_version=4)
    assert _shape(ours)[1:] == _shape(theirs)[1:]
    # the same cells, banner and anchor; tracebacks differ only by their ANSI-coloured frames
    assert [(c[0], c[2], c[5], c[6]) for c in _shape(ours)[0]] == [(c[0], c[2], c[5], c[6]) for c in _shape(theirs)[0]]
    assert "papermill-error-cell-tag" in ours.cells[0].metadata["tags"]
    # the kernel goes on
    fine = _notebook(tmp_path / "fine.ipynb", "x + 1")
    kernel.execute_notebook(fine, tmp_path / "fine-out.ipynb", {})


def test_a_cell_past_the_timeout_fails_its_notebook_and_the_kernel_is_restarted(tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    fine = _notebook(tmp_path / "fine.ipynb", "x + 1")
    with WarmKernel(cell_timeout=3) as kernel:
        with pytest.raises(NotebookFailed, match=r"slow.ipynb failed in an unknown cell: a cell ran for more than 3 s"):
            kernel.execute_notebook(slow, tmp_path / "slow-out.ipynb", {})
        kernel.execute_notebook(fine, tmp_path / "fine-out.ipynb", {})
        assert kernel.starts == 2
        assert nbformat.read(tmp_path / "fine-out.ipynb", as_version=4).cells[-1].outputs[0].data["text/plain"] == "2"


def test_a_kernel_that_dies_fails_its_notebook_and_is_replaced(tmp_path):
    dying = _notebook(tmp_path / "dying.ipynb", "import os\nos._exit(1)")
    fine = _notebook(tmp_path / "fine.ipynb", "x + 1")
    with WarmKernel() as kernel:
        with pytest.raises(NotebookFailed, match=r"dying.ipynb failed in an unknown cell: the kernel died"):
            kernel.execute_notebook(dying, tmp_path / "dying-out.ipynb", {})
        kernel.execute_notebook(fine, tmp_path / "fine-out.ipynb", {})
        assert kernel.starts == 2


def test_a_kernel_started_in_the_background_has_run_its_preload_before_the_first_notebook(tmp_path):
    probe = _notebook(tmp_path / "probe.ipynb", "import sys\n'xml.dom.minidom' in sys.modules, 'minidom' in dir()")
    with WarmKernel(preload="import xml.dom.minidom as minidom").start(wait=False) as kernel:
        kernel.execute_notebook(probe, tmp_path / "probe-out.ipynb", {})
        assert kernel.starts == 1
    # imported, and the preload's names cleared as in a new kernel
    assert nbformat.read(tmp_path / "probe-out.ipynb", as_version=4).cells[-1].outputs[0].data["text/plain"] == "(True, False)"


def test_a_background_start_that_failed_raises_at_the_first_notebook(tmp_path):
    probe = _notebook(tmp_path / "probe.ipynb", "x + 1")
    with WarmKernel(preload="import no_such_module_here").start(wait=False) as kernel:
        with pytest.raises(RuntimeError, match="Kernel housekeeping failed: ModuleNotFoundError: No module named 'no_such_module_here'"):
            kernel.execute_notebook(probe, tmp_path / "probe-out.ipynb", {})


def test_a_timeout_that_is_not_a_positive_number_is_refused():
    with pytest.raises(InvalidParameter, match=r"The 'cell_timeout' parameter of WarmKernel must be a positive number of seconds; got 0"):
        WarmKernel(cell_timeout=0)


_READ_STATE = """\
import json, os, random
import matplotlib, numpy as np, pandas as pd
print(json.dumps({
    "rc": [matplotlib.rcParams["font.size"], matplotlib.rcParams["axes.grid"], matplotlib.rcParams["font.sans-serif"]],
    "pandas": [pd.get_option("display.max_rows"), pd.get_option("display.precision")],
    "numpy": [np.geterr()["divide"], np.get_printoptions()["precision"]],
    "draws": [float(np.random.random()), random.random()],
    "environment": [os.environ.get("PD_TEST_ADDED"), os.environ.get("PD_TEST_CHANGED"), "PD_TEST_REMOVED" in os.environ],
    "text_metrics_shared": getattr(matplotlib.text._get_text_metrics_function, "shares_svg_text_metrics", False),
}))
"""

_CHANGE_STATE = """\
import os, random
import matplotlib, numpy as np, pandas as pd
matplotlib.rcParams.update({"font.size": 31, "axes.grid": True, "font.sans-serif": ["DejaVu Sans Mono"]})
pd.set_option("display.max_rows", 3)
pd.set_option("display.precision", 1)
np.seterr(divide="raise")
np.set_printoptions(precision=2)
np.random.seed(1)
random.seed(1)
os.environ["PD_TEST_ADDED"] = "added"
os.environ["PD_TEST_CHANGED"] = "changed"
del os.environ["PD_TEST_REMOVED"]
"""


def _state_printed(path):
    import json

    nb = nbformat.read(path, as_version=4)
    return json.loads(nb.cells[-1].outputs[0].text)


def test_the_next_notebook_sees_the_settings_random_state_and_environment_of_the_prepared_kernel(tmp_path):
    env = {**__import__("os").environ, "PD_TEST_CHANGED": "original", "PD_TEST_REMOVED": "here"}
    read = _notebook(tmp_path / "read.ipynb", _READ_STATE)
    change = _notebook(tmp_path / "change.ipynb", _CHANGE_STATE + "\n" + _READ_STATE)
    with WarmKernel(env=env) as kernel:
        kernel.execute_notebook(read, tmp_path / "first.ipynb", {})
        kernel.execute_notebook(change, tmp_path / "changed.ipynb", {})
        kernel.execute_notebook(read, tmp_path / "next.ipynb", {})
        assert kernel.starts == 1
    first, changed, following = (_state_printed(tmp_path / name) for name in ("first.ipynb", "changed.ipynb", "next.ipynb"))
    assert changed["rc"][0] == 31 and changed["pandas"] == [3, 1] and changed["environment"] == ["added", "changed", False]
    assert following == first  # the same draws too: the random state is the prepared kernel's
    assert first["environment"] == [None, "original", True]
    assert first["text_metrics_shared"] is True  # the runner's kernel measures SVG text through one cache


def test_an_environment_that_is_not_of_strings_is_refused():
    with pytest.raises(InvalidParameter, match=r"The 'env' parameter of WarmKernel must be a mapping of str to str"):
        WarmKernel(env={"PATH": 1})
