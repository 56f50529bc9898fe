"""The summary section: the place on one page (``notebooks/00_summary.ipynb``).

Each function takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook cell
shows; the analysis behind it lives in :mod:`diagnostics.compare.benchmark`.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.conventions import plural_label
from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.render.numbers import ordinal
from diagnostics.sections.economy.analysis import (
    ECONOMY_INDICATORS,
    HEADLINE_ORDER,
    economy_indicator_ids,
)
from diagnostics.sections.session import Session

__all__ = [
    "HEADLINE_INDICATORS",
    "SUMMARY_LEAVES_OUT",
    "PRODUCTIVITY_MEASURES",
    "CARD_INDICATORS",
    "headline_indicator_ids",
    "card_indicator_ids",
    "deprivation_cards",
    "VIEWS",
    "headline_benchmarks",
    "location_map",
    "headline_cards",
    "strengths_and_challenges",
    "headline_table",
    "headline_chart",
    "comparators_table",
    "data_notes",
    "section_anchor",
]

#: Economy headline measures the summary leaves to the economy section (neutral: neither high nor
#: low is better, so they cannot be a strength or a challenge).
SUMMARY_LEAVES_OUT: tuple[str, ...] = ("business_birth_rate", "business_death_rate")

#: The dozen-odd indicators of the summary's headline table, in the order shown: the economy block
#: is the economy section's own headline list (less :data:`SUMMARY_LEAVES_OUT`).
HEADLINE_INDICATORS: tuple[str, ...] = (
    "population_total",
    *(i for i in ECONOMY_INDICATORS if i not in SUMMARY_LEAVES_OUT),
    "deprivation_score",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
    "smoking_prevalence",
    "obesity_prevalence",
    "emergency_admissions",
)


def headline_indicator_ids(store) -> tuple[str, ...]:
    """The summary's headline indicators on this store, in page order.

    :data:`HEADLINE_INDICATORS`, taken from what the store holds:

    - the economy's measures are the economy section's own headline list on this store
      (:func:`diagnostics.sections.economy.analysis.economy_indicator_ids`, ordered by
      :data:`diagnostics.sections.economy.analysis.HEADLINE_ORDER`), less :data:`SUMMARY_LEAVES_OUT`: GVA per head
      and per job on the synthetic store; GDP per head, GVA per hour, GVA per job, household
      income... on real England;
    - any other indicator the store does not hold is replaced by its first stand-in that it does
      hold (:data:`diagnostics.compare.benchmark.NEIGHBOUR_EQUIVALENTS`: the deprivation score by the IMD
      average score or average rank of MHCLG's district summaries), else kept if the catalogue
      knows it (its row then says it is not available), else left out.

    On the synthetic store this is :data:`HEADLINE_INDICATORS` exactly.
    """
    from diagnostics.compare.benchmark import NEIGHBOUR_EQUIVALENTS

    held = store.indicator_ids
    known = set(store.catalogue.index)
    ids: list[str] = []
    for indicator_id in HEADLINE_INDICATORS:
        if indicator_id in HEADLINE_ORDER:  # the economy block, once, where its first measure stands
            if not any(i in HEADLINE_ORDER for i in ids):
                ids += [i for i in economy_indicator_ids(store) if i not in SUMMARY_LEAVES_OUT]
            continue
        options = (indicator_id, *NEIGHBOUR_EQUIVALENTS.get(indicator_id, ()))
        found = next((i for i in options if i in held), None)
        if found is None and indicator_id in known:
            found = indicator_id
        if found is not None and found not in ids:
            ids.append(found)
    return tuple(ids)


_html = as_html

#: The most sources named under the chart of differences from the country (more are named in the table).
MAX_CHART_SOURCES = 3

#: The most neighbouring areas the location map draws around a place.
MAX_MAP_CONTEXT = 80


def headline_benchmarks(dx: Session) -> pd.DataFrame:
    """The headline indicators (:func:`headline_indicator_ids`) against region, country and
    comparators (a benchmark table; computed once per session).

    Taken from the whole catalogue's table that the cards and the strengths and challenges use
    (:func:`diagnostics.sections.summary.findings.catalogue_benchmarks`: each row is computed alone, so the rows
    are the same), unless the store's catalogue lacks a headline indicator.
    """

    return dx.benchmarks(headline_indicator_ids(dx.store))


def location_map(dx: Session):
    """A map of the place among its neighbours of the same layer (no tile server).

    The neighbours are the areas of the same layer in its region when there are at most
    :data:`MAX_MAP_CONTEXT` of them (a district among its region's districts); otherwise those
    sharing its nearest ancestor that holds at least five (a small area among those of its
    neighbourhood), see :func:`diagnostics.compare.benchmark.sibling_areas`.
    """
    from diagnostics.compare.benchmark import sibling_areas
    from diagnostics.render.maps import place_map
    from diagnostics.render.offline import show_map

    if dx.place.layer not in dx.store.boundary_layers():
        from diagnostics.render.html import notice

        where = [dx.name_of(code) for code in dx.store.ancestors(dx.place.code)]
        return notice(
            f"The store has no boundaries for the {dx.place.layer_label.lower()} layer (the files it was built from "
            f"give none; its manifest says why), so {dx.place.name} cannot be drawn"
            + (f"; it lies in {', '.join(where)}" if where else "")
            + ". The figures below do not depend on the map.",
            title="No map",
        )
    shapes = dx.store.boundaries(dx.place.layer)
    siblings, ancestor = sibling_areas(dx.store, dx.place)
    if dx.region_code and ancestor != dx.region_code:
        in_region, _ = sibling_areas(dx.store, dx.place, min_count=1, within=dx.region_code)
        if len(in_region) <= MAX_MAP_CONTEXT:
            siblings, ancestor = in_region, dx.region_code
    context = shapes.loc[shapes["code"].isin(siblings)]
    place_shape = shapes.loc[shapes["code"] == dx.place.code]
    title = f"{dx.place.name} within {dx.name_of(ancestor)}" if ancestor else dx.place.name
    return show_map(place_map(place_shape, context_gdf=context, title=title, labels=len(context) <= 60))


def headline_table(dx: Session, table: pd.DataFrame | None = None):
    """The headline benchmark table, with intervals, comparisons, trends and sources."""
    from diagnostics.render.tables import headline_html

    table = headline_benchmarks(dx) if table is None else table
    return _html(
        synthetic_banner(dx)
        + headline_html(
            table,
            dx.place.name,
            dx.name_of(dx.region_code) if dx.region_code else None,
            dx.name_of(dx.country_code),
            dx.comparator_method,
        )
    )


def headline_chart(dx: Session, table: pd.DataFrame | None = None):
    """Each headline indicator as the place's difference from the country, with its interval."""
    from diagnostics.render.charts import headline_dot_chart, show_figure

    table = headline_benchmarks(dx) if table is None else table
    # a count (the population) has no meaningful % difference from the whole country, nor has a rank
    # (the deprivation profile's average rank: the country's is the middle rank by construction)
    catalogue = dx.store.catalogue
    kinds = table["indicator_id"].map(catalogue["value_type"])
    ranks = table["unit"].astype(str).str.startswith("rank")
    available = table.loc[(table["status"] == "ok") & (kinds != "count") & ~ranks & table["country_value"].notna()]
    if available.empty:
        reason = (
            "the place is the whole country"
            if dx.country_code is None
            else "no headline indicator has a national value to compare with"
        )
        return _html(f"<p><em>No chart of differences from the country: {html.escape(reason)}.</em></p>")
    frame = pd.DataFrame(
        {
            "indicator": available["name"],
            "value": available["value"],
            "lower_ci": available["lower_ci"],
            "upper_ci": available["upper_ci"],
            "country": available["country_value"],
            "region": available["region_value"],
            "unit": available["unit"],
            "comparison": available["vs_country"],
        }
    )
    periods = sorted(set(available["period"]))
    sources = sorted(set(available["source"].astype(str)))
    fig = headline_dot_chart(
        frame,
        title=f"{dx.place.name} against {dx.name_of(dx.country_code)}",
        # many publishers' names would crowd the chart out: the table above names each row's source
        source=", ".join(sources) if len(sources) <= MAX_CHART_SOURCES
        else f"{len(sources)} published sources, named row by row in the headline indicators table",
        period=periods[0] if len(periods) == 1 else f"latest of each ({periods[0]} to {periods[-1]})",
        country_label=dx.name_of(dx.country_code),
        region_label=dx.name_of(dx.region_code),
    )
    return show_figure(fig, alt=f"Headline indicators of {dx.place.name} as % difference from the country")


def comparators_table(dx: Session):
    """The comparator areas: for nearest neighbours, their distance and what makes them similar."""
    from diagnostics.render.tables import html_table

    if dx.neighbours.empty:
        frame = pd.DataFrame({"Code": dx.comparator_codes, "Name": [dx.name_of(c) for c in dx.comparator_codes]})
        caption = f"Comparators: {dx.comparator_method}."
    else:
        n = dx.neighbours
        frame = pd.DataFrame(
            {
                "Rank": n["rank"],
                "Name": n["name"],
                "Code": n["code"],
                "Distance (SD)": n["distance"].round(2),
                "Closest on": n["closest_on"],
                "Differs most on": n["furthest_on"],
            }
        )
        caption = (
            f"Statistical nearest neighbours: weighted Euclidean distance in standard deviations on "
            f"{n['basis'].iloc[0]} (latest period of each)." + _stand_in_text(dx.store, n)
        )
    return _html(html_table(frame, caption))


#: Names of the default similarity variables, for a store whose catalogue does not hold them.
_DEFAULT_LABELS = {
    "population_total": "Population", "population_aged_65_plus": "Aged 65+", "working_age_share": "Working age (16-64)",
    "deprivation_score": "Deprivation score", "gva_per_head": "GVA per head", "employment_rate": "Employment rate",
}


def _stand_in_text(store, neighbours: pd.DataFrame) -> str:
    """' ... stand-ins ...' naming the default similarity variables replaced or left out on this store, or ''."""
    from diagnostics.compare.benchmark import NEIGHBOUR_INDICATORS

    used = neighbours.attrs.get("indicators")
    if used is None:  # a table from elsewhere: nothing known about stand-ins
        return ""
    stand_ins = neighbours.attrs.get("stand_ins", {})
    catalogue = store.catalogue
    label = lambda i: str(catalogue.loc[i, "short_name"]) if i in catalogue.index else _DEFAULT_LABELS.get(i, i)  # noqa: E731
    swaps = [f"{label(stand_in)} for {label(default)}" for default, stand_in in stand_ins.items()]
    missing = [label(d) for d in NEIGHBOUR_INDICATORS if d not in used and d not in stand_ins]
    text = ""
    if swaps:
        text += (" This store lacks some of the default variables, so stand-ins are used "
                 f"(diagnostics.compare.benchmark.NEIGHBOUR_EQUIVALENTS): {'; '.join(swaps)}.")
    if missing:
        text += f" Without values here, so not used: {', '.join(missing)}."
    return text


def data_notes(dx: Session):
    """Where the data comes from: source, vintage, attribution and the store's version."""
    from diagnostics.render.html import interval_note

    store = dx.store
    created = store.manifest.get("created", "")
    left_out = [str(item) for item in store.manifest.get("left_out", []) or []]
    return _html(
        synthetic_banner(dx)
        + "<ul>"
        + f"<li>Source: {html.escape(store.source)}; vintage: {html.escape(store.vintage)}; "
        + f"store version {html.escape(store.version)} built {html.escape(created)}.</li>"
        + f"<li>{html.escape(store.attribution)}</li>"
        + f"<li>{html.escape(interval_note(store))} Each figure's period and source are shown beside it.</li>"
        + "".join(f"<li>Not in this store: {html.escape(item)}</li>" for item in left_out)
        + "</ul>"
    )


# --------------------------------------------------------------------------------------------------
# Leaders' view: headline cards and the strengths and challenges across every section
# --------------------------------------------------------------------------------------------------

#: The catalogue indicators shown as cards, in order: size, productivity, jobs and health. Each
#: available section adds the first two measures of its own headline table after these.
CARD_INDICATORS: tuple[str, ...] = (
    "population_total",
    "gva_per_job",
    "employment_rate",
    "healthy_life_expectancy_female",
    "healthy_life_expectancy_male",
)
#: How many of each section's headline measures become cards.
CARDS_PER_SECTION = 2
#: The productivity card's measure: the first of these the store holds (GVA per filled job, else
#: per hour worked, else GDP or GVA per head); a store of real England publishes the first three.
PRODUCTIVITY_MEASURES: tuple[str, ...] = ("gva_per_job", "gva_per_hour", "gdp_per_head", "gva_per_head")


def card_indicator_ids(store) -> tuple[str, ...]:
    """:data:`CARD_INDICATORS` on this store: the productivity card becomes the first of
    :data:`PRODUCTIVITY_MEASURES` the store holds (``gva_per_job`` on the synthetic store)."""
    held = store.indicator_ids
    productivity = next((i for i in PRODUCTIVITY_MEASURES if i in held), PRODUCTIVITY_MEASURES[0])
    return tuple(productivity if i == "gva_per_job" else i for i in CARD_INDICATORS)


_TREND_ARROWS = {"increasing": "↑", "decreasing": "↓", "no significant change": "→"}


def section_anchor(key: str) -> str:
    """The in-page anchor (without ``#``) of a section: the id nbconvert, JupyterLab and Voilà give
    its notebook's title heading (``# Growth firms`` -> ``Growth-firms``)."""
    from diagnostics.sections.registry import section

    return section(key).title.replace(" ", "-")


def _fmt(row, column: str) -> str:
    from diagnostics.render.numbers import format_value

    decimals = int(row["decimals"]) if pd.notna(row.get("decimals")) else 1
    return format_value(row[column], str(row.get("unit") or ""), decimals)


def _trend_text(label) -> tuple[str, str]:
    """(arrow, words) for a recent-trend label; the arrow is decoration, the words carry it."""
    label = str(label) if isinstance(label, str) and label else "cannot be calculated"
    direction = label.split(" and ")[0]
    return _TREND_ARROWS.get(direction, "–"), label


def _card_value(row) -> str:
    """The card's big number: money and percentages as written, other units smaller after it."""
    unit = str(row.get("unit") or "")
    if unit in ("£", "%", "", "people", "score", "count"):
        return _fmt(row, "value")
    number = _fmt({**row, "unit": ""}, "value")
    return f'{number} <span class="pd-card-unit">{html.escape(unit)}</span>'


def _card(row, country_name: str, value_type: str = "") -> str:
    from diagnostics.render.numbers import format_interval
    from diagnostics.render.palette import COMPARISON_COLOURS

    name = html.escape(str(row["name"]))
    if row.get("status") != "ok":
        return (
            f'<div class="pd-card" role="listitem" data-indicator="{html.escape(str(row["indicator_id"]))}">'
            f'<div class="pd-card-name">{name}</div>'
            f'<div class="pd-card-line"><em>{html.escape(str(row["status"]))}</em></div></div>'
        )
    decimals = int(row["decimals"]) if pd.notna(row.get("decimals")) else 1
    interval = format_interval(row["lower_ci"], row["upper_ci"], "", decimals)
    comparison = str(row["vs_country"]) if isinstance(row.get("vs_country"), str) else "not compared"
    colour = COMPARISON_COLOURS.get(comparison, "#b0b0b0")
    if value_type == "count":  # a count (the population) is not compared with the country's total
        against = ""
    elif pd.notna(row.get("country_value")) and comparison not in ("not compared",):
        against = f"{html.escape(comparison.capitalize())} than {html.escape(country_name)} ({_fmt(row, 'country_value')})"
        if comparison == "similar":
            against = f"Similar to {html.escape(country_name)} ({_fmt(row, 'country_value')})"
    elif pd.notna(row.get("country_value")):
        against = f"{html.escape(country_name)}: {_fmt(row, 'country_value')} (not compared: no interval)"
    else:
        against = "No national value to compare with"
    arrow, words = _trend_text(row.get("trend"))
    rank = f"Rank {int(row['rank'])} of {int(row['n_ranked'])}" if pd.notna(row.get("rank")) else ""
    return (
        f'<div class="pd-card" role="listitem" data-indicator="{html.escape(str(row["indicator_id"]))}" '
        f'style="border-left:8px solid {colour}">'
        f'<div class="pd-card-name">{name}</div>'
        f'<div class="pd-card-value">{_card_value(row)}</div>'
        + (f'<div class="pd-card-line">95% CI {html.escape(interval)}</div>' if interval else "")
        + (f'<div class="pd-card-line">{against}</div>' if against else "")
        + f'<div class="pd-card-line"><span aria-hidden="true">{arrow}</span> Trend: {html.escape(words)}</div>'
        + (f'<div class="pd-card-line">{rank}</div>' if rank else "")
        + f'<div class="pd-card-source">{html.escape(str(row["period"]))}; {html.escape(str(row["source"]))}</div></div>'
    )


def card_measures(dx: Session) -> pd.DataFrame:
    """The measures shown as cards: :func:`card_indicator_ids`, then each section's first headline measures.

    A catalogue card the store has no value for keeps its row (its status says why); a section's
    measure becomes a card only when it has a value.
    """
    from diagnostics.sections.summary.findings import all_measures

    measures = all_measures(dx)
    chosen = [measures.loc[measures["indicator_id"] == i] for i in card_indicator_ids(dx.store)]
    chosen = [c for c in chosen if not c.empty]
    tables, _ = _section_tables(dx)
    taken = {i for c in chosen for i in c["indicator_id"]}
    for key, table in tables.items():
        rows = table.loc[(table["status"] == "ok") & ~table["indicator_id"].isin(taken)].head(CARDS_PER_SECTION)
        taken |= set(rows["indicator_id"])
        chosen.append(measures.loc[measures["indicator_id"].isin(rows["indicator_id"])])
    if not chosen:
        return measures.iloc[0:0]
    return pd.concat(chosen, ignore_index=True)


def _section_tables(dx: Session):
    from diagnostics.sections.summary.findings import section_headlines

    return section_headlines(dx)


def _deprivation_profile(dx: Session) -> pd.DataFrame:
    """The place's deprivation profile, the one the health section shows (computed once for both)."""
    from diagnostics.sections.health.page import _deprivation

    return _deprivation(dx)


def deprivation_cards(dx: Session) -> str:
    """Cards (HTML) of the place's deprivation: the IMD's average rank and the share of its small areas
    in the most deprived 10% nationally, each with its rank among the areas of its layer.

    MHCLG's local-authority summaries of the English Indices of Deprivation, read from the store
    (real England: computed at import from the IoD2019 small-area files) or computed from the
    synthetic store's small-area scores (:func:`diagnostics.sections.health.analysis.deprivation_profile`). Neither
    is an estimate, so no interval is shown; not compared with the country, whose average rank is
    the middle by construction. '' when the store has no profile for the place (a small area, a
    layer without one): the health section says why.
    """
    if dx.place.layer == "small_area":
        return ""
    try:
        profile = _deprivation_profile(dx)
    except Exception:  # noqa: BLE001 - the health section shows the same profile and says what failed
        return ""
    if profile.empty or "imd" not in set(profile["domain"]):
        return ""
    imd = profile.loc[profile["domain"] == "imd"].iloc[0]
    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    layer = plural_label(dx.place.layer_label)
    n = int(imd["n_ranked"]) if pd.notna(imd.get("n_ranked")) else None
    source = f"{imd['period']}; {imd['source']} ({imd['vintage']})"
    items = [
        ("average_rank", "rank_of_average_rank", "Deprivation (IMD): average rank",
         lambda v: f"{v:,.0f}", "Population-weighted mean of its small areas' national ranks, reversed so that "
         "higher is more deprived."),
        ("most_deprived_10pct", "rank_of_most_deprived_10pct", f"Small areas in {country}'s most deprived 10% (IMD)",
         lambda v: f"{v:.1f}%", "Share of its small areas (LSOAs) among the most deprived tenth nationally."),
    ]
    cards = []
    for measure, rank_measure, name, fmt, meaning in items:
        value = imd.get(measure)
        if value is None or pd.isna(value):
            continue
        rank = imd.get(rank_measure)
        rank_line = (f"Rank {int(rank)} of {n} {html.escape(layer)} (1 = most deprived)"
                     if rank is not None and pd.notna(rank) and n else "")
        cards.append(
            f'<div class="pd-card" role="listitem" data-indicator="deprivation_imd_{measure}" '
            f'style="border-left:8px solid #b0b0b0">'
            f'<div class="pd-card-name">{html.escape(name)}</div>'
            f'<div class="pd-card-value">{html.escape(fmt(float(value)))}</div>'
            + (f'<div class="pd-card-line">{rank_line}</div>' if rank_line else "")
            + f'<div class="pd-card-line">{html.escape(meaning)}</div>'
            + f'<div class="pd-card-source">{html.escape(source)}</div></div>'
        )
    return "".join(cards)


def headline_cards(dx: Session):
    """The place's headline measures as cards: value and interval, against the country, trend, rank;
    then its deprivation profile (:func:`deprivation_cards`)."""
    cards = card_measures(dx)
    deprivation = deprivation_cards(dx)
    if cards.empty and not deprivation:
        from diagnostics.render.html import notice

        return notice("The store holds none of the headline measures for this place.", title="Headline measures")
    country = dx.name_of(dx.country_code) if dx.country_code else "the country"
    kinds = dx.store.catalogue["value_type"].to_dict() if "value_type" in dx.store.catalogue else {}
    body = "".join(_card(row, country, kinds.get(row["indicator_id"], "")) for row in cards.to_dict("records"))
    return _html(
        synthetic_banner(dx)
        + f'<div class="pd-cards" role="list" aria-label="Headline measures of {html.escape(dx.place.name)}">{body}{deprivation}</div>'
        + "<p class='pd-source' style='font-size:0.85em;color:#444'>Each card: the latest value with its 95% "
        + "confidence interval where it is an estimate, how it compares with the country (Fingertips' rule), the "
        + "recent trend and the rank among all areas of the same kind (1 = best)."
        + (" The deprivation cards are MHCLG's summaries of the English Indices of Deprivation, ranked 1 = most "
           "deprived; the Health section shows every domain." if deprivation else "")
        + "</p>"
    )


def finding_sentence(row, place_name: str, country_name: str, layer_label: str) -> str:
    """One plain sentence (text, not HTML) for a strength or challenge, using only the numbers that
    the evidence table shows: the value, its period, the national value and the rank."""
    comparison = "better" if row["vs_country"] == "better" else "worse"
    return (
        f"{row['name']} in {place_name}: {_fmt(row, 'value')} ({row['period']}), {comparison} than "
        f"{country_name} ({_fmt(row, 'country_value')}); ranked {ordinal(int(row['rank']))} of "
        f"{int(row['n_ranked'])} {plural_label(layer_label)} (first is best)."
    )


def _evidence_table(rows: pd.DataFrame, country_name: str, in_app: bool) -> str:
    from diagnostics.render.numbers import format_interval
    from diagnostics.render.tables import badge

    body = []
    for r in rows.to_dict("records"):
        decimals = int(r["decimals"]) if pd.notna(r.get("decimals")) else 1
        anchor = section_anchor(r["section"])
        where = html.escape(str(r["section_title"]))
        link = where if in_app else f'<a href="#{html.escape(anchor)}">{where}</a>'
        body.append(
            f'<tr id="finding-{html.escape(str(r["indicator_id"]))}"><td>{html.escape(str(r["name"]))}</td>'
            f"<td>{html.escape(str(r['period']))}</td>"
            f"<td class='num'><strong>{_fmt(r, 'value')}</strong>"
            f"<span class='ci'>{html.escape(format_interval(r['lower_ci'], r['upper_ci'], '', decimals))}</span></td>"
            f"<td class='num'>{_fmt(r, 'country_value')}</td>"
            f"<td class='num'>{int(r['rank'])} of {int(r['n_ranked'])}</td>"
            f"<td>{badge(r['vs_country'])}</td><td>{html.escape(str(r['source']))}</td><td>{link}</td></tr>"
        )
    head = (
        "<tr><th>Indicator</th><th>Period</th><th>Value (95% CI)</th>"
        f"<th>{html.escape(country_name)}</th><th>Rank</th><th>Against {html.escape(country_name)}</th>"
        "<th>Source</th><th>Section</th></tr>"
    )
    caption = (
        "The evidence for each strength and challenge. Chosen across every section by how far the place "
        "stands from the other areas of its kind (the normal score of its rank, polarity-aware), among "
        "measures significantly better or worse than the country (the national value outside the place's "
        "95% confidence interval)."
    )
    return (
        f'<table class="pd-table pd-evidence"><caption>{html.escape(caption)}</caption><thead>{head}</thead>'
        + f"<tbody>{''.join(body)}</tbody></table>"
    )


def strengths_and_challenges(dx: Session, n: int = 5, in_app: bool = False):
    """The place's biggest strengths and challenges across all sections, one sentence each, with evidence.

    Each sentence links to its row of the evidence table shown beneath and to the section that
    shows more (``in_app=True`` names the section's tab instead of linking to it: the app's tabs
    are not page anchors). See :func:`diagnostics.sections.summary.findings.strengths_and_challenges` for how they
    are chosen.
    """
    from diagnostics.sections.summary.findings import all_measures, section_headlines
    from diagnostics.sections.summary.findings import strengths_and_challenges as choose

    measures = all_measures(dx)
    strengths, challenges = choose(measures, n)
    _, problems = section_headlines(dx)
    country = dx.name_of(dx.country_code) if dx.country_code else None
    problem_note = "".join(
        f"<p class='pd-notice' role='note'><em>The {html.escape(key)} section's headline measures could not be "
        f"included ({html.escape(reason[:200])}); its tab and notebook show what it can.</em></p>"
        for key, reason in problems.items()
    )
    if country is None:
        return _html(
            synthetic_banner(dx)
            + "<p><em>No strengths or challenges against the country: the place is the whole country.</em></p>"
        )

    def items(rows: pd.DataFrame, kind: str) -> str:
        if rows.empty:
            return f"<p><em>No measure is significantly {kind} than {html.escape(country)} and ranked on the {kind} side of the middle.</em></p>"
        out = []
        for r in rows.to_dict("records"):
            sentence = finding_sentence(r, dx.place.name, country, dx.place.layer_label)
            where = html.escape(str(r["section_title"]))
            if r["section"] == "summary":
                more = ""
            elif in_app:
                more = f" (more in the {where} tab)"
            else:
                more = f' <a href="#{html.escape(section_anchor(r["section"]))}">More in the {where} section</a>'

            out.append(
                f'<li><a href="#finding-{html.escape(str(r["indicator_id"]))}" class="pd-finding">'
                f"{html.escape(sentence)}</a>{more}</li>"
            )
        return "<ol>" + "".join(out) + "</ol>"

    shown = pd.concat([strengths, challenges], ignore_index=True)
    return _html(
        synthetic_banner(dx)
        + '<div class="pd-findings">'
        + "<h3 id='pd-strengths'>Strengths</h3>"
        + items(strengths, "better")
        + "<h3 id='pd-challenges'>Challenges</h3>"
        + items(challenges, "worse")
        + "</div>"
        + problem_note
        + (_evidence_table(shown, country, in_app) if not shown.empty else "")
    )


#: The summary's views in page order (the notebook's place_header comes first, then these).
VIEWS = (
    ("Where the place is", location_map),
    ("Headline measures", headline_cards),
    ("Strengths and challenges", strengths_and_challenges),
    ("Headline indicators", headline_table),
    ("Against the country", headline_chart),
    ("Comparators", comparators_table),
    ("About the data", data_notes),
)
