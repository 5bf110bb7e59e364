"""Hostile requests to the proxy and the admin API, on real sockets (request targets curl would not
send). Each case names what it sends and what must not happen: a request reaching a host the proxy
was not configured for, a check escaped by a path's spelling, state changed by a web page, a
credential kept in the journal, a 500."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server import BackgroundServer, build_mock, build_proxy, serve_in_thread
from mockserver.server.access_log import AccessLog
from tests.conftest import FIXTURES, SESSIONS, SPECS
from tests.inline_client import InlineClient

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
KEY = "s3cret-key"
TIMEOUT = 10


class Canary:
    """Another host on loopback: it must never be reached through the proxy."""

    def __init__(self) -> None:
        self.seen: list[str] = []

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "lifespan":
                while (await receive())["type"] != "lifespan.shutdown":
                    await send({"type": "lifespan.startup.complete"})
                return await send({"type": "lifespan.shutdown.complete"})
            self.seen.append(f"{scope['method']} {scope['path']}")
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"pwned"})

        self.server: BackgroundServer = serve_in_thread(app)
        self.port = int(self.server.url.rsplit(":", 1)[1])


def raw_request(url: str, method: str, target: str, headers: dict[str, str] | None = None,
                body: bytes = b"") -> tuple[int, bytes]:
    """Send ``target`` exactly as written (no client normalises it); the status and the body."""
    host, port = url.removeprefix("http://").split(":")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
             f"Content-Length: {len(body)}", *(f"{name}: {value}" for name, value in (headers or {}).items())]
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), payload


class Stack:
    """The mock as the upstream, the proxy in front of it, and a canary host beside them."""

    def __init__(self, **proxy_settings: Any) -> None:
        self.mock = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app)
        self.proxy = serve_in_thread(build_proxy(Config(specs=SPECS, upstream=self.mock.url,
                                                        **proxy_settings)).app)
        self.canary = Canary()
        self.upstream_client = httpx.Client(base_url=self.mock.url, timeout=TIMEOUT)

    def upstream_saw(self) -> list[str]:
        return [entry["path"] for entry in self.upstream_client.get("/__mockserver/requests").json()]

    def close(self) -> None:
        self.upstream_client.close()
        for server in (self.proxy, self.mock, self.canary.server):
            server.stop()


@pytest.fixture
def stack_of() -> Iterator[Callable[..., Stack]]:
    stacks: list[Stack] = []

    def make(**settings: Any) -> Stack:
        stacks.append(Stack(**settings))
        return stacks[-1]

    yield make
    for stack in stacks:
        stack.close()


@pytest.mark.server
@pytest.mark.parametrize("settings", [{}, {"strict": True, "security_key": KEY}], ids=["plain", "strict-key"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_a_request_target_naming_another_host_never_leaves_the_proxy(
        stack_of: Callable[..., Stack], method: str, settings: dict[str, Any]) -> None:
    stack = stack_of(**settings)
    for target in (f"*@127.0.0.1:{stack.canary.port}/pwn", f"@127.0.0.1:{stack.canary.port}/pwn",
                   f"127.0.0.1:{stack.canary.port}", "*"):
        status, body = raw_request(stack.proxy.url, method, target,
                                   {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
                                   b"{}" if method == "POST" else b"")
        assert status == 400 and b"pwned" not in body, (target, status, body)
    assert stack.canary.seen == []
    assert stack.upstream_saw() == []


@pytest.mark.server
def test_an_absolute_form_target_is_forwarded_to_the_upstream_only(stack_of: Callable[..., Stack]) -> None:
    stack = stack_of()
    status, body = raw_request(stack.proxy.url, "GET", f"http://127.0.0.1:{stack.canary.port}{AGENT}")
    assert status == 200 and b"pwned" not in body
    assert stack.canary.seen == [] and stack.upstream_saw() == [AGENT]


@pytest.mark.server
@pytest.mark.parametrize("target", [f"/x/..{AGENT}", f"/x/%2e%2E{AGENT}", f"/docs/..{AGENT}",
                                    f"/__mockserver/..{AGENT}", f"/x%2F..{AGENT}", f"{AGENT}/.", f"/.{AGENT}"])
def test_dot_segments_cannot_get_around_strict(stack_of: Callable[..., Stack], target: str) -> None:
    stack = stack_of(strict=True, security_key=KEY)
    assert raw_request(stack.proxy.url, "GET", AGENT)[0] == 401  # no token: refused, as it should be
    status, body = raw_request(stack.proxy.url, "GET", target)
    assert status == 400 and b"segments" in body, (status, body)
    assert stack.upstream_saw() == []


@pytest.mark.server
@pytest.mark.parametrize("target", [f"/x/..{AGENT}", f"/docs/..{AGENT}", f"/__mockserver/..{AGENT}"])
def test_dot_segments_are_refused_and_journaled_by_the_mock(target: str) -> None:
    mock = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app)
    try:
        status, body = raw_request(mock.url, "GET", target, {"Prefer": "fault=reset"})
        assert status == 400 and b"segments" in body  # not a fault: a refusal, in the error shape
        journal = httpx.get(f"{mock.url}/__mockserver/requests", timeout=TIMEOUT).json()
        assert [(entry["path"], entry["status"]) for entry in journal] == [(target.replace("%2F", "/"), 400)]
    finally:
        mock.stop()


@pytest.mark.server
def test_the_proxy_journal_needs_the_security_key(stack_of: Callable[..., Stack]) -> None:
    stack = stack_of(security_key=KEY)
    with httpx.Client(base_url=stack.proxy.url, timeout=TIMEOUT) as client:
        assert client.get(AGENT, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert client.get("/__mockserver/requests").status_code == 401
        assert client.get("/__mockserver/requests", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.delete("/__mockserver/requests").status_code == 401
        entries = client.get("/__mockserver/requests", headers={"Authorization": f"bearer {KEY}"})
        assert entries.status_code == 200 and [e["path"] for e in entries.json()] == [AGENT]


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {"Content-Type": "application/json"}, {}])
def test_a_cross_site_reset_changes_no_state(make_mock: Any, headers: dict[str, str]) -> None:
    client = InlineClient(make_mock(cors_origins=("http://good.test",)).app)
    assert client.patch(AGENT, json={"session_name": "Changed"}).status_code == 200
    for origin in ("http://evil.test", "http://good.test", "null", "HTTP://EVIL.TEST"):
        refused = client.post("/__mockserver/reset", content=b"x", headers={**headers, "Origin": origin})
        assert refused.status_code == 403, (origin, refused.status_code)
    assert client.get("/__mockserver/requests", headers={"Origin": "http://evil.test"}).status_code == 403
    assert client.get(AGENT).json()["session_name"] == "Changed"
    assert client.post("/__mockserver/reset").status_code == 200  # a tool, with no Origin
    assert client.get(AGENT).json()["session_name"] != "Changed"


def test_admin_origins_lets_a_listed_page_use_the_admin_api(make_mock: Any) -> None:
    client = InlineClient(make_mock(admin_origins=("http://tools.test",)).app)
    assert client.post("/__mockserver/reset", headers={"Origin": "http://tools.test"}).status_code == 200
    assert client.post("/__mockserver/reset", headers={"Origin": "http://tools.test.evil"}).status_code == 403


@pytest.mark.server
def test_a_cross_site_request_to_the_proxy_journal_is_refused(stack_of: Callable[..., Stack]) -> None:
    stack = stack_of()
    with httpx.Client(base_url=stack.proxy.url, timeout=TIMEOUT) as client:
        client.get(AGENT)
        assert client.delete("/__mockserver/requests", headers={"Origin": "http://evil.test"}).status_code == 403
        assert client.get("/__mockserver/requests", headers={"Origin": "http://evil.test"}).status_code == 403
        assert len(client.get("/__mockserver/requests").json()) == 1


API_KEY_IN_QUERY = """\
openapi: 3.1.0
info: {title: keys, version: "1"}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
paths:
  /pets:
    get:
      operationId: list_pets
      parameters: [{name: kind, in: query, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {}}}}}
"""


def test_query_credentials_are_redacted_in_the_journal_and_the_log(tmp_path: Any, capsys: Any) -> None:
    spec = tmp_path / "keys.yaml"
    spec.write_text(API_KEY_IN_QUERY)
    log = AccessLog()
    client = InlineClient(build_mock(Config(specs=(spec,)), log).app)
    assert client.get("/pets", params={"api_key": "top-secret", "kind": "cat"}).status_code == 200
    assert client.get("/pets?API_KEY=top-secret2&api%5Fkey=top-secret3").status_code == 200
    journal = client.get("/__mockserver/requests").json()
    assert [entry["query"] for entry in journal] == [{"api_key": "REDACTED", "kind": "cat"},
                                                      {"API_KEY": "REDACTED", "api_key": "REDACTED"}]
    log.flush()
    written = capsys.readouterr().out
    assert "/pets?api_key=REDACTED&kind=cat" in written and "top-secret" not in written


def test_a_control_character_in_a_path_cannot_forge_an_access_log_line(capsys: Any) -> None:
    log = AccessLog()
    mock = build_mock(Config(specs=SPECS, fixtures=FIXTURES), log)
    InlineClient(mock.app).get("/sessions/a%0AINFO:%20forged")
    log.flush()
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(lines) == 1 and "\\nINFO: forged" in lines[0]


@pytest.mark.parametrize(("host", "allowed"), [
    ("evil.test", False), ("evil.test:7777", False), ("attacker.example.com.", False),
    ("127.0.0.1:7777", True), ("localhost:7777", True), ("[::1]:7777", True), ("app.localhost", True),
    ("testserver", True), ("tools.test:8080", True),
])
def test_a_dns_rebinding_page_cannot_read_the_journal_of_a_loopback_mock(make_mock: Any, host: str,
                                                                          allowed: bool) -> None:
    client = InlineClient(make_mock(admin_origins=("http://tools.test:8080",)).app)
    assert client.get(AGENT, headers={"Host": host}).status_code == 200  # the API itself: any Host
    journal = client.get("/__mockserver/requests", headers={"Host": host})
    assert journal.status_code == (200 if allowed else 403), journal.text
    assert client.post("/__mockserver/reset", headers={"Host": host}).status_code == (200 if allowed else 403)


def test_a_mock_bound_beyond_loopback_answers_its_admin_api_by_any_host_name(make_mock: Any) -> None:
    client = InlineClient(make_mock(host="0.0.0.0").app)
    assert client.get("/__mockserver/requests", headers={"Host": "mock.internal.test"}).status_code == 200


@pytest.mark.parametrize("session_id", ["..", ".", "a/..", "a/../b", "x/./y"])
def test_a_session_id_no_path_can_hold_is_refused_at_create_naming_the_field(make_mock: Any,
                                                                           session_id: str) -> None:
    client = InlineClient(make_mock().app)
    refused = client.post("/sessions?type=agent", json={"session_id": session_id, "session_name": "n"})
    assert refused.status_code == 422 and "session_id" in refused.json()["detail"], refused.text
    assert client.post("/sessions?type=agent", json={"session_id": "a.b/c..d", "session_name": "n"}).status_code == 201


def test_a_web_page_cannot_put_or_delete_collection_items_and_a_dotted_name_is_refused() -> None:
    petstore = Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml"
    client = InlineClient(build_mock(Config(specs=(petstore,), require_credentials=False)).app)
    rex = {"name": "Rex", "status": "available"}
    evil = {"Origin": "http://evil.test", "Content-Type": "text/plain"}
    assert client.put("/__mockserver/collections/pets/items/7", content=b"{}", headers=evil).status_code == 403
    assert client.get("/__mockserver/collections/pets/items").json() == []  # nothing was stored
    assert client.put("/__mockserver/collections/pets/items/7", json=rex).status_code == 201
    assert client.delete("/__mockserver/collections/pets/items/7", headers=evil).status_code == 403
    assert len(client.get("/__mockserver/collections/pets/items").json()) == 1  # nothing was removed
    assert client.get("/__mockserver/collections/%2E%2E/items").status_code == 400


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.test", "Content-Type": "text/plain"},
                                     {"Origin": "null", "Content-Type": "application/json"},
                                     {"Host": "evil.test"}])
def test_a_web_page_cannot_verify_or_read_the_filtered_journal(make_mock: Any, headers: dict[str, str]) -> None:
    client = InlineClient(make_mock(cors_origins=("http://good.test",)).app)
    assert client.patch(AGENT, json={"session_name": "Seen"}).status_code == 200
    body = b'{"method": "PATCH", "count": 1}'
    refused = client.post("/__mockserver/verify", content=body, headers=headers)
    assert refused.status_code == 403, refused.text
    assert "Seen" not in refused.text
    filtered = client.get("/__mockserver/requests", params={"method": "PATCH"}, headers=headers)
    assert filtered.status_code == 403 and "Seen" not in filtered.text
    held = client.post("/__mockserver/verify", content=body, headers={"Content-Type": "application/json"})
    assert held.status_code == 200, held.text  # a tool, with no Origin


@pytest.fixture(scope="module")
def verifying_mock() -> Iterator[BackgroundServer]:
    """A mock on a real socket (request targets sent as written), with one PATCH in its journal."""
    mock = serve_in_thread(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app)
    try:
        assert httpx.patch(f"{mock.url}{AGENT}", json={"session_name": "Seen"}, timeout=TIMEOUT).status_code == 200
        yield mock
    finally:
        mock.stop()


@pytest.mark.server
@pytest.mark.parametrize("target", ["/__mockserver/./verify", "/__mockserver//verify", "//__mockserver/verify",
                                    "/x/../__mockserver/verify", "/__mockserver/%2E/verify",
                                    "/__mockserver%2Fverify", "/%5F%5Fmockserver/verify", "/__MOCKSERVER/verify",
                                    "/__mockserver/verify/", "/__mockserver/verify;x", "/__mockserver/verify%00",
                                    "http://evil.test/__mockserver/verify", "*"])
def test_no_spelling_of_the_verify_target_lets_a_web_page_read_the_journal(
        verifying_mock: BackgroundServer, target: str) -> None:
    """A page's POST (a 'simple' request: text/plain, no preflight) to verify, by any spelling of its
    path: refused, never an answer that shows what the journal holds, never a 5xx."""
    body = b'{"method": "PATCH", "at_least": 0}'
    page = {"Origin": "http://evil.test", "Content-Type": "text/plain"}
    status, answer = raw_request(verifying_mock.url, "POST", target, page, body)
    assert status in (400, 403, 404, 405), (target, status, answer[:300])
    assert b"Seen" not in answer and b"PATCH" not in answer, (target, answer[:300])


@pytest.mark.server
@pytest.mark.parametrize("query", ["path=/sessions/%2E%2E/x", "path=" + "a" * 70000, "body_contains=" + "[" * 5000,
                                   "since=9" * 40, "status=99999999999999999999", "operation=%00"])
def test_odd_journal_filters_are_refused_or_answered_never_a_server_error(
        verifying_mock: BackgroundServer, query: str) -> None:
    status, answer = raw_request(verifying_mock.url, "GET", f"/__mockserver/requests?{query}")
    assert status < 500 and status in (200, 400, 414, 422, 431), (query[:60], status, answer[:300])
