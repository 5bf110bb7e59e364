"""Every schema ``pattern`` of a document in Python ``re`` terms (``core.ecma_regex``), for serving.

The document is walked once; only the nodes on the way to a rewritten pattern are copied. A pattern
``re`` cannot read even rewritten is left out, so the value goes unchecked, and its path is returned
for a located warning: no pattern can end start-up.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.ecma_regex import readable

NOT_SCHEMAS = frozenset({"example", "examples", "default", "enum", "const"})  # values, not schemas
NAME_MAPS = frozenset({"properties", "schemas", "$defs", "definitions", "dependentSchemas"})
DROPPED = object()


def with_python_patterns(node: Any, unreadable: list[tuple[Any, ...]] | None = None,
                         at: tuple[Any, ...] = ()) -> Any:
    """``node`` (a document, or any part) with each schema's ``pattern`` and ``patternProperties``
    in ``re`` terms; the very same objects where nothing needed rewriting. A pattern ``re`` cannot
    read even so is left out (the value goes unchecked) and its path added to ``unreadable``."""
    unreadable = [] if unreadable is None else unreadable
    if isinstance(node, list):
        items = [with_python_patterns(value, unreadable, (*at, index)) for index, value in enumerate(node)]
        return node if all(new is old for new, old in zip(items, node, strict=True)) else items
    if not isinstance(node, dict):
        return node
    changed: dict[Any, Any] = {}
    for key, value in node.items():
        new: Any
        if (key in NOT_SCHEMAS and (at[-1:] or ("",))[0] not in NAME_MAPS) \
                or (isinstance(key, str) and key.startswith("x-")):
            continue
        if key == "pattern" and isinstance(value, str):
            new = readable(value)
            if new is None:
                unreadable.append((*at, key))
                new = DROPPED
        elif key == "patternProperties" and isinstance(value, dict):
            new = {}
            for name, schema in value.items():
                if readable(str(name)) is None:
                    unreadable.append((*at, key, name))
                    continue
                new[readable(str(name))] = with_python_patterns(schema, unreadable, (*at, key, name))
            new = value if list(new) == list(value) and all(
                a is b for a, b in zip(new.values(), value.values(), strict=True)) else new
        else:
            new = with_python_patterns(value, unreadable, (*at, key))
        if new is not value and (not isinstance(new, str) or new != value):
            changed[key] = new
    if not changed:
        return node
    return {key: changed.get(key, value) for key, value in node.items() if changed.get(key) is not DROPPED}
