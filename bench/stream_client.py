"""A raw-socket asyncio client for streamed runs: one ``POST /agents/{id}/runs`` with ``stream=true``
over a keep-alive connection, its chunked event stream read as it arrives.

It notes when the first event and the last byte of the stream arrived, counted from the moment the
request was written, and the events' names. Every read has a timeout, so a stalled stream ends the
run as an error rather than hanging the bench. Loopback only.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

READ_TIMEOUT_SECONDS = 30.0


@dataclass
class StreamedRun:
    first_event_s: float | None = None
    last_event_s: float | None = None
    events: list[str] = field(default_factory=list)
    status: int = 0

    @property
    def complete(self) -> bool:
        return self.status == 200 and bool(self.events) and self.events[-1] == "RunCompleted"


def run_request(agent: str, message: str, key: str, port: int) -> bytes:
    body = urlencode({"message": message, "stream": "true"}).encode()
    head = (f"POST /agents/{agent}/runs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {key}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


class StreamConnection:
    """One keep-alive connection that runs streams one after another."""

    def __init__(self, port: int, request: bytes) -> None:
        self.port, self.request = port, request
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _read(self, coroutine: object) -> bytes:
        return await asyncio.wait_for(coroutine, READ_TIMEOUT_SECONDS)  # type: ignore[arg-type]

    async def start(self, run: StreamedRun) -> float:
        """Send the run and read the answer's head; returns the moment the request was written."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        started = time.perf_counter()
        self.writer.write(self.request)
        head = await self._read(self.reader.readuntil(b"\r\n\r\n"))
        run.status = int(head.split(b" ", 2)[1])
        if b"transfer-encoding: chunked" not in head.lower():
            raise ValueError(f"expected a chunked event stream, got {head[:200]!r}")
        return started

    async def read_events(self, run: StreamedRun, started: float, until_first: bool = False) -> None:
        """Read the stream's chunks to its end (or only to its first event), noting the events."""
        assert self.reader is not None
        buffer = b""
        while True:
            size = int((await self._read(self.reader.readuntil(b"\r\n"))).strip(), 16)
            data = await self._read(self.reader.readexactly(size + 2))
            now = time.perf_counter() - started
            if size == 0:
                return
            buffer += data[:-2]
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                for line in block.split(b"\n"):
                    if line.startswith(b"event: "):
                        run.events.append(line[7:].decode())
                        run.first_event_s = run.first_event_s or now
                        run.last_event_s = now
            if until_first and run.events:
                return

    async def run(self) -> StreamedRun:
        """One whole streamed run; on any failure the connection is dropped and the run incomplete."""
        run = StreamedRun()
        try:
            started = await self.start(run)
            await self.read_events(run, started)
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
            self.close()
        return run

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None
