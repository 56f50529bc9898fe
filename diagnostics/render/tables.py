"""HTML tables for people: formatted numbers, intervals, and labelled comparisons.

Views only: they take analysis results (DataFrames) and return HTML that renders offline in
JupyterLab, nbconvert reports and Voilà. Colour is never the only signal: every coloured cell
also says its label in words.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.numbers import format_interval, format_value
from diagnostics.render.style import badge_class

__all__ = ["html_table", "headline_html", "badge"]

def html_table(df: pd.DataFrame, caption: str | None = None, css_class: str = "pd-table") -> str:
    """A plain, escaped HTML table of a DataFrame (cells are shown as text)."""
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="{css_class}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'




def badge(label) -> str:
    """A comparison label (better, similar, worse...) as a coloured badge that also says it in words."""
    label = label if isinstance(label, str) and label else "not compared"
    return f'<span class="pd-badge {badge_class(label)}">{html.escape(label)}</span>'


def headline_html(
    table: pd.DataFrame, place_name: str, region_name: str | None, country_name: str, comparator_text: str
) -> str:
    """The headline benchmark table as HTML.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`diagnostics.compare.benchmark.benchmark_table`.
    place_name, region_name, country_name : str
        Column headings; ``region_name`` None leaves the region column out (a place in no region).
    comparator_text : str
        How the comparators were chosen, for the caption.
    """
    head = (
        "<tr><th scope='col'>Indicator</th><th scope='col'>Period</th>"
        f"<th scope='col'>{html.escape(place_name)} (95% CI)</th>"
        + (f"<th scope='col'>{html.escape(region_name)}</th>" if region_name is not None else "")
        + f"<th scope='col'>{html.escape(country_name)}</th><th scope='col'>Comparators: median (range)</th>"
        f"<th scope='col'>Rank</th><th scope='col'>Against {html.escape(country_name)}</th><th scope='col'>Recent trend</th><th scope='col'>Source</th></tr>"
    )
    n_columns = 10 if region_name is not None else 9
    rows = []
    for r in table.to_dict("records"):
        full_unit, dec = r.get("unit", ""), int(r.get("decimals", 1) if pd.notna(r.get("decimals")) else 1)
        unit = full_unit if full_unit in ("£", "%") else ""  # longer units are shown once, by the name
        unit_note = "" if unit or full_unit in ("", "people", "score") else f"<span class='ci'>{html.escape(full_unit)}</span>"
        if r.get("status") != "ok":
            rows.append(
                f"<tr><td>{html.escape(str(r['name']))}</td><td colspan='{n_columns - 1}'>"
                f"<em>{html.escape(str(r['status']))}</em></td></tr>"
            )
            continue
        ci = format_interval(r["lower_ci"], r["upper_ci"], unit, dec)
        comp = "–"
        if r.get("n_comparators", 0):
            comp = (
                f"{format_value(r['comparators_median'], unit, dec)} "
                f"<span class='ci'>({format_value(r['comparators_min'], unit, dec)} to "
                f"{format_value(r['comparators_max'], unit, dec)})</span>"
            )
        rank = f"{int(r['rank'])} of {int(r['n_ranked'])}" if pd.notna(r.get("rank")) else "–"
        rows.append(
            "<tr>"
            f"<td>{html.escape(str(r['name']))}{unit_note}</td><td>{html.escape(str(r['period']))}</td>"
            f"<td class='num'><strong>{format_value(r['value'], unit, dec)}</strong>"
            f"<span class='ci'>{html.escape(ci)}</span></td>"
            + (f"<td class='num'>{format_value(r['region_value'], unit, dec)}</td>" if region_name is not None else "")
            + f"<td class='num'>{format_value(r['country_value'], unit, dec)}</td>"
            f"<td class='num'>{comp}</td><td class='num'>{rank}</td>"
            f"<td>{badge(r['vs_country'])}</td><td>{html.escape(str(r['trend']))}</td>"
            f"<td>{html.escape(str(r['source']))}</td></tr>"
        )
    caption = (
        "Values for the latest period in the store; 95% confidence intervals where the figure is an "
        "estimate. 'Against' compares the place's interval with the national value (Fingertips' rule). "
        f"Rank: 1 is the best among all areas of the layer (highest first where neither is better). "
        f"Comparators: {comparator_text}."
    )
    return (
        f'<table class="pd-table"><caption>{html.escape(caption)}</caption><thead>{head}</thead>'
        + f"<tbody>{''.join(rows)}</tbody></table>"
    )
