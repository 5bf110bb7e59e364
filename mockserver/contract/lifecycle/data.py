"""What the lifecycle checks send: item bodies built from the request schema by the engine's own
builder (``engine.instances``), their free text fields made distinct per seed and item so that a
read can tell one item from another, and the one change an update makes visible."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.schema import json_type
from mockserver.core.type_keyword import type_names
from mockserver.engine.instances import instance
from mockserver.engine.reading import object_shape

TEXT_LIMITS = ("enum", "const", "pattern", "format")


def _schema(document: Mapping[str, Any], schema: Any) -> Mapping[str, Any]:
    found = follow_refs(document, schema)
    return found if isinstance(found, Mapping) else {}


def free_text(schema: Mapping[str, Any]) -> bool:
    """Whether any text (within its lengths) fits ``schema``."""
    return "string" in type_names(schema) and not any(limit in schema for limit in TEXT_LIMITS)


def fitted(text: str, schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    text = text.ljust(low if isinstance(low, int) else 0, "x")
    return text[-high:] if isinstance(high, int) and high > 0 else text  # keep the distinct tail


def server_set(schema: Mapping[str, Any]) -> bool:
    return bool(schema.get("readOnly"))


def writable(document: Mapping[str, Any], schema: Any, value: Any, depth: int = 0) -> Any:
    """``value`` without the read-only properties ``schema`` declares, at any depth."""
    schema = _schema(document, schema)
    if isinstance(value, list) and depth < 16:
        return [writable(document, schema.get("items"), item, depth + 1) for item in value]
    if not isinstance(value, Mapping) or depth >= 16:
        return value
    properties, _ = object_shape(document, schema)
    return {name: writable(document, properties.get(name), item, depth + 1) for name, item in value.items()
            if not server_set(_schema(document, properties.get(name)))}


def reads_as_sent(document: Mapping[str, Any], schema: Any, read: Any, sent: Any) -> bool:
    """Whether a field read back is what was sent, the read-only properties a server sets inside
    it aside (a planet sent inside a satellite reads back with its id)."""
    return bool(writable(document, schema, read) == writable(document, schema, sent))


def kind_read(document: Mapping[str, Any], schema: Any, sent: Any) -> str | None:
    """The kinds the item's ``schema`` reads a field as, where ``sent`` is of none of them (Asana's
    ``workspace``: sent as its gid, read as an object): what was sent cannot read back as sent.
    None where the kinds agree (or the schema names none)."""
    found = _schema(document, schema)
    kind = json_type(sent)
    for part in (found, *(_schema(document, part) for part in found.get("allOf") or ())):
        types = part.get("type")
        types = types if isinstance(types, list) else [types] if isinstance(types, str) else []
        if types and kind not in types and not (kind == "integer" and "number" in types):
            return " or ".join(types)
    return None


def binary(document: Mapping[str, Any], schema: Any) -> bool:
    """Whether ``schema`` (or one of its anyOf/oneOf branches, as FastAPI writes an optional file)
    is a file's."""
    found = _schema(document, schema)
    branches = [*(found.get("anyOf") or ()), *(found.get("oneOf") or ())]
    return (found.get("format") == "binary" or found.get("contentMediaType") == "application/octet-stream"
            or any(binary(document, branch) for branch in branches))


def files(document: Mapping[str, Any], schema: Mapping[str, Any]) -> set[str]:
    """The properties of a form body sent as files."""
    properties, _ = object_shape(document, schema)
    return {name for name, raw in properties.items() if binary(document, raw)}


def item_body(document: Mapping[str, Any], schema: Mapping[str, Any], seed: int, number: int,
              required_only: bool = False) -> dict[str, Any]:
    """A body for ``schema``: the builder's value, read-only fields left out, free text fields
    ``lc<seed>-<number>-<name>`` (and so a required name no property declares)."""
    properties, required = object_shape(document, schema)
    built = instance(document, schema, required_only=required_only)
    body = dict(writable(document, schema, built)) if isinstance(built, Mapping) else {}
    for name in list(body):
        field = _schema(document, properties.get(name))
        if server_set(field):
            body.pop(name)
        elif free_text(field):
            body[name] = fitted(f"lc{seed}-{number}-{name}", field)
    for name in sorted(required - properties.keys()):
        if body.get(name, "") == "":  # required, never declared: any value fits (the builder's is "")
            body[name] = f"lc{seed}-{number}-{name}"
    return body


def change(document: Mapping[str, Any], schema: Mapping[str, Any], current: Any,
           avoid: set[str], seed: int) -> tuple[str, Any] | None:
    """One property of ``schema`` and a new value for it that differs from ``current``'s: free
    text first, then another enum value, a flipped boolean, a bigger integer."""
    properties, _ = object_shape(document, schema)
    candidates: list[tuple[int, str, Any]] = []
    for name, raw in properties.items():
        field = _schema(document, raw)
        if name in avoid or server_set(field):
            continue
        old = current.get(name) if isinstance(current, Mapping) else None
        types = type_names(field)
        if free_text(field):
            candidates.append((0, name, fitted(f"lc{seed}-changed-{name}", field)))
        elif isinstance(field.get("enum"), list) and any(v != old and v is not None for v in field["enum"]):
            candidates.append((1, name, next(v for v in field["enum"] if v != old and v is not None)))
        elif "boolean" in types:
            candidates.append((2, name, not bool(old)))
        elif "integer" in types and isinstance(old, int) and not isinstance(old, bool) and (
                not isinstance(field.get("maximum"), int | float) or old + 1 <= field["maximum"]):
            candidates.append((3, name, old + 1))
    if not candidates:
        return None
    _, name, value = min(candidates, key=lambda found: found[0])
    return name, value
