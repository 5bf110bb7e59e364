"""What frontend developers rely on: CORS, the admin API and the request journal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SESSIONS, SPEC_PATH, SPECS
from tests.inline_client import InlineClient

AGENT = f"/sessions/{SESSIONS['agent'][0]}"
ORIGIN = "http://localhost:3000"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "PATCH",
             "Access-Control-Request-Headers": "authorization,content-type"}


def test_cors_is_on_for_any_origin_including_the_preflight(client: Any) -> None:
    preflight = client.options(AGENT, headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    assert set(preflight.headers["access-control-allow-headers"].split(",")) >= {"authorization", "content-type"}
    response = client.patch(AGENT, json={}, headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    error = client.patch("/sessions/nope", json={}, headers={"Origin": ORIGIN})
    assert error.status_code == 404 and error.headers["access-control-allow-origin"] == "*"


def test_a_cross_origin_request_is_journaled_with_its_status_and_a_preflight_is_not(client: Any) -> None:
    client.post("/__mockserver/reset")
    client.options(AGENT, headers=PREFLIGHT)
    client.patch(AGENT, json={"session_name": "From the app"}, headers={"Origin": ORIGIN})
    client.patch("/sessions/nope", json={}, headers={"Origin": ORIGIN})
    journal = client.get("/__mockserver/requests").json()
    assert [(entry["method"], entry["path"], entry["status"]) for entry in journal[-2:]] == [
        ("PATCH", AGENT, 200), ("PATCH", "/sessions/nope", 404)]
    assert not [entry for entry in journal if entry["method"] == "OPTIONS"]


def test_an_options_request_that_is_not_a_preflight_is_405(client: Any) -> None:
    response = client.options(AGENT)
    assert response.status_code == 405 and response.headers["allow"] == "DELETE, GET, PATCH"


def test_cors_origins_restrict_it(make_mock: Any) -> None:
    client = InlineClient(make_mock(cors_origins=("http://app.test",)).app)
    allowed = client.options(AGENT, headers={**PREFLIGHT, "Origin": "http://app.test"})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "http://app.test"
    refused = client.options(AGENT, headers=PREFLIGHT)
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


@pytest.mark.slow
def test_no_cors_turns_it_off(make_mock: Any) -> None:
    client = InlineClient(make_mock(cors=False).app)
    assert client.options(AGENT, headers=PREFLIGHT).status_code == 405
    assert "access-control-allow-origin" not in client.patch(AGENT, json={}, headers={"Origin": ORIGIN}).headers


def test_reset_puts_state_back_to_the_fixtures(client: Any) -> None:
    client.patch(AGENT, json={"session_name": "Changed"})
    assert client.post("/__mockserver/reset").json() == {"items": 18, "sessions": 13}
    assert client.patch(AGENT, json={}).json()["session_name"] == "Market research for Q3 launch"


def test_sessions_lists_current_state_with_filters(client: Any) -> None:
    client.patch(AGENT, json={"session_name": "Changed"})
    everything = client.get("/__mockserver/sessions").json()
    assert len(everything) == 13 and {"type", "db_id", "session_id"} <= set(everything[0])
    agent = next(s for s in everything if s["session_id"] == SESSIONS["agent"][0] and s["db_id"] == "main-db")
    assert agent["session_name"] == "Changed"
    teams = client.get("/__mockserver/sessions", params={"type": "team", "db_id": "main-db"}).json()
    assert len(teams) == 3 and all(s["type"] == "team" and s["db_id"] == "main-db" for s in teams)
    dave = client.get("/__mockserver/sessions", params={"user_id": "dave@example.com"}).json()
    assert {s["db_id"] for s in dave} == {"support-db"}


def test_put_adds_then_replaces_a_session_validated_like_a_fixture(client: Any) -> None:
    created = client.put("/__mockserver/sessions/new-team", json={"type": "team", "session_name": "New"})
    assert created.status_code == 201 and created.json()["db_id"] == "main-db"
    assert client.patch("/sessions/new-team?type=team", json={}).json()["session_name"] == "New"
    replaced = client.put("/__mockserver/sessions/new-team", json={"type": "team", "session_name": "Newer"})
    assert replaced.status_code == 200
    other_db = client.put("/__mockserver/sessions/x", json={"type": "agent", "session_name": "X", "db_id": "fresh-db"})
    assert other_db.status_code == 201
    assert client.patch("/sessions/x?db_id=fresh-db", json={}).json()["agent_session_id"] == "x"


@pytest.mark.parametrize(("body", "detail"), [
    ({"type": "agent", "session_name": "X", "bogus": 1}, "the request body: unknown property 'bogus'"),
    ({"type": "team", "session_name": 5}, "field 'session_name' of the request body must be of type string (got integer)"),
    ({"type": "workflow", "session_name": "w", "created_at": "2025-01-01T00:00:00Z"},
     "field 'created_at' of the request body must be of type integer or null (got string)"),
    ({"type": "robot", "session_name": "x"}, "the request body: matches none of its 3 allowed shapes (oneOf)"),
])
def test_put_rejects_what_a_fixture_may_not_hold(client: Any, body: dict, detail: str) -> None:
    response = client.put("/__mockserver/sessions/x", json=body)
    assert response.status_code == 422
    assert response.json() == {"detail": detail, "error_code": "VALIDATION_ERROR"}


def test_the_journal_records_requests_and_can_be_cleared(client: Any) -> None:
    client.patch(f"{AGENT}?type=agent", json={"session_name": "J"})
    client.patch("/sessions/nope", content=b"not json", headers={"content-type": "application/json"})
    client.get("/__mockserver/sessions")  # the admin API itself is not journaled
    first, second = client.get("/__mockserver/requests").json()
    assert (first["method"], first["path"], first["query"], first["body"], first["status"]) == (
        "PATCH", AGENT, {"type": "agent"}, {"session_name": "J"}, 200)
    assert (second["body"], second["status"]) == ("not json", 422)
    assert first["time"] <= second["time"]
    assert client.delete("/__mockserver/requests").status_code == 204
    assert client.get("/__mockserver/requests").json() == []


@pytest.mark.slow
def test_the_journal_is_a_bounded_ring(make_mock: Any) -> None:
    client = InlineClient(make_mock(journal_size=3).app)
    for name in "abcde":
        client.patch(AGENT, json={"session_name": name})
    assert [e["body"]["session_name"] for e in client.get("/__mockserver/requests").json()] == ["c", "d", "e"]


def test_with_a_key_the_admin_api_needs_it_too(make_mock: Any) -> None:
    client = InlineClient(make_mock(security_key="k").app)
    for method, path in [("POST", "/__mockserver/reset"), ("GET", "/__mockserver/sessions"),
                         ("GET", "/__mockserver/requests"), ("DELETE", "/__mockserver/requests")]:
        assert client.request(method, path).status_code == 401
        assert client.request(method, path, headers={"Authorization": "Bearer k"}).status_code in (200, 204)


def test_no_admin_turns_it_off(make_mock: Any) -> None:
    client = InlineClient(make_mock(admin=False).app)
    assert client.post("/__mockserver/reset").status_code == 404


def test_405_on_a_path_with_several_operations_allows_them_all(client: Any) -> None:
    response = client.put("/__mockserver/requests")
    assert response.status_code == 405 and response.headers["allow"] == "DELETE, GET"


def test_the_docs_page_is_served_offline_and_public(make_mock: Any) -> None:
    client = InlineClient(make_mock(security_key="k").app)
    page = client.get("/docs")
    assert page.status_code == 200 and b"/docs/static/swagger-ui-bundle.js" in page.content
    assert b"http" not in page.content.split(b"<body>")[1]  # no CDN, no absolute URL
    spec = client.get("/docs/openapi.yaml")
    assert spec.content == SPEC_PATH.read_bytes()
    # Every served document, as it is on disk, offered in the page's selector.
    for index, path in enumerate(SPECS):
        url = f"/docs/openapi/{index}/{path.name}"
        assert client.get(url).content == path.read_bytes()
        assert f'"url": "{url}", "name": "{path.name}"'.encode() in page.content
    assert b"StandaloneLayout" in page.content
    assert client.get("/docs/static/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/docs/static/..%2f..%2fetc%2fpasswd").status_code == 400  # dot segments
    assert client.get("/docs/static/etc%2fpasswd").status_code == 404
