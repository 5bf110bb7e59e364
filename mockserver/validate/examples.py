"""Where an OpenAPI 3.1 document gives examples, and which schema each one illustrates.

Examples sit on parameters, on request and response media types (by status and media type), and
on component schemas (``example`` and the JSON Schema ``examples`` list). Named examples may be
``$ref``s to ``components/examples``; ``externalValue`` ones are not fetched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.pointers import local_pointer, pointer, pointer_parts, resolve_pointer
from mockserver.core.spec import HTTP_METHODS

Location = tuple[str | int, ...]  # the parts of a JSON pointer, as ``pointer`` takes them


@dataclass(frozen=True)
class Example:
    value: Any
    value_pointer: str
    schema_pointer: str
    # For a response example: the operation's request body schema, to spot a misfiled request example.
    request_schema_pointer: str | None = None


def _named(holder: Mapping[str, Any], at: Location, schema_at: Location, document: Mapping[str, Any],
           request_schema: str | None) -> Iterator[Example]:
    """The ``example`` and ``examples`` of a media type or parameter object at ``at``."""
    schema = pointer(*schema_at)
    if "example" in holder:
        yield Example(holder["example"], pointer(*at, "example"), schema, request_schema)
    for name, example in (holder.get("examples") or {}).items():
        value_at: Location = (*at, "examples", name)
        if isinstance(example, Mapping) and isinstance(example.get("$ref"), str):
            ref = example["$ref"]
            if not ref.startswith("#/"):
                continue
            value_at = tuple(pointer_parts(local_pointer(ref)))
            example = resolve_pointer(document, local_pointer(ref))
        if isinstance(example, Mapping) and "value" in example:
            yield Example(example["value"], pointer(*value_at, "value"), schema, request_schema)


def _content(content: Any, at: Location, document: Mapping[str, Any], request_schema: str | None = None
             ) -> Iterator[Example]:
    for media_type, media in (content or {}).items():
        if isinstance(media, Mapping) and "schema" in media:
            yield from _named(media, (*at, media_type), (*at, media_type, "schema"), document, request_schema)


def _parameters(parameters: Any, at: Location, document: Mapping[str, Any]) -> Iterator[Example]:
    for index, parameter in enumerate(parameters or ()):
        if not isinstance(parameter, Mapping) or "$ref" in parameter:
            continue  # referenced parameters are checked once, under components/parameters
        if "schema" in parameter:
            yield from _named(parameter, (*at, index), (*at, index, "schema"), document, None)
        yield from _content(parameter.get("content"), (*at, index, "content"), document)


def _json_body_schema(request_body: Any, at: Location) -> str | None:
    content = (request_body or {}).get("content", {}) if isinstance(request_body, Mapping) else {}
    for media_type, media in content.items():
        if "json" in media_type and isinstance(media, Mapping) and "schema" in media:
            return pointer(*at, "requestBody", "content", media_type, "schema")
    return None


def _operation(operation: Mapping[str, Any], at: Location, document: Mapping[str, Any]) -> Iterator[Example]:
    yield from _parameters(operation.get("parameters"), (*at, "parameters"), document)
    body = operation.get("requestBody")
    if isinstance(body, Mapping) and "$ref" not in body:
        yield from _content(body.get("content"), (*at, "requestBody", "content"), document)
    request_schema = _json_body_schema(body, at)
    for status, response in (operation.get("responses") or {}).items():
        if isinstance(response, Mapping) and "$ref" not in response:
            yield from _content(response.get("content"), (*at, "responses", status, "content"), document,
                                request_schema)


def _components(components: Mapping[str, Any], document: Mapping[str, Any]) -> Iterator[Example]:
    for name, parameter in (components.get("parameters") or {}).items():
        if isinstance(parameter, Mapping) and "schema" in parameter:
            at = ("components", "parameters", name)
            yield from _named(parameter, at, (*at, "schema"), document, None)
    for group in ("requestBodies", "responses"):
        for name, item in (components.get(group) or {}).items():
            if isinstance(item, Mapping):
                yield from _content(item.get("content"), ("components", group, name, "content"), document)
    for name, schema in (components.get("schemas") or {}).items():
        if not isinstance(schema, Mapping):
            continue
        at = ("components", "schemas", name)
        if "example" in schema:
            yield Example(schema["example"], pointer(*at, "example"), pointer(*at))
        for index, value in enumerate(schema.get("examples") or ()):
            yield Example(value, pointer(*at, "examples", index), pointer(*at))


def example_sites(document: Mapping[str, Any]) -> Iterator[Example]:
    """Every example in ``document`` with the pointer of the schema it must conform to."""
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        yield from _parameters(item.get("parameters"), ("paths", path, "parameters"), document)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), Mapping):
                yield from _operation(item[method], ("paths", path, method), document)
    yield from _components(document.get("components") or {}, document)
