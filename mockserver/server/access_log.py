"""The access log: one line per request on standard output, as uvicorn writes it, in batches.

uvicorn's own access log sends every line through ``logging`` and flushes the stream per line,
which cost the mock about 15 % of its throughput (bench/README.md). ``AccessLog`` formats the
same line itself and writes what has gathered at most ``FLUSH_SECONDS`` later, in one write.
The ``ExchangeLog`` middleware (``middleware.exchange_log``) calls ``log`` once a request is answered.
"""

from __future__ import annotations

import asyncio
import sys
from http import HTTPStatus
from typing import TextIO

from starlette.types import Scope

FLUSH_SECONDS = 0.05  # a person watching the terminal sees no delay; a busy mock writes in batches


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


PHRASES = {status: _phrase(status) for status in range(100, 600)}


class AccessLog:
    """Lines of ``INFO:     client - "METHOD path HTTP/1.1" status phrase``, written in batches to
    ``stream`` (standard output unless given)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.pending: list[str] = []

    def log(self, scope: Scope, status: int, query_string: bytes = b"", path: str | None = None) -> None:
        """Log the request ``scope`` answered with ``status``; ``query_string`` is its query as it
        may be shown (credentials redacted); ``path`` the path as it came, taken before routing
        (a mount then puts its prefix in ``root_path`` and leaves it in ``path`` too)."""
        client = scope.get("client")
        if path is None:
            path = scope.get("root_path", "") + scope["path"]
        if query_string:
            path += "?" + query_string.decode("latin-1")
        if not path.isprintable():  # a decoded %0A must not forge a log line
            path = path.encode("unicode_escape").decode("ascii")
        self.pending.append(
            f'INFO:     {client[0] if client else "-"}:{client[1] if client else 0} - '
            f'"{scope["method"]} {path} HTTP/{scope["http_version"]}" {status} {PHRASES.get(status, "")}\n'
        )
        if len(self.pending) == 1:
            asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        lines, self.pending = self.pending, []
        stream = self.stream or sys.stdout
        stream.write("".join(lines))
        stream.flush()
