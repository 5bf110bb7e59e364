"""A team's and a workflow's scripted reply, told as AgentOS 2.3.17 tells them (``replies`` tells
an agent's). The team's leader delegates to each member in turn (``delegate_task_to_member``, the
team's message as the task): the member's run is an agent run under the team's
(``parent_run_id``), streamed inside the team's stream and stored in the team's session; then the
leader answers. A workflow runs its steps in order (``StepStarted``, ``StepOutput``,
``StepCompleted``) and ends with its content, by default the last step's. No web imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from mockserver.agentos.components import Component
from mockserver.agentos.replies import RunInput, Told, derived_id, tell_agent, tell_content
from mockserver.agentos.run_records import run_output, stored_run
from mockserver.agentos.scripts import Reply, Script, Tool
from mockserver.agentos.team_prompt import leader_prompt
from mockserver.agentos.tools import assistant_calls, tool_message, tool_object, tool_summary

Components = Mapping[tuple[str, str], Component]
Teller = Callable[[Components, RunInput, Reply, Script], tuple[Told, list[dict[str, Any]] | None]]
STEP_FIELDS = ("step_run_id", "images", "videos", "audio", "metrics")


def agent(components: Components, run: RunInput, reply: Reply, script: Script) -> tuple[Told, None]:
    return tell_agent(run, reply, script), None


def team(components: Components, run: RunInput, reply: Reply,
         script: Script) -> tuple[Told, list[dict[str, Any]]]:
    told = Told()
    told.events.append({**run.base("TeamRunStarted"), "model": run.component.model[0],
                        "model_provider": run.component.model[1]})
    listed = run.component.members or tuple(member_id for member_id, _ in reply.members)
    named = [(member_id, components[("agent", member_id)].name if ("agent", member_id) in components
              else member_id) for member_id in listed]
    told.system = leader_prompt(named)
    members: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    for index, (member_id, text) in enumerate(reply.members):
        member = components.get(("agent", member_id)) or Component("agent", member_id, member_id, None)
        member_id_of_run = derived_id("member", run.run_id, index + 1)
        state = {"current_session_id": run.session_id, "current_run_id": member_id_of_run}
        member_run = replace(run, component=member, run_id=member_id_of_run, parent_run_id=run.run_id,
                             session_state=state)
        delegate = Tool("delegate_task_to_member", {"member_id": member_id, "task": run.message}, text)
        number = index + 1
        started = tool_object(delegate, number, run.created_at)
        told.events.append({**run.base("TeamToolCallStarted"), "tool": started})
        member_told = tell_agent(member_run, Reply(text=text), Script(chunk=script.chunk))
        told.events.extend(member_told.events)
        done = tool_object(delegate, number, run.created_at, done=True, child_run_id=member_run.run_id)
        told.events.append({**run.base("TeamToolCallCompleted"), "content": tool_summary(delegate),
                            "tool": done})
        told.tools.append({**done, "metrics": {}, "child_run_id": None})  # a plain run's: see delegations
        told.said += [assistant_calls(delegate, number, run.created_at),
                      tool_message(delegate, number, run.created_at)]
        members.append(stored_run(member_run, member_told, streamed=False))
        responses.append(run_output(member_run, member_told))
    told.extra = {"member_responses": responses}  # in its stream's TeamRunCompleted (a plain run: [])
    tell_content(run, reply.text or "", script, told, reply.fail)
    return told, members


def step_result(name: str, text: str, step_id: str) -> dict[str, Any]:
    return {"content": text, "step_name": name, "step_id": step_id, "step_type": "Step",
            "executor_type": "function", "executor_name": name, **dict.fromkeys(STEP_FIELDS),
            "success": True, "error": None, "stop": False, "files": None}


def step_uuid(workflow_id: str, index: int, name: str) -> str:
    """A step's id: AgentOS's is its workflow's ``Step``'s, the same in every run of the workflow."""
    return derived_id(f"step-{name}", workflow_id, index)


def workflow(components: Components, run: RunInput, reply: Reply, script: Script) -> tuple[Told, None]:
    told = Told()
    told.events.append(run.base("WorkflowStarted"))
    results = []
    steps = reply.steps or (("reply", reply.text or ""),)  # a real workflow has at least one step
    for index, (name, text) in enumerate(steps):
        step_id = step_uuid(run.component.id, index, name)
        result = step_result(name, text, step_id)
        output = {"step_name": name, "step_id": step_id, "step_type": "Step", "executor_type": "function",
                  "executor_name": name, "content": text, **dict.fromkeys(STEP_FIELDS), "files": None,
                  "success": True, "error": None, "stop": False, "steps": None}
        where = {"step_name": name, "step_index": index}
        told.events += [{**run.base("StepStarted"), "step_id": step_id, **where},
                        {**run.base("StepOutput"), **where, "step_output": output},
                        {**run.base("StepCompleted"), "step_id": step_id, **where, "content": text,
                         "content_type": "str", "step_response": result}]
        told.first_text = told.first_text or len(told.events) - 2
        results.append(result)
    told.extra = {"step_results": results}
    if reply.fail is not None:
        told.status, told.error = "ERROR", reply.fail[1]
        told.events.append({**run.base("WorkflowError"), "error": reply.fail[1]})
        return told, None
    told.text = reply.text if reply.text is not None else steps[-1][1]
    told.events.append({**run.base("WorkflowCompleted"), "content": told.text, "content_type": "str",
                        "step_results": results})
    return told, None


TELLERS: dict[str, Teller] = {"agent": agent, "team": team, "workflow": workflow}
