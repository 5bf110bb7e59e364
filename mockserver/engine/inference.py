"""Collections inferred from a document's paths and methods.

``/pets`` with GET (list) or POST (create) beside ``/pets/{petId}`` with GET, PUT, PATCH or DELETE
make a collection; ``/owners/{ownerId}/pets`` is scoped by ``ownerId``; a path suffix is kept on
both (Twilio's ``/Queues.json`` beside ``/Queues/{Sid}.json``). A ``POST`` on the item path is an
update where the document says so: its answer is the item and its body names item properties. The
item schema is read from the first of: the item's GET, PUT or PATCH answer, the create answer, the
list's items, the create body, each out of its envelope (``envelopes``). The id property is guessed
by ``naming``; a fixture file's ``id_property`` overrides the guess. Every other operation is
answered statically (``answers``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Operation, Spec
from mockserver.engine import reading
from mockserver.engine.envelopes import resource_of, unwrapped
from mockserver.engine.naming import id_guess, writable_names
from mockserver.engine.reading import normal_name, object_shape, response_schema_pointer, schema_at

ITEM_METHODS = {"get": "read", "put": "replace", "patch": "update", "delete": "remove"}
COLLECTION_METHODS = {"get": "list", "post": "create"}
PARAMETER = re.compile(r"^\{([^/{}]+)\}(\.[A-Za-z0-9]+)?$")  # {Sid} or {Sid}.json


@dataclass(frozen=True)
class Collection:
    path: str  # /owners/{ownerId}/pets
    item_path: str  # /owners/{ownerId}/pets/{petId}
    id_parameter: str  # petId
    id_property: str  # the item property holding the id
    scope_parameters: tuple[str, ...]  # ownerId
    item_schema: str | None  # JSON pointer of a stored item's schema
    id_schema: Mapping[str, Any]
    id_reason: str = ""  # why id_property was chosen
    envelope: str | None = None  # the property items are wrapped in ({"data": ...}), if any

    def describe(self) -> str:
        wrapped = f"; items wrapped in {{{self.envelope!r}: ...}}" if self.envelope else ""
        why = f": {self.id_reason}" if self.id_reason else ""
        return f"collection {self.path} (id {self.id_property!r}{why}{wrapped})"


@dataclass(frozen=True)
class Route:
    """How the engine answers one operation: a collection verb, or statically (``collection`` None)."""

    operation: Operation
    verb: str  # list, create, read, replace, update, remove, static
    collection: Collection | None = None
    body_key: str | None = None  # the envelope property the request body wraps the item in
    answer_key: str | None = None  # the envelope property the answer wraps the item in
    writable: frozenset[str] | None = None  # what a replacing body can say (None: anything)


def id_property(parameter: str, collection_path: str, properties: Mapping[str, Any]) -> str:
    """The item property a path parameter names (the parameter's own name when none fits)."""
    return id_guess(parameter, collection_path, properties)[0]


def _answer_schema(spec: Spec, operation: Operation) -> tuple[str | None, str | None]:
    """The schema pointer of the item an operation answers with (out of its envelope), and the
    envelope's property."""
    return unwrapped(spec, response_schema_pointer(spec, operation, reading.success_status(operation)),
                     resource_of(operation.path))


def _item_schema(spec: Spec, operations: Mapping[str, Operation]) -> tuple[str | None, str | None]:
    for verb in ("read", "replace", "update", "create"):
        if verb in operations:
            found, key = _answer_schema(spec, operations[verb])
            if found is not None and schema_at(spec, found).get("type") not in ("array",):
                return found, key
    if "create" in operations:
        create = operations["create"]
        return unwrapped(spec, reading.request_schema_pointer(spec, create), resource_of(create.path))
    return None, None


def _collection(spec: Spec, path: str, item_path: str, operations: Mapping[str, Operation],
                overrides: Mapping[str, str]) -> Collection:
    parameter = PARAMETER.match(item_path.rsplit("/", 1)[-1]).group(1)  # type: ignore[union-attr]
    item_schema, envelope = _item_schema(spec, operations)
    properties = reading.shared_properties(spec.raw, schema_at(spec, item_schema))
    path_parameters = [p for op in operations.values() for p in reading.parameters(spec, op)
                       if p.get("in") == "path" and p.get("name") == parameter]
    in_path = follow_refs(spec.raw, (path_parameters or [{}])[0].get("schema") or {})
    resolved = {name: follow_refs(spec.raw, schema) for name, schema in properties.items()}
    name, reason = id_guess(parameter, path, resolved, in_path if isinstance(in_path, Mapping) else None)
    if path in overrides:
        name, reason = overrides[path], "named by the fixture file's id_property"
    # The id fits both the item's property and the item path's parameter (a uuid path parameter,
    # a property typed only as a string): what the property leaves unsaid, the parameter says.
    id_schema = {**(in_path if isinstance(in_path, Mapping) else {}),
                 **follow_refs(spec.raw, properties.get(name) or {})}
    scope = tuple(re.findall(r"\{([^/{}]+)\}", path))
    return Collection(path, item_path, parameter, name, scope, item_schema, id_schema, reason, envelope)


def _updates_by_post(spec: Spec, operation: Operation, item_schema: str | None) -> bool:
    """Whether a POST on the item path updates the item: it answers with the item's schema and
    its body (if any) names mostly item properties."""
    answer, _ = _answer_schema(spec, operation)
    if item_schema is None or answer is None or schema_at(spec, answer) is not schema_at(spec, item_schema):
        return False
    sent, _ = unwrapped(spec, reading.request_schema_pointer(spec, operation), resource_of(operation.path))
    if sent is None:
        return True
    names = {normal_name(name) for name in object_shape(spec.raw, schema_at(spec, item_schema))[0]}
    asked = [normal_name(name) for name in object_shape(spec.raw, schema_at(spec, sent))[0]]
    return bool(asked) and 2 * sum(name in names for name in asked) >= len(asked)


def _route(spec: Spec, operation: Operation, verb: str, collection: Collection) -> Route:
    sends = verb in ("create", "replace", "update")
    sent = reading.request_schema_pointer(spec, operation) if sends else None
    body, body_key = unwrapped(spec, sent, resource_of(operation.path))
    writable = writable_names(spec.raw, schema_at(spec, body), schema_at(spec, collection.item_schema)
                              ) if verb == "replace" else None
    return Route(operation, verb, collection, body_key, _answer_schema(spec, operation)[1], writable)


def _parent(item_path: str, by_path: Mapping[str, Any]) -> str | None:
    """The collection path of an item path (``/Queues/{Sid}.json``: ``/Queues.json``), if served."""
    parent, _, last = item_path.rpartition("/")
    found = PARAMETER.match(last)
    if found is None:
        return None
    suffix = found.group(2) or ""
    return next((path for path in (parent + suffix, parent) if path in by_path and path != item_path), None)


def infer_routes(spec: Spec, handled: set[str], overrides: Mapping[str, str],
                 parents: Mapping[str, str] | None = None) -> dict[str, Route]:
    """Operation key -> route, for every operation of ``spec`` whose key is not in ``handled``;
    ``overrides`` name collections' id properties, ``parents`` item paths' collections."""
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in spec.operations():
        if operation.key not in handled:
            by_path.setdefault(operation.path, {})[operation.method] = operation
    routes: dict[str, Route] = {}
    for item_path, methods in by_path.items():
        parent = (parents or {}).get(item_path) or _parent(item_path, by_path)
        if parent is None:
            continue
        operations = {verb: methods[m] for m, verb in ITEM_METHODS.items() if m in methods}
        operations.update({verb: by_path[parent][m] for m, verb in COLLECTION_METHODS.items()
                           if m in by_path[parent]})
        verbs = operations.keys()
        if not verbs & COLLECTION_METHODS.values() or not verbs & ITEM_METHODS.values():
            continue
        collection = _collection(spec, parent, item_path, operations, overrides)
        routes.update({op.key: _route(spec, op, verb, collection) for verb, op in operations.items()})
        if "post" in methods and _updates_by_post(spec, methods["post"], collection.item_schema):
            routes[methods["post"].key] = _route(spec, methods["post"], "update", collection)
    for operation in spec.operations():
        if operation.key not in handled and operation.key not in routes:
            routes[operation.key] = Route(operation, "static")
    return routes
