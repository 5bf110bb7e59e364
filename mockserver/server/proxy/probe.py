"""Requests checked by the mock's own validation, without answering them.

``RequestProbe`` is the mock's Connexion app (the same routing, credential checks, parameter and
body validators, the same error rendering) in which every operation's handler only says the
request reached it (``connexion_adapter.valid_request_handler``). The proxy hands it a copy of each
request: a request that gets through is valid; one that does not comes back as the mock's own
error answer, with the ``ApiError`` behind it (its sentence and pointer) for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.types import Message, Scope

from mockserver.config import Config
from mockserver.core.spec import Spec
from mockserver.engine.error_bodies import ErrorBodies
from mockserver.errors import ApiError
from mockserver.server import connexion_adapter
from mockserver.server.routed_app import connexion_app

PROBE_ERROR = "mockserver.probe_error"  # the scope["extensions"] key of the error a probe met


class RequestRefused(ApiError):
    """A request the mock's stack refused without an error of its own (none is known to)."""


@dataclass(frozen=True)
class ProbeAnswer:
    """What the mock's validation made of a request: None for a valid one, else the error and the
    mock's answer to it (status, headers, body)."""

    error: ApiError | None
    status: int = 204
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""


class RequestProbe:
    def __init__(self, config: Config, specs: list[Spec], errors: ErrorBodies,
                 requires_credentials: bool, encodings: Mapping[str, Sequence[str]] | None = None) -> None:
        render = connexion_adapter.error_renderer(connexion_adapter.DocumentedRoutes(*specs), errors.render)

        async def remember_and_render(request: Any, exc: Exception) -> Any:
            request.scope["extensions"][PROBE_ERROR] = connexion_adapter.as_api_error(request, exc)
            return await render(request, exc)

        self.app = connexion_app(config, specs, connexion_adapter.valid_request_handler, requires_credentials,
                                 remember_and_render, encodings=encodings)

    async def check(self, scope: Scope, body: bytes) -> ProbeAnswer:
        """Run the request (``scope`` with its whole ``body``) through the mock's validation."""
        extensions: dict[str, Any] = {}
        probe_scope = {**scope, "extensions": extensions}
        sent: list[Message] = []
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await self.app(probe_scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        headers = tuple(start.get("headers", ()))
        if any(name == connexion_adapter.VALID_REQUEST.encode() for name, _ in headers):
            return ProbeAnswer(None)
        error = extensions.get(PROBE_ERROR) or RequestRefused("the request was refused",
                                                              status=start["status"])
        answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return ProbeAnswer(error, start["status"], headers, answer)
