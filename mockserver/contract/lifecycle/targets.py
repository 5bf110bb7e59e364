"""The collections a lifecycle run checks, from the engine's own inference (``engine.inference``),
and the requests each verb takes: its URL, the parameters the document requires, its body.

Nothing here guesses anew: the collection, item path, id property and envelopes are what the mock
serves the document by. A scoped collection (``/lists/{list}/tasks``) is checked where every scope
parameter has a value (``--session`` pins give them); otherwise its checks are skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from mockserver.contract.lifecycle.resources import (
    ResourceMapping,
    check_applied,
    fields_of,
    id_properties,
    parents_of,
)
from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.engine import reading
from mockserver.engine.envelopes import resource_of, unwrapped
from mockserver.engine.inference import Collection, Route, infer_routes
from mockserver.engine.instances import instance

PREFERRED_METHOD = {"update": "patch", "replace": "put", "remove": "delete", "read": "get"}


@dataclass(frozen=True)
class Target:
    spec: Spec
    collection: Collection
    routes: Mapping[str, Route]  # verb -> route
    base: str  # the server's URL with the document's base path
    known: Mapping[str, str]  # parameter values given (pins)
    fields: Mapping[str, Any] = field(default_factory=dict)  # item fields every create sends (--resources)

    @property
    def name(self) -> str:
        return self.collection.path

    def missing_scope(self) -> list[str]:
        return [name for name in self.collection.scope_parameters if name not in self.known]

    def url(self, verb: str, item_id: str | None = None) -> str:
        path = self.routes[verb].operation.path
        for name in self.collection.scope_parameters:
            path = path.replace(f"{{{name}}}", quote(self.known[name], safe=""))
        if item_id is not None:
            path = path.replace(f"{{{self.collection.id_parameter}}}", quote(item_id, safe=""))
        return self.base + path

    def item_path(self, item_id: str) -> str:
        """The path (no scheme or host) an item is read at."""
        return urlsplit(self.url("read" if "read" in self.routes else "remove", item_id)).path

    def required(self, verb: str) -> tuple[dict[str, str], dict[str, str]]:
        """The query parameters and headers the operation requires, from the pins or built from
        their schemas."""
        query: dict[str, str] = {}
        headers: dict[str, str] = {}
        for parameter in reading.parameters(self.spec, self.routes[verb].operation):
            where, name = parameter.get("in"), str(parameter.get("name", ""))
            if where not in ("query", "header") or not (parameter.get("required") or name in self.known):
                continue
            value = self.known.get(name)
            if value is None:
                built = instance(self.spec.raw, parameter.get("schema") or {})
                value = str(built).lower() if isinstance(built, bool) else str(built)
            (query if where == "query" else headers)[name] = value
        return query, headers

    def media_type(self, verb: str) -> str | None:
        """The media type a verb's body is sent as: JSON (any ``...json``), else a form."""
        body = self.routes[verb].operation.definition.get("requestBody")
        if body is None:
            return None
        content = (follow_refs(self.spec.raw, body) or {}).get("content") or {}
        return reading.json_media_type(content) or next(
            (media for media in reading.FORM_MEDIA if media in content), None)


def targets(spec: Spec, url: str, known: Mapping[str, str],
            resources: Sequence[ResourceMapping] = ()) -> list[Target]:
    """One target per collection the engine infers from ``spec`` (as ``resources`` correct it), in
    document order."""
    by_path: dict[str, tuple[Collection, dict[str, Route]]] = {}
    routes_found = infer_routes(spec, set(), id_properties(resources), parents_of(resources))
    for route in routes_found.values():
        if route.collection is None:
            continue
        _, routes = by_path.setdefault(route.collection.path, (route.collection, {}))
        kept = routes.get(route.verb)
        if kept is None or route.operation.method == PREFERRED_METHOD.get(route.verb):
            routes[route.verb] = route
    check_applied(resources, {operation.path for operation in spec.operations()},
                  {path: collection.item_path for path, (collection, _) in by_path.items()})
    base = url.rstrip("/")
    if urlsplit(base).path in ("", "/"):
        base += spec.base_path
    given = fields_of(resources)
    return [Target(spec, collection, routes, base, dict(known), given.get(collection.path, {}))
            for collection, routes in by_path.values()]


def request_schema(target: Target, verb: str) -> tuple[Mapping[str, Any], str | None]:
    """The item schema a verb's body sends (out of its envelope) and the envelope's property."""
    operation = target.routes[verb].operation
    found, key = unwrapped(target.spec, reading.request_schema_pointer(target.spec, operation),
                           resource_of(operation.path))
    return reading.schema_at(target.spec, found), key
