"""Collections inferred from a document's paths and methods.

``/pets`` with GET (list) or POST (create) beside ``/pets/{petId}`` with GET, PUT, PATCH or DELETE
make a collection; ``/owners/{ownerId}/pets`` is scoped by ``ownerId``. The item schema is read
from the first of: the item's GET, PUT or PATCH answer, the create answer, the list's items, the
create body. The id property is the item schema's property that the item path's parameter names
(``petId``: ``petId``, ``pet_id``, ``id``, ``Id``...); a fixture file's ``id_property`` overrides
the guess. Every other operation is answered statically (``answers``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.spec import Operation, Spec, follow_refs
from mockserver.engine import reading
from mockserver.engine.reading import normal_name, object_shape, response_schema_pointer, schema_at

ITEM_METHODS = {"get": "read", "put": "replace", "patch": "update", "delete": "remove"}
COLLECTION_METHODS = {"get": "list", "post": "create"}
PARAMETER = re.compile(r"^\{([^/{}]+)\}$")


@dataclass(frozen=True)
class Collection:
    path: str  # /owners/{ownerId}/pets
    item_path: str  # /owners/{ownerId}/pets/{petId}
    id_parameter: str  # petId
    id_property: str  # the item property holding the id
    scope_parameters: tuple[str, ...]  # ownerId
    item_schema: str | None  # JSON pointer of a stored item's schema
    id_schema: Mapping[str, Any]

    def describe(self) -> str:
        return f"collection {self.path} (id {self.id_property!r})"


@dataclass(frozen=True)
class Route:
    """How the engine answers one operation: a collection verb, or statically (``collection`` None)."""

    operation: Operation
    verb: str  # list, create, read, replace, update, remove, static
    collection: Collection | None = None


def id_property(parameter: str, collection_path: str, properties: Mapping[str, Any]) -> str:
    """The item property a path parameter names (the parameter's own name when none fits)."""
    by_normal = {normal_name(name): name for name in properties}
    resource = normal_name(collection_path.rstrip("/").rsplit("/", 1)[-1])
    singular = resource[:-1] if resource.endswith("s") else resource
    wanted = normal_name(parameter)
    for candidate in (wanted, wanted.removeprefix(singular), wanted.removeprefix(resource), "id", "uuid"):
        if candidate in by_normal:
            return by_normal[candidate]
    return parameter


def _item_schema(spec: Spec, operations: Mapping[str, Operation]) -> str | None:
    for verb in ("read", "replace", "update", "create"):
        if verb in operations:
            status = reading.success_status(operations[verb])
            found = response_schema_pointer(spec, operations[verb], status)
            if found is not None and schema_at(spec, found).get("type") not in ("array",):
                return found
    if "create" in operations:
        return reading.request_schema_pointer(spec, operations["create"])
    return None


def _collection(spec: Spec, path: str, item_path: str, operations: Mapping[str, Operation],
                overrides: Mapping[str, str]) -> Collection:
    parameter = PARAMETER.match(item_path.rsplit("/", 1)[-1]).group(1)  # type: ignore[union-attr]
    item_schema = _item_schema(spec, operations)
    properties, _ = object_shape(spec.raw, schema_at(spec, item_schema))
    name = overrides.get(path) or id_property(parameter, path, properties)
    # The id fits both the item's property and the item path's parameter (a uuid path parameter,
    # a property typed only as a string): what the property leaves unsaid, the parameter says.
    path_parameters = [p for op in operations.values() for p in reading.parameters(spec, op)
                       if p.get("in") == "path" and p.get("name") == parameter]
    in_path = follow_refs(spec.raw, (path_parameters or [{}])[0].get("schema") or {})
    id_schema = {**(in_path if isinstance(in_path, Mapping) else {}),
                 **follow_refs(spec.raw, properties.get(name) or {})}
    scope = tuple(re.findall(r"\{([^/{}]+)\}", path))
    return Collection(path, item_path, parameter, name, scope, item_schema, id_schema)


def infer_routes(spec: Spec, handled: set[str], overrides: Mapping[str, str]) -> dict[str, Route]:
    """Operation key -> route, for every operation of ``spec`` whose key is not in ``handled``."""
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in spec.operations():
        if operation.key not in handled:
            by_path.setdefault(operation.path, {})[operation.method] = operation
    routes: dict[str, Route] = {}
    for item_path, methods in by_path.items():
        parent, _, last = item_path.rpartition("/")
        if not PARAMETER.match(last) or parent not in by_path:
            continue
        operations = {verb: methods[m] for m, verb in ITEM_METHODS.items() if m in methods}
        operations.update({verb: by_path[parent][m] for m, verb in COLLECTION_METHODS.items()
                           if m in by_path[parent]})
        verbs = operations.keys()
        if not verbs & COLLECTION_METHODS.values() or not verbs & ITEM_METHODS.values():
            continue
        collection = _collection(spec, parent, item_path, operations, overrides)
        routes.update({op.key: Route(op, verb, collection) for verb, op in operations.items()})
    for operation in spec.operations():
        if operation.key not in handled and operation.key not in routes:
            routes[operation.key] = Route(operation, "static")
    return routes
