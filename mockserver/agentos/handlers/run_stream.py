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


def cancelled(run: RunInput, told: Told, sent: list[Event]) -> Told:
    """What a run cancelled after ``sent`` says, ending with its cancellation event (a workflow's
    then completes, with the steps done). An agent's content is what it said so far; a team's or
    a workflow's, the reason (as in AgentOS)."""
    kind = run.component.kind
    own = [e for e in sent if e.get("parent_run_id") is None]
    text = "".join(str(e.get("content") or "") for e in own if e["event"] in ("RunContent", "TeamRunContent"))
    why = f"Run {run.run_id} was cancelled"
    over = Told(events=[*own, {**run.base(CANCELLED[kind]), "reason": why}], status="CANCELLED",
                text=text if kind == "agent" else why, tools=told.tools)
    if kind == "workflow":
        done = [e["step_response"] for e in sent if e["event"] == "StepCompleted"]
        over.events.append({**run.base("WorkflowCompleted"), "content": why, "content_type": "str",
                            "step_results": done})
        over.extra = {"step_results": done}
    over.ending = len(over.events) - len(own)
    return over


async def carried_out(context: HandlerContext, database: str, run: RunInput, told: Told,
                      members: list[dict[str, Any]] | None = None) -> AsyncGenerator[bytes, None]:
    """The run's events, streamed; stored before the last (or at its cancellation)."""
    await context.flags.start(run.run_id)
    try:
        for index, event in enumerate(told.events):
            if index and await context.flags.cancelled(run.run_id):
                over = cancelled(run, told, told.events[:index])
                await keep(context, database, run, over, members, streamed=True)
                for ending in over.events[-over.ending:]:
                    yield sse(ending)
                return
            if index == len(told.events) - 1:
                await keep(context, database, run, told, members, streamed=True)
            yield sse(event)
    finally:
        await context.flags.finish(run.run_id)
