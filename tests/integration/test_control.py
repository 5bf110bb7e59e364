"""Control over answers: Prefer codes (Prism-compatible), per-request delays and --latency."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.server import build_mock
from mockserver.server.middleware import prefer
from tests.conftest import ROOT, SESSIONS
from tests.inline_client import InlineClient

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
NOTES = ROOT / "tests" / "data" / "specs" / "notes.yaml"


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Delays the mock asked for, in seconds; nothing actually waits."""
    asked: list[float] = []

    async def record(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(prefer, "sleep", record)
    return asked


@pytest.mark.parametrize(("code", "body"), [
    (404, {"detail": "Not found", "error_code": "NOT_FOUND"}),
    (401, {"detail": "Unauthenticated access", "error_code": "UNAUTHENTICATED"}),
    (500, {"detail": "Internal server error", "error_code": "INTERNAL_SERVER_ERROR"}),
])
def test_prefer_code_answers_the_documented_example(client: Any, code: int, body: dict) -> None:
    response = client.patch(AGENT, json={"session_name": "not applied"}, headers={"Prefer": f"code={code}"})
    assert (response.status_code, response.json()) == (code, body)
    assert response.headers["preference-applied"] == f"code={code}"
    assert client.patch(AGENT, json={}).json()["session_name"] != "not applied"


def test_prefer_code_200_is_the_normal_stateful_update(client: Any) -> None:
    response = client.patch(AGENT, json={"session_name": "applied"}, headers={"Prefer": "code=200"})
    assert response.status_code == 200 and response.json()["session_name"] == "applied"


@pytest.mark.parametrize("code", ["418", "201", "abc"])
def test_an_undocumented_code_is_400_naming_the_documented_ones(client: Any, code: str) -> None:
    response = client.patch(AGENT, json={}, headers={"Prefer": f"code={code}"})
    assert response.status_code == 400
    assert response.json() == {"detail": f"Prefer: code={code} is not a documented status of this operation; "
                                         "documented: 200, 400, 401, 404, 422, 500", "error_code": "BAD_REQUEST"}


def test_requests_are_still_validated_and_authenticated_first(make_mock: Any) -> None:
    client = InlineClient(make_mock(security_key="k").app)
    assert client.patch(AGENT, json={}, headers={"Prefer": "code=404"}).status_code == 401
    keyed = {"Authorization": "Bearer k", "Prefer": "code=404"}
    assert client.patch(AGENT, json=[], headers=keyed).status_code == 422


def test_admin_errors_without_an_example_get_the_error_shape(client: Any) -> None:
    response = client.post("/__mockserver/reset", headers={"Prefer": "code=401"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized (Prefer: code=401)", "error_code": "UNAUTHENTICATED"}


def test_several_preferences_in_one_header(client: Any, delays: list[float]) -> None:
    response = client.patch(AGENT, json={}, headers={"Prefer": 'respond-async, code=404; x=1, delay="250"'})
    assert response.status_code == 404 and delays == [0.25]


def test_delays_are_capped_at_30_seconds(client: Any, delays: list[float]) -> None:
    client.patch(AGENT, json={}, headers={"Prefer": "delay=999999"})
    assert delays == [30.0]


@pytest.mark.slow
def test_latency_delays_every_response_within_its_range(make_mock: Any, delays: list[float]) -> None:
    client = InlineClient(make_mock(latency=(100, 400)).app)
    for _ in range(20):
        client.patch(AGENT, json={})
    client.patch("/sessions/unknown", json={})  # errors too
    assert len(delays) == 21 and all(0.1 <= d <= 0.4 for d in delays)
    fixed = InlineClient(make_mock(latency=(150, 150)).app)
    delays.clear()
    fixed.patch(AGENT, json={}, headers={"Prefer": "delay=5"})  # a per-request delay wins
    fixed.patch(AGENT, json={})
    assert delays == [0.005, 0.15]


@pytest.mark.parametrize(("header", "parsed"), [
    ("code=404", {"code": "404"}),
    ('code="404", delay=10;foo=bar', {"code": "404", "delay": "10"}),
    ("respond-async,  wait=5", {"respond-async": "", "wait": "5"}),
])
def test_prefer_parsing(header: str, parsed: dict) -> None:
    assert prefer.preferences({"headers": [(b"prefer", header.encode())]}) == parsed


def asgi(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
         ) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request straight through ASGI, headers as raw bytes (a test client re-encodes them):
    the status, headers and body of the answer."""
    messages: list[dict[str, Any]] = []
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"test"), (b"content-type", b"application/json"), *headers],
             "client": ("127.0.0.1", 1), "server": ("test", 80), "extensions": {}}
    asyncio.run(app(scope, receive, send))
    return (messages[0]["status"], dict(messages[0]["headers"]),
            b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body"))


# Digits str.isdigit() takes and int() refuses (Prefer is read as Latin-1), too many digits for
# int(), signs and spaces: none of them is a documented status.
ODD_CODES = [b"\xb2", b"\xb9\xb2\xb3", b"9" * 5000, b"-404", b"+404", b"4 04", b"0404", b""]


@pytest.mark.parametrize("code", ODD_CODES)
def test_a_code_that_spells_no_documented_status_is_400_naming_them(mock: Any, code: bytes) -> None:
    status, _, body = asgi(mock.app, "PATCH", AGENT, [(b"prefer", b"code=" + code)], b"{}")
    assert status == 400
    detail = json.loads(body)["detail"]
    assert detail.startswith("Prefer: code=") and detail.endswith(
        " is not a documented status of this operation; documented: 200, 400, 401, 404, 422, 500")
    assert len(detail) < 200  # a long value is cut short in the answer


@pytest.mark.parametrize("delay", [b"\xb2", b"\xb9\xb2\xb3", b"-5", b"1.5", b"soon", b""])
def test_a_delay_that_is_not_whole_milliseconds_is_400(mock: Any, delays: list[float], delay: bytes) -> None:
    status, _, body = asgi(mock.app, "PATCH", AGENT, [(b"prefer", b"delay=" + delay)], b"{}")
    assert status == 400 and delays == []
    assert json.loads(body) == {"detail": f"Prefer: delay={delay.decode('latin-1')} is not a whole number "
                                          "of milliseconds, e.g. delay=250", "error_code": "BAD_REQUEST"}


def test_a_delay_of_any_number_of_digits_is_capped_at_30_seconds(client: Any, delays: list[float]) -> None:
    assert client.patch(AGENT, json={}, headers={"Prefer": "delay=" + "9" * 5000}).status_code == 200
    assert client.patch(AGENT, json={}, headers={"Prefer": "delay=" + "0" * 5000 + "7"}).status_code == 200
    assert delays == [30.0, 0.007]


def test_a_documented_status_without_content_is_answered_with_no_body() -> None:
    client = InlineClient(build_mock(Config(specs=(NOTES,))).app)
    response = client.post("/notes", json={"text": "x"}, headers={"Prefer": "code=599"})
    assert (response.status_code, response.content) == (599, b"")
    assert response.headers["preference-applied"] == "code=599" and "content-type" not in response.headers
    assert client.get("/notes").json() == []  # not created


def test_a_documented_status_without_an_example_gets_a_body_built_from_its_schema() -> None:
    client = InlineClient(build_mock(Config(specs=(NOTES,))).app)
    response = client.put("/notes/1", json={"text": "x"}, headers={"Prefer": "code=503"})
    assert response.status_code == 503 and response.headers["content-type"] == "application/json"
    assert response.json() == {"message": "Service Unavailable (Prefer: code=503)", "status": 503}
