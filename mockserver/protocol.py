"""The HTTP/1.1 protocol the mock serves with: uvicorn's httptools protocol, guarded.

httptools (llhttp, in C) parses requests several times faster than the pure-Python h11, but
uvicorn sets no time limit on a connection that connects and sends nothing or stalls inside a
request head, and llhttp no limit on the size of a head. ``guarded_httptools`` adds both: a
connection whose head takes longer than ``head_timeout`` seconds (from connecting, or from the
first byte of a next request) is closed, and a head over ``MAX_HEAD_BYTES`` is a 400.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 64 * 1024  # request line and headers; browsers send a few KiB at most


class HeadTooLarge(Exception):
    """Raised inside a parser callback: httptools turns it into uvicorn's 400 and a close."""


def guarded_httptools(head_timeout: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with a time limit and a size limit on request heads."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        head_timer: asyncio.TimerHandle | None = None
        head_bytes = 0

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._start_head_timer()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.head_bytes = 0
            if self.head_timer is None:
                self._start_head_timer()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value))
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._stop_head_timer()  # the body has its own timeout (limits.BodyLimits)
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_head_timer()
            super().connection_lost(exc)

        def _count(self, size: int) -> None:
            self.head_bytes += size
            if self.head_bytes > MAX_HEAD_BYTES:
                raise HeadTooLarge(f"request head over {MAX_HEAD_BYTES} bytes")

        def _start_head_timer(self) -> None:
            self.head_timer = self.loop.call_later(head_timeout, self.timeout_keep_alive_handler)

        def _stop_head_timer(self) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
                self.head_timer = None

    return GuardedHttpToolsProtocol
