"""A run told (``replies.Told``), carried out: its events sent as AgentOS frames them
(``event: NAME`` and ``data: JSON`` lines), cancelled between two events if asked (through the
store's ``RunFlags``, so from any worker), and kept in its session before its last event, so that
whoever reads the session once the stream ends finds it there.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from mockserver.agentos.handlers.context import HandlerContext
from mockserver.agentos.replies import Event, RunInput, Told
from mockserver.agentos.run_records import stored_run, with_run

CANCELLED = {"agent": "RunCancelled", "team": "TeamRunCancelled", "workflow": "WorkflowCancelled"}


def sse(event: Event) -> bytes:
    """One event as AgentOS's ``format_sse_event`` writes it."""
    name: str = event["event"]
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n"


async def keep(context: HandlerContext, database: str, run: RunInput, told: Told,
               members: list[dict[str, Any]] | None = None, streamed: bool = False) -> None:
    """Store the run (and its members' runs) in its session, creating the session if need be."""
    kind = context.kinds[run.component.kind]
    runs = [*(members or []), stored_run(run, told, streamed)]
    now = context.clock()
    await context.store.create(database, run.session_id,
                               lambda existing: with_run(kind, existing, run, runs, database, now))


def grace(told: Told, index: int) -> int:
    """Where a run asked to stop before event ``index`` stops, as AgentOS 2.3.17 stops it: a team
    lets the member run in flight finish (through its delegation's ``TeamToolCallCompleted``); a
    workflow starts the step that was next; an agent stops there."""
    names = [e["event"] for e in told.events]
    if names[0] == "TeamRunStarted":
        delegating = next((n for n in reversed(names[:index])
                           if n in ("TeamToolCallStarted", "TeamToolCallCompleted")), None)
        if delegating == "TeamToolCallStarted" and "TeamToolCallCompleted" in names[index:]:
            return names.index("TeamToolCallCompleted", index) + 1
    if names[0] == "WorkflowStarted" and names[index:index + 1] == ["StepStarted"]:
        return index + 1
    return index


def cancelled(run: RunInput, told: Told, sent: list[Event], unsent: list[Event]) -> Told:
    """What a run cancelled after ``sent`` says, ending with its cancellation event (a workflow's
    then completes, with the steps done). An agent's content is what it said so far and the chunk
    it had made as it noticed (``unsent``'s first); a team's or a workflow's, the reason (as in
    AgentOS). A run cancelled counts no tokens; a team's delegations keep their durations."""
    kind = run.component.kind
    own = [e for e in sent if e.get("parent_run_id") is None]
    said = [e for e in own if e["event"] in ("RunContent", "TeamRunContent")]
    said += [e for e in unsent[:1] if e["event"] == "RunContent" and kind == "agent"]
    text = "".join(str(e.get("content") or "") for e in said)
    why = f"Run {run.run_id} was cancelled"
    tools = told.tools
    if kind == "team":
        durations = {e["tool"]["tool_call_id"]: e["tool"].get("metrics") for e in own
                     if e["event"] == "TeamToolCallCompleted"}
        tools = [{**t, "metrics": durations[t["tool_call_id"]]} for t in tools
                 if t["tool_call_id"] in durations]
    over = Told(events=[*sent, {**run.base(CANCELLED[kind]), "reason": why}], status="CANCELLED",
                text=text if kind == "agent" else why, tools=tools)
    if kind == "workflow":
        done = [e["step_response"] for e in sent if e["event"] == "StepCompleted"]
        over.events.append({**run.base("WorkflowCompleted"), "content": why, "content_type": "str",
                            "step_results": done})
        over.extra = {"step_results": done}
    return over


async def carried_out(context: HandlerContext, database: str, run: RunInput, told: Told,
                      members: list[dict[str, Any]] | None = None) -> AsyncGenerator[bytes, None]:
    """The run's events, streamed; stored before the last (or at its cancellation)."""
    await context.flags.start(run.run_id)
    try:
        stop: int | None = None
        for index, event in enumerate(told.events):
            if stop is None and index and await context.flags.cancelled(run.run_id):
                stop = grace(told, index)
            if stop is not None and index >= stop:
                over = cancelled(run, told, told.events[:index], told.events[index:])
                started = {e["run_id"] for e in over.events if e["event"] == "RunStarted"}
                ran = [member for member in members or [] if member["run_id"] in started]
                await keep(context, database, run, over, ran, streamed=True)
                for ending in over.events[index:]:
                    yield sse(ending)
                return
            if index == len(told.events) - 1:
                await keep(context, database, run, told, members, streamed=True)
            yield sse(event)
    finally:
        await context.flags.finish(run.run_id)
