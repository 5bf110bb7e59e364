"""The generic engine on documents without dedicated handlers: each collection shape through its
whole life (create, read, list, update, delete, read again), ids of each type, list envelopes,
nested collections, fixtures of any collection, answers from examples, and errors in the shape
each operation documents."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from mockserver.config import Config
from mockserver.errors import FixtureError
from mockserver.server import Mock, build_mock
from tests.conftest import ROOT, SESSIONS, shared_mock
from tests.inline_client import InlineClient

SPECS = ROOT / "tests" / "data" / "specs"
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def client_for(document: str, fixtures: Path | None = None, **settings: Any) -> InlineClient:
    return InlineClient(shared_mock(Config(specs=(SPECS / document,), fixtures=fixtures, **settings)).app)


def test_a_flat_collection_with_integer_ids_lives_and_dies() -> None:
    client = client_for("petstore.yaml")  # OpenAPI 3.0; its item operations have no operationId
    created = client.post("/pets", json={"name": "Rex", "tag": None})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "name": "Rex", "tag": None, "status": "available"}  # status: required
    assert created.headers["location"] == "http://testserver/pets/1"
    assert client.post("/pets", json={"name": "Tom"}).json()["id"] == 2
    assert client.get("/pets/1").json()["name"] == "Rex"
    assert [pet["id"] for pet in client.get("/pets").json()] == [1, 2]
    assert [pet["id"] for pet in client.get("/pets", params={"limit": 1, "offset": 1}).json()] == [2]
    patched = client.patch("/pets/1", json={"tag": "dog", "status": "sold"}, headers=MERGE_PATCH)
    assert patched.json() == {"id": 1, "name": "Rex", "tag": "dog", "status": "sold"}
    replaced = client.put("/pets/1", json={"name": "Rex II"})
    assert replaced.json() == {"id": 1, "name": "Rex II", "status": "available"}
    assert client.delete("/pets/1").status_code == 204
    gone = client.get("/pets/1")
    assert (gone.status_code, gone.json()) == (404, {"code": 404, "message": "No item with id '1' in /pets"})
    assert [pet["id"] for pet in client.get("/pets").json()] == [2]


def test_merge_patch_null_removes_a_member() -> None:
    client = client_for("petstore.yaml")
    client.post("/pets", json={"name": "Rex", "tag": "dog"})
    assert "tag" not in client.patch("/pets/1", json={"tag": None}, headers=MERGE_PATCH).json()


def test_a_uuid_collection_lists_in_its_envelope_with_truthful_counts() -> None:
    client = client_for("library.yaml")
    ids = [client.post("/authors", json={"name": name}).json()["id"] for name in ("Ann", "Bo", "Cy")]
    assert all(uuid.UUID(author_id) for author_id in ids)
    first = client.get("/authors").json()
    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert [author["id"] for author in first["items"]] == ids[:2] and first["next"]
    second = client.get("/authors", params={"page": 2}).json()
    assert [author["id"] for author in second["items"]] == ids[2:] and "next" not in second
    assert client.get(f"/authors/{ids[0]}").json() == {"id": ids[0], "name": "Ann", "books_written": 0}
    patched = client.patch(f"/authors/{ids[0]}", json={"country": "NZ"}, headers=MERGE_PATCH)
    assert patched.json()["country"] == "NZ"
    assert client.delete(f"/authors/{ids[0]}").status_code == 204
    gone = client.get(f"/authors/{ids[0]}")
    assert (gone.status_code, gone.json()) == (404, {"message": f"No item with id '{ids[0]}' in /authors"})


def test_a_nested_collection_with_string_ids_is_scoped_by_its_parent() -> None:
    client = client_for("library.yaml")
    ann, bo = (client.post("/authors", json={"name": name}).json()["id"] for name in ("Ann", "Bo"))
    book = client.post(f"/authors/{ann}/books", json={"title": "Tides"})
    assert book.status_code == 201 and book.json() == {"bookId": "1", "title": "Tides"}
    assert book.headers["location"].endswith(f"/authors/{ann}/books/1")
    assert client.get(f"/authors/{ann}/books/1").json()["title"] == "Tides"
    assert client.get(f"/authors/{bo}/books/1").status_code == 404  # another author's scope
    assert client.get(f"/authors/{bo}/books").json() == []
    assert client.delete(f"/authors/{ann}/books/1").status_code == 204
    assert client.get(f"/authors/{ann}/books/1").status_code == 404


def test_a_request_may_leave_out_read_only_required_properties() -> None:
    client = client_for("library.yaml")
    author = client.post("/authors", json={"name": "Ann"}).json()["id"]
    assert client.post(f"/authors/{author}/books", json={"title": "Tides"}).status_code == 201


def test_an_unknown_id_without_a_documented_404_body_is_problem_json() -> None:
    client = client_for("library.yaml")
    answer = client.delete(f"/authors/{uuid.uuid4()}")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Not Found" and answer.json()["status"] == 404


def test_operations_that_are_not_collections_answer_from_the_document() -> None:
    client = client_for("petstore.yaml")
    assert client.get("/store/inventory").json() == {"available": 3, "sold": 10}  # the first example
    assert client.get("/store/inventory", headers={"Prefer": "example=quiet"}).json() == {"available": 0}
    unknown = client.get("/store/inventory", headers={"Prefer": "example=nope"})
    assert unknown.status_code == 400 and "busy, quiet" in unknown.text


@pytest.mark.slow  # the first dynamic draw of a process loads Schemathesis and Hypothesis (a second or more)
def test_an_operation_that_is_not_a_collection_answers_a_value_drawn_from_its_schema_when_asked() -> None:
    dynamic = client_for("petstore.yaml").get("/store/inventory", headers={"Prefer": "dynamic=true"}).json()
    assert isinstance(dynamic, dict) and all(isinstance(count, int) for count in dynamic.values())


def write(directory: Path, name: str, document: Any) -> Path:
    (directory / name).write_text(yaml.safe_dump(document))
    return directory


def test_fixtures_fill_any_collection_and_reset_restores_them(tmp_path: Path) -> None:
    fixtures = write(tmp_path, "pets.yaml", {"collection": "/pets", "items": [
        {"id": 7, "name": "Fido", "status": "available"}]})
    mock = build_mock(Config(specs=(SPECS / "petstore.yaml",), fixtures=fixtures))
    client = InlineClient(mock.app)
    assert client.get("/pets/7").json()["name"] == "Fido"
    assert client.post("/pets", json={"name": "Next"}).json()["id"] == 8  # after the fixtures' ids
    client.delete("/pets/7")
    assert client.post("/__mockserver/reset").status_code == 200
    assert client.get("/pets/7").status_code == 200 and client.get("/pets/8").status_code == 404


def test_a_bad_collection_fixture_names_file_item_and_field(tmp_path: Path) -> None:
    fixtures = write(tmp_path, "pets.yaml", {"collection": "/pets", "items": [
        {"id": 1, "name": "Ok", "status": "sold"}, {"id": 2, "name": "Bad", "status": "lost"}]})
    with pytest.raises(FixtureError, match=r"pets\.yaml: items\[1\]: field 'status' of the item must be one of"):
        build_mock(Config(specs=(SPECS / "petstore.yaml",), fixtures=fixtures))


THINGS = {
    "openapi": "3.1.0", "info": {"title": "Things", "version": "1"},
    "paths": {
        "/things": {"get": {"responses": {"200": {"description": "All", "content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "/things/{key}": {"get": {
            "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "One", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
    "components": {"schemas": {"Thing": {"type": "object", "required": ["code", "label"],
                                         "properties": {"code": {"type": "string"}, "label": {"type": "string"}}}}},
}


def test_a_fixture_file_overrides_the_guessed_id_property(tmp_path: Path) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(yaml.safe_dump(THINGS))
    assert build_mock(Config(specs=(spec,))).engine.collections["/things"].id_property == "key"  # a guess
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    write(fixtures, "things.yaml", {"collection": "/things", "id_property": "code",
                                    "items": [{"code": "abc", "label": "A"}]})
    client = InlineClient(build_mock(Config(specs=(spec,), fixtures=fixtures)).app)
    assert client.get("/things/abc").json() == {"code": "abc", "label": "A"}


def test_a_dedicated_handler_wins_over_the_engine() -> None:
    mock: Mock = shared_mock(Config())
    assert "update_session" not in mock.engine.routes and "get_agents" in mock.engine.routes
    client = InlineClient(mock.app)
    session_id = SESSIONS["agent"][0]
    renamed = client.patch(f"/sessions/{session_id}?type=agent", json={"session_name": "Renamed"})
    assert renamed.status_code == 200 and renamed.json()["session_name"] == "Renamed"  # state, not an example
    assert client.get(f"/sessions/{session_id}?type=agent").json()["session_name"] == "Renamed"


def test_the_whole_agentos_lists_agents_whose_sessions_exist() -> None:
    client = InlineClient(shared_mock(Config()).app)
    assert client.get("/health").json()["status"] == "ok"
    agents = client.get("/agents").json()
    assert {"id", "name", "db_id", "model"} <= set(agents[0])
    for agent in agents:
        sessions = client.get("/sessions", params={"type": "agent", "component_id": agent["id"],
                                                   "db_id": agent["db_id"]}).json()["data"]
        team_member = agent["id"] in {m["id"] for t in client.get("/teams").json() for m in t["members"]}
        assert sessions or team_member, agent["id"]
    team = client.get("/teams").json()[0]
    assert client.get("/sessions", params={"type": "team", "component_id": team["id"],
                                           "db_id": team["db_id"]}).json()["data"]


def test_an_integer_id_written_with_a_zero_fraction_names_the_same_item() -> None:
    client = client_for("petstore.yaml")
    client.post("/pets", json={"name": "Rex"})
    assert client.get("/pets/1.0").json()["name"] == "Rex"  # 1.0 is an integer in JSON Schema
    assert client.get("/pets/1.5").status_code in (400, 404)


@pytest.mark.slow  # the eShop catalog's answers are drawn by Hypothesis as the mock starts: seconds
def test_a_method_missing_on_a_literal_path_is_405_before_any_other_check() -> None:
    # PUT /items/{id} exists; /items/withsemanticrelevance documents GET only, and the PUT lacks
    # the required query parameter and body: the method is what is wrong first.
    client = client_for("real-world/dotnet-eshop-catalog.yaml", security_key="k")
    response = client.put("/api/catalog/items/withsemanticrelevance", headers={"Authorization": "Bearer k"})
    assert (response.status_code, response.headers["allow"]) == (405, "GET")


@pytest.mark.slow
def test_an_xml_body_is_validated_and_stored_as_its_json_reading() -> None:
    client = client_for("real-world/scalar-galaxy.yaml", security_key="k")
    xml = {"Authorization": "Bearer k", "Content-Type": "application/xml"}
    created = client.post("/planets", content="<planet><name>Mars</name><habitabilityIndex>0.5</habitabilityIndex>"
                                              "</planet>", headers=xml)
    assert created.status_code == 201 and created.json()["habitabilityIndex"] == 0.5
    read = client.get(created.headers["location"], headers={"Authorization": "Bearer k"})
    assert read.json()["name"] == "Mars"
    refused = client.post("/planets", content="<planet><name>Mars</name><moons>two</moons></planet>", headers=xml)
    assert refused.status_code == 400 and "unknown property 'moons'" in refused.text


def test_a_read_only_property_may_be_left_out_of_a_request_but_not_sent() -> None:
    client = client_for("real-world/scalar-galaxy.yaml", security_key="k")
    key = {"Authorization": "Bearer k"}
    assert client.post("/planets", json={"name": "Mars"}, headers=key).status_code == 201  # id: required
    refused = client.post("/planets", json={"id": 7, "name": "Mars"}, headers=key)
    assert refused.status_code == 400
    assert "field 'id' of the request body must not be sent: it is read-only" in refused.text


ODD_IDS = ["a\nb", "ends with a newline\n", "a/b", "/a//b/", "tab\tand space", "ünïcödé", "100%?#&"]


@pytest.mark.parametrize("item_id", ODD_IDS)
def test_an_item_put_at_any_id_is_read_back_at_its_item_path(item_id: str) -> None:
    client = client_for("notes.yaml")
    path = f"/notes/{quote(item_id, safe='')}"
    created = client.put(path, json={"text": "x"})  # putNote documents no 404: a PUT creates
    assert (created.status_code, created.json()) == (200, {"text": "x", "id": item_id})
    assert client.get(path).json() == {"text": "x", "id": item_id}
    assert client.get("/notes").json() == [{"text": "x", "id": item_id}]


@pytest.mark.parametrize("scope", ["a\nb c", "a/b"])
def test_a_created_item_is_at_its_location_whatever_its_scope_holds(scope: str) -> None:
    client = client_for("notes.yaml")
    created = client.post(f"/folders/{quote(scope, safe='')}/notes", json={"text": "x"})
    assert created.headers["location"] == f"http://testserver/folders/{quote(scope, safe='')}/notes/1"
    assert client.get(created.headers["location"]).json() == {"text": "x", "id": "1"}


def test_a_create_assigns_the_id_whatever_the_body_says() -> None:
    client = client_for("notes.yaml")
    created = client.post("/notes", json={"id": "a/b", "text": "x"})
    assert (created.json(), created.headers["location"]) == ({"id": "1", "text": "x"}, "http://testserver/notes/1")


def test_fixture_items_with_any_id_are_read_back_at_their_item_paths(tmp_path: Path) -> None:
    fixtures = write(tmp_path, "notes.yaml", {"collection": "/notes", "items": [
        {"id": item_id, "text": "x"} for item_id in ODD_IDS]})
    client = InlineClient(build_mock(Config(specs=(SPECS / "notes.yaml",), fixtures=fixtures)).app)
    for item_id in ODD_IDS:
        assert client.get(f"/notes/{quote(item_id, safe='')}").json() == {"id": item_id, "text": "x"}


def test_fixture_ids_of_odd_digits_are_served_and_only_ordinary_numbers_set_the_next_id(tmp_path: Path) -> None:
    # "²" passes str.isdigit() but not int(); 5,000 digits are too many for int() (and for Redis' INCR).
    odd = ["²", "9" * 5000, "12"]
    fixtures = write(tmp_path, "notes.yaml", {"collection": "/notes", "items": [
        {"id": item_id, "text": "x"} for item_id in odd]})
    client = InlineClient(build_mock(Config(specs=(SPECS / "notes.yaml",), fixtures=fixtures)).app)
    assert [client.get(f"/notes/{quote(item_id)}").json()["id"] for item_id in odd] == odd
    assert client.post("/notes", json={"text": "next"}).json()["id"] == "13"
