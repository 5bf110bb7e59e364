"""A scripted reply as AgentOS 2.3.17 tells it (docs/agentos-runs-reference.md, observed on a real
AgentOS): an agent run's events, in order, with agno's fields, and what the run says in the end
(``Told``). A team's and a workflow's in ``team_replies``; metrics in ``run_metrics``. No web
imports.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mockserver.agentos.components import Component
from mockserver.agentos.run_metrics import metrics, tokens
from mockserver.agentos.scripts import Reply, Script, Tool
from mockserver.agentos.tools import assistant_calls, tool_message, tool_object, tool_summary

Event = dict[str, Any]
WORD = re.compile(r"\s*\S+\s*")
PAUSED_TEXT = "I have tools to execute, but I need confirmation."


def default_reply(component: Component, message: str) -> Reply:
    """The documented reply to a message no rule matches."""
    return Reply(text=f"{component.name} received: {message}")


def chunks(text: str, chunk: str | int) -> list[str]:
    if chunk == "words":
        return WORD.findall(text) or ([text] if text else [])
    return [text[start:start + int(chunk)] for start in range(0, len(text), int(chunk))]


@dataclass
class RunInput:
    """What a run request says, and the ids the mock gave it."""

    component: Component
    message: str
    run_id: str
    session_id: str
    created_at: int
    user_id: str | None = None
    session_state: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    parent_run_id: str | None = None
    delay: float = 0.0  # seconds before each streamed part
    steps: tuple[str, ...] = ()  # a workflow's step names, as its session shows them

    def base(self, event: str) -> Event:
        kind = self.component.kind
        base: Event = {"created_at": self.created_at, "event": event, f"{kind}_id": self.component.id,
                       f"{kind}_name": self.component.name}
        if kind == "workflow":  # a workflow's events name the session before the run
            return {**base, "session_id": self.session_id, "run_id": self.run_id}
        base["run_id"] = self.run_id
        if self.parent_run_id:
            base["parent_run_id"] = self.parent_run_id
        base["session_id"] = self.session_id
        return base


@dataclass
class Told:
    """A reply told: its events, and what the run says in the end."""

    events: list[Event] = field(default_factory=list)
    status: str = "COMPLETED"
    text: str = ""
    reasoning: str = ""
    tools: list[dict[str, Any]] = field(default_factory=list)
    said: list[dict[str, Any]] = field(default_factory=list)  # the model's messages (after the user's)
    error: str | None = None
    requirements: list[dict[str, Any]] | None = None
    first_text: int | None = None  # the index of the first event of text
    extra: dict[str, Any] = field(default_factory=dict)  # what only a team's or a workflow's output has
    earlier: list[Event] = field(default_factory=list)  # a continued run's events before it paused
    system: str | None = None  # the system message before the user's (a team leader's prompt)


def tell_tools(run: RunInput, tools: tuple[Tool, ...], told: Told, prefix: str = "") -> None:
    for tool in tools:
        number = len(told.tools) + 1
        started = tool_object(tool, number, run.created_at)
        told.events.append({**run.base(f"{prefix}ToolCallStarted"), "tool": started})
        done = tool_object(tool, number, run.created_at, done=True)
        told.events.append({**run.base(f"{prefix}ToolCallCompleted"), "content": tool_summary(tool),
                            "tool": done})
        if tool.error is not None:
            told.events.append({**run.base(f"{prefix}ToolCallError"), "error": tool.error, "tool": done})
        told.tools.append({**done, "metrics": {}})  # a run's tools keep no duration
        calls = assistant_calls(tool, number, run.created_at)
        if told.reasoning and not any(message.get("role") == "assistant" for message in told.said):
            calls["reasoning_content"] = told.reasoning  # the model's first message carries it
        told.said += [calls, tool_message(tool, number, run.created_at)]


def tell_agent(run: RunInput, reply: Reply, script: Script) -> Told:
    """The events of an agent's run of ``reply``, and its outcome."""
    told = Told()
    told.events.append({**run.base("RunStarted"), "model": run.component.model[0],
                        "model_provider": run.component.model[1]})
    for step in reply.reasoning:
        told.events.append({**run.base("RunContent"), "workflow_agent": False, "content_type": "str",
                            "reasoning_content": step})
        told.reasoning += step
    tell_tools(run, reply.tools, told)
    if reply.pause is not None:
        number = len(told.tools) + 1
        paused = tool_object(reply.pause, number, run.created_at, confirm=True)
        earlier = list(told.tools)  # RunPaused lists every tool of the run so far
        told.said.append(assistant_calls(reply.pause, number, run.created_at))
        told.requirements = [{"id": derived_id("requirement", run.run_id, number),
                              "created_at": iso(run.created_at), "tool_execution": paused}]
        told.events.append(run.base("RunContentCompleted"))
        told.tools.append(paused)
        told.events.append({**run.base("RunPaused"), "content": PAUSED_TEXT, "tools": [*earlier, paused],
                            "requirements": told.requirements})
        told.status, told.text = "PAUSED", PAUSED_TEXT
        return told
    tell_content(run, reply.text or "", script, told, reply.fail)
    return told


def derived_id(kind: str, run_id: str, number: int) -> str:
    """A uuid for a run's member run, requirement or message: AgentOS's are random, the mock's
    follow from the run's id, so that every answer showing one shows the same."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"agentos-{kind}:{run_id}/{number}"))


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def tell_content(run: RunInput, text: str, script: Script, told: Told, fail: tuple[int, str] | None) -> None:
    """The text's chunks, then the end of the run (or its error, ``fail``: after so many chunks)."""
    team = run.component.kind == "team"
    prefix = "Team" if team else ""
    parts = chunks(text, script.chunk)
    told.first_text = len(told.events)
    for part in parts[:fail[0]] if fail is not None else parts:
        shown = {"content": part} if team else {"content": part, "workflow_agent": False}
        told.events.append({**run.base(f"{prefix}RunContent"), **shown, "content_type": "str",
                            "reasoning_content": ""})
        told.text += part
    if fail is not None:
        told.status, told.error = "ERROR", fail[1]
        told.events.append({**run.base(f"{prefix}RunError"), "content": fail[1]})
        return
    usage = {"input_tokens": tokens(run.message), "output_tokens": tokens(told.text)}
    usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
    first = not any(message.get("role") == "assistant" for message in told.said)
    told.said.append({"role": "assistant", "content": told.text,
                      **({"reasoning_content": told.reasoning} if told.reasoning and first else {}),
                      "metrics": {name: value for name, value in usage.items() if value},
                      "created_at": run.created_at})
    told.events.append(run.base(f"{prefix}RunContentCompleted"))
    completed = {**run.base(f"{prefix}RunCompleted"), "content": told.text, "content_type": "str"}
    if told.reasoning:
        completed["reasoning_content"] = told.reasoning
    completed.update(told.extra) if team else completed.update(session_state=run.session_state or {})
    if run.metadata is not None and not team:
        completed["metadata"] = run.metadata
    told.events.append({**completed, "metrics": metrics(run, told)})
