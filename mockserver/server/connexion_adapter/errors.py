"""One error handler for every failure, rendered in the shape the operation documents.

Connexion answers problem+json and Starlette plain errors; both, and anything unexpected, are
turned into the mock's ``ApiError`` family here, keeping headers such as a 405's ``Allow``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from connexion.exceptions import BadRequestProblem, ProblemException, TypeValidationError
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from python_multipart.exceptions import MultipartParseError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from mockserver.core.spec import Spec, path_pattern
from mockserver.errors import ApiError, BadRequest, InvalidPathParameter, NotFound, ValidationFailed
from mockserver.server.connexion_adapter.routing import most_specific_first, routed_operation_id

logger = logging.getLogger("mockserver")


# (operation key or None, error) -> the status, error body and media type to answer
ErrorShape = Callable[[str | None, ApiError], tuple[int, Any, str]]


def own_shape(key: str | None, error: ApiError) -> tuple[int, Any, str]:
    return error.status, error.body(), "application/json"


class DocumentedRoutes:
    """The specs' paths, most specific first as routing matches them (``/items/by`` before
    ``/items/{id}``), with their operations by method."""

    def __init__(self, *specs: Spec) -> None:
        keys: dict[str, dict[str, str]] = {}
        for spec in specs:
            for operation in spec.operations():
                keys.setdefault(spec.base_path + operation.path, {})[operation.method.upper()] = operation.key
        self.routes = [(path_pattern(path), keys[path]) for path in most_specific_first(list(keys))]

    def _match(self, path: str) -> dict[str, str] | None:
        return next((keys for pattern, keys in self.routes if pattern.fullmatch(path)), None)

    def allowed(self, path: str) -> str | None:
        """The methods documented for ``path`` (``Allow``), or None for an unknown path. Starlette's
        405 names only the first matching route's methods (and HEAD); a path may have several."""
        keys = self._match(path)
        return ", ".join(sorted(keys)) if keys is not None else None

    def operation(self, method: str, path: str) -> str | None:
        """The operation ``method path`` names, for a request routing did not place (a path
        parameter holding a line break, which Starlette's routes do not match)."""
        return (self._match(path) or {}).get(method.upper())

    def on_path(self, path: str) -> str | None:
        """An operation documented for ``path`` (a 405's error shape is the path's)."""
        return next(iter(sorted((self._match(path) or {}).items())), (None, None))[1]


def as_api_error(request: ConnexionRequest, exc: Exception,
                 routes: DocumentedRoutes | None = None) -> ApiError:
    """The mock's error for anything raised while answering ``request``."""
    if isinstance(exc, TypeValidationError) and " path parameter '" in str(exc.detail):
        exc = InvalidPathParameter(str(exc.detail))
    if isinstance(exc, InvalidPathParameter) and routes is not None:
        # /items/by matched /items/{id} for want of the method on /items/by: that is a 405.
        methods = routes.allowed(request.url.path) or ""
        if request.method not in methods.split(", "):
            return ApiError(f"Method {request.method} is not allowed on {request.url.path}; "
                            f"allowed: {methods}", status=405, headers={"Allow": methods})
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, MultiPartException | MultipartParseError):
        return BadRequest(f"The multipart body cannot be read: {exc}")
    if isinstance(exc, BadRequestProblem):
        return ValidationFailed(str(exc.detail or exc.title))
    if isinstance(exc, ProblemException):
        return ApiError(str(exc.detail or exc.title), status=exc.status, headers=dict(exc.headers or {}))
    if isinstance(exc, HTTPException):
        where = f"{request.method} {request.url.path}"
        if exc.status_code == 404:
            return NotFound(f"No operation matches {where}")
        if exc.status_code == 405:
            methods = (routes and routes.allowed(request.url.path)) or (exc.headers or {}).get("Allow", "")
            headers = {**(exc.headers or {}), "Allow": methods}
            return ApiError(f"Method {request.method} is not allowed on {request.url.path}; "
                            f"allowed: {methods}", status=405, headers=headers)
        return ApiError(str(exc.detail), status=exc.status_code, headers=dict(exc.headers or {}))
    logger.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError("Internal server error")


def error_renderer(routes: DocumentedRoutes | None = None,
                   shape: ErrorShape = own_shape) -> Callable[..., Any]:
    """The one error handler: every failure becomes an ``ApiError``, its body in the shape the
    routed operation documents for the status (``shape``)."""

    async def render_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        error = as_api_error(request, exc, routes)
        key = routed_operation_id(request.scope)
        if key is None and routes is not None:
            key = routes.operation(request.method, request.url.path)
            if key is None and error.status == 405:  # no operation: shaped as the path's others
                key = routes.on_path(request.url.path)
        status, body, media_type = shape(key, error)
        # Connexion leaves ConnexionResponse.__init__ unannotated.
        return ConnexionResponse(  # type: ignore[no-untyped-call]
            status_code=status, mimetype=media_type, body=json.dumps(body), headers=error.headers,
        )

    return render_error


# What the error handler is registered for: the mock's errors, Connexion's, Starlette's, the rest.
ERROR_FAMILIES: tuple[type[Exception], ...] = (ApiError, ProblemException, HTTPException, Exception)
