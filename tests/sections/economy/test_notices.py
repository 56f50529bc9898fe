"""The economy page's notices in place of views the data cannot support (diagnostics.sections.economy.notices)."""

from __future__ import annotations

from diagnostics.sections.economy.analysis import industry_comparison
from diagnostics.sections.economy.notices import missing_headline, missing_industry
from diagnostics.sections.session import start


def test_industry_views_get_a_notice_with_the_reason_only_when_there_is_one(industry_store):
    assert missing_industry(start("D1", industry_store, comparators="region")) is None
    dx = start("H1", industry_store, comparators="region")
    shown = missing_industry(dx).data
    assert "Industry figures not available" in shown and "does not follow district boundaries" in shown
    assert industry_comparison(dx).problem.split(":")[0] in shown


def test_the_headline_notice_names_the_layer_and_where_figures_are_published(tiny_store):
    shown = missing_headline(start("H1", tiny_store, comparators="region")).data
    assert "Headline economy not available" in shown and "(Health area (ICB))" in shown
    assert "published for districts, counties, regions and the country" in shown
