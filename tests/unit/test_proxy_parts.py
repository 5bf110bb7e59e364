"""Parts of the proxy and the faults that guard against hostile input: bounded decompression and
a malformed fault that never adds a body where none may be (file names from request data:
tests/unit/test_record.py)."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

from mockserver.server.middleware.faults import MalformedSend
from mockserver.server.proxy.relay import CHECKED_BYTES, decoded


def test_a_compressed_body_is_read_within_the_checked_size() -> None:
    assert decoded(gzip.compress(b'{"a": 1}'), "gzip") == b'{"a": 1}'
    bomb = gzip.compress(b"0" * (CHECKED_BYTES * 3))
    assert len(bomb) < CHECKED_BYTES // 100 and decoded(bomb, "gzip") is None
    assert decoded(b"not gzip at all", "gzip") is None
    assert decoded(b"x", "br") is None and decoded(b"x", None) == b"x"


def test_malformed_passes_on_an_answer_without_a_body_and_an_event_stream() -> None:
    def sent_for(status: int, content_type: bytes, body: bytes) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        async def answer() -> None:
            malformed = MalformedSend(send)
            await malformed({"type": "http.response.start", "status": status,
                             "headers": [(b"content-type", content_type)]})
            await malformed({"type": "http.response.body", "body": body})

        asyncio.run(answer())
        return sent

    assert [m.get("body") for m in sent_for(204, b"application/json", b"")] == [None, b""]
    assert [m.get("body") for m in sent_for(200, b"text/event-stream", b"data: x\n\n")] == [None, b"data: x\n\n"]
    cut = sent_for(200, b"application/json", b'{"a": 1}')
    assert cut[1]["body"] == b'{"a"' and (b"content-length", b"4") in cut[0]["headers"]
