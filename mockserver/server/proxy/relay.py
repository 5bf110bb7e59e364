"""Passing the upstream's answer on to the client, part by part as it comes.

``relay`` calls ``finish`` with the body as sent (up to ``CHECKED_BYTES``; None when it was not
read whole, as for an event stream or a longer body) before the client has the last part, so
that the check and the recording are done when the client is. An event stream goes on event by
event, and stops when the client goes away. With the violations header the body is read first
(up to ``CHECKED_BYTES``), so that the count can go in the head.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncGenerator, Callable

import anyio
import httpx
from starlette.types import Message, Receive, Send

from mockserver.core.conformance import media_type
from mockserver.server.proxy.upstream import Upstream, forwarded

CHECKED_BYTES = 4 * 1024 * 1024  # a longer body is passed on, not checked
Finish = Callable[[bytes | None], int]  # the body as sent -> how many violations the exchange has


def decoded(body: bytes, encoding: str | None) -> bytes | None:
    """A body as its media type reads it; None for an encoding the proxy does not decode, or a
    body that would decompress past ``CHECKED_BYTES``."""
    if not encoding or encoding == "identity":
        return body
    if encoding not in ("gzip", "deflate"):
        return None
    for wbits in (47, -15):  # gzip or zlib by its header, else raw deflate
        inflater = zlib.decompressobj(wbits)
        try:
            text = inflater.decompress(body, CHECKED_BYTES)
        except zlib.error:
            continue
        return None if inflater.unconsumed_tail else text
    return None


async def relay(response: httpx.Response, send: Send, receive: Receive, finish: Finish,
                count_in_head: bool, *, chunks: AsyncGenerator[bytes, None] | None = None,
                headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """``chunks``: the body still to come, when a part of it was read already (``fallback``);
    ``headers``: the proxy's own, added to the upstream's."""
    head: Message = {"type": "http.response.start", "status": response.status_code,
                     "headers": [*forwarded(response.headers.raw), *headers]}
    chunks = chunks if chunks is not None else Upstream.chunks(response)
    if media_type(response.headers.get("content-type")) == "text/event-stream":
        return await _stream(head, chunks, send, receive, finish)
    kept, held = bytearray(), b""
    if count_in_head:
        async for chunk in chunks:
            kept += chunk
            if len(kept) > CHECKED_BYTES:
                break
        whole = len(kept) <= CHECKED_BYTES
        head["headers"] = [*head["headers"], (b"mockserver-violations",
                                              str(finish(bytes(kept) if whole else None)).encode())]
        await send(head)
        if whole:
            return await send({"type": "http.response.body", "body": bytes(kept)})
        held, kept = bytes(kept), bytearray()
    else:
        await send(head)
    async for chunk in chunks:  # the latest part is held back until the next comes
        if len(kept) <= CHECKED_BYTES:
            kept += chunk
        if held:
            await send({"type": "http.response.body", "body": held, "more_body": True})
        held = chunk
    if not count_in_head:
        finish(bytes(kept) if len(kept) <= CHECKED_BYTES else None)
    await send({"type": "http.response.body", "body": held})


async def _stream(head: Message, chunks: AsyncGenerator[bytes, None], send: Send, receive: Receive,
                  finish: Finish) -> None:
    await send(head)
    async with anyio.create_task_group() as group:
        async def until_the_client_leaves() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            group.cancel_scope.cancel()

        group.start_soon(until_the_client_leaves)
        async for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        group.cancel_scope.cancel()
    await chunks.aclose()  # a client that left: the upstream's stream is closed too
    finish(None)
    await send({"type": "http.response.body", "body": b""})
