"""The ``place-diagnostic`` command: thin wrappers that parse options and call one function each.

Exit status: 0 on success, 1 when a run fails (a notebook raised, or the PDF asked for cannot be made), 2 for bad input (an unknown
place, a bad option, a broken store), 130 after Ctrl-C and 128 + N after stop signal N (143 for
SIGTERM) for ``run`` and ``batch``.

Each command imports what it calls when it runs, so ``place-diagnostic places`` does not load the
runner, the app or the synthetic generator (matplotlib, papermill, voila, dask): the command line
answers in the time of its own work.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from diagnostics.exceptions import DiagnosticsError, InvalidParameter, NotebookFailed, PdfNotMade

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
AllowFewerOption = typer.Option(
    False, "--allow-fewer", help="Replace a store even when the new one lacks indicators, tables or areas it had."
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


PlaceLayerOption = typer.Option(
    None, "--layer", help="The layer of --place when its name is shared by several (district, county, combined_authority, police_force...)."
)


def _chosen_place(place: str, store: Path | None, layer: str | None):
    """--place (of --layer) resolved; says on stderr which place and layer when the name matched several."""
    from diagnostics.exceptions import InvalidParameter
    from diagnostics.sources import open_store
    from diagnostics.store.places import match_place

    opened = open_store(store)
    if layer is not None and layer not in opened.layers:
        raise InvalidParameter(f"The '--layer' option must be one of the store's layers {opened.layers}; got {layer!r}.")
    match = match_place(place, opened, [layer] if layer else None)
    if match.notice:
        typer.echo(match.notice, err=True)
    return match.place


def _fail(err: Exception) -> None:
    typer.echo(f"Error: {err}", err=True)
    raise typer.Exit(1 if isinstance(err, (NotebookFailed, PdfNotMade)) else 2)


def _stopped(err: KeyboardInterrupt, kept: str) -> None:
    """Report a stop (Ctrl-C or a stop signal) and exit with the shell's status for it."""
    typer.echo(f"{str(err) or 'Interrupted'}: {kept}.", err=True)
    raise typer.Exit(getattr(err, "exit_status", 130)) from None


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
    store: Path | None = typer.Option(None, "--store", help="Where to write it (default: the cache); a new or empty folder, or a synthetic store."),
    allow_fewer: bool = AllowFewerOption,
) -> None:
    """Generate the embedded synthetic country into a store."""
    from diagnostics.sources.synthetic import build_synthetic

    try:
        path = build_synthetic(store, scale=scale.value, seed=seed, allow_fewer=allow_fewer)
    except DiagnosticsError as err:
        _fail(err)
    typer.echo(str(path))


@data_app.command("import")
def data_import(
    folder: Path | None = typer.Option(None, "--from", help="The folder of official downloads (searched recursively)."),
    store: Path | None = typer.Option(None, "--store", help="Where to write the store (default: the cache's 'england' store); a new or empty folder, or an England store."),
    allow_fewer: bool = AllowFewerOption,
    firms: Path | None = typer.Option(None, "--firms", help="A firm register (Companies House, FAME or Beauhurst export, CSV or Excel) to add to the store."),
    mapping: list[str] | None = typer.Option(None, "--map", help="Name a register column the import does not know, as COLUMN=FIELD (repeatable), e.g. --map 'Reg No=firm_id'."),
) -> None:
    """Build a store from official downloads (ONS, MHCLG, OHID), recognising each file by its columns; with
    --firms, add an analyst's firm register to it and show the register's data-quality checks."""
    from diagnostics.sources.england import default_england_store_path, import_folder
    from diagnostics.sources.firms import import_firms

    if folder is None and firms is None:
        _fail(InvalidParameter("Nothing to import: pass --from FOLDER (official downloads), --firms FILE (a firm register), or both."))
    try:
        if folder is not None:
            report = import_folder(folder, store, allow_fewer=allow_fewer)
            typer.echo(report.text())
            store = report.store
        if firms is not None:
            added = import_firms(firms, store or default_england_store_path(), mapping)
            typer.echo(added.text())
            typer.echo(_register_quality(added.store))
    except DiagnosticsError as err:
        _fail(err)


@data_app.command("derive")
def data_derive(
    layer: list[str] | None = typer.Option(None, "--layer", help="The layer of the places you will run (repeatable; default district)."),
    store: Path | None = StoreOption,
) -> None:
    """Compute the store's derived tables (whole-country results every place reads) into the cache folder,
    so that no place's run pays for them; a changed store is derived again."""
    from diagnostics.cache import cache_folder
    from diagnostics.sections.derived import DEFAULT_LAYERS, derive_tables
    from diagnostics.sources import open_store

    try:
        cache_folder()
        derived = derive_tables(open_store(store), layer or DEFAULT_LAYERS)
    except DiagnosticsError as err:
        _fail(err)
    for table in derived:
        typer.echo(f"{table.name:<36s} {table.layer or 'every small area':<16s} {table.rows:>9,} rows {table.seconds:7.2f} s")
    typer.echo(f"{len(derived)} derived tables in {cache_folder() / 'results'}")


def _register_quality(store: Path) -> str:
    """The growth section's data-quality checks of a store's firm register, one line each."""
    from diagnostics.sections.growth.register import prepare_register
    from diagnostics.store.store import open_store

    opened = open_store(store)
    small_areas = opened.areas.loc[opened.areas["layer"] == "small_area", "code"]
    quality = prepare_register(opened.firms, opened.firm_years, small_areas).quality
    return "Data-quality checks (the growth section shows the same table):\n" + "\n".join(
        f"  {row.check}: {row.count:,} {row.unit} ({row.treatment})" for row in quality.itertuples())


@data_app.command("fetch")
def data_fetch(
    to: Path = typer.Option(..., "--to", help="The folder to download into (resumes what is already there)."),
    base_url: list[str] | None = typer.Option(
        None, "--base-url", help="Override a publisher's address as PUBLISHER=URL (repeatable), e.g. ons_els=http://127.0.0.1:8000/els."
    ),
    store: Path | None = typer.Option(None, "--store", help="Where to write the store after fetching."),
    import_after: bool = typer.Option(True, "--import/--no-import", help="Import the downloads into a store when done."),
    allow_fewer: bool = AllowFewerOption,
    nomis: bool = typer.Option(
        False, "--nomis", help="Also fetch from the Nomis API: BRES jobs by district and SIC section, latest five years "
                               "(nomis/bres_jobs_by_section.csv; fills the store's industry table)."),
) -> None:
    """Download the official datasets from their publishers (with retries and resume), then import them."""
    from diagnostics.sources.england import fetch_all, import_folder
    from diagnostics.sources.england.build import store_target
    from diagnostics.sources.england.fetch import DATASETS, NOMIS_DATASETS

    try:
        if import_after:
            store_target(store, to)  # a folder the store may not replace is refused before any download
        overrides = {}
        for item in base_url or []:
            name, sep, url = item.partition("=")
            if not sep or not url:
                raise typer.BadParameter(f"--base-url must be PUBLISHER=URL; got {item!r}")
            overrides[name.strip()] = url.strip()
        manifest = fetch_all(to, base_urls=overrides, datasets=DATASETS + (NOMIS_DATASETS if nomis else ()))
        typer.echo(f"Fetched {len(manifest['files'])} files into {to} (manifest: {to / 'fetch_manifest.json'})")
        if import_after:
            typer.echo(import_folder(to, store, allow_fewer=allow_fewer).text())
    except DiagnosticsError as err:
        _fail(err)


@app.command("places")
def places(
    layer: str | None = typer.Option(None, help="Only this layer (district, region, health_area...)."),
    search: str | None = typer.Option(None, help="Text in the name or code (any case)."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    store: Path | None = StoreOption,
) -> None:
    """List the places of the store."""
    from diagnostics.sources import open_store
    from diagnostics.store.places import list_places

    try:
        _emit(list_places(open_store(store), layer=layer, search=search), fmt)
    except DiagnosticsError as err:
        _fail(err)


@app.command("indicators")
def indicators(
    place: str = typer.Option(..., help="A code or a name (any case)."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    periods: Periods = typer.Option(Periods.latest, help="The latest period of each indicator, or all."),
    layer: str | None = PlaceLayerOption,
    store: Path | None = StoreOption,
) -> None:
    """Every indicator the store holds for a place: the numbers the report shows.

    The table for people shows the main columns rounded; --format csv or json gives every column
    (name, numerator, denominator, confidence, vintage, note) at full precision.
    """
    from diagnostics.sources import open_store
    from diagnostics.store.indicators import place_indicators

    try:
        chosen = _chosen_place(place, store, layer)
        table = place_indicators(chosen, open_store(store), latest_only=periods is Periods.latest)
        _emit(table, fmt, ["indicator_id", "period", "value", "lower_ci", "upper_ci", "unit", "source"])
    except DiagnosticsError as err:
        _fail(err)


class FiguresFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("figures")
def figures(
    place: str = typer.Option("default", help="A code or a name (any case); 'default' for the store's own."),
    fmt: FiguresFormat = typer.Option(FiguresFormat.csv, "--format", help="csv (long form) or xlsx (a sheet per table)."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (needed for xlsx); csv goes to the screen without it."),
    comparators: str = typer.Option("default", help="As for run."),
    layer: str | None = PlaceLayerOption,
    store: Path | None = StoreOption,
) -> None:
    """Every figure the report shows for a place (stored and computed), without a run: the views' results
    are computed here and their tables read, no notebook runs and no chart is drawn."""
    from diagnostics.outputs.figures_files import write_figures_file

    try:
        chosen = place if place.strip().casefold() == "default" else _chosen_place(place, store, layer)
        text = write_figures_file(chosen, fmt.value, out, store=store, comparators=comparators)
    except DiagnosticsError as err:
        _fail(err)
    if text is not None:
        sys.stdout.write(text)
    else:
        typer.echo(f"Figures written to {out}", err=True)


class ChangesFormat(str, Enum):
    table = "table"
    csv = "csv"


@app.command("changes")
def changes(
    old_run: Path = typer.Argument(..., help="The earlier run: its folder (OUT/CODE) or its figures.csv."),
    new_run: Path = typer.Argument(..., help="The later run: its folder or its figures.csv."),
    fmt: ChangesFormat = typer.Option(ChangesFormat.table, "--format", help="table (for people) or csv (every column)."),
) -> None:
    """What changed between two runs of a place: comparisons with the country, revisions, ranks, new periods,
    indicators shown or no longer shown, a changed code; most important first."""
    from diagnostics.outputs.changes import compare_editions, read_edition
    from diagnostics.outputs.changes_report import changes_frame, changes_title

    try:
        found = compare_editions(read_edition(old_run, "OLD_RUN"), read_edition(new_run, "NEW_RUN"))
    except DiagnosticsError as err:
        _fail(err)
    if fmt is ChangesFormat.csv:
        found.table.to_csv(sys.stdout, index=False)
        return
    typer.echo(f"{changes_title(found)} ({found.old.label} -> {found.new.label})")
    for note in found.notes:
        typer.echo(f"- {note}")
    _emit(changes_frame(found), Format.table)


@app.command("run")
def run(
    place: str = typer.Option("default", help="A code or a name (any case); 'default' for the store's own."),
    out: Path = typer.Option(Path("outputs"), help="Parent folder of the outputs; the place's go to OUT/CODE/."),
    notebooks: list[str] | None = typer.Option(None, "--notebooks", help="Only these notebooks (repeatable)."),
    comparators: str = typer.Option("default", help="'default' (ONS's similar areas where the store has them, else 'nearest'), 'nearest', 'official', 'region', or comma-separated codes/names."),
    layer: str | None = PlaceLayerOption,
    store: Path | None = StoreOption,
    boundary: Path | None = typer.Option(
        None, "--boundary", help="A GeoJSON or GeoPackage of your own area: the diagnostic runs for it (not --place)."
    ),
    name: str | None = typer.Option(None, "--name", help="With --boundary: the place's name (or the feature to use)."),
    name_field: str | None = typer.Option(
        None, "--name-field", help="With --boundary: the field naming each feature (needed for several features)."
    ),
    pdf: bool = typer.Option(False, "--pdf", help="Also write report.pdf (A4, for board papers); needs playwright and Chromium."),
    since: Path | None = typer.Option(
        None, "--since", help="An earlier run of the place (its folder or figures.csv): the report adds 'Changes since <date>'."
    ),
) -> None:
    """Run the diagnostic for one place: executed notebooks, a self-contained HTML report, figures.csv and figures.xlsx (and with --pdf, its PDF).

    Stopped (Ctrl-C, SIGTERM, SIGHUP), it stops its kernel, removes its half-built folder and leaves
    the previous outputs as they were.
    """
    from diagnostics.cache import cache_folder
    from diagnostics.outputs.run import run_place
    from diagnostics.outputs.stopping import stop_signals_raise

    try:
        with stop_signals_raise():
            cache_folder()
            if boundary is not None:
                from diagnostics.geography.custom_boundary import boundary_place
                from diagnostics.sources import open_store

                store, place = boundary_place(boundary, name=name, name_field=name_field, store=open_store(store))
            elif place.strip().casefold() != "default":
                place = _chosen_place(place, store, layer)
            result = run_place(place, store=store, out=out, notebooks=notebooks, comparators=comparators, pdf=pdf,
                               since=since)
    except DiagnosticsError as err:
        _fail(err)
    except KeyboardInterrupt as err:
        _stopped(err, f"the previous outputs in {out} are as they were")
    typer.echo(f"Report for {result.place.label}: {result.report}")
    if result.pdf is not None:
        typer.echo(f"PDF: {result.pdf}")


@app.command("demo")
def demo(out: Path = typer.Option(Path("outputs"), help="Parent folder of the outputs.")) -> None:
    """Build the embedded synthetic store if needed, run the default place, print the report's path."""
    from diagnostics.outputs.run import run_place
    from diagnostics.sources.synthetic import (
        default_store_is_current,
        default_store_path,
        ensure_default_store,
    )

    if not default_store_is_current():
        typer.echo(f"Building the embedded synthetic country into {default_store_path()} (once; under a minute)...", err=True)
    try:
        store = ensure_default_store()
        result = run_place("default", store=store, out=out)
    except DiagnosticsError as err:
        _fail(err)
    typer.echo(f"Report for {result.place.label} (synthetic data): {result.report}")
    typer.echo(str(result.report))


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="The address to listen on (loopback by default: the app has no login)."),
    port: int = typer.Option(8866, help="The port to listen on."),
    store: Path | None = StoreOption,
    kernels: int | None = typer.Option(None, help="App kernels kept preheated for visitors arriving at once (default: from the machine's memory, at most 4; 0 for none)."),
) -> None:
    """Serve the app and the notebooks in the browser with Voilà (until Ctrl-C or any stop signal).

    The port must be free, and --kernels a number the machine's memory can hold: either refused
    (exit 2) before anything is served.
    """
    from diagnostics.app.serve import serve as serve_app

    try:
        if store is not None:
            from diagnostics.sources import open_store

            open_store(store)  # a bad store fails here, not in every page
        status = serve_app(
            host, port, store, kernels=kernels,
            on_ready=lambda address, pool: typer.echo(
                f"Serving the place diagnostic app at {address} (Ctrl-C to stop); {pool} app kernel(s) kept preheated for visitors"
            ),
        )
    except DiagnosticsError as err:
        _fail(err)
    if status:
        typer.echo(f"Error: Voilà stopped with status {status}; its messages are above.", err=True)
    raise typer.Exit(status)


@app.command("batch")
def batch(
    places: str = typer.Option("all", help="'all' (every place of --layer), or comma-separated codes or names."),
    layer: str | None = typer.Option(None, help="The layer of the places (default district); with --places or --from, the layer each name is looked up in."),
    within: str | None = typer.Option(None, help="Only places inside this area (e.g. a region's code or name)."),
    from_file: Path | None = typer.Option(None, "--from", help="A file with one code or name per line."),
    workers: int | None = typer.Option(None, help="Local worker processes (default: one per core)."),
    scheduler: str | None = typer.Option(None, help="An existing Dask cluster's scheduler, tcp://HOST:PORT."),
    out: Path = typer.Option(Path("outputs"), help="Output folder: OUT/CODE/ per place, OUT/index.html, OUT/manifest.csv."),
    resume: bool = typer.Option(False, "--resume", help="Skip places whose outputs exist and whose inputs are unchanged."),
    notebooks: list[str] | None = typer.Option(None, "--notebooks", help="Only these notebooks (repeatable)."),
    comparators: str = typer.Option("default", help="'default' (ONS's similar areas where published, else 'nearest'), 'nearest' or 'region' for every place."),
    map_indicator: str | None = typer.Option(None, help="The indicator of the index's map (default GVA per head)."),
    quiet: bool = typer.Option(False, "--quiet", help="Log lines instead of a progress bar."),
    pdf: bool = typer.Option(False, "--pdf", help="Also write each place's report.pdf; needs playwright and Chromium."),
    since: Path | None = typer.Option(None, "--since", help="An earlier batch's --out folder: the index shows each place's changes since."),
    store: Path | None = StoreOption,
) -> None:
    """Run the diagnostic for many places on a Dask cluster; write index.html and manifest.csv.

    Exit status 0 when every place succeeded, 1 when any failed (see manifest.csv), 2 for bad input.
    """
    from diagnostics.cache import cache_folder
    from diagnostics.outputs.batch import run_batch, select_places
    from diagnostics.outputs.batch_outcomes import progress_reporter
    from diagnostics.outputs.stopping import stop_signals_raise

    try:
        with stop_signals_raise():
            cache_folder()
            chosen = select_places(store, places=places, layer=layer, within=within, from_file=from_file)
            with progress_reporter(quiet=quiet) as report:
                result = run_batch(
                    chosen, store=store, out=out, notebooks=notebooks, comparators=comparators, workers=workers,
                    scheduler=scheduler, resume=resume, map_indicator=map_indicator, progress=report, pdf=pdf,
                    since=since,
                )
    except DiagnosticsError as err:
        _fail(err)
    except KeyboardInterrupt as err:
        _stopped(err, f"finished places are kept in {out} and listed in its manifest.csv; "
                      "run again with --resume to do the rest")
    counts = ", ".join(f"{n} {status}" for status, n in result.counts.items() if n)
    typer.echo(f"{len(result.outcomes)} places ({counts}) in {result.seconds:.0f} s; index: {result.index}")
    for failed in result.failed:
        typer.echo(f"Failed: {failed.name} ({failed.code}): {failed.error}", err=True)
    raise typer.Exit(0 if result.all_succeeded else 1)


def main() -> None:  # the console script
    app()


__all__ = ["app", "main"]


if __name__ == "__main__":  # python -m diagnostics.cli, with the code on PYTHONPATH
    main()
