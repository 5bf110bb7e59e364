"""What the proxy makes of an upstream's answer as it passes it on (``relay``'s ``finish``): the
answer checked against its operation's contract (``core.conformance``; a 5xx is a violation
unless the request already broke the contract), what it shows recorded as fixtures when the
answer broke nothing (``record``, with ``--record``), and how many violations the exchange has
(the ``Mockserver-Violations`` header's count). A check or a record that fails is logged, never
raised into the answer under way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx
from starlette.types import Scope

from mockserver.core.conformance import ResponseContract, Violation
from mockserver.server.proxy.record import Recorder
from mockserver.server.proxy.relay import decoded

logger = logging.getLogger("mockserver.proxy")


@dataclass(frozen=True)
class Exchange:
    """One request the proxy forwards, the upstream's answer, and what breaks the contract so far."""

    scope: Scope
    key: str | None
    request: bytes
    response: httpx.Response
    found: list[Violation]


def check_answer(exchange: Exchange, raw: bytes | None, contract: ResponseContract,
                 recorder: Recorder | None) -> int:
    """Check the answer (``raw``: its body as sent, None when not read whole), record what it
    shows, and say how many violations the exchange has."""
    key, response, found = exchange.key, exchange.response, exchange.found
    if key is None:
        return len(found)
    try:
        body = decoded(raw, response.headers.get("content-encoding")) if raw is not None else None
        before = len(found)
        if response.status_code >= 500 and not any(v.direction == "request" for v in found):
            found.append(contract.server_error(key, response.status_code))
        query = dict(parse_qsl(exchange.scope.get("query_string", b"").decode("latin-1")))
        found.extend(contract.check(key, response.status_code, response.headers.get("content-type"),
                                    body, query, exchange.scope["path"]))
        if recorder is not None and body is not None and len(found) == before:
            recorder.seen(key, exchange.scope, exchange.request, response.status_code, body)
    except Exception:  # a check or a record that failed must not break the answer under way
        logger.exception("checking or recording the answer to %s failed", key)
    return len(found)
