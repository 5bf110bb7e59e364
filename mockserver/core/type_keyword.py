"""A schema's ``type`` keyword read as a set of type names: OpenAPI 3.0 writes one name, 3.1 may
write a list of them, and a schema without one (or with a value naming no type, a mapping where a
property was meant) allows any type: the empty set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def type_names(schema: Mapping[str, Any]) -> frozenset[str]:
    """The type names ``schema``'s ``type`` gives (``{"integer", "null"}``); empty: any type."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset((declared,))
    if isinstance(declared, list):
        return frozenset(name for name in declared if isinstance(name, str))
    return frozenset()
