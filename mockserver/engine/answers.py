"""Answers taken from the document: an operation's examples, a body built from its schema, and the
body of an error in the shape the operation documents.

A static answer is, in order: the example ``Prefer: example=NAME`` names; the first example of the
success response that fits its schema; a value built from the schema once (``instances``), or
drawn with a fixed seed when the built one does not fit (``dynamic``). Start-up keeps the first
kinds (``prepare``); a draw takes up to seconds (Hypothesis), so it waits for the operation's
first request and is made off the event loop (a large document has dozens: half a minute).
``Prefer: dynamic=true`` draws a fresh one, off the event loop; past ``dynamic_timeout`` seconds
(or where no value can be drawn) the static answer is sent instead, marked ``Mockserver-Dynamic:
fallback``. Error bodies fill the documented error schema's message, status and code fields
(``error_fields``); where
nothing is documented, the mock's own shape or RFC 9457 problem+json.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from mockserver.core.pointers import follow_refs, resolve_pointer
from mockserver.core.spec import Operation, Spec
from mockserver.engine import reading
from mockserver.engine.dynamic import WORKER, DynamicValues
from mockserver.engine.error_fields import filled
from mockserver.engine.fitting import Fitter
from mockserver.engine.instances import instance
from mockserver.errors import ApiError, BadRequest, InvalidPathParameter

logger = logging.getLogger("mockserver")

PROBLEM_JSON = "application/problem+json"
FALLBACK = {"Mockserver-Dynamic": "fallback"}  # the headers of a dynamic answer that fell back
NOT_BUILT = object()  # no example fits and the value built from the schema does not: one is drawn
# A status the operation does not document -> documented ones that mean the same, in order.
ALTERNATIVES = {422: (400,), 400: (422,), 415: (400, 422), 401: (403,), 403: (401,)}
# Static answers a process keeps across mocks of the same ``Spec`` (which nothing changes once
# built): an answer depends only on the document and the operation, and building one validates.
BUILT_KEPT = 4096
_kept: dict[tuple[int, str], tuple[Spec, Any]] = {}


@dataclass
class Body:
    """One documented response: its status, media type and schema, and its examples by name."""

    status: int
    media_type: str | None
    schema: str | None  # JSON pointer
    examples: dict[str, Any] = field(default_factory=dict)


def _examples(spec: Spec, media: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if "example" in media:
        found["example"] = media["example"]
    for name, example in (media.get("examples") or {}).items():
        example = follow_refs(spec.raw, example)
        if isinstance(example, Mapping) and "value" in example:
            found[str(name)] = example["value"]
    schema = follow_refs(spec.raw, media.get("schema") or {})
    if isinstance(schema, Mapping) and "example" in schema and not found:
        found["example"] = schema["example"]
    return found


def documented_body(spec: Spec, operation: Operation, status: str) -> Body:
    response = reading.response(spec, operation, status)
    content = response.get("content") or {}
    media = reading.json_media_type(content) or next(iter(content), None)
    code = int(status) if status.isdigit() else 200
    if media is None:
        return Body(code, None, None)
    schema = reading.response_schema_pointer(spec, operation, status)
    return Body(code, media, schema, _examples(spec, content[media]))


class StaticAnswers:
    """The bodies of the engine's answers from the document, built once per operation."""

    def __init__(self, spec: Spec, fitter: Fitter, dynamic_timeout: float) -> None:
        self.spec = spec
        self.fitter = fitter
        self.dynamic = DynamicValues(spec.raw.get("components") or {})
        self.dynamic_timeout = dynamic_timeout
        self._default: dict[str, Any] = {}

    def schema(self, body: Body) -> Any:
        return resolve_pointer(self.spec.raw, body.schema) if body.schema else {}

    def prepare(self, key: str, body: Body) -> None:
        """Keep the default answer of ``key`` now unless it has to be drawn (``default``)."""
        if key not in self._default:
            built = self._kept_answer(key)
            built = self._built(body) if built is NOT_BUILT else built
            if built is not NOT_BUILT:
                self._keep(key, built)

    def default(self, key: str, body: Body) -> Any:
        """The first example that fits, else a built value, else a drawn one (made once per
        operation and ``Spec`` in a process)."""
        if key not in self._default:
            built = self._kept_answer(key)
            built = self._built(body) if built is NOT_BUILT else built
            self._keep(key, self.dynamic.generate(self.schema(body), seed=0) if built is NOT_BUILT else built)
        return self._default[key]

    def _kept_answer(self, key: str) -> Any:
        kept = _kept.get((id(self.spec), key))
        # the id of a Spec no longer kept may be reused
        return kept[1] if kept is not None and kept[0] is self.spec else NOT_BUILT

    def _keep(self, key: str, answer: Any) -> None:
        if len(_kept) >= BUILT_KEPT:
            del _kept[next(iter(_kept))]
        _kept[(id(self.spec), key)] = (self.spec, answer)
        self._default[key] = answer

    async def _default_off_loop(self, key: str, body: Body) -> Any:
        if key in self._default:
            return self._default[key]
        return await asyncio.wrap_future(WORKER.submit(lambda: self.default(key, body)))

    def _built(self, body: Body) -> Any:
        for example in body.examples.values():
            if self.fitter.fits(body.schema, example):
                return example
        if body.schema is None:
            return next(iter(body.examples.values()), None)
        built = instance(self.spec.raw, self.schema(body))
        return built if self.fitter.fits(body.schema, built) else NOT_BUILT

    async def body(self, key: str, body: Body, preferences: Mapping[str, str]) -> tuple[Any, dict[str, str]]:
        """The body of the answer and any headers it adds."""
        if body.media_type is None:
            return None, {}
        name = preferences.get("example")
        if name is not None:
            if name not in body.examples:
                known = ", ".join(body.examples) or "none"
                raise BadRequest(f"Prefer: example={name} names no example of this answer; "
                                 f"documented: {known}")
            return body.examples[name], {}
        if preferences.get("dynamic", "").lower() == "true" and body.schema is not None:
            try:
                return await self.dynamic.draw(self.schema(body), self.dynamic_timeout), {}
            except TimeoutError:
                return await self._default_off_loop(key, body), dict(FALLBACK)
            except Exception:  # a schema Hypothesis cannot draw from: the static answer is still true
                logger.warning("Prefer: dynamic=true: no value drawn for %s", key, exc_info=True)
                return await self._default_off_loop(key, body), dict(FALLBACK)
        return await self._default_off_loop(key, body), {}


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
