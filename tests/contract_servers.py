"""Deliberately broken servers, each breaking one promise of the contract, for `contract` to catch.

Each wraps the mock's ASGI app and changes one thing: errors as problem+json, a required
response field dropped, a 500 for a valid summary, or any token accepted although a key is set.
The lifecycle breakers break a promise of the resources instead, for any collection of integer
ids (the petstore's): a create answering an id it did not store, a DELETE that leaves the item,
a PATCH that replaces, a list whose pages overlap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

Message = dict[str, Any]
ASGI = Callable[..., Any]
Rewrite = Callable[[int, list, bytes], tuple[int, list, bytes]]


def json_value(body: bytes) -> Any:
    """The JSON value of a body, or None (none, or not JSON: a streamed run's events). A breaker
    that raised on such a body would fail inside the app it wraps, not as the breaker it is."""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def rewriting_responses(app: ASGI, rewrite: Rewrite) -> ASGI:
    """``app`` with every HTTP response passed through ``rewrite(status, headers, body)``."""

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                status, headers, body = rewrite(start["status"], list(start.get("headers", [])), b"".join(chunks))
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


def problem_json_errors(app: ASGI) -> ASGI:
    """Errors as RFC 7807 problem+json, as Connexion answers them by default."""

    def rewrite(status: int, headers: list, body: bytes) -> tuple[int, list, bytes]:
        if status < 400:
            return status, headers, body
        error = json_value(body)
        detail = error.get("detail", "") if isinstance(error, dict) else ""
        problem = {"type": "about:blank", "title": "Error", "status": status, "detail": detail}
        headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        return status, [*headers, (b"content-type", b"application/problem+json")], json.dumps(problem).encode()

    return rewriting_responses(app, rewrite)


def missing_required_field(app: ASGI) -> ASGI:
    """Sessions answered with a 200 but without the required ``session_name`` (lists and runs as
    they are)."""

    def rewrite(status: int, headers: list, body: bytes) -> tuple[int, list, bytes]:
        session = json_value(body) if status == 200 else None
        if not isinstance(session, dict) or "session_name" not in session:
            return status, headers, body
        session.pop("session_name")
        return status, headers, json.dumps(session).encode()

    return rewriting_responses(app, rewrite)


def server_error_on_summary(app: ASGI) -> ASGI:
    """A 500 for any valid request whose summary is an object, as the real AgentOS does for some."""

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body"):
                break
        try:
            body = json.loads(b"".join(m.get("body", b"") for m in messages))
        except ValueError:
            body = None
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, {"type": "http.disconnect"})

        if isinstance(body, dict) and isinstance(body.get("summary"), dict):
            error = json.dumps({"detail": "Failed to update session", "error_code": "INTERNAL_SERVER_ERROR"})
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": error.encode()})
            return None
        return await app(scope, replayed, send)

    return wrapped


def unreadable_creates(app: ASGI) -> ASGI:
    """Every 201 answers with an id 1000 past the one stored (body and Location): what a create
    answers cannot be read back."""

    def rewrite(status: int, headers: list, body: bytes) -> tuple[int, list, bytes]:
        item = json_value(body) if status == 201 else None
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            return status, headers, body
        stored, item["id"] = item["id"], item["id"] + 1000
        headers = [(k, v.replace(f"/{stored}".encode(), f"/{item['id']}".encode()) if k.lower() == b"location"
                    else v) for k, v in headers]
        return status, headers, json.dumps(item).encode()

    return rewriting_responses(app, rewrite)


def lingering_deletes(app: ASGI) -> ASGI:
    """Every DELETE answers 204 and deletes nothing."""

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] != "DELETE":
            return await app(scope, receive, send)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return None

    return wrapped


def replacing_patches(app: ASGI) -> ASGI:
    """Every PATCH is served as a PUT of its body: the fields it does not send are lost."""

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["method"] == "PATCH":
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-type"]
            scope = {**scope, "method": "PUT", "headers": [*headers, (b"content-type", b"application/json")]}
        return await app(scope, receive, send)

    return wrapped


def overlapping_pages(app: ASGI) -> ASGI:
    """A list asked for ``offset=N`` (N > 0) answers from N - 1: each page repeats the item before it."""

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            query = parse_qsl(scope["query_string"].decode())
            shifted = [(k, str(int(v) - 1) if k == "offset" and v.isdigit() and int(v) > 0 else v) for k, v in query]
            scope = {**scope, "query_string": urlencode(shifted).encode()}
        return await app(scope, receive, send)

    return wrapped
