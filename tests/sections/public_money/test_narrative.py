"""The findings: what they say, and that every figure in one appears in the views it points at."""

from __future__ import annotations

import re

import pytest

from diagnostics.sections.public_money import page
from diagnostics.sections.public_money.narrative import (
    HEADINGS,
    data_notes_sentences,
    public_money_findings,
    service_words,
)

#: A level in pounds (not a signed change): "£1,990.00", "£12.3 million", "£578".
_POUNDS = re.compile(r"(?<![+\-])£[\d,]+(?:\.\d+)?")


def _view_text(dx, heading: str) -> str:
    view = dict(page.VIEWS)[heading]
    return re.sub(r"<[^>]+>", " ", view(dx).data)


@pytest.mark.parametrize("code", ["D1", "H1", "R1"])
def test_every_pound_figure_of_a_finding_is_shown_by_the_views_it_points_at(session_of, code):
    dx = session_of(code)
    found = public_money_findings(dx)
    assert found
    for finding in found:
        shown = " ".join(_view_text(dx, heading) for heading in finding.views)
        for figure in _POUNDS.findall(finding.text):
            assert figure in shown, f"{figure} of {finding.text!r} is not in {finding.views}"


def test_the_biggest_spenders_come_first_with_their_attributed_millions(session_of):
    first = public_money_findings(session_of("D1"))[0]
    assert first.views == (HEADINGS["bodies"], HEADINGS["chart"])
    assert first.text.startswith("In 2022-23 £11.3 million of public money was spent in Ashcombe")
    assert "North Integrated Care Board (£6.9 million, 61%)" in first.text


def test_findings_describe_spending_without_judging_it(session_of):
    text = " ".join(f.text for f in public_money_findings(session_of("D2")))
    assert not re.search(r"\b(better|worse|good|bad)\b", text)
    assert "lower than the median" in text or "higher than the median" in text


def test_what_changed_most_is_the_largest_change_per_resident_in_cash(session_of):
    changed = next(f for f in public_money_findings(session_of("D1")) if f.views == (HEADINGS["years"],))
    assert "on NHS (ICB allocation) changed most: from £1,800 to £2,000 (+£200, +11%, cash terms)" in changed.text


def test_the_council_tax_finding_gives_the_whole_bill_and_its_largest_precept(session_of):
    tax = next(f for f in public_money_findings(session_of("D1")) if f.views == (HEADINGS["council_tax"],))
    assert "A Band D home in Ashcombe paid £1,990.00 of council tax in 2022-23, of which £1,500.00 (75%) went to Kay County Council" in tax.text


def test_a_missing_return_is_a_finding_of_its_own(session_of):
    texts = [f.text for f in public_money_findings(session_of("D3"))]
    assert "Caddington Council made no return for 2022-23: the place's total for 2022-23 leaves its spending out." in texts


def test_the_notes_say_cash_terms_only_without_deflators_and_no_findings_without_spending(session_of, tiny_store):
    from diagnostics.sections.session import start

    notes = data_notes_sentences(session_of("D1"))
    assert "Cash terms only: add HM Treasury's GDP deflators to the store for real terms." in notes
    assert public_money_findings(start("D2", tiny_store)) == []


def test_service_words_keep_acronyms():
    assert service_words("NHS (ICB allocation)") == "NHS (ICB allocation)"
    assert service_words("Adult social care") == "adult social care"
