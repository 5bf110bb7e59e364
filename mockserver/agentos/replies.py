"""A scripted reply as AgentOS 2.3.17 tells it: the events of a run, in order, and the run it
stores (``Told``). Agent runs here; a team's and a workflow's in ``team_replies``. The events'
names and fields are agno's (``agno.run.agent``); metrics are derived from the reply alone:
tokens are a quarter of the characters (rounded up), durations the pauses the reply is streamed
with. No web imports.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from mockserver.agentos.components import Component
from mockserver.agentos.scripts import Reply, Script, Tool

Event = dict[str, Any]
WORD = re.compile(r"\s*\S+\s*")


def default_reply(component: Component, message: str) -> Reply:
    """The documented reply to a message no rule matches."""
    return Reply(text=f"{component.name} received: {message}")


def chunks(text: str, chunk: str | int) -> list[str]:
    if not text:
        return []
    if chunk == "words":
        return WORD.findall(text) or [text]
    size = int(chunk)
    return [text[start:start + size] for start in range(0, len(text), size)]


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


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
    delay: float = 0.0  # seconds before each streamed chunk

    def base(self, event: str) -> Event:
        names = {"agent": ("agent_id", "agent_name"), "team": ("team_id", "team_name"),
                 "workflow": ("workflow_id", "workflow_name")}[self.component.kind]
        base: Event = {"created_at": self.created_at, "event": event, names[0]: self.component.id,
                       names[1]: self.component.name, "run_id": self.run_id}
        if self.parent_run_id:
            base["parent_run_id"] = self.parent_run_id
        base["session_id"] = self.session_id
        return base


@dataclass
class Told:
    """A reply told: its events (``content`` ones are the streamed chunks) and what is stored."""

    events: list[Event] = field(default_factory=list)
    content_events: int = 0
    status: str = "COMPLETED"
    tools: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    error: str | None = None
    paused: Tool | None = None


def tool_execution(tool: Tool, index: int, created_at: int, result: str | None = None,
                   confirm: bool = False) -> dict[str, Any]:
    execution: dict[str, Any] = {"tool_call_id": f"call_{index}", "tool_name": tool.name,
                                 "tool_args": tool.arguments, "tool_call_error": tool.error is not None,
                                 "result": tool.error if tool.error is not None else result,
                                 "stop_after_tool_call": False, "created_at": created_at}
    if confirm:
        execution.update(requires_confirmation=True, result=None, tool_call_error=None)
    return execution


def tell_agent(run: RunInput, reply: Reply, script: Script) -> Told:
    """The events of an agent's run of ``reply``, and its outcome."""
    told = Told()
    told.events.append({**run.base("RunStarted"), "model": run.component.model[0],
                        "model_provider": run.component.model[1]})
    if reply.reasoning:
        told.events.append(run.base("ReasoningStarted"))
        for step in reply.reasoning:
            told.events.append({**run.base("ReasoningStep"), "content": {"title": step, "reasoning": step},
                                "content_type": "ReasoningStep", "reasoning_content": step + "\n"})
        told.events.append({**run.base("ReasoningCompleted"), "content_type": "str"})
    for index, tool in enumerate(reply.tools):
        execution = tool_execution(tool, index, run.created_at, tool.result)
        told.tools.append(execution)
        told.events.append({**run.base("ToolCallStarted"), "tool": {**execution, "result": None}})
        if tool.error is not None:
            told.events.append({**run.base("ToolCallError"), "tool": execution, "error": tool.error})
        told.events.append({**run.base("ToolCallCompleted"), "tool": execution,
                            "content": execution["result"]})
    if reply.pause is not None:
        paused = tool_execution(reply.pause, len(reply.tools), run.created_at, confirm=True)
        told.tools.append(paused)
        told.events.append({**run.base("RunPaused"), "tools": [paused]})
        told.status, told.paused = "PAUSED", reply.pause
        return told
    tell_content(run, reply.text or "", script, told, reply.fail)
    return told


def tell_content(run: RunInput, text: str, script: Script, told: Told, fail: tuple[int, str] | None) -> None:
    """The text's chunks, then the end of the run (or its error, ``fail``: after so many chunks)."""
    prefix = "Team" if run.component.kind == "team" else ""
    parts = chunks(text, script.chunk)
    if fail is not None:
        parts = parts[:fail[0]]
    for part in parts:
        told.events.append({**run.base(f"{prefix}RunContent"), "content": part, "workflow_agent": False,
                            "content_type": "str", "reasoning_content": ""})
        told.content_events += 1
        told.text += part
    if fail is not None:
        told.status, told.error = "ERROR", fail[1]
        told.events.append({**run.base(f"{prefix}RunError"), "content": fail[1]})
        return
    told.events.append(run.base(f"{prefix}RunContentCompleted"))
    told.events.append({**run.base(f"{prefix}RunCompleted"), "content": told.text, "content_type": "str",
                        "session_state": run.session_state or {}, "metrics": metrics(run, told)})


def metrics(run: RunInput, told: Told) -> dict[str, Any]:
    """Tokens from the message and the text; durations from the pauses the run streams with."""
    input_tokens, output_tokens = tokens(run.message), tokens(told.text)
    before_content = max(len(told.events) - told.content_events - 1, 0)
    return {"input_tokens": input_tokens, "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
            "time_to_first_token": round(run.delay * (before_content + 1), 6),
            "duration": round(run.delay * (len(told.events)), 6)}
