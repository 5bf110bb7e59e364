"""``engine.instances``: a value built from a schema fits it where the document lets it, even
where the document's own examples fall short (Box's box-openapi.json, bench/data/large)."""

from __future__ import annotations

from typing import Any

from mockserver.core.schema import make_validator
from mockserver.engine.instances import instance

# Box's shared link: the example of the property lacks required fields, and `accessed` is required
# but declared nowhere (the property is `access`).
SHARED_LINK: dict[str, Any] = {
    "allOf": [{"type": "object", "required": ["url", "accessed", "download_count"], "properties": {
        "url": {"type": "string", "example": "https://example.com/s/1"},
        "access": {"type": "string", "enum": ["open", "company"]},
        "download_count": {"type": "integer", "example": 3}}}],
    "example": {"url": "https://example.com/s/2"},
}


def test_an_object_example_gets_the_required_properties_it_lacks() -> None:
    built = instance({}, SHARED_LINK)
    assert built["url"] == "https://example.com/s/2" and built["download_count"] == 3
    assert make_validator(SHARED_LINK).is_valid(built), built


def test_a_required_name_no_property_declares_is_built_from_additional_properties() -> None:
    schema = {"type": "object", "required": ["accessed"], "properties": {"access": {"type": "string"}}}
    assert make_validator(schema).is_valid(instance({}, schema))
    counted = {**schema, "additionalProperties": {"type": "integer", "minimum": 2}}
    assert instance({}, counted)["accessed"] == 2


def test_an_object_closed_to_other_names_gets_none_it_cannot_hold() -> None:
    schema = {"type": "object", "required": ["accessed"], "additionalProperties": False,
              "properties": {"access": {"type": "string"}}}
    assert "accessed" not in instance({}, schema)


def test_the_document_s_example_is_never_changed_in_place() -> None:
    instance({}, SHARED_LINK)
    assert SHARED_LINK["example"] == {"url": "https://example.com/s/2"}
