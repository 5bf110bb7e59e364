"""``ProxyApp``: each request checked by the mock's validation (``probe``), forwarded to the real
server (``upstream``), its answer passed on as it comes (``relay``) and checked against the
documents (``answer_check``, by ``core.conformance``); what breaks the contract is reported
(``report``), journaled (the ``ExchangeLog`` puts it in the journal entry) and, with ``--record``,
what the answers show is kept as fixtures (``answer_check``, by ``record``).

No mocked answer unless asked: with ``--strict`` a request that breaks the spec is refused with the
mock's own error answer (a 422, 401, ...) and not forwarded (a request for an undocumented operation
is still forwarded); otherwise everything is forwarded. An upstream that fails before answering is
raised (a 502 or 504, rendered in the operation's error shape); one that fails in the middle of
an answer cuts the client's connection. Either is logged and counted. With ``--fallback`` the
stateful mock answers a documented operation the upstream lacks (``fallback``), and each answer
says who gave it (``Mockserver-Source``, the journal's ``source``, the report's counts).
"""

from __future__ import annotations

import functools
import json

from starlette.types import Message, Receive, Scope, Send

from mockserver.core.conformance import ResponseContract, Violation
from mockserver.core.journal import Journal
from mockserver.errors import ApiError
from mockserver.server.connexion_adapter import DocumentedRoutes
from mockserver.server.middleware.exchange_log import SOURCE, VIOLATIONS
from mockserver.server.middleware.status import StatusRecordingSend
from mockserver.server.proxy.answer_check import Exchange, check_answer
from mockserver.server.proxy.fallback import SOURCE_HEADER, Fallback
from mockserver.server.proxy.probe import RequestProbe
from mockserver.server.proxy.record import Recorder
from mockserver.server.proxy.relay import relay
from mockserver.server.proxy.report import ViolationReport
from mockserver.server.proxy.upstream import Upstream

JOURNAL_PATH = "/__mockserver/requests"


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
                    headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """Answer with ``body`` as JSON: the proxy's own answers (the journal, its errors)."""
    encoded = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", media.encode()), (b"content-length", str(len(encoded)).encode()), *headers]})
    await send({"type": "http.response.body", "body": encoded})


class ProxyApp:
    def __init__(self, upstream: Upstream, probe: RequestProbe, contract: ResponseContract,
                 routes: DocumentedRoutes, report: ViolationReport, journal: Journal,
                 *, strict: bool, violations_header: bool, recorder: Recorder | None,
                 fallback: Fallback | None = None) -> None:
        self.upstream, self.probe, self.contract, self.routes = upstream, probe, contract, routes
        self.report, self.journal, self.recorder = report, journal, recorder
        self.strict, self.violations_header, self.fallback = strict, violations_header, fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["path"] == JOURNAL_PATH:
            return await self._journal(scope, send)
        key = self.routes.operation(scope["method"], scope["path"])
        found: list[Violation] = []
        answer = StatusRecordingSend(send)
        try:
            await self._exchange(scope, receive, answer, key, found)
        except ApiError as error:  # the upstream failed (BadGateway, GatewayTimeout)
            self.report.upstream_failed(error.detail)
            if not answer.started:
                self._answered_by(scope, "proxy")
                raise  # answered in the operation's error shape (build.RenderedErrors)
        finally:
            scope["extensions"][VIOLATIONS] = tuple(violation.as_dict() for violation in found)
            self.report.add(key or f"{scope['method']} {scope['path']}", found,
                            scope["extensions"].get(SOURCE))

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
                                "headers": [*probe.headers, *self._answered_by(scope, "proxy")]})
                    return await send({"type": "http.response.body", "body": probe.body})
        fallback = self.fallback if self.fallback is not None and self.fallback.covers(key) else None
        raw_path = scope.get("raw_path") or scope["path"].encode()
        try:
            response = await self.upstream.open(scope["method"], raw_path, scope.get("query_string", b""),
                                                scope["headers"], body)
            chunks = Upstream.chunks(response) if fallback is None else await fallback.unread(key, response)
        except ApiError as error:  # --fallback unreachable: the mock answers for an upstream that failed
            if fallback is None or not fallback.when_unreachable:
                raise
            self.report.upstream_failed(error.detail)
            chunks = None
        if chunks is None and fallback is not None:  # the mock answers; only the request is checked
            self._answered_by(scope, "mock")
            counted = ((b"mockserver-violations", b"%d" % len(found)),) if self.violations_header else ()
            return await fallback.answer(scope, body, receive, send, counted)
        finish = functools.partial(check_answer, Exchange(scope, key, body, response, found),
                                   contract=self.contract, recorder=self.recorder)
        await relay(response, send, receive, finish, self.violations_header,
                    chunks=chunks, headers=self._answered_by(scope, "upstream"))

    def _answered_by(self, scope: Scope, source: str) -> tuple[tuple[bytes, bytes], ...]:
        """Note who answers (with ``--fallback``); the header that says so."""
        if self.fallback is None:
            return ()
        scope["extensions"][SOURCE] = source
        return ((SOURCE_HEADER, source.encode()),)

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
                if self.recorder is not None:
                    await self.recorder.close()  # what it has not written yet
                return await send({"type": "lifespan.shutdown.complete"})
