"""The summary's strengths and challenges: one sentence each, linked to its evidence and its section."""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.render.html import as_html, synthetic_banner
from diagnostics.render.numbers import format_interval, format_value
from diagnostics.render.tables import badge
from diagnostics.sections.registry import section
from diagnostics.sections.session import Session
from diagnostics.sections.summary.findings import all_measures, choose_strengths_and_challenges, section_headlines
from diagnostics.sections.summary.narrative import finding_sentence, unit_and_decimals

__all__ = ["strengths_and_challenges", "section_anchor"]


def section_anchor(key: str) -> str:
    """The in-page anchor (without ``#``) of a section: the id nbconvert, JupyterLab and Voilà give
    its notebook's title heading (``# Growth firms`` -> ``Growth-firms``)."""
    return section(key).title.replace(" ", "-")


def _evidence_table(rows: pd.DataFrame, country_name: str, in_app: bool) -> str:
    """The evidence (HTML table) of each strength and challenge, one row each, with the section showing more."""
    body = []
    for r in rows.to_dict("records"):
        unit, decimals = unit_and_decimals(r)
        where = html.escape(str(r["section_title"]))
        link = where if in_app else f'<a href="#{html.escape(section_anchor(r["section"]))}">{where}</a>'
        body.append(
            f'<tr id="finding-{html.escape(str(r["indicator_id"]))}"><td>{html.escape(str(r["name"]))}</td>'
            f"<td>{html.escape(str(r['period']))}</td>"
            f"<td class='num'><strong>{format_value(r['value'], unit, decimals)}</strong>"
            f"<span class='ci'>{html.escape(format_interval(r['lower_ci'], r['upper_ci'], '', decimals))}</span></td>"
            f"<td class='num'>{format_value(r['country_value'], unit, decimals)}</td>"
            f"<td class='num'>{int(r['rank'])} of {int(r['n_ranked'])}</td>"
            f"<td>{badge(r['vs_country'])}</td><td>{html.escape(str(r['source']))}</td><td>{link}</td></tr>"
        )
    head = (
        "<tr><th scope='col'>Indicator</th><th scope='col'>Period</th><th scope='col'>Value (95% CI)</th>"
        f"<th scope='col'>{html.escape(country_name)}</th><th scope='col'>Rank</th><th scope='col'>Against {html.escape(country_name)}</th>"
        "<th scope='col'>Source</th><th scope='col'>Section</th></tr>"
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


def _findings_list(dx: Session, rows: pd.DataFrame, kind: str, country: str, in_app: bool) -> str:
    """The strengths (``kind`` "better") or challenges ("worse") as a numbered list (HTML) of linked sentences."""
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


def strengths_and_challenges(dx: Session, n: int = 5, in_app: bool = False):
    """The place's biggest strengths and challenges across all sections, one sentence each, with evidence.

    Each sentence links to its row of the evidence table shown beneath and to the section that
    shows more (``in_app=True`` names the section's tab instead of linking to it: the app's tabs
    are not page anchors). See :func:`diagnostics.sections.summary.findings.choose_strengths_and_challenges`
    for how they are chosen.
    """
    chosen = choose_strengths_and_challenges(all_measures(dx), n)
    country = dx.name_of(dx.country_code) if dx.country_code else None
    problem_note = "".join(
        f"<p class='pd-notice' role='note'><em>The {html.escape(key)} section's headline measures could not be "
        f"included ({html.escape(reason[:200])}); its tab and notebook show what it can.</em></p>"
        for key, reason in section_headlines(dx).problems.items()
    )
    if country is None:
        return as_html(
            synthetic_banner(dx)
            + "<p><em>No strengths or challenges against the country: the place is the whole country.</em></p>"
        )
    shown = pd.concat([chosen.strengths, chosen.challenges], ignore_index=True)
    return as_html(
        synthetic_banner(dx)
        + '<div class="pd-findings">'
        + "<h3 id='pd-strengths'>Strengths</h3>"
        + _findings_list(dx, chosen.strengths, "better", country, in_app)
        + "<h3 id='pd-challenges'>Challenges</h3>"
        + _findings_list(dx, chosen.challenges, "worse", country, in_app)
        + "</div>"
        + problem_note
        + (_evidence_table(shown, country, in_app) if not shown.empty else "")
    )
