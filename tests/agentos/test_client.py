"""agno 2.3.17's own client, ``agno.client.AgentOSClient``, against the mock: every session method.

Each test calls the client's async methods as an application would and checks what they return
(the agno.os.schema models the client builds) and, through the admin journal, what they sent.
Expectations are AgentOS 2.3.17's as observed over HTTP (/tmp/agentos-2317/FINDINGS.md, §11 for
the client). Where the mock deliberately follows the spec instead (error bodies carry error_code,
a session read with another type is a 404, pagination the response schema cannot show), the mock's
behaviour is asserted and a comment says so. The mock runs in-process on a free loopback port with
a security key, which the client sends through its ``headers=`` parameter.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime
from pprint import pformat
from typing import Any, TypeVar

import httpx
import pytest
import yaml
from agno.client import AgentOSClient
from agno.db.base import SessionType
from agno.os.schema import (
    AgentSessionDetailSchema,
    PaginatedResponse,
    PaginationInfo,
    RunSchema,
    SessionSchema,
    TeamRunSchema,
    TeamSessionDetailSchema,
    WorkflowRunSchema,
    WorkflowSessionDetailSchema,
)
from agno.utils.http import aclose_default_clients
from pydantic import ValidationError

from mockserver.agentos.runs import kind_of_run
from mockserver.agentos.sessions import stored_summary
from mockserver.config import Config
from mockserver.server import build_mock, serve_in_thread
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.agentos]

T = TypeVar("T")
KEY = "client-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
AGENT, TEAM, WORKFLOW = SessionType.AGENT, SessionType.TEAM, SessionType.WORKFLOW

# The bundled main-db sessions of each type, newest first (created_at descending).
MAIN_AGENTS = ["agent-onboarding-004", "agent-coding-003", "agent-support-002", "agent-research-001"]
MAIN_TEAMS = ["team-planning-003", "team-triage-002", "team-content-001"]
MAIN_WORKFLOWS = ["workflow-review-003", "workflow-report-001", "workflow-etl-002"]
# AgentOS 2.3.17's RunSchema/TeamRunSchema defaults for a stored run without these keys (FINDINGS §8).
RUN_DEFAULTS = {"parent_run_id": "", "reasoning_content": "", "reasoning_steps": [], "references": [],
                "reasoning_messages": [], "images": [], "videos": [], "audio": [], "files": [],
                "input_media": {"images": [], "videos": [], "audios": [], "files": []}}
WORKFLOW_RUN_DEFAULTS = {"content": "", "events": [], "step_results": [], "step_executor_runs": [], "metrics": {},
                         "reasoning_content": "", "reasoning_steps": [], "references": [], "reasoning_messages": [],
                         "images": [], "videos": [], "audio": [], "files": []}


# --- fixtures and helpers ---------------------------------------------------------------------------

def fixture_sessions(db_id: str = "main-db") -> dict[str, dict[str, Any]]:
    """The bundled fixture sessions of one database, by session_id, as the YAML files give them."""
    sessions: dict[str, dict[str, Any]] = {}
    for path in sorted(FIXTURES.glob("*.y*ml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = document.get("sessions", []) if isinstance(document, dict) else document
        file_db = document.get("db_id") if isinstance(document, dict) else None
        for session in items or ():
            if session.get("db_id", file_db) == db_id:
                sessions[session["session_id"]] = session
    return sessions


MAIN = fixture_sessions()
WITH_RUNS = sorted(sid for sid, session in MAIN.items() if session.get("runs"))
# Sessions whose chat_history the mock derives from their runs, as AgentOS 2.3.17 does.
# (Workflow sessions have no chat_history.)
DERIVED_HISTORY = sorted(sid for sid in WITH_RUNS if "chat_history" not in MAIN[sid] and MAIN[sid]["type"] != "workflow")


def epoch(value: str | int) -> int:
    """A fixture timestamp (RFC 3339 string or Unix seconds) as Unix seconds."""
    if isinstance(value, int):
        return value
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def derived_history(runs: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    """(id, role, content) of the chat history AgentOS 2.3.17 derives from runs (FINDINGS §3):
    user and assistant messages, not from history, of top-level runs not errored/paused/cancelled."""
    return [(m["id"], m["role"], m.get("content")) for r in runs
            if not r.get("parent_run_id") and str(r.get("status", "")).lower() not in {"error", "paused", "cancelled"}
            for m in r.get("messages") or () if m["role"] in ("user", "assistant") and not m.get("from_history")]


def run_class(stored: dict[str, Any]) -> type:
    """The class the client picks for a run: workflow_id, then team_id, else RunSchema."""
    if stored.get("workflow_id") is not None:
        return WorkflowRunSchema
    return TeamRunSchema if stored.get("team_id") is not None else RunSchema


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Await client calls in a fresh event loop.

    agno keeps one process-wide httpx.AsyncClient, whose pooled connections belong to the loop
    that opened them; it is closed before each loop ends so the next test gets a new one.
    """
    async def closing() -> T:
        try:
            return await coro
        finally:
            await aclose_default_clients()

    return asyncio.run(closing())


def http_error(coro: Coroutine[Any, Any, Any]) -> httpx.Response:
    """The response of a client call that must raise httpx.HTTPStatusError."""
    with pytest.raises(httpx.HTTPStatusError) as caught:
        run(coro)
    return caught.value.response


def recent(value: datetime | int | None) -> bool:
    """A timestamp the server set during this test."""
    seconds = value.timestamp() if isinstance(value, datetime) else value
    return seconds is not None and abs(time.time() - seconds) < 120


def ids(page: PaginatedResponse[SessionSchema]) -> list[str]:
    return [item.session_id for item in page.data]


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    server = serve_in_thread(build_mock(Config(security_key=KEY, port=0, fixtures=FIXTURES)).app)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def url(served: str) -> str:
    """The mock, its state back to the fixtures and its request journal empty."""
    httpx.post(f"{served}/__mockserver/reset", headers=AUTH, timeout=10).raise_for_status()
    httpx.delete(f"{served}/__mockserver/requests", headers=AUTH, timeout=10).raise_for_status()
    return served


@pytest.fixture
def client(url: str) -> AgentOSClient:
    return AgentOSClient(base_url=url, timeout=10)


@pytest.fixture
def journal(url: str) -> Any:
    """The requests the mock received since the reset: method, path, query, body, status."""
    def requests() -> list[dict[str, Any]]:
        response = httpx.get(f"{url}/__mockserver/requests", headers=AUTH, timeout=10)
        response.raise_for_status()
        entries: list[dict[str, Any]] = response.json()
        return entries

    return requests


# --- create_session ---------------------------------------------------------------------------------

def test_create_session_with_nothing_given_is_an_agent_session_with_a_new_uuid(client: AgentOSClient,
                                                                                journal: Any) -> None:
    created = run(client.create_session(headers=AUTH))
    assert isinstance(created, AgentSessionDetailSchema)
    assert str(uuid.UUID(created.session_id)) == created.session_id == created.agent_session_id
    assert created.session_name == ""
    assert (created.user_id, created.agent_id, created.session_state, created.metadata) == (None,) * 4
    assert (created.session_summary, created.total_tokens, created.agent_data) == (None,) * 3
    assert created.chat_history == []
    assert created.created_at == created.updated_at and recent(created.created_at)
    assert created.created_at.utcoffset() is not None and created.created_at.utcoffset().total_seconds() == 0
    # The client always sends `type` and all eight body fields, nulls included.
    sent = journal()[-1]
    assert (sent["method"], sent["path"], sent["query"], sent["status"]) == ("POST", "/sessions", {"type": "agent"}, 201)
    assert sent["body"] == dict.fromkeys(["session_id", "session_name", "session_state", "metadata", "user_id",
                                          "agent_id", "team_id", "workflow_id"])


def test_create_session_agent_with_ids_name_state_and_user(client: AgentOSClient) -> None:
    created = run(client.create_session(session_id="client-a", user_id="erin@example.com", session_name="Client A",
                                        session_state={"k": 1}, metadata={"m": 1}, agent_id="research-agent",
                                        headers=AUTH))
    assert isinstance(created, AgentSessionDetailSchema)
    assert (created.session_id, created.agent_session_id, created.session_name) == ("client-a", "client-a", "Client A")
    assert (created.user_id, created.agent_id) == ("erin@example.com", "research-agent")
    assert (created.session_state, created.metadata, created.chat_history) == ({"k": 1}, {"m": 1}, [])
    assert created.created_at == created.updated_at and recent(created.created_at)
    # Read back, it is the same session.
    read = run(client.get_session("client-a", headers=AUTH))
    assert read.model_dump() == created.model_dump()


def test_create_session_team_with_and_without_fields(client: AgentOSClient, journal: Any) -> None:
    bare = run(client.create_session(session_type=TEAM, headers=AUTH))
    assert isinstance(bare, TeamSessionDetailSchema)
    assert str(uuid.UUID(bare.session_id)) == bare.session_id
    assert (bare.session_name, bare.team_id, bare.user_id, bare.chat_history) == ("", None, None, [])
    full = run(client.create_session(session_type=TEAM, session_id="client-t", user_id="erin@example.com",
                                     session_name="Client T", session_state={"t": 1}, metadata={"m": 2},
                                     team_id="ops-team", headers=AUTH))
    assert isinstance(full, TeamSessionDetailSchema)
    assert (full.session_id, full.session_name, full.user_id, full.team_id) == (
        "client-t", "Client T", "erin@example.com", "ops-team")
    assert (full.session_state, full.metadata, full.chat_history) == ({"t": 1}, {"m": 2}, [])
    assert full.created_at == full.updated_at and recent(full.created_at)
    assert [entry["query"] for entry in journal()] == [{"type": "team"}] * 2
    assert run(client.get_session("client-t", session_type=TEAM, headers=AUTH)).model_dump() == full.model_dump()


def test_create_session_workflow_with_and_without_fields(client: AgentOSClient) -> None:
    bare = run(client.create_session(session_type=WORKFLOW, headers=AUTH))
    assert isinstance(bare, WorkflowSessionDetailSchema)
    assert str(uuid.UUID(bare.session_id)) == bare.session_id
    assert (bare.session_name, bare.workflow_id, bare.user_id) == ("", None, None)
    full = run(client.create_session(session_type=WORKFLOW, session_id="client-w", user_id="erin@example.com",
                                     session_name="Client W", session_state={"w": 1}, metadata={"m": 3},
                                     workflow_id="weekly-report", headers=AUTH))
    assert isinstance(full, WorkflowSessionDetailSchema)
    assert (full.session_id, full.session_name, full.user_id, full.workflow_id) == (
        "client-w", "Client W", "erin@example.com", "weekly-report")
    assert (full.session_state, full.metadata) == ({"w": 1}, {"m": 3})
    # Workflow timestamps are integer Unix seconds.
    assert isinstance(full.created_at, int) and full.created_at == full.updated_at and recent(full.created_at)
    read = run(client.get_session("client-w", session_type=WORKFLOW, headers=AUTH))
    assert (read.session_name, read.session_state, read.workflow_id) == ("Client W", {"w": 1}, "weekly-report")


def test_create_session_fills_what_agentos_2317_fills(client: AgentOSClient) -> None:
    """FINDINGS §2: a session_data that is not empty gives `metrics: {}` (agent, team); a workflow
    session gets `session_data` (its name and state), and `workflow_data`/`metadata` default to {}."""
    agent = run(client.create_session(session_id="client-a", session_name="A", headers=AUTH))
    team = run(client.create_session(session_type=TEAM, session_id="client-t", session_state={"x": 1}, headers=AUTH))
    workflow = run(client.create_session(session_type=WORKFLOW, session_id="client-w", session_name="W",
                                         session_state={"x": 1}, headers=AUTH))
    bare = run(client.create_session(session_type=WORKFLOW, headers=AUTH))
    got = {"agent metrics": agent.metrics, "team metrics": team.metrics,
           "workflow session_data": workflow.session_data, "workflow workflow_data": workflow.workflow_data,
           "workflow metadata": workflow.metadata, "bare workflow session_data": bare.session_data,
           "bare workflow workflow_data": bare.workflow_data, "bare workflow metadata": bare.metadata}
    expected = {"agent metrics": {}, "team metrics": {},
                "workflow session_data": {"session_state": {"x": 1}, "session_name": "W"},
                "workflow workflow_data": {}, "workflow metadata": {}, "bare workflow session_data": {},
                "bare workflow workflow_data": {}, "bare workflow metadata": {}}
    differences = {key: f"got {got[key]!r}, AgentOS 2.3.17 gives {value!r}"
                   for key, value in expected.items() if got[key] != value}
    assert not differences, pformat(differences)


def test_create_session_with_an_existing_id_replaces_it_keeping_created_at(client: AgentOSClient) -> None:
    """AgentOS upserts (FINDINGS §2): everything but created_at is replaced, runs included."""
    replaced = run(client.create_session(session_id="agent-research-001", session_name="Overwritten", headers=AUTH))
    assert replaced.session_name == "Overwritten"
    assert replaced.created_at == datetime(2025, 10, 20, 9, 10, tzinfo=UTC) and recent(replaced.updated_at)
    assert (replaced.user_id, replaced.agent_id, replaced.session_state, replaced.metadata) == (None,) * 4
    assert replaced.chat_history == []
    assert run(client.get_session_runs("agent-research-001", headers=AUTH)) == []


# --- get_sessions -----------------------------------------------------------------------------------

def test_get_sessions_by_default_lists_agent_sessions_newest_first(client: AgentOSClient, url: str,
                                                                  journal: Any) -> None:
    page = run(client.get_sessions(headers=AUTH))
    assert isinstance(page, PaginatedResponse) and all(isinstance(item, SessionSchema) for item in page.data)
    assert ids(page) == MAIN_AGENTS
    assert page.meta == PaginationInfo(page=1, limit=20, total_pages=1, total_count=4, search_time_ms=0.0)
    research = page.data[-1]
    assert research.session_name == "Market research for Q3 launch"
    assert research.created_at == datetime(2025, 10, 20, 9, 10, tzinfo=UTC)
    assert research.updated_at == datetime(2025, 10, 20, 9, 15, tzinfo=UTC)
    # The client sends no `type` unless given, and re-parses each item from a `session_data` the list
    # has not got: session_state is None though the server sent it.
    sent = journal()[-1]
    assert sent["query"] == {"limit": "20", "page": "1", "sort_by": "created_at", "sort_order": "desc"}
    assert [item.session_state for item in page.data] == [None] * 4
    raw = httpx.get(f"{url}/sessions", headers=AUTH, timeout=10).json()
    assert raw["data"][-1]["session_state"] == {"sources_checked": 12, "current_topic": "competitor pricing"}


@pytest.mark.parametrize(("session_type", "expected"), [(AGENT, MAIN_AGENTS), (TEAM, MAIN_TEAMS),
                                                       (WORKFLOW, MAIN_WORKFLOWS)])
def test_get_sessions_of_each_type(client: AgentOSClient, journal: Any, session_type: SessionType,
                                   expected: list[str]) -> None:
    page = run(client.get_sessions(session_type=session_type, headers=AUTH))
    assert ids(page) == expected
    assert (page.meta.total_count, page.meta.total_pages) == (len(expected), 1)
    assert journal()[-1]["query"]["type"] == session_type.value
    # The client parses every type's timestamps (workflow ones too) to aware datetimes.
    assert all(item.created_at is not None and item.created_at.tzinfo is not None for item in page.data)
    assert [item.session_name for item in page.data] == [MAIN[sid]["session_name"] for sid in expected]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"user_id": "alice@example.com"}, ["agent-coding-003", "agent-research-001"]),
    ({"user_id": "bob@example.com", "session_type": TEAM}, ["team-triage-002"]),
    ({"user_id": "nobody@example.com"}, []),
    ({"component_id": "support-agent"}, ["agent-onboarding-004", "agent-support-002"]),
    ({"component_id": "ops-team"}, []),  # the column follows type, which defaults to agent
    ({"component_id": "ops-team", "session_type": TEAM}, ["team-triage-002"]),
    ({"component_id": "weekly-report", "session_type": WORKFLOW}, ["workflow-report-001"]),
    ({"session_name": "research"}, ["agent-research-001"]),  # a part of the name
    ({"session_name": "MARKET RESEARCH"}, ["agent-research-001"]),  # case-insensitive
    ({"session_name": "triage", "session_type": TEAM}, ["team-triage-002"]),
    ({"session_name": "Nightly", "session_type": WORKFLOW}, ["workflow-etl-002"]),
    ({"user_id": "alice@example.com", "component_id": "research-agent"}, ["agent-research-001"]),  # AND
    ({"user_id": "alice@example.com", "session_name": "billing"}, ["agent-coding-003"]),
])
def test_get_sessions_filters(client: AgentOSClient, journal: Any, filters: dict[str, Any],
                              expected: list[str]) -> None:
    page = run(client.get_sessions(**filters, headers=AUTH))
    assert ids(page) == expected
    assert (page.meta.total_count, page.meta.total_pages) == (len(expected), 1 if expected else 0)
    sent = journal()[-1]["query"]
    assert {k: v for k, v in sent.items() if k in ("user_id", "component_id", "session_name")} == {
        k: v for k, v in filters.items() if k != "session_type"}


@pytest.mark.parametrize(("sort_by", "sort_order", "expected"), [
    ("created_at", "desc", MAIN_AGENTS),
    ("created_at", "asc", MAIN_AGENTS[::-1]),
    ("updated_at", "desc", MAIN_AGENTS),
    ("updated_at", "asc", MAIN_AGENTS[::-1]),
    ("session_id", "asc", sorted(MAIN_AGENTS)),
    ("session_id", "desc", sorted(MAIN_AGENTS, reverse=True)),
    # alice (research, coding in stored order), bob, carol
    ("user_id", "asc", ["agent-research-001", "agent-coding-003", "agent-support-002", "agent-onboarding-004"]),
    ("no_such_field", "desc", MAIN_AGENTS[::-1]),  # not a field: stored order, no error (FINDINGS §1)
])
def test_get_sessions_sorting(client: AgentOSClient, journal: Any, sort_by: str, sort_order: str,
                              expected: list[str]) -> None:
    assert ids(run(client.get_sessions(sort_by=sort_by, sort_order=sort_order, headers=AUTH))) == expected
    assert journal()[-1]["query"] == {"limit": "20", "page": "1", "sort_by": sort_by, "sort_order": sort_order}


def test_get_sessions_pages(client: AgentOSClient, journal: Any) -> None:
    first = run(client.get_sessions(limit=2, headers=AUTH))
    assert ids(first) == MAIN_AGENTS[:2]
    assert first.meta == PaginationInfo(page=1, limit=2, total_pages=2, total_count=4, search_time_ms=0.0)
    second = run(client.get_sessions(limit=2, page=2, headers=AUTH))
    assert ids(second) == MAIN_AGENTS[2:]
    assert (second.meta.page, second.meta.limit, second.meta.total_pages, second.meta.total_count) == (2, 2, 2, 4)
    past = run(client.get_sessions(limit=2, page=3, headers=AUTH))
    assert ids(past) == [] and (past.meta.page, past.meta.total_pages, past.meta.total_count) == (3, 2, 4)
    # page=0 is the first page, echoed as 0 (FINDINGS §1).
    zero = run(client.get_sessions(limit=2, page=0, headers=AUTH))
    assert ids(zero) == MAIN_AGENTS[:2] and zero.meta.page == 0
    last = run(client.get_sessions(limit=3, page=2, sort_order="asc", headers=AUTH))
    assert ids(last) == [MAIN_AGENTS[0]]
    assert [entry["query"]["limit"] for entry in journal()] == ["2", "2", "2", "2", "3"]
    assert run(client.get_sessions(limit=100, headers=AUTH)).meta.limit == 100


@pytest.mark.parametrize(("limit", "page", "meta_limit", "meta_page", "count"), [
    (0, 1, 1, 1, 1), (-5, 1, 1, 1, 1), (101, 1, 100, 1, 4), (2, -1, 2, 0, 2)])
def test_get_sessions_pagination_the_response_schema_cannot_show_is_clamped(
        client: AgentOSClient, limit: int, page: int, meta_limit: int, meta_page: int, count: int) -> None:
    """Deliberate mock behaviour (mockserver/agentos/handlers/listing.py): AgentOS 2.3.17 answers a limit
    outside 1..100 or a negative page with a 500 (FINDINGS §1), because its PaginationInfo forbids
    them; the spec's request schema accepts any integer, so the mock answers within the response
    schema, clamping the limit to 1..100 and reading a negative page as 0."""
    page_ = run(client.get_sessions(limit=limit, page=page, headers=AUTH))
    assert (page_.meta.limit, page_.meta.page, len(page_.data)) == (meta_limit, meta_page, count)


def test_get_sessions_of_another_database(client: AgentOSClient) -> None:
    support = fixture_sessions("support-db")
    agents = sorted((sid for sid, s in support.items() if s["type"] == "agent"),
                    key=lambda sid: epoch(support[sid]["created_at"]), reverse=True)
    page = run(client.get_sessions(db_id="support-db", headers=AUTH))
    assert ids(page) == agents and "agent-support-002" in agents
    assert next(i for i in page.data if i.session_id == "agent-support-002").session_name == "Escalated billing dispute"


# --- get_session ------------------------------------------------------------------------------------

def test_get_session_agent(client: AgentOSClient, journal: Any) -> None:
    session = run(client.get_session("agent-research-001", headers=AUTH))
    fixture = MAIN["agent-research-001"]
    assert isinstance(session, AgentSessionDetailSchema)
    assert (session.session_id, session.agent_session_id) == ("agent-research-001",) * 2
    assert (session.user_id, session.agent_id, session.session_name) == (
        "alice@example.com", "research-agent", "Market research for Q3 launch")
    assert session.session_state == fixture["session_state"] and session.metadata == fixture["metadata"]
    assert session.session_summary == stored_summary(fixture["session_summary"])
    assert (session.agent_data, session.metrics, session.total_tokens) == (
        fixture["agent_data"], fixture["metrics"], fixture["total_tokens"])
    assert session.created_at == datetime(2025, 10, 20, 9, 10, tzinfo=UTC)
    assert session.updated_at == datetime(2025, 10, 20, 9, 15, tzinfo=UTC)
    assert journal()[-1]["query"] == {"type": "agent"}  # type is always sent
    # The owner may be given; the session of another database with the same id is another session.
    assert run(client.get_session("agent-support-002", user_id="bob@example.com", headers=AUTH)).session_name == (
        "Password reset help")
    other = run(client.get_session("agent-support-002", db_id="support-db", headers=AUTH))
    assert (other.user_id, other.session_name) == ("dave@example.com", "Escalated billing dispute")


def test_get_session_team(client: AgentOSClient, journal: Any) -> None:
    session = run(client.get_session("team-triage-002", session_type=TEAM, user_id="bob@example.com", headers=AUTH))
    fixture = MAIN["team-triage-002"]
    assert isinstance(session, TeamSessionDetailSchema)
    assert (session.session_id, session.session_name, session.user_id, session.team_id) == (
        "team-triage-002", "Incident triage INC-208", "bob@example.com", "ops-team")
    assert (session.session_state, session.metadata, session.session_summary) == (
        fixture["session_state"], fixture["metadata"], stored_summary(fixture["session_summary"]))
    assert (session.team_data, session.total_tokens) == (fixture["team_data"], fixture["total_tokens"])
    assert session.created_at == datetime(2025, 10, 22, 3, 0, tzinfo=UTC)
    assert [m["role"] for m in session.chat_history or []][:1] == ["user"]
    assert journal()[-1]["query"] == {"type": "team", "user_id": "bob@example.com"}


def test_get_session_workflow(client: AgentOSClient) -> None:
    session = run(client.get_session("workflow-report-001", session_type=WORKFLOW, headers=AUTH))
    fixture = MAIN["workflow-report-001"]
    assert isinstance(session, WorkflowSessionDetailSchema)
    assert (session.session_id, session.session_name, session.user_id, session.workflow_id) == (
        "workflow-report-001", "Weekly sales report", "alice@example.com", "weekly-report")
    assert (session.session_state, session.metadata, session.workflow_data) == (
        fixture["session_state"], fixture["metadata"], fixture["workflow_data"])
    assert (session.created_at, session.updated_at) == (1760950800, 1760951100)  # integers


@pytest.mark.parametrize("session_id", DERIVED_HISTORY)
def test_get_session_chat_history_is_derived_from_the_runs(client: AgentOSClient, session_id: str) -> None:
    session = run(client.get_session(session_id, session_type=SessionType(MAIN[session_id]["type"]), headers=AUTH))
    history = [(m.get("id"), m.get("role"), m.get("content")) for m in session.chat_history or []]
    assert history == derived_history(MAIN[session_id]["runs"])


def test_chat_history_messages_are_message_to_dict_as_in_agentos_2317(client: AgentOSClient) -> None:
    """FINDINGS §3: each history message is agno's Message.to_dict(), in which `from_history` and
    `stop_after_tool_call` are always present (false), whatever the stored message left out."""
    assert DERIVED_HISTORY
    flags = {}
    for session_id in DERIVED_HISTORY:
        session = run(client.get_session(session_id, session_type=SessionType(MAIN[session_id]["type"]),
                                         headers=AUTH))
        assert session.chat_history, session_id
        flags[session_id] = {(m.get("from_history"), m.get("stop_after_tool_call")) for m in session.chat_history}
    assert flags == {session_id: {(False, False)} for session_id in DERIVED_HISTORY}


# --- update_session ---------------------------------------------------------------------------------

def test_update_session_sends_only_what_is_set_and_replaces_it(client: AgentOSClient, journal: Any) -> None:
    fixture = MAIN["agent-support-002"]
    named = run(client.update_session("agent-support-002", session_name="Reset done", headers=AUTH))
    assert isinstance(named, AgentSessionDetailSchema)
    assert named.session_name == "Reset done"
    assert (named.session_state, named.metadata, named.session_summary) == (
        fixture["session_state"], fixture["metadata"], stored_summary(fixture["session_summary"]))
    assert named.created_at == datetime(2025, 10, 21, 16, 0, tzinfo=UTC) and recent(named.updated_at)
    sent = journal()[-1]
    assert (sent["method"], sent["path"], sent["query"], sent["body"]) == (
        "PATCH", "/sessions/agent-support-002", {"type": "agent"}, {"session_name": "Reset done"})

    # Each field replaces the stored value whole: no merge.
    state = run(client.update_session("agent-support-002", session_state={"resolved": True}, headers=AUTH))
    assert (state.session_state, state.session_name) == ({"resolved": True}, "Reset done")
    meta = run(client.update_session("agent-support-002", metadata={"channel": "phone"}, headers=AUTH))
    assert (meta.metadata, meta.session_state) == ({"channel": "phone"}, {"resolved": True})
    summary = run(client.update_session("agent-support-002", summary={"summary": "Sent a link."}, headers=AUTH))
    assert summary.session_summary == {"summary": "Sent a link."}
    assert [entry["body"] for entry in journal()[-3:]] == [
        {"session_state": {"resolved": True}}, {"metadata": {"channel": "phone"}}, {"summary": {"summary": "Sent a link."}}]

    everything = run(client.update_session("agent-support-002", session_name="All", session_state={"s": 1},
                                           metadata={"m": 2}, summary={"summary": "sum"},
                                           user_id="bob@example.com", headers=AUTH))
    assert (everything.session_name, everything.session_state, everything.metadata, everything.session_summary) == (
        "All", {"s": 1}, {"m": 2}, {"summary": "sum"})
    sent = journal()[-1]
    assert sent["query"] == {"type": "agent", "user_id": "bob@example.com"}
    assert sent["body"] == {"session_name": "All", "session_state": {"s": 1}, "metadata": {"m": 2},
                            "summary": {"summary": "sum"}}

    # Nothing set: an empty body, nothing changes but updated_at; later reads see every change.
    nothing = run(client.update_session("agent-support-002", headers=AUTH))
    assert journal()[-1]["body"] == {}
    assert nothing.model_dump(exclude={"updated_at"}) == everything.model_dump(exclude={"updated_at"})
    assert run(client.get_session("agent-support-002", headers=AUTH)).model_dump() == nothing.model_dump()


def test_update_session_team_and_workflow(client: AgentOSClient) -> None:
    team = run(client.update_session("team-triage-002", session_type=TEAM, session_name="INC-208 closed",
                                     session_state={"severity": "resolved"}, headers=AUTH))
    assert isinstance(team, TeamSessionDetailSchema)
    assert (team.session_name, team.session_state, team.team_id) == (
        "INC-208 closed", {"severity": "resolved"}, "ops-team")
    assert recent(team.updated_at) and team.created_at == datetime(2025, 10, 22, 3, 0, tzinfo=UTC)
    workflow = run(client.update_session("workflow-report-001", session_type=WORKFLOW, session_name="Weekly v2",
                                         metadata={"schedule": "fridays"}, headers=AUTH))
    assert isinstance(workflow, WorkflowSessionDetailSchema)
    assert (workflow.session_name, workflow.metadata, workflow.workflow_id) == (
        "Weekly v2", {"schedule": "fridays"}, "weekly-report")
    assert workflow.created_at == 1760950800 and isinstance(workflow.updated_at, int) and recent(workflow.updated_at)


def test_workflow_session_data_follows_its_name_and_state_as_in_agentos_2317(client: AgentOSClient) -> None:
    """FINDINGS §4/§5: a workflow session's name and state live in its session_data, so a rename
    or a PATCH shows in `session_data` too (`"session_data":{"session_name":"Renamed W1"}`)."""
    renamed = run(client.rename_session("workflow-report-001", "Renamed", session_type=WORKFLOW, headers=AUTH))
    patched = run(client.update_session("workflow-report-001", session_type=WORKFLOW, session_name="Patched",
                                        session_state={"step": "done"}, headers=AUTH))
    got = {"after rename": (renamed.session_data or {}).get("session_name"),
           "after patch": {k: (patched.session_data or {}).get(k) for k in ("session_name", "session_state")}}
    assert got == {"after rename": "Renamed", "after patch": {"session_name": "Patched", "session_state": {"step": "done"}}}


# --- rename_session ---------------------------------------------------------------------------------

def test_rename_session_changes_only_the_name(client: AgentOSClient, journal: Any) -> None:
    before = run(client.get_session("agent-research-001", headers=AUTH))
    renamed = run(client.rename_session("agent-research-001", "Q3 pricing", headers=AUTH))
    assert isinstance(renamed, AgentSessionDetailSchema)
    assert renamed.session_name == "Q3 pricing" and recent(renamed.updated_at)
    assert renamed.model_dump(exclude={"session_name", "updated_at"}) == before.model_dump(
        exclude={"session_name", "updated_at"})
    sent = journal()[-1]
    assert (sent["method"], sent["path"], sent["query"], sent["body"]) == (
        "POST", "/sessions/agent-research-001/rename", {"type": "agent"}, {"session_name": "Q3 pricing"})
    assert run(client.get_session("agent-research-001", headers=AUTH)).session_name == "Q3 pricing"
    # An empty name is a name.
    assert run(client.rename_session("agent-research-001", "", headers=AUTH)).session_name == ""


def test_rename_session_team_and_workflow(client: AgentOSClient) -> None:
    team = run(client.rename_session("team-content-001", "Blog post v2", session_type=TEAM, headers=AUTH))
    assert isinstance(team, TeamSessionDetailSchema)
    assert (team.session_name, team.team_id) == ("Blog post v2", "content-team") and recent(team.updated_at)
    workflow = run(client.rename_session("workflow-etl-002", "CRM import", session_type=WORKFLOW, headers=AUTH))
    assert isinstance(workflow, WorkflowSessionDetailSchema)
    assert (workflow.session_name, workflow.workflow_id, workflow.created_at) == ("CRM import", "crm-import", 1758000000)
    listed = run(client.get_sessions(session_type=WORKFLOW, session_name="CRM import", headers=AUTH))
    assert ids(listed) == ["workflow-etl-002"]


# --- get_session_runs / get_session_run -------------------------------------------------------------

@pytest.mark.parametrize("session_id", WITH_RUNS)
def test_get_session_runs_and_each_run_of_every_fixture_session(client: AgentOSClient, session_id: str) -> None:
    fixture = MAIN[session_id]
    session_type = SessionType(fixture["type"])
    runs = run(client.get_session_runs(session_id, session_type=session_type, headers=AUTH))
    # Every stored run in stored order (errored ones too), each as the class its own fields pick.
    assert [r.run_id for r in runs] == [r["run_id"] for r in fixture["runs"]]
    assert [type(r) for r in runs] == [run_class(r) for r in fixture["runs"]]
    for got, stored in zip(runs, fixture["runs"], strict=True):
        # A run without content shows AgentOS's default for its kind ("" for agent and team runs).
        content = stored.get("content", None if kind_of_run(stored) == "workflow" else "")
        assert (got.content, got.run_input) == (content, stored.get("run_input"))
        single = run(client.get_session_run(session_id, stored["run_id"], session_type=session_type, headers=AUTH))
        assert type(single) is run_class(stored)
        assert (single.run_id, single.content, single.run_input) == (stored["run_id"], content, stored.get("run_input"))
        if stored.get("parent_run_id"):  # a team's member run
            assert isinstance(single, RunSchema) and single.parent_run_id == stored["parent_run_id"]
            assert single.agent_id == stored["agent_id"]


def test_get_session_runs_agent(client: AgentOSClient, journal: Any) -> None:
    runs = run(client.get_session_runs("agent-research-001", headers=AUTH))
    assert [type(r) for r in runs] == [RunSchema, RunSchema]
    first, second = runs
    stored = MAIN["agent-research-001"]["runs"]
    assert (first.run_id, second.run_id) == ("run-agent-research-001-1", "run-agent-research-001-2")
    assert (first.agent_id, first.user_id) == ("research-agent", "alice@example.com")
    assert first.created_at == datetime(2025, 10, 20, 9, 10, tzinfo=UTC)
    assert first.metrics == stored[0]["metrics"]
    assert [m["id"] for m in first.messages or []] == [m["id"] for m in stored[0]["messages"]]  # all, system too
    assert [t["tool_call_id"] for t in first.tools or []] == ["call_r001_pricing"]
    assert journal()[-1]["query"] == {"type": "agent"}


def test_get_session_runs_without_runs_is_an_empty_list(client: AgentOSClient) -> None:
    assert run(client.get_session_runs("agent-onboarding-004", headers=AUTH)) == []
    for session_type in (TEAM, WORKFLOW):
        created = run(client.create_session(session_type=session_type, headers=AUTH))
        assert run(client.get_session_runs(created.session_id, session_type=session_type, headers=AUTH)) == []


def test_get_session_runs_created_after_and_before_are_inclusive_unix_seconds(client: AgentOSClient,
                                                                             journal: Any) -> None:
    stored = MAIN["agent-research-001"]["runs"]
    one, two = (epoch(r["created_at"]) for r in stored)
    assert one < two

    def run_ids(**bounds: int) -> list[str]:
        return [r.run_id for r in run(client.get_session_runs("agent-research-001", **bounds, headers=AUTH))]

    first, second = stored[0]["run_id"], stored[1]["run_id"]
    assert run_ids(created_after=one) == [first, second]
    assert run_ids(created_after=one + 1) == [second]
    assert run_ids(created_before=two) == [first, second]
    assert run_ids(created_before=two - 1) == [first]
    assert run_ids(created_after=one + 1, created_before=two) == [second]
    assert run_ids(created_after=two + 1) == []
    assert run_ids(created_after=0, created_before=0) == [first, second]  # 0: no bound
    assert journal()[-1]["query"] == {"type": "agent", "created_after": "0", "created_before": "0"}


def test_get_session_run_agent(client: AgentOSClient, journal: Any) -> None:
    single = run(client.get_session_run("agent-research-001", "run-agent-research-001-2", headers=AUTH))
    assert isinstance(single, RunSchema)
    stored = MAIN["agent-research-001"]["runs"][1]
    assert (single.run_id, single.content, single.run_input) == (stored["run_id"], stored["content"], stored["run_input"])
    assert single.session_state == stored["session_state"]
    assert [m.get("from_history", False) for m in single.messages or []] == [True, True, False, False]
    assert single.created_at == datetime(2025, 10, 20, 9, 13, tzinfo=UTC)
    assert journal()[-1]["path"] == "/sessions/agent-research-001/runs/run-agent-research-001-2"


def test_get_session_runs_workflow(client: AgentOSClient) -> None:
    stored = MAIN["workflow-report-001"]["runs"]
    runs = run(client.get_session_runs("workflow-report-001", session_type=WORKFLOW, headers=AUTH))
    assert [type(r) for r in runs] == [WorkflowRunSchema] * len(stored)
    first = runs[0]
    assert isinstance(first, WorkflowRunSchema)
    assert (first.run_id, first.workflow_id, first.status) == (stored[0]["run_id"], "weekly-report", stored[0]["status"])
    assert first.created_at == stored[0]["created_at"] and isinstance(first.created_at, int)  # integer, as stored
    single = run(client.get_session_run("workflow-report-001", stored[-1]["run_id"], session_type=WORKFLOW,
                                        headers=AUTH))
    assert isinstance(single, WorkflowRunSchema)
    assert (single.run_id, single.content, single.created_at) == (
        stored[-1]["run_id"], stored[-1].get("content"), stored[-1]["created_at"])
    after = [r.run_id for r in run(client.get_session_runs("workflow-report-001", session_type=WORKFLOW,
                                                           created_after=stored[-1]["created_at"], headers=AUTH))]
    assert after == [r["run_id"] for r in stored if r["created_at"] >= stored[-1]["created_at"]]


def test_runs_carry_the_defaults_agentos_2317_gives_them(client: AgentOSClient) -> None:
    """FINDINGS §8/§9: AgentOS builds each run's schema with defaults for what the stored run left
    out: parent_run_id "" for a top-level run, "" and [] for the other text and list fields,
    input_media four empty lists (agent and team runs), events/step_results/step_executor_runs []
    and metrics {} (workflow runs); in the list and read alone alike."""
    differences = {}
    for session_id, kind, defaults in (("agent-research-001", AGENT, {**RUN_DEFAULTS, "content": "", "metrics": {}}),
                                       ("team-content-001", TEAM, {**RUN_DEFAULTS, "content": "", "metrics": {}}),
                                       ("workflow-report-001", WORKFLOW, WORKFLOW_RUN_DEFAULTS)):
        stored = MAIN[session_id]["runs"][0]
        expected = {field: value for field, value in defaults.items() if field not in stored}
        listed = run(client.get_session_runs(session_id, session_type=kind, headers=AUTH))[0]
        single = run(client.get_session_run(session_id, stored["run_id"], session_type=kind, headers=AUTH))
        for how, got in (("listed", listed), ("read alone", single)):
            wrong = {field: getattr(got, field) for field, value in expected.items() if getattr(got, field) != value}
            if wrong:
                differences[f"{session_id} {stored['run_id']} {how}"] = wrong
    assert not differences, pformat(differences)


# --- delete_session / delete_sessions ---------------------------------------------------------------

def test_delete_session_removes_it_and_an_unknown_id_is_no_error(client: AgentOSClient, journal: Any) -> None:
    assert run(client.delete_session("agent-coding-003", headers=AUTH)) is None
    sent = journal()[-1]
    assert (sent["method"], sent["path"], sent["query"], sent["body"], sent["status"]) == (
        "DELETE", "/sessions/agent-coding-003", {}, None, 204)
    assert http_error(client.get_session("agent-coding-003", headers=AUTH)).status_code == 404
    page = run(client.get_sessions(headers=AUTH))
    assert "agent-coding-003" not in ids(page) and page.meta.total_count == 3
    # Again, or an id that never existed: still 204, so None (FINDINGS §6).
    assert run(client.delete_session("agent-coding-003", headers=AUTH)) is None
    assert run(client.delete_session("no-such-session", headers=AUTH)) is None
    # Deleting by id needs no type: a team session goes the same way.
    assert run(client.delete_session("team-planning-003", headers=AUTH)) is None
    assert ids(run(client.get_sessions(session_type=TEAM, headers=AUTH))) == MAIN_TEAMS[1:]


def test_delete_session_in_another_database_leaves_the_default_one(client: AgentOSClient) -> None:
    assert run(client.delete_session("agent-support-002", db_id="support-db", headers=AUTH)) is None
    assert http_error(client.get_session("agent-support-002", db_id="support-db", headers=AUTH)).status_code == 404
    assert run(client.get_session("agent-support-002", headers=AUTH)).user_id == "bob@example.com"


def test_delete_sessions_of_several_types(client: AgentOSClient, journal: Any) -> None:
    assert run(client.delete_sessions(["team-triage-002", "workflow-etl-002"], [TEAM, WORKFLOW], headers=AUTH)) is None
    sent = journal()[-1]
    assert (sent["method"], sent["path"], sent["status"]) == ("DELETE", "/sessions", 204)
    assert sent["body"] == {"session_ids": ["team-triage-002", "workflow-etl-002"], "session_types": ["team", "workflow"]}
    assert http_error(client.get_session("team-triage-002", session_type=TEAM, headers=AUTH)).status_code == 404
    assert http_error(client.get_session("workflow-etl-002", session_type=WORKFLOW, headers=AUTH)).status_code == 404
    assert ids(run(client.get_sessions(session_type=TEAM, headers=AUTH))) == ["team-planning-003", "team-content-001"]
    assert ids(run(client.get_sessions(session_type=WORKFLOW, headers=AUTH))) == ["workflow-review-003",
                                                                               "workflow-report-001"]
    # Plain strings work as types; an unknown id among them is ignored.
    assert run(client.delete_sessions(["agent-onboarding-004", "no-such-session"], ["agent", "agent"],
                                      headers=AUTH)) is None
    assert ids(run(client.get_sessions(headers=AUTH))) == MAIN_AGENTS[1:]


def test_delete_sessions_of_unequal_lengths_deletes_the_ids(client: AgentOSClient) -> None:
    # AgentOS 2.3.17 answers 400 (FINDINGS §10), but DeleteSessionRequest allows lists of different
    # lengths and the types choose nothing: the mock follows the spec (docs/agentos-deviations.md).
    assert run(client.delete_sessions(["agent-research-001", "agent-support-002"], [AGENT], headers=AUTH)) is None
    assert ids(run(client.get_sessions(headers=AUTH))) == [s for s in MAIN_AGENTS
                                                           if s not in ("agent-research-001", "agent-support-002")]


def test_delete_sessions_with_no_ids_raises_before_sending(client: AgentOSClient, journal: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        run(client.delete_sessions([], [], headers=AUTH))
    assert {error["type"] for error in caught.value.errors()} == {"too_short"}
    assert journal() == []


# --- one session through its whole life -------------------------------------------------------------

def test_a_session_created_through_the_client_is_read_renamed_patched_listed_and_deleted(
        client: AgentOSClient) -> None:
    created = run(client.create_session(session_id="client-life", user_id="erin@example.com", session_name="Life",
                                        session_state={"step": 1}, agent_id="research-agent", headers=AUTH))
    assert run(client.get_session("client-life", user_id="erin@example.com", headers=AUTH)).model_dump() == (
        created.model_dump())

    renamed = run(client.rename_session("client-life", "Life, renamed", headers=AUTH))
    assert renamed.session_name == "Life, renamed" and renamed.session_state == {"step": 1}
    patched = run(client.update_session("client-life", session_state={"step": 2}, metadata={"source": "client"},
                                        summary={"summary": "A test session."}, headers=AUTH))
    assert (patched.session_name, patched.session_state, patched.metadata, patched.session_summary) == (
        "Life, renamed", {"step": 2}, {"source": "client"}, {"summary": "A test session."})
    read = run(client.get_session("client-life", headers=AUTH))
    assert read.model_dump() == patched.model_dump()
    assert read.created_at == created.created_at and read.updated_at >= created.updated_at

    mine = run(client.get_sessions(user_id="erin@example.com", headers=AUTH))
    assert ids(mine) == ["client-life"] and mine.meta.total_count == 1
    assert (mine.data[0].session_name, mine.data[0].created_at) == ("Life, renamed", created.created_at)
    assert ids(run(client.get_sessions(session_name="life, RENAMED", headers=AUTH))) == ["client-life"]

    # Touch the oldest fixture session: by updated_at it joins the new one ahead of the others, by
    # created_at it stays last.
    run(client.update_session("agent-research-001", metadata={"touched": True}, headers=AUTH))
    by_update = run(client.get_sessions(sort_by="updated_at", headers=AUTH))
    assert set(ids(by_update)[:2]) == {"client-life", "agent-research-001"}
    assert ids(by_update)[2:] == ["agent-onboarding-004", "agent-coding-003", "agent-support-002"]
    stamps = [item.updated_at for item in by_update.data]
    assert all(a is not None and b is not None and a >= b for a, b in itertools.pairwise(stamps))
    by_update_asc = run(client.get_sessions(sort_by="updated_at", sort_order="asc", headers=AUTH))
    assert ids(by_update_asc)[:3] == ["agent-support-002", "agent-coding-003", "agent-onboarding-004"]
    assert ids(run(client.get_sessions(headers=AUTH))) == ["client-life", *MAIN_AGENTS]

    assert run(client.delete_session("client-life", headers=AUTH)) is None
    gone = http_error(client.get_session("client-life", headers=AUTH))
    assert gone.status_code == 404
    assert gone.json()["detail"] == "Agent Session with id 'client-life' not found"
    after = run(client.get_sessions(headers=AUTH))
    assert ids(after) == MAIN_AGENTS and after.meta.total_count == 4
    assert ids(run(client.get_sessions(user_id="erin@example.com", headers=AUTH))) == []


# --- errors -----------------------------------------------------------------------------------------

NOT_FOUND: list[tuple[str, Any, str]] = [
    ("get_session agent", lambda c: c.get_session("nope", headers=AUTH), "Agent Session with id 'nope' not found"),
    ("get_session team", lambda c: c.get_session("nope", session_type=TEAM, headers=AUTH),
     "Team Session with id 'nope' not found"),
    ("get_session workflow", lambda c: c.get_session("nope", session_type=WORKFLOW, headers=AUTH),
     "Workflow Session with id 'nope' not found"),
    ("update_session", lambda c: c.update_session("nope", session_name="x", headers=AUTH),
     "Session with id 'nope' not found"),
    ("rename_session", lambda c: c.rename_session("nope", "x", headers=AUTH), "Session with id 'nope' not found"),
    ("rename_session team", lambda c: c.rename_session("nope", "x", session_type=TEAM, headers=AUTH),
     "Session with id 'nope' not found"),
    ("get_session_runs", lambda c: c.get_session_runs("nope", headers=AUTH), "Session with ID nope not found"),
    ("get_session_run unknown session", lambda c: c.get_session_run("nope", "run-agent-research-001-1", headers=AUTH),
     "Session with ID nope not found"),
    ("get_session_run unknown run", lambda c: c.get_session_run("agent-research-001", "nope", headers=AUTH),
     "Run with ID nope not found in session agent-research-001"),
    ("get_session_run session without runs", lambda c: c.get_session_run("agent-onboarding-004", "x", headers=AUTH),
     "Session with ID agent-onboarding-004 has no runs"),
]


@pytest.mark.parametrize(("call", "detail"), [(call, detail) for _, call, detail in NOT_FOUND],
                         ids=[name for name, _, _ in NOT_FOUND])
def test_an_unknown_session_or_run_is_404_with_the_detail(client: AgentOSClient, call: Any, detail: str) -> None:
    response = http_error(call(client))
    assert response.status_code == 404
    # error_code: the mock follows the spec's NotFoundResponse; AgentOS 2.3.17 sends only detail (FINDINGS §10).
    assert response.json() == {"detail": detail, "error_code": "NOT_FOUND"}


OTHER_USER: list[tuple[str, Any, str]] = [
    ("get_session", lambda c: c.get_session("agent-support-002", user_id="alice@example.com", headers=AUTH),
     "Agent Session with id 'agent-support-002' not found"),
    ("get_session team", lambda c: c.get_session("team-triage-002", session_type=TEAM, user_id="alice@example.com",
                                                 headers=AUTH), "Team Session with id 'team-triage-002' not found"),
    ("update_session", lambda c: c.update_session("agent-support-002", user_id="alice@example.com", headers=AUTH),
     "Session with id 'agent-support-002' not found"),
    ("get_session_runs", lambda c: c.get_session_runs("agent-research-001", user_id="bob@example.com", headers=AUTH),
     "Session with ID agent-research-001 not found"),
    ("get_session_run", lambda c: c.get_session_run("agent-research-001", "run-agent-research-001-1",
                                                    user_id="bob@example.com", headers=AUTH),
     "Session with ID agent-research-001 not found"),
]


@pytest.mark.parametrize(("call", "detail"), [(call, detail) for _, call, detail in OTHER_USER],
                         ids=[name for name, _, _ in OTHER_USER])
def test_another_users_session_is_404(client: AgentOSClient, call: Any, detail: str) -> None:
    response = http_error(call(client))
    assert (response.status_code, response.json()["detail"]) == (404, detail)


WRONG_TYPE: list[tuple[str, Any, str]] = [
    ("get_session", lambda c: c.get_session("agent-research-001", session_type=TEAM, headers=AUTH),
     "Team Session with id 'agent-research-001' not found"),
    ("update_session", lambda c: c.update_session("team-triage-002", session_name="x", headers=AUTH),
     "Session with id 'team-triage-002' not found"),
    ("rename_session", lambda c: c.rename_session("workflow-report-001", "x", session_type=TEAM, headers=AUTH),
     "Session with id 'workflow-report-001' not found"),
    ("get_session_runs", lambda c: c.get_session_runs("team-content-001", headers=AUTH),
     "Session with ID team-content-001 not found"),
]


@pytest.mark.parametrize(("call", "detail"), [(call, detail) for _, call, detail in WRONG_TYPE],
                         ids=[name for name, _, _ in WRONG_TYPE])
def test_a_session_of_another_type_is_404(client: AgentOSClient, call: Any, detail: str) -> None:
    """Deliberate mock behaviour: the spec's `type` picks the kind of session, so one of another
    kind is a 404 like an unknown id. AgentOS 2.3.17 ignores the stored type and answers 200,
    rendering the session with the requested type's schema (FINDINGS §3, §4, §5, §8)."""
    response = http_error(call(client))
    assert response.status_code == 404
    assert response.json() == {"detail": detail, "error_code": "NOT_FOUND"}


UNKNOWN_DB: list[tuple[str, Any]] = [
    ("get_sessions", lambda c: c.get_sessions(db_id="nope", headers=AUTH)),
    ("get_session", lambda c: c.get_session("agent-research-001", db_id="nope", headers=AUTH)),
    ("create_session", lambda c: c.create_session(db_id="nope", headers=AUTH)),
    ("delete_session", lambda c: c.delete_session("agent-research-001", db_id="nope", headers=AUTH)),
    ("delete_sessions", lambda c: c.delete_sessions(["agent-research-001"], [AGENT], db_id="nope", headers=AUTH)),
    ("update_session", lambda c: c.update_session("agent-research-001", session_name="x", db_id="nope",
                                                  headers=AUTH)),
    ("get_session_runs", lambda c: c.get_session_runs("agent-research-001", db_id="nope", headers=AUTH)),
]


@pytest.mark.parametrize("call", [call for _, call in UNKNOWN_DB], ids=[name for name, _ in UNKNOWN_DB])
def test_an_unknown_database_is_404(client: AgentOSClient, call: Any) -> None:
    response = http_error(call(client))
    assert response.status_code == 404
    # AgentOS 2.3.17's list says "404: No database found with id 'nope'" (a re-wrapped exception,
    # FINDINGS §1); the other operations say it without the prefix, as the mock does everywhere.
    assert response.json()["detail"].endswith("No database found with id 'nope'")
    assert run(client.get_session("agent-research-001", headers=AUTH)).session_name == "Market research for Q3 launch"


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer wrong-key"}, {"Authorization": f"Basic {KEY}"}, {}],
                         ids=["wrong token", "not a bearer token", "no token"])
def test_without_the_right_token_every_method_is_401(client: AgentOSClient, headers: dict[str, str]) -> None:
    calls = [
        client.get_sessions(headers=headers),
        client.get_session("agent-research-001", headers=headers),
        client.create_session(session_id="client-x", headers=headers),
        client.update_session("agent-research-001", session_name="x", headers=headers),
        client.rename_session("agent-research-001", "x", headers=headers),
        client.get_session_runs("agent-research-001", headers=headers),
        client.get_session_run("agent-research-001", "run-agent-research-001-1", headers=headers),
        client.delete_session("agent-research-001", headers=headers),
        client.delete_sessions(["agent-support-002"], [AGENT], headers=headers),
    ]
    for call in calls:
        response = http_error(call)
        assert response.status_code == 401
        # The detail sentence is the mock's own; error_code is the spec's (AgentOS 2.3.17 sends only detail).
        assert response.json()["error_code"] == "UNAUTHENTICATED" and response.json()["detail"]
    # Nothing was changed: the 401 comes first.
    assert ids(run(client.get_sessions(headers=AUTH))) == MAIN_AGENTS
    assert run(client.get_session("agent-research-001", headers=AUTH)).session_name == "Market research for Q3 launch"
    assert http_error(client.get_session("client-x", headers=AUTH)).status_code == 404


BAD_PARAMS: list[tuple[str, Any, str]] = [
    ("sort_order", lambda c: c.get_sessions(sort_order="ASC", headers=AUTH), "sort_order"),
    ("limit not a number", lambda c: c.get_sessions(limit="ten", headers=AUTH), "limit"),
    ("page not a number", lambda c: c.get_sessions(page="two", headers=AUTH), "page"),
    ("created_after not a number", lambda c: c.get_session_runs("agent-research-001", created_after="yesterday",
                                                                headers=AUTH), "created_after"),
    ("created_before not a number", lambda c: c.get_session_runs("agent-research-001", created_before="2025-10-20",
                                                                 headers=AUTH), "created_before"),
    ("rename to null", lambda c: c.rename_session("agent-research-001", None, headers=AUTH), "session_name"),
]


@pytest.mark.parametrize(("call", "names"), [(call, names) for _, call, names in BAD_PARAMS],
                         ids=[name for name, _, _ in BAD_PARAMS])
def test_bad_parameters_are_422(client: AgentOSClient, call: Any, names: str) -> None:
    response = http_error(call(client))
    assert response.status_code == 422
    # The mock's 422 is the spec's {"detail": "<sentence>", "error_code"}; AgentOS 2.3.17 answers
    # FastAPI's list of errors ({"detail": [{"type", "loc", "msg", "input"}]}, FINDINGS §10).
    body = response.json()
    assert body["error_code"] == "VALIDATION_ERROR" and names in body["detail"]
    assert run(client.get_session("agent-research-001", headers=AUTH)).session_name == "Market research for Q3 launch"
