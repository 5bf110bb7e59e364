"""Forced answers: ``Prefer: code=404`` (RFC 7240, Prism-compatible), after auth and validation.

The answer has that documented status and its example, else a body built from its schema by the
error renderer (``render``: the message and status fields filled), else no body at all. A code that
is not three ASCII digits, or not a status the operation documents, is a 400 naming the documented
ones; ``code=200`` (any 2xx) is the normal, stateful answer. ``PreferCode`` is plain ASGI, and
reads the routed operation through the Connexion adapter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.errors import ApiError, BadRequest
from mockserver.server.connexion_adapter.errors import ErrorShape
from mockserver.server.connexion_adapter.routing import routed_operation_id
from mockserver.server.middleware.prefer import preferences, shown


def example_body(spec: Spec, response: Mapping[str, Any]) -> Any:
    """An example of a documented response: its own example, else its schema's, else None."""
    media = (follow_refs(spec.raw, response).get("content") or {}).get("application/json")
    if not isinstance(media, Mapping):
        return None
    if "example" in media:
        return media["example"]
    examples = media.get("examples")
    for example in (examples.values() if isinstance(examples, Mapping) else ()):
        found = follow_refs(spec.raw, example)
        return found.get("value") if isinstance(found, Mapping) else None
    schema = follow_refs(spec.raw, media.get("schema") or {})
    if not isinstance(schema, Mapping):
        return None
    if "example" in schema:
        return schema["example"]
    listed = schema.get("examples")  # a list in JSON Schema; documents write a mapping too (Codat's assess)
    return listed[0] if isinstance(listed, list) and listed else None


@dataclass(frozen=True)
class Documented:
    """One documented response: its example, and whether it documents content at all."""

    example: Any
    content: bool


def documented_answers(*specs: Spec) -> dict[str, dict[int, Documented]]:
    """operation key -> documented status -> its ``Documented``, for every operation of ``specs``."""
    answers: dict[str, dict[int, Documented]] = {}
    for spec in specs:
        for operation in spec.operations():
            responses = (operation.definition.get("responses") or {}).items()
            answers[operation.key] = {
                status: Documented(example_body(spec, response),
                                   bool(follow_refs(spec.raw, response).get("content")))
                for code, response in responses if (status := status_code(str(code))) is not None}
    return answers


def status_code(text: str) -> int | None:
    """The status ``text`` spells as three ASCII digits (``str.isdigit`` takes "²"), else None."""
    return int(text) if len(text) == 3 and text.isascii() and text.isdigit() else None


class PreferCode:
    """Answers ``Prefer: code=N`` with the documented response's example, else a body built from
    its schema by ``render`` (the error renderer's), else none; after auth and validation."""

    def __init__(self, app: ASGIApp, answers: dict[str, dict[int, Documented]], render: ErrorShape) -> None:
        self.app = app
        self.answers = answers
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = preferences(scope).get("code") if scope["type"] == "http" else None
        operation_id = routed_operation_id(scope)
        documented = self.answers.get(operation_id) if operation_id is not None else None
        if code is None or documented is None:
            return await self.app(scope, receive, send)
        status = status_code(code)
        if status is None or status not in documented:
            listed = ", ".join(map(str, sorted(documented)))
            raise BadRequest(f"Prefer: code={shown(code)} is not a documented status of this operation; "
                             f"documented: {listed}")
        if 200 <= status < 300:
            return await self.app(scope, receive, send)  # a success is the normal, stateful answer
        if status < 200:
            raise BadRequest(f"Prefer: code={status} is informational: the mock answers with a final status")
        headers = [(b"preference-applied", f"code={status}".encode())]
        body, media_type = self._body(operation_id, status, documented[status])
        if media_type is not None:
            headers.append((b"content-type", media_type.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if body is None else json.dumps(body).encode()})

    def _body(self, key: str | None, status: int, documented: Documented) -> tuple[Any, str | None]:
        if not documented.content or status == 304:
            return None, None
        if documented.example is not None:
            return documented.example, "application/json"
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = f"Status {status}"
        _, body, media_type = self.render(key, ApiError(f"{phrase} (Prefer: code={status})", status=status))
        return body, media_type
