import pickle

import pytest

from diagnostics import exceptions as ex

CASES = [
    ex.DiagnosticsError("plain"),
    ex.PlaceNotFound("Ashcome", ["Ashcombe (D1)"]),
    ex.StoreNotFound("No store at /x"),
    ex.ContractViolation("areas", ["column 'code' is missing"]),
    ex.InvalidParameter("The 'k' parameter of f must be positive; got 0."),
    ex.InvalidBoundary("empty"),
    ex.OfflineViolation("the report", ["https://cdn.example/x.js"]),
    ex.NotebookFailed("00_summary.ipynb", 3, "ValueError: boom", "/tmp/x.ipynb"),
    ex.ClusterUnavailable("tcp://10.0.0.1:8786", "no answer within 5 s."),
    ex.OutputNotWritable("/x/out", "it is a file."),
    ex.PdfNotMade("/x/out/report.pdf", "no Chromium was found.", "/x/out/report.html"),
]


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_every_exception_pickles_with_its_message(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)


@pytest.mark.parametrize(
    "error, builtin",
    [
        (CASES[1], LookupError),
        (CASES[2], FileNotFoundError),
        (CASES[3], ValueError),
        (CASES[4], ValueError),
        (CASES[5], ValueError),
        (CASES[6], ValueError),
        (CASES[7], RuntimeError),
        (CASES[8], ConnectionError),
        (CASES[9], OSError),
        (CASES[10], RuntimeError),
    ],
    ids=lambda x: getattr(x, "__name__", type(x).__name__),
)
def test_every_exception_is_also_the_matching_builtin(error, builtin):
    assert isinstance(error, ex.DiagnosticsError) and isinstance(error, builtin)


def test_contract_violation_lists_every_problem():
    err = ex.ContractViolation("areas", ["first problem", "second problem"])
    assert str(err) == (
        "Table 'areas' breaks the data contract (2 problem(s)):\n  - first problem\n  - second problem"
    )


def test_notebook_failed_names_notebook_cell_and_where_it_was_kept():
    assert str(CASES[7]) == (
        "Notebook 00_summary.ipynb failed in cell 3: ValueError: boom (the executed notebook is at /tmp/x.ipynb)"
    )
    assert "an unknown cell" in str(ex.NotebookFailed("a.ipynb", None, "x"))


def test_pdf_not_made_names_the_pdf_the_problem_and_the_report_written():
    assert str(CASES[10]) == (
        "Cannot make the PDF /x/out/report.pdf: no Chromium was found. The HTML report is written: /x/out/report.html"
    )
    assert str(ex.PdfNotMade("r.pdf", "the browser stopped.")) == "Cannot make the PDF r.pdf: the browser stopped."
