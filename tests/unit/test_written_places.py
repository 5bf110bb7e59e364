"""A problem reached through local ``$ref``s is located where its node is written."""

from __future__ import annotations

from mockserver.core.written_places import written_path

DOCUMENT = {
    "paths": {"/hooks": {"get": {"parameters": [{"$ref": "#/components/parameters/Page"}],
                                 "responses": {"200": {"$ref": "#/components/responses/Hooks"}}}}},
    "components": {
        "parameters": {"Page": {"name": "page", "in": "query", "schema": {"$ref": "#/components/schemas/N"}}},
        "responses": {"Hooks": {"$ref": "#/components/responses/Real"},
                      "Real": {"content": {"application/json": {"schema": {"items": {"$ref": "#/components/schemas/Hook"}}}}}},
        "schemas": {"N": {"type": "integer", "default": "x"},
                    "Hook": {"properties": {"url": {"type": "string", "default": ""}}}}},
}


def test_steps_across_refs_give_the_written_place() -> None:
    through = ["paths", "/hooks", "get", "responses", "200", "content", "application/json", "schema",
               "items", "properties", "url", "default"]
    assert written_path(DOCUMENT, through) == ["components", "schemas", "Hook", "properties", "url", "default"]
    assert written_path(DOCUMENT, ["paths", "/hooks", "get", "parameters", 0, "schema", "default"]) == [
        "components", "schemas", "N", "default"]


def test_steps_without_refs_or_leaving_the_document_are_kept() -> None:
    direct = ["components", "schemas", "N", "default"]
    assert written_path(DOCUMENT, direct) == direct
    assert written_path(DOCUMENT, ["paths", "/nowhere", "get"]) == ["paths", "/nowhere", "get"]
    assert written_path(DOCUMENT, []) == []
