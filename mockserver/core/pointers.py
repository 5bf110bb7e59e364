"""JSON pointers (RFC 6901) and the local ``$ref``s of a document that are written with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to ``parts``: ``pointer("paths", "/a")`` is ``/paths/~1a``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def pointer_parts(json_pointer: str) -> list[str]:
    """The decoded parts of a JSON pointer: ``/paths/~1a`` is ``["paths", "/a"]``."""
    return [part.replace("~1", "/").replace("~0", "~") for part in json_pointer.split("/")[1:]]


def local_pointer(ref: str) -> str:
    """The JSON pointer of a local ``$ref`` (``#/paths/~1a~1%7Bid%7D``): a URI fragment, so
    percent-decoded first (RFC 6901, section 6; SureVoIP's document writes ``{`` as ``%7B``)."""
    return unquote(ref.removeprefix("#"))


def resolve_pointer(document: Any, json_pointer: str) -> Any:
    """The value at ``json_pointer`` (RFC 6901) in ``document``; ``LookupError`` if none."""
    node = document
    for part in pointer_parts(json_pointer):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def follow_refs(document: Any, node: Any) -> Any:
    """``node``, or what its local ``$ref`` (and theirs) point at in ``document``."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        node = resolve_pointer(document, local_pointer(node["$ref"]))
    return node
