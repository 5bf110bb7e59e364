"""A request's Content-Type as Connexion needs it: a body without one read as JSON, as FastAPI (so
AgentOS) does; no body and no Content-Type, to an operation that takes forms, an empty form; a
multipart body without a boundary, a 400."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.core.pointers import follow_refs
from mockserver.core.spec import Spec
from mockserver.errors import BadRequest
from mockserver.server.connexion_adapter.routing import routed_operation_id

FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


EMPTY_MULTIPART = b"; boundary=mockserver"  # an empty body parses as a form without parts


def has_body(scope: Scope) -> bool:
    """Whether a request says it has a body (a length above 0, or chunks)."""
    headers = dict(scope["headers"])
    return headers.get(b"content-length", b"0").strip() not in (b"0", b"") or b"transfer-encoding" in headers


class AssumeJSONContentType:
    """A body without Content-Type is read as JSON, as FastAPI (so AgentOS) does; a request without
    a body or a Content-Type, to an operation that takes forms, as an empty form (Connexion's form
    validator needs a Content-Type). A multipart body without a boundary is a 400 (Starlette's form
    parser fails on it).

    Connexion validates such a body as JSON but hands the handler bytes.
    """

    def __init__(self, app: ASGIApp, forms: dict[str, str] | None = None) -> None:
        self.app = app
        self.forms = forms or {}  # operation key -> the form media type it takes first

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            content_type = next((v for k, v in scope["headers"] if k == b"content-type"), None)
            if content_type is None:
                form = self.forms.get(routed_operation_id(scope) or "") if not has_body(scope) else None
                assumed = b"application/json" if form is None else form.encode() + (
                    EMPTY_MULTIPART if form.startswith("multipart/") else b"")
                scope = {**scope, "headers": [*scope["headers"], (b"content-type", assumed)]}
            elif content_type.lower().startswith(b"multipart/") and b"boundary=" not in content_type.lower():
                raise BadRequest("A multipart body needs a boundary parameter in its Content-Type")
        await self.app(scope, receive, send)


def form_operations(spec: Spec) -> dict[str, str]:
    """Operation key -> the form media type its request body lists first, for operations whose
    request body is a form."""
    forms: dict[str, str] = {}
    for operation in spec.operations():
        body = follow_refs(spec.raw, operation.definition.get("requestBody") or {})
        media = next(iter(body.get("content") or {}), "")
        if media.startswith(FORM_MEDIA_TYPES):
            forms[operation.key] = media
    return forms
