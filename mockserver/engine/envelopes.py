"""Envelopes around one item: ``{"data": {...}}`` (Asana wraps every request and answer so), found
by the schemas, in requests and answers alike.

A schema is an envelope when one of its properties is named like a wrapper (``data``, ``item``,
``result``...), is an object, and every other property is named like envelope metadata (``meta``,
``links``...): an item whose ``data`` is its payload has an id and other fields beside it. The
item's schema is then that property's (``inner_pointer``). Lists are ``paging``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs, pointer, resolve_pointer
from mockserver.core.spec import Spec
from mockserver.engine.reading import normal_name, object_shape

WRAPPERS = ("data", "item", "result", "resource", "record", "object", "entity")
METADATA = {"meta", "metadata", "links", "included", "jsonapi", "warnings", "errors", "success",
            "status", "message", "requestid", "kind", "etag"}


def _object_like(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("type") != "array" and (
        schema.get("type") == "object" or "properties" in schema or "allOf" in schema)


def wrapper(document: Mapping[str, Any], schema: Any) -> str | None:
    """The property of an envelope schema that holds the item (None: not an envelope)."""
    properties, _ = object_shape(document, schema)
    found = [name for name in properties if normal_name(name) in WRAPPERS
             and _object_like(follow_refs(document, properties[name]))]
    if len(found) != 1 or any(normal_name(name) not in METADATA for name in properties if name != found[0]):
        return None
    return found[0]


def property_pointer(spec: Spec, schema_pointer: str, name: str) -> str | None:
    """The JSON pointer of property ``name`` of the object schema at ``schema_pointer``, through
    ``$ref``s and ``allOf`` parts."""
    node = resolve_pointer(spec.raw, schema_pointer)
    for _ in range(32):  # a chain of $refs, bounded
        target = node.get("$ref") if isinstance(node, Mapping) else None
        if not (isinstance(target, str) and target.startswith("#")):
            break
        schema_pointer = target[1:]
        node = resolve_pointer(spec.raw, schema_pointer)
    if not isinstance(node, Mapping):
        return None
    if name in (node.get("properties") or {}):
        return schema_pointer + pointer("properties", name)
    for index, _part in enumerate(node.get("allOf") or ()):
        found = property_pointer(spec, schema_pointer + pointer("allOf", index), name)
        if found is not None:
            return found
    return None


def unwrapped(spec: Spec, schema_pointer: str | None) -> tuple[str | None, str | None]:
    """The item's schema pointer inside the envelope at ``schema_pointer`` and the envelope's
    property holding it; ``(schema_pointer, None)`` where it is no envelope."""
    if schema_pointer is None:
        return None, None
    key = wrapper(spec.raw, resolve_pointer(spec.raw, schema_pointer))
    inner = property_pointer(spec, schema_pointer, key) if key is not None else None
    return (inner, key) if inner is not None else (schema_pointer, None)
