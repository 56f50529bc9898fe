"""The summary's strengths and challenges view (diagnostics.sections.summary.strengths)."""

from __future__ import annotations

import html
import re

import nbformat

from diagnostics.outputs.report import report_toc
from diagnostics.sections import registry
from diagnostics.sections.session import start
from diagnostics.sections.summary import strengths

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(re.sub(r"<[^>]+>", " ", text)))


def _sentences(page: str) -> list[str]:
    return [html.unescape(s) for s in re.findall(r'class="pd-finding">(.*?)</a>', page)]


def test_every_number_in_a_finding_appears_in_the_evidence_on_the_page(store):
    for code in ["default", store.areas_in_layer("district")["code"].iloc[3]]:
        page = strengths.strengths_and_challenges(start(code, store)).data
        sentences = re.findall(r'class="pd-finding">(.*?)</a>', page)
        assert sentences, "the synthetic district should have at least one finding"
        shown = _numbers(page[page.index("pd-evidence"):])
        for sentence in sentences:
            assert _numbers(sentence) <= shown, sentence
    country = start(store.areas_in_layer("country")["code"].iloc[0], store)
    assert "the place is the whole country" in strengths.strengths_and_challenges(country).data


def test_a_new_sections_strength_links_to_its_section_or_names_its_tab(store, with_fake_section):
    dx = start("default", store)
    page = strengths.strengths_and_challenges(dx).data
    assert _sentences(page)[0].startswith("Fake excellence in ") and "91.2%" in _sentences(page)[0]
    assert 'href="#Fake-section"' in page
    assert "(more in the Fake section tab)" in strengths.strengths_and_challenges(dx, in_app=True).data


def test_a_section_whose_headline_fails_is_named_and_the_summary_still_renders(store, fake_section):
    def broken(dx):
        raise ValueError("no firm register")

    fake_section(broken)
    page = strengths.strengths_and_challenges(start("default", store)).data
    assert "fake section's headline measures could not be included" in page and "no firm register" in page


def test_section_anchors_are_the_ids_nbconvert_gives_the_notebooks_titles():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {s.title}") for s in registry.SECTIONS])
    assert [e["anchor"] for e in report_toc(nb)] == [strengths.section_anchor(s.key) for s in registry.SECTIONS]
