"""One error handler for every failure, rendering the mock's ``{"detail", "error_code"}`` JSON.

Connexion answers problem+json and Starlette plain errors; both, and anything unexpected, are
turned into the mock's ``ApiError`` family here, keeping headers such as a 405's ``Allow``.
"""

from __future__ import annotations

import json
import logging

from connexion.exceptions import BadRequestProblem, ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from ..errors import ApiError, NotFound, ValidationFailed

logger = logging.getLogger("mockserver")


def as_api_error(request: ConnexionRequest, exc: Exception) -> ApiError:
    """The mock's error for anything raised while answering ``request``."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, BadRequestProblem):
        return ValidationFailed(str(exc.detail or exc.title))
    if isinstance(exc, ProblemException):
        return ApiError(str(exc.detail or exc.title), status=exc.status, headers=exc.headers)
    if isinstance(exc, HTTPException):
        where = f"{request.method} {request.url.path}"
        if exc.status_code == 404:
            return NotFound(f"No operation matches {where}")
        if exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            return ApiError(f"Method {request.method} is not allowed on {request.url.path}; "
                            f"allowed: {allowed}", status=405, headers=exc.headers)
        return ApiError(str(exc.detail), status=exc.status_code, headers=exc.headers)
    logger.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError("Internal server error")


async def render_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """The one error handler: every failure becomes ``{"detail", "error_code"}`` JSON."""
    error = as_api_error(request, exc)
    return ConnexionResponse(
        status_code=error.status,
        mimetype="application/json",
        body=json.dumps(error.body()),
        headers=error.headers,
    )


# What render_error is registered for: the mock's errors, Connexion's, Starlette's, the rest.
ERROR_FAMILIES: tuple[type[Exception], ...] = (ApiError, ProblemException, HTTPException, Exception)
