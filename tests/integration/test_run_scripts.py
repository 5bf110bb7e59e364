"""Run scripts (issue 21): the bundled fixtures script tool calls, reasoning, a team's members, a
workflow's steps, an error and a pause; continue resumes a paused run; a bad script stops start-up
naming file, component, rule and field; a run on Redis is kept there."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mockserver.config import Config
from mockserver.errors import FixtureError
from mockserver.server.app import build_mock
from tests.conftest import FIXTURES, SPECS
from tests.inline_client import InlineClient
from tests.redis_server import RedisServer


def events(response: Any) -> list[dict[str, Any]]:
    return [json.loads(block.split("\n")[1].removeprefix("data: ")) for block in response.text.split("\n\n")
            if block]


def names(found: list[dict[str, Any]]) -> list[str]:
    return [event["event"] for event in found]


def test_a_tool_call_and_reasoning_are_streamed_before_the_text(client: Any) -> None:
    told = events(client.post("/agents/research-agent/runs", data={"message": "pricing?", "stream": "true"}))
    assert names(told)[:5] == ["RunStarted", "RunContent", "RunContent", "ToolCallStarted", "ToolCallCompleted"]
    assert "content" not in told[1] and told[1]["reasoning_content"].startswith("Compare")
    assert told[4]["tool"]["result"].startswith("3 results") and told[-1]["reasoning_content"]


def test_a_team_run_stores_its_member_runs_under_it(client: Any) -> None:
    told = events(client.post("/teams/content-team/runs", data={"message": "write", "stream": "true"}))
    team_run, session_id = told[0]["run_id"], told[0]["session_id"]
    assert names(told)[0] == "TeamRunStarted" and names(told)[-1] == "TeamRunCompleted"
    members = [e for e in told if e["event"] == "RunCompleted"]
    assert [m["agent_id"] for m in members] == ["writer-agent", "editor-agent"]
    assert all(m["parent_run_id"] == team_run for m in members)
    runs = client.get(f"/sessions/{session_id}/runs?type=team").json()
    assert [r.get("agent_id") or r.get("team_id") for r in runs] == ["writer-agent", "editor-agent", "content-team"]
    assert runs[0]["parent_run_id"] == team_run and runs[2]["parent_run_id"] == ""


def test_a_workflow_run_goes_through_its_steps(client: Any) -> None:
    told = events(client.post("/workflows/weekly-report/runs", data={"message": "this week", "stream": "true"}))
    assert names(told) == ["WorkflowStarted", *["StepStarted", "StepOutput", "StepCompleted"] * 2, "WorkflowCompleted"]
    plain = client.post("/workflows/weekly-report/runs", data={"message": "again", "stream": "false"}).json()
    assert plain["content"] == told[-1]["content"] == told[-2]["content"] and plain["status"] == "COMPLETED"


def test_a_run_that_fails_part_way_ends_with_the_error_and_is_stored_with_error_status(client: Any) -> None:
    told = events(client.post("/agents/metrics-agent/runs", data={"message": "latency?", "stream": "true"}))
    assert names(told) == ["RunStarted", "RunContent", "RunContent", "RunError"]
    assert told[-1]["content"] == "Model provider unavailable"
    plain = client.post("/agents/metrics-agent/runs", data={"message": "latency again", "stream": "false"}).json()
    assert plain["status"] == "ERROR" and plain["events"][0]["event"] == "RunError"
    stored = client.get("/__mockserver/sessions").json()
    assert {r["status"] for s in stored if s.get("agent_id") == "metrics-agent" for r in s["runs"]} == {"ERROR"}
    other = client.post("/agents/metrics-agent/runs", data={"message": "how are we?", "stream": "false"}).json()
    assert other["status"] == "COMPLETED" and other["content"].startswith("CPU at 41 %")


def test_a_paused_run_continues_once_its_tool_is_confirmed(client: Any) -> None:
    paused = events(client.post("/agents/support-agent/runs", data={"message": "a refund", "stream": "true"}))
    assert names(paused) == ["RunStarted", "RunContentCompleted", "RunPaused"]
    tool = {**paused[-1]["tools"][0], "confirmed": True}
    run_id, session_id = paused[0]["run_id"], paused[0]["session_id"]
    resumed = events(client.post(f"/agents/support-agent/runs/{run_id}/continue",
                                 data={"tools": json.dumps([tool]), "session_id": session_id, "stream": "true"}))
    assert names(resumed)[:3] == ["RunContinued", "ToolCallStarted", "ToolCallCompleted"]
    assert resumed[2]["tool"]["result"] == "refund of 20 issued" and names(resumed)[-1] == "RunCompleted"
    run = client.get(f"/sessions/{session_id}/runs/{run_id}?type=agent").json()
    assert run["content"] == resumed[-1]["content"] and len(client.get(f"/sessions/{session_id}/runs").json()) == 1
    bad = client.post(f"/agents/support-agent/runs/{run_id}/continue", data={"tools": "not json"})
    assert bad.status_code == 400 and bad.json()["detail"] == "Invalid JSON in tools field"


def test_an_unmatched_message_gets_the_documented_default_reply(client: Any) -> None:
    plain = client.post("/agents/support-agent/runs", data={"message": "x", "stream": "false"}).json()
    assert plain["content"] == "Thanks for reaching out! Could you tell me your order number?"
    unscripted = build_mock(Config(specs=SPECS, fixtures=FIXTURES))
    unscripted.profile.context.scripts.by_component.clear()  # type: ignore[union-attr]
    answer = InlineClient(unscripted.app).post("/agents/support-agent/runs", data={"message": "x", "stream": "false"})
    assert answer.json()["content"] == "Support Agent received: x"


@pytest.mark.parametrize(("script", "where"), [
    ({"agents": {"nobody": {"rules": []}}}, "scripts: agents.nobody: id: no agent 'nobody'"),
    ({"agents": {"research-agent": {"rules": [{"match": {"any": True}, "reply": {"text": "a"}},
                                              {"match": {"contains": "x"}, "reply": {"txt": "b"}}]}}},
     "scripts: agents.research-agent: rules[1]: reply.txt: unknown field"),
    ({"teams": {"content-team": {"rules": [{"match": {"any": True},
                                            "reply": {"members": [{"agent": "log-agent", "text": "t"}]}}]}}},
     "scripts: teams.content-team: rules[0]: reply.members[0].agent: 'log-agent' is not a member"),
    ({"agents": {"research-agent": {"rules": [{"match": {"regex": "("}, "reply": {"text": "a"}}]}}},
     "scripts: agents.research-agent: rules[0]: match.regex: not a regular expression"),
])
def test_a_script_fixture_error_names_file_component_rule_and_field(tmp_path: Path, script: dict[str, Any],
                                                                    where: str) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    (fixtures / "scripts.yaml").write_text(json.dumps({"scripts": script}))
    with pytest.raises(FixtureError) as raised:
        build_mock(Config(specs=SPECS, fixtures=fixtures))
    assert str(raised.value).startswith(f"{fixtures / 'scripts.yaml'}: {where}"), str(raised.value)


@pytest.mark.process
def test_a_run_on_the_redis_store_is_kept_there(redis_server: RedisServer, redis_prefix: str) -> None:
    config = Config(specs=SPECS, fixtures=FIXTURES, store=redis_server.url, store_prefix=redis_prefix,
                    reset_on_start=True)
    first = build_mock(config)
    first.state.prepare(config)
    answer = InlineClient(first.app).post("/agents/research-agent/runs", data={"message": "hi", "stream": "false"})
    assert answer.status_code == 200, answer.text
    other = build_mock(Config(specs=SPECS, fixtures=FIXTURES, store=redis_server.url, store_prefix=redis_prefix))
    session = InlineClient(other.app).get(f"/sessions/{answer.json()['session_id']}?type=agent")
    assert session.status_code == 200 and session.json()["session_name"] == "hi"
    stored = asyncio.run(other.profile.context.store.get("main-db", answer.json()["session_id"]))  # type: ignore[union-attr]
    assert stored is not None and stored["runs"][0]["status"] == "COMPLETED"


@pytest.mark.process
@pytest.mark.server
def test_a_cancel_sent_to_another_worker_stops_the_run_through_redis(redis_server: RedisServer,
                                                                     redis_prefix: str) -> None:
    import httpx

    from mockserver.server.serving import serve_in_thread

    config = Config(specs=SPECS, fixtures=FIXTURES, store=redis_server.url, store_prefix=redis_prefix,
                    reset_on_start=True, stream_delay=100)
    streaming = build_mock(config)
    streaming.state.prepare(config)
    other = InlineClient(build_mock(config).app)  # another worker: its own process state, the same Redis
    served = serve_in_thread(streaming.app)
    try:
        seen: list[str] = []
        with httpx.stream("POST", f"{served.url}/agents/research-agent/runs", timeout=10,
                          data={"message": "hello", "stream": "true"}) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    data = json.loads(line.removeprefix("data: "))
                    seen.append(data["event"])
                    if seen.count("RunContent") == 1:
                        cancel = other.post(f"/agents/research-agent/runs/{data['run_id']}/cancel")
                        assert cancel.status_code == 200
        assert seen[-1] == "RunCancelled" and "RunCompleted" not in seen, seen
    finally:
        served.stop()
