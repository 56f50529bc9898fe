"""Health: the page's tables, the headline, the deprivation profile, similar places and health areas.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns what one notebook
cell shows: HTML styled by the one stylesheet's classes (``pd-table pd-health``; the rules are in
:mod:`diagnostics.render.style`'s ``stylesheet.css``, block "Health"), numbers written by
:mod:`diagnostics.render.numbers`, comparisons as :func:`~diagnostics.render.tables.badge`\\ s.
Views never raise for missing data: they return a notice that says why.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.conventions import layer_label
from diagnostics.geography.lookups import population_basis
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import MISSING, format_interval, format_share, format_value
from diagnostics.render.style import badge_class
from diagnostics.render.tables import badge
from diagnostics.sections.health import mortality
from diagnostics.sections.health.analysis import health_catalogue
from diagnostics.sections.health.deprivation import deprivation_profile_layers
from diagnostics.sections.health.district_counts import district_inputs, uses_district_counts
from diagnostics.sections.health.headline import READY_MADE_INEQUALITY, is_ready_made
from diagnostics.sections.health.place_results import (
    country_name,
    deprivation_profile_of,
    headline_table_of,
    health_areas_of,
    region_name,
    similar_places_of,
)
from diagnostics.sections.session import Session
from diagnostics.store.deprivation import AS_PUBLISHED

__all__ = [
    "headline_table_view",
    "ready_made_inequality_table",
    "deprivation_view",
    "similar_places_view",
    "health_areas_view",
]

#: The tag of a published figure shown as imported (not computed here).
_READY_MADE_TAG = "<span class='pd-ready-made'>ready-made</span>"

#: What a ready-made figure without a published interval says in its interval's place.
_NO_INTERVAL = "no interval in the imported file"


def _cell_unit(unit: str) -> str:
    """The unit written beside a table's numbers: "%" and "£"; longer units are shown once, by the name."""
    return unit if unit in ("%", "£") else ""


def _rank(rank, n) -> str:
    """A rank among n areas as people read it: ``"3 of 12"``, ``"3"`` when n is unknown, a dash when there is none."""
    if pd.isna(rank):
        return MISSING
    return f"{int(rank)} of {int(n)}" if pd.notna(n) else f"{int(rank)}"


def _table(caption: str, head: str, rows: list[str], extra_class: str = "") -> str:
    """A health table: the caption (escaped) under it, then the header row and the body rows (HTML)."""
    return (f"<table class='pd-table pd-health{' ' + extra_class if extra_class else ''}'>"
            f"<caption>{html.escape(caption)}</caption>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


# --------------------------------------------------------------------------------------------------
# Headline health
# --------------------------------------------------------------------------------------------------


def _pooling(pool: int) -> str:
    """How the computed periods are made, for people."""
    if pool >= mortality.POOL_YEARS:
        return f"pooled over {pool} years as ONS and OHID publish them"
    return (f"{'single years' if pool == 1 else f'{pool}-year periods'}: the store's deaths cover too few years for "
            f"the {mortality.POOL_YEARS}-year periods ONS and OHID publish, so intervals are wider")


def headline_table_view(dx: Session):
    """Every health measure: value and interval, region, country, comparators, rank, comparisons, trend."""
    table = headline_table_of(dx)
    region = region_name(dx)
    country = country_name(dx, "Country")
    head = ("<tr><th scope='col'>Indicator</th><th scope='col'>Period</th>"
            f"<th scope='col'>{html.escape(dx.place.name)} (95% CI)</th>"
            + (f"<th scope='col'>{html.escape(region)}</th>" if region else "")
            + f"<th scope='col'>{html.escape(country)}</th><th scope='col'>Comparators: median (range)</th><th scope='col'>Rank</th>"
            f"<th scope='col'>Against {html.escape(country)}</th>" + (f"<th scope='col'>Against {html.escape(region)}</th>" if region else "")
            + "<th scope='col'>Recent trend</th><th scope='col'>Source</th></tr>")
    n_columns = 11 if region else 9
    rows = []
    for r in table.to_dict("records"):
        unit, dec = str(r["unit"] or ""), int(r["decimals"]) if pd.notna(r["decimals"]) else 1
        shown = _cell_unit(unit)
        ready = is_ready_made(r.get("method"))
        name = (html.escape(str(r["name"]))
                + ("" if unit in ("%", "£", "", "score") else f"<span class='pd-unit'>{html.escape(unit)}</span>")
                + (_READY_MADE_TAG if ready else ""))
        if r["status"] != "ok":
            period = html.escape(str(r["period"])) if isinstance(r.get("period"), str) else ""
            rows.append(f"<tr><td>{name}</td><td>{period}</td><td colspan='{n_columns - 2}'><em>Not shown: "
                        f"{html.escape(str(r['status']))}</em></td></tr>")
            continue
        ci = _NO_INTERVAL if ready and pd.isna(r["lower_ci"]) else format_interval(r["lower_ci"], r["upper_ci"], "", dec)
        comparators = MISSING
        if r.get("n_comparators") and r["n_comparators"] > 0:
            comparators = (f"{format_value(r['comparators_median'], shown, dec)} <span class='pd-range'>"
                           f"({format_value(r['comparators_min'], shown, dec)} to "
                           f"{format_value(r['comparators_max'], shown, dec)})</span>")
        rows.append(
            "<tr>"
            f"<td>{name}</td><td class='nw'>{html.escape(str(r['period']))}</td>"
            f"<td class='pd-right'><strong>{format_value(r['value'], shown, dec)}</strong>"
            f"<span class='ci'>{html.escape(ci)}</span></td>"
            + (f"<td class='pd-right'>{format_value(r['region_value'], shown, dec)}</td>" if region else "")
            + f"<td class='pd-right'>{format_value(r['country_value'], shown, dec)}</td>"
            f"<td class='pd-right'>{comparators}</td><td class='num'>{_rank(r.get('rank'), r.get('n_ranked'))}</td>"
            f"<td>{badge(r['vs_country'])}</td>" + (f"<td>{badge(r['vs_region'])}</td>" if region else "")
            + f"<td>{html.escape(str(r['trend']))}</td><td>{html.escape(str(r['source']))}</td></tr>"
        )
    if mortality.mortality_unavailable_reason(dx.store) is None and uses_district_counts(dx.store):
        computed = (
            f"Life expectancy and under-75 mortality: {district_inputs(dx.store)}; "
            + _pooling(mortality.pool_years(dx.store))
            + " (life expectancy: Chiang II with Silcocks' interval; mortality: directly standardised to the European "
            "Standard Population 2013, Dobson's interval)."
        )
    elif mortality.mortality_unavailable_reason(dx.store) is None:
        computed = (
            f"Life expectancy and under-75 mortality are computed here from the store's deaths and mid-year "
            f"populations, pooled over {mortality.POOL_YEARS} years as ONS and OHID publish them (life expectancy: "
            "Chiang II with Silcocks' interval; mortality: directly standardised to the European Standard Population "
            "2013, Dobson's interval)."
        )
    else:
        computed = (
            "Life expectancy and under-75 mortality cannot be computed here: the store has no deaths or population "
            "table. Figures marked ready-made are published ones (OHID, ONS) as imported, with their published 95% "
            "interval where the file carries one; a figure without an interval is compared by size only."
        )
    caption = (
        computed + " The other indicators are the store's, latest period. 'Against' compares the "
        "place's 95% interval with the benchmark's value. Recent trend: Fingertips' test on the last five "
        "points (single years for the computed measures). Rank: 1 is best among all areas of the layer. "
        f"Comparators: {dx.comparator_method}."
    )
    return as_html(synthetic_banner(dx) + _table(caption, head, rows))


def ready_made_inequality_table(dx: Session, reason: str):
    """The store's ready-made slope indices of inequality for the place (a real store that cannot
    compute its own), or None when it has none.

    Parameters
    ----------
    dx : Session
    reason : str
        Why the decile-by-decile chart cannot be computed, for the caption.
    """
    table = headline_table_of(dx)
    rows = table.loc[table["indicator_id"].isin(READY_MADE_INEQUALITY) & (table["status"] == "ok")]
    if rows.empty:
        return None
    region = region_name(dx)
    country = country_name(dx, "Country")
    body = []
    for r in rows.to_dict("records"):
        dec = int(r["decimals"]) if pd.notna(r["decimals"]) else 1
        ci = _NO_INTERVAL if pd.isna(r["lower_ci"]) else format_interval(r["lower_ci"], r["upper_ci"], "", dec)
        body.append(
            f"<tr><td>{html.escape(str(r['name']))}{_READY_MADE_TAG}</td><td class='nw'>{html.escape(str(r['period']))}</td>"
            f"<td class='pd-right'><strong>{format_value(r['value'], '', dec)}</strong> years"
            f"<span class='ci'>{html.escape(ci)}</span></td>"
            + (f"<td class='pd-right'>{format_value(r['region_value'], '', dec)}</td>" if region else "")
            + f"<td class='pd-right'>{format_value(r['country_value'], '', dec)}</td>"
            f"<td class='num'>{_rank(r['rank'], r['n_ranked'])}</td>"
            f"<td>{html.escape(str(r['source']))}</td></tr>"
        )
    head = ("<tr><th scope='col'>Measure</th><th scope='col'>Period</th>" f"<th scope='col'>{html.escape(dx.place.name)}</th>"
            + (f"<th scope='col'>{html.escape(region)}</th>" if region else "") + f"<th scope='col'>{html.escape(country)}</th>"
            "<th scope='col'>Rank (1 = smallest gap)</th><th scope='col'>Source</th></tr>")
    caption = (
        "Ready-made: OHID's slope index of inequality in life expectancy at birth, the modelled gap in years between "
        "the most and the least deprived ends of the place, its small areas grouped into local deprivation deciles "
        "(published figures as imported). The decile-by-decile chart computed here needs deaths and populations: "
        f"{reason}."
    )
    return as_html(synthetic_banner(dx) + _table(caption, head, body))


# --------------------------------------------------------------------------------------------------
# Deprivation profile
# --------------------------------------------------------------------------------------------------


def deprivation_view(dx: Session):
    """The deprivation profile: MHCLG's summaries of the IMD and its domains, with ranks among the layer."""
    if dx.place.layer == "small_area":
        return notice(f"{dx.place.name} is a single small area: its deprivation is its own IoD rank, not a profile.",
                      title="No deprivation profile")
    table = deprivation_profile_of(dx)
    if table.empty:
        covered = deprivation_profile_layers(dx.store)
        if covered:
            labels = "; ".join(layer_label(layer).lower() for layer in covered)
            return notice(
                f"The store's deprivation profile covers these layers: {labels}; not {dx.place.name}'s layer: MHCLG "
                "summarises the indices for local authorities, and the import summarises the layers whose areas are "
                "made of whole small areas. Run the diagnostic for one of the districts it covers (the Geographies "
                "section lists them).", title="No deprivation profile for this layer")
        return notice(
            f"The store has no deprivation profile for {dx.place.name} and no small-area deprivation scores to "
            "compute one from. Import MHCLG's English Indices of Deprivation 2019 File 1 (IMD), File 2 (domains) and "
            "File 6 (population denominators) with `place-diagnostic data import` to see it.",
            title="No deprivation profile")
    has_score = table["average_score"].notna().any()
    published = "rank_of_average_rank" + AS_PUBLISHED
    has_published = published in table and table[published].notna().any()
    n_published = int(table["n_ranked" + AS_PUBLISHED].max()) if has_published else 0
    head = ("<tr><th scope='col'>Index or domain</th><th scope='col'>Average rank</th><th scope='col'>Rank of average rank</th>"
            + (f"<th scope='col'>Rank of average rank among the {n_published} districts of 2019</th>" if has_published else "")
            + ("<th scope='col'>Average score</th><th scope='col'>Rank of average score</th>" if has_score else "")
            + "<th scope='col'>Small areas in the most deprived 10%</th><th scope='col'>Rank of that share</th></tr>")
    rows = []
    for r in table.to_dict("records"):
        n = r.get("n_ranked")
        rows.append(
            f"<tr><td>{html.escape(r['domain_name'])}</td><td class='pd-right'>{format_value(r['average_rank'], '', 0)}</td>"
            f"<td class='num'>{_rank(r['rank_of_average_rank'], n)}</td>"
            + (f"<td class='num'>{_rank(r.get(published), r.get('n_ranked' + AS_PUBLISHED))}</td>" if has_published else "")
            + (f"<td class='pd-right'>{format_value(r['average_score'], '', 2)}</td>"
               f"<td class='num'>{_rank(r['rank_of_average_score'], n)}</td>" if has_score else "")
            + f"<td class='pd-right'>{format_value(r['most_deprived_10pct'], '%', 1)}</td>"
            f"<td class='num'>{_rank(r['rank_of_most_deprived_10pct'], n)}</td></tr>"
        )
    first = table.iloc[0]
    what = ("the IMD summarised here from the store's small-area deprivation scores (small areas ranked nationally "
            "by score)" if bool(first.get("computed_here")) else
            "the English Indices of Deprivation 2019, summarised from its small-area files")
    caption = (
        f"Deprivation of {dx.place.name}: {what} as MHCLG summarises local authorities. Average rank: the "
        "population-weighted mean of its small areas' national ranks, reversed so that a higher average rank is more "
        "deprived"
        + ("" if bool(first.get("computed_here")) else
           " (weights, as MHCLG's: the total population; the working-age population for employment, children aged "
           "0-15 for IDACI, people aged 60 and over for IDAOPI)")
        + ". Average score: the population-weighted mean of their scores. Most deprived 10%: the share of its "
        f"small areas ranked in the most deprived tenth nationally. Ranks are among the {dx.place.layer_label.lower()}s "
        "of the store, 1 = most deprived."
        + (f" MHCLG ranked the {n_published} districts of 2019; where a district's code is unchanged since, its "
           "rank among them (the rank MHCLG published) is shown beside its rank among today's districts."
           if has_published else "")
        + " These are relative measures: they rank places, they do not say how deprived "
        "a place is in absolute terms, and they describe 2019 (incomes mostly 2015-16)."
        + ("" if has_score else " Average scores are not shown: the imported files carry ranks only (File 5 has the "
                                 "scores).")
    )
    vintage = f" ({first['vintage']})" if isinstance(first.get("vintage"), str) else ""
    period = str(first.get("period")) if isinstance(first.get("period"), str) else None
    source = source_line(str(first.get("source") or dx.store.source) + vintage, period)
    return as_html(synthetic_banner(dx) + _table(caption, head, rows, "pd-deprivation") + source)


# --------------------------------------------------------------------------------------------------
# Similar places and health areas
# --------------------------------------------------------------------------------------------------


def similar_places_view(dx: Session):
    """The place and its statistical neighbours on every health measure, each against the country."""
    if not dx.comparator_codes:
        return notice("There are no comparators for this place.", title="No similar places")
    table = similar_places_of(dx)
    if table.empty:
        return notice(f"The store has no health measure for {dx.place.name} and its comparators "
                      "(the areas of its layer). "
                      "Published health figures are imported for districts; for other layers import OHID Fingertips "
                      "exports for that area type.", title="No similar places")
    catalogue = health_catalogue(dx.store)
    present = set(table["area_code"])
    areas = [dx.place.code] + [c for c in dx.comparator_codes if c in present and c != dx.place.code]
    head = "<tr><th scope='col'>Indicator</th><th scope='col'>Period</th><th scope='col'>Rank of the place</th>" + "".join(
        f"<th scope='col' class='pd-vertical{' pd-place' if c == dx.place.code else ''}'>{html.escape(dx.name_of(c))}</th>"
        for c in areas) + "</tr>"
    rows = []
    for indicator_id in [i for i in catalogue.index if i in set(table["indicator_id"])]:
        meta = catalogue.loc[indicator_id]
        part = table.loc[table["indicator_id"] == indicator_id].set_index("area_code")
        mine = part.loc[dx.place.code] if dx.place.code in part.index else None
        rank = _rank(mine["rank_among"], mine["n_among"]) if mine is not None else MISSING
        cells = [_heat_cell(dx, code, part, str(meta["unit"]), int(meta["decimals"])) for code in areas]
        rows.append(f"<tr><td>{html.escape(str(meta['short_name']))}</td>"
                    f"<td class='nw'>{html.escape(str(part['period'].iloc[0]))}</td>"
                    f"<td class='nw'>{rank}</td>{''.join(cells)}</tr>")
    caption = (f"{dx.place.name} (first column, outlined) and {dx.comparator_method}. Each cell is coloured by its "
               "comparison with the country (95% intervals): blue better, vermillion worse, grey similar, white not "
               "compared; ▲ significantly higher, ▼ lower, ● similar, ○ not compared (no interval published). Rank: 1 "
               "is the best of the place and its comparators.")
    return as_html(synthetic_banner(dx) + "<div class='pd-scroll'>" + _table(caption, head, rows, "pd-compact") + "</div>")


def _heat_cell(dx: Session, code: str, part: pd.DataFrame, unit: str, decimals: int) -> str:
    """One area's cell of the similar places' table: its value and a symbol, coloured by its comparison
    with the country (the comparison badges' classes)."""
    if code not in part.index or pd.isna(part.loc[code, "value"]):
        return f"<td class='pd-no-value'>{MISSING}</td>"
    row = part.loc[code]
    label = str(row["vs_country"])
    symbol = {"similar": "●", "not compared": "○", "higher": "▲", "lower": "▼"}.get(label)
    if symbol is None:
        symbol = "▲" if row["value"] > row["country_value"] else "▼"
    place = " pd-place" if code == dx.place.code else ""
    return (f"<td class='pd-heat {badge_class(label)}{place}' title='{html.escape(dx.name_of(code))}: {label} than "
            f"the country'>{format_value(row['value'], _cell_unit(unit), decimals)} {symbol}</td>")


def health_areas_view(dx: Session):
    """The headline health measures of each health area (the NHS's footprint) the place overlaps."""
    if "health_area" not in dx.store.layers:
        return notice("The store has no health areas (layer health_area), so the NHS footprint cannot be shown.",
                      title="No health areas")
    if dx.place.layer == "health_area":
        return notice(f"{dx.place.name} is itself a health area: its NHS footprint is the place itself.",
                      title="The place is a health area")
    table = health_areas_of(dx)
    if table.empty:
        return notice(f"{dx.place.name} overlaps no health area in the store's lookups.", title="No health areas")
    areas = table.drop_duplicates("area_code")
    if table["value"].notna().sum() == 0:
        shares = "; ".join(f"{a.area_name} ({format_share(a.place_share)} of {dx.place.name}'s "
                           f"{population_basis(dx.store)})" for a in areas.itertuples())
        return notice(
            f"{dx.place.name} lies in {shares}, but the store holds no health figures for health areas (ICBs) and "
            "cannot compute any (no deaths or population tables). Import OHID Fingertips exports at ICB level "
            "(area type 'ICBs', with their area codes E54...) to compare the place with its NHS footprint; the "
            "Geographies section shows how the place overlaps them.",
            title="No health figures for health areas")
    catalogue = health_catalogue(dx.store)
    own = headline_table_of(dx).set_index("indicator_id")
    people = "people" if population_basis(dx.store) == "residents" else "small areas (counted equally: no populations)"
    head = ("<tr><th scope='col'>Indicator</th><th scope='col'>Period</th>"
            + f"<th scope='col'>{html.escape(dx.place.name)}</th>"
            + "".join(f"<th scope='col'>{html.escape(str(a.area_name))}<span class='pd-th-note'>"
                      + html.escape(f"{format_share(a.place_share)} of the place's {people}; the place is "
                                    f"{format_share(a.area_share)} of it") + "</span></th>" for a in areas.itertuples())
            + "</tr>")
    rows = []
    for indicator_id in [i for i in catalogue.index if i in set(table["indicator_id"].dropna())]:
        meta = catalogue.loc[indicator_id]
        shown, dec = _cell_unit(str(meta["unit"])), int(meta["decimals"])
        mine = own.loc[indicator_id] if indicator_id in own.index else None
        cells = [f"<td class='nw'>{format_value(mine['value'], shown, dec)} {badge(mine['vs_country'])}</td>"
                 if mine is not None and mine["status"] == "ok" else f"<td>{MISSING}</td>"]
        part = table.loc[table["indicator_id"] == indicator_id].set_index("area_code")
        for a in areas.itertuples():
            if a.area_code in part.index and pd.notna(part.loc[a.area_code, "value"]):
                r = part.loc[a.area_code]
                cells.append(f"<td class='nw'>{format_value(r['value'], shown, dec)} {badge(r['vs_country'])}</td>")
            else:
                note = part.loc[a.area_code, "note"] if a.area_code in part.index else "no value"
                cells.append(f"<td><em>{html.escape(str(note))}</em></td>")
        period = part["period"].dropna().iloc[0] if part["period"].notna().any() else ""
        rows.append(f"<tr><td>{html.escape(str(meta['short_name']))}</td><td class='nw'>{html.escape(str(period))}</td>"
                    f"{''.join(cells)}</tr>")
    caption = ("Health areas (ICB-like) overlapping the place, largest share of its population first; the same measures "
               "computed the same way for each, compared with the country (95% intervals). The NHS plans on these "
               "footprints, so their figures are what a place's partners see.")
    return as_html(synthetic_banner(dx) + _table(caption, head, rows, "pd-compact"))
