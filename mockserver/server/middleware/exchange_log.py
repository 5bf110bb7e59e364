"""``ExchangeLog``: the mock's outermost pass, around Connexion's error handling: CORS, the request
journal and the access log, sharing one wrapper of ``send`` (which remembers the status) and one
of ``receive`` (which keeps the body for the journal).

They were three ASGI middlewares, each wrapping ``send`` again; folded, a request pays for one
(bench/README.md). CORS is Starlette's own (``CORSMiddleware``'s preflight answer and its header
rules), called from here. Each request gets its ``extensions`` dict here: routing records the
operation there, and the error renderer, outside routing, reads it.

The journal keeps the body as far as the app read it: a request refused before its body was read,
such as a 401, has none (reading ahead would hang on a trickled body). Preflight requests are
logged, not journaled; neither are the mock's own paths. The query the journal keeps and the log
shows has its credentials redacted (``core.journal.Redaction``).
"""

from __future__ import annotations

import functools
import logging
import time

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core.journal import BODY_LIMIT, Entry, Journal, Redaction
from mockserver.errors import StoreUnavailable
from mockserver.server.access_log import AccessLog
from mockserver.server.middleware.faults import NO_ANSWER
from mockserver.server.middleware.status import StatusRecordingSend
from mockserver.server.middleware.target import is_own_path

logger = logging.getLogger("mockserver")

VIOLATIONS = "mockserver.violations"  # scope["extensions"]: what the proxy found in an exchange
SOURCE = "mockserver.source"  # scope["extensions"]: who answered behind the proxy (--fallback)


def cors_policy(app: ASGIApp, origins: list[str]) -> CORSMiddleware:
    """Starlette's CORS rules for ``origins`` (any method and header, preflights cached 10 min)."""
    return CORSMiddleware(app, allow_origins=origins, allow_methods=["*"], allow_headers=["*"],
                          max_age=600)


def answered(scope: Scope, status: StatusRecordingSend) -> int:
    """The status the client got: 0 when a fault cut the connection instead."""
    return 0 if scope["extensions"].get(NO_ANSWER) else status.status


class BodyRecorder:
    """``receive``, keeping the request body's chunks up to the journal's limit."""

    __slots__ = ("chunks", "receive", "recorded")

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.chunks: list[bytes] = []
        self.recorded = 0

    async def __call__(self) -> Message:
        message = await self.receive()
        if message["type"] == "http.request" and self.recorded < BODY_LIMIT:
            self.chunks.append(message.get("body", b"")[:BODY_LIMIT - self.recorded])
            self.recorded += len(self.chunks[-1])
        return message


class ExchangeLog:
    def __init__(self, app: ASGIApp, journal: Journal, cors_origins: list[str] | None = None,
                 access_log: AccessLog | None = None, redaction: Redaction | None = None) -> None:
        self.app = app
        self.journal = journal
        self.redaction = redaction or Redaction()
        self.cors = cors_policy(app, cors_origins) if cors_origins is not None else None
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        scope.setdefault("extensions", {})
        status_send = StatusRecordingSend(send)
        shown = self.redaction.query(scope.get("query_string", b""))  # as the journal and the log show it
        path = scope.get("root_path", "") + scope["path"]  # before routing moves a base path to root_path
        try:
            if self.cors is not None and any(name == b"origin" for name, _ in scope["headers"]):
                await self._cross_origin(scope, receive, status_send, shown)
            else:
                await self._journaled(scope, receive, status_send, status_send, shown)
        finally:
            if self.access_log is not None:
                self.access_log.log(scope, answered(scope, status_send), shown, path)

    async def _cross_origin(self, scope: Scope, receive: Receive, status: StatusRecordingSend,
                            shown: bytes) -> None:
        assert self.cors is not None
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            response = self.cors.preflight_response(request_headers=headers)
            return await response(scope, receive, status)
        with_cors = functools.partial(self.cors.send, send=status, request_headers=headers)
        await self._journaled(scope, receive, with_cors, status, shown)

    async def _journaled(self, scope: Scope, receive: Receive, send: Send,
                         status: StatusRecordingSend, shown: bytes) -> None:
        """Answer through ``send``; ``status`` is the wrapper of it that saw the status; ``shown``
        the query as the journal keeps it."""
        if is_own_path(scope):
            return await self.app(scope, receive, send)
        body = BodyRecorder(receive)
        try:
            await self.app(scope, body, send)
        finally:
            await self._record(Entry(scope["method"], scope["path"], shown, body.chunks,
                                     answered(scope, status), time.time(),
                                     tuple(scope["extensions"].get(VIOLATIONS, ())),
                                     scope["extensions"].get(SOURCE)))

    async def _record(self, entry: Entry) -> None:
        try:
            await self.journal.record(entry)
        except StoreUnavailable as exc:  # the answer is sent; a lost journal entry must not break it
            logger.warning("request not journaled: %s", exc.detail)
