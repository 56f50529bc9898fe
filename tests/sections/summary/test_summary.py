"""The summary section's cells, called in-process (the notebook itself is run in test_run.py)."""

import pytest

from diagnostics.compare.benchmark import BENCHMARK_COLUMNS, benchmark_table
from diagnostics.sections.header import place_header
from diagnostics.sections.session import start
from diagnostics.sections.summary import page as summary
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def store(small_store):
    return open_store(small_store)


def _country(store):
    return store.areas_in_layer("country")["code"].iloc[0]


def test_every_cell_renders_for_the_default_district(store):
    dx = start("default", store)
    table = summary.headline_benchmarks(dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert (table["status"] == "ok").sum() >= 12
    header = place_header(dx).data
    assert dx.place.name in header and "SYNTHETIC DATA" in header
    assert "L.map(" in summary.location_map(dx).data
    assert "Comparators: median" in summary.headline_table(dx, table).data
    assert "<svg" in summary.headline_chart(dx, table).data
    assert "Statistical nearest neighbours" in summary.comparators_table(dx).data
    assert "store version" in summary.data_notes(dx).data


@pytest.mark.parametrize("layer", ["country", "health_area", "small_area", "ttwa"])
def test_the_summary_renders_for_places_of_every_kind(store, layer):
    code = store.areas_in_layer(layer)["code"].iloc[0]
    dx = start(code, store)
    table = summary.headline_benchmarks(dx)
    assert summary.headline_table(dx, table).data
    assert summary.headline_chart(dx, table).data
    assert summary.location_map(dx).data


def test_the_country_gets_a_sentence_instead_of_a_chart_of_differences_from_itself(store):
    dx = start(_country(store), store)
    assert "the place is the whole country" in summary.headline_chart(dx).data


def test_a_store_without_indicators_for_the_place_says_so(tiny_store):
    dx = start("H1", tiny_store)
    table = summary.headline_benchmarks(dx)
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert set(table["status"]) == {"not available for this place in the store"}
    assert "not available for this place" in summary.headline_table(dx, table).data
    assert "No chart" in summary.headline_chart(dx, table).data


def test_the_headline_table_leaves_out_the_region_column_for_a_place_in_no_region(store):
    health_area = start(store.areas_in_layer("health_area")["code"].iloc[0], store)
    district = start("default", store)
    assert summary.headline_table(health_area).data.count("<th>") == 9
    region_name = district.name_of(district.region_code)
    district_table = summary.headline_table(district).data
    assert district_table.count("<th>") == 10 and f"<th>{region_name}</th>" in district_table


# --------------------------------------------------------------------------------------------------
# The leaders' view: cards, strengths and challenges, the section registry
# --------------------------------------------------------------------------------------------------

import re
import sys
import types

import numpy as np
import pandas as pd

from diagnostics.resources import notebooks_dir
from diagnostics.sections import registry as sections
from diagnostics.sections.summary import findings

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(re.sub(r"<[^>]+>", " ", text)))


def test_the_summary_notebook_shows_every_view_in_order():
    import json

    nb = json.loads((notebooks_dir() / "00_summary.ipynb").read_text())
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    headings = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"][1:]
    assert headings == [f"## {h}" for h, _ in summary.VIEWS]
    assert code[2:] == [f"summary.{view.__name__}(dx)" for _, view in summary.VIEWS]


def test_every_summary_view_renders_for_the_default_place(store):
    dx = start("default", store)
    for heading, view in summary.VIEWS:
        assert view(dx).data, heading


def test_cards_show_value_comparison_and_trend_in_words(store):
    dx = start("default", store)
    html = summary.headline_cards(dx).data
    cards = summary.card_measures(dx)
    assert list(cards["indicator_id"][:3]) == ["population_total", "gva_per_job", "employment_rate"]
    assert html.count('class="pd-card" role="listitem"') == len(cards) + 2  # and the two deprivation cards
    employment = cards.set_index("indicator_id").loc["employment_rate"]
    assert f"{employment['value']:.1f}%" in html
    assert "Trend: " in html and 'aria-hidden="true"' in html
    assert re.search(r"(Better|Worse) than|Similar to", html)


def test_a_card_without_data_says_so_and_never_shows_a_zero(tiny_store):
    dx = start("H1", tiny_store)
    html = summary.headline_cards(dx).data
    assert "not available for this place in the store" in html
    assert 'class="pd-card-value"' not in html


def test_standing_score_is_the_normal_score_of_the_rank():
    assert findings.standing_score(1, 50) == pytest.approx(2.326, abs=1e-3)
    assert findings.standing_score(50, 50) == pytest.approx(-2.326, abs=1e-3)
    assert findings.standing_score(5, 9) == pytest.approx(0.0)
    assert np.isnan(findings.standing_score(1, 2)) and np.isnan(findings.standing_score(np.nan, 50))


def _measures(**columns):
    n = len(columns["indicator_id"])
    base = {c: [np.nan] * n for c in BENCHMARK_COLUMNS}
    base.update(status=["ok"] * n, polarity=["higher_is_better"] * n, n_ranked=[50] * n)
    base.update(columns)
    frame = pd.DataFrame(base)
    frame["score"] = [findings.standing_score(r, k) for r, k in zip(frame["rank"], frame["n_ranked"])]
    return frame


def test_strengths_are_significantly_better_and_ordered_by_how_far_the_place_stands():
    measures = _measures(
        indicator_id=["a", "b", "c", "d", "e", "f"],
        rank=[10, 2, 1, 49, 40, 3],
        vs_country=["better", "better", "similar", "worse", "worse", "better"],
    )
    measures.loc[5, "status"] = "not available for this place in the store"
    strengths, challenges = findings.strengths_and_challenges(measures, n=5)
    assert list(strengths["indicator_id"]) == ["b", "a"]  # c is not significant, f has no value
    assert list(challenges["indicator_id"]) == ["d", "e"]
    assert len(findings.strengths_and_challenges(measures, n=1)[0]) == 1


def test_a_better_measure_ranked_below_the_middle_is_not_a_strength():
    measures = _measures(indicator_id=["a"], rank=[45], vs_country=["better"])
    assert findings.strengths_and_challenges(measures)[0].empty


def test_every_number_in_a_finding_appears_in_the_evidence_on_the_page(store):
    for code in ["default", store.areas_in_layer("district")["code"].iloc[3]]:
        dx = start(code, store)
        page = summary.strengths_and_challenges(dx).data
        sentences = re.findall(r'class="pd-finding">(.*?)</a>', page)
        assert sentences, "the synthetic district should have at least one finding"
        evidence = page[page.index("pd-evidence"):]
        shown = _numbers(evidence)
        for sentence in sentences:
            assert _numbers(sentence) <= shown, sentence


def test_findings_for_the_whole_country_say_there_is_nothing_to_compare_with(store):
    dx = start(_country(store), store)
    assert "the place is the whole country" in summary.strengths_and_challenges(dx).data


# A section written later, following the contract: it must appear without touching the summary.
class _FakeSection(sections.Section):
    @property
    def is_available(self) -> bool:
        return True


def _fake_views_module(headline):
    module = types.ModuleType("fake_section_views")

    def fake_view(dx):
        return views_notice(dx)

    module.VIEWS = (("A fake view", fake_view),)
    module.headline = headline
    return module


def views_notice(dx):
    from diagnostics.render.html import notice

    return notice(f"fake view of {dx.place.name}")


@pytest.fixture
def fake_section(monkeypatch):
    def install(headline):
        monkeypatch.setitem(sys.modules, "fake_section_views", _fake_views_module(headline))
        fake = _FakeSection("fake", "Fake section", "99_fake.ipynb", "fake_section_views")
        monkeypatch.setattr(sections, "SECTIONS", sections.SECTIONS[:1] + (fake,))
        return fake

    return install


def _fake_headline(dx):
    row = {c: np.nan for c in BENCHMARK_COLUMNS}
    row.update(
        indicator_id="fake_excellence", name="Fake excellence", unit="%", polarity="higher_is_better",
        decimals=1, period="2024", value=91.25, lower_ci=90.0, upper_ci=92.5, country_value=50.0,
        rank=1, n_ranked=50, vs_country="better", trend="increasing and getting better",
        source="A fake source", status="ok",
    )
    return pd.DataFrame([row], columns=BENCHMARK_COLUMNS)


def test_a_new_sections_headline_becomes_a_card_and_its_strength_links_to_it(store, fake_section):
    fake_section(_fake_headline)
    dx = start("default", store)
    assert "Fake excellence" in summary.headline_cards(dx).data
    page = summary.strengths_and_challenges(dx).data
    first = re.findall(r'class="pd-finding">(.*?)</a>', page)[0]
    assert first.startswith("Fake excellence") and "91.2%" in first
    assert 'href="#Fake-section"' in page
    assert "(more in the Fake section tab)" in summary.strengths_and_challenges(dx, in_app=True).data


def test_a_section_whose_headline_fails_is_named_and_the_summary_still_renders(store, fake_section):
    def broken(dx):
        raise ValueError("no firm register")

    fake_section(broken)
    dx = start("default", store)
    page = summary.strengths_and_challenges(dx).data
    assert "fake section's headline measures could not be included" in page and "no firm register" in page
    assert summary.headline_cards(dx).data


def test_the_headline_table_is_the_same_as_its_own_benchmark_table(store):
    dx = start("default", store)
    expected = benchmark_table(store, dx.place, summary.HEADLINE_INDICATORS, dx.comparator_codes)
    pd.testing.assert_frame_equal(summary.headline_benchmarks(dx), expected)


def test_the_population_card_is_not_compared_with_the_countrys_total(store):
    dx = start("default", store)
    html = summary.headline_cards(dx).data
    card = html[html.index('data-indicator="population_total"'):]
    card = card[: card.index("</div></div>")]
    assert "Resident population" in card and "Rank " in card
    assert dx.name_of(dx.country_code) not in card


def test_section_anchors_are_the_ids_nbconvert_gives_the_notebooks_titles():
    import nbformat

    from diagnostics.outputs.report import report_toc

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {s.title}") for s in sections.SECTIONS])
    assert [e["anchor"] for e in report_toc(nb)] == [summary.section_anchor(s.key) for s in sections.SECTIONS]


# --------------------------------------------------------------------------------------------------
# Real England (the tiny real-layout store of tests/england_files.py) and the synthetic store alike
# --------------------------------------------------------------------------------------------------

from helpers import england_files as ef  # noqa: E402


def test_on_the_synthetic_store_the_headline_and_cards_are_the_documented_lists(store):
    assert summary.headline_indicator_ids(store) == summary.HEADLINE_INDICATORS
    assert summary.card_indicator_ids(store) == summary.CARD_INDICATORS


def test_on_real_england_the_headline_comes_from_what_the_store_holds(tiny_england_store):
    ids = summary.headline_indicator_ids(tiny_england_store)
    assert "gva_per_head" not in ids and "deprivation_score" not in ids and "emergency_admissions" not in ids
    assert ids[:3] == ("population_total", "gdp_per_head", "gva_per_hour")  # economy.HEADLINE_ORDER
    assert "deprivation_imd_average_rank" in ids  # the stand-in for the deprivation score
    # the productivity card: no GVA per job in this store, so GVA per hour
    assert summary.card_indicator_ids(tiny_england_store)[1] == "gva_per_hour"
    dx = start("E08000001", tiny_england_store)
    table = summary.headline_benchmarks(dx).set_index("indicator_id")
    assert table.loc["gva_per_hour", "status"] == "ok" and table.loc["gva_per_hour", "value"] == pytest.approx(33.0)
    assert table.loc["deprivation_imd_average_rank", "value"] == pytest.approx(ef.EXPECTED_IMD_AVERAGE_RANK["E08000001"])
    shown = summary.headline_table(dx).data + summary.headline_cards(dx).data
    assert "gva_per_head" not in shown and "Gross value added per head" not in shown


def test_deprivation_cards_show_the_imd_average_rank_and_most_deprived_share_with_ranks(tiny_england_store):
    dx = start("E08000038", tiny_england_store)  # Delta: worked by hand in tests/england_files.py
    cards = summary.deprivation_cards(dx)
    assert cards.count('class="pd-card"') == 2
    text = re.sub(r"<[^>]+>", " ", cards)
    assert "19,645" in text and "Rank 2 of 4 districts (1 = most deprived)" in text
    assert "50.0%" in text
    assert "2019; MHCLG English Indices of Deprivation 2019" in text  # period and source
    assert "IoD2019" in text  # vintage
    assert 'data-indicator="deprivation_imd_average_rank"' in summary.headline_cards(dx).data


def test_deprivation_cards_on_the_synthetic_store_are_computed_from_small_area_scores(store):
    dx = start("default", store)
    text = re.sub(r"<[^>]+>", " ", summary.deprivation_cards(dx))
    n = len(store.areas_in_layer(dx.place.layer))
    assert "Deprivation (IMD): average rank" in text and f"of {n} districts" in text
    assert "small-area deprivation scores, summarised here" in text
    assert summary.deprivation_cards(start(store.areas_in_layer("small_area")["code"].iloc[0], store)) == ""


def test_data_notes_name_the_intervals_each_store_really_has(store, tiny_england_store):
    synthetic = summary.data_notes(start("default", store)).data
    real = summary.data_notes(start("E08000001", tiny_england_store)).data
    assert "Wilson score" in synthetic and "publishers" not in synthetic
    assert "publishers&#x27; own 95% intervals" in real and "Wilson" not in real and "Byar" not in real
    assert "Not in this store: " in real  # the manifest's list of what real open data cannot give


def test_comparators_on_real_england_say_which_stand_ins_were_used(tiny_england_store):
    dx = start("E08000001", tiny_england_store)
    caption = re.search(r"<caption>(.*?)</caption>", summary.comparators_table(dx).data, re.S).group(1)
    assert "stand-ins are used" in caption
    assert "Index of Multiple Deprivation average rank for Deprivation score" in caption
    assert "GVA per hour for GVA per head" in caption  # GDP per head is published for Alpha alone
    assert "so not used: Employment rate" in caption  # two districts only


def test_the_summary_of_a_real_district_has_no_missing_gva_per_head_row(tiny_england_store):
    dx = start("E07000001", tiny_england_store)
    for heading, view in summary.VIEWS:
        shown = view(dx).data
        assert "Traceback" not in shown and "nan" not in re.sub(r"<[^>]+>", " ", shown).split(), heading
        assert "gva_per_head not available" not in shown, heading


def test_a_place_of_a_layer_without_boundaries_gets_a_notice_instead_of_a_map(tiny_england_store):
    assert "ttwa" not in tiny_england_store.boundary_layers()
    code = tiny_england_store.areas_in_layer("ttwa")["code"].iloc[0]
    shown = summary.location_map(start(code, tiny_england_store)).data
    assert "No map" in shown and "no boundaries for the" in shown
