"""A PUT replaces what its body can say: a field its body declares and leaves out is removed, and
a field its body cannot say (undeclared there, or read-only) keeps its stored value, as
DigitalOcean's SSH key PUT, which sends only the key's name, keeps its public key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mockserver.config import Config
from mockserver.server.app import build_mock
from tests.inline_client import InlineClient


def answer(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


KEY = {"$ref": "#/components/schemas/Key"}
DOCUMENT = {
    "openapi": "3.1.0", "info": {"title": "Keys", "version": "1"},
    "paths": {
        "/keys": {"post": {"requestBody": body(KEY), "responses": answer(KEY, "201")}},
        "/keys/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"responses": answer(KEY)},
            "put": {"requestBody": body({"type": "object", "required": ["name"],
                                         "properties": {"name": {"type": "string"}, "label": {"type": "string"}}}),
                    "responses": answer(KEY)}}},
    "components": {"schemas": {"Key": {
        "type": "object", "required": ["name", "public_key"],
        "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"},
                       "label": {"type": "string"}, "public_key": {"type": "string", "example": "from-the-example"},
                       "created": {"type": "string", "readOnly": True}}}}},
}


def test_a_put_keeps_what_its_body_cannot_say_and_removes_what_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(yaml.safe_dump(DOCUMENT))
    client = InlineClient(build_mock(Config(specs=(path,))).app)
    created = client.post("/keys", json={"name": "laptop", "label": "work", "public_key": "ssh-ed25519 AAAA"})
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    replaced = client.put(location, json={"name": "desktop"})
    assert replaced.status_code == 200, replaced.text
    read = client.get(location).json()
    assert read == replaced.json()
    assert read["name"] == "desktop" and read["public_key"] == "ssh-ed25519 AAAA"  # not the example's
    assert "label" not in read  # the body could say it, and did not
    assert read["id"] == created.json()["id"]
