"""Where a node reached through local ``$ref``s is written in the document.

openapi-spec-validator reports a node by the steps it took to reach it: through a ``$ref``, those
steps are no pointer into the document (``/paths/~1hooks/get/.../items/properties/url/default``,
``items`` being ``{"$ref": "#/components/schemas/Hook"}``). ``written_path`` gives the place where
the node is written (``/components/schemas/Hook/properties/url/default``), which a user can open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

MAX_HOPS = 64  # $refs followed in a row (a $ref to a $ref to ...; a cycle ends here)
MISSING = object()


def _step(node: Any, part: Any) -> Any:
    if isinstance(node, Mapping):
        return node.get(part, node.get(str(part), MISSING))
    if isinstance(node, list):
        try:
            return node[int(part)]
        except (ValueError, IndexError):
            return MISSING
    return MISSING


def _target(document: Mapping[str, Any], node: Any) -> tuple[list[Any], Any] | None:
    """The path and node a local ``$ref`` at ``node`` points at; None when it is none."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    parts = [part.replace("~1", "/").replace("~0", "~") for part in unquote(ref[1:]).split("/")[1:]]
    found: Any = document
    for part in parts:
        found = _step(found, part)
        if found is MISSING:
            return None
    return parts, found


def written_path(document: Mapping[str, Any], steps: Sequence[Any]) -> list[Any]:
    """``steps`` from the root, across ``$ref``s, as the path where the node they reach is written;
    ``steps`` themselves when they leave the document."""
    written: list[Any] = []
    node: Any = document
    for part in steps:
        for _ in range(MAX_HOPS):
            target = _target(document, node) if _step(node, part) is MISSING else None
            if target is None:
                break
            written, node = list(target[0]), target[1]
        node = _step(node, part)
        if node is MISSING:
            return list(steps)
        written.append(part)
    return written
