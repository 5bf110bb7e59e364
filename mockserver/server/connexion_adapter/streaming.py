"""Streamed answers: a handler may return a ``core.streams.Streamed``, sent part by part.

Each part after the first waits the answer's ``delay`` (``prefer.sleep``, which tests replace). A
network fault given to the request (``middleware.faults.stream_fault``) acts after half of the
parts: ``reset`` and ``empty`` cut the connection, ``malformed`` sends half of the next part and
ends the body. A stream ended early closes its parts, so that their producer can tidy up.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from typing import Any

from connexion.context import _scope as request_scope
from starlette.responses import StreamingResponse
from starlette.types import Scope

from mockserver.core.streams import Streamed
from mockserver.server.middleware.faults import cut_connection, stream_fault
from mockserver.server.middleware.prefer import sleep


async def paced(streamed: Streamed, scope: Scope) -> AsyncIterator[bytes]:
    """The parts of ``streamed``, paced, and cut midway by the request's fault if it has one."""
    fault = stream_fault(scope)
    cut_at = max(1, (streamed.size_hint or 2) // 2) if fault in ("reset", "empty", "malformed") else -1
    sent = 0
    try:
        while True:
            if sent and streamed.delay:
                await sleep(streamed.delay)  # before the next part is made: a cancel meanwhile counts
            try:
                part = await anext(streamed.parts)
            except StopAsyncIteration:
                return
            if sent == cut_at:
                if fault == "malformed":
                    yield part[:len(part) // 2]
                elif fault is not None:
                    cut_connection(fault, scope, answered=True)
                return
            yield part
            sent += 1
    finally:
        await streamed.parts.aclose()


def respond(result: Any) -> Any:
    """A handler's result as Connexion takes it: a ``Streamed`` becomes a streaming response."""
    if not isinstance(result, Streamed):
        return result
    return StreamingResponse(paced(result, request_scope.get()), status_code=result.status,
                             media_type=result.media_type, headers=dict(result.headers))


def streaming_handler(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler``, whose ``Streamed`` results are sent as streams (its signature kept, so that
    Connexion passes it the same parameters)."""

    @functools.wraps(handler)
    async def handle(*args: Any, **kwargs: Any) -> Any:
        return respond(await handler(*args, **kwargs))

    return handle
