"""How the AgentOS profile keeps runs as agno 2.3.17 keeps them (what the runs differential found):
a team's delegations, runs read back before a session takes another, where a cancel stops, the
team leader's prompt, and ids that follow from the run's."""

from __future__ import annotations

import uuid
from typing import Any

from mockserver.agentos.delegations import kept_delegations
from mockserver.agentos.handlers.run_stream import grace
from mockserver.agentos.replies import Told, derived_id
from mockserver.agentos.round_trip import run_read_back
from mockserver.agentos.team_prompt import leader_prompt


def delegation(event: str, child: str | None) -> dict[str, Any]:
    return {"event": event, "tool": {"tool_call_id": "call", "tool_name": "delegate_task_to_member",
                                      "child_run_id": child}}


def test_kept_delegations_name_their_own_member_when_started_and_the_last_one_after() -> None:
    events = [{"event": "TeamRunStarted"}, delegation("TeamToolCallStarted", None),
              delegation("TeamToolCallCompleted", "m1"), delegation("TeamToolCallStarted", None),
              delegation("TeamToolCallCompleted", "m2")]
    tools = [delegation("", None)["tool"], delegation("", None)["tool"]]
    kept, kept_tools = kept_delegations(events, tools)
    assert [e.get("tool", {}).get("child_run_id") for e in kept] == [None, "m1", "m2", "m2", "m2"]
    assert [t["child_run_id"] for t in kept_tools] == ["m2", "m2"]
    assert events[1]["tool"]["child_run_id"] is None  # the events told are not changed


def test_a_run_read_back_gives_its_tools_metrics_and_an_input_schema_but_keeps_paused_tools() -> None:
    tool = {"tool_call_id": "call_1", "metrics": None, "user_input_schema": None}
    run = {"tools": [tool], "events": [{"event": "ToolCallStarted", "tool": tool},
                                       {"event": "RunPaused", "tools": [tool],
                                        "requirements": [{"id": "r", "tool_execution": tool}]}]}
    back = run_read_back(run)
    assert back["tools"] == [{"tool_call_id": "call_1", "metrics": {}, "user_input_schema": []}]
    assert back["events"][0]["tool"] == back["tools"][0]
    assert back["events"][1]["tools"] == [tool]
    assert back["events"][1]["requirements"] == [{"id": "r", "user_input_schema": [],
                                                  "tool_execution": back["tools"][0]}]
    assert run["tools"] == [tool] and tool["metrics"] is None


def told(*names: str) -> Told:
    return Told(events=[{"event": name} for name in names])


def test_a_team_cancelled_during_a_member_run_lets_it_finish() -> None:
    team = told("TeamRunStarted", "TeamToolCallStarted", "RunStarted", "RunContent", "RunContent",
                "RunCompleted", "TeamToolCallCompleted", "TeamRunContent", "TeamRunCompleted")
    assert grace(team, 4) == 7
    assert grace(team, 8) == 8  # the leader's own text: it stops there


def test_a_workflow_cancelled_between_steps_starts_the_next_one_and_an_agent_stops() -> None:
    flow = told("WorkflowStarted", "StepStarted", "StepOutput", "StepCompleted", "StepStarted", "StepOutput")
    assert grace(flow, 4) == 5 and grace(flow, 2) == 2
    assert grace(told("RunStarted", "RunContent", "RunContent", "RunCompleted"), 2) == 2


def test_the_leader_prompt_lists_the_members_by_id_and_name() -> None:
    prompt = leader_prompt([("writer-agent", "Writer Agent"), ("editor-agent", "Editor Agent")])
    assert prompt.startswith("You are the leader of a team and sub-teams of AI Agents.\n")
    assert " - Agent 2:\n   - ID: editor-agent\n   - Name: Editor Agent\n</team_members>" in prompt
    assert prompt.endswith("</how_to_respond>")


def test_derived_ids_are_uuids_that_follow_from_the_run() -> None:
    run_id = str(uuid.uuid4())
    first = derived_id("member", run_id, 1)
    assert uuid.UUID(first) and first == derived_id("member", run_id, 1)
    assert len({first, derived_id("member", run_id, 2), derived_id("requirement", run_id, 1)}) == 3
