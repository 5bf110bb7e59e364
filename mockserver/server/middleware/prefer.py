"""Control over answers: ``Prefer`` (RFC 7240, Prism-compatible) and latency.

``Prefer: code=404`` answers with that documented status and a body from its schema's example
(an undocumented code is a 400 naming the documented ones; ``code=200`` is the normal stateful
answer). ``Prefer: delay=250`` and ``--latency 150`` or ``100-400`` delay responses, capped at 30 s.
Several preferences go in one header, comma-separated. The header is read once per request, by
the ``Gate``, which also waits out the delay (``Latency``); ``PreferCode`` is plain ASGI, and reads
the routed operation through the Connexion adapter.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.config import MAX_DELAY_MS
from mockserver.core.spec import Spec, follow_refs
from mockserver.errors import BadRequest, error_body
from mockserver.server.connexion31.routing import routed_operation_id

PREFERENCES = "mockserver.preferences"  # the scope["extensions"] key of a request's preferences


def preferences(scope: Scope) -> dict[str, str]:
    """The ``Prefer`` header(s) of a request as name -> value (parameters after ';' ignored), read
    once and kept in the request's extensions."""
    extensions = scope.get("extensions")
    if extensions is None:
        return read_preferences(scope)
    found: dict[str, str] | None = extensions.get(PREFERENCES)
    if found is None:
        found = extensions[PREFERENCES] = read_preferences(scope)
    return found


def read_preferences(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name.lower() != b"prefer":
            continue
        for preference in value.decode("latin-1").split(","):
            token = preference.split(";", 1)[0].strip()
            key, _, raw = token.partition("=")
            if key.strip():
                found[key.strip().lower()] = raw.strip().strip('"')
    return found


def example_body(spec: Spec, response: Mapping[str, Any]) -> Any:
    """An example of a documented response: its own example, else its schema's, else None."""
    media = (follow_refs(spec.raw, response).get("content") or {}).get("application/json")
    if not isinstance(media, Mapping):
        return None
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        return follow_refs(spec.raw, example).get("value")
    schema = follow_refs(spec.raw, media.get("schema") or {})
    if "example" in schema:
        return schema["example"]
    return (schema.get("examples") or [None])[0]


def documented_answers(*specs: Spec) -> dict[str, dict[int, Any]]:
    """operation key -> documented status -> example body, for every operation of ``specs``."""
    answers: dict[str, dict[int, Any]] = {}
    for spec in specs:
        for operation in spec.operations():
            statuses = {int(code): example_body(spec, response)
                        for code, response in (operation.definition.get("responses") or {}).items()
                        if str(code).isdigit()}
            answers[operation.key] = statuses
    return answers


async def sleep(seconds: float) -> None:
    """Where the delay happens (tests replace it, so they never wait)."""
    await asyncio.sleep(seconds)


def _milliseconds(text: str | None) -> int | None:
    return min(int(text), MAX_DELAY_MS) if text is not None and text.isdigit() else None


class Latency:
    """Delays each response: ``Prefer: delay=MS`` if given, else a uniform pick from ``latency``."""

    def __init__(self, latency: tuple[int, int] | None = None) -> None:
        self.latency = latency

    async def wait(self, scope: Scope) -> None:
        delay = _milliseconds(preferences(scope).get("delay"))
        if delay is None and self.latency is not None:
            delay = random.randint(*self.latency)
        if delay:
            await sleep(delay / 1000)


class PreferCode:
    """Answers ``Prefer: code=N`` with the documented response's example; after auth and validation."""

    def __init__(self, app: ASGIApp, answers: dict[str, dict[int, Any]]) -> None:
        self.app = app
        self.answers = answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = preferences(scope).get("code") if scope["type"] == "http" else None
        operation_id = routed_operation_id(scope)
        documented = self.answers.get(operation_id) if operation_id is not None else None
        if code is None or documented is None:
            return await self.app(scope, receive, send)
        status = int(code) if code.isdigit() else None
        if status not in documented:
            listed = ", ".join(map(str, sorted(documented)))
            raise BadRequest(f"Prefer: code={code} is not a documented status of this operation; "
                             f"documented: {listed}")
        if 200 <= status < 300:
            return await self.app(scope, receive, send)  # a success is the normal, stateful answer
        body = documented[status]
        if body is None:  # no example documented: the mock's own error shape
            body = error_body(status, f"{HTTPStatus(status).phrase} (Prefer: code={status})")
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"preference-applied", f"code={status}".encode())]})
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})
