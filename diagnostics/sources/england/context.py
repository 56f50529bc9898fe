"""What the steps of an England import share: the files found, the report, and what each step has
built so far (codes, hierarchy, geography, small areas, indicators, tables, what is left out).

Each step of :data:`diagnostics.sources.england.build.STEPS` is a function ``step(ctx)`` that reads
what earlier steps left in the context and adds its own part. A step that finds no file for its
dataset says what the diagnostic leaves out (:meth:`ImportContext.leave_out`) and returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from diagnostics.resources import data_dir
from diagnostics.sources.england.lookups import CodeChanges
from diagnostics.sources.england.recognise import KINDS, Dataset, Ignored

__all__ = ["ImportReport", "ImportContext", "england_catalogue", "HIERARCHY_LAYERS"]

#: The layers made of whole districts, which the deprivation summaries and roll-ups cover.
HIERARCHY_LAYERS = ("district", "county", "combined_authority", "region", "country")


def england_catalogue() -> pd.DataFrame:
    """The real-England indicator catalogue committed in ``data/england_catalogue.csv``."""
    return pd.read_csv(data_dir() / "england_catalogue.csv", dtype={"match_sex": str}, keep_default_na=False, na_values=[""])


@dataclass
class ImportReport:
    """What an import found, used, ignored and left out, and where it wrote the store."""

    store: Path | None = None
    used: list[tuple[Path, str]] = field(default_factory=list)
    unused: list[tuple[Path, str]] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def text(self) -> str:
        """The report for people, one line per file."""
        lines = [f"Used ({len(self.used)} files):"]
        lines += [f"  + {p.name}: {what}" for p, what in self.used]
        if self.unused:
            lines.append(f"Recognised but not used ({len(self.unused)}):")
            lines += [f"  ~ {p.name}: {why}" for p, why in self.unused]
        if self.ignored:
            lines.append(f"Ignored ({len(self.ignored)}):")
            lines += [f"  - {i.path.name}: {i.reason}" for i in self.ignored]
        if self.left_out:
            lines.append("What the diagnostic will leave out:")
            lines += [f"  ! {text}" for text in self.left_out]
        if self.counts:
            lines.append("Store: " + ", ".join(f"{k} {v:,}" for k, v in self.counts.items()))
        if self.store is not None:
            lines.append(f"Written to {self.store} in {self.seconds:.1f} s")
        return "\n".join(lines)


def _vintage_of(dataset: Dataset) -> int:
    m = re.search(r"(\d\d)CD$", dataset.detail)
    return int(m.group(1)) if m else 0


@dataclass
class ImportContext:
    """The import so far. Steps read and fill these attributes, in the order of the pipeline.

    Attributes
    ----------
    datasets : list of Dataset
        Every recognised file.
    report : ImportReport
    publishers : set of str
        Publishers whose files were used (ONS, MHCLG, OHID...), for the attribution.
    changes : CodeChanges
        District code changes, to move figures to current codes.
    hierarchy : DataFrame
        Current districts with their county, combined authority and region.
    geography : GeographyBuilder or None
        Areas, polygons and lookups as they are built.
    small_areas : DataFrame
        LSOAs (2011) with their name and current district (empty without IoD files).
    deprivation_measures : DataFrame
        IoD2019 ranks and scores by LSOA, domain and measure.
    small_area_population : DataFrame or None
        IoD2019 File 6's mid-2015 LSOA populations (weights).
    areas, boundaries, lookups
        The geography's tables, once :func:`~diagnostics.sources.england.geography_steps.assemble_geography` ran.
    indicators : list of DataFrame
        Indicator rows from every step.
    catalogue_rows : list of DataFrame
        Catalogue rows for indicators computed here (the committed catalogue covers the ready-made ones).
    used_ids : set of str
        Ready-made indicator ids with rows (their catalogue rows come from the committed catalogue).
    tables : dict
        Further store tables (comparators, clusters, population, deaths...).
    absent_tables : dict
        Required tables the files cannot supply honestly: name -> the reason.
    manifest : dict
        Further manifest fields steps record (best-fit counts...).
    """

    datasets: list[Dataset]
    report: ImportReport
    publishers: set[str] = field(default_factory=set)
    changes: CodeChanges = field(default_factory=CodeChanges)
    hierarchy: pd.DataFrame | None = None
    geography: object | None = None
    small_areas: pd.DataFrame = field(default_factory=pd.DataFrame)
    deprivation_measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    small_area_population: pd.DataFrame | None = None
    areas: pd.DataFrame | None = None
    boundaries: dict = field(default_factory=dict)
    lookups: pd.DataFrame | None = None
    indicators: list[pd.DataFrame] = field(default_factory=list)
    catalogue_rows: list[pd.DataFrame] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    absent_tables: dict[str, str] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)

    def pick(self, kind: str, detail_prefix: str = "", prefer: list[str] | None = None) -> Dataset | None:
        """The best file of a kind (newest vintage, or ``prefer``'s order); the others are reported unused."""
        candidates = [d for d in self.datasets if d.kind == kind and d.detail.startswith(detail_prefix)]
        if not candidates:
            return None
        if prefer:
            candidates.sort(key=lambda d: prefer.index(d.detail) if d.detail in prefer else len(prefer))
        else:
            candidates.sort(key=_vintage_of, reverse=True)
        for other in candidates[1:]:
            self.report.unused.append((other.path, f"another {KINDS[kind]} file is used instead ({candidates[0].path.name})"))
        return candidates[0]

    def all_of(self, kind: str, detail_prefix: str = "") -> list[Dataset]:
        """Every file of a kind, in path order."""
        return [d for d in self.datasets if d.kind == kind and d.detail.startswith(detail_prefix)]

    def use(self, path: Path, what: str, publisher: str | None = None) -> None:
        """Record a file as used, for what (and its publisher, for the attribution)."""
        self.report.used.append((path, what))
        if publisher:
            self.publishers.add(publisher)

    def set_aside(self, path: Path, why: str) -> None:
        """Record a recognised file as not used, and why."""
        self.report.unused.append((path, why))

    def leave_out(self, what: str) -> None:
        """Record what the diagnostic will leave out for want of a dataset (one sentence naming it)."""
        self.report.left_out.append(what)

    def on_current_districts(self, frame: pd.DataFrame, path: Path, what: str) -> pd.DataFrame:
        """``frame``'s ``area_code`` moved to current district codes (ONS's code changes); rows whose code no
        current district succeeds are left out and named in the report (``what`` says whose rows they are:
        "BRES jobs", "Business counts of March 2017"). Summing the moved rows is the caller's: valid for
        counts, not for rates."""
        current = set(self.hierarchy["district_code"]) if self.hierarchy is not None else self.area_codes
        moved = frame.assign(area_code=frame["area_code"].map(self.changes.current))
        lost = sorted(set(frame.loc[~moved["area_code"].isin(current), "area_code"]))
        if lost:
            shown = ", ".join(lost[:6]) + (" ..." if len(lost) > 6 else "")
            self.leave_out(f"{what} of {len(lost)} district code(s) of {path.name} that no current district succeeds "
                           f"({shown}): add ONS's code-change list (oldcd, newcd, type) covering them to the folder.")
        return moved.loc[moved["area_code"].isin(current)]

    @property
    def area_codes(self) -> set[str]:
        """Codes of every area built so far (after the geography is assembled)."""
        return set(self.areas["code"]) if self.areas is not None else set()
