"""``Prefer: dynamic=true``: values drawn off the event loop, within a time bound, else the static
answer marked ``Mockserver-Dynamic: fallback``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.server import build_mock
from tests.conftest import ROOT
from tests.inline_client import InlineClient

RECURSIVE = ROOT / "tests" / "data" / "specs" / "recursive.yaml"
DYNAMIC = [(b"prefer", b"dynamic=true")]
CONCURRENT = 20


async def answer(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, float]:
    """One GET through ASGI: its status, and when it was answered (time.monotonic())."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"test"), *headers], "client": ("127.0.0.1", 1),
             "server": ("test", 80), "extensions": {}}
    await app(scope, receive, send)
    return sent[0]["status"], time.monotonic()


@pytest.mark.slow
def test_concurrent_dynamic_draws_on_a_recursive_schema_do_not_hold_up_an_unrelated_get() -> None:
    app = build_mock(Config(specs=(RECURSIVE,))).app

    async def scenario() -> tuple[float, list[tuple[int, float]], tuple[int, float]]:
        sent = time.monotonic()
        draws = [asyncio.create_task(answer(app, "/tree", DYNAMIC)) for _ in range(CONCURRENT)]
        health = asyncio.create_task(answer(app, "/health", []))  # sent after every draw
        return sent, await asyncio.gather(*draws), await health

    sent, draws, (status, answered) = asyncio.run(scenario())
    assert status == 200 and all(draw[0] == 200 for draw in draws)
    # On the event loop the draws took seconds, one after another, before /health was read.
    assert answered - sent < 1.0


def test_a_dynamic_draw_over_its_time_bound_gets_the_static_answer_and_says_so() -> None:
    # Building the strategy of a recursive schema alone takes far longer than a millisecond.
    client = InlineClient(build_mock(Config(specs=(RECURSIVE,), dynamic_timeout=0.001)).app)
    static = client.get("/tree")
    fallback = client.get("/tree", headers={"Prefer": "dynamic=true"})
    assert (fallback.status_code, fallback.json()) == (200, static.json())
    assert fallback.headers["mockserver-dynamic"] == "fallback" and "mockserver-dynamic" not in static.headers


@pytest.mark.slow
def test_a_dynamic_draw_within_its_time_bound_is_not_marked() -> None:
    client = InlineClient(build_mock(Config(specs=(RECURSIVE,), dynamic_timeout=60)).app)
    drawn = client.get("/tree", headers={"Prefer": "dynamic=true"})
    assert drawn.status_code == 200 and isinstance(drawn.json()["children"], list)
    assert "mockserver-dynamic" not in drawn.headers
