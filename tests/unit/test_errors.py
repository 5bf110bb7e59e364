"""Error mapping: every failure becomes {"detail", "error_code"} with the right status."""

from __future__ import annotations

import asyncio
import json

import pytest
from connexion.exceptions import BadRequestProblem, OAuthProblem, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionRequest
from starlette.exceptions import HTTPException

from mockserver import errors
from mockserver.agentos import errors as agentos_errors
from mockserver.server.connexion_adapter import as_api_error, error_renderer


def request(method: str = "PATCH", path: str = "/sessions/x") -> ConnexionRequest:
    scope = {"type": "http", "method": method, "path": path, "headers": [], "query_string": b""}
    return ConnexionRequest(scope)


@pytest.mark.parametrize(("status", "code"), [
    (400, "BAD_REQUEST"), (401, "UNAUTHENTICATED"), (404, "NOT_FOUND"), (405, "METHOD_NOT_ALLOWED"),
    (413, "PAYLOAD_TOO_LARGE"), (415, "UNSUPPORTED_MEDIA_TYPE"), (422, "VALIDATION_ERROR"),
    (500, "INTERNAL_SERVER_ERROR"), (429, "TOO_MANY_REQUESTS"),
])
def test_error_codes_follow_the_status(status: int, code: str) -> None:
    assert errors.error_body(status, "x") == {"detail": "x", "error_code": code}


def test_domain_errors_carry_agentos_details() -> None:
    assert agentos_errors.SessionNotFound("s").body() == {
        "detail": "Session with id 's' not found", "error_code": "NOT_FOUND"}
    assert agentos_errors.DatabaseNotFound("d").body() == {
        "detail": "No database found with id 'd'", "error_code": "NOT_FOUND"}
    assert agentos_errors.DatabaseRequired().status == 400


@pytest.mark.parametrize(("exc", "status", "detail"), [
    (BadRequestProblem(detail="bad thing"), 422, "bad thing"),
    (OAuthProblem(detail="No authorization token provided"), 401, "No authorization token provided"),
    (UnsupportedMediaTypeProblem(detail="Invalid Content-type (text/plain)"), 415,
     "Invalid Content-type (text/plain)"),
    (HTTPException(404), 404, "No operation matches PATCH /sessions/x"),
    (agentos_errors.SessionNotFound("x"), 404, "Session with id 'x' not found"),
])
def test_connexion_and_starlette_errors_map_to_the_family(exc: Exception, status: int, detail: str) -> None:
    error = as_api_error(request(), exc)
    assert (error.status, error.detail) == (status, detail)


def test_405_keeps_the_allow_header() -> None:
    error = as_api_error(request("GET"), HTTPException(405, headers={"Allow": "PATCH"}))
    assert error.status == 405 and error.headers == {"Allow": "PATCH"}
    assert error.detail == "Method GET is not allowed on /sessions/x; allowed: PATCH"


def test_unexpected_exceptions_are_500_without_internals(caplog: pytest.LogCaptureFixture) -> None:
    response = asyncio.run(error_renderer()(request(), RuntimeError("secret /etc/passwd")))
    assert response.status_code == 500
    assert json.loads(response.body) == {"detail": "Internal server error", "error_code": "INTERNAL_SERVER_ERROR"}
    assert "secret" in caplog.text  # logged for the operator, never sent to the client
