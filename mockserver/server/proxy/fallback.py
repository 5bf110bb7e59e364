"""``proxy --fallback``: the stateful mock answers where the upstream does not.

``Fallback`` holds the mock ``server.app.build_mock`` builds from the proxy's configuration (the
same documents, profile, credentials and ``--fixtures``; no faults or latency of its own: the
proxy's apply) and the policy: which operations may fall back (``--fallback-only``,
``--never-fallback``) and when. An upstream does not implement an operation when it answers 501,
or 404 or 405 with a body that is not the operation's documented answer for that status
(``core.conformance``: the framework's own "Not Found" to a route it lacks, where the documents
promise an error object), or one the profile knows for its framework's own (AgentOS: FastAPI's
``{"detail":"Not Found"}``, which its documented 404 would also fit). With ``unreachable`` an
upstream that cannot be reached or does not answer in time falls back too.

Only requests the mock answers reach it, so its state holds only what was written through it.
The request is replayed to it from the bytes the proxy read (within the body limit,
``max_body_bytes``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncGenerator, Callable, Iterable

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.config import Config
from mockserver.core.conformance import ResponseContract
from mockserver.errors import ConfigError
from mockserver.server.app import build_mock
from mockserver.server.proxy.relay import decoded
from mockserver.server.proxy.upstream import Upstream

logger = logging.getLogger("mockserver.proxy")

SOURCE_HEADER = b"mockserver-source"
UNIMPLEMENTED_STATUSES = (404, 405, 501)
READ_BYTES = 64 * 1024  # a longer 404 or 405 is the server's own answer: relayed, not read whole


async def _replayed(kept: bytes, rest: AsyncGenerator[bytes, None]) -> AsyncGenerator[bytes, None]:
    try:
        if kept:
            yield kept
        async for chunk in rest:
            yield chunk
    finally:
        await rest.aclose()


def checked_keys(flag: str, keys: Iterable[str], known: set[str]) -> frozenset[str]:
    """``keys`` as given to ``flag``; an unknown one stops start-up, naming the flag and it."""
    for key in keys:
        if key not in known:
            raise ConfigError(f"{flag}: no operation of the documents is {key!r} (an operationId, "
                              f"or 'METHOD /path' for an operation without one)")
    return frozenset(keys)


class Fallback:
    def __init__(self, config: Config, contract: ResponseContract, known: set[str],
                 route_missing: Callable[[int, bytes], bool] | None = None) -> None:
        assert config.fallback is not None
        self.route_missing = route_missing  # the profile's: its framework's own "no such route"
        self.when_unreachable = config.fallback == "unreachable"
        self.only = checked_keys("--fallback-only", config.fallback_only, known)
        self.never = checked_keys("--never-fallback", config.never_fallback, known)
        self.contract = contract
        self.app: ASGIApp = build_mock(_mock_config(config)).app

    def covers(self, key: str | None) -> bool:
        """Whether the operation ``key`` (None: undocumented) may fall back."""
        return key is not None and key not in self.never and (not self.only or key in self.only)

    async def unread(self, key: str | None, response: httpx.Response) -> AsyncGenerator[bytes, None] | None:
        """The body of ``response`` still to relay; None when it says the upstream does not
        implement the documented operation ``key`` (it is closed then)."""
        chunks = Upstream.chunks(response)
        status = response.status_code
        if key is None or status not in UNIMPLEMENTED_STATUSES:
            return chunks
        kept = bytearray()
        if status != 501:
            async for chunk in chunks:
                kept += chunk
                if len(kept) > READ_BYTES:
                    return _replayed(bytes(kept), chunks)
            body = decoded(bytes(kept), response.headers.get("content-encoding"))
            if body is None or self._answered(key, status, response.headers.get("content-type"), body):
                return _replayed(bytes(kept), chunks)  # the operation's own answer
        await chunks.aclose()
        await response.aclose()
        logger.info("fallback: the mock answers %s (the upstream answered %d%s)", key, status,
                    "" if status == 501 else " without the documented body")
        return None

    def _answered(self, key: str, status: int, content_type: str | None, body: bytes) -> bool:
        """Whether a 404 or 405 is the operation's own answer: its documented body, and not what the
        profile knows for its framework's answer to a route it lacks."""
        if self.route_missing is not None and self.route_missing(status, body):
            return False
        return not self.contract.check(key, status, content_type, body)

    async def answer(self, scope: Scope, body: bytes, receive: Receive, send: Send,
                     headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        """The mock's answer to the request (its ``body`` read already), marked as the mock's, with
        the proxy's ``headers``."""
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # the client's: a disconnect, which ends a stream
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), (SOURCE_HEADER, b"mock"),
                                                  *headers]}
            await send(message)

        await self.app({**scope, "extensions": {}}, replay, marked)


def _mock_config(config: Config) -> Config:
    """The mock's settings: the proxy's, without the faults and latency the proxy applies itself,
    its admin API off (only documented operations reach the mock)."""
    return dataclasses.replace(config, faults=0.0, latency=None, admin=False)
