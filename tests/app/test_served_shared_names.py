"""A deep link (``?place=``) to a name several places share shows the preferred one and says so."""

from __future__ import annotations

import pytest
from helpers.shared_names import build_shared_names_store

from diagnostics.app.served import requested_place


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return build_shared_names_store(tmp_path_factory.mktemp("stores") / "shared")


def test_a_deep_link_to_a_shared_name_shows_the_preferred_place_and_says_which(shared):
    place, message = requested_place(shared, "place=Brackley")
    assert place.code == "CA1"
    assert message.startswith("'Brackley' matched several places: using Brackley (CA1), combined authority.")
    assert "--layer" not in message and "To see another, open it by its code (?place=" in message


def test_a_deep_link_to_an_old_code_shows_its_successor(shared):
    place, message = requested_place(shared, "place=D9")
    assert place.code == "D1" and message == "D9 is an old code: using its successor Ashcombe (D1), district."


def test_a_deep_link_to_a_name_only_one_place_has_says_nothing(shared):
    assert requested_place(shared, "place=Dunmore") == (requested_place(shared, "place=D4")[0], None)
