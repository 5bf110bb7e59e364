"""Control over answers: Prefer codes (Prism-compatible), per-request delays and --latency."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.server.middleware import prefer
from tests.conftest import SESSIONS

AGENT = f"/sessions/{SESSIONS['agent'][0]}"


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
    client = make_mock(security_key="k").app.test_client()
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


def test_latency_delays_every_response_within_its_range(make_mock: Any, delays: list[float]) -> None:
    client = make_mock(latency=(100, 400)).app.test_client()
    for _ in range(20):
        client.patch(AGENT, json={})
    client.patch("/sessions/unknown", json={})  # errors too
    assert len(delays) == 21 and all(0.1 <= d <= 0.4 for d in delays)
    fixed = make_mock(latency=(150, 150)).app.test_client()
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
