"""``engine.shown``: an answer never shows a stored item's write-only properties (a password, the
``ip_address`` a DigitalOcean domain is created with), at any depth; the rest is shown as stored."""

from __future__ import annotations

from typing import Any

from mockserver.engine.shown import has_write_only, without_write_only

DOCUMENT: dict[str, Any] = {"components": {"schemas": {
    "Owner": {"type": "object", "properties": {"name": {"type": "string"},
                                               "password": {"type": "string", "writeOnly": True}}},
    "Domain": {"type": "object", "allOf": [{"properties": {"name": {"type": "string"}}}, {"properties": {
        "ip_address": {"type": "string", "writeOnly": True},
        "owners": {"type": "array", "items": {"$ref": "#/components/schemas/Owner"}}}}]},
    "Plain": {"type": "object", "properties": {"name": {"type": "string"}, "tags": {
        "type": "array", "items": {"type": "string"}}}},
    "Tree": {"type": "object", "properties": {"children": {
        "type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
}}}


def schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_write_only_properties_are_left_out_at_any_depth() -> None:
    stored = {"name": "example.com", "ip_address": "192.0.2.1",
              "owners": [{"name": "ann", "password": "secret"}, {"name": "bob"}]}
    assert without_write_only(DOCUMENT, schema("Domain"), stored) == {
        "name": "example.com", "owners": [{"name": "ann"}, {"name": "bob"}]}
    assert stored["ip_address"] == "192.0.2.1"  # the stored item is not changed


def test_what_a_schema_does_not_describe_is_shown_as_stored() -> None:
    stored = {"name": "x", "extra": {"password": "kept: no schema says it is write-only"}}
    assert without_write_only(DOCUMENT, schema("Owner"), stored) == stored
    assert without_write_only(DOCUMENT, schema("Owner"), "text") == "text"


def test_schemas_are_told_to_have_write_only_properties_or_not_through_refs_and_cycles() -> None:
    assert has_write_only(DOCUMENT, schema("Domain")) and has_write_only(DOCUMENT, schema("Owner"))
    assert not has_write_only(DOCUMENT, schema("Plain")) and not has_write_only(DOCUMENT, schema("Tree"))
    assert not has_write_only(DOCUMENT, None)
