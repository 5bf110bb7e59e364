"""The HTTP/1.1 protocol the mock serves with: uvicorn's httptools protocol, guarded.

httptools (llhttp, in C) parses requests several times faster than the pure-Python h11, but
uvicorn sets no time limit on a connection that connects and sends nothing, stalls inside a
request head or stops half-way through a body, and llhttp no limit on the size of a head.
``guarded_httptools(timeout)`` adds them: a head must arrive within ``timeout`` seconds (from
connecting, or from the first byte of a next request), or the connection is closed; a head over
``MAX_HEAD_BYTES`` is a 400; and a body whose next part takes longer than ``timeout`` marks the
request's ``limits.BodyClock`` expired, which ``limits.BodyLimits`` answers with a 408. Timing
the body here costs nothing per request when the body comes with the head, unlike a timeout
around every ``receive()``. Each request also carries a ``faults.Connection``: what the network
faults (``Prefer: fault=reset|empty``) do to the connection.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Callable
from typing import Any, cast

from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mockserver.server.middleware.faults import CONNECTION, Connection
from mockserver.server.middleware.limits import BODY_CLOCK, BodyClock

MAX_HEAD_BYTES = 64 * 1024  # request line and headers; browsers send a few KiB at most


class HeadTooLarge(Exception):
    """Raised inside a parser callback: httptools turns it into uvicorn's 400 and a close."""


class WatchedFlowControl(FlowControl):
    """uvicorn's flow control, calling ``on_resume`` when the app resumes a paused read."""

    def __init__(self, transport: asyncio.Transport, on_resume: Callable[[], None]) -> None:
        super().__init__(transport)
        self.on_resume = on_resume

    def resume_reading(self) -> None:
        was_paused = self.read_paused
        super().resume_reading()
        if was_paused:
            self.on_resume()


def guarded_httptools(timeout: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with time limits on heads and bodies and a size limit on heads."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        head_timer: asyncio.TimerHandle | None = None
        body_timer: asyncio.TimerHandle | None = None
        body_clock: BodyClock | None = None
        head_bytes = 0

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self.flow = WatchedFlowControl(transport, on_resume=self._watch_body)
            self.head_timer = self.loop.call_later(timeout, self.timeout_keep_alive_handler)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch_body()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.head_bytes = 0
            if self.head_timer is None:
                self.head_timer = self.loop.call_later(timeout, self.timeout_keep_alive_handler)

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value))
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            _cancel(self.head_timer)
            self.head_timer = None
            self.body_clock = BodyClock()
            # uvicorn types extension values as dicts (ASGI's convention); under its own key the
            # mock keeps the BodyClock object itself.
            extensions = cast("dict[str, Any]", self.scope.setdefault("extensions", {}))
            extensions[BODY_CLOCK] = self.body_clock
            connection = Connection(lambda: self._reset(cycle), lambda: self._close(cycle))
            extensions[CONNECTION] = connection
            super().on_headers_complete()
            cycle = self.cycle  # this request's (with pipelining, self.cycle moves on)

        def _reset(self, cycle: Any) -> None:
            """Reset the connection (RST): the client sees it refused mid-request."""
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            _given_up(cycle)
            self.transport.abort()

        def _close(self, cycle: Any) -> None:
            """Close the connection without a response (FIN)."""
            _given_up(cycle)
            self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            _cancel(self.head_timer)
            _cancel(self.body_timer)
            self.head_timer = self.body_timer = None
            super().connection_lost(exc)

        def _count(self, size: int) -> None:
            self.head_bytes += size
            if self.head_bytes > MAX_HEAD_BYTES:
                raise HeadTooLarge(f"request head over {MAX_HEAD_BYTES} bytes")

        def _body_pending(self) -> bool:
            cycle = self.cycle
            return cycle is not None and cycle.more_body and not cycle.response_complete

        def _watch_body(self) -> None:
            """(Re)start the body timer while the client owes body bytes; stop it otherwise.

            While reading is paused the app, not the client, is behind: no timer then.
            """
            _cancel(self.body_timer)
            self.body_timer = None
            if self._body_pending() and not self.flow.read_paused and not self.transport.is_closing():
                self.body_timer = self.loop.call_later(timeout, self._body_stalled)

        def _body_stalled(self) -> None:
            self.body_timer = None
            if self._body_pending() and self.body_clock is not None:
                self.body_clock.expired = True
                self.cycle.keep_alive = False  # the rest of that body must not be read as a request
                self.cycle.message_event.set()  # wake a receive() waiting for the body

    return GuardedHttpToolsProtocol


def _given_up(cycle: Any) -> None:
    """uvicorn must not answer for the app (its 500) nor read on after a cut connection."""
    cycle.disconnected = True
    cycle.keep_alive = False


def _cancel(timer: asyncio.TimerHandle | None) -> None:
    if timer is not None:
        timer.cancel()
