"""A session's runs, as the spec's run schemas define them, and what AgentOS derives from them.

A run is a plain JSON-able dict stored in its session's record under ``runs``. Which schema a run
follows is what AgentOS 2.3.17 decides (``kind_of_run``): in a session's run list, the session's
kind (a workflow's runs are workflow runs, an agent's agent runs; in a team, a run with an
``agent_id`` is a member's agent run, the others team runs); for one run read alone, the run's own
fields (a ``workflow_id``, a ``team_id``, else an agent run). ``chat_history`` is what AgentOS
2.3.17 shows as a session's history: the user and assistant messages of its completed top-level
runs, in order. No web imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from mockserver.agentos.sessions import json_copy
from mockserver.agentos.timestamps import epoch_seconds
from mockserver.core.pointers import pointer
from mockserver.core.spec import Spec

Run = dict[str, Any]

# Run kind -> its schema in the spec (in agno 2.3.16's document; the seed has none).
RUN_SCHEMAS: dict[str, str] = {"agent": "RunSchema", "team": "TeamRunSchema", "workflow": "WorkflowRunSchema"}
# What AgentOS 2.3.17 shows for a run property the stored run has no value for (its run schemas'
# construction fills these); a property not listed stays null.
EMPTY_MEDIA: dict[str, list[Any]] = {"images": [], "videos": [], "audios": [], "files": []}
_SHARED_DEFAULTS: dict[str, Any] = {
    "reasoning_content": "", "reasoning_steps": [], "metrics": {}, "references": [],
    "reasoning_messages": [], "images": [], "videos": [], "audio": [], "files": []}
RUN_DEFAULTS: dict[str, dict[str, Any]] = {
    "agent": {**_SHARED_DEFAULTS, "parent_run_id": "", "user_id": "", "content": "",
              "run_response_format": "text", "input_media": EMPTY_MEDIA},
    "team": {**_SHARED_DEFAULTS, "parent_run_id": "", "content": "", "run_response_format": "text",
             "input_media": EMPTY_MEDIA},
    "workflow": {**_SHARED_DEFAULTS, "events": [], "step_results": [], "step_executor_runs": []},
}
# The same for the messages and tool executions inside a run (agno's Message and ToolExecution).
MESSAGE_DEFAULTS: dict[str, Any] = {"from_history": False, "stop_after_tool_call": False}
TOOL_DEFAULTS: dict[str, Any] = {"metrics": {}, "stop_after_tool_call": False}
# Runs AgentOS leaves out of a session's chat history.
UNFINISHED = frozenset({"error", "paused", "cancelled"})
CHAT_ROLES = frozenset({"user", "assistant"})


@dataclass(frozen=True)
class RunKind:
    name: str
    schema_name: str
    properties: tuple[str, ...]
    validator: Draft202012Validator = field(compare=False, repr=False)

    @classmethod
    def from_spec(cls, spec: Spec, name: str) -> RunKind:
        schema_name = RUN_SCHEMAS[name]
        schema = spec.component_schema(schema_name)
        properties = schema.get("properties", {})
        validator = spec.validator(pointer("components", "schemas", schema_name))
        return cls(name, schema_name, tuple(properties), validator)

    def render(self, run: Mapping[str, Any], omit_none: bool) -> dict[str, Any]:
        """The run as its schema shows it, AgentOS's defaults for what it lacks; a list leaves out
        null fields, one run shows them."""
        shown = with_defaults(run, RUN_DEFAULTS.get(self.name, {}), self.properties)
        for name, item_defaults in (("messages", MESSAGE_DEFAULTS), ("tools", TOOL_DEFAULTS)):
            if isinstance(shown.get(name), list):
                # A tool stored with a null (a paused tool's metrics: it never ran) stays null.
                shown[name] = [with_defaults(item, item_defaults, keep_null=name == "tools")
                               if isinstance(item, Mapping) else item for item in shown[name]]
        return {name: value for name, value in shown.items() if not omit_none or value is not None}


def with_defaults(item: Mapping[str, Any], defaults: Mapping[str, Any],
                  names: Iterable[str] | None = None, keep_null: bool = False) -> dict[str, Any]:
    """``item``'s fields (``names``, or all of them and the defaults'), a default where one is null
    (``keep_null``: only where one is missing)."""
    keys = list(names) if names is not None else [*item, *(k for k in defaults if k not in item)]
    return {key: item[key] if item.get(key) is not None or (keep_null and key in item)
            else json_copy(defaults.get(key)) for key in keys}


def run_kinds(spec: Spec) -> dict[str, RunKind]:
    """The run kinds ``spec`` defines schemas for (none for a document without runs)."""
    schemas = spec.component_schemas
    return {name: RunKind.from_spec(spec, name) for name, schema in RUN_SCHEMAS.items() if schema in schemas}


def kind_of_run(run: Mapping[str, Any], session_type: str | None = None) -> str:
    """The run schema ``run`` is shown by: in the runs of a session of ``session_type``, or alone."""
    if session_type in ("agent", "workflow"):
        return session_type
    if session_type == "team":
        return "agent" if run.get("agent_id") is not None else "team"
    if run.get("workflow_id") is not None:
        return "workflow"
    return "team" if run.get("team_id") is not None else "agent"


def created_between(runs: Iterable[Run], after: int | None, before: int | None) -> list[Run]:
    """The runs created in [after, before] (Unix seconds, both inclusive; 0 or None: no bound); a
    run without a time is kept, as AgentOS keeps it."""
    kept = []
    for run in runs:
        created = epoch_seconds(run.get("created_at"))
        if created is not None and ((after and created < after) or (before and created > before)):
            continue
        kept.append(run)
    return kept


def chat_history(runs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The user and assistant messages of completed top-level runs, without those from history."""
    history = []
    for run in runs:
        if run.get("parent_run_id") or str(run.get("status") or "").lower() in UNFINISHED:
            continue
        for message in run.get("messages") or ():
            if message.get("role") in CHAT_ROLES and not message.get("from_history"):
                shown = with_defaults(message, MESSAGE_DEFAULTS)
                history.append({k: v for k, v in shown.items() if v not in (None, [], {}, "")})
    return history
