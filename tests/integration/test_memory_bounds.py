"""The memory store has a bound: at most ``--max-items`` items per collection (sessions per
database) and ``--max-store-bytes`` of JSON in all, sessions and items together. Past either, a
write is a 507 Insufficient Storage in the operation's error shape and changes nothing; a delete
or a reset frees the room; the banner says what the bounds are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.config import Config
from mockserver.server import Mock, build_mock
from mockserver.server.banner import banner
from tests.conftest import FIXTURES, ROOT, SPECS
from tests.inline_client import InlineClient

MEMORY = {"memory": "likes tea", "user_id": "u1"}
BIG_MEMORY = {**MEMORY, "topics": ["y" * 4000] * 5}  # about 20 KB


def mock_with(**settings: Any) -> Mock:
    return build_mock(Config(specs=SPECS, fixtures=FIXTURES, **settings))


def assert_insufficient_storage(response: Any, setting: str) -> None:
    assert response.status_code == 507, response.text
    body = response.json()
    assert set(body) == {"detail", "error_code"} and body["error_code"] == "INSUFFICIENT_STORAGE", body
    assert setting in body["detail"], body


def test_a_full_collection_answers_507_in_its_error_shape_until_a_delete_frees_room() -> None:
    client = InlineClient(mock_with(max_items=2).app)
    created = [client.post("/memories", json=MEMORY) for _ in range(2)]
    assert [response.status_code for response in created] == [200, 200]
    assert_insufficient_storage(client.post("/memories", json=MEMORY), "--max-items")
    assert len(client.get("/memories").json()["data"]) == 2  # the refused create stored nothing
    assert client.delete(f"/memories/{created[0].json()['memory_id']}").status_code == 204
    assert client.post("/memories", json=MEMORY).status_code == 200


@pytest.mark.slow
def test_a_full_database_refuses_a_new_session_with_507_but_not_a_change_of_one() -> None:
    held = sum(1 for record in mock_with().profile.context.fixtures.records if record["db_id"] == "main-db")
    client = InlineClient(mock_with(max_items=held).app)
    assert_insufficient_storage(client.post("/sessions", json={"session_name": "one too many"}), "--max-items")
    assert client.patch("/sessions/agent-research-001", json={"session_name": "still fine"}).status_code == 200
    assert client.delete("/sessions/agent-research-001").status_code == 204
    assert client.post("/sessions", json={"session_name": "room again"}).status_code == 201


@pytest.mark.slow
def test_past_max_store_bytes_a_write_is_507_changes_nothing_and_a_reset_frees_the_room() -> None:
    fixtures_bytes = mock_with().stores.bounds.used
    client = InlineClient(mock_with(max_store_bytes=fixtures_bytes + 50_000).app)
    big = {"session_state": {"notes": "x" * 60_000}}
    assert_insufficient_storage(client.patch("/sessions/agent-research-001", json=big), "--max-store-bytes")
    assert "notes" not in (client.get("/sessions/agent-research-001").json()["session_state"] or {})
    statuses = [client.post("/memories", json=BIG_MEMORY).status_code for _ in range(3)]
    assert statuses == [200, 200, 507]  # sessions and items share the bound
    assert client.post("/__mockserver/reset").status_code == 200
    assert client.patch("/sessions/agent-research-001", json={"session_state": {"n": 1}}).status_code == 200
    assert client.post("/memories", json=BIG_MEMORY).status_code == 200


PROBLEM_SPEC = {
    "openapi": "3.1.0", "info": {"title": "Notes", "version": "1"},
    "paths": {"/notes": {"post": {
        "operationId": "createNote",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {
            "201": {"description": "Created", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"id": {"type": "integer"}}}}}},
            "default": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}}}}}}},
        "/notes/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "A note", "content": {"application/json": {"schema": {
                "type": "object"}}}}}}}},
}


def test_another_api_gets_its_documented_error_shape_or_problem_details(tmp_path: Path) -> None:
    document = tmp_path / "notes.yaml"
    document.write_text(yaml.safe_dump(PROBLEM_SPEC))
    client = InlineClient(build_mock(Config(specs=(document,), max_items=1)).app)
    assert client.post("/notes", json={}).status_code == 201
    refused = client.post("/notes", json={})
    assert refused.status_code == 507 and refused.json()["code"] == 507
    assert "--max-items" in refused.json()["message"]
    pets = InlineClient(build_mock(Config(specs=(ROOT / "tests" / "data" / "specs" / "petstore.yaml",), max_items=1)).app)
    assert pets.post("/pets", json={"name": "Rex"}).status_code == 201
    problem = pets.post("/pets", json={"name": "Tom"})  # documents no error for 507: RFC 9457
    assert problem.status_code == 507 and problem.json()["title"] == "Insufficient Storage"


@pytest.mark.slow
def test_the_banner_shows_the_bounds() -> None:
    config = Config(specs=SPECS, fixtures=FIXTURES, max_items=500, max_store_bytes=64 * 1024 * 1024)
    text = banner(build_mock(config), config, "http://127.0.0.1:7777")
    line = next(line for line in text.splitlines() if line.lstrip().startswith("bounds"))
    assert "500 items per collection" in line and "64 MiB in all" in line, line
    assert "--max-items" in line and "--max-store-bytes" in line, line
    default = Config(specs=SPECS, fixtures=FIXTURES)
    assert "10000 items per collection" in banner(build_mock(default), default, "http://127.0.0.1:7777")


def test_what_is_counted_returns_to_what_the_fixtures_take_after_deletes_and_a_reset() -> None:
    mock = mock_with()
    client, bounds = InlineClient(mock.app), mock.stores.bounds
    before = bounds.used
    created = client.post("/sessions", json={"session_name": "new", "session_state": {"n": 1}}).json()
    client.patch(f"/sessions/{created['session_id']}", json={"session_state": {"n": "x" * 1000}})
    memory = client.post("/memories", json=BIG_MEMORY).json()
    client.patch(f"/memories/{memory['memory_id']}", json={**MEMORY, "memory": "changed"})
    assert bounds.used > before
    assert client.delete(f"/sessions/{created['session_id']}").status_code == 204
    assert client.delete(f"/memories/{memory['memory_id']}").status_code == 204
    assert bounds.used == before
    client.patch("/sessions/agent-research-001", json={"session_state": {"n": "x" * 5000}})
    assert client.post("/__mockserver/reset").status_code == 200
    assert bounds.used == before
