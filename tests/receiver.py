"""A real HTTP server on 127.0.0.1 that receives the mock's callbacks and webhooks, for tests.

It records each request (method, path with query, headers, JSON body, arrival time) in a queue and
answers with the next of ``statuses`` (then ``200``), each answer held until ``gate`` is set when a
test holds it (bounded: ``HOLD_SECONDS``). Readiness is polled with a deadline; every wait is bounded.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEADLINE_SECONDS = 10.0
HOLD_SECONDS = 10.0


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    arrived: float  # time.monotonic()


@dataclass
class Receiver:
    url: str
    received: queue.Queue[Received] = field(default_factory=queue.Queue)
    statuses: list[int] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=dict)
    gate: threading.Event | None = None

    def next(self, timeout: float = DEADLINE_SECONDS) -> Received:
        """The next request received, waiting at most ``timeout`` seconds."""
        return self.received.get(timeout=timeout)

    def count(self) -> int:
        return self.received.qsize()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _receive(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            receiver.received.put(Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                           body, time.monotonic()))
            if receiver.gate is not None:
                receiver.gate.wait(HOLD_SECONDS)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            content = json.dumps(receiver.answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):  # a sender that gave up on a held answer
                self.close_connection = True

        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET = _receive

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


@contextmanager
def receiving(**settings: Any) -> Iterator[Receiver]:
    """A receiver on a free loopback port, stopped on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver := Receiver("", **settings)))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:  # polled with a deadline: the port accepts connections
        try:
            socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
    try:
        yield receiver
    finally:
        if receiver.gate is not None:
            receiver.gate.set()
        server.shutdown()
        server.server_close()
        thread.join(DEADLINE_SECONDS)
