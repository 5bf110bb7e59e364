"""The inline test client answers as Starlette's TestClient does: same scope seen by the app, same
statuses, headers and bodies, the lifespan run on entry and exit, and the app's exceptions raised
(or its 500 returned, when asked)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from mockserver.server.app import Mock
from tests.inline_client import InlineClient

EVENTS: list[str] = []


async def echo(request: Request) -> JSONResponse:
    scope = request.scope
    return JSONResponse({"path": scope["path"], "raw_path": scope["raw_path"].decode(),
                         "query": scope["query_string"].decode(), "client": list(scope["client"]),
                         "host": request.headers["host"], "agent": request.headers["user-agent"],
                         "body": (await request.body()).decode(), "method": request.method},
                        headers={"x-seen": "1"})


async def stream(request: Request) -> StreamingResponse:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"data: one\n\n", b"data: two\n\n"):
            yield part
    return StreamingResponse(parts(), media_type="text/event-stream")


async def broken(request: Request) -> PlainTextResponse:
    raise RuntimeError("broken handler")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    EVENTS.append("startup")
    yield
    EVENTS.append("shutdown")


APP = Starlette(routes=[Route("/echo/{rest:path}", echo, methods=["GET", "POST", "HEAD"]),
                        Route("/stream", stream), Route("/broken", broken)], lifespan=lifespan)


def answers(client: Any) -> list[tuple[int, str, bytes]]:
    sent = [client.get("/echo/a%20b/c?x=1&y=%C3%A9"), client.post("/echo/p", content=b"hello"),
            client.head("/echo/h"), client.get("/stream"), client.get("/missing")]
    return [(r.status_code, r.headers.get("content-type", ""), r.content) for r in sent]


def test_it_answers_as_starlettes_test_client_does() -> None:
    assert answers(InlineClient(APP)) == answers(TestClient(APP))


def test_the_lifespan_starts_on_entry_and_ends_on_exit() -> None:
    EVENTS.clear()
    with InlineClient(APP) as client:
        assert EVENTS == ["startup"]
        assert client.get("/echo/x").status_code == 200
    assert EVENTS == ["startup", "shutdown"]


def test_an_exception_in_the_app_reaches_the_test_or_its_500_when_asked() -> None:
    with pytest.raises(RuntimeError, match="broken handler"):
        InlineClient(APP).get("/broken")
    assert InlineClient(APP, raise_server_exceptions=False).get("/broken").status_code == 500


def test_the_mock_answers_the_same_through_either_client(mock: Mock) -> None:
    paths = ["/sessions?type=agent", "/sessions/agent-research-001?type=agent", "/sessions/nope",
             "/health", "/__mockserver/requests"]
    inline = [(r.status_code, r.content) for r in map(InlineClient(mock.app).get, paths[:4])]
    threaded = [(r.status_code, r.content) for r in map(TestClient(mock.app).get, paths[:4])]
    assert inline == threaded
    journal = InlineClient(mock.app).get(paths[4]).json()
    assert [entry["path"] for entry in journal][-8:] == [p.split("?")[0] for p in paths[:4]] * 2


def test_a_client_collected_while_another_answers_closes_without_running_its_loop() -> None:
    collected, answering = InlineClient(APP), InlineClient(APP)

    async def collect() -> None:  # as the garbage collector may, during another client's request
        collected._inline.close()

    answering._inline.loop.run_until_complete(collect())
    assert collected._inline.loop.is_closed()
