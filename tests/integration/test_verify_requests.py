"""The admin API's journal filters and verify, over a served document (in-process, as a tool calls them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.server import build_mock
from tests.inline_client import InlineClient

PETSTORE = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"


@pytest.fixture
def pets() -> Iterator[Any]:
    """A petstore mock that has answered: createPet (Rex, then Max), listPets, and a refused createPet."""
    with InlineClient(build_mock(Config(specs=(PETSTORE,), require_credentials=False)).app) as client:
        assert client.post("/pets", json={"name": "Rex", "tag": "dog"}).status_code == 201
        assert client.post("/pets", json={"name": "Max", "tag": "cat"}).status_code == 201
        assert client.get("/pets", params={"limit": 5}).status_code == 200
        assert client.post("/pets", json={"tag": "no name"}).status_code == 422
        yield client


def listed(client: Any, **filters: str) -> tuple[list[tuple[str, Any]], str]:
    response = client.get("/__mockserver/requests", params=filters)
    assert response.status_code == 200, response.text
    return [(entry["operation"], entry["body"]) for entry in response.json()], response.headers["mockserver-count"]


def test_each_entry_names_the_operation_it_was_routed_to(pets: Any) -> None:
    assert [entry["operation"] for entry in pets.get("/__mockserver/requests").json()] == [
        "createPet", "createPet", "listPets", "createPet"]


def test_the_journal_is_filtered_by_operation_method_path_status_and_body(pets: Any) -> None:
    rex, maximus = {"name": "Rex", "tag": "dog"}, {"name": "Max", "tag": "cat"}
    assert listed(pets, operation="createPet", status="201") == ([("createPet", rex), ("createPet", maximus)], "2")
    assert listed(pets, method="get") == ([("listPets", None)], "1")
    assert listed(pets, path="/pe*", status="4XX") == ([("createPet", {"tag": "no name"})], "1")
    assert listed(pets, body_contains='{"tag": "cat"}') == ([("createPet", maximus)], "1")
    assert listed(pets, operation="deletePet") == ([], "0")
    assert listed(pets)[1] == "4"  # no filter: every entry, as before


def test_since_keeps_the_requests_at_or_after_a_time(pets: Any) -> None:
    # Requests a millisecond apart share a time (the journal's is in milliseconds): what "at or
    # after" keeps is read from the times, not from the order.
    entries = pets.get("/__mockserver/requests").json()
    cut = datetime.fromisoformat(entries[2]["time"])
    kept = [(entry["operation"], entry["body"]) for entry in entries if datetime.fromisoformat(entry["time"]) >= cut]
    assert listed(pets, since=entries[2]["time"])[0] == kept and len(kept) >= 2
    assert listed(pets, since="2999-01-01T00:00:00Z")[0] == []


def test_a_filter_that_cannot_be_read_is_refused_naming_it(pets: Any) -> None:
    for name, value in (("since", "yesterday"), ("status", "abc")):
        refused = pets.get("/__mockserver/requests", params={name: value})
        assert refused.status_code in (400, 422) and name in refused.text, refused.text


def test_body_contains_that_is_not_json_is_text_no_json_body_contains(pets: Any) -> None:
    assert listed(pets, body_contains="{name") == ([], "0")


def test_verify_is_200_with_the_matching_entries_when_the_expectation_holds(pets: Any) -> None:
    held = pets.post("/__mockserver/verify", json={"operation": "createPet", "count": 1,
                                                   "body_contains": {"name": "Rex"}})
    assert held.status_code == 200, held.text
    assert held.json()["matched"] == 1 and held.json()["entries"][0]["body"] == {"name": "Rex", "tag": "dog"}
    assert pets.post("/__mockserver/verify", json={"operation": "deletePet", "count": 0}).status_code == 200


def test_verify_is_409_with_the_closest_entries_and_what_differed(pets: Any) -> None:
    failed = pets.post("/__mockserver/verify", json={"operation": "createPet", "status": 201,
                                                     "body_contains": {"name": "Rey"}})
    assert failed.status_code == 409, failed.text
    answer = failed.json()
    assert answer["error_code"] == "CONFLICT" and answer["matched"] == 0 and answer["expected"] == "at least 1"
    assert "found 0" in answer["detail"]
    nearest = answer["closest"][0]
    assert nearest["entry"]["body"] == {"name": "Max", "tag": "cat"}  # the newest of the two as near
    assert nearest["differences"] == [{"filter": "body_contains", "at": "/name", "expected": "Rey",
                                       "actual": "Max"}]
    assert len(answer["closest"]) == 3


def test_verify_is_409_showing_the_matches_when_there_are_too_many(pets: Any) -> None:
    failed = pets.post("/__mockserver/verify", json={"operation": "createPet", "status": "2XX", "at_most": 1})
    assert failed.status_code == 409
    assert failed.json()["expected"] == "at most 1" and failed.json()["matched"] == 2
    assert [near["differences"] for near in failed.json()["closest"]] == [[], []]


@pytest.mark.parametrize("expectation", [{"count": -1}, {"counts": 1}, {"status": 600}, {"since": "now"}, []])
def test_an_expectation_the_mock_cannot_read_is_refused(pets: Any, expectation: Any) -> None:
    assert pets.post("/__mockserver/verify", json=expectation).status_code in (400, 422)


def test_bounds_no_number_meets_are_an_expectation_that_never_holds(pets: Any) -> None:
    failed = pets.post("/__mockserver/verify", json={"operation": "createPet", "count": 3, "at_most": 2})
    assert failed.status_code == 409 and "which no number is" in failed.json()["expected"]


def test_verify_needs_the_security_key_like_the_rest_of_the_admin_api() -> None:
    client = InlineClient(build_mock(Config(specs=(PETSTORE,), security_key="k")).app)
    assert client.post("/__mockserver/verify", json={"count": 0}).status_code == 401
    assert client.post("/__mockserver/verify", json={"count": 0},
                       headers={"Authorization": "Bearer k"}).status_code == 200


def test_the_operation_is_found_under_the_documents_base_path_and_without_an_operation_id(tmp_path: Path) -> None:
    spec = tmp_path / "pets-v1.yaml"
    spec.write_text(PETSTORE.read_text().replace("\npaths:", '\nservers: [{url: "http://api.test/v1"}]\npaths:', 1))
    with InlineClient(build_mock(Config(specs=(spec,), require_credentials=False)).app) as client:
        assert client.post("/v1/pets", json={"name": "Rex"}).status_code == 201
        assert client.get("/v1/pets/1").status_code == 200
        assert listed(client) == ([("createPet", {"name": "Rex"}), ("GET /pets/{petId}", None)], "2")
        assert listed(client, operation="GET /pets/{petId}")[1] == "1"
