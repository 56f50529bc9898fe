"""Write each section's notebook from its views, so the notebook and the app can never drift apart.

A section's notebook is: a title (and optional introduction), one ``parameters`` cell, a set-up cell
(``place, store = served_parameters(place, store)``, which only a page served by ``place-diagnostic
serve`` changes; ``dx = start(place, store, comparators)``; the place's header), then for each
``(heading, view)`` of the section's ``VIEWS`` a heading cell and a cell calling the view. A views module may declare
``NOTEBOOK`` (a :class:`NotebookSpec`) for its introduction, extra parameters, extra set-up lines and
the arguments of views that take more than ``dx``.

Regenerate after changing a section's views::

    .venv/bin/python -m diagnostics.sections.notebooks

``tests/sections/test_registry.py`` checks that the committed notebooks are exactly what this writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from diagnostics.resources import notebooks_dir
from diagnostics.sections.registry import SECTIONS, Section

__all__ = ["NotebookSpec", "COMMON_PARAMETERS", "build_notebook", "write_notebooks"]

#: The parameters every section's notebook takes (papermill injects the values for a run).
COMMON_PARAMETERS: tuple[str, ...] = (
    "# Parameters: papermill injects the values for a run",
    'place = "default"  # a code or name in any case; default means the default place of the store',
    "store = None  # the store folder; None means the embedded synthetic store",
    'comparators = "default"  # default (ONS\'s similar areas where published), nearest, region, official, or codes or names',
)


@dataclass(frozen=True)
class NotebookSpec:
    """What a section's notebook has beyond its views.

    Attributes
    ----------
    intro : str
        Markdown under the notebook's title.
    parameters : tuple of str
        Lines added to the parameters cell (``name = default  # what it means``).
    setup : tuple of str
        Lines run after ``dx = start(...)`` (e.g. choosing a definition from the parameters).
    arguments : dict
        View name -> the argument list its cell passes, for views that take more than ``dx``.
    """

    intro: str = ""
    parameters: tuple[str, ...] = ()
    setup: tuple[str, ...] = ()
    arguments: dict[str, str] = field(default_factory=dict)


def build_notebook(section: Section):
    """The section's notebook (an ``nbformat`` v4 node, without outputs)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    module = section.views_module()
    alias = section.key
    package, page = section.module.rsplit(".", 1)
    spec: NotebookSpec = getattr(module, "NOTEBOOK", NotebookSpec())
    title = f"# {section.title}" + (f"\n\n{spec.intro}" if spec.intro else "")
    setup = [
        f"from {package} import {page} as {alias}",
        "from diagnostics.app.served import served_parameters",
        "from diagnostics.sections.header import place_header",
        "from diagnostics.sections.session import start",
        "",
        "place, store = served_parameters(place, store)  # in a page of `place-diagnostic serve`: its store, its ?place=",
        "dx = start(place, store, comparators)",
        *spec.setup,
        "place_header(dx)",
    ]
    cells = [
        new_markdown_cell(title),
        new_code_cell("\n".join(COMMON_PARAMETERS + spec.parameters), metadata={"tags": ["parameters"]}),
        new_code_cell("\n".join(setup)),
    ]
    for heading, view in section.views:
        cells.append(new_markdown_cell(f"## {heading}"))
        cells.append(new_code_cell(f"{alias}.{view.__name__}({spec.arguments.get(view.__name__, 'dx')})"))
    for number, cell in enumerate(cells):  # stable ids, so regenerating an unchanged section changes nothing
        cell["id"] = f"{section.key}-{number:02d}"
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return notebook


def write_notebooks(sections=SECTIONS, folder: Path | None = None) -> list[Path]:
    """Write the notebook of every section whose views module exists; return the files written."""
    import importlib.util

    import nbformat

    folder = Path(folder) if folder is not None else notebooks_dir()
    written = []
    for section in sections:
        if importlib.util.find_spec(section.module) is None:
            continue
        path = folder / section.notebook
        nbformat.write(build_notebook(section), path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_notebooks():
        print("wrote", path)
