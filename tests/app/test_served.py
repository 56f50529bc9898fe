"""diagnostics.app.served: what a page served by `place-diagnostic serve` asks for, read only when asked."""

from __future__ import annotations

import os

import pytest

from diagnostics.app import serve
from diagnostics.app.served import (
    MAX_QUERY_LENGTH,
    environment_outside_voila,
    in_voila_kernel,
    is_preheating,
    query_parameter,
    requested_place,
    served_parameters,
    served_store,
)
from diagnostics.sections.session import start
from diagnostics.store.store import open_store


@pytest.fixture(scope="module")
def store(small_store):
    return open_store(small_store)


@pytest.fixture(scope="module")
def districts(store):
    return store.areas_in_layer("district")


@pytest.fixture
def voila_kernel(monkeypatch):
    """This process as a kernel Voilà started for a page (not preheated: the request is in the environment)."""
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_PREHEAT", "False")


# -- deep links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("place=E08000003", "E08000003"),
        ("?place=%20Radworth%20&x=1", "Radworth"),
        ("place=A&place=B", "A"),
        ("place=", None),
        ("other=1", None),
        ("", None),
        (None, None),
    ],
)
def test_query_parameter_reads_the_first_value(query, expected):
    assert query_parameter(query, "place") == expected


def test_a_very_long_query_value_is_cut_short():
    assert len(query_parameter("place=" + "x" * 10_000, "place")) == MAX_QUERY_LENGTH


def test_a_deep_link_to_a_code_or_a_name_resolves_to_the_place(store, districts):
    code, name = districts["code"].iloc[1], districts["name"].iloc[1]
    assert requested_place(store, f"place={code}")[0].code == code
    assert requested_place(store, f"place={name.upper()}")[0].code == code
    assert requested_place(store, "") == (None, None)


def test_a_bad_deep_link_gets_a_friendly_message_and_is_never_evaluated(store, tmp_path):
    marker = tmp_path / "pwned"
    place, message = requested_place(store, f"place=__import__('os').system('touch {marker}')")
    assert place is None and "not a place in this data" in message
    assert not marker.exists()


def test_a_near_miss_deep_link_suggests_the_place(store, districts):
    name = districts["name"].iloc[0]
    _, message = requested_place(store, f"place={name[:-1]}")
    assert "Did you mean" in message and name in message


def test_outside_voila_no_request_is_read(store, monkeypatch):
    monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.setenv("QUERY_STRING", "place=E1")
    assert not in_voila_kernel()
    assert requested_place(store) == (None, None)


# -- served_parameters: the notebooks' set-up cell ---------------------------------------------------


def test_a_served_section_notebook_opens_the_place_its_link_asks_for(store, districts, voila_kernel, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    default = start("default", store).place.code
    code = districts.loc[districts["code"] != default, "code"].iloc[0]
    monkeypatch.setenv("QUERY_STRING", f"place={code}")
    assert served_parameters("default", store) == (code, store)
    explicit = districts["code"].iloc[3]
    assert served_parameters(explicit, store) == (explicit, store)  # an explicit place wins
    monkeypatch.setenv("QUERY_STRING", "place=Nowhere-at-all")
    assert served_parameters("default", store) == ("default", store)
    assert len(shown) == 1 and "Unknown place in the link" in shown[0] and "&#x27;Nowhere-at-all&#x27;" in shown[0]


def test_a_served_notebook_opens_the_served_store(small_store, voila_kernel, monkeypatch):
    monkeypatch.setenv(serve.STORE_ENV, str(small_store))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    place, store = served_parameters("default", None)
    assert place == "default" and store.path == open_store(small_store).path
    assert served_store(None) == str(small_store)


def test_outside_a_voila_kernel_the_parameters_are_the_notebooks_own(small_store, store, monkeypatch):
    monkeypatch.delenv("VOILA_SERVER_URL", raising=False)
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.setenv("QUERY_STRING", "place=E1")
    monkeypatch.setenv(serve.STORE_ENV, str(small_store))
    assert served_parameters("default", None) == ("default", None)
    assert served_parameters("default", store) == ("default", store)
    assert served_store(None) is None


def test_start_never_reads_the_environment(store, districts, small_store, voila_kernel, monkeypatch):
    default = start("default", store).place.code
    code = districts.loc[districts["code"] != default, "code"].iloc[0]
    monkeypatch.setenv("QUERY_STRING", f"place={code}")
    monkeypatch.setenv(serve.STORE_ENV, str(small_store))
    assert start("default", store).place.code == default
    assert start("default").store.path != open_store(small_store).path  # the embedded store, not the served one


def test_the_environment_outside_voila_has_none_of_its_variables_and_the_rest_as_it_is(voila_kernel, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "place=E1")
    monkeypatch.setenv(serve.STORE_ENV, "/somewhere")
    monkeypatch.setenv("PD_TEST_KEPT", "kept")
    env = environment_outside_voila()
    assert not [k for k in env if k.startswith("VOILA_") or k in ("QUERY_STRING", serve.STORE_ENV)]
    assert env["PD_TEST_KEPT"] == "kept" and env["PATH"] == os.environ["PATH"]
    assert os.environ["VOILA_SERVER_URL"] == "/"  # a copy: this process's environment is untouched
    assert not in_voila_kernel(env)


def test_only_a_kernel_of_voilas_pool_is_preheating():
    assert is_preheating({"VOILA_SERVER_URL": "/", "VOILA_PREHEAT": "True"})
    assert not is_preheating({"VOILA_SERVER_URL": "/", "VOILA_PREHEAT": "False"})
    assert not is_preheating({"VOILA_PREHEAT": "True"})  # not a Voilà kernel at all
