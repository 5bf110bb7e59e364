"""``mockserver proxy`` in front of the mock (a server that keeps the contract) and of the
deliberately broken servers of ``tests/contract_servers.py``: conforming traffic shows no
violation, each defect is reported by the right check with its pointer, ``--strict`` stops a bad
request before the upstream sees it, a dead or silent upstream is a 502 or 504, streams flow
through unbuffered, and what ``--record`` writes replays on the mock."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server import BackgroundServer, Proxy, build_mock, build_proxy, serve_in_thread
from tests.conftest import FIXTURES, SESSIONS, SPECS
from tests.contract_servers import missing_required_field, problem_json_errors, server_error_on_summary
from tests.inline_client import InlineClient
from tests.processes import ServerProcess

pytestmark = pytest.mark.server  # every test serves an upstream and the proxy on loopback

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
TIMEOUT = 10


def mock_app() -> Any:
    return build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app


class Pair:
    """An upstream and the proxy in front of it, both served on loopback."""

    def __init__(self, upstream_app: Any, **settings: Any) -> None:
        self.upstream: BackgroundServer = serve_in_thread(upstream_app)
        self.proxy: Proxy = build_proxy(Config(specs=SPECS, upstream=self.upstream.url, **settings))
        self.served = serve_in_thread(self.proxy.app)
        self.client = httpx.Client(base_url=self.served.url, timeout=TIMEOUT)

    def violations(self) -> list[dict[str, str]]:
        return [v for entry in self.client.get("/__mockserver/requests").json() for v in entry.get("violations", ())]

    def close(self) -> None:
        self.client.close()
        self.served.stop()
        self.upstream.stop()


@pytest.fixture
def pair_of() -> Iterator[Callable[..., Pair]]:
    pairs: list[Pair] = []

    def make(upstream_app: Any, **settings: Any) -> Pair:
        pairs.append(Pair(upstream_app, **settings))
        return pairs[-1]

    yield make
    for pair in pairs:
        pair.close()


def conforming_traffic(client: httpx.Client) -> None:
    """Every session operation, as a frontend would use them, with valid requests."""
    assert client.get("/sessions", params={"type": "agent", "limit": 5}).status_code == 200
    assert client.get(AGENT).status_code == 200
    assert client.patch(AGENT, json={"session_name": "Through the proxy", "metadata": {"k": "v"}}).status_code == 200
    assert client.post(f"{AGENT}/rename", json={"session_name": "Renamed"}).status_code == 200
    assert client.get(f"{AGENT}/runs").status_code == 200
    created = client.post("/sessions", params={"type": "agent"}, json={"session_name": "New"})
    assert created.status_code == 201
    new_id = created.json()["session_id"]
    assert client.delete(f"/sessions/{new_id}").status_code == 204
    assert client.get(f"/sessions/{new_id}").status_code == 404
    for path in ("/health", "/agents", "/teams", "/agents/research-agent"):
        assert client.get(path).status_code == 200, path


def test_conforming_traffic_shows_no_violation(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(mock_app())
    conforming_traffic(pair.client)
    assert pair.violations() == [] and pair.proxy.report.total == 0
    assert sum(pair.proxy.report.exchanges.values()) == 12
    print(pair.proxy.report.summary())


def test_answers_pass_through_unchanged(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(mock_app())
    direct = httpx.get(pair.upstream.url + AGENT, timeout=TIMEOUT)
    through = pair.client.get(AGENT)
    assert (through.status_code, through.content) == (direct.status_code, direct.content)
    assert through.headers["content-type"] == direct.headers["content-type"]


def test_a_bad_request_is_reported_with_its_pointer_and_still_forwarded(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(mock_app())
    answer = pair.client.patch(AGENT, json={"session_state": 5})
    assert answer.status_code == 422  # the upstream's own answer
    assert pair.client.get("/sessions", params={"limit": "many"}).status_code == 422
    assert [(v["operation"], v["direction"], v["pointer"]) for v in pair.violations()] == [
        ("update_session", "request", "/body/session_state"), ("get_sessions", "request", "/query/limit")]
    assert "must be of type object or null" in pair.violations()[0]["message"]


def test_an_undocumented_operation_is_forwarded_and_reported(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(mock_app())
    assert pair.client.get("/no/such/thing").status_code == 404
    assert pair.violations() == [{"operation": "GET /no/such/thing", "direction": "request", "pointer": "",
                                  "message": "undocumented: no operation of the documents has this method and path"}]


def test_errors_as_problem_json_are_a_content_type_violation(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(problem_json_errors(mock_app()))
    assert pair.client.get("/sessions/nope").status_code == 404
    [violation] = pair.violations()
    assert (violation["operation"], violation["direction"], violation["pointer"]) == (
        "get_session_by_id", "response", "/headers/content-type")
    assert "application/problem+json is not documented for status 404" in violation["message"]


def test_a_missing_required_field_is_a_body_violation(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(missing_required_field(mock_app()))
    assert pair.client.get(AGENT).status_code == 200
    [violation] = pair.violations()
    assert (violation["operation"], violation["direction"], violation["pointer"]) == (
        "get_session_by_id", "response", "/body")
    assert violation["message"] == "missing required property 'session_name'"


def test_a_session_of_another_kind_than_the_requested_type_is_a_body_violation(
        pair_of: Callable[..., Pair]) -> None:
    agent_session = InlineClient(build_mock(Config(specs=SPECS, fixtures=FIXTURES)).app).get(AGENT).content

    async def always_the_agent_session(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": agent_session})

    pair = pair_of(always_the_agent_session)
    assert pair.client.get(AGENT).status_code == 200
    assert pair.violations() == []  # an agent session for type=agent (the default)
    # The documents' anyOf admits an agent session for any type; a workflow session's created_at
    # is Unix seconds, an agent session's an RFC 3339 string.
    workflow = f"/sessions/{SESSIONS['workflow'][0]}"
    assert pair.client.get(workflow, params={"type": "workflow"}).status_code == 200
    [violation] = pair.violations()
    assert (violation["operation"], violation["direction"], violation["pointer"]) == (
        "get_session_by_id", "response", "/body/created_at")
    assert violation["message"].startswith("a 200 for type=workflow is not a WorkflowSessionDetailSchema: ")


def test_a_server_error_to_a_valid_request_is_a_status_violation(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(server_error_on_summary(mock_app()))
    answer = pair.client.post("/sessions", params={"type": "agent"}, json={"summary": {"summary": "s"}})
    assert answer.status_code == 500
    [violation] = pair.violations()
    assert (violation["operation"], violation["pointer"]) == ("create_session", "/status")
    assert violation["message"] == "server error 500 to a request that keeps the contract"


def test_strict_refuses_a_bad_request_before_the_upstream_sees_it(pair_of: Callable[..., Pair]) -> None:
    upstream_mock = build_mock(Config(specs=SPECS, fixtures=FIXTURES))
    pair = pair_of(upstream_mock.app, strict=True)
    refused = pair.client.patch(AGENT, json={"session_state": 5})
    assert refused.status_code == 422 and set(refused.json()) == {"detail", "error_code"}
    assert pair.client.patch(AGENT, json={"session_name": "Valid"}).status_code == 200
    arrived = httpx.get(pair.upstream.url + "/__mockserver/requests", timeout=TIMEOUT).json()
    assert [(entry["method"], entry["body"]) for entry in arrived] == [("PATCH", {"session_name": "Valid"})]


def test_an_unreachable_upstream_is_a_502_and_a_silent_one_a_504(pair_of: Callable[..., Pair]) -> None:
    dead = serve_in_thread(mock_app())
    dead_url = dead.url
    dead.stop()
    proxy = serve_in_thread(build_proxy(Config(specs=SPECS, upstream=dead_url)).app)
    try:
        answer = httpx.get(proxy.url + AGENT, timeout=TIMEOUT)
        assert answer.status_code == 502 and "cannot be reached" in answer.json()["detail"]
    finally:
        proxy.stop()

    async def silent(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(5)

    pair = pair_of(silent, upstream_timeout=0.3)
    started = time.monotonic()
    answer = pair.client.get(AGENT)
    assert answer.status_code == 504 and "did not answer within 0.3 s" in answer.json()["detail"]
    assert time.monotonic() - started < 4
    assert pair.proxy.report.failures == 1


def test_requests_go_out_with_the_clients_headers_only_and_no_cookie_carries_over(
        pair_of: Callable[..., Pair]) -> None:
    async def echo_headers(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = json.dumps({name.decode(): value.decode() for name, value in scope["headers"]}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"set-cookie", b"sid=alice; Path=/")]})
        await send({"type": "http.response.body", "body": body})

    pair = pair_of(echo_headers)
    first = pair.client.get("/echo", headers={"X-Trace": "1"})
    assert first.headers["set-cookie"] == "sid=alice; Path=/"  # passed on to its client
    host, port = pair.served.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)  # sends no cookie
    try:
        connection.request("GET", "/echo", headers={"User-Agent": "bob"})
        seen = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    assert "cookie" not in seen and "x-trace" not in seen and "accept" not in seen
    assert seen["user-agent"] == "bob" and seen["accept-encoding"] == "identity"  # http.client's own


def test_an_upstream_that_breaks_off_its_answer_cuts_the_connection_and_is_counted(
        pair_of: Callable[..., Pair]) -> None:
    async def broken_off(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")]})
        await send({"type": "http.response.body", "body": b'{"session_id": ', "more_body": True})
        raise RuntimeError("the upstream fails mid-answer")  # uvicorn closes the connection

    pair = pair_of(broken_off)
    with pytest.raises(httpx.TransportError):
        pair.client.get(AGENT)
    assert pair.proxy.report.failures == 1
    assert pair.client.get("/__mockserver/requests").status_code == 200  # the proxy is fine


def test_the_violations_header_counts_each_exchanges_violations(pair_of: Callable[..., Pair]) -> None:
    pair = pair_of(missing_required_field(mock_app()), violations_header=True)
    assert pair.client.get(AGENT).headers["mockserver-violations"] == "1"
    assert pair.client.get("/health").headers["mockserver-violations"] == "0"


def test_a_server_sent_event_stream_flows_through_unbuffered(pair_of: Callable[..., Pair]) -> None:
    release = threading.Event()

    async def events(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})
        await send({"type": "http.response.body", "body": b"data: first\n\n", "more_body": True})
        # The second event waits until the client has read the first through the proxy.
        released = await asyncio.get_running_loop().run_in_executor(None, release.wait, TIMEOUT)
        await send({"type": "http.response.body", "body": b"data: second\n\n" if released else b"data: held\n\n"})

    pair = pair_of(events)
    with httpx.stream("GET", pair.served.url + "/events", timeout=TIMEOUT) as response:
        lines = response.iter_lines()
        assert next(lines) == "data: first"  # arrived while the upstream still held the second
        release.set()
        assert [line for line in lines if line] == ["data: second"]
    assert release.is_set()


def test_record_then_replay_on_the_mock_gives_the_same_answers(pair_of: Callable[..., Pair],
                                                                tmp_path: Path) -> None:
    pair = pair_of(mock_app(), record=tmp_path)
    conforming_traffic(pair.client)
    reads = [AGENT, f"{AGENT}/runs", "/agents/research-agent", f"/sessions/{SESSIONS['team'][0]}?type=team"]
    for path in reads:
        assert pair.client.get(path).status_code == 200
    recorded = {path: pair.client.get(path).json() for path in reads}
    assert pair.proxy.recorder is not None and pair.proxy.recorder.flush()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [name.split(".")[0] for name in names] == ["agents", "sessions-default", "teams"], names
    replay = InlineClient(build_mock(Config(specs=SPECS, fixtures=tmp_path)).app)
    for path in reads:
        answer = replay.get(path)
        assert answer.status_code == 200 and answer.json() == recorded[path], path


@pytest.mark.process
def test_the_command_writes_junit_and_fails_on_violation(tmp_path: Path) -> None:
    upstream = serve_in_thread(mock_app())
    junit = tmp_path / "proxy.xml"
    argv = [sys.executable, "-m", "mockserver", "proxy", "--upstream", upstream.url, "--port", "0",
            *[f"--spec={path}" for path in SPECS], "--junit-xml", str(junit), "--fail-on-violation"]
    process = ServerProcess(argv, r"proxy on (http://127\.0\.0\.1:\d+)", {**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.wait_ready()
        assert httpx.get(url + AGENT, timeout=TIMEOUT).status_code == 200
        assert httpx.patch(url + AGENT, json={"session_state": 5}, timeout=TIMEOUT).status_code == 422
    finally:
        status = process.stop()
        upstream.stop()
    output = process.output()
    assert status == 1, output
    assert "violation: update_session request /body/session_state" in output
    assert "proxy: 2 exchanges, 1 violations, 2 operations" in output
    suite = ElementTree.parse(junit).getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"get_session_by_id", "update_session"}
    assert cases["get_session_by_id"].find("failure") is None
    failure = cases["update_session"].find("failure")
    assert failure is not None and "/body/session_state" in failure.get("message", "")
    assert "Traceback" not in output
