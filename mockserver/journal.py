"""The request journal: a bounded ring of recent requests to the AgentOS API, for the admin API.

``JournalMiddleware`` records method, path, query, body (as far as the mock read it, up to
``BODY_LIMIT`` bytes, as JSON when it parses: a request refused before its body was read, such as
a 401, has none) and the final status of every request outside the mock's own paths. The ring
keeps the newest ``size`` entries, so memory stays bounded however long the mock runs. Entries
are kept as they arrived and turned into JSON-able dicts only when listed, off the request path.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_LIMIT = 64 * 1024
UNJOURNALED_PREFIXES = ("/__mockserver", "/docs")


class Entry(NamedTuple):
    """One request as it arrived; ``as_dict`` is what the admin API lists."""

    method: str
    path: str
    query_string: bytes
    chunks: list[bytes]
    status: int
    seconds: float  # since the epoch

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "path": self.path,
            "query": dict(parse_qsl(self.query_string.decode("latin-1"))),
            "body": _body(self.chunks), "status": self.status,
            "time": datetime.fromtimestamp(self.seconds, UTC).isoformat(timespec="milliseconds"),
        }


class Journal:
    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        return [entry.as_dict() for entry in self._entries]

    def clear(self) -> None:
        self._entries.clear()


def _body(chunks: Iterable[bytes]) -> Any:
    raw = b"".join(chunks)[:BODY_LIMIT]
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


class JournalMiddleware:
    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNJOURNALED_PREFIXES):
            return await self.app(scope, receive, send)
        chunks: list[bytes] = []
        recorded = 0
        status = 500  # what the client gets if the app fails before answering

        async def recording_receive() -> Message:
            nonlocal recorded
            message = await receive()
            if message["type"] == "http.request" and recorded <= BODY_LIMIT:
                chunks.append(message.get("body", b""))
                recorded += len(chunks[-1])
            return message

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, recording_receive, recording_send)
        finally:
            self.journal.record(Entry(scope["method"], scope["path"], scope.get("query_string", b""),
                                      chunks, status, time.time()))
