"""Advisories beyond the schema speak of sessions and error_code only where the spec does."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import yaml

from mockserver.contract.advisories import Advisories
from tests.conftest import SPEC_PATH

PETSTORE = {
    "openapi": "3.1.0",
    "info": {"title": "Petstore", "version": "1"},
    "paths": {"/pets/{petId}": {"get": {
        "operationId": "showPetById",
        "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "a pet", "content": {"application/json": {"schema": {"type": "object"}}}},
            "default": {"description": "error", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}},
            "404": {"description": "none", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }}},
    "components": {"schemas": {"Error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"}}}}},
}


def exchange(uri: str, status: int, body: object) -> tuple[SimpleNamespace, SimpleNamespace]:
    return (SimpleNamespace(method="GET", uri=uri),
            SimpleNamespace(status_code=status, content=json.dumps(body).encode()))


def test_another_api_gets_no_session_or_error_code_advisories(tmp_path: Path) -> None:
    spec = tmp_path / "petstore.yaml"
    spec.write_text(yaml.safe_dump(PETSTORE))
    advisories = Advisories.for_specs((spec,))
    assert advisories.spec is not None and advisories.answer_check is None and not advisories.error_code_declared
    advisories.inspect(*exchange("http://127.0.0.1/pets/1", 404, {"code": 404, "message": "no pet"}))
    advisories.inspect(*exchange("http://127.0.0.1/pets/1?type=workflow", 200, {"name": "Rex"}))
    assert advisories.lines() == []


def test_the_sessions_api_gets_both() -> None:
    advisories = Advisories.for_specs((SPEC_PATH,))
    assert advisories.answer_check is not None and advisories.error_code_declared
    advisories.inspect(*exchange("http://127.0.0.1/sessions/x", 404, {"detail": "Session not found"}))
    advisories.inspect(*exchange("http://127.0.0.1/sessions/x?type=workflow", 200, {"session_id": "x"}))
    lines = advisories.lines()
    assert len(lines) == 2
    assert "404 error bodies carry no error_code" in lines[0]
    assert "a 200 for type=workflow is not a WorkflowSessionDetailSchema" in lines[1]


def test_an_unreadable_spec_gets_none(tmp_path: Path) -> None:
    spec = tmp_path / "openapi-20.yaml"
    spec.write_text(yaml.safe_dump({**PETSTORE, "openapi": "2.0"}))
    advisories = Advisories.for_specs((spec,))
    advisories.inspect(*exchange("http://127.0.0.1/pets/1", 404, {"message": "no pet"}))
    assert advisories.spec is None and advisories.lines() == []


def test_the_profile_flag_decides_whether_answers_get_the_profiles_check() -> None:
    assert Advisories.for_specs((SPEC_PATH,)).answer_check is not None  # auto: the AgentOS profile's
    assert Advisories.for_specs((SPEC_PATH,), "agentos").answer_check is not None
    assert Advisories.for_specs((SPEC_PATH,), "none").answer_check is None
