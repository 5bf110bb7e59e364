"""``JournalMiddleware``: records every request outside the mock's own paths in the ``Journal``
(and, as the outermost middleware of the mock's, gives each request its ``extensions`` dict).

The body is recorded as far as the app read it: a request refused before its body was read, such
as a 401, has none (reading ahead would hang on a trickled body).
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core.journal import BODY_LIMIT, Entry, Journal
from mockserver.errors import StoreUnavailable
from mockserver.server.middleware.status import StatusRecordingSend

logger = logging.getLogger("mockserver")

UNJOURNALED_PREFIXES = ("/__mockserver", "/docs")


class JournalMiddleware:
    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Routing records the operation in scope["extensions"]; a dict made here is shared by the
        # scopes below, so that the error renderer, outside routing, knows the operation too.
        scope.setdefault("extensions", {})
        if scope["type"] != "http" or scope["path"].startswith(UNJOURNALED_PREFIXES):
            return await self.app(scope, receive, send)
        chunks: list[bytes] = []
        recorded = 0

        async def recording_receive() -> Message:
            nonlocal recorded
            message = await receive()
            if message["type"] == "http.request" and recorded <= BODY_LIMIT:
                chunks.append(message.get("body", b""))
                recorded += len(chunks[-1])
            return message

        recording_send = StatusRecordingSend(send)
        try:
            await self.app(scope, recording_receive, recording_send)
        finally:
            await self._record(Entry(scope["method"], scope["path"], scope.get("query_string", b""),
                                     chunks, recording_send.status, time.time()))

    async def _record(self, entry: Entry) -> None:
        try:
            await self.journal.record(entry)
        except StoreUnavailable as exc:  # the answer is sent; a lost journal entry must not break it
            logger.warning("request not journaled: %s", exc.detail)
