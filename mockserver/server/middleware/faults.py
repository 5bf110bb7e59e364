"""Network faults, asked for per request (``Prefer: fault=NAME``) or drawn for a fraction of
requests (``--faults RATE``, reproducible with ``--seed``):

- ``reset``: the connection is reset (TCP RST) before any answer; the request is not carried out.
- ``empty``: the connection is closed without an answer; the request is not carried out.
- ``malformed``: the request is carried out; its answer keeps its status and headers but only the
  first half of its body (``Content-Length`` says so): JSON that does not parse.
- ``dribble``: the request is carried out; its body arrives in ``DRIBBLE_PARTS`` parts spread over
  ``DRIBBLE_SECONDS``.

Never on the admin API or the docs page. ``reset`` and ``empty`` act on the connection, which the
server's protocol (``server.protocol``) hands each request as a ``Connection``; without one (an
in-process test client) they are a 400 saying so.

In the middle of a stream: on an operation that documents an event stream, the request is carried
out; a streamed answer (``core.streams.Streamed``) is cut after half of its parts (``reset`` and
``empty`` there act on the connection, ``malformed`` sends half of the next part and ends the
body), and any other answer is cut where it would start. ``dribble`` sends each part slowly.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from starlette.types import Message, Scope, Send

from mockserver.errors import BadRequest
from mockserver.server.middleware.prefer import preferences, sleep
from mockserver.server.middleware.target import is_own_path

FAULTS = ("reset", "empty", "malformed", "dribble")
CONNECTION = "mockserver.connection"  # the scope["extensions"] key of a request's Connection
NO_ANSWER = "mockserver.no_answer"  # set when a fault cut the connection instead of answering
FAULT = "mockserver.fault"  # the scope["extensions"] key of the fault a stream is to meet midway
DRIBBLE_PARTS = 8
DRIBBLE_SECONDS = 1.0


class Connection:
    """What a fault may do to the connection a request came on."""

    __slots__ = ("close", "reset")

    def __init__(self, reset: Callable[[], None], close: Callable[[], None]) -> None:
        self.reset = reset
        self.close = close


class Faults:
    """Which fault, if any, a request gets: the one it asks for, else one drawn at ``rate``."""

    def __init__(self, rate: float = 0.0, seed: int | None = None) -> None:
        self.rate = rate
        self.draw = random.Random(seed)

    def pick(self, scope: Scope) -> str | None:
        if is_own_path(scope):
            return None
        asked = preferences(scope).get("fault")
        if asked is not None:
            if asked not in FAULTS:
                raise BadRequest(f"Prefer: fault={asked} is not a fault the mock knows; "
                                 f"known: {', '.join(FAULTS)}")
            return asked
        if self.rate and self.draw.random() < self.rate:
            return self.draw.choice(FAULTS)
        return None


def connection_of(fault: str, scope: Scope) -> Connection:
    """The request's connection (``BadRequest`` without one)."""
    connection: Connection | None = (scope.get("extensions") or {}).get(CONNECTION)
    if connection is None:
        raise BadRequest(f"Prefer: fault={fault} needs a network connection: serve the mock with "
                         "`mockserver run`")
    return connection


def cut_connection(fault: str, scope: Scope, answered: bool = False) -> None:
    """Reset or close the request's connection (``BadRequest`` without one); unless an answer had
    started, the journal and the access log show status 0, no answer."""
    connection = connection_of(fault, scope)
    if not answered:
        scope["extensions"][NO_ANSWER] = True
    connection.reset() if fault == "reset" else connection.close()


def stream_fault(scope: Scope) -> str | None:
    """The fault a streamed answer to this request is to meet midway, if any."""
    fault: str | None = (scope.get("extensions") or {}).get(FAULT)
    return fault


def is_event_stream(message: Message) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/event-stream")
               for name, value in message.get("headers", ()))


class CutUnlessStreamed:
    """``send`` for a request to an operation that may stream, given ``reset`` or ``empty``: an
    event stream goes on (its renderer cuts it midway, ``stream_fault``); any other answer is
    cut where it would start."""

    def __init__(self, send: Send, fault: str, scope: Scope) -> None:
        self.send, self.fault, self.scope = send, fault, scope
        self.streaming: bool | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.streaming = is_event_stream(message)
            if not self.streaming:
                cut_connection(self.fault, self.scope)
        if self.streaming:
            await self.send(message)


class MalformedSend:
    """``send``, passing on the start of the answer with half of its body. An answer that may have
    no body (204, 304) and an event stream go on as they are."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] in (204, 304) or is_event_stream(message):
                return await self.send(message)  # a stream is cut midway by its renderer
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            return await self.send(message)
        self.body += message.get("body", b"")
        if message.get("more_body"):
            return
        cut = self.body[:len(self.body) // 2] if len(self.body) > 1 else b"{"
        headers = [(name, value) for name, value in self.start.get("headers", [])
                   if name.lower() != b"content-length"]
        await self.send({**self.start, "headers": [*headers, (b"content-length", str(len(cut)).encode())]})
        await self.send({"type": "http.response.body", "body": cut})


class DribbleSend:
    """``send``, passing on the answer's body in ``DRIBBLE_PARTS`` parts, slowly."""

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Message) -> None:
        body = message.get("body", b"")
        if message["type"] != "http.response.body" or len(body) < 2:
            return await self.send(message)
        size = max(1, -(-len(body) // DRIBBLE_PARTS))
        parts = [body[start:start + size] for start in range(0, len(body), size)]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self.send({"type": "http.response.body", "body": part,
                             "more_body": message.get("more_body", False) if last else True})
            if not last:
                await sleep(DRIBBLE_SECONDS / DRIBBLE_PARTS)


def faulty_send(fault: str, send: Send) -> Send:
    """``send`` for an answer damaged by ``fault`` (malformed or dribble)."""
    return MalformedSend(send) if fault == "malformed" else DribbleSend(send)
