"""Network faults (``Prefer: fault=NAME``, ``--faults RATE --seed N``) as an HTTP client sees them,
on a real server: a reset, an empty reply, invalid JSON, a slow body; and the mock healthy after."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server.app import build_mock
from mockserver.server.middleware.faults import DRIBBLE_SECONDS, FAULTS, Faults
from mockserver.server.serving import serve_in_thread
from tests.conftest import FIXTURES, SESSIONS, SPECS

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
DEADLINE_SECONDS = 10


@pytest.fixture
def server() -> Iterator[str]:
    served = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app)
    try:
        yield served.url
    finally:
        served.stop()


def raw_exchange(url: str, head: bytes) -> bytes:
    """Send a request head on a fresh connection; what came back before the server closed it."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=DEADLINE_SECONDS) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def request_head(fault: str, method: str = "GET", body: bytes = b"") -> bytes:
    return (f"{method} {AGENT} HTTP/1.1\r\nHost: 127.0.0.1\r\nPrefer: fault={fault}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def assert_healthy(url: str) -> dict[str, Any]:
    response = httpx.get(url + AGENT, timeout=DEADLINE_SECONDS)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.server
def test_reset_resets_the_connection_and_does_not_carry_out_the_request(server: str) -> None:
    before = assert_healthy(server)["session_name"]
    with pytest.raises(ConnectionResetError):
        raw_exchange(server, request_head("reset", "PATCH", b'{"session_name": "Never written"}'))
    with pytest.raises(httpx.TransportError):
        httpx.get(server + AGENT, headers={"Prefer": "fault=reset"}, timeout=DEADLINE_SECONDS)
    assert assert_healthy(server)["session_name"] == before


@pytest.mark.server
def test_empty_closes_the_connection_without_a_byte(server: str) -> None:
    before = assert_healthy(server)["session_name"]
    assert raw_exchange(server, request_head("empty", "PATCH", b'{"session_name": "Never written"}')) == b""
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        httpx.get(server + AGENT, headers={"Prefer": "fault=empty"}, timeout=DEADLINE_SECONDS)
    assert assert_healthy(server)["session_name"] == before


@pytest.mark.server
def test_malformed_keeps_the_status_but_sends_json_that_does_not_parse(server: str) -> None:
    whole = httpx.get(server + AGENT, timeout=DEADLINE_SECONDS).content
    response = httpx.get(server + AGENT, headers={"Prefer": "fault=malformed"}, timeout=DEADLINE_SECONDS)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == whole[:len(whole) // 2]
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert_healthy(server)


@pytest.mark.server
def test_dribble_sends_the_whole_body_in_slow_parts(server: str) -> None:
    whole = httpx.get(server + AGENT, timeout=DEADLINE_SECONDS).json()
    started = time.monotonic()
    parts: list[bytes] = []
    with httpx.stream("GET", server + AGENT, headers={"Prefer": "fault=dribble"},
                      timeout=DEADLINE_SECONDS) as response:
        assert response.status_code == 200
        parts.extend(response.iter_raw())
    took = time.monotonic() - started
    assert len(parts) > 1 and json.loads(b"".join(parts)) == whole
    assert took >= DRIBBLE_SECONDS * 0.8, took  # a lower bound: the body was held back
    print(f"dribble: {len(parts)} parts in {took:.2f} s")
    assert_healthy(server)


@pytest.mark.server
def test_an_unknown_fault_is_a_400_naming_the_known_ones(server: str) -> None:
    response = httpx.get(server + AGENT, headers={"Prefer": "fault=fire"}, timeout=DEADLINE_SECONDS)
    assert response.status_code == 400
    assert all(name in response.json()["detail"] for name in FAULTS)


@pytest.mark.server
def test_the_admin_api_and_the_docs_never_get_a_fault(server: str) -> None:
    for path in ("/__mockserver/requests", "/docs"):
        response = httpx.get(server + path, headers={"Prefer": "fault=reset"}, timeout=DEADLINE_SECONDS)
        assert response.status_code == 200, path


def test_a_fault_rate_gives_that_share_of_requests_a_fault_reproducibly() -> None:
    scope = {"type": "http", "path": AGENT, "headers": [], "extensions": {}}
    first, second = Faults(0.3, seed=7), Faults(0.3, seed=7)
    picks = [first.pick({**scope, "extensions": {}}) for _ in range(1000)]
    assert picks == [second.pick({**scope, "extensions": {}}) for _ in range(1000)]
    faulty = [pick for pick in picks if pick is not None]
    assert 250 <= len(faulty) <= 350 and set(faulty) == set(FAULTS)
    assert all(Faults(0.0, seed=7).pick({**scope, "extensions": {}}) is None for _ in range(100))


@pytest.mark.server
def test_every_request_faulty_at_rate_one_and_the_mock_still_answers_the_admin_api() -> None:
    served = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES, faults=1.0, seed=3)).app)
    try:
        seen = set()
        for _ in range(16):
            try:
                response = httpx.get(served.url + AGENT, timeout=DEADLINE_SECONDS)
                response.json()
                seen.add("answered")
            except (httpx.TransportError, json.JSONDecodeError) as exc:
                seen.add(type(exc).__name__)
        # seed 3 draws all four in 16 requests: dribble answers whole, slowly; the others fail
        assert {"answered", "RemoteProtocolError", "JSONDecodeError"} <= seen, seen
        assert httpx.get(served.url + "/__mockserver/requests", timeout=DEADLINE_SECONDS).status_code == 200
    finally:
        served.stop()


def test_without_a_network_connection_a_connection_fault_is_a_400(client: Any) -> None:
    response = client.get(AGENT, headers={"Prefer": "fault=reset"})
    assert response.status_code == 400 and "mockserver run" in response.json()["detail"]
