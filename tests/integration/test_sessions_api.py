"""The whole sessions API over one state: list, create, read, rename, delete, runs.

Behaviour where the spec is silent is AgentOS 2.3.17's (docs/agentos-deviations.md says where the
mock differs and why). A session with runs is put in the store in fixture form, so that these
tests do not depend on the runs of the bundled fixtures.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from mockserver.agentos.records import build_record
from mockserver.server import Mock, serve_in_thread
from tests.inline_client import InlineClient
from tests.processes import DEADLINE_SECONDS

MAIN_AGENTS = ["agent-onboarding-004", "agent-coding-003", "agent-support-002", "agent-research-001"]
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def fixed_clock(mock: Mock) -> datetime:
    mock.profile.context.clock = lambda: NOW
    return NOW


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["session_id"] for item in response.json()["data"]]


def test_the_list_is_agent_sessions_of_the_default_database_newest_first(client: Any) -> None:
    response = client.get("/sessions")
    assert ids(response) == MAIN_AGENTS
    assert response.json()["meta"] == {"page": 1, "limit": 20, "total_pages": 1, "total_count": 4,
                                       "search_time_ms": 0.0}
    item = response.json()["data"][-1]
    assert item == {"session_id": "agent-research-001", "session_name": "Market research for Q3 launch",
                    "session_state": {"sources_checked": 12, "current_topic": "competitor pricing"},
                    "created_at": "2025-10-20T09:10:00Z", "updated_at": "2025-10-20T09:15:00Z"}


def test_pages_count_from_one_and_a_page_past_the_end_is_empty(client: Any) -> None:
    assert ids(client.get("/sessions?limit=3&page=2")) == MAIN_AGENTS[3:]
    assert ids(client.get("/sessions?limit=3&page=0")) == ids(client.get("/sessions?limit=3&page=1"))
    past = client.get("/sessions?limit=3&page=5").json()
    assert past["data"] == [] and past["meta"]["total_pages"] == 2 and past["meta"]["total_count"] == 4


@pytest.mark.parametrize(("query", "limit", "page", "count"), [
    ("limit=0", 1, 1, 1), ("limit=-5", 1, 1, 1), ("limit=101", 100, 1, 4), ("page=-1&limit=2", 2, 0, 2),
])
def test_pagination_beyond_what_the_response_schema_shows_is_clamped(client: Any, query: str, limit: int,
                                                                     page: int, count: int) -> None:
    response = client.get(f"/sessions?{query}")
    meta = response.json()["meta"]
    assert (meta["limit"], meta["page"], len(response.json()["data"])) == (limit, page, count)


def test_an_unknown_sort_order_is_422(client: Any) -> None:
    response = client.get("/sessions?sort_order=up")
    assert response.status_code == 422 and "query parameter 'sort_order'" in response.json()["detail"]


def test_sorting_by_a_field_ascending_and_an_unknown_field_keeps_stored_order(client: Any) -> None:
    assert ids(client.get("/sessions?sort_order=asc")) == MAIN_AGENTS[::-1]
    assert ids(client.get("/sessions?sort_by=session_id&sort_order=asc")) == sorted(MAIN_AGENTS)
    assert ids(client.get("/sessions?sort_by=no_such_field")) == MAIN_AGENTS[::-1]  # as loaded


@pytest.mark.parametrize(("query", "expected"), [
    ("user_id=alice@example.com", ["agent-coding-003", "agent-research-001"]),
    ("component_id=support-agent", ["agent-onboarding-004", "agent-support-002"]),
    ("session_name=BILLING", ["agent-coding-003"]),
    ("type=team", ["team-planning-003", "team-triage-002", "team-content-001"]),
    ("type=team&component_id=ops-team", ["team-triage-002"]),
    ("db_id=support-db", ["agent-support-002"]),
    ("user_id=nobody", []),
])
def test_filters(client: Any, query: str, expected: list[str]) -> None:
    assert ids(client.get(f"/sessions?{query}")) == expected


def test_workflow_timestamps_are_date_time_strings_in_the_list(client: Any) -> None:
    item = next(i for i in client.get("/sessions?type=workflow").json()["data"]
                if i["session_id"] == "workflow-report-001")
    assert (item["created_at"], item["updated_at"]) == ("2025-10-20T09:00:00Z", "2025-10-20T09:05:00Z")


def test_a_created_session_is_read_renamed_patched_listed_and_deleted(client: Any, fixed_clock: datetime) -> None:
    created = client.post("/sessions?type=team", json={"session_name": "Launch", "user_id": "erin",
                                                        "team_id": "launch-team", "session_state": {"n": 1}})
    assert created.status_code == 201
    body = created.json()
    session_id = body["session_id"]
    assert len(session_id) == 36 and body["session_name"] == "Launch" and body["team_id"] == "launch-team"
    assert body["created_at"] == body["updated_at"] == "2026-01-02T03:04:05Z"
    read = client.get(f"/sessions/{session_id}?type=team")
    assert read.status_code == 200 and read.json()["user_id"] == "erin"
    renamed = client.post(f"/sessions/{session_id}/rename?type=team", json={"session_name": "Launch v2"})
    assert renamed.status_code == 200 and renamed.json()["session_name"] == "Launch v2"
    patched = client.patch(f"/sessions/{session_id}?type=team", json={"metadata": {"k": "v"}})
    assert patched.json()["session_name"] == "Launch v2" and patched.json()["metadata"] == {"k": "v"}
    assert ids(client.get("/sessions?type=team&sort_by=updated_at"))[0] == session_id
    assert client.get(f"/sessions/{session_id}/runs?type=team").json() == []
    assert client.delete(f"/sessions/{session_id}").status_code == 204
    for response in (client.get(f"/sessions/{session_id}?type=team"),
                     client.get(f"/sessions/{session_id}/runs?type=team"),
                     client.post(f"/sessions/{session_id}/rename?type=team", json={"session_name": "x"}),
                     client.patch(f"/sessions/{session_id}?type=team", json={})):
        assert response.status_code == 404
    assert session_id not in ids(client.get("/sessions?type=team"))


def test_create_without_a_body_and_over_an_existing_id(client: Any, fixed_clock: datetime) -> None:
    fresh = client.post("/sessions")
    assert fresh.status_code == 201 and fresh.json()["session_name"] == ""
    assert fresh.json()["agent_session_id"] == fresh.json()["session_id"]
    again = client.post("/sessions", json={"session_id": "agent-research-001", "session_name": "Again"})
    assert again.status_code == 201
    read = client.get("/sessions/agent-research-001").json()
    assert read["session_name"] == "Again" and "session_summary" not in read and "user_id" not in read
    assert read["created_at"] == "2025-10-20T09:10:00Z" and read["updated_at"] == "2026-01-02T03:04:05Z"


def test_reading_names_the_type_in_its_404_and_another_user_or_type_is_not_found(client: Any) -> None:
    assert client.get("/sessions/agent-research-001?user_id=alice@example.com").status_code == 200
    for url, detail in [("/sessions/nope", "Agent Session with id 'nope' not found"),
                        ("/sessions/nope?type=workflow", "Workflow Session with id 'nope' not found"),
                        ("/sessions/agent-research-001?user_id=bob@example.com",
                         "Agent Session with id 'agent-research-001' not found"),
                        ("/sessions/agent-research-001?type=team",
                         "Team Session with id 'agent-research-001' not found")]:
        response = client.get(url)
        assert (response.status_code, response.json()["detail"]) == (404, detail)


def test_a_read_leaves_out_nulls_and_a_change_shows_them(client: Any) -> None:
    read = client.get("/sessions/agent-onboarding-004").json()
    assert None not in read.values()
    renamed = client.post("/sessions/agent-onboarding-004/rename", json={"session_name": ""}).json()
    assert renamed["session_name"] == "" and None in renamed.values()


@pytest.mark.parametrize(("body", "status"), [({}, 422), ({"session_name": None}, 422), ({"session_name": 3}, 422)])
def test_rename_needs_a_name(client: Any, body: dict[str, Any], status: int) -> None:
    assert client.post("/sessions/agent-research-001/rename", json=body).status_code == status


def test_rename_of_an_unknown_session_is_404(client: Any) -> None:
    response = client.post("/sessions/nope/rename", json={"session_name": "x"})
    assert (response.status_code, response.json()["detail"]) == (404, "Session with id 'nope' not found")


def test_deleting_an_unknown_session_is_204(client: Any) -> None:
    response = client.delete("/sessions/nope")
    assert response.status_code == 204 and response.content == b""


def test_deleting_many_ignores_unknown_ids_and_types(client: Any) -> None:
    body = {"session_ids": ["agent-research-001", "team-triage-002", "nope"],
            "session_types": ["agent", "agent", "agent"]}
    assert client.request("DELETE", "/sessions", json=body).status_code == 204
    assert client.get("/sessions/agent-research-001").status_code == 404
    assert client.get("/sessions/team-triage-002?type=team").status_code == 404


def test_deleting_many_with_lists_of_different_lengths_deletes_the_ids(client: Any) -> None:
    # AgentOS answers 400 here, but DeleteSessionRequest allows it (docs/agentos-deviations.md).
    body = {"session_ids": ["agent-research-001", "agent-coding-003"], "session_types": ["agent"]}
    assert client.request("DELETE", "/sessions", json=body).status_code == 204
    assert ids(client.get("/sessions")) == ["agent-onboarding-004", "agent-support-002"]


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"session_ids": [], "session_types": []}, 422, "should be non-empty"),
    ({"session_ids": ["a"]}, 422, "missing required property 'session_types'"),
])
def test_deleting_many_needs_matching_lists(client: Any, body: dict[str, Any], status: int, detail: str) -> None:
    response = client.request("DELETE", "/sessions", json=body)
    assert response.status_code == status and detail in response.json()["detail"]


RUNS_SESSION = {
    "type": "team", "session_name": "With runs", "team_id": "ops-team", "user_id": "bob@example.com",
    "created_at": "2025-01-01T00:00:00Z",
    "runs": [
        {"run_id": "r1", "team_id": "ops-team", "run_input": "Hi", "created_at": "2025-01-01T00:00:10Z",
         "messages": [{"id": "m1", "role": "system", "content": "be nice"},
                      {"id": "m2", "role": "user", "content": "Hi", "created_at": 1735689610},
                      {"id": "m3", "role": "assistant", "content": "Hello", "metrics": {}}]},
        {"run_id": "r2", "agent_id": "triage-agent", "parent_run_id": "r1", "content": "member",
         "created_at": "2025-01-01T00:00:20Z", "messages": [{"id": "m4", "role": "assistant", "content": "x"}]},
        {"run_id": "r3", "team_id": "ops-team", "status": "error", "created_at": "2025-01-01T00:00:30Z",
         "messages": [{"id": "m5", "role": "user", "content": "failed"}]},
    ],
}


@pytest.fixture
def with_runs(mock: Mock) -> str:
    """A session with runs, in the store (the admin API's PUT takes no runs)."""
    record = build_record({**RUNS_SESSION, "session_id": "with-runs"}, "main-db", mock.profile.context.model)
    asyncio.run(mock.profile.context.store.put(record))
    return "/sessions/with-runs"


def test_runs_are_listed_by_their_own_schemas_and_derive_the_history(client: Any, with_runs: str) -> None:
    runs = client.get(f"{with_runs}/runs?type=team").json()
    assert [run["run_id"] for run in runs] == ["r1", "r2", "r3"]
    assert "team_id" in runs[0] and "agent_id" in runs[1]  # a team run, then a member's agent run
    assert None not in runs[0].values()
    history = client.get(f"{with_runs}?type=team").json()["chat_history"]
    shown_as_agentos = {"from_history": False, "stop_after_tool_call": False}  # agno Message defaults
    assert history == [{"id": "m2", "role": "user", "content": "Hi", "created_at": 1735689610, **shown_as_agentos},
                       {"id": "m3", "role": "assistant", "content": "Hello", **shown_as_agentos}]


def test_runs_filtered_by_creation_time_in_unix_seconds(client: Any, with_runs: str) -> None:
    def run_ids(query: str) -> list[str]:
        return [run["run_id"] for run in client.get(f"{with_runs}/runs?type=team&{query}").json()]

    assert run_ids("created_after=1735689620") == ["r2", "r3"]  # inclusive
    assert run_ids("created_before=1735689620") == ["r1", "r2"]
    assert run_ids("created_after=0&created_before=0") == ["r1", "r2", "r3"]  # 0: no bound


def test_one_run_and_the_404s_of_runs(client: Any, with_runs: str) -> None:
    run = client.get(f"{with_runs}/runs/r2?type=team")
    assert run.status_code == 200 and run.json()["parent_run_id"] == "r1" and None in run.json().values()
    for url, detail in [(f"{with_runs}/runs/nope?type=team", "Run with ID nope not found in session with-runs"),
                        ("/sessions/agent-onboarding-004/runs/r1", "Session with ID agent-onboarding-004 has no runs"),
                        ("/sessions/nope/runs/r1", "Session with ID nope not found"),
                        ("/sessions/nope/runs", "Session with ID nope not found")]:
        response = client.get(url)
        assert (response.status_code, response.json()["detail"]) == (404, detail)


def test_the_table_parameter_is_accepted_and_changes_nothing(client: Any) -> None:
    assert ids(client.get("/sessions?table=other")) == MAIN_AGENTS
    assert client.get("/sessions/agent-research-001?table=other").status_code == 200


def test_prefer_cors_journal_and_limits_work_for_the_new_operations(make_mock: Any) -> None:
    client = InlineClient(make_mock(max_body_bytes=200).app)
    preferred = client.get("/sessions/agent-research-001", headers={"Prefer": "code=404"})
    assert preferred.status_code == 404 and preferred.headers["preference-applied"] == "code=404"
    listed = client.get("/sessions", headers={"Origin": "http://localhost:3000"})
    assert listed.headers["access-control-allow-origin"] == "*"
    big = client.post("/sessions", json={"session_name": "x" * 500})
    assert big.status_code == 413
    entries = client.get("/__mockserver/requests").json()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/sessions/agent-research-001", 404), ("GET", "/sessions", 200), ("POST", "/sessions", 413)]


def test_a_change_through_the_api_shows_in_the_admin_api_and_reset_undoes_it(client: Any) -> None:
    client.post("/sessions/agent-research-001/rename", json={"session_name": "Admin sees it"})
    client.delete("/sessions/agent-coding-003")
    names = {s["session_id"]: s["session_name"] for s in client.get("/__mockserver/sessions?db_id=main-db").json()}
    assert names["agent-research-001"] == "Admin sees it" and "agent-coding-003" not in names
    client.post("/__mockserver/reset")
    assert ids(client.get("/sessions")) == MAIN_AGENTS


def test_require_db_id_applies_to_every_operation(make_mock: Any) -> None:
    client = InlineClient(make_mock(require_db_id=True).app)
    for response in (client.get("/sessions"), client.get("/sessions/agent-research-001"),
                     client.post("/sessions", json={}), client.delete("/sessions/x"),
                     client.get("/sessions/agent-research-001/runs")):
        assert response.status_code == 400
    assert client.get("/sessions?db_id=support-db").status_code == 200


@pytest.mark.parametrize("session_id", ["a\nb", "ends with a newline\n", "a/b", "/a//b/", "runs/x",
                                        "tab\tand space", "ünïcödé", "100%?#&"])
def test_a_session_created_with_any_id_the_api_accepts_is_read_patched_and_deleted_at_its_path(
        client: Any, session_id: str) -> None:
    assert client.post("/sessions", json={"session_id": session_id, "session_name": "x"}).status_code == 201
    path = f"/sessions/{quote(session_id, safe='')}"
    read = client.get(path)
    assert (read.status_code, read.json()["session_id"]) == (200, session_id)
    assert client.patch(path, json={"session_name": "y"}).json()["session_name"] == "y"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get(f"/sessions/{quote(session_id, safe='')}/runs").status_code == 404



@pytest.mark.server
def test_through_uvicorn_an_id_of_slashes_line_breaks_and_percent_escapes_is_read_back(mock: Mock) -> None:
    # Starlette's test client decodes a path twice ("%252F" becomes "/"); uvicorn decodes it once.
    server = serve_in_thread(mock.app)
    try:
        with httpx.Client(base_url=server.url, timeout=DEADLINE_SECONDS) as http:
            for session_id in ("a/\nb%2F", "%2f/%252F"):
                assert http.post("/sessions", json={"session_id": session_id, "session_name": "x"}).status_code == 201
                read = http.get(f"/sessions/{quote(session_id, safe='')}")
                assert (read.status_code, read.json()["session_id"]) == (200, session_id)
    finally:
        server.stop()
