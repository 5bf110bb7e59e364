"""``Admission``: the mock's one pass between Connexion's error handling and its routing: the request
target and the admin API's origin (``target``), the docs page,
the limits on a request's body, the delay a request asks for (or ``--latency`` sets), and network
faults (``Prefer: fault``, ``--faults``).

They were separate ASGI middlewares; folded, a request pays for one pass (bench/README.md), and
each concern keeps its own module (``docs``, ``limits``, ``prefer``, ``faults``). Inside the error
handling, so that a 413, a 408 or an unknown fault is rendered in the operation's error shape; the
docs page is public (it answers before the bearer check), never delayed and never faulty.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.server.middleware.docs import DocsPage
from mockserver.server.middleware.faults import (
    FAULT,
    CutUnlessStreamed,
    Faults,
    connection_of,
    cut_connection,
    faulty_send,
)
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.prefer import Latency
from mockserver.server.middleware.target import RequestGuard


class Admission:
    def __init__(self, app: ASGIApp, guard: RequestGuard, docs: DocsPage | None, limits: BodyLimits,
                 latency: Latency, faults: Faults, may_stream: Callable[[Scope], bool] | None = None) -> None:
        self.app = app
        self.guard = guard
        self.docs = docs
        self.limits = limits
        self.latency = latency
        self.faults = faults
        self.may_stream = may_stream or (lambda scope: False)  # does its operation document a stream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.guard.check(scope)
        if self.docs is not None and await self.docs.answer(scope, send):
            return
        receive = self.limits.guard(scope, receive)
        await self.latency.wait(scope)
        fault = self.faults.pick(scope)
        if fault is not None and self.may_stream(scope):
            scope.setdefault("extensions", {})[FAULT] = fault  # a stream meets it midway
            if fault in ("reset", "empty"):
                connection_of(fault, scope)  # a 400 now, without a connection to cut later
                return await self.app(scope, receive, CutUnlessStreamed(send, fault, scope))
        elif fault in ("reset", "empty"):
            return cut_connection(fault, scope)
        await self.app(scope, receive, faulty_send(fault, send) if fault else send)
