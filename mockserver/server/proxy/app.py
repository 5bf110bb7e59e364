"""``ProxyApp``: each request checked by the mock's validation (``probe``), forwarded to the real
server (``upstream``), its answer streamed back unchanged and checked against the documents
(``core.conformance``); what breaks the contract is reported (``report``), journaled (the
``Edge`` puts it in the journal entry) and, with ``--record``, what the answers show is kept as
fixtures (``record``).

Never a mocked answer: with ``--strict`` a request that breaks the spec is refused with the mock's
own error answer (a 422, 401, ...) and not forwarded; otherwise everything is forwarded, and an
unreachable or silent upstream is a 502 or 504 in the operation's error shape.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx
from starlette.types import Message, Receive, Scope, Send

from mockserver.core.conformance import ResponseContract, Violation, media_type
from mockserver.core.journal import Journal
from mockserver.engine.answers import ErrorBodies
from mockserver.errors import ApiError
from mockserver.server.connexion31 import DocumentedRoutes
from mockserver.server.middleware.edge import VIOLATIONS
from mockserver.server.proxy.probe import RequestProbe
from mockserver.server.proxy.record import Recorder
from mockserver.server.proxy.report import ViolationReport
from mockserver.server.proxy.upstream import Upstream, forwarded

CHECKED_BYTES = 4 * 1024 * 1024  # a longer body is passed on, not checked
JOURNAL_PATH = "/__mockserver/requests"


def decoded(body: bytes, encoding: str | None) -> bytes | None:
    """A body as its media type reads it (None: an encoding the proxy does not decode)."""
    if not encoding or encoding == "identity":
        return body
    if encoding in ("gzip", "deflate"):
        try:
            return zlib.decompress(body, wbits=47)  # gzip or zlib, by its header
        except zlib.error:
            return zlib.decompress(body, wbits=-15)  # raw deflate
    return None


async def read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def send_json(send: Send, status: int, body: object, media: str = "application/json",
                    headers: list[tuple[bytes, bytes]] | None = None) -> None:
    encoded = json.dumps(body).encode() if body is not None else b""
    head = [(b"content-type", media.encode()), (b"content-length", str(len(encoded)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*head, *(headers or [])]})
    await send({"type": "http.response.body", "body": encoded})


@dataclass(frozen=True)
class Exchange:
    """One request the proxy forwards, the upstream's answer, and what breaks the contract so far."""

    scope: Scope
    key: str | None
    request: bytes
    response: httpx.Response
    found: list[Violation]


class ProxyApp:
    def __init__(self, upstream: Upstream, probe: RequestProbe, contract: ResponseContract,
                 routes: DocumentedRoutes, errors: ErrorBodies, report: ViolationReport, journal: Journal,
                 *, strict: bool, violations_header: bool, recorder: Recorder | None) -> None:
        self.upstream, self.probe, self.contract, self.routes = upstream, probe, contract, routes
        self.errors, self.report, self.journal, self.recorder = errors, report, journal, recorder
        self.strict, self.violations_header = strict, violations_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["path"] == JOURNAL_PATH:
            return await self._journal(scope, send)
        key = self.routes.operation(scope["method"], scope["path"])
        found: list[Violation] = []
        try:
            await self._exchange(scope, receive, send, key, found)
        except ApiError as error:  # the upstream failed: logged, answered in the operation's shape
            self.report.upstream_failed(error.detail)
            status, body, media = self.errors.render(key, error)
            await send_json(send, status, body, media)
        finally:
            scope["extensions"][VIOLATIONS] = tuple(violation.as_dict() for violation in found)
            self.report.add(key or f"{scope['method']} {scope['path']}", found)

    async def _exchange(self, scope: Scope, receive: Receive, send: Send, key: str | None,
                        found: list[Violation]) -> None:
        body = await read_body(receive)
        if key is None:
            found.append(Violation(f"{scope['method']} {scope['path']}", "request", "",
                                   "undocumented: no operation of the documents has this method and path"))
        else:
            probe = await self.probe.check(scope, body)
            if probe.error is not None:
                found.append(Violation(key, "request", probe.error.pointer, probe.error.detail))
                if self.strict:
                    await send({"type": "http.response.start", "status": probe.status,
                                "headers": list(probe.headers)})
                    return await send({"type": "http.response.body", "body": probe.body})
        target = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        response = await self.upstream.open(scope["method"], target, scope["headers"], body)
        await self._pass_on(Exchange(scope, key, body, response, found), send)

    async def _pass_on(self, exchange: Exchange, send: Send) -> None:
        """Send the answer on as it comes, checked (and recorded) before its last part goes."""
        response = exchange.response
        headers = forwarded(response.headers.raw)
        streamed = media_type(response.headers.get("content-type")) == "text/event-stream"
        if self.violations_header and not streamed:  # the count goes in the head: read the body first
            raw = b"".join([chunk async for chunk in Upstream.chunks(response)])
            self._finish(exchange, raw)
            headers.append((b"mockserver-violations", str(len(exchange.found)).encode()))
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
            return await send({"type": "http.response.body", "body": raw})
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        kept = bytearray()
        held = b""  # the latest part, sent once the next came: the last goes after the check
        async for chunk in Upstream.chunks(response):
            if not streamed and len(kept) <= CHECKED_BYTES:
                kept += chunk
            if streamed:  # events go on as they come
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                continue
            if held:
                await send({"type": "http.response.body", "body": held, "more_body": True})
            held = chunk
        self._finish(exchange, bytes(kept) if not streamed and len(kept) <= CHECKED_BYTES else None)
        await send({"type": "http.response.body", "body": held})

    def _finish(self, exchange: Exchange, raw: bytes | None) -> None:
        """Check the answer (``raw``: its body as sent, None when not read) and record it."""
        key, response, found = exchange.key, exchange.response, exchange.found
        if key is None:
            return
        body = decoded(raw, response.headers.get("content-encoding")) if raw is not None else None
        if response.status_code >= 500 and not any(v.direction == "request" for v in found):
            found.append(self.contract.server_error(key, response.status_code))
        media = response.headers.get("content-type")
        query = dict(parse_qsl(exchange.scope.get("query_string", b"").decode("latin-1")))
        found.extend(self.contract.check(key, response.status_code, media, body, query))
        if self.recorder is not None and body is not None:
            self.recorder.seen(key, exchange.scope, exchange.request, response.status_code, body)

    async def _journal(self, scope: Scope, send: Send) -> None:
        if scope["method"] == "DELETE":
            await self.journal.clear()
            await send({"type": "http.response.start", "status": 204, "headers": []})
            return await send({"type": "http.response.body", "body": b""})
        await send_json(send, 200, await self.journal.entries())

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: Message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.upstream.close()
                return await send({"type": "lifespan.shutdown.complete"})
