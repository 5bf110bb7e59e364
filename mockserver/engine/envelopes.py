"""Envelopes around one item: ``{"data": {...}}`` (Asana wraps every request and answer so), or
``{"ssh_key": {...}}`` (DigitalOcean, at ``/v2/account/keys``), found by the schemas, in requests
and answers alike.

A schema is an envelope when one of its properties is an object named like a wrapper (``data``,
``item``, ``result``...) or, being its only property, named after the resource of the path
(``ssh_key`` at ``.../keys``, ``domain`` at ``/v2/domains``), and every other property is named
like envelope metadata (``meta``, ``links``...). An item whose ``data`` is its payload has an id
and other fields beside it; an item with a single object property (``{"preferences": {...}}`` at
``/settings``, DigitalOcean's app body ``{"spec": {...}}`` at ``/v2/apps``) is not named after its
resource: both stay items. The item's schema is then that property's. Lists are ``paging``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs, pointer, resolve_pointer
from mockserver.core.spec import Spec
from mockserver.engine.naming import last_word
from mockserver.engine.reading import normal_name, object_shape

WRAPPERS = ("data", "item", "result", "resource", "record", "object", "entity")
METADATA = {"meta", "metadata", "links", "included", "jsonapi", "warnings", "errors", "success",
            "status", "message", "requestid", "kind", "etag"}


def _object_like(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("type") != "array" and (
        schema.get("type") == "object" or "properties" in schema or "allOf" in schema)


def resource_of(path: str) -> str | None:
    """The resource a path is about: its last segment that is no parameter, without a suffix
    (``/v2/account/keys/{ssh_key_identifier}``: ``keys``; ``/Queues/{Sid}.json``: ``Queues``)."""
    fixed = [segment for segment in path.split("/") if segment and "{" not in segment]
    return fixed[-1].split(".", 1)[0] if fixed else None


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def _names_resource(name: str, resource: str | None) -> bool:
    """Whether property ``name`` is one of ``resource`` (``ssh_key`` of ``keys``)."""
    if not resource:
        return False
    whole, last = normal_name(resource), last_word(resource)
    return normal_name(name) in (whole, _singular(whole)) or last_word(name) in (last, _singular(last))


def wrapper(document: Mapping[str, Any], schema: Any, resource: str | None = None) -> str | None:
    """The property of an envelope schema that holds the item (None: not an envelope);
    ``resource``: what the path is about (``resource_of``)."""
    properties, _ = object_shape(document, schema)
    found = [name for name in properties if normal_name(name) in WRAPPERS
             and _object_like(follow_refs(document, properties[name]))]
    payload = [name for name in properties if normal_name(name) not in METADATA]
    if not found and len(payload) == 1 and _names_resource(payload[0], resource) and _object_like(
            follow_refs(document, properties[payload[0]])):
        found = payload
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


def unwrapped(spec: Spec, schema_pointer: str | None,
              resource: str | None = None) -> tuple[str | None, str | None]:
    """The item's schema pointer inside the envelope at ``schema_pointer`` (of an operation on
    ``resource``) and the envelope's property holding it; ``(schema_pointer, None)`` where it is
    no envelope."""
    if schema_pointer is None:
        return None, None
    key = wrapper(spec.raw, resolve_pointer(spec.raw, schema_pointer), resource)
    inner = property_pointer(spec, schema_pointer, key) if key is not None else None
    return (inner, key) if inner is not None else (schema_pointer, None)
