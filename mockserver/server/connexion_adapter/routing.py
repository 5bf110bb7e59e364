"""What the rest of the server needs of Connexion's routing, so that only this package imports it:
where middleware goes in Connexion's stack, how an operationId finds its handler, and which
operation a request was routed to."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.main import MiddlewarePosition
from connexion.resolver import Resolver
from connexion.utils import sort_routes
from starlette.types import Scope

from mockserver.core.spec import operation_key

__all__ = ["MiddlewarePosition", "most_specific_first", "operation_resolver", "routed_operation_id"]

PARAMETER_NAME = re.compile(r"\{(?=[A-Za-z_])")


def most_specific_first(paths: list[str]) -> list[str]:
    """``paths`` from most to least specific (``/items/by`` before ``/items/{id}``), as Connexion
    sorts them. Its sort appends a parameter named ``path`` to each route, and a route with a
    parameter of that name (GitHub's ``/repos/{owner}/{repo}/contents/{path}``) then fails to compile:
    names are irrelevant to the order, so each is sorted under a prefixed name."""
    return sort_routes(paths, key=lambda path: PARAMETER_NAME.sub("{_", path))


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
