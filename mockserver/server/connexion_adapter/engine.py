"""The engine's operations as Connexion handlers: the request Connexion routed and validated,
handed to the engine as plain data, and its answer sent as it is (status, media type, headers)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl

import orjson
from connexion.context import _scope as request_scope
from starlette.background import BackgroundTask
from starlette.responses import Response
from starlette.types import Scope

from mockserver.engine.messages import Answer, Request
from mockserver.server.connexion_adapter.hotpath import READS_SCOPE, VALIDATED_BODY

Answering = Callable[[str, Request], Awaitable[Answer]]
# Told of each answer before it is sent, with the event set once it has been (callbacks).
AfterAnswer = Callable[[str, Scope, Request, Answer, asyncio.Event], None]
# While the engine makes an answer that has an AfterAnswer: the event set once that answer is sent
# (webhooks fired by the engine's changes wait for it).
ANSWER_SENT: ContextVar[asyncio.Event | None] = ContextVar("answer_sent", default=None)


def _encoded(answer: Answer) -> bytes:
    if answer.media_type is None:
        return b""
    if isinstance(answer.body, bytes):
        return answer.body
    if isinstance(answer.body, str) and "json" not in answer.media_type:
        return answer.body.encode()
    if answer.body is None and "json" not in answer.media_type:
        return b""
    try:
        return orjson.dumps(answer.body, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # integers beyond 64 bits, which JSON allows and generated values may hold
        return json.dumps(answer.body).encode()


def engine_request(scope: Scope, preferences: Mapping[str, str]) -> Request:
    query: dict[str, str] = {}
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        query.setdefault(name, value)
    body = (scope.get("extensions") or {}).get(VALIDATED_BODY)
    path_params = {name: str(value) for name, value in (scope.get("path_params") or {}).items()}
    return Request(path_params, query, body, preferences)


def absolute(scope: Scope, path: str) -> str:
    """``path`` as an absolute URL on the host the request was sent to (``Location`` is often
    documented as a ``uri``)."""
    headers = dict(scope.get("headers") or ())
    host = headers.get(b"host", b"").decode("latin-1")
    if not host and scope.get("server"):
        host = "{}:{}".format(*scope["server"])
    return f"{scope.get('scheme', 'http')}://{host}{path}" if host else path


def engine_handler(answer: Answering, key: str, preferences: Callable[[Scope], Mapping[str, str]],
                   after: AfterAnswer | None = None) -> Callable[..., Any]:
    """A Connexion handler for the operation ``key`` that ``answer`` serves; ``after`` is told of
    each answer before it is sent (and must not wait), with an event set once it has been."""

    async def handle(*args: Any, **kwargs: Any) -> Response:
        scope: Scope = request_scope.get()
        request = engine_request(scope, preferences(scope))
        sent = asyncio.Event() if after is not None else None
        token = ANSWER_SENT.set(sent) if sent is not None else None
        try:
            found = await answer(key, request)
        finally:
            if token is not None:
                ANSWER_SENT.reset(token)
        if found.headers.get("Location", "").startswith("/"):
            found.headers["Location"] = absolute(scope, found.headers["Location"])
        if after is not None and sent is not None:
            after(key, scope, request, found, sent)
        return Response(_encoded(found), status_code=found.status, media_type=found.media_type,
                        headers=found.headers, background=BackgroundTask(sent.set) if sent else None)

    setattr(handle, READS_SCOPE, True)
    return handle


VALID_REQUEST = "x-mockserver-valid-request"  # the header of a valid_request_handler's answer


def valid_request_handler(key: str) -> Callable[..., Any]:
    """A handler that only says the request reached it, routed, authorised and valid (the
    validation proxy checks requests so, through the mock's own validation)."""

    async def handle(*args: Any, **kwargs: Any) -> Response:
        return Response(status_code=204, headers={VALID_REQUEST: key})

    setattr(handle, READS_SCOPE, True)
    return handle
