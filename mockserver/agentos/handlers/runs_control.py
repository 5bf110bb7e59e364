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
from mockserver.agentos.replies import RunInput, Told, default_reply, tell_content
from mockserver.agentos.round_trip import run_read_back
from mockserver.agentos.run_records import run_output
from mockserver.agentos.scripts import Tool
from mockserver.agentos.tools import tool_message, tool_object, tool_summary
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
    if component is None:
        raise ComponentNotFound("agent")
    found = await find_run(context, component.db_id, body.get("session_id"), run_id)
    if found is None:
        raise RunNotFound(run_id)
    try:  # after the run is found (AgentOS reads the JSON first: a 400 whatever the run)
        tools = json.loads(body.get("tools") or "null")
    except ValueError:
        raise BadRequest("Invalid JSON in tools field") from None
    database, session_id, stored = found
    stored = run_read_back(stored)  # AgentOS continues the run it read back
    script = context.scripts.script("agent", agent_id)
    stream = body.get("stream") in (None, True, "true", "True", "1")
    delay = context.stream_delay if script.delay_ms is None else script.delay_ms / 1000
    run = RunInput(component, str(stored.get("run_input") or ""), run_id, session_id,
                   math.floor(context.clock().timestamp()), user_id=stored.get("user_id"),
                   session_state=stored.get("session_state"), delay=delay if stream else 0.0)
    reply = script.reply_to(run.message) or default_reply(component, run.message)
    sent = {str(tool.get("tool_call_id")): tool for tool in tools or [] if isinstance(tool, dict)}
    told = resumed(run, stored, reply.pause, sent)
    tell_content(run, reply.text or "", script, told, None)
    if stream:
        return Streamed(carried_out(context, database, run, told), delay=delay, size_hint=len(told.events))
    await keep(context, database, run, told)
    return run_output(run, told), 200, JSON


def resumed(run: RunInput, stored: dict[str, Any], pause: Tool | None,
            sent: dict[str, dict[str, Any]]) -> Told:
    """A paused run taken up again: what it said before, then its paused tool, run or rejected
    (``sent``: the request's tools by call id; AgentOS takes their ``confirmed`` as they come)."""
    said = [{k: v for k, v in message.items() if k not in ("id", "from_history", "stop_after_tool_call")}
            for message in (stored.get("messages") or [])[1:]]
    confirmed = any(tool.get("confirmed") for tool in sent.values())
    earlier = []
    for tool in stored.get("tools") or []:
        if not tool.get("requires_confirmation"):
            answer = sent.get(str(tool.get("tool_call_id"))) or {}
            earlier.append({**tool, "confirmed": answer.get("confirmed"), "user_input_schema": []}
                           if answer.get("confirmed") is not None else tool)
    told = Told(events=[run.base("RunContinued")], said=said, earlier=list(stored.get("events") or []),
                tools=earlier)
    if stored.get("requirements") is not None:
        told.requirements = [{**r, "tool_execution": {**r["tool_execution"], "metrics": {},
                                                      "user_input_schema": []},
                              "user_input_schema": []} for r in stored["requirements"]]
    if pause is None:
        return told
    number = len(told.tools) + 1
    if confirmed:
        started = tool_object(pause, number, run.created_at, requires_confirmation=True, confirmed=True,
                              metrics={}, user_input_schema=[])
        done = {**started, "tool_call_error": False, "result": pause.result}
        told.events += [{**run.base("ToolCallStarted"), "tool": started},
                        {**run.base("ToolCallCompleted"), "content": tool_summary(pause), "tool": done}]
        told.tools.append({**done, "requires_confirmation": False})
        told.said.append(tool_message(pause, number, run.created_at, content=pause.result or "", error=False))
    else:
        told.tools.append(tool_object(pause, number, run.created_at, tool_call_error=True, metrics={},
                                      requires_confirmation=False, confirmed=False,
                                      confirmation_note="Tool call was rejected", user_input_schema=[]))
        told.said.append(tool_message(pause, number, run.created_at, error=True,
                                      content="Function call was rejected by the user"))
    return told


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
