"""The ``place-diagnostic`` command: thin wrappers that parse options and call one function each.

Exit status: 0 on success, 1 when a run fails (a notebook raised), 2 for bad input (an unknown
place, a bad option, a broken store).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .exceptions import DiagnosticsError, NotebookFailed

app = typer.Typer(
    help="A standard place diagnostic for any local area: economy, growth firms, geographies, health.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Build or import the data store.", no_args_is_help=True)
app.add_typer(data_app, name="data")

StoreOption = typer.Option(
    None, "--store", help="The store folder (default: the embedded synthetic store, built on first use)."
)


class Source(str, Enum):
    synthetic = "synthetic"


class Scale(str, Enum):
    small = "small"
    default = "default"
    england = "england"


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Periods(str, Enum):
    latest = "latest"
    all = "all"


def _fail(err: Exception) -> None:
    typer.echo(f"Error: {err}", err=True)
    raise typer.Exit(1 if isinstance(err, NotebookFailed) else 2)


def _emit(df, fmt: Format, table_columns: list[str] | None = None) -> None:
    """Write a table: every column for csv and json; for people, the columns named and rounded."""
    if fmt is Format.csv:
        df.to_csv(sys.stdout, index=False)
    elif fmt is Format.json:
        typer.echo(df.to_json(orient="records", indent=2, force_ascii=False))
    elif df.empty:
        typer.echo("(none)")
    else:
        shown = df[table_columns] if table_columns else df
        typer.echo(shown.to_string(index=False, na_rep="", float_format=lambda v: f"{v:,.2f}"))


@data_app.command("build")
def data_build(
    source: Source = typer.Option(Source.synthetic, help="Where the data comes from."),
    scale: Scale = typer.Option(Scale.default, help="default: ~50 districts; england: ~300 districts."),
    seed: int = typer.Option(42, help="The random seed: the same seed gives the same country."),
    store: Optional[Path] = typer.Option(None, "--store", help="Where to write it (default: the cache)."),
) -> None:
    """Generate the embedded synthetic country into a store."""
    from .sources.synthetic import build_synthetic

    try:
        path = build_synthetic(store, scale=scale.value, seed=seed)
    except DiagnosticsError as err:
        _fail(err)
    typer.echo(str(path))


@app.command("places")
def places(
    layer: Optional[str] = typer.Option(None, help="Only this layer (district, region, health_area...)."),
    search: Optional[str] = typer.Option(None, help="Text in the name or code (any case)."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    store: Optional[Path] = StoreOption,
) -> None:
    """List the places of the store."""
    from .places import list_places

    try:
        _emit(list_places(store, layer=layer, search=search), fmt)
    except DiagnosticsError as err:
        _fail(err)


@app.command("indicators")
def indicators(
    place: str = typer.Option(..., help="A code or a name (any case)."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    periods: Periods = typer.Option(Periods.latest, help="The latest period of each indicator, or all."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Every indicator the store holds for a place: the numbers the report shows.

    The table for people shows the main columns rounded; --format csv or json gives every column
    (name, numerator, denominator, confidence, vintage, note) at full precision.
    """
    from .indicators import place_indicators

    try:
        table = place_indicators(place, store=store, latest_only=periods is Periods.latest)
        _emit(table, fmt, ["indicator_id", "period", "value", "lower_ci", "upper_ci", "unit", "source"])
    except DiagnosticsError as err:
        _fail(err)


@app.command("run")
def run(
    place: str = typer.Option("default", help="A code or a name (any case); 'default' for the store's own."),
    out: Path = typer.Option(Path("outputs"), help="Parent folder of the outputs; the place's go to OUT/CODE/."),
    notebooks: Optional[List[str]] = typer.Option(None, "--notebooks", help="Only these notebooks (repeatable)."),
    comparators: str = typer.Option("nearest", help="'nearest', 'region', or comma-separated codes/names."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Run the diagnostic for one place: executed notebooks and a self-contained HTML report."""
    from .run import run_place

    try:
        result = run_place(place, store=store, out=out, notebooks=notebooks, comparators=comparators)
    except DiagnosticsError as err:
        _fail(err)
    typer.echo(f"Report for {result.place.label}: {result.report}")


@app.command("demo")
def demo(out: Path = typer.Option(Path("outputs"), help="Parent folder of the outputs.")) -> None:
    """Build the embedded synthetic store if needed, run the default place, print the report's path."""
    from .run import run_place
    from .sources.synthetic import default_store_is_current, default_store_path, ensure_default_store

    if not default_store_is_current():
        typer.echo(f"Building the embedded synthetic country into {default_store_path()} (once; under a minute)...", err=True)
    try:
        store = ensure_default_store()
        result = run_place("default", store=store, out=out)
    except DiagnosticsError as err:
        _fail(err)
    typer.echo(f"Report for {result.place.label} (synthetic data): {result.report}")
    typer.echo(str(result.report))


def main() -> None:  # the console script
    app()


__all__ = ["app", "main"]
