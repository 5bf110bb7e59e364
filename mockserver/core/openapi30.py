"""OpenAPI 3.0 schemas read as JSON Schema 2020-12, so that one validator serves both versions.

A 3.0 document is served unchanged (``/docs`` shows the file); only the mock's in-memory reading
of it is translated, where 3.0's schema dialect differs from 2020-12 in what a value may be:
``nullable: true`` admits null, and a boolean ``exclusiveMinimum``/``exclusiveMaximum`` makes
``minimum``/``maximum`` exclusive. Keywords 2020-12 does not know (``example``, ``xml``,
``discriminator``) are annotations there and change nothing.
"""

from __future__ import annotations

from typing import Any

NULL = "null"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    schema = {key: value for key, value in schema.items() if key != "nullable"}
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], NULL]
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    if "type" not in schema and any(key in schema for key in ("allOf", "anyOf", "oneOf", "$ref")):
        return {"anyOf": [{"type": NULL}, schema]}
    return schema


def _exclusive(schema: dict[str, Any], bound: str, exclusive: str) -> dict[str, Any]:
    flag = schema.get(exclusive)
    if not isinstance(flag, bool):
        return schema
    schema = {key: value for key, value in schema.items() if key != exclusive}
    if flag and bound in schema:
        schema[exclusive] = schema.pop(bound)
    return schema


def as_2020_12(node: Any, memo: dict[int, Any] | None = None) -> Any:
    """``node`` (a whole 3.0 document, or any part) with every schema in 2020-12 terms.

    Only mappings whose ``nullable`` or ``exclusiveMinimum``/``exclusiveMaximum`` is a boolean are
    changed: a property *named* ``nullable`` has a schema, not a boolean, as its value. A node
    ``node`` holds in several places (a document read from many files shares what they refer to)
    is converted once and stays shared.
    """
    if not isinstance(node, (dict, list)):
        return node
    memo = {} if memo is None else memo
    if id(node) not in memo:
        memo[id(node)] = _converted(node, memo)
    return memo[id(node)]


def _converted(node: dict[str, Any] | list[Any], memo: dict[int, Any]) -> Any:
    if isinstance(node, list):
        return [as_2020_12(value, memo) for value in node]
    converted = {key: as_2020_12(value, memo) for key, value in node.items()}
    converted = _exclusive(converted, "minimum", "exclusiveMinimum")
    converted = _exclusive(converted, "maximum", "exclusiveMaximum")
    if converted.get("nullable") is True:
        return _nullable(converted)
    if isinstance(converted.get("nullable"), bool):
        converted.pop("nullable")
    return converted
