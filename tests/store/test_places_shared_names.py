"""Names shared by several layers, typographic apostrophes, replaced codes and over-long input
(issue 22, "Which place?"): on a tiny store of hand-made shared names, and on the real England
imported from ../shared/ukdata when present."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from helpers.shared_names import build_shared_names_store

from diagnostics.exceptions import InvalidParameter, PlaceNotFound, PlaceReplaced
from diagnostics.sections.session import start
from diagnostics.store.places import Place, match_place, resolve_place
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return build_shared_names_store(tmp_path_factory.mktemp("stores") / "shared")


def test_a_name_shared_by_layers_prefers_the_combined_authority_to_the_police_force_area(shared):
    match = match_place("Brackley", shared)
    assert match.place == Place("CA1", "Brackley", "combined_authority")
    assert [p.code for p in match.others] == ["P1", "EP1"]
    assert match.longer == (Place("D2", "Brackley Vale", "district"),)


def test_the_notice_says_which_place_and_layer_was_chosen_and_how_to_pick_another(shared):
    notice = match_place("brackley", shared).notice
    assert notice == (
        "'brackley' matched several places: using Brackley (CA1), combined authority. Also: Brackley (P1), "
        "police force area; Brackley (EP1), economic partnership. Pick another with its code or the layer "
        "(--layer police_force). Did you mean Brackley Vale (D2), district? Give its code or full name."
    )


def test_a_layer_picks_one_of_the_areas_sharing_a_name(shared):
    assert resolve_place("Brackley", shared, ["police_force"]).code == "P1"


def test_a_name_only_a_travel_to_work_area_has_says_so_and_names_the_district_it_begins(shared):
    match = match_place("Caddington Market", shared)
    assert match.place.layer == "ttwa"
    assert match.others == () and match.longer == (Place("D5", "Caddington Market Vale", "district"),)
    assert match.notice == ("'Caddington Market' is Caddington Market (T1), travel-to-work area. Did you mean "
                            "Caddington Market Vale (D5), district? Give its code or full name.")


def test_a_name_that_can_mean_one_area_has_no_notice(shared):
    assert match_place("Dunmore", shared).notice is None
    assert match_place("D2", shared).notice is None


def test_a_typographic_apostrophe_matches_a_plain_one(shared):
    assert resolve_place("St Mary\u2019s", shared).code == "D6"
    assert resolve_place("st  mary's", shared).code == "D6"


def test_a_renamed_code_resolves_to_its_successor_saying_so(shared):
    match = match_place("d9", shared)
    assert match.place.code == "D1"
    assert match.notice == "D9 is an old code: using its successor Ashcombe (D1), district."


def test_a_merged_area_is_refused_naming_its_successor(shared):
    with pytest.raises(PlaceReplaced, match=r"No current place matches 'D8': Old Dunmore \(D8\) was merged into "
                       r"Dunmore \(D4\) in 2023\. Use Dunmore \(D4\) instead\.") as info:
        resolve_place("D8", shared)
    assert isinstance(info.value, PlaceNotFound)
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)
    with pytest.raises(PlaceReplaced, match="was merged into Dunmore"):
        resolve_place("old dunmore", shared)


def test_an_over_long_input_is_cut_in_the_message(shared):
    with pytest.raises(PlaceNotFound) as info:
        resolve_place("x" * 5000, shared)
    assert len(str(info.value)) < 200
    assert "x" * 59 + "\u2026" in str(info.value)


def test_the_command_says_which_place_it_chose_and_layer_picks_another(shared):
    from typer.testing import CliRunner

    from diagnostics.cli import app as cli

    chosen = CliRunner().invoke(cli, ["indicators", "--place", "Brackley", "--store", str(shared.path)])
    assert chosen.exit_code == 0, chosen.output
    assert "'Brackley' matched several places: using Brackley (CA1), combined authority." in chosen.output
    picked = CliRunner().invoke(cli, ["indicators", "--place", "Brackley", "--layer", "police_force", "--store", str(shared.path)])
    assert picked.exit_code == 0, picked.output
    assert "matched several" not in picked.output
    wrong = CliRunner().invoke(cli, ["run", "--place", "Brackley", "--layer", "parish", "--store", str(shared.path)])
    assert wrong.exit_code == 2
    assert "The '--layer' option must be one of the store's layers" in wrong.output and "got 'parish'" in wrong.output


# -- comparators -----------------------------------------------------------------------------------


def test_a_comparator_of_another_layer_or_the_place_itself_is_refused_each_named(shared):
    with pytest.raises(InvalidParameter) as info:
        start("D2", shared, "D1, North Region, d2, Nowhere at all")
    message = str(info.value)
    assert message.startswith("The 'comparators' parameter (--comparators on the command line) must list other "
                              "areas of the place's layer; 3 of 4 cannot be used: ")
    assert "'North Region' is North Region (R1), a region: comparators must be districts like Brackley Vale" in message
    assert "'d2' is Brackley Vale (D2) itself, which cannot be its own comparator" in message
    assert "'Nowhere at all' is not a place of this store" in message


def test_a_comparator_name_shared_by_layers_means_the_one_of_the_places_layer(shared):
    # the police force area's "Brackley" is the place itself, not the combined authority
    with pytest.raises(InvalidParameter, match=r"'Brackley' is Brackley \(P1\) itself"):
        start("P1", shared, "Brackley")


def test_good_comparators_are_kept_in_order_without_repeats(shared):
    assert start("D2", shared, "Dunmore, D1, dunmore").comparator_codes == ["D4", "D1"]


# -- the real England ------------------------------------------------------------------------------

UKDATA = Path(os.environ.get("PLACE_DIAGNOSTICS_UKDATA", "/work/shared/ukdata"))
if not (UKDATA / "SOURCES.md").is_file():
    UKDATA = Path(__file__).resolve().parents[3] / "shared" / "ukdata"


@pytest.fixture(scope="session")
def england(tmp_path_factory):
    """The real downloads imported once (as tests/sources/england/test_ukdata.py does)."""
    if not (UKDATA / "SOURCES.md").is_file():
        pytest.skip(f"the real downloads are not at {UKDATA} (set PLACE_DIAGNOSTICS_UKDATA to their folder)")
    from diagnostics.sources.england import import_folder

    return open_store(import_folder(UKDATA, tmp_path_factory.mktemp("real") / "england").store)


@pytest.mark.ukdata
def test_greater_manchester_is_the_combined_authority_and_says_what_else_it_could_be(england):
    match = match_place("Greater Manchester", england)
    assert match.place == Place("E47000001", "Greater Manchester", "combined_authority")
    assert {p.code for p in match.others} == {"E23000005", "E37000015"}
    assert match.notice.startswith("'Greater Manchester' matched several places: using Greater Manchester (E47000001), "
                                   "combined authority. Also: ")
    assert resolve_place("Greater Manchester", england, ["police_force"]).code == "E23000005"


@pytest.mark.ukdata
def test_kings_lynn_is_the_travel_to_work_area_and_names_the_district(england):
    match = match_place("King\u2019s Lynn", england)
    assert match.place.code == "E30000225"
    assert match.longer == (Place("E07000146", "King's Lynn and West Norfolk", "district"),)
    assert match.notice.startswith("'King\u2019s Lynn' is King's Lynn (E30000225), travel-to-work area. Did you mean "
                                   "King's Lynn and West Norfolk (E07000146), district?")


@pytest.mark.ukdata
def test_barnsleys_old_code_points_to_its_new_one_and_allerdale_to_cumberland(england):
    match = match_place("E08000016", england)
    assert match.place.code == "E08000038" and "E08000016 is an old code" in match.notice
    with pytest.raises(PlaceReplaced, match=r"Allerdale \(E07000026\) was merged into Cumberland \(E06000063\) in 2023"):
        resolve_place("E07000026", england)
