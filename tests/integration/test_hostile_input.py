"""Hostile input: size and nesting limits, slow clients, oversized lines. Never a 500 or a hang."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.server.middleware.limits import nesting_depth
from tests.conftest import FIXTURES, SESSIONS
from tests.inline_client import InlineClient
from tests.integration.test_control import asgi
from tests.integration.test_server_process import start
from tests.processes import DEADLINE_SECONDS

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
JSON = {"content-type": "application/json"}


def nested(levels: int) -> bytes:
    return b'{"session_state": ' + b'{"a": ' * (levels - 1) + b"1" + b"}" * (levels - 1) + b"}"


def test_a_body_over_the_limit_is_413(make_mock: Any) -> None:
    client = InlineClient(make_mock(max_body_bytes=1000).app)
    response = client.patch(AGENT, content=b'{"session_name": "' + b"x" * 2000 + b'"}', headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes",
                               "error_code": "PAYLOAD_TOO_LARGE"}


def test_a_chunked_body_over_the_limit_is_413_without_reading_it_all(make_mock: Any) -> None:
    # Driven through ASGI directly: the test client joins a streamed body into one message before
    # the app sees it, so it could not tell a streaming limit from one applied to the whole body.
    app = make_mock(max_body_bytes=1000).app
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        yield b'{"session_state": {"a": "'
        for index in range(10_000):  # 1 MB if it were all read
            sent.append(index)
            yield b"y" * 100
        yield b'"}}'

    body = chunks()
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:  # one chunk per message, as a server passes a chunked body on
        chunk = next(body, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "PATCH",
             "scheme": "http", "path": AGENT, "raw_path": AGENT.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"test"), (b"content-type", b"application/json"),
                         (b"transfer-encoding", b"chunked")],  # no Content-Length: only counting can refuse it
             "client": ("127.0.0.1", 1), "server": ("test", 80), "extensions": {}}
    asyncio.run(app(scope, receive, send))
    response = json.loads(b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body"))
    assert messages[0]["status"] == 413 and response["error_code"] == "PAYLOAD_TOO_LARGE"
    # Refused as the count passed the limit: 25 + 10 x 100 bytes > 1000 at the 10th chunk of "y"s, and
    # no more pulled. A server that read the whole body before checking would have pulled all 10,000.
    assert len(sent) == 10


def test_nesting_beyond_the_limit_is_422_and_within_it_fine(client: Any) -> None:
    deep = client.patch(AGENT, content=nested(65), headers=JSON)
    assert deep.status_code == 422
    assert deep.json()["detail"] == "The request body is nested deeper than 64 levels"
    assert client.patch(AGENT, content=nested(64), headers=JSON).status_code == 200
    huge = client.patch(AGENT, content=b"[" * 100_000, headers=JSON)
    assert huge.status_code == 422


def test_nesting_depth_skips_strings() -> None:
    assert nesting_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": "\\"]"}]}', 10) == 3
    assert nesting_depth(b"[[[[[[", 2) == 3  # gives up one past the limit
    assert nesting_depth(b"[]", 5) == 0  # too few brackets to matter: not scanned


@pytest.mark.parametrize("body", [
    b'{"session_name": "\x00nul"}', b'{"session_name": "a", "session_name": "b"}', b'{"metadata": {"n": 1e999}}',
    b'{"session_name": "' + b"z" * 500_000 + b'"}', b"\xef\xbb\xbf{}", b'{"session_state": {"k": -0.0}}',
    b'{"session_name": "\\ud800"}', b"", b"   ", b"null", b"1" * 5000,
])
def test_hostile_bodies_are_never_a_server_error(client: Any, body: bytes) -> None:
    response = client.patch(AGENT, content=body, headers=JSON)
    assert response.status_code < 500
    if response.status_code != 200:
        assert set(response.json()) == {"detail", "error_code"}


@pytest.fixture(scope="module")
def slow_server() -> Iterator[tuple[str, int]]:
    process = start("--fixtures", str(FIXTURES), "--read-timeout", "1")
    try:
        url = process.wait_ready()
        yield "127.0.0.1", int(url.rsplit(":", 1)[1])
    finally:
        assert process.stop() == 0
    assert "Traceback" not in process.output()


def exchange(address: tuple[str, int], data: bytes) -> tuple[bytes, float]:
    """Send ``data``, then read what comes back until the server answers or closes."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=DEADLINE_SECONDS) as sock:
        if data:
            sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    return answer, time.monotonic() - started


@pytest.mark.process
@pytest.mark.parametrize("data", [
    b"",  # connects and sends nothing
    b"PATCH /sessions/a HTTP/1.1\r\nHost: x\r\n",  # stalls inside the head
], ids=["silent", "stalled head"])
def test_slow_clients_are_cut_off_and_others_still_served(slow_server: tuple[str, int], data: bytes) -> None:
    with socket.create_connection(slow_server, timeout=DEADLINE_SECONDS) as idle:
        if data:
            idle.sendall(data)
        answer, _ = exchange(slow_server, b"PATCH /sessions/agent-research-001 HTTP/1.1\r\nHost: x\r\n"
                                          b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        assert answer.startswith(b"HTTP/1.1 200")  # not blocked by the idle one
        assert idle.recv(100) == b""  # cut off: closed by the server, within the timeout


@pytest.mark.process
def test_a_trickled_body_is_408(slow_server: tuple[str, int]) -> None:
    answer, _ = exchange(slow_server, b"PATCH /sessions/agent-research-001 HTTP/1.1\r\nHost: x\r\n"
                                      b"Content-Type: application/json\r\nContent-Length: 20\r\n\r\n{")
    assert answer.startswith(b"HTTP/1.1 408")


@pytest.mark.process
def test_a_slow_body_is_timed_per_part_not_as_a_whole(slow_server: tuple[str, int]) -> None:
    # Three parts 0.6 s apart: 1.2 s in all, over the 1 s timeout, but no gap reaches it.
    parts = [b'{"session_name":', b' "slow but', b' steady"}']
    head = (b"PATCH /sessions/agent-research-001 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(sum(map(len, parts))).encode() + b"\r\n\r\n")
    with socket.create_connection(slow_server, timeout=DEADLINE_SECONDS) as sock:
        sock.sendall(head + parts[0])
        for part in parts[1:]:
            time.sleep(0.6)  # the client's pace, not a wait for the server
            sock.sendall(part)
        answer = b""
        while b"steady" not in answer and (chunk := sock.recv(65536)):  # head and body may come apart
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'"slow but steady"' in answer


@pytest.mark.process
def test_a_body_that_stalls_while_the_mock_delays_is_408(slow_server: tuple[str, int]) -> None:
    # 70 KB sent of 100 KB: past uvicorn's 64 KiB buffer, so reading pauses while Prefer: delay
    # holds the request, with nothing left unread. When the mock reads again, no byte arrives.
    head = (b"PATCH /sessions/agent-research-001 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Prefer: delay=1200\r\nContent-Length: 100000\r\n\r\n")
    started = time.monotonic()
    answer, _ = exchange(slow_server, head + b'{"session_name": "' + b"z" * 70_000)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert time.monotonic() - started < DEADLINE_SECONDS


@pytest.mark.process
@pytest.mark.parametrize("request_line", [
    b"PATCH /sessions/" + b"a" * 100_000 + b" HTTP/1.1",
    b"PATCH /sessions/a?user_id=" + b"u" * 100_000 + b" HTTP/1.1",
], ids=["long path", "long query"])
def test_oversized_lines_are_4xx(slow_server: tuple[str, int], request_line: bytes) -> None:
    answer, _ = exchange(slow_server, request_line + b"\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    assert answer[9:10] == b"4", answer[:80]


@pytest.mark.process
def test_a_long_header_value_is_4xx(slow_server: tuple[str, int]) -> None:
    answer, _ = exchange(slow_server, b"PATCH /sessions/a HTTP/1.1\r\nHost: x\r\nX-Big: " + b"h" * 100_000
                         + b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    assert answer[9:10] == b"4", answer[:80]


@pytest.mark.parametrize("digits", [4301, 1_000_000])
def test_an_integer_too_long_to_read_is_a_422_that_says_so_plainly(client: Any, digits: int) -> None:
    body = b'{"session_state": {"n": -' + b"7" * digits + b"}}"
    response = client.patch(AGENT, content=body, headers=JSON)
    assert response.status_code == 422
    assert response.json() == {"detail": f"The request body holds a number of {digits} digits; the mock "
                                          "reads numbers of at most 4300 digits", "error_code": "VALIDATION_ERROR"}


def test_an_integer_of_4300_digits_is_read(client: Any) -> None:
    body = b'{"session_state": {"n": ' + b"7" * 4300 + b"}}"
    response = client.patch(AGENT, content=body, headers=JSON)
    assert response.status_code == 200 and response.json()["session_state"]["n"] == int("7" * 4300)


def test_a_content_length_of_any_number_of_digits_is_a_413(make_mock: Any) -> None:
    app = make_mock(max_body_bytes=1000).app
    for declared in (b"9" * 5000, b"0" * 5000 + b"1001"):
        status, _, body = asgi(app, "PATCH", AGENT, [(b"content-length", declared)], b"{}")
        assert (status, json.loads(body)["error_code"]) == (413, "PAYLOAD_TOO_LARGE")
    status, _, _ = asgi(app, "PATCH", AGENT, [(b"content-length", b"0" * 5000 + b"2")], b"{}")
    assert status == 200


def test_a_malformed_multipart_part_is_a_400_that_logs_nothing(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    body = b'--XX\r\nContent-Disposition: form-data; name="message"\r\nBad[Header: x\r\n\r\nhi\r\n--XX--\r\n'
    with caplog.at_level(logging.DEBUG):
        response = client.post("/agents/research-agent/runs", content=body,
                               headers={"content-type": "multipart/form-data; boundary=XX"})
    assert response.status_code == 400
    assert "multipart body cannot be read" in response.json()["detail"]
    assert not [record for record in caplog.records if record.name.startswith("python_multipart")
                and record.levelno >= logging.WARNING]
