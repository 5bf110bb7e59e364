"""Cancel a run in flight (``cancel_*_run``) and continue a paused one (``continue_agent_run``).

Cancel goes through the store's ``RunFlags``, so it reaches a run streamed by another worker: its
stream ends with the cancellation event and the stored run says ``CANCELLED``. A run not in flight
(over, or unknown) has nothing to cancel: AgentOS 2.3.17 answers 500 there, the mock 200 ``{}``
(docs/agentos-deviations.md). Continue takes ``tools`` (JSON text: the paused tools, confirmed or
not) and resumes the run's script where it paused: the confirmed tool's result, then its text.
"""

from __future__ import annotations

import json
import math
from typing import Any

from mockserver.agentos.errors import ComponentNotFound, RunNotFound
from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.handlers.run_stream import carried_out, keep
from mockserver.agentos.replies import RunInput, Told, tell_content, tool_execution
from mockserver.agentos.run_records import run_output
from mockserver.core.streams import JSON, Streamed
from mockserver.errors import BadRequest


async def cancel(context: HandlerContext, kind: str, component_id: str,
                 run_id: str) -> tuple[dict[str, Any], int]:
    if (kind, component_id) not in context.components:
        raise ComponentNotFound(kind)
    await context.flags.cancel(run_id)
    return {}, 200


async def cancel_agent_run(context: HandlerContext, agent_id: str, run_id: str) -> tuple[dict[str, Any], int]:
    return await cancel(context, "agent", agent_id, run_id)


async def cancel_team_run(context: HandlerContext, team_id: str, run_id: str) -> tuple[dict[str, Any], int]:
    return await cancel(context, "team", team_id, run_id)


async def cancel_workflow_run(context: HandlerContext, workflow_id: str,
                              run_id: str) -> tuple[dict[str, Any], int]:
    return await cancel(context, "workflow", workflow_id, run_id)


async def continue_agent_run(context: HandlerContext, agent_id: str, run_id: str,
                             body: dict[str, Any] | None = None) -> Any:
    component = context.components.get(("agent", agent_id))
    body = body or {}
    try:
        tools = json.loads(body.get("tools") or "null")
    except ValueError:
        raise BadRequest("Invalid JSON in tools field") from None
    if component is None:
        raise ComponentNotFound("agent")
    found = await find_run(context, component.db_id, body.get("session_id"), run_id)
    if found is None:
        raise RunNotFound(run_id)
    database, session_id, stored = found
    message = str(stored.get("run_input") or "")
    script = context.scripts.script("agent", agent_id)
    reply = script.reply_to(message)
    stream = body.get("stream") in (None, True, "true", "True", "1")
    delay = context.stream_delay if script.delay_ms is None else script.delay_ms / 1000
    run = RunInput(component, message, run_id, session_id, math.floor(context.clock().timestamp()),
                   user_id=stored.get("user_id"), delay=delay if stream else 0.0)
    told = Told(events=[run.base("RunContinued")], tools=[t for t in stored.get("tools") or []
                                                          if not t.get("requires_confirmation")])
    pause = reply.pause if reply is not None else None
    if pause is not None:
        confirmed = any(isinstance(t, dict) and t.get("confirmed") for t in tools or [])
        result = pause.result if confirmed else None
        execution = tool_execution(pause, len(told.tools), run.created_at, result)
        execution.update(requires_confirmation=True, confirmed=confirmed)
        told.tools.append(execution)
        told.events.append({**run.base("ToolCallStarted"), "tool": {**execution, "result": None}})
        told.events.append({**run.base("ToolCallCompleted"), "tool": execution, "content": result})
    tell_content(run, (reply.text if reply is not None else "") or "", script, told, None)
    if stream:
        return Streamed(carried_out(context, database, run, told), delay=delay, size_hint=len(told.events))
    await keep(context, database, run, told)
    return run_output(run, told), 200, JSON


async def find_run(context: HandlerContext, db_id: str | None, session_id: str | None,
                   run_id: str) -> tuple[str, str, dict[str, Any]] | None:
    """The database, session and stored run of ``run_id`` (looked up in the session given, else in
    every session: AgentOS continues without a session id too)."""
    databases = await context.store.databases()
    database = db_id if db_id in databases else context.default_db
    records = [await context.store.get(database, session_id)] if session_id else await context.store.all()
    for record in records:
        for run in (record or {}).get("runs") or []:
            if run.get("run_id") == run_id and record is not None:
                return record["db_id"], record["session_id"], run
    return None
