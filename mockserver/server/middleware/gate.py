"""``Gate``: the mock's one pass between Connexion's error handling and its routing: the docs page,
the limits on a request's body, and the delay a request asks for (or ``--latency`` sets).

They were three ASGI middlewares; folded, a request pays for one (bench/README.md), and each
concern keeps its own module (``docs``, ``limits``, ``prefer``). Inside the error handling, so that
a 413 or 408 is rendered in the operation's error shape; the docs page is public (it answers before
the bearer check) and never delayed.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.server.middleware.docs import DocsPage
from mockserver.server.middleware.limits import BodyLimits
from mockserver.server.middleware.prefer import Latency


class Gate:
    def __init__(self, app: ASGIApp, docs: DocsPage, limits: BodyLimits, latency: Latency) -> None:
        self.app = app
        self.docs = docs
        self.limits = limits
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if await self.docs.answer(scope, send):
            return
        receive = self.limits.guard(scope, receive)
        await self.latency.wait(scope)
        await self.app(scope, receive, send)
