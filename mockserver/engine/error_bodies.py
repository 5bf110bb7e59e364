"""Error bodies in the shape the operation documents for the status.

An ``ApiError`` is rendered with the documented schema of its status (else of a documented status
that means the same, ``ALTERNATIVES``; else of its status range or ``default``), its message,
status and code fields filled (``error_fields``); where nothing is documented, the profile's own
shape, else RFC 9457 problem+json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

from mockserver.core.pointers import follow_refs, resolve_pointer
from mockserver.core.spec import Operation, Spec
from mockserver.engine import reading
from mockserver.engine.answers import documented_body
from mockserver.engine.error_fields import filled
from mockserver.engine.fitting import Fitter
from mockserver.engine.instances import instance
from mockserver.errors import ApiError, InvalidPathParameter

PROBLEM_JSON = "application/problem+json"
# A status the operation does not document -> documented ones that mean the same, in order.
ALTERNATIVES = {422: (400,), 400: (422,), 415: (400, 422), 401: (403,), 403: (401,)}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ErrorBodies:
    """Error bodies in the shape each operation of the served documents documents for the status;
    where none is documented, the profile's shape (``own_body``), else RFC 9457 problem details."""

    def __init__(self, specs: Iterable[Spec], own_body: Callable[[int, str], Any] | None = None,
                 keep_status: Iterable[str] = ()) -> None:
        self.own_body = own_body  # undocumented errors: the profile's shape, else problem+json
        self.keep_status = set(keep_status)  # operations whose statuses are their handler's (AgentOS's)
        self.operations: dict[str, tuple[Spec, Fitter, Operation]] = {}
        for spec in specs:
            fitter = Fitter(spec)
            self.operations.update({op.key: (spec, fitter, op) for op in spec.operations()})
        self._bodies: dict[tuple[str, str], tuple[Any, str] | None] = {}

    def render(self, key: str | None, error: ApiError) -> tuple[int, Any, str]:
        """The status, body and media type of an error answer to the operation ``key`` (None: no
        route). Where the operation does not document the error's status, a documented one that
        means the same is used (``ALTERNATIVES``)."""
        status, body, media = self._render(key, error)
        if error.fields and isinstance(body, dict):
            body = self._with_fields(key, status, media, body, error.fields)
        return status, body, media

    def _with_fields(self, key: str | None, status: int, media: str, body: dict[str, Any],
                     fields: Mapping[str, Any]) -> dict[str, Any]:
        """``body`` with the error's own ``fields``, where the documented shape still fits."""
        merged = {**body, **fields}
        found = self.operations.get(key) if key is not None else None
        if found is not None and media != PROBLEM_JSON:
            schema = documented_body(found[0], found[2], str(status)).schema
            if schema is not None and not found[1].fits(schema, merged):
                return body
        return merged

    def _render(self, key: str | None, error: ApiError) -> tuple[int, Any, str]:
        status, detail = error.status, error.detail
        found = self.operations.get(key) if key is not None else None
        if found is not None:
            codes = {str(code) for code in found[2].definition.get("responses") or {}}
            if str(status) not in codes and key not in self.keep_status:
                others = ALTERNATIVES.get(status, ())
                if isinstance(error, InvalidPathParameter):
                    others = (*others, 404)
                status = next((other for other in others if str(other) in codes), status)
            for documented in (str(status), f"{str(status)[0]}XX", "default"):
                if documented in codes:
                    body = self._documented(*found, documented, status, detail)
                    if body is not None:
                        return (status, *body)
                    break
        if self.own_body is not None:
            return status, self.own_body(status, detail), reading.JSON_MEDIA
        phrase = _phrase(status)
        problem = {"type": "about:blank", "title": phrase, "status": status, "detail": detail}
        return status, problem, self._problem_media(found[2] if found else None)

    def _problem_media(self, operation: Operation | None) -> str:
        """problem+json, unless the operation answers only plain JSON: then that."""
        if operation is None:
            return PROBLEM_JSON
        media = {media for response in (operation.definition.get("responses") or {}).values()
                 for media in (follow_refs(self._document(operation), response).get("content") or {})}
        if PROBLEM_JSON in media or not media:
            return PROBLEM_JSON
        return reading.JSON_MEDIA if reading.JSON_MEDIA in media else PROBLEM_JSON

    def _document(self, operation: Operation) -> Mapping[str, Any]:
        return self.operations[operation.key][0].raw

    def _documented(self, spec: Spec, fitter: Fitter, operation: Operation, status: str, code: int,
                    detail: str) -> tuple[Any, str] | None:
        body = documented_body(spec, operation, status)
        if body.media_type is None or body.schema is None:
            return None
        built = instance(spec.raw, resolve_pointer(spec.raw, body.schema))
        found = filled(built, detail, code, lambda value: fitter.fits(body.schema, value))
        if found is not None:
            return found, body.media_type
        example = next((e for e in body.examples.values() if fitter.fits(body.schema, e)), None)
        return (example, body.media_type) if example is not None else None
