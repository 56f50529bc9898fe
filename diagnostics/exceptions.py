"""Exceptions raised by place-diagnostics.

One root, each subclass also inheriting the matching built-in so callers can catch either::

    DiagnosticsError
    ├── PlaceNotFound          (LookupError)   an unknown code or name; carries close matches
    │   └── PlaceReplaced                      the code or name of an area merged into another
    ├── StoreNotFound          (FileNotFoundError) no store at the path given
    ├── ContractViolation      (ValueError)    a table breaks the data contract
    │   └── BrokenStore                        a store's manifest or files are damaged or missing
    ├── StoreTargetRefused     (FileExistsError) a store would replace a folder that is not its own
    ├── StoreWouldShrink       (ValueError)    a rebuild would lose what the previous store had
    ├── InvalidParameter       (ValueError)    an argument outside what is allowed
    ├── InvalidBoundary        (ValueError)    a user's own boundary file cannot be used
    ├── OfflineViolation       (ValueError)    a page would fetch something from outside
    ├── ImportFailed           (ValueError)    a folder of official downloads cannot be imported
    ├── FetchFailed            (OSError)       a download from a publisher failed
    ├── NotebookFailed         (RuntimeError)  a notebook raised while executing
    ├── PdfNotMade             (RuntimeError)  the report's PDF could not be made (a missing tool)
    ├── ClusterUnavailable     (ConnectionError) the batch's Dask scheduler cannot be reached
    └── OutputNotWritable      (OSError)       an output folder that cannot be written

All of them pickle (they cross Dask workers): every constructor argument is kept in ``args``.
"""

from __future__ import annotations

__all__ = [
    "DiagnosticsError",
    "PlaceNotFound",
    "PlaceReplaced",
    "StoreNotFound",
    "ContractViolation",
    "BrokenStore",
    "StoreTargetRefused",
    "StoreWouldShrink",
    "InvalidParameter",
    "InvalidBoundary",
    "OfflineViolation",
    "ImportFailed",
    "FetchFailed",
    "NotebookFailed",
    "PdfNotMade",
    "ClusterUnavailable",
    "OutputNotWritable",
]


class DiagnosticsError(Exception):
    """Root of every error this package raises on purpose."""


class PlaceNotFound(DiagnosticsError, LookupError):
    """No place matches the code or name given.

    Parameters
    ----------
    query : str
        What the user typed.
    suggestions : list of str
        Up to three close matches, each as ``"Name (CODE)"``.
    """

    def __init__(self, query: str, suggestions: list[str] | tuple[str, ...] = ()):
        super().__init__(query, list(suggestions))
        self.query = query
        self.suggestions = list(suggestions)

    def __str__(self) -> str:
        message = f"No place matches {self.query!r}."
        if self.suggestions:
            message += " Did you mean: " + "; ".join(self.suggestions) + "?"
        return message + " List the places with `place-diagnostic places --search TEXT`."


class PlaceReplaced(PlaceNotFound):
    """The code (or name) of an area that no longer exists: it was merged into another.

    Parameters
    ----------
    query : str
        What the user typed.
    old : str
        The old area as ``"Name (CODE)"``.
    successor : str
        The area that took it in, as ``"Name (CODE)"``.
    year : str, default ""
        The year of the change.
    """

    def __init__(self, query: str, old: str, successor: str, year: str = ""):
        DiagnosticsError.__init__(self, query, old, successor, year)
        self.query = query
        self.suggestions = [successor]
        self.old = old
        self.successor = successor
        self.year = year

    def __str__(self) -> str:
        when = f" in {self.year}" if self.year else ""
        return (
            f"No current place matches {self.query!r}: {self.old} was merged into {self.successor}{when}. "
            f"Use {self.successor} instead."
        )


class StoreNotFound(DiagnosticsError, FileNotFoundError):
    """No store at the path given."""


class ContractViolation(DiagnosticsError, ValueError):
    """A table of the store breaks the data contract.

    Parameters
    ----------
    table : str
        The table's name (``areas``, ``indicators``...).
    problems : list of str
        Every problem found, one sentence each: the column, the offending rows and what was expected.
    """

    def __init__(self, table: str, problems: list[str] | tuple[str, ...]):
        super().__init__(table, list(problems))
        self.table = table
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return f"Table {self.table!r} breaks the data contract ({len(self.problems)} problem(s)):\n{lines}"


class BrokenStore(ContractViolation):
    """A store's manifest or files are damaged or missing: it must be rebuilt.

    Parameters
    ----------
    path : str
        The store's folder.
    problems : list of str
        Every problem found, one sentence each, naming the file.
    """

    def __init__(self, path: str, problems: list[str] | tuple[str, ...]):
        super().__init__(path, problems)
        self.path = path

    def __str__(self) -> str:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return (
            f"The store at {self.path} is broken ({len(self.problems)} problem(s)):\n{lines}\n"
            "Rebuild it (`place-diagnostic data build` for the synthetic country, "
            "`place-diagnostic data import --from DIR` for real England), or pass another --store."
        )


class StoreTargetRefused(DiagnosticsError, FileExistsError):
    """A store would be written over a folder that is neither empty nor a store of its own kind.

    Parameters
    ----------
    path : str
        The folder given as the store's target.
    problem : str
        What the folder holds (or is) and how to choose another, one or two sentences.
    """

    def __init__(self, path: str, problem: str):
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"Refusing to write a store to {self.path}: {self.problem}"


class StoreWouldShrink(DiagnosticsError, ValueError):
    """A rebuild would drop indicators, tables, boundary layers or areas that the previous store had.

    Parameters
    ----------
    path : str
        The store being replaced.
    losses : list of str
        What would be lost, one phrase each (``"indicators gva_per_head, employment_rate"``).
    """

    def __init__(self, path: str, losses: list[str] | tuple[str, ...]):
        super().__init__(path, list(losses))
        self.path = path
        self.losses = list(losses)

    def __str__(self) -> str:
        return (
            f"The new store would replace {self.path} with less than it holds: it would lose "
            f"{'; '.join(self.losses)}. Check the files the build read (a web page or a download cut "
            "short can stand where a dataset's file should be); to replace it anyway, pass --allow-fewer "
            "(allow_fewer=True)."
        )


class InvalidParameter(DiagnosticsError, ValueError):
    """An argument outside what is allowed; the message names it, what is allowed and what was given."""


class InvalidBoundary(DiagnosticsError, ValueError):
    """A user's own boundary file cannot be turned into a place."""


class OfflineViolation(DiagnosticsError, ValueError):
    """A page would fetch something from outside: it would not render with the network cut.

    Parameters
    ----------
    what : str
        The page, named by the argument it came from (e.g. "The page rendered from the 'm' parameter
        of map_html").
    urls : list of str
        Every outside address found, in the order found.
    fix : str, default ""
        How to make the page self-contained, one or two sentences.
    """

    def __init__(self, what: str, urls: list[str] | tuple[str, ...], fix: str = ""):
        super().__init__(what, list(urls), fix)
        self.what = what
        self.urls = list(urls)
        self.fix = fix

    def __str__(self) -> str:
        message = (
            f"{self.what} refers outside itself: {', '.join(self.urls)}; "
            "it must open with the network cut."
        )
        return f"{message} {self.fix}" if self.fix else message


class ImportFailed(DiagnosticsError, ValueError):
    """A folder of official downloads cannot be imported; any previous store is left untouched.

    Parameters
    ----------
    file : str
        The file (or folder) at fault, as found on disk.
    problem : str
        What is wrong with it and how to fix it, one or two sentences.
    """

    def __init__(self, file: str, problem: str):
        super().__init__(file, problem)
        self.file = file
        self.problem = problem

    def __str__(self) -> str:
        return f"Cannot import {self.file}: {self.problem}"


class FetchFailed(DiagnosticsError, OSError):
    """A download from a publisher failed after its retries; files already fetched are kept.

    Parameters
    ----------
    url : str
        The address asked for.
    problem : str
        What went wrong (status, timeout, short body) and what to do.
    """

    def __init__(self, url: str, problem: str):
        super().__init__(url, problem)
        self.url = url
        self.problem = problem

    def __str__(self) -> str:
        return f"Download of {self.url} failed: {self.problem}"


class NotebookFailed(DiagnosticsError, RuntimeError):
    """A notebook raised while executing.

    Parameters
    ----------
    notebook : str
        The notebook's file name.
    cell : int or None
        The index of the failing code cell (0-based, as in the executed notebook), if known.
    message : str
        The error's type and message.
    output : str or None
        Where the executed notebook (with the error) was written, if it was.
    """

    def __init__(self, notebook: str, cell: int | None, message: str, output: str | None = None):
        super().__init__(notebook, cell, message, output)
        self.notebook = notebook
        self.cell = cell
        self.message = message
        self.output = output

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "an unknown cell"
        text = f"Notebook {self.notebook} failed in {where}: {self.message}"
        if self.output:
            text += f" (the executed notebook is at {self.output})"
        return text


class PdfNotMade(DiagnosticsError, RuntimeError):
    """The report's PDF could not be made: a tool it needs is missing, or the browser failed.

    Everything else the run writes (the HTML report, the notebooks) is written all the same.

    Parameters
    ----------
    pdf : str
        Where the PDF was to be written.
    problem : str
        What is missing or went wrong, and what to install or do, one or two sentences.
    report : str or None, default None
        The HTML report that was written, if one was.
    """

    def __init__(self, pdf: str, problem: str, report: str | None = None):
        super().__init__(pdf, problem, report)
        self.pdf = pdf
        self.problem = problem
        self.report = report

    def __str__(self) -> str:
        text = f"Cannot make the PDF {self.pdf}: {self.problem}"
        return text + (f" The HTML report is written: {self.report}" if self.report else "")


class ClusterUnavailable(DiagnosticsError, ConnectionError):
    """The Dask scheduler a batch was given cannot be reached; nothing was run or written.

    Parameters
    ----------
    address : str
        The scheduler's address as given.
    problem : str
        What happened and what to do, one or two sentences.
    """

    def __init__(self, address: str, problem: str):
        super().__init__(address, problem)
        self.address = address
        self.problem = problem

    def __str__(self) -> str:
        return f"Cannot reach the Dask scheduler at {self.address!r}: {self.problem}"


class OutputNotWritable(DiagnosticsError, OSError):
    """An output folder that cannot be made or written; checked before anything runs.

    Parameters
    ----------
    path : str
        The folder as given.
    problem : str
        Why (a file stands there or above it, no permission) and what to do.
    """

    def __init__(self, path: str, problem: str):
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"Cannot write the outputs to {self.path}: {self.problem}"
