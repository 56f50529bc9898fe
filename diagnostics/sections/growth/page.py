"""The growth-firms section (``notebooks/20_growth_firms.ipynb``): which businesses can grow, where
they are, and what holds them back. :data:`VIEWS` is the page, in order.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell
shows: the tables are in :mod:`~diagnostics.sections.growth.tables`, the charts in
:mod:`~diagnostics.sections.growth.charts`, the map in :mod:`~diagnostics.sections.growth.maps`, the
model's views in :mod:`~diagnostics.sections.growth.model_views`, and the short views (the findings,
the context, the data's quality, the definitions) here, their sentences from
:mod:`~diagnostics.sections.growth.narrative`. They render the typed results of
:mod:`diagnostics.sections.growth.analysis`, computed once per session.

A store without a firm register (real England) shows one notice saying what the firm-level analysis
needs and how to add a register, then the published high-growth share where the store has it
(:mod:`~diagnostics.sections.growth.published`); each firm-level view under it points back to that
notice (:mod:`~diagnostics.sections.growth.notices`).

:func:`headline` gives the section's headline measures to the summary (see
:mod:`diagnostics.sections.registry`); :func:`set_definition` is the notebook's set-up call.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.tables import headline_html, html_table
from diagnostics.sections.finding import Finding
from diagnostics.sections.growth.analysis import (
    definition_of,
    growth_page,
    register_problem,
    register_source,
    set_definition,
)
from diagnostics.sections.growth.charts import comparators_chart, observed_expected_chart, rates_over_time
from diagnostics.sections.growth.headline import context_benchmarks, headline, published_growth
from diagnostics.sections.growth.maps import growth_map
from diagnostics.sections.growth.model_views import likely_growers, model_performance, odds_ratios
from diagnostics.sections.growth.narrative import published_findings, register_findings
from diagnostics.sections.growth.notices import guarded, needs_register
from diagnostics.sections.growth.tables import growth_headline_table, hot_spots, sectors
from diagnostics.sections.notebooks import NotebookSpec
from diagnostics.sections.session import Session

__all__ = [
    "VIEWS",
    "NOTEBOOK",
    "headline",
    "set_definition",
    "growth_headline_table",
    "rates_over_time",
    "comparators_chart",
    "sectors",
    "growth_map",
    "hot_spots",
    "odds_ratios",
    "model_performance",
    "likely_growers",
    "observed_expected_chart",
    "skills_productivity_survival",
    "holding_back",
    "data_quality",
    "definitions",
]


def skills_productivity_survival(dx: Session):
    """How the place's skills, productivity and business survival compare (region, country, comparators)."""
    table = context_benchmarks(dx)
    if (table["status"] != "ok").all():
        return notice("The store holds none of qualifications, GVA per job and three-year business survival for this place.",
                      title="Skills, productivity and survival")
    return as_html(synthetic_banner(dx) + headline_html(
        table, dx.place.name, dx.name_of(dx.region_code) if dx.region_code else None,
        dx.name_of(dx.country_code), dx.comparator_method))


def _findings_list(findings: list[Finding]) -> str:
    items = "".join(
        f"<li>{html.escape(f'{f.text} [Figure: {f.evidence}]' if f.views else f.text)}</li>" for f in findings
    )
    return f"<ol class='pd-findings'>{items}</ol>"


def holding_back(dx: Session):
    """A short list of findings on what holds the place's growth firms back, each backed by a figure above.

    Without a firm register: what the published figures say (the high-growth share against the
    country and its rank; skills, productivity and survival significantly better or worse than
    the country), and that the firm-level findings need a register.
    """
    if register_problem(dx):
        findings = published_findings(dx)
        if not findings:
            return needs_register()
        return as_html(synthetic_banner(dx) + _findings_list(findings)
                       + "<p class='pd-growth-note'>From published figures only; each names, in brackets, the figure "
                       "on this page that shows its evidence. The firm-level findings (against the growth model, by "
                       "sector and neighbourhood) need a firm register: see 'High-growth firms at a glance' at the top "
                       "of this section.</p>")
    return _register_holding_back(dx)


@guarded
def _register_holding_back(dx: Session):
    """Findings from the firm register, the model and the context indicators."""
    return as_html(synthetic_banner(dx) + _findings_list(register_findings(dx))
                   + "<p class='pd-growth-note'>Each finding names, in brackets, the figure on this page that shows its "
                   "evidence. 'Significantly' means the 95% interval excludes the comparison value.</p>"
                   + source_line(register_source(dx.store), growth_page(dx).period()))


@guarded(needs_a_window=False)
def data_quality(dx: Session):
    """What the register's data-quality checks found and what was done with each problem."""
    register = growth_page(dx).register
    q = register.quality
    found = int((q["count"] > 0).sum())
    shown = pd.DataFrame({"Check": q["check"], "Table": q["table"], "Found": [f"{c:,} {u}" for c, u in zip(q["count"], q["unit"])],
                          "What was done": q["treatment"]})
    caption = (f"Data-quality checks of the firm register ({len(register.firms):,} firms, "
               f"{len(register.panel):,} firm-years): {found} kind(s) of problem found. Nothing is dropped silently.")
    return as_html(synthetic_banner(dx) + html_table(shown, caption))


def _published_definitions(dx: Session) -> str:
    """The published growth figures' definitions, as list items (without a firm register)."""
    table = published_growth(dx)
    catalogue = dx.store.catalogue
    items = "".join(
        f"<li><strong>{html.escape(str(catalogue.loc[i, 'name']))}</strong> (shown above, ready-made): "
        f"{html.escape(str(catalogue.loc[i, 'description']))} {html.escape(str(catalogue.loc[i, 'method']))} "
        f"Source: {html.escape(str(catalogue.loc[i, 'source']))}.</li>"
        for i in table["indicator_id"] if i in catalogue.index
    )
    return items + ("<li>The definitions below are those of the firm-level analysis, which needs a firm register "
                    "(see the notice at the top of this section).</li>")


def definitions(dx: Session):
    """The definitions, methods and sources of this section."""
    definition = definition_of(dx)
    published = _published_definitions(dx) if register_problem(dx) else ""
    return as_html(
        synthetic_banner(dx)
        + "<ul>"
        + published
        + f"<li><strong>High-growth enterprise</strong> (OECD-Eurostat): {html.escape(definition.label)}, in employment or, "
        "separately, in turnover; average annualised growth (E<sub>t</sub>/E<sub>t-w</sub>)<sup>1/w</sup> - 1 must be "
        "strictly above the threshold. Eurostat-OECD Manual on Business Demography Statistics (2007), doi:10.1787/9789264041882-en.</li>"
        + f"<li><strong>Gazelle</strong>: high-growth by employment and at most {definition.gazelle_max_age} years old at the end of the window.</li>"
        + "<li><strong>Scale-up</strong> (ScaleUp Institute / OECD wording): high-growth by employment <em>or</em> turnover.</li>"
        + "<li><strong>Rates</strong>: per 10,000 active businesses, and per 10,000 active firms with 10+ employees in the "
        "end year (Eurostat's denominator), with Wilson score 95% intervals.</li>"
        + "<li><strong>Hot spots</strong>: local Getis-Ord Gi* (Ord and Getis 1995, doi:10.1111/j.1538-4632.1995.tb00912.x) "
        "with esda and libpysal.</li>"
        + "<li><strong>Growth potential</strong>: a logistic regression fitted with statsmodels on the whole country, "
        "tested on a later held-out period; observed/expected ratios with Byar's interval on the observed count.</li>"
        + "<li>Other ONS variants (a 10% threshold, other windows or sizes): set <code>threshold</code>, <code>window</code> "
        "and <code>min_employees</code> in the notebook's parameters cell.</li>"
        + "</ul>"
    )


#: The section's views in page order.
VIEWS = (
    ("High-growth firms at a glance", growth_headline_table),
    ("High-growth rates over time", rates_over_time),
    ("How the place compares", comparators_chart),
    ("The sectors they are in", sectors),
    ("Where they are", growth_map),
    ("Hot spots", hot_spots),
    ("What the model links to high growth", odds_ratios),
    ("How well the model predicts", model_performance),
    ("Firms most likely to grow next", likely_growers),
    ("Observed and expected high growth", observed_expected_chart),
    ("Skills, productivity and business survival", skills_productivity_survival),
    ("What holds them back", holding_back),
    ("Data quality of the firm register", data_quality),
    ("Definitions and sources", definitions),
)


NOTEBOOK = NotebookSpec(
    parameters=(
        "# The high-growth definition: OECD-Eurostat by default; ONS and Eurostat also publish a 10% variant",
        "threshold = 0.20  # average annualised growth a firm must exceed: 0.20 is 20% a year",
        "window = 3  # years of growth",
        "min_employees = 10  # employees at the start of the window",
    ),
    setup=("growth.set_definition(dx, threshold=threshold, window=window, min_employees=min_employees)",),
)
