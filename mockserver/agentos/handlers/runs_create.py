"""``POST /agents/{id}/runs``, ``/teams/{id}/runs`` and ``/workflows/{id}/runs``: a scripted run,
streamed (``stream=true``: an event stream) or not (the run output as JSON), kept in its session.

The form is read as AgentOS reads it: ``message`` (required: a 422 without it), ``stream`` (its
default is the document's), ``session_id`` (a known one is continued, else a session of that id,
or of a new one, is created), ``user_id``, and ``session_state``, ``metadata`` and ``dependencies``
as JSON text (ignored when they do not parse, as AgentOS ignores them). An unknown component is
AgentOS's 404 (``Agent not found``). What the run says is its script's (``agentos.scripts``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from mockserver.agentos.errors import ComponentNotFound
from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.handlers.run_stream import carried_out, keep
from mockserver.agentos.replies import RunInput, Told, default_reply
from mockserver.agentos.run_records import run_output
from mockserver.agentos.team_replies import TELLERS
from mockserver.core.streams import JSON, Streamed


def json_field(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = body.get(name)
    if isinstance(value, str) and value:
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


async def start_run(context: HandlerContext, kind: str, component_id: str, body: dict[str, Any] | None,
                    stream_default: bool) -> Any:
    component = context.components.get((kind, component_id))
    if component is None:
        raise ComponentNotFound(kind)
    body = body or {}
    message = str(body.get("message", ""))
    stream = body.get("stream")
    stream = stream_default if stream is None else stream in (True, "true", "True", "1")
    databases = await context.store.databases()
    database = component.db_id if component.db_id in databases else context.default_db
    script = context.scripts.script(kind, component.id)
    delay_ms = script.delay_ms
    delay = context.stream_delay if delay_ms is None else delay_ms / 1000
    run = RunInput(component, message, context.new_id(), str(body.get("session_id") or context.new_id()),
                   math.floor(context.clock().timestamp()), user_id=body.get("user_id") or None,
                   session_state=json_field(body, "session_state"), metadata=json_field(body, "metadata"),
                   delay=delay if stream else 0.0)
    reply = script.reply_to(message) or default_reply(component, message)
    run.steps = tuple(name for name, _ in reply.steps) or ("reply",)
    told, members = TELLERS[kind](context.components, run, reply, script)
    if stream:
        return Streamed(carried_out(context, database, run, told, members), delay=delay,
                        size_hint=len(told.events))
    await keep(context, database, run, told, members)
    return run_output(run, told), 200, JSON


async def create_agent_run(context: HandlerContext, agent_id: str, body: dict[str, Any] | None = None) -> Any:
    return await start_run(context, "agent", agent_id, body, context.stream_defaults.get("agent", True))


async def create_team_run(context: HandlerContext, team_id: str, body: dict[str, Any] | None = None) -> Any:
    return await start_run(context, "team", team_id, body, context.stream_defaults.get("team", True))


async def create_workflow_run(context: HandlerContext, workflow_id: str,
                              body: dict[str, Any] | None = None) -> Any:
    default = context.stream_defaults.get("workflow", True)
    return await start_run(context, "workflow", workflow_id, body, default)


__all__ = ["Told", "create_agent_run", "create_team_run", "create_workflow_run"]
