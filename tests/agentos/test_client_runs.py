"""agno 2.3.17's own client runs agents, teams and workflows: against the mock and the reference.

Every run method of ``agno.client.AgentOSClient`` (run_agent, run_agent_stream, continue_agent_run,
continue_agent_run_stream, cancel_agent_run, and the team and workflow ones), called as an
application would, its answers parsed into agno's models (RunOutput, TeamRunOutput,
WorkflowRunOutput, the typed events), then the runs read back through the client's session methods.
Each test runs twice: against a real AgentOS 2.3.17 on scripted models (scripted_agentos.py: the
proof that the expectations are AgentOS's) and against the mock, both on tests/data/run-scripts.yaml.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import uuid
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from agno.client import AgentOSClient
from agno.db.base import SessionType
from agno.models.response import ToolExecution
from agno.run.base import RunStatus
from agno.utils.http import aclose_default_clients

from tests.conftest import FIXTURES
from tests.processes import ServerProcess

pytestmark = [pytest.mark.agentos, pytest.mark.process]

T = TypeVar("T")
SCRIPTED = Path(__file__).with_name("scripted_agentos.py")
SCRIPTS = Path(__file__).resolve().parents[1] / "data" / "run-scripts.yaml"
DEADLINE_SECONDS = 90
STREAM_EVENTS = 200  # bound on the events a test reads from one stream
HELLO = "Hello! How can I help you today?"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Await client calls in a fresh loop, closing agno's process-wide httpx client before it ends."""
    async def closing() -> T:
        try:
            return await asyncio.wait_for(coro, 60)
        finally:
            await aclose_default_clients()

    return asyncio.run(closing())


@pytest.fixture(scope="module", params=["agentos", "mock"])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    pytest.importorskip("agno", reason="the agentos extra installs agno 2.3.17 (make venv does)")
    with tempfile.TemporaryDirectory() as folder:
        if request.param == "agentos":
            server = ServerProcess([sys.executable, str(SCRIPTED), "--db-dir", folder, "--scripts", str(SCRIPTS)],
                                   r"agentos listening on (http://\S+)")
            try:
                yield server.wait_ready(DEADLINE_SECONDS)
            finally:
                server.stop()
            return
        from mockserver.config import Config
        from mockserver.server import build_mock, serve_in_thread

        fixtures = Path(folder, "fixtures")
        shutil.copytree(FIXTURES, fixtures)
        shutil.copy(SCRIPTS, fixtures / "scripts.yaml")
        config = Config(fixtures=fixtures, port=0, store="memory", store_prefix=f"client-{uuid.uuid4().hex[:8]}")
        mock = build_mock(config)
        mock.state.prepare(config)
        background = serve_in_thread(mock.app)
        try:
            yield background.url
        finally:
            background.stop()
            mock.state.drop()


@pytest.fixture
def client(url: str) -> AgentOSClient:
    return AgentOSClient(base_url=url, timeout=30)


async def events_of(stream: Any) -> list[Any]:
    events = []
    async for event in stream:
        events.append(event)
        if len(events) >= STREAM_EVENTS:
            break
    return events


def names(events: list[Any]) -> list[str]:
    return [event.event for event in events]


def test_run_agent_answers_a_completed_run_output_the_session_remembers(client: AgentOSClient) -> None:
    async def scenario() -> tuple[Any, Any, Any, Any]:
        output = await client.run_agent("research-agent", "hello", user_id="alice@example.com")
        session = await client.get_session(output.session_id, SessionType.AGENT, db_id="main-db")
        runs = await client.get_session_runs(output.session_id, SessionType.AGENT, db_id="main-db")
        one = await client.get_session_run(output.session_id, output.run_id, SessionType.AGENT, db_id="main-db")
        return output, session, runs, one

    output, session, runs, one = run(scenario())
    assert (output.content, output.status, output.agent_id) == (HELLO, RunStatus.completed, "research-agent")
    assert output.user_id == "alice@example.com"
    assert [m.role for m in output.messages] == ["user", "assistant"]
    assert session.session_name == "hello" and session.agent_id == "research-agent"
    assert [m["content"] for m in session.chat_history] == ["hello", HELLO]
    assert [r.run_id for r in runs] == [output.run_id] and one.content == HELLO


def test_run_agent_stream_yields_typed_events_and_continues_the_session(client: AgentOSClient) -> None:
    async def scenario() -> tuple[list[Any], list[Any], Any]:
        first = await events_of(client.run_agent_stream("research-agent", "hello"))
        session_id = first[0].session_id
        second = await events_of(client.run_agent_stream("research-agent", "what about pricing?",
                                                         session_id=session_id))
        session = await client.get_session(session_id, SessionType.AGENT, db_id="main-db")
        return first, second, session

    first, second, session = run(scenario())
    assert names(first) == ["RunStarted", *["RunContent"] * 7, "RunContentCompleted", "RunCompleted"]
    assert "".join(e.content for e in first if e.event == "RunContent") == HELLO
    assert names(second)[:3] == ["RunStarted", "ToolCallStarted", "ToolCallCompleted"]
    assert second[2].tool.tool_name == "search_web" and second[2].tool.result == "3 results"
    assert second[-1].content == "Three vendors compared." and second[-1].session_id == first[0].session_id
    assert [m["content"] for m in session.chat_history if m.get("content")] == [
        "hello", HELLO, "what about pricing?", "Three vendors compared."]


def test_continue_agent_run_confirms_the_paused_tool(client: AgentOSClient) -> None:
    async def scenario() -> tuple[Any, Any, list[Any], list[Any]]:
        paused = await client.run_agent("support-agent", "refund please")
        tools = [ToolExecution.from_dict(t.to_dict() | {"confirmed": True}) for t in paused.tools or []]
        done = await client.continue_agent_run("support-agent", paused.run_id, tools, session_id=paused.session_id)
        streamed = await events_of(client.run_agent_stream("support-agent", "refund please"))
        pause = streamed[-1]
        # agno's RunPausedEvent.from_dict leaves its tools as dicts (a RunOutput's are ToolExecutions).
        confirmed = [ToolExecution.from_dict(dict(t) | {"confirmed": True}) for t in pause.tools or []]
        resumed = await events_of(client.continue_agent_run_stream("support-agent", pause.run_id, confirmed,
                                                                   session_id=pause.session_id))
        return paused, done, streamed, resumed

    paused, done, streamed, resumed = run(scenario())
    assert paused.status == RunStatus.paused and paused.tools[0].requires_confirmation
    assert (done.status, done.content, done.run_id) == (RunStatus.completed, "Refund issued.", paused.run_id)
    assert done.tools[0].result == "refund 20 issued"
    assert names(streamed) == ["RunStarted", "RunContentCompleted", "RunPaused"]
    assert names(resumed)[:3] == ["RunContinued", "ToolCallStarted", "ToolCallCompleted"]
    assert resumed[-1].event == "RunCompleted" and resumed[-1].content == "Refund issued."


def test_cancel_agent_run_ends_the_stream_with_run_cancelled(client: AgentOSClient) -> None:
    async def scenario() -> tuple[list[Any], Any]:
        events: list[Any] = []
        async for event in client.run_agent_stream("coding-agent", "write code"):
            events.append(event)
            if sum(e.event == "RunContent" for e in events) == 2 and len(events) == 3:
                await client.cancel_agent_run("coding-agent", event.run_id)
            if len(events) >= STREAM_EVENTS:
                break
        runs = await client.get_session_runs(events[0].session_id, SessionType.AGENT, db_id="main-db")
        return events, runs

    events, runs = run(scenario())
    assert names(events)[-1] == "RunCancelled" and "RunCompleted" not in names(events)
    assert [r.run_id for r in runs] == [events[0].run_id]


def test_team_runs_delegate_to_members_and_store_their_runs(client: AgentOSClient) -> None:
    async def scenario() -> tuple[Any, list[Any], Any]:
        output = await client.run_team("content-team", "write about agents")
        streamed = await events_of(client.run_team_stream("content-team", "write about agents"))
        runs = await client.get_session_runs(output.session_id, SessionType.TEAM, db_id="main-db")
        return output, streamed, runs

    output, streamed, runs = run(scenario())
    assert (output.content, output.status) == ("Here is the article: agents are very useful.", RunStatus.completed)
    assert names(streamed)[0] == "TeamRunStarted" and names(streamed)[-1] == "TeamRunCompleted"
    assert [m.agent_id for m in streamed[-1].member_responses] == ["writer-agent", "editor-agent"]
    members = [r for r in runs if r.parent_run_id]
    assert [r.agent_id for r in members] == ["writer-agent", "editor-agent"]
    assert {r.parent_run_id for r in members} == {output.run_id}


def test_cancel_team_run_ends_the_stream_with_team_run_cancelled(client: AgentOSClient) -> None:
    async def scenario() -> list[Any]:
        events: list[Any] = []
        async for event in client.run_team_stream("planning-team", "plan it"):
            events.append(event)
            if event.event == "TeamRunStarted":
                await asyncio.sleep(0)  # the leader is paced; cancel as soon as the run is known
                await client.cancel_team_run("planning-team", event.run_id)
            if len(events) >= STREAM_EVENTS:
                break
        return events

    events = run(scenario())
    assert names(events)[-1] == "TeamRunCancelled" and "TeamRunCompleted" not in names(events)


def test_workflow_runs_answer_their_steps(client: AgentOSClient) -> None:
    async def scenario() -> tuple[Any, list[Any], Any]:
        output = await client.run_workflow("weekly-report", "this week")
        streamed = await events_of(client.run_workflow_stream("weekly-report", "this week"))
        runs = await client.get_session_runs(output.session_id, SessionType.WORKFLOW, db_id="main-db")
        return output, streamed, runs

    output, streamed, runs = run(scenario())
    assert (output.content, output.status) == ("Weekly report: 12 updates.", RunStatus.completed)
    assert [s.step_name for s in output.step_results] == ["gather", "write"]
    assert names(streamed) == ["WorkflowStarted", *["StepStarted", "StepOutput", "StepCompleted"] * 2,
                               "WorkflowCompleted"]
    assert [r.run_id for r in runs] == [output.run_id] and runs[0].status == "COMPLETED"


def test_cancel_workflow_run_ends_the_stream_with_workflow_cancelled(client: AgentOSClient) -> None:
    async def scenario() -> list[Any]:
        events: list[Any] = []
        async for event in client.run_workflow_stream("contract-review", "review it"):
            events.append(event)
            if event.event == "StepCompleted" and len([e for e in events if e.event == "StepCompleted"]) == 1:
                await client.cancel_workflow_run("contract-review", event.run_id)
            if len(events) >= STREAM_EVENTS:
                break
        return events

    events = run(scenario())
    assert "WorkflowCancelled" in names(events)
    assert names(events).count("StepCompleted") < 3
