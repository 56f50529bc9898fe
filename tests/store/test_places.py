import pickle

import pytest

from diagnostics.exceptions import InvalidParameter, PlaceNotFound
from diagnostics.store.places import Place, list_places, resolve_place, suggest_places


def test_a_code_resolves_whatever_its_case(tiny_store):
    assert resolve_place("d2", tiny_store) == Place("D2", "Brackley Vale", "district")


def test_a_code_outside_the_layers_asked_for_is_not_found(tiny_store):
    assert resolve_place(" D2 ", tiny_store, layers=["district"]) == Place("D2", "Brackley Vale", "district")
    with pytest.raises(PlaceNotFound):
        resolve_place("D2", tiny_store, layers=["region"])


def test_suggestions_for_an_existing_code_are_labels_too(tiny_store):
    assert suggest_places("D2", tiny_store)[0] == "Brackley Vale (D2)"


def test_a_name_resolves_whatever_its_case_and_spaces(tiny_store):
    assert resolve_place("  brackley VALE ", tiny_store).code == "D2"


def test_an_unknown_place_names_the_three_closest_matches(tiny_store):
    with pytest.raises(PlaceNotFound) as info:
        resolve_place("Brackly Vail", tiny_store)
    assert info.value.suggestions[0] == "Brackley Vale (D2)"
    assert len(info.value.suggestions) <= 3
    assert str(info.value).startswith("No place matches 'Brackly Vail'. Did you mean: Brackley Vale (D2)")
    assert "place-diagnostic places --search" in str(info.value)


def test_place_not_found_is_a_lookup_error_and_pickles(tiny_store):
    with pytest.raises(LookupError) as info:
        resolve_place("Nowhere at all", tiny_store)
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value)


def test_an_empty_place_is_refused(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'place' parameter must be a non-empty code or name; got ''"):
        resolve_place("", tiny_store)


def test_layers_restrict_resolution(tiny_store):
    with pytest.raises(PlaceNotFound):
        resolve_place("Ashcombe", tiny_store, layers=["region"])


def test_list_places_filters_by_layer_and_search(tiny_store):
    districts = list_places(tiny_store, layer="district")
    assert list(districts["code"]) == ["D1", "D2", "D3", "D4"]
    found = list_places(tiny_store, search="health")
    assert set(found["code"]) == {"H1", "H2"}


def test_list_places_refuses_an_unknown_layer(tiny_store):
    with pytest.raises(InvalidParameter, match=r"The 'layer' parameter must be one of the store's layers"):
        list_places(tiny_store, layer="parish")


def test_suggestions_come_from_every_layer_best_first(tiny_store):
    assert suggest_places("Small area 9", tiny_store)[0].startswith("Small area")
    assert suggest_places("Dunmor", tiny_store)[0] == "Dunmore (D4)"


def test_a_name_shared_by_two_areas_of_one_layer_asks_for_the_code(tmp_path):
    from helpers.tiny import tiny_tables

    from diagnostics.store.store import write_store

    tables, boundaries = tiny_tables()
    areas = tables["areas"]
    areas.loc[areas["code"] == "D4", "name"] = "Ashcombe"
    boundaries["district"].loc[boundaries["district"]["code"] == "D4", "name"] = "Ashcombe"
    store = write_store(tmp_path / "s", tables, boundaries, source="s", vintage="v", attribution="a")
    with pytest.raises(InvalidParameter, match=r"The place 'ashcombe' names 2 areas of layer 'district': Ashcombe \(D1\); Ashcombe \(D4\). Give the code instead."):
        resolve_place("ashcombe", store)
