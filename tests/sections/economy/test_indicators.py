"""The economy's headline measures on each store, and their history (diagnostics.sections.economy.indicators)."""

from __future__ import annotations

from diagnostics.sections.economy.indicators import ECONOMY_INDICATORS, economy_indicator_ids, indicator_history


def test_headline_ids_follow_what_the_store_holds(tiny_england_store, default_dx):
    assert economy_indicator_ids(tiny_england_store) == ("gdp_per_head", "gva_per_hour", "employment_rate")
    # the synthetic store holds every one of the section's own measures, in the same order as before
    assert economy_indicator_ids(default_dx.store) == ECONOMY_INDICATORS


def test_counts_are_not_headline_measures(tiny_england_store):
    catalogue = tiny_england_store.catalogue
    ids = economy_indicator_ids(tiny_england_store)
    assert all(catalogue.loc[i, "value_type"] != "count" for i in ids)


def test_history_gives_the_place_its_region_and_its_country_in_that_order(default_dx):
    history = indicator_history(default_dx.store, default_dx.place, ["gva_per_job"])
    assert list(dict.fromkeys(history["role"])) == ["place", "region", "country"]
    codes = history.groupby("role")["area_code"].unique()
    assert list(codes["place"]) == [default_dx.place.code] and list(codes["country"]) == [default_dx.country_code]
    assert history.groupby("role")["year"].apply(lambda y: y.is_monotonic_increasing).all()


def test_history_of_indicators_the_store_lacks_is_an_empty_table_with_the_columns(tiny_store):
    history = indicator_history(tiny_store, "D2", ["gva_per_job"])
    assert history.empty and "role" in history.columns and "upper_ci" in history.columns
