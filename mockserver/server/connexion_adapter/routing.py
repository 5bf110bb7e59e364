"""What the rest of the server needs of Connexion's routing, so that only this package imports it:
where middleware goes in Connexion's stack, how an operationId finds its handler, and which
operation a request was routed to."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.main import MiddlewarePosition
from connexion.resolver import Resolver
from starlette.routing import compile_path
from starlette.types import Scope

from mockserver.core.spec import operation_key

__all__ = ["MiddlewarePosition", "most_specific_first", "operation_resolver", "routed_operation_id"]

PARAMETER_NAME = re.compile(r"\{(?=[A-Za-z_])")


def most_specific_first(paths: list[str]) -> list[str]:
    """``paths`` from most to least specific (``/items/by`` before ``/items/{id}``), in the order
    of Connexion's ``sort_routes``, whose comparison this is, with each path's pattern compiled
    once per process: its sort compiles every path anew on each call, which took Microsoft Graph's
    5,500 paths a minute. A parameter named ``path`` (GitHub's
    ``/repos/{owner}/{repo}/contents/{path}``) would clash with the ``{path:path}`` appended to
    each: names are irrelevant to the order, so each is sorted under a prefixed name."""
    return sorted(paths, key=lambda path: _SortableRoute(PARAMETER_NAME.sub("{_", path)))


class _SortableRoute:
    """A route path as Starlette would mount it (``{path:path}`` appended), compared as
    ``connexion.utils.sort_routes`` compares them: more specific first."""

    __slots__ = ("path", "pattern")

    def __init__(self, path: str) -> None:
        self.path = path.rstrip("/")
        if not self.path.endswith("/{path:path}"):
            self.path += "/{path:path}"
        self.pattern = _route_pattern(self.path)

    def __lt__(self, other: _SortableRoute) -> bool:
        return bool(other.pattern.match(self.path)) or self.path < other.path


@functools.lru_cache(maxsize=65536)
def _route_pattern(path: str) -> re.Pattern[str]:
    return compile_path(path)[0]


class KeyResolver(Resolver):
    """Resolves an operation by its key (``Operation.key``): the operationId, else ``METHOD /path``,
    so that operations without an operationId are routed too."""

    def resolve_operation_id(self, operation: Any) -> str:
        operation_id = operation.operation_id
        if operation_id is not None:
            return str(operation_id)
        return operation_key(operation.method, operation.path)


def operation_resolver(handler_for: Callable[[str], Callable[..., Any]]) -> Resolver:
    """A resolver calling ``handler_for(key)`` (no module paths in operationIds)."""
    return KeyResolver(function_resolver=handler_for)


def routed_operation_id(scope: Scope) -> str | None:
    """The key (operationId, else ``METHOD /path``) of the operation Connexion routed this request
    to; None before routing or for no route."""
    routing = (scope.get("extensions") or {}).get(ROUTING_CONTEXT) or {}
    operation_id = routing.get("operation_id")
    return str(operation_id) if operation_id is not None else None
