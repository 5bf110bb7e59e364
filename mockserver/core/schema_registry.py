"""The registry the validators resolve a document's ``$ref``s in: the whole document under one URI,
and each schema that has its own ``$id`` (Scalar Galaxy's ``PaginatedResource``) under that id too.

A pointer walk from the document's root into a schema with its own ``$id`` enters that resource,
as JSON Schema 2020-12 enters a subschema with an ``$id``: its ``$dynamicAnchor``s are then in the
dynamic scope, so ``PaginatedResource``'s ``$dynamicRef: '#itemType'`` finds the ``Planet`` its
binding names. A ``#/...`` reference inside such a schema points into the document, as OpenAPI
tools read it (Scalar's own, Schemathesis): strictly, it would point into the schema resource
itself, where ``#/components/...`` is nowhere. For that, the registry holds a copy of the document
with those references written out in full; the document as served is not changed. A document
without embedded ids is held as it is.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any
from urllib.parse import urljoin

from referencing import Registry, Resource, Specification
from referencing.jsonschema import DRAFT202012

VALUES = {"example", "examples", "default", "const", "enum"}  # JSON values, not schemas: not walked


def _enter_own_ids(segments: Sequence[int | str], resolver: Any, subresource: Resource[Any]) -> Any:
    contents = subresource.contents
    own = isinstance(contents, Mapping) and isinstance(contents.get("$id"), str)
    return resolver.in_subresource(subresource) if own else resolver


# The document itself: no schema keywords of its own; a node with an $id, reached by a pointer, is
# entered. (referencing's attrs classes are opaque to mypy: their keyword arguments go unseen.)
DOCUMENT: Specification[Any] = Specification(  # type: ignore[call-arg]
    name="openapi-document", id_of=DRAFT202012.id_of, subresources_of=lambda contents: (),
    anchors_in=lambda specification, contents: (), maybe_in_subresource=_enter_own_ids)


def _embedded(node: Any, base: str, uri: str, found: list[tuple[str, Any]], inside: bool = False) -> None:
    """The schemas under ``node`` with their own ``$id`` (absolute), appended to ``found``; each
    ``#/...`` reference inside one made ``uri#/...``, in place."""
    if isinstance(node, MutableMapping):
        own = node.get("$id")
        if isinstance(own, str):
            base, inside = urljoin(base, own), True
            found.append((base, node))
        for key, value in node.items():
            if key == "$ref" and inside and isinstance(value, str) and value.startswith("#/"):
                node[key] = uri + value
            elif key not in VALUES:
                _embedded(value, base, uri, found, inside)
    elif isinstance(node, list):
        for value in node:
            _embedded(value, base, uri, found, inside)


def _has_ids(node: Any) -> bool:
    if isinstance(node, Mapping):
        return isinstance(node.get("$id"), str) or any(
            _has_ids(value) for key, value in node.items() if key not in VALUES)
    return isinstance(node, list) and any(_has_ids(value) for value in node)


def document_registry(uri: str, document: Mapping[str, Any]) -> Registry[Any]:
    """A registry holding a whole document, so ``{"$ref": uri + "#/pointer"}`` resolves in it."""
    if not _has_ids(document):
        whole = Resource.from_contents(document, default_specification=DRAFT202012)
        return Registry().with_resources([(uri, whole)])
    held = copy.deepcopy(dict(document))
    found: list[tuple[str, Any]] = []
    _embedded(held, uri, uri, found)
    own = [(at, DRAFT202012.create_resource(node)) for at, node in found]
    return Registry().with_resources([(uri, DOCUMENT.create_resource(held)), *own]).crawl()
