"""A team's and a workflow's scripted reply, told as AgentOS 2.3.17 tells them (``replies`` tells
an agent's). A team's members run first, each an agent run under the team's (``parent_run_id``),
streamed inside the team's stream and stored in the team's session; then the leader answers. A
workflow runs its steps in order (``StepStarted``, ``StepCompleted``) and ends with its content,
by default the last step's. No web imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from mockserver.agentos.components import Component
from mockserver.agentos.replies import RunInput, Told, tell_agent, tell_content
from mockserver.agentos.run_records import stored_run
from mockserver.agentos.scripts import Reply, Script

Components = Mapping[tuple[str, str], Component]
Teller = Callable[[Components, RunInput, Reply, Script], tuple[Told, list[dict[str, Any]] | None]]


def agent(components: Components, run: RunInput, reply: Reply, script: Script) -> tuple[Told, None]:
    return tell_agent(run, reply, script), None


def team(components: Components, run: RunInput, reply: Reply,
         script: Script) -> tuple[Told, list[dict[str, Any]]]:
    told = Told()
    told.events.append({**run.base("TeamRunStarted"), "model": run.component.model[0],
                        "model_provider": run.component.model[1]})
    members: list[dict[str, Any]] = []
    for index, (member_id, text) in enumerate(reply.members):
        member = components.get(("agent", member_id)) or Component("agent", member_id, member_id, None)
        member_run = replace(run, component=member, run_id=f"{run.run_id}-m{index}", parent_run_id=run.run_id)
        member_told = tell_agent(member_run, Reply(text=text), Script(chunk=script.chunk))
        told.events.extend(member_told.events)
        told.content_events += member_told.content_events
        members.append(stored_run(member_run, member_told))
    tell_content(run, reply.text or "", script, told, reply.fail)
    return told, members


def workflow(components: Components, run: RunInput, reply: Reply, script: Script) -> tuple[Told, None]:
    told = Told()
    told.events.append(run.base("WorkflowStarted"))
    for index, (name, text) in enumerate(reply.steps):
        step = {"step_name": name, "step_index": index}
        told.events.append({**run.base("StepStarted"), **step})
        told.events.append({**run.base("StepCompleted"), **step, "content": text, "content_type": "str"})
        told.content_events += 1
    if reply.fail is not None:
        told.status, told.error = "ERROR", reply.fail[1]
        told.events.append({**run.base("WorkflowError"), "error": reply.fail[1]})
        return told, None
    told.text = reply.text if reply.text is not None else (reply.steps[-1][1] if reply.steps else "")
    told.events.append({**run.base("WorkflowCompleted"), "content": told.text, "content_type": "str"})
    return told, None


TELLERS: dict[str, Teller] = {"agent": agent, "team": team, "workflow": workflow}
