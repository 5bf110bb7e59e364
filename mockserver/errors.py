"""The mock's two error families: start-up errors and API errors.

``StartupError`` and its kinds stop a command before it does anything (the server before it binds
a port); the CLI prints them as one line naming the file and field. ``ApiError`` and its kinds are
raised by the stores and the handlers and rendered once (``engine.error_bodies.ErrorBodies``, called by
the server's one renderer): in the error shape the operation documents, else the profile's
(AgentOS: ``error_body``'s ``{"detail": "<plain sentence>", "error_code": "<CODE>"}``), else RFC
9457 problem details. Handlers never build error JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

ERROR_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    500: "INTERNAL_SERVER_ERROR",
}


def error_code(status: int) -> str:
    """The spec's ``error_code`` for an HTTP status (the status phrase in CONSTANT_CASE otherwise)."""
    if status in ERROR_CODES:
        return ERROR_CODES[status]
    try:
        return HTTPStatus(status).name
    except ValueError:
        return "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST"


def error_body(status: int, detail: str) -> dict[str, str]:
    """The one place an error response body is built."""
    return {"detail": detail, "error_code": error_code(status)}


class StartupError(Exception):
    """A command cannot start: a bad spec, fixture, or configuration. ``str()`` says where.

    The CLI prints it as one ``mockserver: error:`` line and exits with ``exit_status``.
    """

    exit_status = 1


class SpecError(StartupError):
    """The OpenAPI document cannot be read, parsed or validated."""


class FixtureError(StartupError):
    """A fixture file cannot be read, or a session in it breaks its response schema."""


class ConfigError(StartupError):
    """A setting has a value the mock cannot use."""


class UnusableInput(StartupError):
    """What a command was asked to check cannot be checked at all: a document that cannot be read
    or parsed (``validate``), a server that cannot be reached (``contract``)."""

    exit_status = 2


class ApiError(Exception):
    """A request the mock answers with an error status; ``detail`` is a plain sentence, ``pointer``
    (where known) a JSON pointer to what is wrong: ``/body/session_state``, ``/query/limit``;
    ``fields`` members the error body carries besides, where its shape has room for them."""

    status: int = 500

    def __init__(self, detail: str, *, status: int | None = None, headers: dict[str, str] | None = None,
                 pointer: str = "", fields: Mapping[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        self.headers = headers or {}
        self.pointer = pointer
        self.fields = dict(fields or {})

    def body(self) -> dict[str, str]:
        return error_body(self.status, self.detail)


class BadRequest(ApiError):
    """A well-formed request the mock cannot act on."""

    status = 400


class Unauthenticated(ApiError):
    status = 401

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    """A create naming an id (a natural key) an item already has."""

    status = 409


class ValidationFailed(ApiError):
    """The request breaks the spec (types, enums, malformed JSON)."""

    status = 422


class InvalidPathParameter(ValidationFailed):
    """A path parameter no value of its schema matches: the resource it names cannot exist (an
    operation that documents no 400 or 422 answers it with its 404)."""


class ExpectationFailed(ApiError):
    """The journal does not hold the requests an expectation describes (the admin API's verify):
    ``fields`` say how many matched, how many should have, and the closest entries."""

    status = 409


class StoreUnavailable(ApiError):
    """The shared store (Redis) cannot be reached while answering: a 503, until it is back."""

    status = 503


class StoreFull(ApiError):
    """The store holds what its bounds allow (``core.bounds``; Redis's maxmemory): a 507, until
    something is deleted or the mock is reset."""

    status = 507
