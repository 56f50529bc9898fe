"""diagnostics.sections.finding: a finding and the views that show its evidence."""

from diagnostics.sections.finding import Finding


def test_a_findings_evidence_names_its_views_in_one_line():
    assert Finding("Lower.", ("How the place compares", "Hot spots")).evidence == "How the place compares; Hot spots"
    assert Finding("Nothing could be done.").evidence == ""
