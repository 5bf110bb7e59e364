"""What an answer shows of a stored item: everything but its write-only properties (a password,
the ``ip_address`` a DigitalOcean domain is created with), at any depth, as a server keeps them
but never sends them back. Properties are read through ``$ref``s and ``allOf`` parts, arrays
through their ``items``; what no schema describes is shown as stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.engine.reading import object_shape, schema_at

MAX_DEPTH = 16  # recursive schemas (a tree of categories) are walked this deep


def _resolved(document: Mapping[str, Any], schema: Any) -> Mapping[str, Any]:
    found = follow_refs(document, schema)
    return found if isinstance(found, Mapping) else {}


def has_write_only(document: Mapping[str, Any], schema: Any) -> bool:
    """Whether ``schema`` declares a write-only property anywhere ``without_write_only`` looks."""
    seen: set[int] = set()
    pending = [schema]
    while pending:
        node = _resolved(document, pending.pop())
        if id(node) in seen:
            continue
        seen.add(id(node))
        properties, _ = object_shape(document, node)
        for raw in properties.values():
            if _resolved(document, raw).get("writeOnly") is True:
                return True
            pending.append(raw)
        if "items" in node:
            pending.append(node["items"])
    return False


def without_write_only(document: Mapping[str, Any], schema: Any, value: Any, depth: int = 0) -> Any:
    """``value`` without the write-only properties ``schema`` declares (a copy where any is left out)."""
    node = _resolved(document, schema)
    if depth >= MAX_DEPTH:
        return value
    if isinstance(value, list):
        return [without_write_only(document, node.get("items"), item, depth + 1) for item in value]
    if not isinstance(value, Mapping):
        return value
    properties, _ = object_shape(document, node)
    return {name: without_write_only(document, properties.get(name), item, depth + 1)
            for name, item in value.items()
            if _resolved(document, properties.get(name)).get("writeOnly") is not True}


class Shown:
    """What the answers of one document's collections show of their items (each item schema read
    once: one without write-only properties leaves items as stored, at no cost)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._write_only: dict[str, bool] = {}

    def __call__(self, schema_pointer: str | None, item: Any) -> Any:
        if schema_pointer is None:
            return item
        document = self.spec.raw
        known = self._write_only.get(schema_pointer)
        if known is None:
            known = has_write_only(document, schema_at(self.spec, schema_pointer))
            self._write_only[schema_pointer] = known
        return without_write_only(document, schema_at(self.spec, schema_pointer), item) if known else item
