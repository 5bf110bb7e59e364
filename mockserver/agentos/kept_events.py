"""The events a run's session keeps, as AgentOS 2.3.17 keeps them: a streamed run's, but its text
chunks (``RunContent``, ``TeamRunContent``); a plain run's error event, or, continued, the events
it kept before it paused. A finished tool's duration is not kept (but in a run cancelled, kept as
it stood); a continued run's tool events show the tool as it ended, and a team's delegations their
member runs as agno leaves them (``delegations``). No web imports.
"""

from __future__ import annotations

from typing import Any

from mockserver.agentos.delegations import kept_delegations
from mockserver.agentos.replies import Event, RunInput, Told

UNSTORED_EVENTS = frozenset({"RunContent", "TeamRunContent"})


def kept_events(run: RunInput, told: Told,
                streamed: bool) -> tuple[list[Event] | None, list[dict[str, Any]]]:
    """The events the run keeps (``None``: none, not even a list), and its tools as kept."""
    events: list[Event] | None
    if streamed:
        events = [*told.earlier,
                  *(continued_event(e, told) for e in told.events if e["event"] not in UNSTORED_EVENTS)]
    elif told.status == "ERROR":
        events = told.events[-1:]
    else:
        events = told.earlier or None
    tools = told.tools
    if events is not None:
        if told.status != "CANCELLED":
            events = [stored_event(event) for event in events]
        if run.component.kind == "team" and streamed:
            events, tools = kept_delegations(events, tools)
    return events, tools


def continued_event(event: Event, told: Told) -> Event:
    """A continued run's tool event as kept: agno shares its tool with the run's, so it shows the
    tool as it ended (confirmed, its result, no longer requiring confirmation)."""
    tool = event.get("tool")
    if not told.events or told.events[0]["event"] != "RunContinued" or not isinstance(tool, dict):
        return event
    final = next((t for t in told.tools if t.get("tool_call_id") == tool.get("tool_call_id")), tool)
    return {**event, "tool": final}


def stored_event(event: Event) -> Event:
    """An event as its stored run keeps it: a finished tool's duration is not kept."""
    finished = event["event"].endswith(("ToolCallCompleted", "ToolCallError"))
    if finished and isinstance(event.get("tool"), dict):
        return {**event, "tool": {**event["tool"], "metrics": {}}}
    return event
