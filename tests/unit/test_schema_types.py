"""A ``type`` naming no JSON Schema type (a mapping where a property was meant, as Codat's accounting
document writes one, or ``file``) is left unchecked by the mock's validators, instead of raising
``UnknownType`` (which ended the mock's start in a traceback, building its answers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.config import Config
from mockserver.core.schema import make_validator
from mockserver.server.app import build_mock
from tests.inline_client import InlineClient


@pytest.mark.parametrize("request_side", [False, True])
def test_a_type_that_names_no_json_type_is_left_unchecked(request_side: bool) -> None:
    for schema in ({"type": {"description": "d", "type": "string"}}, {"type": "file"}, {"type": ["file", "null"]}):
        assert make_validator(schema, request=request_side).is_valid(7)
    assert not make_validator({"type": ["string", "null"]}, request=request_side).is_valid(7)  # known: checked


def test_a_document_with_such_a_type_starts_and_answers(tmp_path: Path) -> None:
    document = tmp_path / "codat-like.yaml"
    document.write_text("""openapi: 3.0.1
info: {title: a type written as a mapping, version: "1"}
paths:
  /items:
    get:
      responses:
        '200':
          description: items
          content:
            application/json:
              schema:
                type: object
                properties:
                  kind: {type: {description: the kind, enum: [A, B], type: string}}
""")
    client = InlineClient(build_mock(Config(specs=(document,), require_credentials=False)).app)
    assert client.get("/items").status_code == 200


def test_examples_written_as_a_mapping_on_a_schema_do_not_stop_the_start(tmp_path: Path) -> None:
    # Codat's assess document: a schema's `examples` as OpenAPI's mapping, where JSON Schema has a list
    document = tmp_path / "assess-like.yaml"
    document.write_text("""openapi: 3.0.1
info: {title: examples as a mapping, version: "1"}
paths:
  /scores:
    get:
      responses:
        '200':
          description: scores
          content:
            application/json:
              schema: {type: object, examples: {one: {value: {score: 1}}}}
""")
    client = InlineClient(build_mock(Config(specs=(document,), require_credentials=False)).app)
    assert client.get("/scores").status_code == 200
    assert client.get("/scores", headers={"Prefer": "code=200"}).status_code == 200
