"""Values built from a schema, deterministically: the answer of an operation with no example, and
what completes a stored item so that every property its response schema requires is present.

``instance`` prefers what the schema itself offers (``const``, ``examples``, ``example``,
``default``, the first ``enum`` value) and otherwise builds the plainest value of the schema's
type that honours its bounds, formats and patterns (``ids.matching``). A built value is a guess
for schemas this does not understand (``not``, a pattern with back references): callers validate
it and fall back to ``dynamic.generate``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from mockserver.core.bounded_regex import matches
from mockserver.core.pointers import follow_refs
from mockserver.engine.ids import matching

MAX_DEPTH = 6  # recursive schemas (a tree of categories) stop here
FORMATS: dict[str, Any] = {
    "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000", "email": "user@example.com",
    "uri": "https://example.com/", "url": "https://example.com/", "hostname": "example.com",
    "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "byte": "", "binary": "", "duration": "PT0S",
}
TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


def _schema(document: Mapping[str, Any], schema: Any) -> Mapping[str, Any]:
    resolved = follow_refs(document, schema)
    return resolved if isinstance(resolved, Mapping) else {}


def _offered(schema: Mapping[str, Any]) -> tuple[bool, Any]:
    if "const" in schema:
        return True, schema["const"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return True, schema["examples"][0]
    for key in ("example", "default"):
        if key in schema:
            return True, schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return True, schema["enum"][0]
    return False, None


def _type_of(schema: Mapping[str, Any]) -> str | None:
    declared = schema.get("type")
    if isinstance(declared, list):
        named = [name for name in TYPE_ORDER if name in declared]
        non_null = [name for name in named if name != "null"]
        return next(iter(non_null or named), None)
    if isinstance(declared, str):
        return declared
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low = schema.get("minimum")
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        low = schema["exclusiveMinimum"] + (1 if integer else 0.5)
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: int | float = low if low is not None else (min(0, high - 1) if high is not None else 0)
    step = schema.get("multipleOf")
    if step:
        value = -(-value // step) * step
    return int(value) if integer else float(value)


def _string(schema: Mapping[str, Any]) -> str:
    text = str(FORMATS.get(str(schema.get("format")), "string"))
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not matches(pattern, text):
        text = matching(pattern) or text
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text[:high] if isinstance(high, int) else text


def instance(document: Mapping[str, Any], schema: Any, *, required_only: bool = False,
             depth: int = 0) -> Any:
    """A value for ``schema`` (its ``$ref``s resolved in ``document``); objects get every property
    (only the required ones with ``required_only``), arrays one item (or ``minItems``)."""
    schema = _schema(document, schema)
    offered, value = _offered(schema)
    if offered:
        value = copy.deepcopy(value)  # the caller may fill it in: never the document's own
        return _completed(document, schema, value, depth) if isinstance(value, dict) else value
    for combinator in ("oneOf", "anyOf"):
        branches = [_schema(document, branch) for branch in schema.get(combinator) or ()]
        usable = [branch for branch in branches if _type_of(branch) != "null"] or branches
        if usable:
            merged = {k: v for k, v in schema.items() if k != combinator}
            return instance(document, {**merged, **usable[0]}, required_only=required_only, depth=depth)
    if schema.get("allOf"):
        return instance(document, _merged_all_of(document, schema), required_only=required_only, depth=depth)
    return _typed(document, schema, _type_of(schema), required_only, depth)


def _merged_all_of(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with the parts of its ``allOf`` merged in: their properties and required names
    together, their other keywords the later part's."""
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    for part in schema.get("allOf") or ():
        part = _schema(document, part)
        merged = {**merged, **part,
                  "properties": {**merged.get("properties", {}), **part.get("properties", {})},
                  "required": [*merged.get("required", []), *part.get("required", [])]}
    return merged


def _completed(document: Mapping[str, Any], schema: Mapping[str, Any], example: dict[str, Any],
               depth: int) -> dict[str, Any]:
    """An object example with the required properties it lacks built in (Box's ``shared_link``
    example has no ``accessed``, which its ``allOf`` requires)."""
    merged = _merged_all_of(document, schema)
    properties = merged.get("properties") or {}
    for name in merged.get("required") or ():
        if name not in example and name in properties:
            example[name] = instance(document, properties[name], required_only=True, depth=depth + 1)
    return _with_undeclared_required(document, merged, example, depth)


def _with_undeclared_required(document: Mapping[str, Any], schema: Mapping[str, Any], value: dict[str, Any],
                              depth: int) -> dict[str, Any]:
    """``value`` with the names ``required`` lists but ``properties`` does not declare (Box requires
    ``accessed`` and declares ``access``): built from ``additionalProperties``, else a text."""
    others = schema.get("additionalProperties", True)
    if others is False:
        return value
    for name in schema.get("required") or ():
        if isinstance(name, str) and name not in value:
            value[name] = instance(document, others, depth=depth + 1) if isinstance(others, Mapping) else ""
    return value


def _typed(document: Mapping[str, Any], schema: Mapping[str, Any], kind: str | None,
           required_only: bool, depth: int) -> Any:
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = [name for name in schema.get("required") or () if name in properties]
        names = required if required_only or depth >= MAX_DEPTH else list(properties)
        built = {name: instance(document, properties[name], required_only=required_only, depth=depth + 1)
                 for name in names}
        return _with_undeclared_required(document, schema, built, depth)
    if kind == "array":
        count = schema.get("minItems", 0 if depth >= MAX_DEPTH else 1)
        items = schema.get("items", {})
        return [instance(document, items, required_only=required_only, depth=depth + 1)
                for _ in range(count)]
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return True
    return None
