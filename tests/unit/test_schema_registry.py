"""``core.schema_registry``: the validators' registry holds the schemas a document gives their own
``$id`` (Scalar Galaxy's ``PaginatedResource``, bound to ``Planet`` by a ``$dynamicAnchor``), so
that a ``$dynamicRef`` into one resolves; ``#/...`` references inside them point into the document,
as OpenAPI tools read them."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from mockserver.core.schema_registry import document_registry

URI = "urn:test:document"
PLANET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
TEMPLATE = {"$id": "https://galaxy.example/schemas/PaginatedResource",
            "$defs": {"itemType": {"$dynamicAnchor": "itemType", "not": {}}},
            "type": "object", "properties": {"data": {"type": "array", "items": {"$dynamicRef": "#itemType"}}}}
BOUND = {"$id": "https://galaxy.example/schemas/PaginatedPlanets",
         "$defs": {"itemType": {"$dynamicAnchor": "itemType", "$ref": "#/components/schemas/Planet"}},
         "$ref": "#/components/schemas/PaginatedResource"}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0", "components": {"schemas": {"Planet": PLANET, "PaginatedResource": TEMPLATE}},
    "paths": {"/planets": {"get": {"responses": {"200": {"content": {"application/json": {"schema": BOUND}}}}}}},
}
BOUND_POINTER = "/paths/~1planets/get/responses/200/content/application~1json/schema"


def validator(pointer: str, document: dict[str, Any] = DOCUMENT) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{URI}#{pointer}"}, registry=document_registry(URI, document))


def test_a_dynamic_ref_into_a_schema_with_its_own_id_finds_the_anchor_it_is_bound_to() -> None:
    bound = validator(BOUND_POINTER)
    assert bound.is_valid({"data": [{"name": "Mars"}]})
    assert [error.message for error in bound.iter_errors({"data": [{"name": 7}]})] == ["7 is not of type 'string'"]


def test_the_unbound_template_admits_no_item_as_its_document_says() -> None:
    template = validator("/components/schemas/PaginatedResource")
    assert template.is_valid({"data": []}) and not template.is_valid({"data": [{"name": "Mars"}]})


def test_the_document_as_served_is_not_changed() -> None:
    document_registry(URI, DOCUMENT)
    assert BOUND["$defs"]["itemType"]["$ref"] == "#/components/schemas/Planet"


def test_documents_without_embedded_ids_resolve_as_before() -> None:
    plain: dict[str, Any] = {"components": {"schemas": {"Planet": PLANET, "Planets": {
        "type": "array", "items": {"$ref": "#/components/schemas/Planet"}}}}}
    planets = validator("/components/schemas/Planets", plain)
    assert planets.is_valid([{"name": "Mars"}]) and not planets.is_valid([{"name": 7}])


def test_an_id_inside_an_example_is_no_schema() -> None:
    document = {**DOCUMENT, "components": {"schemas": {**DOCUMENT["components"]["schemas"], "Tagged": {
        "type": "object", "examples": [{"$id": "https://galaxy.example/not-a-schema", "$ref": "#/nowhere"}]}}}}
    assert validator("/components/schemas/Tagged", document).is_valid({"$id": "x"})
    assert validator(BOUND_POINTER, document).is_valid({"data": [{"name": "Mars"}]})
